package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tulieu/api"
	"tulieu/internal/fixturesite"
	"tulieu/store"
)

// TestSearchWhileServing: while `tulieu serve` holds the index, search and
// export ask it, and a crawl beside it lands in its index within seconds.
func TestSearchWhileServing(t *testing.T) {
	site, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		var out, errOut bytes.Buffer
		f := &Factory{IO: IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, DataDir: data, LogLevel: "warn", LogFormat: "text"}
		done <- runServe(ctx, f, &ServeOptions{Addr: "127.0.0.1:0", Ready: func(a string) { ready <- a }, CatchUpEvery: 100 * time.Millisecond})
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("serve: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not start")
	}

	// The CLI asks the server; results are the same shape.
	r := search(t, data, "thanh hoa")
	if r.Total < 5 || r.Hits[0].ID == "" {
		t.Fatalf("search through the server: %+v", r)
	}
	code, _, errOut := run(t, data, "search", `"chưa đóng`)
	if code != ExitUsage || !strings.Contains(errOut, "quote") {
		t.Errorf("a bad query through the server: exit %d, %q", code, errOut)
	}
	if recs := exportJSONL(t, data, "--query", "Hồ Chí Minh"); len(recs) == 0 {
		t.Error("export --query through the server found nothing")
	}
	code, _, errOut = run(t, data, "reindex")
	if code != ExitLocked || !strings.Contains(errOut, "stop it, then reindex") {
		t.Errorf("reindex while serving must refuse: %d %q", code, errOut)
	}
	// The page as archived, sandboxed, with the capture time on top.
	resp, err := http.Get("http://" + addr + "/article/" + r.Hits[0].ID + "/archived")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(raw), "Thống kê truy cập") || !strings.Contains(string(raw), "tulieu-banner") || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("archived page: %d %q %.200s", resp.StatusCode, resp.Header.Get("Content-Security-Policy"), raw)
	}
	code, out, _ := run(t, data, "stats", "--json")
	if code != 0 || !strings.Contains(out, `"indexed_documents"`) {
		t.Errorf("stats while serving (the server's count): %d %s", code, out)
	}

	// A crawl beside the server: the new article is searchable soon after.
	site.Add(fixturesite.Article{Path: "/tin-tuc/tin-tuc-chung/hoi-thao-ve-kinh-te-tuan-hoan-3001.html", Title: "Hội thảo về kinh tế tuần hoàn",
		DateLine: "Ngày 21/11/2026", Expected: fixturesite.Expected{BodyParagraphs: []string{
			"Đảng ủy Khối tổ chức hội thảo về kinh tế tuần hoàn với sự tham gia của nhiều chuyên gia và đại diện các cơ quan, đơn vị trong tỉnh.",
			"Các ý kiến tập trung vào giải pháp giảm chất thải, tái sử dụng tài nguyên và phát triển bền vững trong thời gian tới."}}})
	s := crawl(t, data, srv.URL+"/")
	if s.New != 1 {
		t.Fatalf("crawl beside the server: %+v", s)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/api/search?q=kinh+te+tuan+hoan")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var res struct{ Total int }
		json.Unmarshal(b, &res)
		if res.Total == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server's index did not take in the new article: %s", b)
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve stopped with %v", err)
	}
}

// startServe runs `tulieu serve` on data in the background until the test
// ends and returns its address.
func startServe(t *testing.T, data string, opts ServeOptions) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	opts.Addr = "127.0.0.1:0"
	opts.Ready = func(a string) { ready <- a }
	go func() {
		var out, errOut bytes.Buffer
		f := &Factory{IO: IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, DataDir: data, LogLevel: "warn", LogFormat: "text"}
		done <- runServe(ctx, f, &opts)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve stopped with %v", err)
		}
	})
	select {
	case addr := <-ready:
		return addr
	case err := <-done:
		done <- err
		t.Fatalf("serve: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not start")
	}
	return ""
}

