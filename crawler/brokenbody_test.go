package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// articleSite serves one article, page, at path, linked from the home
// page, and the resources (its images and stylesheets) by their paths;
// once later is switched on, later answers the article's requests
// instead (tries counts them).
type articleSite struct {
	URL   string
	later atomic.Bool
	tries atomic.Int32
}

func newArticleSite(t *testing.T, path, page string, later func(w http.ResponseWriter), resources map[string]http.HandlerFunc) *articleSite {
	t.Helper()
	s := &articleSite{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, ok := resources[r.URL.Path]; ok {
			h(w, r)
			return
		}
		switch r.URL.Path {
		case "/":
			fmt.Fprintf(w, `<html><body><a href="%s">Bài viết</a></body></html>`, path)
		case path:
			if s.later.Load() {
				s.tries.Add(1)
				later(w)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(page))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// maintenancePage is what a site under maintenance sends, with a 200.
func maintenancePage(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, `<html><head><title>Bảo trì</title></head><body><p>Hệ thống đang bảo trì.</p></body></html>`)
}

// TestBrokenBodyKeepsTheArticle: on a later night the server answers an
// archived article with a 200 whose body is not the page: cut short by
// the time limit, cut by a dropped connection, empty, or with a gzip
// encoding that does not inflate, or a compressed stream cut half way
// though the transfer was whole (the page as the server had it: half of it
// used to be recorded as a new version). Each is tried again, then counted as an
// error (so --max-error-rate sees a broken night), and the article keeps
// its text and its one version: half a page is not a new version.
func TestBrokenBodyKeepsTheArticle(t *testing.T) {
	const path = "/tin-tuc/bai-viet-1.html"
	var page strings.Builder
	page.WriteString(`<html><head><meta charset="utf-8"><title>Hội nghị Ban Chấp hành</title></head><body>
<div class="breadcrumb"><a href="/">Trang chủ</a> / Tin tức / Hội nghị Ban Chấp hành</div>
<h1>Hội nghị Ban Chấp hành</h1><div class="date">Ngày 28/02/2020</div><div class="content">`)
	for i := range 30 {
		fmt.Fprintf(&page, "<p>Đoạn %d. Hội nghị Ban Chấp hành Đảng bộ Khối đã diễn ra tại Thanh Hóa với sự tham dự của các đồng chí.</p>", i)
	}
	page.WriteString(`<p>Đoạn cuối của bài viết.</p></div></body></html>`)
	full := page.String()

	for _, c := range []struct {
		name  string
		serve func(w http.ResponseWriter)
	}{
		{"stalled", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(full[:len(full)/2]))
			w.(http.Flusher).Flush()
			time.Sleep(1500 * time.Millisecond) // past the crawl's 1 s timeout
		}},
		{"disconnected", func(w http.ResponseWriter) {
			conn, bw, _ := w.(http.Hijacker).Hijack()
			fmt.Fprintf(bw, "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s", len(full), full[:len(full)/2])
			bw.Flush()
			conn.Close()
		}},
		{"empty", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}},
		{"gzip stream cut", func(w http.ResponseWriter) {
			// Sent whole, as the server has it: a compressed page cut
			// half way (a proxy's broken cache), Content-Length right.
			var gz bytes.Buffer
			zw := gzip.NewWriter(&gz)
			zw.Write([]byte(full))
			zw.Close()
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gz.Bytes()[:gz.Len()/2])
		}},
		{"corrupt gzip", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write([]byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03 this is not deflate data at all"))
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			site := newArticleSite(t, path, full, c.serve, nil)
			dir := t.TempDir()
			if sum := crawlOnce(t, dir, site.URL+"/", Options{}); sum.New != 1 {
				t.Fatalf("first night: %+v", sum.Counts)
			}
			site.later.Store(true)
			sum := crawlOnce(t, dir, site.URL+"/", Options{MaxRetries: 1})
			if sum.Errors != 1 || sum.Changed != 0 || sum.Deleted != 0 || site.tries.Load() != 2 {
				t.Errorf("broken night: %+v, %d tries; want one error after two tries, nothing changed", sum.Counts, site.tries.Load())
			}
			st := openStore(t, dir)
			a, err := st.Article(context.Background(), site.URL+path)
			if err != nil || a.Versions != 1 || a.Status != "live" || !strings.Contains(a.Body, "Đoạn cuối của bài viết.") {
				t.Errorf("after the broken night the article is %+v (%v); want its one whole version, live", a, err)
			}
		})
	}
}

