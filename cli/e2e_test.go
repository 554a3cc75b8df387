package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tulieu/api"
	"tulieu/internal/fixturesite"
	"tulieu/store"
	"tulieu/warc"
)

// run executes tulieu in-process, as main does, and returns its exit code
// and what it printed.
func run(t *testing.T, dataDir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	f := &Factory{IO: IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, Getenv: func(string) string { return "" }}
	code = Execute(context.Background(), f, append([]string{"--data", dataDir, "--log-level", "warn"}, args...))
	return code, out.String(), errOut.String()
}

type crawlSummary struct {
	RunID     int64  `json:"run_id"`
	Started   string `json:"started"`
	Finished  string `json:"finished"`
	Fetched   int64  `json:"fetched"`
	New       int64  `json:"new"`
	Changed   int64  `json:"changed"`
	Unchanged int64  `json:"unchanged"`
	Deleted   int64  `json:"deleted"`
	Errors    int64  `json:"errors"`
	Bytes     int64  `json:"bytes"`
	Status    string `json:"status"`
	Note      string `json:"note"`
	// The static pages' counts.
	PagesNew       int64 `json:"pages_new"`
	PagesChanged   int64 `json:"pages_changed"`
	PagesUnchanged int64 `json:"pages_unchanged"`
	PagesDeleted   int64 `json:"pages_deleted"`
}

func crawl(t *testing.T, dataDir, site string) crawlSummary {
	t.Helper()
	code, out, errOut := run(t, dataDir, "crawl", "--site", site, "--delay", "0", "--parallel", "4", "--json")
	if code != 0 {
		t.Fatalf("crawl exited %d: %s", code, errOut)
	}
	var s crawlSummary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("crawl --json printed %q: %v", out, err)
	}
	if s.Started == "" || s.Finished == "" || s.RunID == 0 || s.Bytes == 0 {
		t.Fatalf("summary lacks fields: %s", out)
	}
	return s
}

type searchResult struct {
	Query string `json:"query"`
	Total int    `json:"total"`
	Hits  []struct {
		ID, URL, Title, Author, Category, Published, Snippet string
		Breadcrumb                                           []string
		Score                                                float64
	} `json:"hits"`
}

func search(t *testing.T, dataDir string, args ...string) searchResult {
	t.Helper()
	code, out, errOut := run(t, dataDir, append([]string{"search", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("search %v exited %d: %s", args, code, errOut)
	}
	var r searchResult
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("search --json printed %q: %v", out, err)
	}
	return r
}

type exported struct {
	ID, URL, Title, Author, Category, Published, Body, Status, SHA256 string
	FirstSeen                                                         string `json:"first_seen"`
	LastSeen                                                          string `json:"last_seen"`
	Breadcrumb                                                        []string
	Images                                                            []struct{ Src, Caption string }
	Attachments                                                       []string
	Versions                                                          int
}

func exportJSONL(t *testing.T, dataDir string, args ...string) map[string]exported {
	t.Helper()
	code, out, errOut := run(t, dataDir, append([]string{"export", "--format", "jsonl"}, args...)...)
	if code != 0 {
		t.Fatalf("export exited %d: %s", code, errOut)
	}
	recs := map[string]exported{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var e exported
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("export line %q: %v", line, err)
		}
		recs[e.URL] = e
	}
	return recs
}

