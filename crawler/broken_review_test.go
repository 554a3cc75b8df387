package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"sync/atomic"
	"testing"
)

const reviewArticle = `<html><head><title>Bài một</title><link rel="stylesheet" href="/style.css"></head><body><div class="breadcrumb"><a href="/">Trang chủ</a> / Tin tức / Bài một</div>
<h1>Bài một</h1><div class="date">Ngày 28/02/2020</div><div class="content"><p>Hội nghị Ban Chấp hành Đảng bộ Khối đã diễn ra tại Thanh Hóa với sự tham dự của các đồng chí ủy viên.</p>
<p>Các đồng chí đã thảo luận và thống nhất các nội dung quan trọng của hội nghị.</p></div></body></html>`

// TestRequisite304WithContentEncoding: a stylesheet served gzipped with
// an ETag is asked again the next night with If-None-Match and answered
// 304, its headers repeating Content-Encoding: gzip (as servers may: RFC
// 9110 lets a 304 carry the representation's metadata). A 304 has no
// body: there is nothing to decode and nothing cut. The recorder tries to
// gunzip the empty body, calls it Undecodable, and the requisite fetcher
// (cutShort on any status) retries the 304 and counts it among
// requisite_errors, night after night.
func TestRequisite304WithContentEncoding(t *testing.T) {
	var css bytes.Buffer
	zw := gzip.NewWriter(&css)
	zw.Write([]byte("body{color:#333}"))
	zw.Close()
	var cssHits atomic.Int32
	site := newArticleSite(t, "/tin-tuc/bai-1.html", reviewArticle, nil, map[string]http.HandlerFunc{
		"/style.css": func(w http.ResponseWriter, r *http.Request) {
			cssHits.Add(1)
			w.Header().Set("ETag", `"css-1"`)
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Vary", "Accept-Encoding")
			if r.Header.Get("If-None-Match") == `"css-1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("Content-Type", "text/css")
			w.Write(css.Bytes())
		},
	})
	dir := t.TempDir()
	if sum := crawlOnce(t, dir, site.URL+"/", Options{MaxRetries: 1}); sum.New != 1 || sum.Requisites != 1 || sum.RequisiteErrors != 0 {
		t.Fatalf("first night: %+v, requisites %d, errors %d", sum.Counts, sum.Requisites, sum.RequisiteErrors)
	}
	cssHits.Store(0)
	sum := crawlOnce(t, dir, site.URL+"/", Options{MaxRetries: 1})
	if sum.Requisites != 1 || sum.RequisiteErrors != 0 || cssHits.Load() != 1 {
		t.Errorf("second night: requisites %d, requisite errors %d, stylesheet asked %d times; want its 304 counted as archived, asked once",
			sum.Requisites, sum.RequisiteErrors, cssHits.Load())
	}
}

// TestNothingPageOfANonArticleIsNoError: a page once taken for an
// article became a listing (Reclassify: the row stays, kind "listing",
// status live, as README says "a page that became a listing leaves the
// articles"), or was reclassified "other" by an earlier version. One
// night the page reads as nothing (an emptied category, a maintenance
// page). It is no article: nothing of the archive's articles is at stake,
// as for any listing. But RecordedLive counts any live row, whatever its
// kind, so the night counts an error (and logs "the article is kept as it
// was"), every night the page stays so.
func TestNothingPageOfANonArticleIsNoError(t *testing.T) {
	for _, kind := range []string{"listing", "other"} {
		t.Run(kind, func(t *testing.T) {
			const path = "/tin-tuc/bai-1.html"
			site := newArticleSite(t, path, reviewArticle, maintenancePage, nil)
			dir := t.TempDir()
			if sum := crawlOnce(t, dir, site.URL+"/", Options{}); sum.New != 1 {
				t.Fatalf("first night: %+v", sum.Counts)
			}
			st := openStore(t, dir)
			if ok, err := st.Reclassify(context.Background(), site.URL+path, kind); err != nil || !ok {
				t.Fatalf("reclassify: %v %v", ok, err)
			}
			st.Close()
			site.later.Store(true)
			if sum := crawlOnce(t, dir, site.URL+"/", Options{}); sum.Errors != 0 {
				t.Errorf("the page, a %s in the catalog, reads as nothing: %+v; want no error (it is no article)", kind, sum.Counts)
			}
		})
	}
}
