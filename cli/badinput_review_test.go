package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tulieu/api"
	"tulieu/internal/fixturesite"
)

// These tests came from a review of what tulieu does with bad input: a
// user's mistakes on the command line and a hostile world on the wire.

// biOneLine reports whether s (stderr) is one line.
func biOneLine(s string) bool { return !strings.Contains(strings.TrimSpace(s), "\n") }

// TestBadInputCutUTF8PageIsNotMojibake: an article page declared UTF-8 whose body
// is longer than --max-body-size is cut at that size, and the cut lands in
// the middle of a multi-byte letter (as it does two times in three for
// Vietnamese text). The README says such a page is recorded, marked
// truncated, and extracted: the crawl's own cut.
//
// User saw: the article's title and body in the catalog, the search
// index and every export are mojibake ("Há»™i nghá»‹ sÆ¡ káº¿t…"): one
// incomplete letter at the very end makes extract.Decode take the whole
// page for windows-1258, overriding the charset the server declared.
// Search for the title finds nothing. They now see: the text as sent, the
// partial letter at the end dropped.
func TestBadInputCutUTF8PageIsNotMojibake(t *testing.T) {
	const title = "Hội nghị sơ kết công tác xây dựng Đảng"
	para := "<p>Sáng ngày 12/6, Đảng ủy Khối các cơ quan tỉnh Thanh Hóa tổ chức hội nghị sơ kết công tác xây dựng Đảng sáu tháng đầu năm, triển khai nhiệm vụ trọng tâm sáu tháng cuối năm.</p>\n"
	page := `<html><head><meta charset="utf-8"><title>` + title + `</title></head><body>
<div class="breadcrumb"><a href="/">Trang chủ</a> / <span>Tin tức</span></div>
<h1>` + title + `</h1><p class="date">Ngày 12/06/2026</p><div class="content">` + strings.Repeat(para, 60) + `<p>Tác giả: Lê Văn Hà</p></div></body></html>`
	// Cut inside a multi-byte letter, well after the title and the first paragraphs.
	cut := 6000
	for page[cut]&0xC0 != 0x80 {
		cut++
	}
	srv := httptest.NewServer(oneArticleMux("/tin-tuc/hoi-nghi-so-ket-55.html", page))
	t.Cleanup(srv.Close)
	data := t.TempDir()
	u := srv.URL + "/tin-tuc/hoi-nghi-so-ket-55.html"
	code, out, errOut := run(t, data, "crawl", "--site", srv.URL+"/", "--delay", "0", "--json", "--max-body-size", fmt.Sprint(cut))
	if code != ExitOK {
		t.Fatalf("crawl: exit %d %s %s", code, out, errOut)
	}
	code, js, errOut := run(t, data, "show", "--json", u)
	if code != ExitOK {
		t.Fatalf("show: exit %d %s", code, errOut)
	}
	var a api.Article
	if err := json.Unmarshal([]byte(js), &a); err != nil {
		t.Fatal(err)
	}
	if a.Title != title || !strings.HasPrefix(a.Body, "Sáng ngày 12/6, Đảng ủy Khối") {
		t.Errorf("a UTF-8 page cut at --max-body-size %d inside a letter: title %q, body %.60q; want %q and the body as sent", cut, a.Title, a.Body, title)
	}
	if r := search(t, data, "sơ kết"); r.Total != 1 {
		t.Errorf("search for a word of the title of the cut page finds %d articles, want 1", r.Total)
	}
}

// biCrawledFixture crawls the bundled imitation of the site into a new data
// directory and returns it with the site's URL.
func biCrawledFixture(t *testing.T) (string, string) {
	t.Helper()
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	return data, srv.URL + "/"
}