// TestWholePath runs the real commands against the fixture site: crawl,
// search, show, export, re-crawl after the site changed, and reads the WARC
// files back with an independent strict reader.
func TestWholePath(t *testing.T) {
	site, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	base := srv.URL

	s1 := crawl(t, data, base+"/")
	var articles, pages int
	for _, a := range site.Articles() {
		if a.Static {
			pages++
		} else {
			articles++
		}
	}
	// The summary counts articles; the static pages apart.
	if s1.New != int64(articles) || s1.PagesNew != int64(pages) || s1.Changed != 0 || s1.Deleted != 0 {
		t.Fatalf("first crawl: %+v, want %d new articles and %d new pages", s1, articles, pages)
	}
	if site.Hits("/admin/login") != 0 || site.Hits("/tim-kiem") != 0 {
		t.Errorf("robots.txt disallows /admin/ and /tim-kiem but the crawl fetched them")
	}

	// Export: every fixture article, field by field.
	recs := exportJSONL(t, data)
	if len(recs) != articles {
		t.Errorf("export has %d records, want %d articles (static pages only with --include-pages)", len(recs), articles)
	}
	for _, a := range site.Articles() {
		if a.Static {
			continue
		}
		r, ok := recs[base+a.Path]
		if !ok {
			t.Errorf("%s missing from the export", a.Path)
			continue
		}
		want := a.Expected
		check := func(field, got, want string) {
			if got != want {
				t.Errorf("%s %s = %q, want %q", a.Path, field, got, want)
			}
		}
		check("title", r.Title, want.Title)
		check("category", r.Category, want.Category)
		check("breadcrumb", strings.Join(r.Breadcrumb, " / "), strings.Join(want.Breadcrumb, " / "))
		check("published", r.Published, want.Published)
		check("author", r.Author, want.Author)
		check("status", r.Status, "live")
		if r.Versions != 1 || r.FirstSeen == "" || r.LastSeen == "" || len(r.SHA256) != 64 || r.ID != store.ArticleID(base+a.Path) {
			t.Errorf("%s bookkeeping: %+v", a.Path, r)
		}
		for _, p := range want.BodyParagraphs {
			if !strings.Contains(r.Body, p) {
				t.Errorf("%s body lacks paragraph %q", a.Path, p)
			}
		}
		for _, chrome := range []string{"Tổng số truy cập", "Liên kết website", "Hà Văn Mao", "Các bài viết gần đây", "Trang chủ"} {
			if strings.Contains(r.Body, chrome) {
				t.Errorf("%s body holds page chrome %q", a.Path, chrome)
			}
		}
		if len(r.Attachments) != len(want.Attachments) {
			t.Errorf("%s attachments %v, want %v", a.Path, r.Attachments, want.Attachments)
		}
	}

	// Attachments linked from articles are archived.
	for _, a := range site.Articles() {
		for _, at := range a.Expected.Attachments {
			st, _ := store.Open(context.Background(), data, nil)
			caps, _ := st.Captures(context.Background(), base+at)
			st.Close()
			if len(caps) != 1 || caps[0].Status != 200 || !strings.HasPrefix(caps[0].ContentType, "application/pdf") || caps[0].WARCFile == "" {
				t.Errorf("attachment %s not archived: %+v", at, caps)
			}
		}
	}

	// Search: accents optional, tone styles unified, chrome never matches.
	for _, q := range []string{"thanh hoa", "Thanh Hóa", "THANH HOÁ"} {
		if r := search(t, data, q); r.Total < 5 {
			t.Errorf("search %q found %d articles", q, r.Total)
		}
	}
	r := search(t, data, "dai hoi dang bo khoi lan thu xv")
	if r.Total == 0 || !strings.Contains(r.Hits[0].URL, "-672.html") {
		t.Errorf("unaccented query: top hit %+v", r.Hits)
	}
	if r := search(t, data, "hòa bình"); r.Total == 0 {
		t.Errorf("new-style 'hòa bình' must find the old-style 'hoà bình' articles")
	}
	if r := search(t, data, "Hà Văn Mao"); r.Total != 0 {
		t.Errorf("a word only in the footer found %d articles", r.Total)
	}
	if r := search(t, data, "--category", "Tư liệu", "dang bo"); r.Total == 0 {
		t.Errorf("category filter found nothing")
	} else {
		for _, h := range r.Hits {
			if h.Category != "Tư liệu" {
				t.Errorf("category filter let through %q", h.Category)
			}
		}
	}

	// Show by id and by URL.
	seed := base + "/hoat-dong-cac-to-chuc-csd/nang-cao-chat-luong-sinh-hoat-dang-thong-qua-kiem-diem-danh-gia-xep-loai-to-chuc-dang-dang-vien-702.html"
	code, out, errOut := run(t, data, "show", seed)
	if code != 0 || !strings.Contains(out, "Nâng cao chất lượng sinh hoạt Đảng") || !strings.Contains(out, "ThS Đào Thị Thủy") {
		t.Errorf("show by URL: %d %s %s", code, out, errOut)
	}
	code, out, _ = run(t, data, "show", "--json", store.ArticleID(seed))
	if code != 0 || !strings.Contains(out, `"title": "Nâng cao chất lượng`) {
		t.Errorf("show --json by id: %d %s", code, out)
	}

	// CSV: BOM, header, one row per article, Vietnamese intact.
	csvPath := filepath.Join(t.TempDir(), "out.csv")
	if code, _, errOut := run(t, data, "export", "--format", "csv", "-o", csvPath, "--category", "Tư liệu"); code != 0 {
		t.Fatalf("export csv: %s", errOut)
	}
	b, _ := os.ReadFile(csvPath)
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		t.Errorf("CSV lacks the UTF-8 BOM")
	}
	rows, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+5 || rows[0][0] != "id" || rows[1][8] != "Tư liệu" {
		t.Errorf("CSV rows: %d, header %v", len(rows), rows[0])
	}

	// The site changes: one article edited, one removed, one added.
	edited := "/tin-tuc/tin-tuc-chung/day-manh-chuyen-doi-so-trong-cong-tac-xay-dung-dang-o-cac-to-chuc-co-so-dang-1024.html"
	removed := "/tin-tuc/tu-lieu/chu-tich-ho-chi-minh-voi-thanh-hoa-18.html"
	site.Edit(edited, []string{
		"Đảng ủy Khối các cơ quan tỉnh Thanh Hóa triển khai nền tảng số quản lý đảng viên, hồ sơ tổ chức đảng và sinh hoạt chi bộ trực tuyến tại tất cả các tổ chức cơ sở đảng trực thuộc.",
		"Đoạn thứ hai được bổ sung sau khi biên tập lại, nêu rõ lộ trình chuyển đổi số đến năm 2025 và trách nhiệm của cấp ủy các cấp trong việc bảo đảm an toàn thông tin."})
	site.Remove(removed, http.StatusGone)
	site.Add(fixturesite.Article{Path: "/tin-tuc/tin-tuc-chung/bai-moi-ve-cong-tac-dan-van-2001.html", Title: "Bài mới về công tác dân vận",
		DateLine: "Ngày 20/11/2026",
		Expected: fixturesite.Expected{BodyParagraphs: []string{
			"Công tác dân vận khéo được các chi bộ trong Đảng bộ Khối triển khai sâu rộng, gắn với việc thực hiện nhiệm vụ chính trị của từng cơ quan, đơn vị.",
			"Nhiều mô hình hay, cách làm sáng tạo được biểu dương và nhân rộng trong toàn Khối, góp phần củng cố niềm tin của nhân dân đối với Đảng."}}})

	s2 := crawl(t, data, base+"/")
	if s2.New != 1 || s2.Changed != 1 || s2.Deleted != 1 || s2.Unchanged != int64(articles-2) || s2.PagesUnchanged != int64(pages) {
		t.Errorf("second crawl: %+v", s2)
	}
	// Unchanged articles were answered 304 from their validators.
	var conditional int
	for _, l := range site.Requests() {
		if l.Status == http.StatusNotModified {
			conditional++
		}
	}
	if conditional < articles-2 {
		t.Errorf("only %d conditional 304 answers in the re-crawl", conditional)
	}

	code, out, _ = run(t, data, "show", "--versions", base+edited)
	if code != 0 || !strings.Contains(out, "version 2") || !strings.Contains(out, "+ Đoạn thứ hai được bổ sung") {
		t.Errorf("show --versions: %s", out)
	}
	// Each version's page as it was archived, chrome and all.
	code, out, _ = run(t, data, "show", "--raw", base+edited)
	if code != 0 || !strings.Contains(out, "Đoạn thứ hai được bổ sung") || !strings.Contains(out, "Tổng số truy cập") || !strings.Contains(out, "<html") {
		t.Errorf("show --raw: %d %.300s", code, out)
	}
	code, out, _ = run(t, data, "show", "--raw", "--version", "1", base+edited)
	if code != 0 || strings.Contains(out, "Đoạn thứ hai được bổ sung") || !strings.Contains(out, "chuyển đổi số") {
		t.Errorf("show --raw --version 1: %d %.300s", code, out)
	}
	if code, _, errOut := run(t, data, "show", "--raw", "--version", "9", base+edited); code != ExitUsage {
		t.Errorf("show --raw --version 9: %d %s", code, errOut)
	}
	recs = exportJSONL(t, data, "--include-deleted")
	if recs[base+removed].Status != "deleted" || recs[base+edited].Versions != 2 {
		t.Errorf("after re-crawl: removed %+v, edited versions %d", recs[base+removed].Status, recs[base+edited].Versions)
	}
	if _, ok := exportJSONL(t, data)[base+removed]; ok {
		t.Errorf("a deleted article is exported without --include-deleted")
	}
	if r := search(t, data, "cong tac dan van"); r.Total == 0 {
		t.Errorf("the new article is not searchable after the re-crawl")
	}
	if r := search(t, data, "Hồ Chí Minh với Thanh Hóa"); r.Total > 0 {
		for _, h := range r.Hits {
			if strings.HasSuffix(h.URL, removed) {
				t.Errorf("a deleted article is found without --include-deleted")
			}
		}
	}

	// Every WARC file passes a strict independent reader.
	files, _ := warc.Files(filepath.Join(data, "warc"))
	if len(files) != 2 {
		t.Errorf("want a WARC file per run, got %v", files)
	}
	for _, f := range files {
		if strings.HasSuffix(f, ".open") {
			t.Errorf("%s was left open", f)
		}
		n, findings, err := warc.Check(f)
		if err != nil || len(findings) > 0 || n < 10 {
			t.Errorf("%s: %d records, findings %v, %v", f, n, findings, err)
		}
		// Its CDXJ index is beside it, sorted, one line per response or revisit.
		cdx, err := os.ReadFile(f + warc.CDXJSuffix)
		lines := strings.Split(strings.TrimSpace(string(cdx)), "\n")
		if err != nil || len(lines) < 10 || !slices.IsSorted(lines) {
			t.Errorf("%s: CDXJ index missing, short or unsorted (%v, %d lines)", f, err, len(lines))
		}
	}

	// Stats and reindex agree with the catalog.
	code, out, _ = run(t, data, "stats", "--json")
	var st api.Stats
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil || st.Articles != int64(articles) || st.Deleted != 1 || st.IndexedDocs == nil || *st.IndexedDocs == 0 {
		t.Errorf("stats: %d %s", code, out)
	}
	code, out, _ = run(t, data, "reindex")
	if code != 0 || !strings.Contains(out, "reindexed") {
		t.Errorf("reindex: %d %s", code, out)
	}
	if r := search(t, data, "thanh hoa"); r.Total < 5 {
		t.Errorf("search after reindex found %d", r.Total)
	}
}

