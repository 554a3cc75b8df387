package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"tulieu/store"
	"tulieu/warc"
)

// stallingArchive holds the first article's record until the server has
// been asked for another page (or, failing that, until a timeout, so
// that the test ends).
type stallingArchive struct {
	Archive
	once    sync.Once
	asked   <-chan struct{}
	stalled chan bool // true: the other request came while the record waited
}

func (s *stallingArchive) WriteExchange(ex warc.Exchange) (warc.Location, error) {
	if strings.Contains(ex.TargetURI, "/bai-") {
		s.once.Do(func() {
			select {
			case <-s.asked:
				s.stalled <- true
			case <-time.After(10 * time.Second):
				s.stalled <- false
			}
		})
	}
	return s.Archive.WriteExchange(ex)
}

// TestSlotFreedOnceTheResponseIsRead: with --parallel 1 the server has one
// request in flight at a time, but a page being archived and recorded is
// no request in flight: the next one goes while its record is written.
// Before, the slot was held until the page's WARC record and catalog row
// were written, and a re-crawl of pages answering 304 waited on each
// page's writes with the server idle.
func TestSlotFreedOnceTheResponseIsRead(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]bool{}
	asked := make(chan struct{})
	var askedOnce sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/" {
			fmt.Fprint(w, `<html><body><a href="/bai-1.html">Bài 1</a> <a href="/bai-2.html">Bài 2</a></body></html>`)
			return
		}
		if !strings.HasPrefix(r.URL.Path, "/bai-") {
			http.NotFound(w, r) // robots.txt
			return
		}
		mu.Lock()
		seen[r.URL.Path] = true
		n := len(seen)
		mu.Unlock()
		if n == 2 {
			askedOnce.Do(func() { close(asked) })
		}
		fmt.Fprintf(w, `<html><head><title>%s</title></head><body><article><h1>%s</h1><p>Nội dung bài viết đủ dài để được xem là một bài báo của trang.</p></article></body></html>`, r.URL.Path, r.URL.Path)
	}))
	defer srv.Close()

	arch := &stallingArchive{asked: asked, stalled: make(chan bool, 1)}
	crawlThrough(t, func(w Archive) Archive { arch.Archive = w; return arch },
		Options{Sites: []string{srv.URL + "/"}, Parallel: 1, Timeout: 20 * time.Second})
	select {
	case ok := <-arch.stalled:
		if !ok {
			t.Error("the second article was asked only after the first one's record was written: the server's slot was held while archiving")
		}
	default:
		t.Fatal("no article was archived")
	}
}

// crawlThrough crawls opts.Sites into a new catalog and WARC writer, the
// writer wrapped by wrap (an archive that holds a record back).
func crawlThrough(t *testing.T, wrap func(Archive) Archive, opts Options) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w, err := warc.NewWriter(st.WARCPath(), warc.WriterOptions{Software: "tulieu-test"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := New(st, wrap(w), nil).Run(ctx, opts); err != nil {
		t.Fatal(err)
	}
}
