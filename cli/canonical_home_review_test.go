package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestBadInputCanonicalAllSame: a CMS misconfiguration common on small
// sites: every page carries the same <link rel="canonical" href="/">, the
// home page. The README says a canonical link on the same host decides an
// article's identity.
//
// User saw: three different articles crawled as one, at the home page's
// URL: the summary says "new 1, changed 2", search lists one article (the
// last fetched) and the other two survive only as older versions of it;
// each night they take turns being "changed". They now see: three articles,
// each at its own URL (a canonical naming the site's home, a page of other
// content, is no identity for an article).
func TestBadInputCanonicalAllSame(t *testing.T) {
	titles := []string{"Hội nghị sơ kết công tác xây dựng Đảng", "Đại hội Chi bộ Văn phòng nhiệm kỳ mới", "Tập huấn nghiệp vụ công tác kiểm tra"}
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", http.NotFound)
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><link rel="canonical" href="/"></head><body>`)
		for i, tt := range titles {
			fmt.Fprintf(w, `<a href="/tin-tuc/bai-%d.html">%s</a> `, i+1, tt)
		}
		fmt.Fprint(w, `</body></html>`)
	})
	for i, tt := range titles {
		mux.HandleFunc(fmt.Sprintf("/tin-tuc/bai-%d.html", i+1), func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<html><head><meta charset="utf-8"><title>%s</title><link rel="canonical" href="%s"></head><body>
<h1>%s</h1><p class="date">Ngày 12/06/2026</p><div class="content">
<p>Sáng ngày 12/6, Đảng ủy Khối các cơ quan tỉnh Thanh Hóa tổ chức %s, với sự tham dự của đại biểu các tổ chức cơ sở đảng trực thuộc.</p>
<p>Hội nghị thống nhất các giải pháp trọng tâm trong thời gian tới và giao nhiệm vụ cho các tổ chức cơ sở đảng trực thuộc số %d.</p></div></body></html>`, tt, "/", tt, tt, i)
		})
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	data := t.TempDir()
	s := crawl(t, data, srv.URL+"/")
	r := search(t, data, "")
	if s.New != 3 || r.Total != 3 {
		var got []string
		for _, h := range r.Hits {
			got = append(got, h.URL+" "+h.Title)
		}
		t.Errorf("three articles whose pages all name / as canonical: crawl new %d changed %d, search lists %d: %q; want 3 articles at their own URLs",
			s.New, s.Changed, r.Total, got)
	}
}