func TestBadInput(t *testing.T) {
	data := t.TempDir()
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"crawl", "--parallel", "zero"}, ExitUsage, `--parallel "zero": want a whole number`},
		{[]string{"crawl", "--site", "ftp://x/"}, ExitUsage, "want an http"},
		{[]string{"crawl", "--delay", "-1s"}, ExitUsage, "--delay"},
		{[]string{"frobnicate"}, ExitUsage, "unknown command"},
		{[]string{"search"}, ExitUsage, "needs a query"},
		{[]string{"search", "thanh hoa"}, ExitError, "run `tulieu crawl` first"},
		{[]string{"search", "--sort", "best", "x"}, ExitUsage, "--sort"},
		{[]string{"export", "--format", "xml"}, ExitUsage, "--format"},
		{[]string{"export", "--from", "30/02/2020"}, ExitUsage, "YYYY-MM-DD or DD/MM/YYYY"}, // no such day
		{[]string{"show"}, ExitUsage, "needs one article"},
		{[]string{"--log-level", "loud", "stats"}, ExitUsage, "--log-level"},
	}
	for _, c := range cases {
		code, _, errOut := run(t, data, c.args...)
		if code != c.code || !strings.Contains(errOut, c.msg) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("tulieu %v: exit %d, stderr %q; want exit %d and one line with %q", c.args, code, errOut, c.code, c.msg)
		}
	}
}