// TestRequisiteCutShortIsTriedAgain: an image whose connection drops
// part way is archived as it arrived, tried again, and counted among the
// requisite errors, not as archived.
func TestRequisiteCutShortIsTriedAgain(t *testing.T) {
	var tries atomic.Int32
	page := `<html><head><title>Bài một</title></head><body><div class="breadcrumb"><a href="/">Trang chủ</a> / Tin tức / Bài một</div>
<h1>Bài một</h1><div class="date">Ngày 28/02/2020</div><div class="content"><p>Hội nghị Ban Chấp hành Đảng bộ Khối đã diễn ra tại Thanh Hóa với sự tham dự của các đồng chí ủy viên.</p>
<p><img src="/anh.jpg" alt="Ảnh"></p><p>Các đồng chí đã thảo luận và thống nhất các nội dung quan trọng của hội nghị.</p></div></body></html>`
	site := newArticleSite(t, "/tin-tuc/bai-1.html", page, nil, map[string]http.HandlerFunc{
		"/anh.jpg": func(w http.ResponseWriter, _ *http.Request) {
			tries.Add(1)
			conn, bw, _ := w.(http.Hijacker).Hijack()
			fmt.Fprint(bw, "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 5000\r\n\r\n\xff\xd8\xff\xe0 part of an image")
			bw.Flush()
			conn.Close()
		},
	})
	sum := crawlOnce(t, t.TempDir(), site.URL+"/", Options{MaxRetries: 1})
	if sum.New != 1 || sum.Requisites != 0 || sum.RequisiteErrors != 1 || tries.Load() != 2 {
		t.Errorf("%+v, requisites %d, requisite errors %d, %d tries; want the image tried twice and counted as an error",
			sum.Counts, sum.Requisites, sum.RequisiteErrors, tries.Load())
	}
}

// TestMaintenancePageKeepsTheArticle: one night every page of the site is
// a maintenance notice sent with 200. The articles stay articles (they
// were taken out of search and exports as "other" until a later night
// put them back), and the night counts the failures.
func TestMaintenancePageKeepsTheArticle(t *testing.T) {
	const path = "/tin-tuc/bai-viet-1.html"
	site := newArticleSite(t, path, reviewArticle, maintenancePage, nil)
	dir := t.TempDir()
	if sum := crawlOnce(t, dir, site.URL+"/", Options{}); sum.New != 1 {
		t.Fatalf("first night: %+v", sum.Counts)
	}
	site.later.Store(true)
	if sum := crawlOnce(t, dir, site.URL+"/", Options{}); sum.Errors != 1 || sum.Changed != 0 {
		t.Errorf("maintenance night: %+v; want the article's page counted as an error", sum.Counts)
	}
	a, err := openStore(t, dir).Article(context.Background(), site.URL+path)
	if err != nil || a.Kind != "article" || a.Status != "live" || a.Versions != 1 {
		t.Errorf("after the maintenance night: %+v (%v); want the article as it was", a, err)
	}
}

// TestEmptyNewPageIsNotTriedAgain: a link to a page that answers an empty
// 200 (an endpoint, a stub), not an archived article, counts as an error
// once, without the tries and waits a broken article gets.
func TestEmptyNewPageIsNotTriedAgain(t *testing.T) {
	site := newArticleSite(t, "/tin-tuc/trong.html", "", func(w http.ResponseWriter) {}, nil)
	site.later.Store(true)
	sum := crawlOnce(t, t.TempDir(), site.URL+"/", Options{MaxRetries: 2})
	if sum.Errors != 1 || site.tries.Load() != 1 {
		t.Errorf("%+v, %d tries; want one error and one request", sum.Counts, site.tries.Load())
	}
}

