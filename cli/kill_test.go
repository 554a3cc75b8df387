package cli

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"tulieu/internal/fixturesite"
	"tulieu/store"
	"tulieu/warc"
)

// TestKillAndResume runs the real binary, kills it with SIGKILL in the
// middle of a crawl, and runs it again: the second run continues the
// first, nothing is lost or doubled, and the WARC files are whole.
func TestKillAndResume(t *testing.T) {
	bin := buildBinary(t)
	site, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()

	// A slow, polite crawl, killed once it has archived a few articles.
	cmd := exec.Command(bin, "--data", data, "--log-level", "warn", "crawl", "--site", srv.URL+"/", "--delay", "150ms", "--parallel", "1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the crawl archived nothing in 60 s")
		}
		time.Sleep(100 * time.Millisecond)
		if _, err := os.Stat(filepath.Join(data, store.CatalogFile)); err != nil {
			continue
		}
		st, err := store.Open(ctx, data, nil)
		if err != nil {
			continue
		}
		s, err := st.Stats(ctx)
		runs, rerr := st.Runs(ctx, 1)
		st.Close()
		// Killed once the run's row holds some counts: the run records
		// them every few seconds.
		if err == nil && s.Articles >= 5 && rerr == nil && len(runs) == 1 && runs[0].New > 0 {
			break
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	killedAt := time.Now()
	open, _ := filepath.Glob(filepath.Join(data, "warc", "*.open"))
	if len(open) != 1 {
		t.Fatalf("a killed crawl should leave its WARC file open, found %v", open)
	}
	// The morning after: stats does not say a crawl is running.
	if _, out, _ := run(t, data, "stats", "--json"); !strings.Contains(out, `"status": "interrupted"`) {
		t.Errorf("stats after the crawl was killed: %s", out)
	}
	// And the plain text says why, as --json's note does.
	var stats struct {
		LastRun struct{ Note string } `json:"last_run"`
	}
	if _, out, _ := run(t, data, "stats", "--json"); json.Unmarshal([]byte(out), &stats) != nil || stats.LastRun.Note == "" {
		t.Errorf("stats --json gives no note for the killed crawl: %s", out)
	} else if _, out, _ := run(t, data, "stats"); !strings.Contains(out, stats.LastRun.Note) {
		t.Errorf("stats does not say why the last crawl stopped (%q):\n%s", stats.LastRun.Note, out)
	}
	// What a crawl killed in the middle of a large response leaves (the
	// fixture site has none that large, so it is planted): the next run
	// removes it, and says so.
	left := filepath.Join(data, store.SpoolDir, "tulieu-response-1234")
	if err := os.WriteFile(left, []byte("HTTP/1.1 200 OK\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	// Run again at full speed.
	second := exec.Command(bin, "--data", data, "--log-level", "warn", "crawl", "--site", srv.URL+"/", "--delay", "0", "--parallel", "4", "--json")
	var stderr strings.Builder
	second.Stderr = &stderr
	out, err := second.Output()
	if err != nil {
		t.Fatalf("second run: %v\n%s", err, stderr.String())
	}
	if _, err := os.Stat(left); !os.IsNotExist(err) {
		t.Errorf("the spool file a killed crawl left is still there: %v", err)
	}
	if !strings.Contains(stderr.String(), "removed temporary files left by an interrupted crawl") {
		t.Errorf("the second run did not say it removed what the first left:\n%s", stderr.String())
	}
	var sum struct {
		ResumedFrom int64 `json:"resumed_from"`
	}
	if err := json.Unmarshal(out, &sum); err != nil || sum.ResumedFrom != 1 {
		t.Errorf("the second run should continue run 1: %s", out)
	}

	// Nothing lost, nothing doubled.
	st, err := store.Open(ctx, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	arts, _ := st.Articles(ctx, store.Filter{Kinds: []string{store.KindArticle, store.KindPage}})
	want := len(site.Articles())
	if len(arts) != want {
		t.Errorf("%d articles and pages after the resumed crawl, want %d", len(arts), want)
	}
	for _, a := range arts {
		if a.Versions != 1 {
			t.Errorf("%s has %d versions", a.URL, a.Versions)
		}
	}
	runs, _ := st.Runs(ctx, 10)
	if len(runs) != 2 || runs[1].Status != store.RunInterrupted || runs[0].Status != store.RunCompleted {
		t.Fatalf("runs: %+v", runs)
	}
	// The killed run keeps the counts it had recorded, and says whence.
	if killed := runs[1]; killed.Fetched == 0 || killed.New == 0 || killed.Note != store.NoteEndedUnfinished {
		t.Errorf("the killed run: fetched %d, new %d, note %q", killed.Fetched, killed.New, killed.Note)
	}
	// No page fetched in both runs, except those in flight at the kill.
	// Requisites (images, stylesheets) are fetched once per process: the
	// resumed run may ask again for one the killed run had (at most once,
	// checked below).
	before, after := map[string]int{}, map[string]int{}
	for _, r := range site.Requests() {
		if r.Path == "/robots.txt" {
			continue
		}
		if isRequisitePath(r.Path) {
			if !r.Time.Before(killedAt) {
				after[r.Path]++
			}
			continue
		}
		p := r.Path
		if r.RawQuery != "" {
			p += "?" + r.RawQuery
		}
		if r.Time.Before(killedAt) {
			before[p]++
		} else {
			after[p]++
		}
	}
	var twice []string
	for p := range after {
		if before[p] > 0 && !isRequisitePath(p) {
			twice = append(twice, p)
		}
		if after[p] > 1 {
			t.Errorf("%s fetched %d times in the second run", p, after[p])
		}
	}
	if len(twice) > 2 {
		t.Errorf("%d pages fetched by both runs (%v); only those in flight at the kill may be", len(twice), twice)
	}
	// The WARC files are whole: the open one was finished, every record reads strictly.
	files, _ := warc.Files(filepath.Join(data, "warc"))
	for _, f := range files {
		if strings.HasSuffix(f, ".open") {
			t.Errorf("%s still open", f)
		}
		if n, findings, err := warc.Check(f); err != nil || len(findings) > 0 || n == 0 {
			t.Errorf("%s: %d records, %v %v", f, n, findings, err)
		}
	}
	// Every capture points at a readable record.
	var bad int
	rows, _ := st.DB().QueryContext(ctx, "SELECT warc_file, warc_offset FROM captures WHERE warc_file != ''")
	for rows.Next() {
		var f string
		var off int64
		rows.Scan(&f, &off)
		if _, err := warc.ReadResponse(st.WARCPath(), f, off); err != nil {
			bad++
			t.Logf("%s@%d: %v", f, off, err)
		}
	}
	rows.Close()
	if bad > 0 {
		t.Errorf("%d captures point at unreadable records", bad)
	}
}
