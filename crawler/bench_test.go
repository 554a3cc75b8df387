package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"tulieu/internal/procmem"
	"tulieu/store"
	"tulieu/warc"
)

// benchPages is the size of the generated site: TULIEU_BENCH_PAGES, default
// 1000 so that `go test -bench .` stays quick; BENCHMARKS.md uses 10000.
func benchPages() int {
	if n, err := strconv.Atoi(os.Getenv("TULIEU_BENCH_PAGES")); err == nil && n > 0 {
		return n
	}
	return 1000
}

const benchParagraph = "Năm 2019, dưới sự lãnh đạo, chỉ đạo của Đảng bộ, Trung tâm Giáo dục Thường xuyên tỉnh đã đạt được một số kết quả nổi bật trong công tác xây dựng Đảng, nâng cao chất lượng sinh hoạt chi bộ và thực hiện nhiệm vụ chính trị được giao."

// generatedSite serves n articles of realistic size with the target site's
// chrome, reachable through listing pages of 50 links, with ETags.
func generatedSite(n int) http.Handler {
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
			// A pager as CMSes print it: the next few pages and the last.
			last := (n - 1) / perListing
			for p := page + 1; p <= min(last, page+5); p++ {
				fmt.Fprintf(&b, `<a href="/tin-tuc/page-%d">%d</a> `, p, p+1)
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
				fmt.Fprintf(&b, "<p>%s (%s.%d)</p>", benchParagraph, id, p)
			}
			fmt.Fprintf(&b, `<p style="text-align:right"><strong>Lê Hà (Văn phòng Đảng ủy Khối)</strong></p></div></div>%s</body></html>`, footer)
			fmt.Fprint(w, b.String())
		default:
			http.NotFound(w, r)
		}
	})
}

func benchCrawl(b *testing.B, dir, site string) *Summary {
	ctx := context.Background()
	st, err := store.Open(ctx, dir, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	w, _ := warc.NewWriter(st.WARCPath(), warc.WriterOptions{})
	defer w.Close()
	sum, err := New(st, w, nil).Run(ctx, Options{Sites: []string{site}, Parallel: 8, Delay: 0, Timeout: 10 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	return sum
}

// peakRSS is the process's peak resident memory in MiB since the
// benchmark began.
func peakRSS() float64 { return float64(procmem.PeakRSS()) / (1 << 20) }

// BenchmarkCrawl crawls the generated site from scratch, politeness off:
// fetch, archive, extract, catalog.
func BenchmarkCrawl(b *testing.B) {
	n := benchPages()
	srv := httptest.NewServer(generatedSite(n))
	defer srv.Close()
	procmem.ResetPeak()
	var pages int64
	for b.Loop() {
		sum := benchCrawl(b, b.TempDir(), srv.URL+"/")
		if sum.New != int64(n) {
			b.Fatalf("crawled %d new articles, want %d", sum.New, n)
		}
		pages += sum.Fetched
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
	b.ReportMetric(peakRSS(), "peak-RSS-MiB")
}

// BenchmarkRecrawlUnchanged re-crawls the same site: every article answers
// 304 to its conditional request.
func BenchmarkRecrawlUnchanged(b *testing.B) {
	n := benchPages()
	srv := httptest.NewServer(generatedSite(n))
	defer srv.Close()
	dir := b.TempDir()
	benchCrawl(b, dir, srv.URL+"/")
	procmem.ResetPeak()
	var pages int64
	b.ResetTimer()
	for b.Loop() {
		sum := benchCrawl(b, dir, srv.URL+"/")
		if sum.Unchanged != int64(n) || sum.New != 0 {
			b.Fatalf("re-crawl: %+v", sum)
		}
		pages += sum.Fetched
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
	b.ReportMetric(peakRSS(), "peak-RSS-MiB")
}