// TestBadInputProfileSelectorThatDoesNotParse: --profiles names a file whose
// selector is not CSS (a typo: "h1.title[[["). goquery compiles it to a
// matcher of nothing, so the profile silently does nothing.
//
// User saw: `reextract --profiles` and `crawl --profiles` exit 0 as if the
// profile had been applied ("0 changed"); the operator believes the site's
// titles now come from the profile. They now see: exit 2 and one line naming
// the file, the field and the selector that does not parse, before
// anything runs.
func TestBadInputProfileSelectorThatDoesNotParse(t *testing.T) {
	data, site := biCrawledFixture(t)
	prof := filepath.Join(t.TempDir(), "profile.json")
	os.WriteFile(prof, []byte(`{"host": "127.0.0.1", "title": "h1.title[[[", "remove": [".share >"]}`), 0o644)
	for _, args := range [][]string{
		{"reextract", "--profiles", prof},
		{"crawl", "--site", site, "--delay", "0", "--profiles", prof},
	} {
		code, _, errOut := run(t, data, args...)
		if code != ExitUsage || !strings.Contains(errOut, "h1.title[[[") || !biOneLine(errOut) {
			t.Errorf("tulieu %s with a selector that does not parse: exit %d, %q; want exit 2 and one line naming the selector",
				strings.Join(args, " "), code, strings.TrimSpace(errOut))
		}
	}
}

// TestBadInputProfileUnknownKey: a profile with a misspelt key ("titel",
// "bdy") is read as a profile with no selectors at all.
//
// User saw: exit 0, nothing changes, no word about the keys that were
// ignored. They now see: exit 2 naming the unknown key (the profile's keys
// are host, title, body, author, date, breadcrumb, remove).
func TestBadInputProfileUnknownKey(t *testing.T) {
	data, _ := biCrawledFixture(t)
	prof := filepath.Join(t.TempDir(), "profile.json")
	os.WriteFile(prof, []byte(`[{"host": "127.0.0.1", "titel": "h1.news-title", "bdy": "div.news-content"}]`), 0o644)
	code, _, errOut := run(t, data, "reextract", "--profiles", prof)
	if code != ExitUsage || !strings.Contains(errOut, "titel") || !biOneLine(errOut) {
		t.Errorf("reextract with a profile key misspelt: exit %d, %q; want exit 2 and one line naming \"titel\"", code, strings.TrimSpace(errOut))
	}
}

// TestBadInputCrawlMaxErrorRateNaN: `--max-error-rate NaN` passes the range
// check (NaN < 0 and NaN > 1 are both false), so the crawl runs with an
// error-rate bound that no rate ever exceeds: exit 5 can never happen.
// They now see: exit 2, "--max-error-rate must be between 0 and 1".
func TestBadInputCrawlMaxErrorRateNaN(t *testing.T) {
	data := t.TempDir()
	// Nothing listens there: a crawl that starts at all exits 4.
	code, _, errOut := run(t, data, "crawl", "--site", "http://127.0.0.1:1/", "--max-error-rate", "NaN", "--timeout", "2s")
	if code != ExitUsage || !strings.Contains(errOut, "--max-error-rate") {
		t.Errorf("crawl --max-error-rate NaN: exit %d, %q; want exit 2 naming --max-error-rate", code, strings.TrimSpace(errOut))
	}
}

// TestBadInputCrawlSiteWithAnImpossiblePort: `--site http://127.0.0.1:99999/`
// (a typo in the port) is taken as a site that cannot be reached.
//
// User saw: exit 4, "site unreachable … check the address and the
// network", and a failed run recorded in the archive, as if the server
// were down. They now see: exit 2, the --site value refused as a URL (its
// port is not a port), as for the other malformed --site values.
func TestBadInputCrawlSiteWithAnImpossiblePort(t *testing.T) {
	data := t.TempDir()
	code, _, errOut := run(t, data, "crawl", "--site", "http://127.0.0.1:99999/", "--timeout", "2s")
	if code != ExitUsage || !strings.Contains(errOut, "--site") || !biOneLine(errOut) {
		t.Errorf("crawl --site with port 99999: exit %d, %q; want exit 2 and one line naming --site", code, strings.TrimSpace(errOut))
	}
}

