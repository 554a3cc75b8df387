package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"tulieu/internal/fixturesite"
	"tulieu/store"
)

// TestRevalidateThroughAliases: articles first reached through a redirect,
// an alias URL or a print version are asked again conditionally on the
// next crawl, and answer 304: none is fetched whole again.
func TestRevalidateThroughAliases(t *testing.T) {
	var mu sync.Mutex
	whole := map[string]int{} // canonical article path → 200 answers
	notModified := 0
	body := func(n int) string {
		return fmt.Sprintf(`<html><head><title>Bài %d</title><link rel="canonical" href="/tin/bai-%d.html"></head><body>
<h1>Hội nghị lần thứ %d của Đảng bộ Khối</h1><p>Đảng bộ Khối các cơ quan tỉnh tổ chức hội nghị lần thứ %d để bàn về công tác xây dựng Đảng.</p>
<p>Hội nghị thống nhất các giải pháp trọng tâm trong thời gian tới và giao nhiệm vụ cho các tổ chức cơ sở đảng.</p></body></html>`, n, n, n, n)
	}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		switch {
		case p == "/robots.txt":
			http.NotFound(w, r)
		case p == "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io := `<html><body>`
			for n := 1; n <= 10; n++ {
				switch n % 3 {
				case 0:
					io += fmt.Sprintf(`<a href="/bai?id=%d">alias %d</a> `, n, n) // redirects
				case 1:
					io += fmt.Sprintf(`<a href="/in/bai-%d">in %d</a> `, n, n) // print version
				default:
					io += fmt.Sprintf(`<a href="/tin/bai-%d.html">bài %d</a> `, n, n)
				}
			}
			fmt.Fprint(w, io+`</body></html>`)
		case p == "/bai":
			http.Redirect(w, r, "/tin/bai-"+r.URL.Query().Get("id")+".html", http.StatusMovedPermanently)
		case strings.HasPrefix(p, "/in/bai-"), strings.HasPrefix(p, "/tin/bai-"):
			var n int
			fmt.Sscanf(strings.TrimPrefix(strings.TrimPrefix(p, "/in/bai-"), "/tin/bai-"), "%d", &n)
			etag := fmt.Sprintf(`"v1-%d"`, n)
			w.Header().Set("ETag", etag)
			mu.Lock()
			defer mu.Unlock()
			if r.Header.Get("If-None-Match") == etag {
				notModified++
				w.WriteHeader(http.StatusNotModified)
				return
			}
			if strings.HasPrefix(p, "/tin/") {
				whole[p]++
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, body(n))
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()
	data := t.TempDir()
	first := crawl(t, data, site.URL+"/")
	if first.New+first.PagesNew != 10 {
		t.Fatalf("first crawl: %+v", first)
	}
	mu.Lock()
	before := map[string]int{}
	for k, v := range whole {
		before[k] = v
	}
	mu.Unlock()
	second := crawl(t, data, site.URL+"/")
	mu.Lock()
	defer mu.Unlock()
	refetched := 0
	for k, v := range whole {
		if v > before[k] {
			refetched++
			t.Logf("%s fetched whole again", k)
		}
	}
	if second.Unchanged+second.PagesUnchanged != 10 || refetched > 0 || notModified < 10 {
		t.Errorf("second crawl: %+v; %d articles fetched whole again, %d answers 304", second, refetched, notModified)
	}
}

// TestCaptureWithoutArticle: a crawl killed after archiving a page but
// before recording its article leaves a capture alone; the next crawl
// must fetch the page whole and record it, not ask whether it changed
// (a 304 would record nothing, and the article would be lost).
func TestCaptureWithoutArticle(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	st, err := store.Open(context.Background(), data, nil)
	if err != nil {
		t.Fatal(err)
	}
	u := srv.URL + editedPath
	id := store.ArticleID(u)
	// As a kill between the capture and the catalog leaves it.
	for _, q := range []string{"DELETE FROM versions WHERE article_id = ?", "DELETE FROM articles WHERE id = ?"} {
		if _, err := st.DB().Exec(q, id); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	s := crawl(t, data, srv.URL+"/")
	if s.New != 1 {
		t.Errorf("the article with a capture and no record: %+v", s)
	}
	if code, _, errOut := run(t, data, "show", u); code != 0 {
		t.Errorf("show after the crawl: %d %s", code, errOut)
	}
}