func TestUnreadableCatalog(t *testing.T) {
	data := t.TempDir()
	garbage := []byte(strings.Repeat("this is not SQLite ", 500))
	os.WriteFile(filepath.Join(data, store.CatalogFile), garbage, 0o644)
	for _, args := range [][]string{{"search", "thanh hoa"}, {"stats"}, {"crawl", "--site", "http://127.0.0.1:1/"}} {
		code, _, errOut := run(t, data, args...)
		if code != ExitError || !strings.Contains(errOut, "catalog") || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("%v on a damaged catalog: exit %d, %q", args, code, errOut)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(data, store.CatalogFile)); !bytes.Equal(b, garbage) {
		t.Error("a damaged catalog must be left as it was")
	}
}

func TestCrawlErrors(t *testing.T) {
	data := t.TempDir()
	// Unreachable: nothing listens on the port of a closed server.
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	url := srv.URL
	srv.Close()
	code, _, errOut := run(t, data, "crawl", "--site", url+"/", "--timeout", "2s")
	if code != ExitUnreachable || !strings.Contains(errOut, "unreachable") {
		t.Errorf("unreachable site: exit %d, %q", code, errOut)
	}
	// Locked: another crawl holds the data directory.
	unlock, err := store.LockCrawl(data)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	code, _, errOut = run(t, data, "crawl", "--site", url+"/")
	if code != ExitLocked || !strings.Contains(errOut, "another tulieu crawl") {
		t.Errorf("locked: exit %d, %q", code, errOut)
	}
}

