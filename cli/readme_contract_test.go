package cli

// A review of README.md as a contract, read top to bottom by a new user.
// Each test below names the README line it holds the program to; each
// failed before the program or (where the program's behaviour was the
// better one, as said) the README was mended.

import (
	"archive/zip"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"tulieu/internal/fixturesite"
	"tulieu/store"
)

// readmeHelp returns what `tulieu <cmd> --help` prints.
func readmeHelp(t *testing.T, cmd string) string {
	t.Helper()
	code, out, errOut := run(t, t.TempDir(), cmd, "--help")
	if code != 0 {
		t.Fatalf("%s --help exited %d: %s", cmd, code, errOut)
	}
	return out
}

// readmeFlagLine returns the line of a help text's flag list that documents
// --name.
func readmeFlagLine(help, name string) string {
	re := regexp.MustCompile(`^\s+(-\w, )?--` + regexp.QuoteMeta(name) + ` `)
	for _, l := range strings.Split(help, "\n") {
		if re.MatchString(l) {
			return l
		}
	}
	return ""
}

// TestExportHelpQueryPlaceholder
//
// README (Commands): `export  [--format …] [-o FILE] [--force] [--fields LIST] [--query Q] …`
// and "`tulieu COMMAND --help` documents every flag".
//
// Instead `tulieu export --help` prints
//
//	--query tulieu search --help   only articles matching this search query (see tulieu search --help)
//
// cobra takes the first back-quoted text of a flag's usage as the name of
// its value, so the help says the flag's argument is "tulieu search --help"
// where the README says Q (a query). The usage string of --query in
// cli/export.go needs no back quotes (or a back-quoted `QUERY` first).
func TestExportHelpQueryPlaceholder(t *testing.T) {
	line := readmeFlagLine(readmeHelp(t, "export"), "query")
	if line == "" {
		t.Fatal("export --help does not document --query")
	}
	if strings.Contains(line, "--query tulieu search") {
		t.Errorf("export --help shows the value of --query as \"tulieu search --help\" (README: --query Q):\n%s", line)
	}
}

// TestCrawlHelpMaxPagesCountsPages
//
// README (crawl, Traps): "`--max-pages` bounds a run", and (Page requisites)
// images and stylesheets are "not counted in `new`/`changed`/`errors` nor
// against `--max-pages`"; the summary's `pages` "counts the pages the run was
// done with".
//
// `tulieu crawl --help` says instead: "--max-pages int  stop after this many
// requests (0 = no limit)". The program does what the README says: with
// --max-pages 5 the summary reads pages 5 but fetched 11 (robots.txt, a
// redirect and the pages' images are requests too). The help is what is
// wrong: it should say pages (articles, static pages, listings, documents),
// not requests.
func TestCrawlHelpMaxPagesCountsPages(t *testing.T) {
	line := readmeFlagLine(readmeHelp(t, "crawl"), "max-pages")
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	code, out, errOut := run(t, data, "crawl", "--site", srv.URL+"/", "--delay", "0", "--parallel", "4", "--max-pages", "5", "--json")
	if code != 0 {
		t.Fatalf("crawl --max-pages 5 exited %d: %s", code, errOut)
	}
	var s struct{ Fetched, Pages int64 }
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("summary %q: %v", out, err)
	}
	if strings.Contains(line, "requests") && s.Fetched > 5 {
		t.Errorf("crawl --help says --max-pages is %q, but --max-pages 5 made %d requests (pages %d): "+
			"the README's meaning (pages; requisites not counted) is what the program does", strings.TrimSpace(line), s.Fetched, s.Pages)
	}
}

