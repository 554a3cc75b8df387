package extract

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// versionFile records Version and the fingerprint of Extract's output on
// the test pages at that version.
const versionFile = "testdata/version.txt"

// outputFingerprints hashes what Extract returns for every test page (the
// golden set, the CMS pages, the real-world pages), page by page: all but
// the links, which the catalog's articles do not hold. Page by page, so
// that a page added to a test set needs no new Version: only a page whose
// output changed does.
func outputFingerprints(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	add := func(name string, doc *Document) {
		// The links a page gives are the crawl's to follow, not fields
		// of its article: they may change without a new Version.
		doc.Links = nil
		js, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(js)
		out[name] = hex.EncodeToString(sum[:])
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
	return out
}

// readFingerprints reads versionFile: the Version on its first line, then
// one "HASH NAME" line a page.
func readFingerprints(raw []byte) (version string, pages map[string]string, err error) {
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	if len(lines) < 2 || len(strings.Fields(lines[0])) != 1 {
		return "", nil, fmt.Errorf("%s: want the version on the first line, then \"HASH NAME\" lines", versionFile)
	}
	pages = map[string]string{}
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) != 2 {
			return "", nil, fmt.Errorf("%s: want \"HASH NAME\", got %q", versionFile, l)
		}
		pages[f[1]] = f[0]
	}
	return strings.TrimSpace(lines[0]), pages, nil
}

// changedPages lists the pages of both sets whose output differs.
func changedPages(was, now map[string]string) []string {
	var out []string
	for name, h := range now {
		if old, ok := was[name]; ok && old != h {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// TestVersionFingerprint: Extract's output on the test pages changes only
// with a new Version, so that archives extracted before the change are
// extracted again on their next crawl (not taken for changed sites).
// After a change of the extraction: raise Version, then
//
//	go test ./extract -run TestVersionFingerprint -update
//
// A page added to (or taken from) a test set needs only -update.
func TestVersionFingerprint(t *testing.T) {
	got := outputFingerprints(t)
	if again := outputFingerprints(t); !maps.Equal(again, got) {
		t.Fatalf("Extract's output differs from one run to the next on the same pages: %v", changedPages(got, again))
	}
	raw, err := os.ReadFile(versionFile)
	if *update {
		if err == nil {
			if v, was, rerr := readFingerprints(raw); rerr == nil && v == strconv.Itoa(Version) {
				if changed := changedPages(was, got); len(changed) > 0 {
					t.Fatalf("Extract's output changed on %v but Version is still %d: raise extract.Version first", changed, Version)
				}
			}
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%d\n", Version)
		for _, name := range slices.Sorted(maps.Keys(got)) {
			fmt.Fprintf(&b, "%s %s\n", got[name], name)
		}
		if err := os.WriteFile(versionFile, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err != nil {
		t.Fatalf("%v (go test ./extract -run TestVersionFingerprint -update writes it)", err)
	}
	v, was, err := readFingerprints(raw)
	if err != nil {
		t.Fatal(err)
	}
	if v != strconv.Itoa(Version) {
		t.Fatalf("%s is for version %s, Version is %d: run go test ./extract -run TestVersionFingerprint -update", versionFile, v, Version)
	}
	if changed := changedPages(was, got); len(changed) > 0 {
		t.Errorf("Extract's output on %v changed, and Version is still %d: raise extract.Version "+
			"(archives read by the old extraction are then read again before their next crawl), then run "+
			"go test ./extract -run TestVersionFingerprint -update", changed, Version)
	}
	var added, gone []string
	for name := range got {
		if _, ok := was[name]; !ok {
			added = append(added, name)
		}
	}
	for name := range was {
		if _, ok := got[name]; !ok {
			gone = append(gone, name)
		}
	}
	if len(added)+len(gone) > 0 {
		slices.Sort(added)
		slices.Sort(gone)
		t.Errorf("test pages added %v, gone %v since %s was written: run go test ./extract -run TestVersionFingerprint -update", added, gone, versionFile)
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
