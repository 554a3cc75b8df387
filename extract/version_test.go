package extract

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// versionFile records Version and the fingerprint of Extract's output on
// the test pages at that version.
const versionFile = "testdata/version.txt"

// outputFingerprint hashes what Extract returns for every test page (the
// golden set, the CMS pages, the real-world pages), in a fixed order: all
// but the links, which the catalog's articles do not hold.
func outputFingerprint(t *testing.T) string {
	t.Helper()
	h := sha256.New()
	add := func(name string, doc *Document) {
		// The links a page gives are the crawl's to follow, not fields
		// of its article: they may change without a new Version.
		doc.Links = nil
		js, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%s\n%s\n", name, js)
	}
	for _, c := range loadCases(t) {
		add("golden/"+c.File, extractCase(t, c))
	}
	for _, pg := range cmsLoad(t) {
		doc, err := Extract(pg.want.URL, pg.html, pg.want.ContentType, Options{Profiles: DefaultProfiles()})
		if err != nil {
			t.Fatal(err)
		}
		add("cms/"+pg.name, doc)
	}
	real, err := LoadRealWorld("testdata/realworld", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, pg := range real {
		doc, err := Extract(pg.Want.URL, pg.HTML, "text/html", Options{Profiles: DefaultProfiles()})
		if err != nil {
			t.Fatal(err)
		}
		add("realworld/"+pg.Name, doc)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestVersionFingerprint: Extract's output on the test pages changes only
// with a new Version, so that archives extracted before the change are
// extracted again on their next crawl (not taken for changed sites).
// After a change of the extraction: raise Version, then
//
//	go test ./extract -run TestVersionFingerprint -update
func TestVersionFingerprint(t *testing.T) {
	got := outputFingerprint(t)
	if again := outputFingerprint(t); again != got {
		t.Fatalf("Extract's output differs from one run to the next on the same pages")
	}
	line := strconv.Itoa(Version) + " " + got + "\n"
	raw, err := os.ReadFile(versionFile)
	if *update {
		if err == nil {
			if f := strings.Fields(string(raw)); len(f) == 2 && f[1] != got && f[0] == strconv.Itoa(Version) {
				t.Fatalf("Extract's output changed but Version is still %d: raise extract.Version first", Version)
			}
		}
		if err := os.WriteFile(versionFile, []byte(line), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err != nil {
		t.Fatalf("%v (go test ./extract -run TestVersionFingerprint -update writes it)", err)
	}
	f := strings.Fields(string(raw))
	if len(f) != 2 {
		t.Fatalf("%s: want \"VERSION FINGERPRINT\", got %q", versionFile, raw)
	}
	switch {
	case f[0] == strconv.Itoa(Version) && f[1] != got:
		t.Errorf("Extract's output on the test pages changed, and Version is still %d: raise extract.Version "+
			"(archives read by the old extraction are then read again before their next crawl), then run "+
			"go test ./extract -run TestVersionFingerprint -update", Version)
	case f[0] != strconv.Itoa(Version):
		t.Errorf("%s is for version %s, Version is %d: run go test ./extract -run TestVersionFingerprint -update", versionFile, f[0], Version)
	}
}

// TestSetup: the setup names the version and changes with the profiles.
func TestSetup(t *testing.T) {
	a := Setup(DefaultProfiles())
	if !strings.HasPrefix(a, "extract-"+strconv.Itoa(Version)+"+") {
		t.Errorf("Setup %q does not name version %d", a, Version)
	}
	if b := Setup(DefaultProfiles()); b != a {
		t.Errorf("Setup is not stable: %q, %q", a, b)
	}
	more := append([]Profile{{Host: "example.vn", Title: "h1.tieu-de"}}, DefaultProfiles()...)
	if c := Setup(more); c == a {
		t.Errorf("Setup %q does not change with a profile more", c)
	}
}