// TestBadInputCrawlUserAgentWithANewline: a --user-agent pasted with a line
// break cannot be sent as a header. User saw: exit 4 "site unreachable:
// … net/http: invalid header field value for \"User-Agent\" …; check the
// address and the network" and a failed run in the catalog. They now see:
// exit 2 naming --user-agent.
func TestBadInputCrawlUserAgentWithANewline(t *testing.T) {
	data, site := biCrawledFixture(t)
	code, _, errOut := run(t, data, "crawl", "--site", site, "--delay", "0", "--user-agent", "tulieu (archive@example.vn)\nX-Evil: 1")
	if code != ExitUsage || !strings.Contains(errOut, "--user-agent") {
		t.Errorf("crawl --user-agent with a newline: exit %d, %q; want exit 2 naming --user-agent", code, strings.TrimSpace(errOut))
	}
}

// TestBadInputRevisitCycleWithoutAdaptive: `crawl --revisit-cycle 72h` without
// `--revisit adaptive` does nothing, and even `--revisit-cycle 1h`, which
// `--revisit adaptive` refuses (at least 48h), is accepted. The tool
// refuses such flags elsewhere (serve's --site without --recrawl-every,
// show's --version without --raw). User saw: exit 0, every article asked
// every night. They now see: exit 2, "--revisit-cycle goes with --revisit
// adaptive".
func TestBadInputRevisitCycleWithoutAdaptive(t *testing.T) {
	data, site := biCrawledFixture(t)
	code, _, errOut := run(t, data, "crawl", "--site", site, "--delay", "0", "--revisit-cycle", "1h")
	if code != ExitUsage || !strings.Contains(errOut, "--revisit") {
		t.Errorf("crawl --revisit-cycle 1h without --revisit adaptive: exit %d, %q; want exit 2 naming --revisit", code, strings.TrimSpace(errOut))
	}
}