// TestCapturesKindValues: the README's catalog schema lists every value of
// captures.kind and captures.record_type a crawl writes (it listed only
// article, page, listing, other and response, revisit; a crawl also
// writes "requisite" for images and stylesheets, "" for robots.txt and
// redirects, and record_type "" for a request that got no answer).
func TestCapturesKindValues(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	// A request that gets no answer: a start URL nobody listens on.
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL + "/"
	dead.Close()
	run(t, data, "crawl", "--site", srv.URL+"/", "--site", deadURL, "--delay", "0", "--retries", "0", "--json")

	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, store.CatalogFile)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	documented := map[string]map[string]bool{
		"kind":        {"article": true, "page": true, "listing": true, "other": true, "requisite": true, "": true},
		"record_type": {"response": true, "revisit": true, "": true},
	}
	for _, col := range []string{"kind", "record_type"} {
		rows, err := db.Query("SELECT " + col + ", count(*), min(url) FROM captures GROUP BY 1")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var v, u string
			var n int
			if err := rows.Scan(&v, &n, &u); err != nil {
				t.Fatal(err)
			}
			if !documented[col][v] {
				t.Errorf("captures.%s = %q in %d rows (e.g. %s): the README lists only %v", col, v, n, u, readmeKeys(documented[col]))
			}
		}
		rows.Close()
	}
}

func readmeKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestExportJSONLFilesKey
//
// README (export, Records): "… `files` (the attached documents with their
// text, as `show --json` gives them; in csv and xlsx each file's text under
// its `[name]`) …" — `files` is one of the record's fields, and "`--fields`
// picks and orders the columns of csv, xlsx and jsonl".
//
// A default jsonl export has no "files" key at all in the record of an
// article without attached documents (the csv of the same export has the
// column), while naming every field with --fields gives "files":[] for the
// same article: the same record, two shapes. (`show --json` and
// /api/articles/ID omit it the same way; "history" is documented as
// appearing only with --versions, "files" is not.)
func TestExportJSONLFilesKey(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	id := search(t, data, `tieude:"Các kỳ Đại hội Đảng bộ Khối"`).Hits[0].ID

	code, def, errOut := run(t, data, "export", "--format", "jsonl", "--query", `tieude:"Các kỳ Đại hội Đảng bộ Khối"`)
	if code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	all := "id,url,kind,title,author,author_name,authors,source,breadcrumb,category,published,body,images,attachments,files,first_seen,last_seen,status,versions,sha256,captured_at,warc_record_id"
	code, named, errOut := run(t, data, "export", "--format", "jsonl", "--fields", all, "--query", `tieude:"Các kỳ Đại hội Đảng bộ Khối"`)
	if code != 0 {
		t.Fatalf("export --fields: %d %s", code, errOut)
	}
	var rec map[string]json.RawMessage
	if err := json.Unmarshal([]byte(strings.TrimSpace(def)), &rec); err != nil {
		t.Fatalf("export line %q: %v", def, err)
	}
	if _, ok := rec["files"]; !ok {
		t.Errorf("the default jsonl record of %s has no \"files\" key (README lists files among the record's fields); with --fields naming every field it is:\n%s", id, strings.TrimSpace(named))
	}
	if strings.TrimSpace(def) != strings.TrimSpace(named) {
		t.Errorf("default jsonl record and the record with every field named differ:\n%s\n%s", strings.TrimSpace(def), strings.TrimSpace(named))
	}
}

// TestExportZipPageNames: md and html zips name each page
// <yyyy-mm-dd>-<slug>, and an article that gives no date <slug> alone, as
// the README now says (it promised the date on every name).
func TestExportZipPageNames(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	dated := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}-[^/]+\.(md|html)$`)
	for _, format := range []string{"md", "html"} {
		out := filepath.Join(t.TempDir(), "x."+format+".zip")
		if code, _, errOut := run(t, data, "export", "--format", format, "-o", out); code != 0 {
			t.Fatalf("export --format %s: %d %s", format, code, errOut)
		}
		zr, err := zip.OpenReader(out)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			name := f.Name
			if strings.HasPrefix(name, "images/") || strings.HasPrefix(name, "files/") || name == "index."+format || name == "tulieu-export.json" {
				continue
			}
			undated := strings.Contains(name, "-702.") // the fixture's article without a date
			if dated.MatchString(name) == undated {
				t.Errorf("%s export: page %q: want <yyyy-mm-dd>-<slug>.%s, or <slug>.%s for the undated article", format, name, format, format)
			}
		}
		zr.Close()
	}
}

// readmeCrumbSite serves one article whose breadcrumb has two levels,
// "Trang chủ / Tin tức / Tư liệu / <title>": its category is "Tư liệu", and
// "Tin tức" is only in its breadcrumb.
func readmeCrumbSite(t *testing.T) *httptest.Server {
	t.Helper()
	page := `<html><head><meta charset="utf-8"><title>Hội nghị sơ kết công tác xây dựng Đảng</title></head><body>
