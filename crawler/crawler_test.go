package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"tulieu/store"
	"tulieu/warc"
)

// testSite is a small hostile-enough site: pages that change, vanish,
// stall, lie about their type and inflate.
type testSite struct {
	mu      sync.Mutex
	pages   map[string]string // path -> body paragraph text
	gone    map[string]int
	hits    map[string]int
	condHit map[string]int // conditional requests answered 304
}

func newTestSite() *testSite {
	return &testSite{
		pages: map[string]string{
			"/tin-tuc/a-1.html": "Hội nghị Ban Chấp hành Đảng bộ Khối lần thứ nhất đã diễn ra tại Thanh Hóa với sự tham dự của các đồng chí.",
			"/tin-tuc/b-2.html": "Đảng bộ Sở Y tế lãnh đạo thực hiện nhiệm vụ bảo vệ, chăm sóc và nâng cao sức khỏe nhân dân trong tỉnh.",
			"/tin-tuc/c-3.html": "Chi bộ tổ chức sinh hoạt chuyên đề về học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
			"/tin-tuc/d-4.html": "Ban Thường vụ Đảng ủy Khối kiểm tra công tác lãnh đạo, chỉ đạo tại các tổ chức cơ sở đảng trực thuộc.",
		},
		gone: map[string]int{}, hits: map[string]int{}, condHit: map[string]int{},
	}
}

var counter int

// gzipBomb is 16 MiB of zeros that travel as a few KiB: more than the 1 MiB
// page limit the tests set, so the crawler must cut it while inflating.
var gzipBomb = sync.OnceValue(func() []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write([]byte("<html><body><p>"))
	zw.Write(make([]byte, 16<<20))
	zw.Close()
	return buf.Bytes()
})

