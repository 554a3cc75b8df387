package cli

// A review of how the product handles dates and times, as a Vietnamese
// researcher or staff member meets them: publication dates given in
// Vietnam time (+07:00) on a machine that runs in UTC. Each test's comment
// tells what happened before its fix: what a user does, what they got,
// and what they should get. The sites are nightSite (moves_review_test.go).

import (
	"archive/zip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// datesReviewBody is an article's text, long enough to be read as one.
const datesReviewBody = `<p>Đảng ủy Khối các cơ quan tỉnh Thanh Hóa tổ chức hội nghị để đánh giá kết quả thực hiện nhiệm vụ chính trị trong năm và đề ra phương hướng nhiệm vụ cho thời gian tới, với sự tham dự của các đồng chí trong Ban Thường vụ.</p>
<p>Hội nghị đã thảo luận sôi nổi, thống nhất các giải pháp trọng tâm và giao nhiệm vụ cụ thể cho các tổ chức cơ sở đảng trực thuộc Đảng bộ Khối %s.</p>`

// datesReviewSite is a site of the party's layout with one article per date
// line given (the date as the page prints it, in Vietnam time without an
// offset), crawled into a new data directory.
func datesReviewSite(t *testing.T, dates map[string]string) (data string, s *nightSite) {
	t.Helper()
	s = newNightSite(t)
	var paths []string
	for slug, date := range dates {
		p := movedSection + slug + ".html"
		paths = append(paths, p)
		s.article(p, "Hội nghị "+strings.ReplaceAll(slug, "-", " "), "", date, strings.Replace(datesReviewBody, "%s", slug, 1))
	}
	s.listing(paths...)
	data = t.TempDir()
	crawl(t, data, s.url("/"))
	return data, s
}

// TestExportProvenanceStatesTheDaysSelected: a staff member exports one
// day's articles and files the export with its provenance, which says
// what was selected.
//
// User does: `tulieu export --from 06/12/2026 --to 06/12/2026 -o
// ngay-6-12.jsonl` on an archive holding two articles of that day, one
// published at 03:00 and one at 23:30 (Vietnam time, as the site prints
// them).
// User gets: both articles (right: the filter takes the whole Vietnamese
// day), but ngay-6-12.jsonl.meta.json records the selection as
// "from": "2026-12-06T00:00:00Z", "to": "2026-12-06T00:00:00Z": moments
// in UTC, that is 07:00 on 6 December in Vietnam for both ends. Read as
// written, the file holds nothing (from = to, a single instant) and its
// two records lie outside it (03:00 is before 07:00, 23:30 after). The
// same JSON is what the xlsx's "Nguồn" sheet (beside "Giờ Việt Nam (UTC+7)")
// and the md/html zips' tulieu-export.json record; the md index, by
// contrast, says "đăng từ ngày 06/12/2026; đăng đến ngày 06/12/2026".
// Should get: provenance that states the selection the records were
// chosen by (README: "FILE.meta.json records what produced it: the
// format, the selection, …"; `--from`/`--to` take a day): the days
// themselves ("2026-12-06"), or moments that do contain the records.
func TestExportProvenanceStatesTheDaysSelected(t *testing.T) {
	data, _ := datesReviewSite(t, map[string]string{
		"som-101":   "06/12/2026 03:00",
		"dem-102":   "06/12/2026 23:30",
		"sau-103":   "07/12/2026 08:00",
		"truoc-104": "05/12/2026 15:00",
	})
	out := filepath.Join(t.TempDir(), "ngay-6-12.jsonl")
	code, _, errOut := run(t, data, "export", "--from", "06/12/2026", "--to", "06/12/2026", "-o", out)
	if code != 0 {
		t.Fatalf("export exited %d: %s", code, errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var pubs []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var r struct{ Published string }
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("export line %q: %v", line, err)
		}
		pubs = append(pubs, r.Published)
	}
	if len(pubs) != 2 {
		t.Fatalf("export --from 06/12/2026 --to 06/12/2026 gave %d records (%v); want the 2 articles of that day (the test's premise)", len(pubs), pubs)
	}
	mb, err := os.ReadFile(out + ".meta.json")
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Selection struct{ From, To string }
	}
	if err := json.Unmarshal(mb, &meta); err != nil {
		t.Fatalf("meta.json: %v: %s", err, mb)
	}
	ict := time.FixedZone("ICT", 7*3600)
	// within says whether the record published at p lies on the side of
	// the bound v that the provenance claims.
	within := func(v, p string, lower bool) bool {
		pt, err := time.Parse(time.RFC3339, p)
		if err != nil {
			t.Fatalf("record's published %q: %v", p, err)
		}
		if d, err := time.Parse(time.DateOnly, v); err == nil {
			day := pt.In(ict).Format(time.DateOnly)
			if lower {
				return day >= d.Format(time.DateOnly)
			}
			return day <= d.Format(time.DateOnly)
		}
		bt, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return false
		}
		if lower {
			return !pt.Before(bt)
		}
		return !pt.After(bt)
	}
	for _, p := range pubs {
		if !within(meta.Selection.From, p, true) {
			t.Errorf("meta.json says the selection is from %q, yet it holds the article published %s (Vietnam time %s): the provenance misstates the day selected, by the 7 hours between UTC and Vietnam",
				meta.Selection.From, p, mustVN(t, p))
		}
		if !within(meta.Selection.To, p, false) {
			t.Errorf("meta.json says the selection is up to %q, yet it holds the article published %s (Vietnam time %s): --to is an inclusive day, the provenance names one instant at its start, in UTC",
				meta.Selection.To, p, mustVN(t, p))
		}
	}
}

