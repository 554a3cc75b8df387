package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// A site's home page that is its chrome (menu, a sidebar with the visitor
// counter, the footer) around a link to the news read as a static page
// whose text was the counter. The start URL is fetched whole every night
// (it is how the listings are found), so the home page took a new
// version every night. It is the site's way in: never a static page.
func TestHomePageIsNoStaticPage(t *testing.T) {
	var visits atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", http.NotFound)
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><meta charset="utf-8"><title>Đảng ủy Khối các cơ quan tỉnh Thanh Hóa</title></head><body>
<div id="menu"><a href="/">Trang chủ</a> <a href="/tin-tuc/">Tin tức</a></div>
<h1>Đảng ủy Khối các cơ quan tỉnh Thanh Hóa</h1>
<div class="box"><p>Thống kê truy cập: đang trực tuyến %d người, hôm nay %d lượt, tổng số truy cập của trang thông tin điện tử là %d lượt.</p></div>
<p><a href="/tin-tuc/">Xem tin tức</a></p></body></html>`, visits.Load()%7, visits.Load()*3, 188564+visits.Add(1))
	})
	mux.HandleFunc("/tin-tuc/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><body><h2><a href="/tin-tuc/bai-1.html">Hội nghị Ban Chấp hành Đảng bộ Khối lần thứ nhất</a></h2></body></html>`)
	})
	mux.HandleFunc("/tin-tuc/bai-1.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(reviewArticle))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	for night := 1; night <= 3; night++ {
		sum := crawlOnce(t, dir, srv.URL+"/", Options{})
		if sum.PagesNew+sum.PagesChanged != 0 || sum.Errors != 0 {
			t.Errorf("night %d: %+v; want no static page new or changed (the home page is none)", night, sum.Counts)
		}
	}
	if a, err := openStore(t, dir).Article(context.Background(), srv.URL+"/"); err == nil && a.Status == "live" && (a.Kind == "page" || a.Kind == "article") {
		t.Errorf("the home page is recorded as a %s with %d versions: %q", a.Kind, a.Versions, a.Body)
	}
}