func (s *testSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits[r.URL.Path]++
	counter++
	switch r.URL.Path {
	case "/robots.txt":
		fmt.Fprint(w, "User-agent: *\nDisallow: /admin/\n")
		return
	case "/":
		var links strings.Builder
		for p := range s.pages {
			fmt.Fprintf(&links, `<li><a href="%s?utm_source=home#top">%s</a></li>`, p, p)
		}
		// The same article again, by a session id and by its print
		// version (which names the article as canonical).
		links.WriteString(`<li><a href="/tin-tuc/a-1.html;jsessionid=ABC123">a</a></li><li><a href="/tin-tuc/a-1.html?PHPSESSID=f00">a</a></li>`)
		links.WriteString(`<li><a href="/ban-in/tin-tuc/a-1.html">Bản in</a></li>`)
		fmt.Fprintf(w, `<html><head><meta charset="utf-8"><title>Trang chủ</title></head><body>
<ul class="menu"><li><a href="/">Trang chủ</a></li><li><a href="/admin/login">Quản trị</a></li>
<li><a href="mailto:a@b.c">Thư</a></li><li><a href="javascript:void(0)">JS</a></li><li><a href="http://elsewhere.example/">Khác</a></li>
<li><a href="/bomb.html">bomb</a></li><li><a href="/big.html">big</a></li><li><a href="/binary.html">binary</a></li><li><a href="/stall.html">stall</a></li><li><a href="/redirect-1">redirect</a></li></ul>
<ul class="news">%s</ul><div>Tổng số truy cập: %d</div></body></html>`, links.String(), counter)
		return
	case "/admin/login":
		fmt.Fprint(w, "<html><body>admin</body></html>")
		return
	case "/bomb.html":
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gzipBomb())
		return
	case "/big.html":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<html><body><p>"))
		w.Write(bytes.Repeat([]byte("Đảng bộ Khối. "), 100000)) // 1.7 MB, over the 1 MiB test limit
		return
	case "/binary.html":
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("%PDF-1.4\x00\x01\x02\x03 binary stuff\x00"))
		return
	case "/stall.html":
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(200)
		w.Write([]byte("<html><body><p>start"))
		w.(http.Flusher).Flush()
		s.mu.Unlock()
		time.Sleep(3 * time.Second)
		s.mu.Lock()
		return
	case "/redirect-1":
		http.Redirect(w, r, "/redirect-2", http.StatusMovedPermanently)
		return
	case "/redirect-2":
		http.Redirect(w, r, "/tin-tuc/a-1.html", http.StatusFound)
		return
	}
	if st, ok := s.gone[r.URL.Path]; ok {
		http.Error(w, "gone", st)
		return
	}
	canonical := strings.TrimPrefix(r.URL.Path, "/ban-in")
	text, ok := s.pages[canonical]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.URL.Path == "/tin-tuc/d-4.html" {
		// This one validates by date only.
		lm := time.Date(2020, 2, 28, 8, 0, 0, 0, time.UTC).Format(http.TimeFormat)
		w.Header().Set("Last-Modified", lm)
		if r.Header.Get("If-Modified-Since") == lm {
			s.condHit[r.URL.Path]++
			w.WriteHeader(http.StatusNotModified)
			return
		}
	} else {
		etag := fmt.Sprintf(`"%x"`, len(text)*31+int(text[len(text)-2]))
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			s.condHit[r.URL.Path]++
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<html><head><meta charset="utf-8"><title>Bài %[1]s - Đảng ủy Khối</title>
<link rel="canonical" href="%[4]s"></head><body>
<div class="breadcrumb"><a href="/">Trang chủ</a> / <a href="/tin-tuc">Tin tức chung</a> / Bài %[1]s</div>
<h1 class="title">Bài %[1]s</h1><div class="date">Ngày 28/02/2020</div>
<div class="content"><p>%[2]s</p><p>%[2]s Đoạn thứ hai tiếp tục nội dung của bài viết này.</p><p>%[2]s Đoạn thứ ba.</p></div>
<div>Thống kê truy cập: Tổng số truy cập: %[3]d</div></body></html>`, canonical, text, counter, canonical)
}

func crawlOnce(t *testing.T, dataDir string, site string, opts Options) *Summary {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dataDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w, err := warc.NewWriter(st.WARCPath(), warc.WriterOptions{Software: "tulieu-test"})
	if err != nil {
		t.Fatal(err)
	}
	opts.Sites = []string{site}
	if opts.Parallel == 0 {
		opts.Parallel = 4
	}
	if opts.Timeout == 0 {
		opts.Timeout = time.Second
	}
	if opts.RetryBase == 0 {
		opts.RetryBase = 10 * time.Millisecond // retries as the crawl makes them, without the wait
	}
	sum, err := New(st, w, slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))).Run(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return sum
}

func TestCrawlArchivesAndIsIncremental(t *testing.T) {
	site := newTestSite()
	gzipBomb() // build it before the clock starts
	srv := httptest.NewServer(site)
	defer srv.Close()
	dir := t.TempDir()

	sum := crawlOnce(t, dir, srv.URL+"/", Options{MaxBodySize: 1 << 20, MaxRetries: 1, RetryBase: 10 * time.Millisecond})
	if sum.New != 4 || sum.Status != store.RunCompleted {
		t.Fatalf("first crawl: %+v", sum)
	}
	site.mu.Lock()
	if site.hits["/admin/login"] != 0 {
		t.Error("robots.txt disallows /admin/ but it was fetched")
	}
	if site.hits["/tin-tuc/a-1.html"] != 1 {
		t.Errorf("a-1 fetched %d times: tracking and session parameters and redirects must not duplicate it", site.hits["/tin-tuc/a-1.html"])
	}
	if site.hits["/robots.txt"] != 1 {
		t.Errorf("robots.txt fetched %d times, want once", site.hits["/robots.txt"])
	}
	site.mu.Unlock()

	ctx := context.Background()
	st, _ := store.Open(ctx, dir, nil)
	arts, _ := st.Articles(ctx, store.Filter{})
	if len(arts) != 4 { // the print version is the same article: its canonical URL says so
		t.Fatalf("articles: %d", len(arts))
	}
	for _, a := range arts {
		if strings.Contains(a.Body, "truy cập") {
			t.Errorf("the visitor counter leaked into %s: %q", a.URL, a.Body)
		}
		if a.Published != "2020-02-28" {
			t.Errorf("%s published %q", a.URL, a.Published)
		}
	}
	// The gzip bomb was cut at the limit and marked truncated; the binary
	// served as text/html was archived but is not an article.
	bomb, _ := st.Captures(ctx, srv.URL+"/bomb.html")
	if len(bomb) != 1 || bomb[0].Truncated != "length" {
		t.Errorf("gzip bomb capture: %+v", bomb)
	}
	big, _ := st.Captures(ctx, srv.URL+"/big.html")
	if len(big) != 1 || big[0].Truncated != "length" || big[0].Length != 1<<20 {
		t.Errorf("page over the size limit: %+v", big)
	} else if rec, err := warc.ReadResponse(st.WARCPath(), big[0].WARCFile, big[0].WARCOffset); err != nil || rec.Status != 200 {
		t.Errorf("truncated record unreadable: %v", err)
	}
	bin, _ := st.Captures(ctx, srv.URL+"/binary.html")
	if len(bin) != 1 || bin[0].Kind != "other" || bin[0].WARCFile == "" {
		t.Errorf("binary capture: %+v", bin)
	}
	// The stalled page was cut by the timeout at each try (each cut copy
	// archived as it arrived), and counted as an error, not a page.
	stall, _ := st.Captures(ctx, srv.URL+"/stall.html")
	if len(stall) < 2 {
		t.Errorf("stalled page must be tried again: %+v", stall)
	}
	for _, c := range stall {
		if c.Truncated != "time" && c.Error == "" {
			t.Errorf("stalled page must be cut by the timeout: %+v", c)
		}
	}
	if sum.Errors < 1 {
		t.Errorf("the stalled page is not counted as an error: %+v", sum)
	}
	redirect, _ := st.Captures(ctx, srv.URL+"/redirect-1")
	if len(redirect) != 1 || redirect[0].Status != 301 || redirect[0].Location != "/redirect-2" {
		t.Errorf("redirect hop must be archived: %+v", redirect)
	}
	st.Close()

	// Second crawl: one article edited, one gone, one unchanged (304).
	site.mu.Lock()
	site.pages["/tin-tuc/b-2.html"] += " Nội dung bổ sung sau khi sửa."
	site.gone["/tin-tuc/c-3.html"] = http.StatusGone
	delete(site.pages, "/tin-tuc/c-3.html")
	site.mu.Unlock()
	sum2 := crawlOnce(t, dir, srv.URL+"/", Options{MaxBodySize: 1 << 20, MaxRetries: 1, RetryBase: 10 * time.Millisecond})
	// a-1 and d-4 unchanged by 304; the print version's 304 is not counted
	// again: it is the same article.
	if sum2.New != 0 || sum2.Changed != 1 || sum2.Unchanged != 2 || sum2.Deleted != 1 {
		t.Fatalf("second crawl: %+v", sum2)
	}
	site.mu.Lock()
	if site.condHit["/tin-tuc/a-1.html"] != 1 {
		t.Errorf("a-1 should have been answered 304 once, got %d", site.condHit["/tin-tuc/a-1.html"])
	}
	if site.condHit["/tin-tuc/d-4.html"] != 1 {
		t.Errorf("d-4 should have been answered 304 to If-Modified-Since, got %d", site.condHit["/tin-tuc/d-4.html"])
	}
	site.mu.Unlock()

	st, _ = store.Open(ctx, dir, nil)
	defer st.Close()
	c3, err := st.Article(ctx, srv.URL+"/tin-tuc/c-3.html")
	if err != nil || c3.Status != store.StatusDeleted || c3.Body == "" {
		t.Fatalf("c-3 must be a tombstone that keeps its text: %v %+v", err, c3)
	}
	b2, _ := st.Article(ctx, srv.URL+"/tin-tuc/b-2.html")
	if b2.Versions != 2 || !strings.Contains(b2.Body, "bổ sung") {
		t.Fatalf("b-2 must have a second version: %+v", b2)
	}

	// Every WARC file passes the strict independent reader.
	files, _ := warc.Files(st.WARCPath())
	if len(files) != 2 {
		t.Fatalf("want one WARC file per run, got %v", files)
	}
	for _, f := range files {
		n, findings, err := warc.Check(f)
		if err != nil || len(findings) > 0 || n == 0 {
			t.Errorf("%s: %d records, %v, %v", f, n, findings, err)
		}
	}
	// The 304 is archived as a revisit that points at the first capture.
	caps, _ := st.Captures(ctx, srv.URL+"/tin-tuc/a-1.html")
	last := caps[len(caps)-1]
	if last.Status != 304 || last.RecordType != "revisit" {
		t.Fatalf("304 capture: %+v", last)
	}
	rv, err := warc.ReadResponse(st.WARCPath(), last.WARCFile, last.WARCOffset)
	if err != nil || rv.RecordType != "revisit" || rv.Status != 304 {
		t.Fatalf("revisit record: %v %+v", err, rv)
	}
}

func TestUnreachableSite(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close() // nothing listens there any more
	ctx := context.Background()
	st, _ := store.Open(ctx, t.TempDir(), nil)
	defer st.Close()
	w, _ := warc.NewWriter(st.WARCPath(), warc.WriterOptions{})
	defer w.Close()
	_, err := New(st, w, nil).Run(ctx, Options{Sites: []string{addr + "/"}, Timeout: time.Second})
	if err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("want an unreachable error, got %v", err)
	}
}

func TestInterruptedCrawlIsRecorded(t *testing.T) {
	site := newTestSite()
	srv := httptest.NewServer(site)
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	st, _ := store.Open(ctx, t.TempDir(), nil)
	defer st.Close()
	w, _ := warc.NewWriter(st.WARCPath(), warc.WriterOptions{})
	defer w.Close()
	var once sync.Once
	sum, err := New(st, w, nil).Run(ctx, Options{Sites: []string{srv.URL + "/"}, Delay: 50 * time.Millisecond, Parallel: 1, Timeout: time.Second,
		Progress: func(Progress) { once.Do(cancel) }, ProgressEvery: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Status != store.RunInterrupted {
		t.Fatalf("status %q", sum.Status)
	}
	runs, _ := st.Runs(context.Background(), 1)
	if runs[0].Status != store.RunInterrupted {
		t.Fatalf("run recorded as %q", runs[0].Status)
	}
}