func TestMalformedQuery(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	code, out, errOut := run(t, data, "search", `"sinh hoạt`)
	if code != ExitUsage || out != "" || !strings.Contains(errOut, "tulieu: ") {
		t.Errorf("unbalanced quote: exit %d, out %q, err %q", code, out, errOut)
	}
}

// A nightly job reads the logs as JSON lines and the summary as one JSON
// object on stdout.
func TestJSONLogs(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	var out, errOut bytes.Buffer
	f := &Factory{IO: IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, Getenv: func(string) string { return "" }}
	code := Execute(context.Background(), f, []string{"--data", t.TempDir(), "--log-format", "json", "--log-level", "info",
		"crawl", "--site", srv.URL + "/", "--delay", "0", "--json"})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
	if len(lines) == 0 || lines[0] == "" {
		t.Fatal("no log lines")
	}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil || m["msg"] == nil || m["level"] == nil {
			t.Errorf("log line is not a JSON record: %q", l)
		}
	}
	var sum map[string]any
	if err := json.Unmarshal(out.Bytes(), &sum); err != nil {
		t.Fatalf("stdout is not one JSON object: %q", out.String())
	}
	for _, k := range []string{"run_id", "started", "finished", "fetched", "new", "changed", "unchanged", "deleted", "errors", "bytes"} {
		if _, ok := sum[k]; !ok {
			t.Errorf("summary lacks %q", k)
		}
	}
}