<div class="duongdan" id="breadcrumb"><a href="/">Trang chủ</a> / <a href="/tin-tuc">Tin tức</a> / <a href="/tin-tuc/tu-lieu">Tư liệu</a> / <span class="current">Hội nghị sơ kết công tác xây dựng Đảng 6 tháng đầu năm</span></div>
<div class="news-detail">
<h1 class="title-detail">Hội nghị sơ kết công tác xây dựng Đảng 6 tháng đầu năm</h1>
<div class="date-detail"><span class="ngaydang">Ngày 12/06/2024</span></div>
<div class="content-detail">
<p>Sáng ngày 12/6, Đảng ủy Khối các cơ quan tỉnh Thanh Hóa tổ chức hội nghị sơ kết công tác xây dựng Đảng sáu tháng đầu năm và triển khai nhiệm vụ sáu tháng cuối năm.</p>
<p>Hội nghị thống nhất các giải pháp trọng tâm trong thời gian tới và giao nhiệm vụ cho các tổ chức cơ sở đảng trực thuộc, bảo đảm hoàn thành thắng lợi nhiệm vụ năm.</p>
<p>Các đại biểu đã thảo luận sôi nổi, đóng góp nhiều ý kiến tâm huyết về công tác giáo dục chính trị tư tưởng, công tác tổ chức cán bộ và công tác kiểm tra giám sát.</p>
</div></div></body></html>`
	const link = "/tin-tuc/tu-lieu/hoi-nghi-so-ket-123.html"
	mux := oneArticleMux(link, page)
	// The breadcrumb's sections: listings of the one article.
	for _, p := range []string{"/tin-tuc", "/tin-tuc/tu-lieu"} {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><body><ul><li><a href="`+link+`">Hội nghị sơ kết công tác xây dựng Đảng</a></li></ul></body></html>`)
		})
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// TestChuyenmucIsCategoryOrBreadcrumb: chuyenmuc: searches the category or the
// breadcrumb, as search --help said and the README now says too (it said
// "in the category").
func TestChuyenmucIsCategoryOrBreadcrumb(t *testing.T) {
	srv := readmeCrumbSite(t)
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	code, out, _ := run(t, data, "show", "--json", srv.URL+"/tin-tuc/tu-lieu/hoi-nghi-so-ket-123.html")
	if code != 0 {
		t.Fatalf("the article was not archived: %s", out)
	}
	var a struct {
		Category   string
		Breadcrumb []string
	}
	json.Unmarshal([]byte(out), &a)
	if a.Category != "Tư liệu" || len(a.Breadcrumb) < 2 {
		t.Skipf("the page was not read with a two-level breadcrumb (category %q, breadcrumb %q)", a.Category, a.Breadcrumb)
	}
	r := search(t, data, `chuyenmuc:"tin tuc"`)
	if r.Total != 1 {
		t.Errorf("chuyenmuc:\"tin tuc\" finds %d article(s) of category %q (breadcrumb %q): README and search --help say chuyenmuc: is \"in the category or the breadcrumb\"",
			r.Total, a.Category, a.Breadcrumb)
	}
}

