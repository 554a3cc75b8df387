package extract

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
)

// Version is the version of what Extract reads from pages. It goes up
// whenever Extract's output changes for some page (a better title, one
// line of chrome less): an archive whose articles were read by another
// version is read again from its archived pages before its next crawl
// compares anything (see Setup), so that an upgrade of tulieu is not
// taken for a change of the site. TestVersionFingerprint holds it to the
// output on the test pages: a change there without a new Version fails.
const Version = 7

// Setup names the extraction an archive's fields come from: Version and
// the profiles in force, since a profile changed reads pages differently
// too. Two setups read every page alike when they are equal.
func Setup(profiles []Profile) string {
	js, err := json.Marshal(profiles)
	if err != nil {
		// Profiles are plain data; should one ever fail to encode, the
		// setup differs from every recorded one, which costs a
		// re-extraction and loses nothing.
		js = []byte(err.Error())
	}
	sum := sha256.Sum256(js)
	return "extract-" + strconv.Itoa(Version) + "+profiles-" + hex.EncodeToString(sum[:6])
}