// An extractor's mistakes are mended from the archive, without fetching.
func TestReextract(t *testing.T) {
	site, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	seed := srv.URL + "/hoat-dong-cac-to-chuc-csd/nang-cao-chat-luong-sinh-hoat-dang-thong-qua-kiem-diem-danh-gia-xep-loai-to-chuc-dang-dang-vien-702.html"
	// What an older, worse extractor might have left.
	st, err := store.Open(context.Background(), data, nil)
	if err != nil {
		t.Fatal(err)
	}
	db := st.DB()
	for _, q := range []string{
		"UPDATE articles SET title = 'Đảng ủy Khối các cơ quan tỉnh Thanh Hóa', author = '', content_hash = 'old' WHERE url = ?",
		"UPDATE versions SET title = 'Đảng ủy Khối các cơ quan tỉnh Thanh Hóa', author = '' WHERE article_id = (SELECT id FROM articles WHERE url = ?)",
	} {
		if _, err := db.Exec(q, seed); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	before := len(site.Requests())

	code, out, errOut := run(t, data, "reextract", "--json")
	var rep struct{ Articles, Changed, Reclassified, Failed int }
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil {
		t.Fatalf("reextract: %d %s %s", code, out, errOut)
	}
	if rep.Articles != len(site.Articles()) || rep.Changed != 1 || rep.Failed != 0 {
		t.Errorf("report %+v", rep)
	}
	if n := len(site.Requests()); n != before {
		t.Errorf("reextract fetched %d pages; it must read the archive only", n-before)
	}
	recs := exportJSONL(t, data)
	a := recs[seed]
	if !strings.HasPrefix(a.Title, "Nâng cao chất lượng sinh hoạt Đảng") || a.Author != "ThS Đào Thị Thủy - UV Ban Chấp hành Đảng bộ Trung tâm GDT" || a.Versions != 1 {
		t.Errorf("after reextract: %+v", a)
	}
	if r := search(t, data, "tieude:\"kiểm điểm\""); r.Total != 1 {
		t.Errorf("the index did not follow: %+v", r)
	}
	code, out, _ = run(t, data, "show", "--json", "--versions", seed)
	if code != 0 || !strings.Contains(out, `"title": "Nâng cao chất lượng`) || strings.Contains(out, `"title": "Đảng ủy Khối`) {
		t.Errorf("versions not re-extracted: %.400s", out)
	}
}

// Every re-crawl revalidates: a 304 capture carries the kind and the
// validators of the capture it stands for, so the crawl after it asks
// conditionally again instead of fetching everything whole.
func TestEveryRecrawlIsConditional(t *testing.T) {
	site, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	for run := 2; run <= 3; run++ {
		n := len(site.Requests())
		s := crawl(t, data, srv.URL+"/")
		notModified, requisites := 0, 0
		for _, l := range site.Requests()[n:] {
			if isRequisitePath(l.Path) || strings.HasSuffix(l.Path, ".pdf") {
				// Images, stylesheets and attached documents are
				// revalidated too.
				requisites++
				if l.Status != http.StatusNotModified {
					t.Errorf("run %d: requisite or document %s answered %d, not 304", run, l.Path, l.Status)
				}
				continue
			}
			if l.Status == http.StatusNotModified {
				notModified++
			}
		}
		if want := len(site.Articles()); notModified != want || s.Unchanged+s.PagesUnchanged != int64(want) || s.Changed != 0 || requisites == 0 {
			t.Errorf("run %d: %d answers 304 (and %d requisites) and %+v; want all %d articles and pages revalidated",
				run, notModified, requisites, s, want)
		}
	}
}

// isRequisitePath says whether a fixture-site path is an embedded image or
// stylesheet (a page requisite) rather than a page.
func isRequisitePath(p string) bool {
	for _, ext := range []string{".jpg", ".jpeg", ".png", ".gif", ".css"} {
		if strings.HasSuffix(strings.ToLower(p), ext) {
			return true
		}
	}
	return false
}

// TestCrawlErrorRate: a crawl that completes with more failed page
// requests than --max-error-rate exits 5, with its summary printed and
// everything it fetched archived; under the rate it exits 0.
func TestCrawlErrorRate(t *testing.T) {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, `<html><body><a href="/a.html">a</a> <a href="/mat-1.html">1</a> <a href="/mat-2.html">2</a> <a href="/mat-3.html">3</a></body></html>`)
		case "/a.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, `<html><body><h1>Bài viết</h1><p>Đảng bộ Khối tổ chức hội nghị.</p></body></html>`)
		default:
			http.NotFound(w, r) // broken links: failed page requests
		}
	}))
	defer site.Close()
	data := t.TempDir()
	code, out, errOut := run(t, data, "crawl", "--site", site.URL+"/", "--delay", "0", "--retries", "0", "--json")
	var sum struct {
		Status string
		Errors int
	}
	if code != ExitErrorRate || json.Unmarshal([]byte(out), &sum) != nil || sum.Status != "completed" || sum.Errors != 3 ||
		!strings.Contains(errOut, "--max-error-rate") {
		t.Errorf("3 of 5 pages failed: exit %d, %s %q", code, out, errOut)
	}
	if code, _, errOut := run(t, data, "crawl", "--site", site.URL+"/", "--delay", "0", "--retries", "0", "--max-error-rate", "0.9"); code != 0 {
		t.Errorf("under --max-error-rate 0.9: exit %d %q", code, errOut)
	}
	if code, _, _ := run(t, data, "crawl", "--site", site.URL+"/", "--max-error-rate", "10"); code != ExitUsage {
		t.Errorf("--max-error-rate 10: exit %d", code)
	}
}

