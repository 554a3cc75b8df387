// Package benchsite is the generated site the crawl benchmarks fetch:
// the crawler's Go benchmarks and crawler/cmd/crawlbench, which crawls it
// with wget and with tulieu in the same run.
package benchsite

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const paragraph = "Năm 2019, dưới sự lãnh đạo, chỉ đạo của Đảng bộ, Trung tâm Giáo dục Thường xuyên tỉnh đã đạt được một số kết quả nổi bật trong công tác xây dựng Đảng, nâng cao chất lượng sinh hoạt chi bộ và thực hiện nhiệm vụ chính trị được giao."

// New serves n articles of realistic size with the target site's chrome
// (a visitor counter that changes on every request, a byline, a date
// line), reachable through listing pages of 50 links with a numbered
// pager, each article with an ETag it answers 304 to.
func New(n int) http.Handler {
	const perListing = 50
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		chrome := `<div class="header">Đảng ủy Khối các cơ quan tỉnh Thanh Hóa</div><div class="box-lienket">Liên kết website</div>
<div class="thongke">Thống kê truy cập · Tổng số truy cập: ` + strconv.FormatInt(time.Now().UnixNano()%1000000, 10) + `</div>`
		footer := `<div class="footer">Địa chỉ: Số 35 Hà Văn Mao, Phường Ba Đình, TP. Thanh Hóa</div>`
		switch {
		case r.URL.Path == "/robots.txt":
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, "User-agent: *\nAllow: /\n")
		case r.URL.Path == "/" || strings.HasPrefix(r.URL.Path, "/tin-tuc/page-"):
			page := 0
			if p := strings.TrimPrefix(r.URL.Path, "/tin-tuc/page-"); p != r.URL.Path {
				page, _ = strconv.Atoi(p)
			}
			var b strings.Builder
			fmt.Fprintf(&b, `<html><head><meta charset="utf-8"><title>Tin tức</title></head><body>%s<ul class="list-news">`, chrome)
			for i := page * perListing; i < min(n, (page+1)*perListing); i++ {
				fmt.Fprintf(&b, `<li><a href="/tin-tuc/tin-tuc-chung/bai-viet-so-%d.html">Bài viết số %d về công tác Đảng</a></li>`, i, i)
			}
			b.WriteString(`</ul><div class="phantrang">`)
			// A pager as CMSes print it: the first, the few pages on
			// either side, and the last.
			last := (n - 1) / perListing
			if page > 5 {
				b.WriteString(`<a href="/">Trang đầu</a> `)
			}
			for p := max(0, page-5); p < page; p++ {
				fmt.Fprintf(&b, `<a href="%s">%d</a> `, listingPath(p), p+1)
			}
			for p := page + 1; p <= min(last, page+5); p++ {
				fmt.Fprintf(&b, `<a href="/tin-tuc/page-%d">%d</a> `, p, p+1)
			}
			// And jumps of fifty pages either way, as long pagers print
			// them: without them, a site of 50 000 articles (1 000
			// listing pages) would be deeper than a crawl goes
			// (crawler.DefaultMaxDepth).
			if page >= 50 {
				fmt.Fprintf(&b, `<a href="%s">-50</a> `, listingPath(page-50))
			}
			if page+50 <= last {
				fmt.Fprintf(&b, `<a href="%s">+50</a> `, listingPath(page+50))
			}
			if page < last {
				fmt.Fprintf(&b, `<a href="/tin-tuc/page-%d">Trang cuối</a>`, last)
			}
			fmt.Fprintf(&b, `</div>%s</body></html>`, footer)
			fmt.Fprint(w, b.String())
		case strings.HasPrefix(r.URL.Path, "/tin-tuc/tin-tuc-chung/bai-viet-so-"):
			id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/tin-tuc/tin-tuc-chung/bai-viet-so-"), ".html")
			etag := `"v1-` + id + `"`
			w.Header().Set("ETag", etag)
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			var b strings.Builder
			fmt.Fprintf(&b, `<html><head><meta charset="utf-8"><title>Bài viết số %s về công tác Đảng</title></head><body>%s
<div class="duongdan"><a href="/">Trang chủ</a> / <a href="/">Tin tức chung</a> / Bài viết số %s về công tác Đảng</div>
<div class="news-detail"><h1 class="title-detail">Bài viết số %s về công tác Đảng</h1><div class="date-detail">Ngày 28/02/2020</div><div class="content-detail">`,
				id, chrome, id, id)
			for p := 0; p < 8; p++ {
				fmt.Fprintf(&b, "<p>%s (%s.%d)</p>", paragraph, id, p)
			}
			fmt.Fprintf(&b, `<p style="text-align:right"><strong>Lê Hà (Văn phòng Đảng ủy Khối)</strong></p></div></div>%s</body></html>`, footer)
			fmt.Fprint(w, b.String())
		default:
			http.NotFound(w, r)
		}
	})
}

// listingPath is the path of listing page p (0 is the home page).
func listingPath(p int) string {
	if p == 0 {
		return "/"
	}
	return "/tin-tuc/page-" + strconv.Itoa(p)
}