// biExecuteFor runs tulieu in-process for at most d, then cancels it, and
// returns its exit code, stderr and whether it returned on its own.
func biExecuteFor(t *testing.T, d time.Duration, args ...string) (int, string, bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut bytes.Buffer
	f := &Factory{IO: IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, Getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	go func() { done <- Execute(ctx, f, args) }()
	select {
	case code := <-done:
		return code, errOut.String(), true
	case <-time.After(d):
		cancel()
		code := <-done
		return code, errOut.String(), false
	}
}

// TestBadInputServeRecrawlChecksItsCrawlFlags: `serve --recrawl-every 24h` with a
// --site that crawl refuses at once (ftp://…) or a negative --delay starts
// and serves; the mistake shows a day later, in the log of the first
// nightly crawl. They now see: exit 2 at start, as `tulieu crawl` gives for
// the same flags.
func TestBadInputServeRecrawlChecksItsCrawlFlags(t *testing.T) {
	data, _ := biCrawledFixture(t)
	for _, bad := range [][]string{{"--site", "ftp://danguykhoithanhhoa.org.vn/"}, {"--delay", "-1s"}} {
		args := append([]string{"--data", data, "--log-level", "warn", "serve", "--addr", "127.0.0.1:0", "--recrawl-every", "24h"}, bad...)
		code, errOut, returned := biExecuteFor(t, 3*time.Second, args...)
		if !returned || code != ExitUsage || !strings.Contains(errOut, bad[0]) {
			t.Errorf("serve --recrawl-every 24h %s: returned by itself %v, exit %d, %q; want exit 2 at once naming %s",
				strings.Join(bad, " "), returned, code, strings.TrimSpace(errOut), bad[0])
		}
	}
}

// TestBadInputServeAddrWithAnImpossiblePort: `serve --addr 127.0.0.1:99999`
// exits 1 with "listen tcp: address 99999: invalid port (is another server
// using that port? choose another with --addr)": the hint sends the user
// looking for another server. They now see: exit 2 (a bad flag), saying the
// port must be a number up to 65535. `demo --addr 127.0.0.1:99999` alike
// exits 1, the README's code for an address that is taken.
func TestBadInputServeAddrWithAnImpossiblePort(t *testing.T) {
	data, _ := biCrawledFixture(t)
	code, errOut, returned := biExecuteFor(t, 5*time.Second, "--data", data, "serve", "--addr", "127.0.0.1:99999")
	if !returned || code != ExitUsage || strings.Contains(errOut, "another server") {
		t.Errorf("serve --addr 127.0.0.1:99999: exit %d, %q; want exit 2 saying the port is not a port", code, strings.TrimSpace(errOut))
	}
	// demo: exit 1, the README's code for an --addr that is taken.
	code, errOut, returned = biExecuteFor(t, 20*time.Second, "--data", t.TempDir(), "demo", "--addr", "127.0.0.1:99999")
	if !returned || code != ExitUsage {
		t.Errorf("demo --addr 127.0.0.1:99999: exit %d, %q; want exit 2 (a bad flag), not the exit 1 of a taken address", code, strings.TrimSpace(errOut))
	}
}

// TestBadInputBackupToAnEmptyName: `tulieu backup "$BACKUP_DIR"` with the
// variable unset. User saw: the whole archive copied into
// "..tulieu-partial" in the current directory, then exit 1 with "put the
// backup in place: rename ..tulieu-partial : no such file or directory".
// They now see: exit 2 at once, "backup needs a directory".
func TestBadInputBackupToAnEmptyName(t *testing.T) {
	data, _ := biCrawledFixture(t)
	t.Chdir(t.TempDir())
	code, _, errOut := run(t, data, "backup", "")
	if code != ExitUsage || strings.Contains(errOut, "rename") {
		t.Errorf("backup \"\": exit %d, %q; want exit 2 saying a directory is needed", code, strings.TrimSpace(errOut))
	}
}

// TestBadInputQueryStartingWithAnExclusion: the README's query syntax has
// `-từ` and `-"cụm từ"`; a query typed as one argument that starts with
// one (`tulieu search '-covid thanh hoa'`) is taken for flags. User saw:
// "unknown shorthand flag: 'c' in -covid thanh hoa", while the API answers
// the same q. They now see: the query run (it cannot be a flag: it holds
// spaces), or an error about the query that says to put `--` before it.
func TestBadInputQueryStartingWithAnExclusion(t *testing.T) {
	data, _ := biCrawledFixture(t)
	const q = `-"sinh viên" thanh hoa`
	code, want, errOut := run(t, data, "search", "--json", "--", q)
	if code != ExitOK {
		t.Fatalf("search -- %q: exit %d %s", q, code, errOut)
	}
	code, out, errOut := run(t, data, "search", "--json", q)
	ok := code == ExitOK && out == want ||
		code == ExitUsage && strings.Contains(errOut, "--") && !strings.Contains(errOut, "shorthand flag")
	if !ok {
		t.Errorf("search %q: exit %d, %q; want the query's results (as the API and `search -- %q` give) or an error saying to put -- before it",
			q, code, strings.TrimSpace(errOut), q)
	}
}

// TestBadInputDataIsAFile: `--data` names a regular file (a typo, or the
// catalog itself). User saw: "no archive in FILE (no catalog.sqlite): run
// `tulieu crawl` first", and that crawl then fails with "mkdir FILE: not a
// directory". They now see: one line saying FILE is a file, not a
// directory.
func TestBadInputDataIsAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "catalog.sqlite")
	os.WriteFile(file, []byte("x"), 0o644)
	code, _, errOut := run(t, file, "stats")
	if code == ExitOK || !(strings.Contains(errOut, "not a directory") || strings.Contains(errOut, "is a file")) || strings.Contains(errOut, "tulieu crawl` first") {
		t.Errorf("stats --data FILE: exit %d, %q; want an error saying %s is not a directory", code, strings.TrimSpace(errOut), file)
	}
}

// TestBadInputInvalidUTF8QueryCLIIsAPI: a query that is not valid UTF-8
// (pasted from a page in another charset, or a URL escaped by hand). The
// README: GET /api/search answers with exactly the bytes of `tulieu search
// --json`. User saw: `tulieu search --json` prints the query escaped
// ("\ufffd\ufffdthanh", as the API does) when no server runs, but written
// out ("��thanh") while `tulieu serve` runs (the CLI then asks the server,
// decodes its answer and encodes it again): the same command on the same
// archive gives different bytes depending on whether a server is up, and
// then differs from the API's. They now see: the same bytes in all three.
func TestBadInputInvalidUTF8QueryCLIIsAPI(t *testing.T) {
	data, _ := biCrawledFixture(t)
	args := []string{"search", "--json", "\xff\xfethanh"}
	code, want, errOut := run(t, data, args...)
	if code != ExitOK {
		t.Fatalf("search --json with invalid UTF-8: exit %d %s", code, errOut)
	}
	addr := startServe(t, data, ServeOptions{})
	code, body := getBody(t, "http://"+addr+"/api/search?q=%FF%FEthanh")
	if code != 200 || body != want {
		t.Errorf("GET /api/search?q=%%FF%%FEthanh: %d\n%.120s\nwant (tulieu search --json $'\\xff\\xfethanh'):\n%.120s", code, body, want)
	}
	code, got, errOut := run(t, data, args...)
	if code != ExitOK || got != want {
		t.Errorf("tulieu search --json $'\\xff\\xfethanh' while serve runs: exit %d %s\n%.120s\nwant what it printed without the server (and the API prints):\n%.120s", code, errOut, got, want)
	}
}