// TestCrawlRevisitAdaptive: `crawl --revisit adaptive` on a catalog whose
// articles all look stable leaves some for a later night and says so, in
// the JSON summary and in the line it prints; bad values are usage errors.
func TestCrawlRevisitAdaptive(t *testing.T) {
	_, site := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	if code, _, errOut := run(t, data, "crawl", "--site", site.URL+"/", "--delay", "0"); code != 0 {
		t.Fatalf("first crawl: exit %d %q", code, errOut)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	long := time.Now().Add(-90 * 24 * time.Hour).UTC().Format(time.RFC3339Nano)
	if _, err := st.DB().Exec("UPDATE articles SET first_seen = ?, last_changed = ?", long, long); err != nil {
		t.Fatal(err)
	}
	st.Close()
	code, out, errOut := run(t, data, "crawl", "--site", site.URL+"/", "--delay", "0", "--revisit", "adaptive", "--json")
	var sum struct {
		NotDue int `json:"not_due"`
	}
	if err := json.Unmarshal([]byte(out), &sum); code != 0 || err != nil {
		t.Fatalf("adaptive crawl: exit %d %v %q", code, err, errOut)
	}
	// Each stable article is due on one night in seven: of the site's
	// articles and pages, some are left.
	if sum.NotDue == 0 || !strings.Contains(out, `"not_due":`) {
		t.Errorf("not due %d: %s", sum.NotDue, out)
	}
	code, out, _ = run(t, data, "crawl", "--site", site.URL+"/", "--delay", "0", "--revisit", "adaptive")
	if code != 0 || !strings.Contains(out, "not due (--revisit adaptive)") {
		t.Errorf("the printed summary does not say what was left: exit %d %q", code, out)
	}
	if code, out, _ := run(t, data, "stats"); code != 0 || !strings.Contains(out, "not due (--revisit adaptive)") {
		t.Errorf("stats does not say what the last crawl left: exit %d %q", code, out)
	}
	if code, out, _ := run(t, data, "stats", "--json"); code != 0 || !strings.Contains(out, `"not_due": `) {
		t.Errorf("stats --json has no not_due in last_run: exit %d %q", code, out)
	}
	for _, bad := range [][]string{{"--revisit", "sometimes"}, {"--revisit", "adaptive", "--revisit-cycle", "1h"}} {
		if code, _, errOut := run(t, data, append([]string{"crawl", "--site", site.URL + "/"}, bad...)...); code != ExitUsage || !strings.Contains(errOut, "--revisit") {
			t.Errorf("%q: exit %d %q", bad, code, errOut)
		}
	}
}
