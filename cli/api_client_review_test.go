package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tulieu/api"
)

// These tests come from a review by a developer who scripts the JSON API
// and the CLI's --json. Each test's comment tells what happened before its
// fix (in the present tense of the review) and what should happen, which
// the test holds.

// apiClientArticlePage is an article page the extractor reads as one.
func apiClientArticlePage(title, lead string) string {
	return `<html><head><meta charset="utf-8"><title>` + title + `</title></head><body>
<div class="news-detail"><h1 class="title-detail">` + title + `</h1>
<div class="date-detail"><span class="ngaydang">Ngày 12/06/2024</span></div>
<div class="content-detail">
<p>` + lead + ` Đảng ủy Khối các cơ quan tỉnh Thanh Hóa tổ chức hội nghị sơ kết công tác xây dựng Đảng sáu tháng đầu năm.</p>
<p>Hội nghị thống nhất các giải pháp trọng tâm trong thời gian tới và giao nhiệm vụ cho các tổ chức cơ sở đảng trực thuộc.</p>
<p>Các đại biểu đã thảo luận sôi nổi, đóng góp nhiều ý kiến tâm huyết về công tác giáo dục chính trị tư tưởng.</p>
</div></div></body></html>`
}

// apiClientChanges asks GET /api/changes?since=since of the server at addr.
func apiClientChanges(t *testing.T, addr, since string) api.Changes {
	t.Helper()
	code, body := getBody(t, "http://"+addr+"/api/changes?since="+url.QueryEscape(since))
	var ch api.Changes
	if code != 200 || json.Unmarshal([]byte(body), &ch) != nil {
		t.Fatalf("GET /api/changes?since=%s: %d %s", since, code, body)
	}
	return ch
}

func apiClientListed(ch api.Changes, id string) bool {
	for _, l := range [][]api.Change{ch.New, ch.Changed, ch.Deleted} {
		for _, c := range l {
			if c.ID == id {
				return true
			}
		}
	}
	return false
}

