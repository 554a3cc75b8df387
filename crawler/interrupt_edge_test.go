package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tulieu/store"
	"tulieu/warc"
)

// hookedCatalog is the store with a hook on AddCapture: a test acts (an
// interrupt, say) as a given answer is archived.
type hookedCatalog struct {
	*store.Store
	onCapture func(c *store.Capture)
}

func (c *hookedCatalog) AddCapture(ctx context.Context, cp *store.Capture) (int64, error) {
	id, err := c.Store.AddCapture(ctx, cp)
	if c.onCapture != nil {
		c.onCapture(cp)
	}
	return id, err
}

// crawlWithHook crawls site into dir with ctx, the catalog wrapped by hook.
func crawlWithHook(t *testing.T, ctx context.Context, dir, site string, opts Options, hook func(*store.Capture)) (*Summary, error) {
	t.Helper()
	return crawlWithCatalog(t, ctx, dir, site, opts, func(st *store.Store) Catalog { return &hookedCatalog{Store: st, onCapture: hook} })
}

// crawlWithCatalog crawls site into dir with ctx, through the catalog wrap
// makes of the store (one request at a time, 2 s for each, unless opts say
// otherwise).
func crawlWithCatalog(t *testing.T, ctx context.Context, dir, site string, opts Options, wrap func(*store.Store) Catalog) (*Summary, error) {
	t.Helper()
	st, err := store.Open(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w, err := warc.NewWriter(st.WARCPath(), warc.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	opts.Sites = []string{site}
	if opts.Timeout == 0 {
		opts.Timeout = 2 * time.Second
	}
	if opts.Parallel == 0 {
		opts.Parallel = 1
	}
	return New(wrap(st), w, nil).Run(ctx, opts)
}

// interruptedCrawl crawls site into dir and interrupts the run (as a
// signal would) at the first capture stop says yes to; the run must end
// interrupted.
func interruptedCrawl(t *testing.T, dir, site string, opts Options, stop func(*store.Capture) bool) *Summary {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	sum, err := crawlWithHook(t, ctx, dir, site, opts, func(c *store.Capture) {
		if stop(c) {
			once.Do(cancel)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Status != store.RunInterrupted {
		t.Fatalf("first run: %q", sum.Status)
	}
	return sum
}

// TestRedirectDropsValidators: an article moved, its old URL redirects to
// a new one the archive has never captured. The re-crawl asks the old URL
// conditionally; the validators must not follow the redirect, or a server
// whose validators match there (the same ETag or Last-Modified) answers
// 304 and the article at its new URL is never archived nor saved.
func TestRedirectDropsValidators(t *testing.T) {
	const etag = `"same-content"`
	var moved atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			fmt.Fprint(w, `<html><body><a href="/tin-tuc/bai-cu.html">Bài viết</a></body></html>`)
		case "/tin-tuc/bai-cu.html":
			if moved.Load() {
				http.Redirect(w, r, "/tin-tuc/bai-moi.html", http.StatusMovedPermanently)
				return
			}
			fallthrough
		case "/tin-tuc/bai-moi.html":
			w.Header().Set("ETag", etag)
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			article(w, "Bài viết được chuyển chỗ")
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	ctx := context.Background()
	sum, err := crawlWithHook(t, ctx, dir, srv.URL+"/", Options{}, nil)
	if err != nil || sum.New != 1 {
		t.Fatalf("first crawl: %+v %v", sum, err)
	}
	moved.Store(true)
	sum, err = crawlWithHook(t, ctx, dir, srv.URL+"/", Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	st := openStore(t, dir)
	caps, _ := st.Captures(ctx, srv.URL+"/tin-tuc/bai-moi.html")
	got200 := false
	for _, c := range caps {
		t.Logf("capture of the new URL: status %d, type %s, kind %q", c.Status, c.RecordType, c.Kind)
		if c.Status == http.StatusOK {
			got200 = true
		}
	}
	if !got200 {
		t.Errorf("the article's new URL was never archived with its content (captures %d); summary %+v", len(caps), sum.Counts)
	}
	if _, err := st.Article(ctx, srv.URL+"/tin-tuc/bai-moi.html"); err != nil {
		t.Errorf("the article at its new URL is not in the catalog: %v", err)
	}
}

// TestInterruptedListingFetchedAgain: a crawl interrupted (SIGINT and
// SIGTERM cancel the context) just as a listing's response arrives queues
// none of its links (enqueue refuses them); the listing must stay
// unhandled, so that the continued run fetches it again and archives its
// articles.
func TestInterruptedListingFetchedAgain(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
		case r.URL.Path == "/":
			var b strings.Builder
			for i := range 3 {
				fmt.Fprintf(&b, `<li><a href="/tin-tuc/bai-%d.html">Bài %d</a></li>`, i, i)
			}
			fmt.Fprintf(w, `<html><body><ul>%s</ul></body></html>`, b.String())
		case strings.HasPrefix(r.URL.Path, "/tin-tuc/"):
			article(w, "Bài "+r.URL.Path)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	// The signal arrives as the listing is received.
	interruptedCrawl(t, dir, srv.URL+"/", Options{}, func(c *store.Capture) bool { return c.URL == srv.URL+"/" })
	sum, err := crawlWithHook(t, context.Background(), dir, srv.URL+"/", Options{}, nil)
	if sum == nil {
		t.Fatalf("resumed run: %v", err)
	}
	if sum.New != 3 {
		t.Errorf("the resumed run saved %d of the listing's 3 articles (status %q, err %v, resumed from %d)", sum.New, sum.Status, err, sum.ResumedFrom)
	}
}

// TestInterrupted5xxLeftForTheContinuedRun: a 5xx answer that arrives as
// the crawl is interrupted cannot be retried in this run; it is left for
// the continued run, as a transport error at that moment (onError) or an
// interrupt during the backoff is, not given up.
func TestInterrupted5xxLeftForTheContinuedRun(t *testing.T) {
	var firstRun atomic.Bool
	firstRun.Store(true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			fmt.Fprint(w, `<html><body><a href="/tin-tuc/bai-1.html">Bài 1</a></body></html>`)
		case "/tin-tuc/bai-1.html":
			if firstRun.Load() {
				http.Error(w, "busy", http.StatusInternalServerError)
				return
			}
			article(w, "Bài một")
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	// The signal arrives as the 500 is received.
	interruptedCrawl(t, dir, srv.URL+"/", Options{RetryBase: time.Millisecond},
		func(c *store.Capture) bool { return c.Status == http.StatusInternalServerError })
	firstRun.Store(false)
	sum, err := crawlWithHook(t, context.Background(), dir, srv.URL+"/", Options{}, nil)
	if sum == nil {
		t.Fatalf("resumed run: %v", err)
	}
	if sum.New != 1 {
		t.Errorf("the resumed run did not ask the page again: %+v (status %q, err %v, resumed from %d)", sum.Counts, sum.Status, err, sum.ResumedFrom)
	}
}

// TestContinuedRunWithNothingLeft: a crawl interrupted once its last page
// was handled leaves the continued run little or nothing to fetch; that run
// completes, it does not report the site unreachable (status failed and
// ErrUnreachable, an error exit for the nightly job).
func TestContinuedRunWithNothingLeft(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			article(w, "Trang duy nhất")
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	if sum := interruptedCrawl(t, dir, srv.URL+"/", Options{}, func(c *store.Capture) bool { return c.URL == srv.URL+"/" }); sum.New != 1 {
		t.Fatalf("first run: %+v", sum.Counts)
	}
	sum, err := crawlWithHook(t, context.Background(), dir, srv.URL+"/", Options{}, nil)
	if err != nil || sum.Status != store.RunCompleted {
		t.Errorf("the continued run, with nothing left to do: status %q, err %v", sum.Status, err)
	}
}

// TestTruncatedPageAskedWhole: a page whose transfer was cut (the server
// dropped the connection half way: Truncated "disconnect") is archived as
// it arrived; the next run asks it whole, not with the validators of that
// cut copy, which a server would answer 304 to night after night.
func TestTruncatedPageAskedWhole(t *testing.T) {
	const etag = `"v1"`
	var cut atomic.Bool
	cut.Store(true)
	page := func() []byte {
		rec := httptest.NewRecorder()
		rec.Header().Set("Content-Type", "text/html; charset=utf-8")
		var b strings.Builder
		for i := range 40 {
			fmt.Fprintf(&b, "<p>Đoạn %d. Hội nghị Ban Chấp hành Đảng bộ Khối đã diễn ra tại Thanh Hóa với sự tham dự của đông đủ các đồng chí ủy viên.</p>", i)
		}
		fmt.Fprintf(rec, `<html><head><title>Bài dài</title></head><body><div class="breadcrumb"><a href="/">Trang chủ</a> / Tin tức / Bài dài</div>
<h1>Bài dài</h1><div class="date">Ngày 28/02/2020</div><div class="content">%s</div><p>END-OF-ARTICLE</p></body></html>`, b.String())
		return rec.Body.Bytes()
	}()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			fmt.Fprint(w, `<html><body><a href="/tin-tuc/bai-dai.html">Bài dài</a></body></html>`)
		case "/tin-tuc/bai-dai.html":
			if r.Header.Get("If-None-Match") == etag {
				w.Header().Set("ETag", etag)
				w.WriteHeader(http.StatusNotModified)
				return
			}
			if cut.Load() {
				conn, bw, _ := w.(http.Hijacker).Hijack()
				fmt.Fprintf(bw, "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nETag: %s\r\nContent-Length: %d\r\n\r\n", etag, len(page))
				bw.Write(page[:len(page)*2/3])
				bw.Flush()
				conn.Close()
				return
			}
			w.Header().Set("ETag", etag)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(page)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	ctx := context.Background()
	sum, err := crawlWithHook(t, ctx, dir, srv.URL+"/", Options{RetryBase: 10 * time.Millisecond}, nil)
	if err != nil {
		t.Fatal(err)
	}
	u := srv.URL + "/tin-tuc/bai-dai.html"
	st := openStore(t, dir)
	caps, _ := st.Captures(ctx, u)
	if len(caps) == 0 || slices.ContainsFunc(caps, func(c store.Capture) bool { return c.Truncated == "" }) {
		t.Fatalf("first run: want cut captures only, got %+v; summary %+v", caps, sum.Counts)
	}
	if sum.New != 0 || sum.Errors != 1 {
		t.Errorf("first run: %+v; want the cut page counted as an error, not as an article", sum.Counts)
	}
	t.Logf("first run: %+v, captures %d, truncated %q", sum.Counts, len(caps), caps[0].Truncated)
	cut.Store(false)
	for run := 2; run <= 3; run++ {
		sum, err = crawlWithHook(t, ctx, dir, srv.URL+"/", Options{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("run %d: %+v", run, sum.Counts)
	}
	caps, _ = st.Captures(ctx, u)
	whole := false
	for _, c := range caps {
		t.Logf("capture: status %d truncated %q type %s", c.Status, c.Truncated, c.RecordType)
		if c.Status == http.StatusOK && c.Truncated == "" {
			whole = true
		}
	}
	if !whole {
		t.Errorf("after 3 runs the archive still holds only the cut copy of %s", u)
	}
}

// TestContinuedRunAfterRequisites: a crawl interrupted while it fetched
// the requisites of its last page (pages are marked handled before their
// images are fetched) leaves the continued run no page to fetch, but the
// page's image: that run fetches the image, not the page, and completes.
func TestContinuedRunAfterRequisites(t *testing.T) {
	var cancelFirst atomic.Pointer[context.CancelFunc]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><head><title>Trang duy nhất</title></head><body><div class="breadcrumb"><a href="/">Trang chủ</a> / Tin tức / Trang duy nhất</div>
<h1>Trang duy nhất</h1><div class="date">Ngày 28/02/2020</div><div class="content"><p>Hội nghị Ban Chấp hành Đảng bộ Khối đã diễn ra tại Thanh Hóa với sự tham dự của đông đủ các đồng chí ủy viên.</p>
<p><img src="/anh/hoi-nghi.jpg" alt="Hội nghị"></p><p>Các đồng chí đã thảo luận và thống nhất các nội dung quan trọng của nhiệm kỳ tới.</p></div></body></html>`)
		case "/anh/hoi-nghi.jpg":
			if c := cancelFirst.Load(); c != nil {
				(*c)() // the signal arrives as the page's image is fetched
			}
			w.Header().Set("Content-Type", "image/jpeg")
			w.Write([]byte("\xff\xd8\xff\xe0 not much of a jpeg"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cancelFirst.Store(&cancel)
	sum, err := crawlWithHook(t, ctx, dir, srv.URL+"/", Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Status != store.RunInterrupted || sum.New != 1 {
		t.Fatalf("first run: %q %+v", sum.Status, sum.Counts)
	}
	cancelFirst.Store(nil)
	sum, err = crawlWithHook(t, context.Background(), dir, srv.URL+"/", Options{}, nil)
	if err != nil || sum.Status != store.RunCompleted || sum.ResumedFrom == 0 {
		t.Fatalf("the continued run: status %q, resumed from %d, err %v", sum.Status, sum.ResumedFrom, err)
	}
	st := openStore(t, dir)
	if sum.New != 0 || sum.Errors != 0 {
		t.Errorf("the continued run fetched the page again, or failed: %+v", sum.Counts)
	}
	// The image the interrupted run did not archive, the continued run
	// did: the page it belongs to was not fetched again, its requisites
	// were.
	if c, err := st.LastGoodCapture(context.Background(), srv.URL+"/anh/hoi-nghi.jpg"); err != nil || c == nil || c.Status != http.StatusOK {
		t.Errorf("the page's image after the continued run: %+v, %v; want it archived", c, err)
	}
}