// TestArchiveAtBeforeEveryCapture: /archive?url=U&at=T shows the capture
// nearest before T and, for a T earlier than every capture, the first one
// with its banner naming its time, as the README now says (it promised
// "the nearest before at" only).
func TestArchiveAtBeforeEveryCapture(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	addr := startServe(t, data, ServeOptions{})
	before := time.Now().Add(-365 * 24 * time.Hour).UTC().Format(time.RFC3339)
	u := "http://" + addr + "/archive?url=" + url.QueryEscape(srv.URL+"/") + "&at=" + url.QueryEscape(before)
	if code, body := getBody(t, u); code != http.StatusOK || !strings.Contains(body, "tulieu-banner") {
		t.Errorf("/archive?url=U&at=%s (a year before any capture of U): %d; README: \"an at earlier than every capture gives the first one\", with its banner:\n%.300s", before, code, body)
	}
}

// TestChangesEntriesHaveDeletedAt
//
// README (changes): "`--json` prints `{"since","until","new":[…],
// "changed":[…],"deleted":[…]}`, each `{"id","url","kind","title","category",
// "published","versions","first_seen","last_changed","deleted_at"}`".
//
// The entries of "new" and "changed" have no "deleted_at" key at all (it is
// omitempty in api.Change), only those of "deleted" do; every other key the
// README lists in a JSON document is present whether empty or not (e.g.
// "published": ""). Either the key is always there ("deleted_at": "") or the
// README should say it is only in "deleted".
func TestChangesEntriesHaveDeletedAt(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	code, out, errOut := run(t, data, "changes", "--json", "--since", "24h")
	if code != 0 {
		t.Fatalf("changes: %d %s", code, errOut)
	}
	var doc struct {
		New []map[string]json.RawMessage `json:"new"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.New) == 0 {
		t.Fatal("changes --json lists nothing new after a first crawl")
	}
	want := []string{"id", "url", "kind", "title", "category", "published", "versions", "first_seen", "last_changed", "deleted_at"}
	for _, k := range want {
		if _, ok := doc.New[0][k]; !ok {
			t.Errorf("an entry of \"new\" has no %q key (README: each {%s}): %s", k, strings.Join(want, ","), mustJSON(t, doc.New[0]))
		}
	}
}

// TestMistypedDataLeavesNothing: check and reextract on a data directory
// that does not exist fail, saying so, and create nothing (they left a new
// directory holding a crawl.lock).
func TestMistypedDataLeavesNothing(t *testing.T) {
	for _, cmd := range []string{"check", "reextract"} {
		data := filepath.Join(t.TempDir(), "tulieu-dta")
		code, _, errOut := run(t, data, cmd)
		if code == 0 || !strings.Contains(errOut, "no archive") {
			t.Errorf("%s on a missing data dir: exit %d, %q", cmd, code, errOut)
		}
		if _, err := os.Stat(data); err == nil {
			t.Errorf("%s on a missing data dir created %s", cmd, data)
		}
	}
}

// TestServeCrawlFlagsNeedRecrawl: serve --site without --recrawl-every was
// accepted and crawled nothing; it is a usage error (exit 2).
func TestServeCrawlFlagsNeedRecrawl(t *testing.T) {
	code, _, errOut := run(t, t.TempDir(), "serve", "--site", "http://127.0.0.1:1/")
	if code != ExitUsage || !strings.Contains(errOut, "--recrawl-every") {
		t.Errorf("serve --site alone: exit %d, %q", code, errOut)
	}
}

// TestCIRunsTheREADMETestCommand: README ("The two commands"): the second
// runs the whole test suite, and `.ci/run` "runs exactly that test
// command". The line under "# Run the whole test suite" is a line of
// .ci/run, word for word.
func TestCIRunsTheREADMETestCommand(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	ci, err := os.ReadFile("../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "# Run the whole test suite")
	if !ok {
		t.Fatal("README has no \"# Run the whole test suite\" line")
	}
	lines := strings.SplitN(after, "\n", 3)
	if len(lines) < 2 || !strings.HasPrefix(strings.TrimSpace(lines[1]), "go test ") {
		t.Fatalf("the README's test command is not a go test line: %q", lines)
	}
	command := strings.TrimSpace(lines[1])
	for _, l := range strings.Split(string(ci), "\n") {
		if strings.TrimSpace(l) == command {
			return
		}
	}
	t.Errorf(".ci/run does not run the README's test command %q", command)
}
