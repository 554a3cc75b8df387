package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// Review of extraction Version 6's breadcrumb rules, crawled: what a
// researcher and a nightly operator saw before the fixes (each test's
// comment tells it).

// rvSite is a small party-newspaper site: a home page, the listing of
// the subsection "Tổ chức cơ sở" (which prints its parent section's link,
// "Xây dựng Đảng", above its heading) and its articles, whose pages print
// no breadcrumb; each article prints its event ("Đại hội XIV của Đảng")
// above its title. When hot is set, the header's "Chủ đề nóng" bar names
// that event, as such bars do on the days an event is in the news.
func rvSite(t *testing.T, hot *atomic.Bool) *httptest.Server {
	t.Helper()
	header := func() string {
		h := `<header><a href="/" class="logo">Báo Mẫu</a>
<nav><a href="/">Trang chủ</a> <a href="/thoi-su/">Thời sự</a> <a href="/xay-dung-dang/">Xây dựng Đảng</a> <a href="/kinh-te/">Kinh tế</a> <a href="/van-hoa/">Văn hóa</a></nav>`
		if hot.Load() {
			h += `<div class="hot-topics">Chủ đề nóng: <a href="/su-kien/dai-hoi-xiv.html">Đại hội XIV của Đảng</a> <a href="/su-kien/bao-so-3.html">Bão số 3</a></div>`
		}
		return h + "</header>"
	}
	page := func(title, head, main string) string {
		return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>` + title + ` - Báo Mẫu</title>
<meta property="og:site_name" content="Báo Mẫu">` + head + `</head><body>` + header() + `
<div class="container"><div class="col-main">` + main + `</div></div>
<footer>Báo Mẫu, số 1 đường Mẫu, Thanh Hóa</footer></body></html>`
	}
	article := func(i int) string {
		title := fmt.Sprintf("Chi bộ thôn %d tổ chức sinh hoạt chuyên đề quý IV năm 2026", i)
		var body strings.Builder
		for p := 0; p < 5; p++ {
			fmt.Fprintf(&body, "<p>Chiều 5/12, Chi bộ thôn %d tổ chức sinh hoạt chuyên đề về nâng cao chất lượng sinh hoạt chi bộ, với sự tham dự của đồng chí Bí thư Đảng ủy xã và đông đảo đảng viên trong chi bộ; các ý kiến tập trung vào việc đổi mới nội dung sinh hoạt (đoạn %d).</p>\n", i, p+1)
		}
		return page(title, `<meta property="og:type" content="article">`,
			`<div class="event"><a href="/su-kien/dai-hoi-xiv.html">Đại hội XIV của Đảng</a></div>
<h1 class="title-detail">`+title+`</h1>
<div class="meta"><span class="post-time">05/12/2026 16:30</span></div>
<div class="content-detail">`+body.String()+`</div>`)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch p := r.URL.Path; {
		case p == "/":
			fmt.Fprint(w, page("Trang chủ", "", `<h2><a href="/xay-dung-dang/to-chuc-co-so/">Tổ chức cơ sở</a></h2><p>Tin hoạt động của các tổ chức cơ sở đảng.</p>`))
		case p == "/xay-dung-dang/to-chuc-co-so/":
			var items strings.Builder
			for i := 1; i <= 6; i++ {
				fmt.Fprintf(&items, `<div class="item"><h3><a href="/xay-dung-dang/to-chuc-co-so/chi-bo-thon-%d-sinh-hoat-chuyen-de-123%d.html">Chi bộ thôn %d tổ chức sinh hoạt chuyên đề quý IV năm 2026</a></h3><p>Chi bộ đã tổ chức sinh hoạt chuyên đề với sự tham dự của đông đảo đảng viên.</p></div>`+"\n", i, i, i)
			}
			fmt.Fprint(w, page("Tổ chức cơ sở", "", `<div class="parent-cat"><a href="/xay-dung-dang/">Xây dựng Đảng</a></div>
<h1 class="cat-title">Tổ chức cơ sở</h1>`+items.String()))
		case strings.HasPrefix(p, "/xay-dung-dang/to-chuc-co-so/chi-bo-thon-"):
			var i int
			fmt.Sscanf(strings.TrimPrefix(p, "/xay-dung-dang/to-chuc-co-so/chi-bo-thon-"), "%d", &i)
			fmt.Fprint(w, article(i))
		default:
			http.NotFound(w, r)
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// rvCrawl crawls site; the menu's other sections answer 404, which the
// error rate allows.
func rvCrawl(t *testing.T, data, site string) crawlSummary {
	t.Helper()
	code, out, errOut := run(t, data, "crawl", "--site", site, "--delay", "0", "--parallel", "4", "--max-error-rate", "1", "--json")
	if code != 0 {
		t.Fatalf("crawl exited %d: %s", code, errOut)
	}
	var s crawlSummary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("crawl --json printed %q: %v", out, err)
	}
	return s
}

type rvShown struct {
	URL        string   `json:"url"`
	Category   string   `json:"category"`
	Breadcrumb []string `json:"breadcrumb"`
	Versions   int      `json:"versions"`
}

func rvShow(t *testing.T, data, u string) rvShown {
	t.Helper()
	code, out, errOut := run(t, data, "show", "--json", u)
	if code != 0 {
		t.Fatalf("show %s: %d %s", u, code, errOut)
	}
	var a rvShown
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestListedArticlesKeepTheirSubsection: what a researcher sees of
// extraction Version 6 on a site whose subsection listings print their
// parent section above their heading. The articles of "Tổ chức cơ sở",
// whose pages print no breadcrumb, took that listing's category under
// Version 5; under Version 6 the listing is named by its parent's link
// (the new "section link the menu names" rule makes it its breadcrumb,
// and a listing is named by its last item), and `show`, `search
// --category`, the facets and exports file them all under "Xây dựng
// Đảng".
func TestListedArticlesKeepTheirSubsection(t *testing.T) {
	var hot atomic.Bool
	srv := rvSite(t, &hot)
	data := t.TempDir()
	rvCrawl(t, data, srv.URL+"/")
	a := rvShow(t, data, srv.URL+"/xay-dung-dang/to-chuc-co-so/chi-bo-thon-1-sinh-hoat-chuyen-de-1231.html")
	if a.Category != "Tổ chức cơ sở" {
		t.Errorf("category %q (breadcrumb %q), want the listing's %q", a.Category, a.Breadcrumb, "Tổ chức cơ sở")
	}
}

// TestOneNightInTheHotTopicsBarIsNoNewVersion: a nightly operator's
// view. The site did not touch the article; only the header's "Chủ đề
// nóng" bar changed, naming the event the article prints above its title.
// Under Version 6 that makes the event the article's breadcrumb (the
// "menu" it is checked against is any link in the header or a sidebar),
// so the night counts the article `changed`, `changes` lists it, the feed
// announces an edit, and `show --versions` holds a second version whose
// only difference is the category.
func TestOneNightInTheHotTopicsBarIsNoNewVersion(t *testing.T) {
	var hot atomic.Bool
	srv := rvSite(t, &hot)
	data := t.TempDir()
	rvCrawl(t, data, srv.URL+"/")
	hot.Store(true)
	s := rvCrawl(t, data, srv.URL+"/")
	u := srv.URL + "/xay-dung-dang/to-chuc-co-so/chi-bo-thon-1-sinh-hoat-chuyen-de-1231.html"
	if a := rvShow(t, data, u); s.Changed != 0 || a.Versions != 1 {
		t.Errorf("second night: %d changed; the article has %d versions, category %q (breadcrumb %q): a header bar made a version", s.Changed, a.Versions, a.Category, a.Breadcrumb)
	}
}
