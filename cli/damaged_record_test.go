package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"tulieu/internal/fixturesite"
	"tulieu/store"
	"tulieu/warc"
)

// TestDamagedRecordRecordedAndRefetched: a flipped byte in the middle of
// an article's archived response (a bad sector) is reported once, naming
// the page; --repair records it as damaged (the file is never rewritten);
// the next crawl fetches that page whole again instead of revalidating a
// copy nobody can read, while the others answer 304; exports leave the
// damaged record out and say so.
func TestDamagedRecordRecordedAndRefetched(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	ctx := context.Background()

	// The response record of one article.
	st, err := store.Open(ctx, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	arts, err := st.Articles(ctx, store.Filter{Kinds: []string{store.KindArticle}})
	if err != nil || len(arts) < 3 {
		t.Fatalf("articles: %d %v", len(arts), err)
	}
	victim := arts[len(arts)/2]
	cp, err := st.CaptureByID(ctx, victim.CaptureID)
	st.Close()
	if err != nil || cp.RecordType != "response" || cp.WARCLength == 0 {
		t.Fatalf("capture of %s: %+v %v", victim.URL, cp, err)
	}
	path := warc.Path(filepath.Join(data, "warc"), cp.WARCFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[cp.WARCOffset+cp.WARCLength/2] ^= 0xff
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}

	check := func(args ...string) (int, checkReport) {
		t.Helper()
		code, out, errOut := run(t, data, append([]string{"check", "--json"}, args...)...)
		var rep checkReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("check %v: %d %q %q", args, code, out, errOut)
		}
		return code, rep
	}
	code, rep := check()
	var damaged []checkProblem
	for _, p := range rep.Problems {
		switch p.Kind {
		case "damaged_record":
			damaged = append(damaged, p)
		case "capture":
			t.Errorf("the damaged record is also reported as a capture problem: %+v", p)
		}
	}
	if code != ExitError || len(damaged) != 1 || !strings.Contains(damaged[0].Detail, victim.URL) ||
		damaged[0].Where != cp.WARCFile+" at "+itoa(cp.WARCOffset) {
		t.Fatalf("check: %d %+v", code, rep)
	}

	// --repair records it: check is then clean, and lists it.
	code, rep = check("--repair")
	if code != 0 || !rep.OK || len(rep.Damaged) != 1 || rep.Damaged[0].File != cp.WARCFile ||
		rep.Damaged[0].Offset != cp.WARCOffset || len(rep.Damaged[0].URLs) != 1 || rep.Damaged[0].URLs[0] != victim.URL {
		t.Fatalf("check --repair: %d %+v", code, rep)
	}
	if after, _ := os.ReadFile(path); len(after) != len(b) {
		t.Errorf("--repair changed the WARC file's size from %d to %d", len(b), len(after))
	}

	// Exports leave the record out, say so, and stay readable.
	out := filepath.Join(t.TempDir(), "all.warc.gz")
	code, _, errOut := run(t, data, "export", "--format", "warc", "-o", out)
	if code != 0 || !strings.Contains(errOut, "left out the capture of "+victim.URL) {
		t.Fatalf("export: %d %s", code, errOut)
	}
	if n, findings, err := warc.Check(out); err != nil || len(findings) > 0 || n == 0 {
		t.Errorf("the export: %d records, %v %v", n, findings, err)
	}
	meta, _ := os.ReadFile(out + ".meta.json")
	if !strings.Contains(string(meta), `"left_out"`) || !strings.Contains(string(meta), victim.URL) {
		t.Errorf("the provenance file does not say what was left out:\n%s", meta)
	}

	// The next crawl fetches that page whole; the others answer 304.
	sum := crawl(t, data, srv.URL+"/")
	st, err = store.Open(ctx, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	caps, err := st.Captures(ctx, victim.URL)
	if err != nil || len(caps) != 2 {
		t.Fatalf("captures of %s: %+v %v", victim.URL, caps, err)
	}
	if last := caps[1]; last.RunID != sum.RunID || last.Status != 200 || last.RecordType != "response" {
		t.Errorf("the damaged page's capture in the next crawl: status %d, %s; want a 200 response", last.Status, last.RecordType)
	}
	var revalidated int
	st.DB().QueryRow("SELECT count(*) FROM captures WHERE run_id = ? AND status = 304", sum.RunID).Scan(&revalidated)
	if revalidated < len(arts)-1 {
		t.Errorf("%d pages answered 304 in the second crawl, want at least %d", revalidated, len(arts)-1)
	}
	code, rep = check()
	if code != 0 || len(rep.Damaged) != 1 || len(rep.Damaged[0].Refetched) != 1 || len(rep.Damaged[0].URLs) != 0 {
		t.Errorf("check after the crawl: %d %+v", code, rep)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