// TestBadInputRobotsRedirectLoop: the site answers every page, but its
// robots.txt redirects to itself (a CMS rewrite rule gone wrong). RFC 9309
// (2.3.1.2), which the README says the crawl follows: after more than five
// redirects the crawler may take robots.txt as unavailable, that is as a
// 4xx: nothing disallowed. User saw: exit 4, "site unreachable: no page
// could be fetched … (robots.txt: Get \"/robots.txt\": stopped after 10
// redirects); check the address and the network", and nothing archived,
// night after night, while the address and the network are fine. Should
// see: the crawl go on as for a missing robots.txt, or at the very least
// an error that says robots.txt redirects in a loop, not that the site is
// unreachable.
func TestBadInputRobotsRedirectLoop(t *testing.T) {
	page := `<html><head><meta charset="utf-8"><title>Hội nghị sơ kết</title></head><body>
<h1>Hội nghị sơ kết công tác xây dựng Đảng</h1><div class="content">
<p>Sáng ngày 12/6, Đảng ủy Khối các cơ quan tỉnh Thanh Hóa tổ chức hội nghị sơ kết công tác xây dựng Đảng sáu tháng đầu năm và triển khai nhiệm vụ sáu tháng cuối năm.</p>
<p>Hội nghị thống nhất các giải pháp trọng tâm trong thời gian tới và giao nhiệm vụ cho các tổ chức cơ sở đảng trực thuộc.</p></div></body></html>`
	site := oneArticleMux("/tin-tuc/hoi-nghi-so-ket-55.html", page)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.Redirect(w, r, "/robots.txt", http.StatusFound)
			return
		}
		site.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	data := t.TempDir()
	code, _, errOut := run(t, data, "crawl", "--site", srv.URL+"/", "--delay", "0")
	if code == ExitOK {
		if r := search(t, data, "sơ kết"); r.Total != 1 {
			t.Errorf("crawl with a robots.txt that redirects in a loop: exit 0 but search finds %d articles, want 1", r.Total)
		}
		return
	}
	msg := strings.ToLower(errOut)
	if strings.Contains(msg, "unreachable") || strings.Contains(msg, "check the address and the network") ||
		!strings.Contains(msg, "robots.txt") || !strings.Contains(msg, "redirect") {
		t.Errorf("crawl with a robots.txt that redirects in a loop: exit %d, %q; want the crawl to go on (RFC 9309: unavailable), or an error saying robots.txt redirects in a loop rather than that the site is unreachable",
			code, strings.TrimSpace(errOut))
	}
}

