package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"

	"tulieu/store"
)

func TestAwayTarget(t *testing.T) {
	seeds := []string{"http://x.vn/Portal/Home.aspx"}
	for in, want := range map[string]bool{
		"http://x.vn/":                 true,
		"http://x.vn":                  true,
		"http://x.vn/Default.aspx":     true,
		"http://x.vn/index.php":        true,
		"http://x.vn/Portal/Home.aspx": true,
		"http://x.vn/Error.aspx?aspxerrorpath=/tin-tuc/bai-3.html": true,
		"http://x.vn/404.html":                  true,
		"http://x.vn/loi.aspx":                  true,
		"http://x.vn/tin-tuc/bai-3-moi.html":    false,
		"http://x.vn/?page=2":                   false,
		"http://x.vn/tin-tuc":                   false,
		"http://x.vn/error-handling-in-go.html": false,
		"http://x.vn/bai-viet/404":              false,
		"http://x.vn/tin-tuc/loi":               false,
		"http://x.vn/Pages/Error.aspx":          true,
		"http://x.vn/404/":                      true,
	} {
		u, err := url.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := awayTarget(u, seeds); got != want {
			t.Errorf("awayTarget(%s) = %v, want %v", in, got, want)
		}
	}
}

// A site under maintenance that sends every address to its home page
// takes nothing down: the takedowns are held when they are more than a
// fifth of the known articles.
func TestEverythingRedirectedHomeTakesNothingDown(t *testing.T) {
	var maintenance atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
		case r.URL.Path == "/":
			if maintenance.Load() {
				fmt.Fprint(w, `<html><body><h1>Hệ thống đang bảo trì</h1><p>Xin vui lòng quay lại sau.</p></body></html>`)
				return
			}
			fmt.Fprint(w, `<html><body><h2>Tin mới</h2><ul>`)
			for i := 1; i <= 8; i++ {
				fmt.Fprintf(w, `<li><a href="/tin-tuc/bai-%d.html">Bài viết số %d về công tác xây dựng Đảng</a></li>`, i, i)
			}
			fmt.Fprint(w, `</ul></body></html>`)
		case maintenance.Load():
			http.Redirect(w, r, "/", http.StatusFound)
		default:
			quirkArticle(w, "Bài viết "+r.URL.Path, "")
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	if first := crawlOnce(t, dir, srv.URL+"/", Options{}); first.New != 8 {
		t.Fatalf("first night: %d new, want 8", first.New)
	}
	maintenance.Store(true)
	night := crawlOnce(t, dir, srv.URL+"/", Options{})
	if night.Deleted != 0 {
		t.Errorf("a night of maintenance took %d articles down; want none", night.Deleted)
	}
	st := openStore(t, dir)
	for i := 1; i <= 8; i++ {
		if a, err := st.Article(context.Background(), fmt.Sprintf("%s/tin-tuc/bai-%d.html", srv.URL, i)); err != nil || a.Status != store.StatusLive {
			t.Errorf("bai-%d: %v %v; want live", i, a, err)
		}
	}
}
