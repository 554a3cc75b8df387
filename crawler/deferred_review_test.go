package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tulieu/store"
)

// handledHook is the store with a hook on Handled.
type handledHook struct {
	*store.Store
	onHandled func(u string)
}

func (c *handledHook) Handled(runID int64, u string) {
	c.Store.Handled(runID, u)
	if c.onHandled != nil {
		c.onHandled(u)
	}
}

// deferredArticle is an article page whose text links a related article.
func deferredArticle(w http.ResponseWriter, title, related string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("ETag", `"v1"`)
	fmt.Fprintf(w, `<html><head><title>%[1]s</title></head><body><div class="breadcrumb"><a href="/">Trang chủ</a> / Tin tức / %[1]s</div>
<h1>%[1]s</h1><div class="date">Ngày 28/02/2020</div><div class="content"><p>%[2]s</p><p>%[2]s</p>%[3]s</div></body></html>`, title,
		"Hội nghị Ban Chấp hành Đảng bộ Khối đã diễn ra tại Thanh Hóa với sự tham dự của đông đủ các đồng chí ủy viên và đại biểu khách mời.", related)
}

// TestKilledCrawlKeepsTheLinksOfAnArticle (passes: it pins a guarantee
// the deferred frontier rows rely on and nothing else tests). A polite
// crawl (--delay, one request at a time) records a new article whose
// text links a related article no listing links; the article is marked
// handled (Handled, deferred) and the crawl waits its delay before the
// next page. The process dies then (SIGKILL, a power cut): the catalog is
// what was committed at that moment (VACUUM INTO, as the next page is
// asked). The continued run asks the article conditionally and gets a
// 304, whose links are not followed (pageHandler.unchanged): the related
// article is fetched only because the link's Enqueued row was committed
// by the article's own waited writes (setKind, RecordArticle come after
// links() in pageHandler's page step) before the deferred Handled. If
// links() ever moves after the last waited write of a page, or Handled
// is made before them, the link dies with the process and this fails.
func TestKilledCrawlKeepsTheLinksOfAnArticle(t *testing.T) {
	var (
		handledFirst = make(chan string, 8)
		snapDone     = make(chan struct{})
		snapOnce     sync.Once
		st           *store.Store
		dir          = t.TempDir()
		crashed      = t.TempDir()
		relatedHits  atomic.Int64
		resumed      atomic.Bool
		snapErr      error
	)
	snapshot := func() {
		// The process dies here: what the disk holds is what was committed.
		if _, err := st.DB().Exec("VACUUM INTO ?", filepath.Join(crashed, store.CatalogFile)); err != nil {
			snapErr = err
		}
		os.MkdirAll(filepath.Join(crashed, store.WARCDir), 0o755)
		files, _ := os.ReadDir(filepath.Join(dir, store.WARCDir))
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(dir, store.WARCDir, f.Name()))
			if err == nil {
				os.WriteFile(filepath.Join(crashed, store.WARCDir, f.Name()), b, 0o644)
			}
		}
		close(snapDone)
	}
	var first atomic.Value // the first article asked
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := r.URL.Path; {
		case p == "/robots.txt":
			http.NotFound(w, r)
		case p == "/":
			fmt.Fprint(w, `<html><body><ul><li><a href="/tin-tuc/bai-a.html">Bài A</a></li><li><a href="/tin-tuc/bai-b.html">Bài B</a></li></ul></body></html>`)
		case strings.HasPrefix(p, "/tin-tuc/lien-quan-"):
			if resumed.Load() {
				relatedHits.Add(1)
			}
			deferredArticle(w, "Tin liên quan "+p, "")
		case strings.HasPrefix(p, "/tin-tuc/bai-"):
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			if !resumed.Load() && !first.CompareAndSwap(nil, p) && first.Load() != p {
				// The second article is asked: the first was handled
				// (wait for it), and the crawl is killed now.
				select {
				case <-handledFirst:
				case <-time.After(10 * time.Second):
				}
				snapOnce.Do(snapshot)
			}
			name := strings.TrimSuffix(strings.TrimPrefix(p, "/tin-tuc/bai-"), ".html")
			deferredArticle(w, "Bài "+name, fmt.Sprintf(`<p>Xem thêm: <a href="/tin-tuc/lien-quan-%s.html">Tin liên quan %s</a></p>`, name, name))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	ctx := context.Background()
	opts := Options{Parallel: 1, Delay: 200 * time.Millisecond, Timeout: 5 * time.Second}
	if _, err := crawlWithCatalog(t, ctx, dir, srv.URL+"/", opts, func(s *store.Store) Catalog {
		st = s // what the snapshot copies
		return &handledHook{Store: s, onHandled: func(u string) {
			if strings.Contains(u, "/tin-tuc/bai-") {
				select {
				case handledFirst <- u:
				default:
				}
			}
		}}
	}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-snapDone:
	default:
		t.Fatal("the second article was never asked; the test means nothing")
	}
	if snapErr != nil {
		t.Fatal(snapErr)
	}

	// The morning after: the crawl runs again on what the disk held.
	resumed.Store(true)
	sum, err := crawlWithCatalog(t, ctx, crashed, srv.URL+"/", opts, func(s *store.Store) Catalog { return s })
	if err != nil {
		t.Fatal(err)
	}
	if sum.ResumedFrom == 0 {
		t.Fatalf("the second crawl did not continue the killed one: %+v", sum)
	}
	st2 := openStore(t, crashed)
	var related int
	st2.DB().QueryRow("SELECT COUNT(*) FROM articles WHERE url LIKE '%lien-quan-%'").Scan(&related)
	if related != 2 {
		t.Errorf("after the continued run the catalog holds %d of the 2 related articles (%d fetched by it): the link queued by the article handled just before the crash is lost (a 304 does not queue it again)", related, relatedHits.Load())
	}
}