// getBody fetches u and returns its status and body.
func getBody(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestAPIIsTheCLI: the API answers with the very bytes the CLI prints with
// --json, for the same request. The CLI's answers are taken first, from the
// index it opens itself, then the server's.
func TestAPIIsTheCLI(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	r := search(t, data, "thanh hoa")
	if len(r.Hits) == 0 {
		t.Fatal("nothing to compare")
	}
	id := r.Hits[0].ID
	type pair struct {
		cli  []string
		path string
	}
	pairs := []pair{
		{[]string{"search", "--json", "thanh", "hoa"}, "/api/search?q=thanh+hoa"},
		{[]string{"search", "--json", "--facets", "--limit", "3", "--offset", "2", "--sort", "newest", "đảng"},
			"/api/search?q=%C4%91%E1%BA%A3ng&facets=1&limit=3&offset=2&sort=newest"},
		{[]string{"search", "--json", "--category", "Tư liệu", "--from", "2000-01-01", "--include-deleted", "đại hội"},
			"/api/search?q=" + url.QueryEscape("đại hội") + "&category=" + url.QueryEscape("Tư liệu") + "&from=2000-01-01&deleted=1"},
		{[]string{"search", "--json", "khongcotu"}, "/api/search?q=khongcotu"},
		{[]string{"show", "--json", id}, "/api/articles/" + id},
		{[]string{"show", "--json", "--versions", id}, "/api/articles/" + id + "?versions=1"},
		{[]string{"stats", "--json"}, "/api/stats"},
	}
	want := make([]string, len(pairs))
	for i, p := range pairs {
		code, out, errOut := run(t, data, p.cli...)
		if code != 0 {
			t.Fatalf("%v: exit %d %s", p.cli, code, errOut)
		}
		want[i] = out
	}
	// A bound of one byte on the index's mapped pages: the server releases
	// them all every time it looks, and reads them again from the page
	// cache; its answers must not change.
	addr := startServe(t, data, ServeOptions{IndexMemory: 1})
	for round := range 3 {
		for i, p := range pairs {
			code, body := getBody(t, "http://"+addr+p.path)
			if code != 200 || body != want[i] {
				t.Errorf("round %d, GET %s: %d\n%s\nwant (tulieu %s):\n%s", round, p.path, code, body, strings.Join(p.cli, " "), want[i])
			}
		}
		time.Sleep(2 * indexMemoryCheck)
	}
	// The versions route is the history of show --versions --json.
	var rec api.Article
	json.Unmarshal([]byte(want[5]), &rec)
	var vs api.Versions
	code, body := getBody(t, "http://"+addr+"/api/articles/"+id+"/versions")
	if code != 200 || json.Unmarshal([]byte(body), &vs) != nil || vs.ID != id || len(vs.Versions) == 0 ||
		!reflect.DeepEqual(vs.Versions, rec.History) {
		t.Errorf("versions: %d %s", code, body)
	}
	// Errors are {"error": …} with a 4xx, and the CLI's usage errors.
	for _, p := range []string{"/api/search?q=%22open", "/api/search?q=x&offset=9223372036854775800", "/api/search?q=x&limit=0",
		"/api/articles/nope", "/api/nope"} {
		code, body := getBody(t, "http://"+addr+p)
		var e api.Error
		if code < 400 || code >= 500 || json.Unmarshal([]byte(body), &e) != nil || e.Error == "" {
			t.Errorf("GET %s: %d %s", p, code, body)
		}
	}
}

// TestStaleServerFile: a serve.json left by a server that is gone, or
// naming a program that is not our server, is never trusted: the CLI opens
// the index itself, removes the file, and a crawl indexes as usual.
func TestStaleServerFile(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	impostor := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Answers everything, as another program on a reused port might.
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"data_dir":"/somewhere/else","query":"x","total":0,"hits":[]}`))
	}))
	defer impostor.Close()
	// And a real tulieu server of another archive.
	other := t.TempDir()
	crawl(t, other, srv.URL+"/")
	otherAddr := startServe(t, other, ServeOptions{})
	otherInfo, err := readServerInfo(other)
	if err != nil {
		t.Fatal(err)
	}
	for _, si := range []serverInfo{
		{URL: impostor.URL, PID: 1, Token: "abc", DataDir: data},
		{URL: "http://" + otherAddr, PID: os.Getpid(), Token: otherInfo.Token, DataDir: data},
		{URL: "http://127.0.0.1:1", PID: 999999999, Token: "abc", DataDir: data},
	} {
		if err := writeServerInfo(data, si); err != nil {
			t.Fatal(err)
		}
		if r := search(t, data, "thanh hoa"); r.Total < 5 {
			t.Errorf("with serve.json naming %s: search found %d", si.URL, r.Total)
		}
		if _, err := os.Stat(filepath.Join(data, serverFile)); !os.IsNotExist(err) {
			t.Errorf("serve.json naming %s was kept: %v", si.URL, err)
		}
	}
	// The other archive's server keeps its own file.
	if _, err := readServerInfo(other); err != nil {
		t.Errorf("the other server's serve.json: %v", err)
	}
}

// TestServeThroughACrawl: while `tulieu serve` answers a steady stream of
// requests, a crawl in another process adds, changes and deletes
// articles: no request fails, and within 10 s (the server's catch-up runs
// every 5 s) search shows all three changes.
func TestServeThroughACrawl(t *testing.T) {
	site, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	r := search(t, data, "thanh hoa")
	addr := startServe(t, data, ServeOptions{})
	base := "http://" + addr

	stop := make(chan struct{})
	failures := make(chan string, 100)
	var requests atomic.Int64
	var wg sync.WaitGroup
	for i, path := range []string{"/", "/search?q=thanh+hoa", "/api/search?q=%C4%91%E1%BA%A3ng&facets=1", "/article/" + r.Hits[0].ID} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := http.Get(base + path)
				requests.Add(1)
				if err != nil {
					failures <- fmt.Sprintf("client %d: %v", i, err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					failures <- fmt.Sprintf("GET %s: %d", path, resp.StatusCode)
				}
			}
		}()
	}

	editArticle(site)
	removed := "/tin-tuc/tu-lieu/cac-ky-dai-hoi-dang-bo-khoi-10.html"
	site.Remove(removed, http.StatusNotFound)
	site.Add(fixturesite.Article{Path: "/tin-tuc/tin-tuc-chung/hoi-thao-ve-kinh-te-tuan-hoan-3001.html", Title: "Hội thảo về kinh tế tuần hoàn",
		DateLine: "Ngày 21/11/2026", Expected: fixturesite.Expected{BodyParagraphs: []string{
			"Đảng ủy Khối tổ chức hội thảo về kinh tế tuần hoàn với sự tham gia của nhiều chuyên gia và đại diện các cơ quan, đơn vị trong tỉnh.",
			"Các ý kiến tập trung vào giải pháp giảm chất thải, tái sử dụng tài nguyên và phát triển bền vững trong thời gian tới."}}})
	s := crawl(t, data, srv.URL+"/")
	if s.New != 1 || s.Changed != 1 || s.Deleted != 1 {
		t.Fatalf("the crawl beside the server: %+v", s)
	}
	crawled := time.Now()

	total := func(q string) int {
		code, body := getBody(t, base+"/api/search?q="+url.QueryEscape(q))
		var res api.Search
		if code != 200 || json.Unmarshal([]byte(body), &res) != nil {
			t.Fatalf("search %q: %d %s", q, code, body)
		}
		return int(res.Total)
	}
	for {
		added, edited, gone := total("kinh tế tuần hoàn"), total(`"đoạn văn mới được thêm vào"`), total(`tieude:"Các kỳ Đại hội Đảng bộ Khối"`)
		if added == 1 && edited == 1 && gone == 0 {
			t.Logf("the changes were searchable %v after the crawl ended", time.Since(crawled).Round(100*time.Millisecond))
			break
		}
		if time.Since(crawled) > 10*time.Second {
			t.Fatalf("10 s after the crawl: added %d, edited %d, deleted still found %d", added, edited, gone)
		}
		time.Sleep(200 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	// (Connections the client dialled and never used would hold the
	// server's graceful shutdown for 5 s.)
	http.DefaultClient.CloseIdleConnections()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
	if requests.Load() < 20 {
		t.Errorf("only %d requests were made during the crawl", requests.Load())
	}
}

// TestServeRecrawls: `serve --recrawl-every` crawls the site itself, and
// what the site adds becomes searchable without any other process.
func TestServeRecrawls(t *testing.T) {
	site, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	addr := startServe(t, data, ServeOptions{RecrawlEvery: 300 * time.Millisecond, CatchUpEvery: 100 * time.Millisecond,
		Crawl: CrawlOptions{Sites: []string{srv.URL + "/"}, UserAgent: "tulieu-test"}})
	site.Add(fixturesite.Article{Path: "/tin-tuc/tin-tuc-chung/hoi-thao-ve-kinh-te-tuan-hoan-3001.html", Title: "Hội thảo về kinh tế tuần hoàn",
		DateLine: "Ngày 21/11/2026", Expected: fixturesite.Expected{BodyParagraphs: []string{
			"Đảng ủy Khối tổ chức hội thảo về kinh tế tuần hoàn với sự tham gia của nhiều chuyên gia và đại diện các cơ quan, đơn vị trong tỉnh.",
			"Các ý kiến tập trung vào giải pháp giảm chất thải, tái sử dụng tài nguyên và phát triển bền vững trong thời gian tới."}}})
	deadline := time.Now().Add(20 * time.Second)
	for {
		code, body := getBody(t, "http://"+addr+"/api/search?q=kinh+te+tuan+hoan")
		var res api.Search
		if code == 200 && json.Unmarshal([]byte(body), &res) == nil && res.Total == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not crawl the new article in 20 s: %d %s", code, body)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if code, _, errOut := run(t, data, "serve", "--recrawl-every", "-1h"); code != ExitUsage {
		t.Errorf("--recrawl-every -1h: %d %s", code, errOut)
	}
}

// TestRecrawlWait: when serve --recrawl-every crawls next. Before, an
// archive never crawled (a new installation started with `serve
// --recrawl-every 24h`) waited a whole day for its first crawl, and so
// did one whose last crawl was killed (no end recorded), however long
// ago it began.
func TestRecrawlWait(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	at := func(h int) time.Time { return now.Add(time.Duration(h) * time.Hour) }
	for _, c := range []struct {
		name    string
		last    *store.Run
		unknown bool
		want    time.Duration
	}{
		{"never crawled", nil, false, 0},
		{"finished 2 h ago", &store.Run{Started: at(-3), Finished: at(-2)}, false, 22 * time.Hour},
		{"finished 3 days ago", &store.Run{Started: at(-73), Finished: at(-72)}, false, 0},
		{"killed, begun 30 h ago", &store.Run{Started: at(-30)}, false, 0},
		{"running now in another process, begun 1 h ago", &store.Run{Started: at(-1)}, false, 23 * time.Hour},
		{"the catalog could not say", nil, true, day},
	} {
		if got := recrawlWait(c.last, day, now, c.unknown); got != c.want {
			t.Errorf("%s: wait %s, want %s", c.name, got, c.want)
		}
	}
}