func mustVN(t *testing.T, p string) string {
	t.Helper()
	pt, err := time.Parse(time.RFC3339, p)
	if err != nil {
		t.Fatal(err)
	}
	return pt.In(time.FixedZone("ICT", 7*3600)).Format("15:04 02/01/2006")
}

// TestXlsxWorkbookNotLastModifiedIn2006: a staff member opens the
// spreadsheet an export wrote and looks at when it was made (Excel's
// File › Info, or the file manager's "Date last saved" of an Office
// file, both read the workbook's document properties).
//
// User does: `tulieu export -o bai-viet.xlsx`.
// User gets: docProps/core.xml says created now (2026…) and
// dcterms:modified 2006-09-16T00:00:00Z, excelize's template default that
// xlsxWriter.start leaves in place when it sets only Created: the
// workbook claims it was last modified twenty years before it was made.
// Should get: a modified time that is the export's own (not before its
// created time), as the "Nguồn" sheet's created is.
func TestXlsxWorkbookNotLastModifiedIn2006(t *testing.T) {
	data, _ := datesReviewSite(t, map[string]string{"dem-102": "06/12/2026 23:30"})
	out := filepath.Join(t.TempDir(), "bai-viet.xlsx")
	before := time.Now().Add(-time.Minute)
	if code, _, errOut := run(t, data, "export", "-o", out); code != 0 {
		t.Fatalf("export exited %d: %s", code, errOut)
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var core string
	for _, f := range zr.File {
		if f.Name == "docProps/core.xml" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			core = string(b)
		}
	}
	if core == "" {
		t.Fatal("the workbook has no docProps/core.xml")
	}
	prop := func(name string) time.Time {
		m := regexp.MustCompile(`<dcterms:` + name + `[^>]*>([^<]*)</dcterms:` + name + `>`).FindStringSubmatch(core)
		if m == nil {
			t.Fatalf("docProps/core.xml has no dcterms:%s: %s", name, core)
		}
		v, err := time.Parse(time.RFC3339, m[1])
		if err != nil {
			t.Fatalf("dcterms:%s %q: %v", name, m[1], err)
		}
		return v
	}
	created, modified := prop("created"), prop("modified")
	if created.Before(before) {
		t.Fatalf("dcterms:created %v is not the export's time (the test's premise)", created)
	}
	if modified.Before(created) || modified.Before(before) {
		t.Errorf("the exported workbook says it was last modified %s (dcterms:modified), before it was created %s: Excel and the file manager show a date of %d to whoever files it",
			modified.Format(time.RFC3339), created.Format(time.RFC3339), modified.Year())
	}
}

// TestExportQueryOldestWhileServing: the office server runs `tulieu
// serve` all day (contrib/systemd/tulieu-serve.service); a researcher
// exports the articles of a search, oldest first, to read them in order.
//
// User does: `tulieu export --query "hội nghị" --sort oldest --format
// csv --fields published,title -o -` while `tulieu serve` holds the index.
// User gets: the newest first, as without --sort oldest. An export by
// query reads the matches from the server's /api/ids while it holds the
// index, and remoteSearcher.MatchIDs (cli/remote.go) sends the query,
// category, author, dates and deleted switch, but not the sort: the
// server lists them newest first. The same command without the server
// running gives them oldest first.
// Should get: the oldest published first (README, export: "Articles come
// newest published first, oldest first with --sort oldest"), whoever
// holds the index.
func TestExportQueryOldestWhileServing(t *testing.T) {
	data, _ := datesReviewSite(t, map[string]string{
		"mot-101": "05/12/2026 09:00",
		"hai-102": "06/12/2026 23:30",
		"ba-103":  "07/12/2026 00:15",
	})
	order := func(out string) []string {
		var got []string
		for _, line := range strings.Split(strings.TrimSpace(strings.TrimPrefix(out, "\ufeff")), "\n")[1:] {
			got = append(got, strings.TrimSpace(strings.SplitN(line, ",", 2)[0]))
		}
		return got
	}
	args := []string{"export", "--query", "hội nghị", "--sort", "oldest", "--format", "csv", "--fields", "published,title", "-o", "-"}
	code, alone, errOut := run(t, data, args...)
	if code != 0 {
		t.Fatalf("export exited %d: %s", code, errOut)
	}
	want := order(alone)
	if len(want) != 3 || want[0] != "2026-12-05T09:00:00+07:00" || want[2] != "2026-12-07T00:15:00+07:00" {
		t.Fatalf("export --query --sort oldest without a server: %v; want the 3 articles oldest first (the test's premise)", want)
	}
	startServe(t, data, ServeOptions{})
	code, served, errOut := run(t, data, args...)
	if code != 0 {
		t.Fatalf("export while serving exited %d: %s", code, errOut)
	}
	if got := order(served); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("export --query \"hội nghị\" --sort oldest while `tulieu serve` runs: published %v; want oldest first %v, as without the server", got, want)
	}
}
