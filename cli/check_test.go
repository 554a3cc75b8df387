package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"tulieu/index"
	"tulieu/internal/fixturesite"
	"tulieu/warc"
)

// TestCheck: a whole archive checks clean; what a crash or a careless hand
// does to it is found, --repair mends what can be mended, and a damaged
// WARC record is reported, never "repaired" away.
func TestCheck(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	crawl(t, data, srv.URL+"/") // revisits too
	report := func(args ...string) (int, checkReport) {
		t.Helper()
		code, out, errOut := run(t, data, append([]string{"check", "--json"}, args...)...)
		var rep checkReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("check %v: %d %q %q", args, code, out, errOut)
		}
		return code, rep
	}
	code, rep := report()
	if code != 0 || !rep.OK || rep.Checked["captures"] == 0 || rep.Checked["WARC records"] == 0 || rep.Checked["index documents"] != rep.Checked["articles and pages"] {
		t.Fatalf("a whole archive: %d %+v", code, rep)
	}

	// A missing CDXJ index, a WARC file left open, an article missing from
	// the search index.
	files, _ := warc.Files(filepath.Join(data, "warc"))
	os.Remove(files[0] + warc.CDXJSuffix)
	os.Rename(files[len(files)-1], files[len(files)-1]+".open")
	r := search(t, data, "thanh hoa")
	ix, err := index.Open(filepath.Join(data, "index"), nil)
	if err != nil {
		t.Fatal(err)
	}
	ix.Delete(context.Background(), r.Hits[0].ID)
	ix.Close()
	code, rep = report()
	kinds := map[string]int{}
	for _, p := range rep.Problems {
		kinds[p.Kind]++
	}
	if code != ExitError || rep.OK || kinds["cdxj"] == 0 || kinds["open_warc"] != 1 || kinds["index"] == 0 {
		t.Fatalf("damage not found: %d %+v", code, rep)
	}
	code, rep = report("--repair")
	if code != 0 || !rep.OK || len(rep.Repaired) < 3 {
		t.Fatalf("--repair: %d %+v", code, rep)
	}

	// A damaged record: found; --repair keeps it and records it as such.
	b, _ := os.ReadFile(files[0])
	b[len(b)/2] ^= 0xff
	os.WriteFile(files[0], b, 0o644)
	code, rep = report()
	if code != ExitError || rep.OK || !slices.ContainsFunc(rep.Problems, func(p checkProblem) bool { return p.Kind == "damaged_record" }) {
		t.Fatalf("a damaged record: %d %+v", code, rep)
	}
	// Text output: one line per problem and a summary.
	code, out, _ := run(t, data, "check")
	if code != ExitError || !regexp.MustCompile(`: (1 problem|[2-9] problems)\n`).MatchString(out) {
		t.Errorf("check as text: %d %s", code, out)
	}
	code, rep = report("--repair")
	if code != 0 || !rep.OK || len(rep.Damaged) != 1 {
		t.Fatalf("a damaged record after --repair: %d %+v", code, rep)
	}
	if after, _ := os.ReadFile(files[0]); len(after) != len(b) {
		t.Errorf("--repair changed the damaged file's size from %d to %d", len(b), len(after))
	}
	// Restored from a copy, the record reads whole again: check says so,
	// and --repair forgets the damage.
	b[len(b)/2] ^= 0xff
	os.WriteFile(files[0], b, 0o644)
	// (Its CDXJ index, rewritten without it, is then out of date too.)
	if code, rep = report(); len(rep.Restored) != 1 {
		t.Errorf("the record restored, before --repair: %d %+v", code, rep)
	}
	code, rep = report("--repair")
	if code != 0 || !rep.OK || len(rep.Damaged) != 0 || !slices.ContainsFunc(rep.Repaired, func(s string) bool { return strings.Contains(s, "reads whole again") }) {
		t.Fatalf("the record restored: %d %+v", code, rep)
	}
}

// TestCheckAfterAnUpgrade: an index written by an older tulieu (another
// schema) is reported as such, not as damage, with what rebuilds it; the
// next search rebuilds it from the catalog.
func TestCheckAfterAnUpgrade(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	layout := filepath.Join(data, "index", "tulieu_index.json")
	b, err := os.ReadFile(layout)
	if err != nil {
		t.Fatal(err)
	}
	old := regexp.MustCompile(`"schema":"[^"]*"`).ReplaceAll(b, []byte(`"schema":"tulieu-index-1"`))
	if err := os.WriteFile(layout, old, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, data, "check")
	if code != ExitError || !strings.Contains(out, "another version of tulieu") || !strings.Contains(out, "rebuilds it") {
		t.Errorf("check of an index of an older tulieu: exit %d\n%s", code, out)
	}
	if r := search(t, data, "thanh hoa"); r.Total == 0 {
		t.Errorf("the search after an upgrade found nothing")
	}
	if code, out, _ := run(t, data, "check"); code != 0 {
		t.Errorf("check after the rebuild: exit %d\n%s", code, out)
	}
}

// One of a thing is not "1 things": check's summary, diff's words and
// reindex's count say "1 problem", "1 word", "1 article or page".
func TestCountSaysOne(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0 problems"}, {1, "1 problem"}, {2, "2 problems"}} {
		if got := count(c.n, "problem", "problems"); got != c.want {
			t.Errorf("count(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}