// TestBadInputExportOverTheArchive: `tulieu export --force -o FILE`
// where FILE is one of the archive's own files: the catalog (a slip of the
// shell's completion, `-o tulieu-data/c<TAB>`) or a WARC file (a user who
// means "export as WARC next to the others"). The README: "files are never
// rewritten", and backup refuses a directory inside the data directory.
//
// User saw: exit 0, "exported records=19 … to=DATA/catalog.sqlite"; every
// later command says the catalog is damaged ("file is not a database"),
// or `check` finds the WARC file's records gone: the archive is destroyed
// by an export. They now see: exit 2, the -o refused because it is inside
// the data directory, and the archive as it was.
func TestBadInputExportOverTheArchive(t *testing.T) {
	data, _ := biCrawledFixture(t)
	warcs, _ := filepath.Glob(filepath.Join(data, "warc", "*.warc.gz"))
	if len(warcs) == 0 {
		t.Fatal("no WARC file")
	}
	for _, args := range [][]string{
		{"export", "--force", "--format", "warc", "-o", warcs[0]},
		{"export", "--force", "-o", filepath.Join(data, "catalog.sqlite")},
	} {
		code, _, errOut := run(t, data, args...)
		if code != ExitUsage {
			t.Errorf("tulieu %s: exit %d, %q; want exit 2: -o is a file of the archive itself", strings.Join(args, " "), code, strings.TrimSpace(errOut))
		}
	}
	if code, _, errOut := run(t, data, "check"); code != ExitOK {
		t.Errorf("check after the exports: exit %d: %s", code, biTail(errOut, 400))
	}
	if r := search(t, data, "thanh hoa"); r.Total == 0 {
		t.Error("search finds nothing after the exports")
	}
}

func biTail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// TestBadInputExportPathsThatDoNotExist: two slips of a path on `export`.
//
// `--ids-from chon.txt` with no such file exits 1 ("could not do it"),
// while `--profiles` with no such file exits 2, and the README's export
// section says "a bad flag or query is exit 2 with one line". They now see:
// exit 2.
//
// `-o bao-cao/2020.csv` in a folder that does not exist says "export: open
// bao-cao/.2020.csv.3usulw3kk6mdn.tmp: no such file or directory": a file
// the user never named. They now see: the -o path as given, and that its
// folder does not exist.
func TestBadInputExportPathsThatDoNotExist(t *testing.T) {
	data, _ := biCrawledFixture(t)
	dir := t.TempDir()
	code, _, errOut := run(t, data, "export", "--ids-from", filepath.Join(dir, "chon.txt"), "-o", "-")
	if code != ExitUsage || !strings.Contains(errOut, "--ids-from") {
		t.Errorf("export --ids-from a file that does not exist: exit %d, %q; want exit 2 (as --profiles gives)", code, strings.TrimSpace(errOut))
	}
	out := filepath.Join(dir, "bao-cao", "2020.csv")
	code, _, errOut = run(t, data, "export", "--format", "csv", "-o", out)
	if code == ExitOK || !strings.Contains(errOut, out) || strings.Contains(errOut, ".tmp") {
		t.Errorf("export -o %s in a folder that does not exist: exit %d, %q; want an error naming %s, not a temporary file", out, code, strings.TrimSpace(errOut), out)
	}
}

// TestBadInputProfileFileNotJSON: --profiles takes JSON. A profile
// written in YAML (as most crawlers' site configs are), or a JSON file with
// a trailing comma, is refused with Go's decoder's words only: "extract:
// profiles: invalid character 'h' looking for beginning of value", "…
// invalid character ']' looking for beginning of value": neither says the
// file must be JSON, nor where in the file the mistake is. They now see: the
// file named, that it must be JSON, and the line of the mistake.
func TestBadInputProfileFileNotJSON(t *testing.T) {
	data, _ := biCrawledFixture(t)
	dir := t.TempDir()
	yaml := filepath.Join(dir, "profiles.yaml")
	os.WriteFile(yaml, []byte("host: danguykhoithanhhoa.org.vn\ntitle: h1.news-title\n"), 0o644)
	comma := filepath.Join(dir, "profiles.json")
	os.WriteFile(comma, []byte("[\n  {\"host\": \"danguykhoithanhhoa.org.vn\",\n   \"title\": \"h1.news-title\"},\n]\n"), 0o644)
	for _, c := range []struct{ file, line string }{{yaml, "line 1"}, {comma, "line 4"}} {
		code, _, errOut := run(t, data, "reextract", "--profiles", c.file)
		if code != ExitUsage || !strings.Contains(errOut, c.file) || !strings.Contains(errOut, "JSON") || !strings.Contains(errOut, c.line) {
			t.Errorf("reextract --profiles %s: exit %d, %q; want exit 2 naming the file, saying it must be JSON, and where (%s)", filepath.Base(c.file), code, strings.TrimSpace(errOut), c.line)
		}
	}
}