// TestAPIClientPollingChangesMissesNothing: a script polls GET /api/changes
// while the nightly crawl runs beside `tulieu serve`, each time with
// since= the "until" of the report before (the README: "until, the time
// of each report"), and feeds every new article to another system. One
// article's server is slow: it takes a few seconds to send the page.
// What happens: the article is recorded with first_seen = the moment its
// request *started* (crawler/recorder.go takes `at` before RoundTrip and
// page.go records the article with f.last.At), but it is written to the
// catalog only once its body has arrived. A report made meanwhile does not
// list it (it is not in the catalog yet) and its "until" is later than
// that first_seen, so the next report, since that "until", does not list
// it either: the article is in no report at all. What should happen:
// every article appears in at least one report of an unbroken chain of
// since=previous until (a report's until must not pass anything not yet
// written, or what a report lists must be chosen by when it was written,
// not when its request began).
func TestAPIClientPollingChangesMissesNothing(t *testing.T) {
	var slowOn atomic.Bool
	started := make(chan struct{}, 1)
	release := make(chan struct{})
	const slowPath = "/tin-tuc/bai-viet-cham-77.html"
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			links := `<a href="/tin-tuc/bai-viet-1.html">Bài một</a>`
			if slowOn.Load() {
				links += ` <a href="` + slowPath + `">Bài chậm</a>`
			}
			fmt.Fprint(w, `<html><body>`+links+`</body></html>`)
		case "/tin-tuc/bai-viet-1.html":
			fmt.Fprint(w, apiClientArticlePage("Hội nghị sơ kết công tác xây dựng Đảng", "Sáng ngày 12/6,"))
		case slowPath:
			select {
			case started <- struct{}{}:
			default:
			}
			<-release // the site is slow to answer this one
			fmt.Fprint(w, apiClientArticlePage("Hội nghị tổng kết công tác kiểm tra giám sát", "Chiều ngày 12/6,"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()
	var once atomic.Bool
	defer func() {
		if once.CompareAndSwap(false, true) {
			close(release)
		}
	}()

	data := t.TempDir()
	crawl(t, data, site.URL+"/")
	addr := startServe(t, data, ServeOptions{})

	// The script's first report, before tonight's crawl.
	prev := apiClientChanges(t, addr, "1h").Until
	reports := []api.Changes{}

	slowOn.Store(true)
	done := make(chan int, 1)
	go func() {
		code, _, _ := run(t, data, "crawl", "--site", site.URL+"/", "--delay", "0", "--parallel", "4", "--json")
		done <- code
	}()
	select {
	case <-started:
	case <-time.After(30 * time.Second):
		t.Fatal("the crawl never asked for the slow article")
	}
	// The script polls while the slow page is on its way (a second later:
	// reports are to the second).
	time.Sleep(1100 * time.Millisecond)
	ch := apiClientChanges(t, addr, prev)
	reports = append(reports, ch)
	prev = ch.Until
	once.Store(true)
	close(release)
	if code := <-done; code != 0 {
		t.Fatalf("the crawl exited %d", code)
	}
	// And polls again after the crawl.
	time.Sleep(1100 * time.Millisecond)
	reports = append(reports, apiClientChanges(t, addr, prev))

	id := ""
	code, out, errOut := run(t, data, "show", "--json", site.URL+slowPath)
	var a api.Article
	if code != 0 || json.Unmarshal([]byte(out), &a) != nil {
		t.Fatalf("show the slow article: exit %d %s", code, errOut)
	}
	id = a.ID
	for _, r := range reports {
		if apiClientListed(r, id) {
			return
		}
	}
	var chain []string
	for _, r := range reports {
		chain = append(chain, fmt.Sprintf("since %s until %s: %d new", r.Since, r.Until, len(r.New)))
	}
	t.Errorf("the article %s (first_seen %s) is in no report of the chain since=previous until:\n  %s",
		id, a.FirstSeen, strings.Join(chain, "\n  "))
}

// TestAPIClientStatsDataDirIsTheArchive: an administrator starts the server
// from the data's parent directory (`cd /var/lib && tulieu --data tulieu
// serve`, or a unit with WorkingDirectory=); a script reads GET /api/stats
// (or runs `tulieu --data /var/lib/tulieu stats --json` from its own
// directory) and uses "data_dir" to find the archive (for a backup, a
// `tulieu --data DIR check`). What happens: /api/stats answers the data
// directory as the server was given it, relative to the server's working
// directory ("tulieu"), and `stats --json`, which asks the running server,
// prints that relative name although it was given the absolute one, and
// prints the absolute one when no server runs: the same command, two
// documents. What should happen: "data_dir" is the absolute data directory
// (serve.json and /api/instance already say it so: cli/serve.go makes
// dataDir absolute but passes st, with its relative Dir, to api.NewStats).
func TestAPIClientStatsDataDirIsTheArchive(t *testing.T) {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/":
			fmt.Fprint(w, `<html><body><a href="/tin-tuc/bai-viet-1.html">Bài một</a></body></html>`)
		case "/tin-tuc/bai-viet-1.html":
			fmt.Fprint(w, apiClientArticlePage("Hội nghị sơ kết công tác xây dựng Đảng", "Sáng ngày 12/6,"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()
	parent := t.TempDir()
	data := filepath.Join(parent, "tulieu-data")
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	crawl(t, data, site.URL+"/")
	code, alone, errOut := run(t, data, "stats", "--json")
	if code != 0 {
		t.Fatalf("stats --json: exit %d %s", code, errOut)
	}
	t.Chdir(parent)
	addr := startServe(t, "tulieu-data", ServeOptions{})
	status, body := getBody(t, "http://"+addr+"/api/stats")
	var st api.Stats
	if status != 200 || json.Unmarshal([]byte(body), &st) != nil {
		t.Fatalf("GET /api/stats: %d %s", status, body)
	}
	if st.DataDir != data {
		t.Errorf("GET /api/stats: data_dir %q; want the archive's absolute directory %q (as serve.json and /api/instance give it)", st.DataDir, data)
	}
	var a, b api.Stats
	_, through, _ := run(t, data, "stats", "--json")
	json.Unmarshal([]byte(alone), &a)
	json.Unmarshal([]byte(through), &b)
	if a.DataDir != b.DataDir {
		t.Errorf("tulieu --data %s stats --json: data_dir %q with no server, %q while the server runs", data, a.DataDir, b.DataDir)
	}
}