// TestGzipWithTrailingBytesIsWhole: a page whose whole gzip body is
// followed by bytes that start no other member (a comment a cache or a
// PHP script printed after the compressed output; every browser shows
// the page) is a good page: archived and extracted as a new version the
// night it changes, not tried again as broken.
func TestGzipWithTrailingBytesIsWhole(t *testing.T) {
	const path = "/tin-tuc/bai-viet-2.html"
	var page strings.Builder
	page.WriteString(`<html><head><meta charset="utf-8"><title>Hội nghị sơ kết</title></head><body>
<div class="breadcrumb"><a href="/">Trang chủ</a> / Tin tức / Hội nghị sơ kết</div>
<h1>Hội nghị sơ kết</h1><div class="date">Ngày 28/02/2020</div><div class="content">`)
	for i := range 30 {
		fmt.Fprintf(&page, "<p>Đoạn %d. Hội nghị sơ kết công tác Đảng của Đảng bộ Khối diễn ra tại Thanh Hóa.</p>", i)
	}
	page.WriteString(`<p>Đoạn cuối của bài viết.</p></div></body></html>`)
	first := page.String()
	second := strings.Replace(first, "Đoạn cuối của bài viết.", "Đoạn cuối, đã sửa.", 1)
	site := newArticleSite(t, path, first, func(w http.ResponseWriter) {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write([]byte(second))
		zw.Close()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(append(z.Bytes(), "<!-- cached 0.02s -->\n"...))
	}, nil)
	dir := t.TempDir()
	if sum := crawlOnce(t, dir, site.URL+"/", Options{}); sum.New != 1 {
		t.Fatalf("first night: %+v", sum.Counts)
	}
	site.later.Store(true)
	sum := crawlOnce(t, dir, site.URL+"/", Options{MaxRetries: 1})
	if sum.Errors != 0 || sum.Changed != 1 || site.tries.Load() != 1 {
		t.Errorf("night of the gzip page with bytes after it: %+v, %d tries; want it changed, no error, one try", sum.Counts, site.tries.Load())
	}
	st := openStore(t, dir)
	a, err := st.Article(context.Background(), site.URL+path)
	if err != nil || a.Versions != 2 || !strings.Contains(a.Body, "Đoạn cuối, đã sửa.") || strings.Contains(a.Body, "cached") {
		t.Errorf("the article after that night: %+v (%v); want its second version, without the bytes after the gzip stream", a, err)
	}
}

// TestShortenedArticleIsAVersion: the site's editors cut an article down
// to one line under its title ("content being updated"). It reads as too
// little to be an article, but it is the article: the night records a
// changed version (it used to count an error every night and never
// record the new text), where a page with another title (a maintenance
// notice, TestMaintenancePageKeepsTheArticle) stays an error.
func TestShortenedArticleIsAVersion(t *testing.T) {
	const path = "/tin-tuc/bai-viet-1.html"
	site := newArticleSite(t, path, reviewArticle, func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>Bài một</title></head><body><div class="breadcrumb"><a href="/">Trang chủ</a> / Tin tức / Bài một</div>
<h1>Bài một</h1><div class="content"><p>Nội dung đang được cập nhật.</p></div></body></html>`)
	}, nil)
	dir := t.TempDir()
	if sum := crawlOnce(t, dir, site.URL+"/", Options{}); sum.New != 1 {
		t.Fatalf("first night: %+v", sum.Counts)
	}
	site.later.Store(true)
	for night := 2; night <= 3; night++ {
		sum := crawlOnce(t, dir, site.URL+"/", Options{})
		if want := int64(night % 2); sum.Errors != 0 || sum.Changed != 1-want || sum.Unchanged != want {
			t.Errorf("night %d: %+v; want the shortened article changed once, then unchanged, and no error", night, sum.Counts)
		}
	}
	a, err := openStore(t, dir).Article(context.Background(), site.URL+path)
	if err != nil || a.Kind != "article" || a.Status != "live" || a.Versions != 2 || a.Body != "Nội dung đang được cập nhật." {
		t.Errorf("after the edit: %+v (%v); want the article with its short text as a second version", a, err)
	}
}
