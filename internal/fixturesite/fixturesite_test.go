package fixturesite

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// get fetches a URL and returns status, headers and body.
func get(t *testing.T, u string, hdr map[string]string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	// Redirects are checked explicitly where they matter.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

var (
	blockRe = regexp.MustCompile(`(?is)<(p|li|tr)\b[^>]*>(.*?)</(?:p|li|tr)>`)
	cellRe  = regexp.MustCompile(`(?is)<t[dh]\b[^>]*>(.*?)</t[dh]>`)
	tagRe   = regexp.MustCompile(`(?s)<[^>]+>`)
	imgRe   = regexp.MustCompile(`<img[^>]*>`)
	srcRe   = regexp.MustCompile(`\ssrc="([^"]+)"`)
	hrefRe  = regexp.MustCompile(`href="([^"]*)"`)
	fileRe  = regexp.MustCompile(`href="(/uploads/files/[^"]+)"`)
	dateRe  = regexp.MustCompile(`<span class="ngaydang">([^<]*)</span>`)
)

func text(h string) string { return normalize(html.UnescapeString(tagRe.ReplaceAllString(h, " "))) }

// paragraphsOf is a deliberately naive extractor over fixture markup: it
// checks that each Expected was written from the HTML it sits next to, so
// that a fixture edit that forgets one side fails here, not in the extractor
// tests.
func paragraphsOf(body string) []string {
	var out []string
	for _, m := range blockRe.FindAllStringSubmatch(body, -1) {
		var t string
		if strings.EqualFold(m[1], "tr") {
			var cells []string
			for _, c := range cellRe.FindAllStringSubmatch(m[2], -1) {
				cells = append(cells, text(c[1]))
			}
			t = strings.Join(cells, " | ")
		} else {
			t = text(m[2])
		}
		if t != "" {
			out = append(out, t)
		}
	}
	return out
}

func TestFixturesMatchTheirExpectations(t *testing.T) {
	s := New(Options{})
	all := s.Articles()
	var articles, static, undated, tables, lists int
	for _, a := range all {
		t.Run(a.Path, func(t *testing.T) {
			e := a.Expected
			if got := paragraphsOf(a.BodyHTML); !slices.Equal(got, e.BodyParagraphs) {
				t.Errorf("body paragraphs differ\n got: %q\nwant: %q", got, e.BodyParagraphs)
			}
			var srcs, wantSrcs []string
			for _, tag := range imgRe.FindAllString(a.BodyHTML, -1) {
				if !strings.Contains(tag, `alt="alt"`) {
					t.Errorf("image without alt=\"alt\": %s", tag)
				}
				srcs = append(srcs, srcRe.FindStringSubmatch(tag)[1])
			}
			for i, im := range e.Images {
				wantSrcs = append(wantSrcs, im.Src)
				if !slices.Contains(e.BodyParagraphs, im.Caption) {
					t.Errorf("caption %d %q is not a body paragraph", i, im.Caption)
				}
			}
			if !slices.Equal(srcs, wantSrcs) {
				t.Errorf("images %q, expected %q", srcs, wantSrcs)
			}
			var files []string
			for _, m := range fileRe.FindAllStringSubmatch(a.BodyHTML, -1) {
				files = append(files, m[1])
			}
			for _, l := range a.Attachments {
				files = append(files, l.Href)
			}
			files = slices.Compact(files)
			if !slices.Equal(files, e.Attachments) {
				t.Errorf("attachments %q, expected %q", files, e.Attachments)
			}
			for _, f := range e.Attachments {
				if _, err := content.ReadFile("testdata/static" + f); err != nil {
					t.Errorf("attachment %s is not served: %v", f, err)
				}
			}
			byline := text(a.BylineHTML)
			if e.Author != "" && !strings.Contains(byline, e.Author) || e.Author == "" && e.Source == "" && byline != "" {
				t.Errorf("byline %q does not fit author %q", byline, e.Author)
			}
			if e.AuthorName != "" && !strings.Contains(e.Author, e.AuthorName) {
				t.Errorf("author name %q not in author %q", e.AuthorName, e.Author)
			}
			if e.Source != "" && !strings.Contains(byline, "Nguồn: "+e.Source) {
				t.Errorf("byline %q has no source line for %q", byline, e.Source)
			}
			if e.Title != a.Title || e.Category != a.Category || !slices.Equal(e.Breadcrumb, []string{a.Category}) {
				t.Errorf("title/category/breadcrumb mismatch: %+v", e)
			}
			if e.Published != "" {
				pt, err := parsePublished(e.Published)
				if err != nil {
					t.Fatal(err)
				}
				day, month := pt.Format("02"), pt.Format("01")
				if !strings.Contains(a.DateLine, day) || !strings.Contains(a.DateLine, month) || !strings.Contains(a.DateLine, pt.Format("2006")) {
					t.Errorf("published %s does not match date line %q", e.Published, a.DateLine)
				}
				if strings.Contains(e.Published, "T") != strings.Contains(a.DateLine, ":") {
					t.Errorf("published %s: time part does not match date line %q", e.Published, a.DateLine)
				}
			} else if a.DateLine != "" {
				t.Errorf("date line %q but no published", a.DateLine)
			}
			if a.Static && (a.DateLine != "" || e.Author != "" || strings.TrimSpace(a.BylineHTML) != "") {
				t.Errorf("static page with date or byline")
			}
			if n := len(e.BodyParagraphs); !a.Static && n < 4 {
				t.Errorf("only %d paragraphs", n)
			}
		})
		switch {
		case a.Static:
			static++
		default:
			articles++
			if a.DateLine == "" {
				undated++
			}
		}
		if strings.Contains(a.BodyHTML, "<table") {
			tables++
		}
		if strings.Contains(a.BodyHTML, "<li") {
			lists++
		}
	}
	if articles < 15 || static != 2 || undated != 1 || tables == 0 || lists == 0 {
		t.Errorf("articles=%d static=%d undated=%d tables=%d lists=%d", articles, static, undated, tables, lists)
	}
}

func TestSeedArticle(t *testing.T) {
	s := New(Options{})
	const title = "Nâng cao chất lượng sinh hoạt Đảng thông qua kiểm điểm, đánh giá xếp loại tổ chức đảng, đảng viên"
	for _, a := range s.Articles() {
		if a.Title != title {
			continue
		}
		e := a.Expected
		if e.Category != "Hoạt động của các tổ chức CSĐ trực thuộc" || e.Author != "ThS Đào Thị Thủy - UV Ban Chấp hành Đảng bộ Trung tâm GDT" || e.AuthorName != "Đào Thị Thủy" || e.Published != "" {
			t.Errorf("seed expectations: %+v", e)
		}
		body := strings.Join(e.BodyParagraphs, "\n")
		for _, w := range []string{"HTSXNV", "diễn biến hoà bình", "tự chuyển hóa", "SNCL", "ngắn hạn. Tiếp tục"} {
			if !strings.Contains(body, w) && !strings.Contains(title, w) {
				t.Errorf("seed body lacks %q", w)
			}
		}
		return
	}
	t.Fatal("seed article missing")
}

// TestDistinctiveTerms pins the words search tests can use to hit exactly one
// article. Matching is on title and body, case-insensitive, with tone marks
// exactly as written.
func TestDistinctiveTerms(t *testing.T) {
	s := New(Options{})
	terms := map[string]string{
		"Đại hội Đảng bộ Khối lần thứ XV": "-672.html",
		"chuyển đổi số":                   "-1024.html",
		"kê khai tài sản":                 "-987.html",
		"không gian mạng":                 "-15.html",
		"Hàm Rồng":                        "-23.html",
		"Mường Lát":                       "-689.html",
		"Tọa đàm":                         "-695.html",
		"Di chúc":                         "-27.html",
	}
	for term, suffix := range terms {
		var hits []string
		for _, a := range s.Articles() {
			txt := strings.ToLower(a.Title + "\n" + strings.Join(a.Expected.BodyParagraphs, "\n"))
			if strings.Contains(txt, strings.ToLower(term)) {
				hits = append(hits, a.Path)
			}
		}
		if len(hits) != 1 || !strings.HasSuffix(hits[0], suffix) {
			t.Errorf("%q found in %q, want only *%s", term, hits, suffix)
		}
	}
	// No article writes "hòa bình" in the new style, so a search for it must
	// rely on tone-mark normalization to find the old-style ones.
	for _, a := range s.Articles() {
		if strings.Contains(strings.ToLower(a.Title+strings.Join(a.Expected.BodyParagraphs, " ")), "hòa bình") {
			t.Errorf("%s contains new-style hòa bình", a.Path)
		}
	}
}

func TestOldStyleToneMarksOnly(t *testing.T) {
	s := New(Options{})
	newStyle := regexp.MustCompile(`(?i)([óòỏõọ][ae]|[úùủũụ]y)(\P{L}|$)`)
	for _, a := range s.Articles() {
		if !strings.HasSuffix(a.Path, "-15.html") {
			continue
		}
		txt := a.Title + "\n" + strings.Join(a.Expected.BodyParagraphs, "\n")
		if m := newStyle.FindAllString(txt, -1); len(m) > 0 {
			t.Errorf("new-style tone marks in the old-style article: %q", m)
		}
		if !strings.Contains(txt, "diễn biến hoà bình") {
			t.Error("old-style article lacks diễn biến hoà bình")
		}
		return
	}
	t.Fatal("article -15.html missing")
}

// crawl follows same-site links from "/" breadth-first, honouring the two
// robots.txt rules, and returns the set of visited paths.
func crawl(t *testing.T, base string) map[string]bool {
	t.Helper()
	seen := map[string]bool{"/": true}
	queue := []string{"/"}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		status, hdr, body := get(t, base+u, nil)
		if status == http.StatusMovedPermanently {
			body = `href="` + hdr.Get("Location") + `"`
		} else if status != http.StatusOK {
			t.Errorf("%s: status %d", u, status)
			continue
		}
		for _, m := range hrefRe.FindAllStringSubmatch(body, -1) {
			ref, err := url.Parse(html.UnescapeString(m[1]))
			if err != nil || ref.Scheme != "" || ref.Host != "" || !strings.HasPrefix(ref.Path, "/") {
				continue // external, javascript:, mailto:, #top
			}
			p := ref.Path
			if ref.RawQuery != "" {
				p += "?" + ref.RawQuery
			}
			if strings.HasPrefix(p, "/admin/") || strings.HasPrefix(p, "/tim-kiem") || strings.HasPrefix(p, "/templates/") || strings.HasPrefix(p, "/uploads/") {
				continue
			}
			if !seen[p] {
				seen[p] = true
				queue = append(queue, p)
			}
		}
	}
	return seen
}

func TestEveryArticleReachableFromHome(t *testing.T) {
	s, srv := Start(t, Options{})
	seen := crawl(t, srv.URL)
	for _, a := range s.Articles() {
		if !seen[a.Path] {
			t.Errorf("%s not reachable from /", a.Path)
		}
	}
	if s.Hits("/admin/login") != 0 || s.Hits("/tim-kiem") != 0 {
		t.Error("test crawler fetched a disallowed path")
	}
	for _, p := range []string{"/tin-tuc/tin-tuc-chung?page=2", "/hoat-dong-cac-to-chuc-csd?page=2"} {
		if !seen[p] {
			t.Errorf("pagination link %s not found", p)
		}
	}
}

func TestArticlePages(t *testing.T) {
	s, srv := Start(t, Options{})
	for _, a := range s.Articles() {
		status, hdr, body := get(t, srv.URL+a.Path, nil)
		if status != 200 || hdr.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Fatalf("%s: %d %s", a.Path, status, hdr.Get("Content-Type"))
		}
		want := []string{
			"<title>" + html.EscapeString(a.Title) + " - Đảng ủy Khối các cơ quan tỉnh Thanh Hóa</title>",
			`<link rel="canonical" href="` + srv.URL + a.Path + `" />`,
			`<h1 class="title-detail">` + html.EscapeString(a.Title) + `</h1>`,
			`<span class="current">` + html.EscapeString(a.Title) + `</span>`,
			">" + a.Category + "<",
			"Liên kết website", "Thống kê truy cập", "Các bài viết gần đây",
			"Địa chỉ: Số 35 Hà Văn Mao, Phường Ba Đình, TP. Thanh Hóa, tỉnh Thanh Hóa",
			"Đơn vị xây dựng: Trung tâm CNTT&amp;TT Thanh Hóa",
		}
		if a.DateLine != "" {
			// html/template writes "+" as "&#43;"; compare the decoded text.
			if m := dateRe.FindStringSubmatch(body); m == nil || html.UnescapeString(m[1]) != a.DateLine {
				t.Errorf("%s: date line %q, want %q", a.Path, m, a.DateLine)
			}
		} else if strings.Contains(body, "date-detail") {
			t.Errorf("%s: undated page prints a date block", a.Path)
		}
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: page lacks %q", a.Path, w)
			}
		}
		// The chrome comes in the order the real site shows it.
		order := []string{"site-name", "Liên kết website", "Thống kê truy cập", `class="duongdan"`, "title-detail", "content-detail", "Các bài viết gần đây", `class="footer"`}
		last := -1
		for _, w := range order {
			i := strings.Index(body, w)
			if i <= last {
				t.Errorf("%s: %q out of order", a.Path, w)
			}
			last = i
		}
		for _, im := range a.Expected.Images {
			if st, h, _ := get(t, srv.URL+im.Src, nil); st != 200 || h.Get("Content-Type") != "image/jpeg" {
				t.Errorf("image %s: %d %s", im.Src, st, h.Get("Content-Type"))
			}
		}
		for _, f := range a.Expected.Attachments {
			if st, h, b := get(t, srv.URL+f, nil); st != 200 || h.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(b, "%PDF-") {
				t.Errorf("attachment %s: %d %s", f, st, h.Get("Content-Type"))
			}
		}
	}
}

func TestOtherRoutes(t *testing.T) {
	s, srv := Start(t, Options{})
	if st, _, body := get(t, srv.URL+"/no/such/page.html", nil); st != 404 || !strings.Contains(body, "Thống kê truy cập") {
		t.Errorf("unknown path: %d", st)
	}
	if st, _, _ := get(t, srv.URL+"/uploads/images/nope.jpg", nil); st != 404 {
		t.Errorf("unknown image: %d", st)
	}
	if st, h, _ := get(t, srv.URL+"/tin-tuc/tu-lieu/", nil); st != 301 || h.Get("Location") != "/tin-tuc/tu-lieu" {
		t.Errorf("trailing slash: %d %q", st, h.Get("Location"))
	}
	for _, p := range []string{"/tin-tuc/tin-tuc-chung?page=9", "/tin-tuc/tin-tuc-chung?page=x", "/tin-tuc/tin-tuc-chung?page=0"} {
		if st, _, _ := get(t, srv.URL+p, nil); st != 404 {
			t.Errorf("%s: %d", p, st)
		}
	}
	// Listings are newest first, five to a page.
	_, _, body := get(t, srv.URL+"/tin-tuc/tin-tuc-chung", nil)
	var listed []string
	for _, a := range s.Articles() {
		if strings.HasPrefix(a.Path, "/tin-tuc/tin-tuc-chung/") {
			listed = append(listed, a.Path)
		}
	}
	for i, p := range listed {
		if in := strings.Contains(body, `<h3><a href="`+p+`">`); in != (i < perPage) {
			t.Errorf("article %d (%s) on page 1: %v", i, p, in)
		}
	}
	if !strings.Contains(body, `<a href="/tin-tuc/tin-tuc-chung?page=2">Trang sau »</a>`) {
		t.Error("no Trang sau link")
	}
	if st, _, body := get(t, srv.URL+"/tim-kiem?q=abc", nil); st != 200 || !strings.Contains(body, "Kết quả tìm kiếm") {
		t.Errorf("search: %d", st)
	}
	if st, _, _ := get(t, srv.URL+"/admin/login", nil); st != 200 {
		t.Errorf("admin: %d", st)
	}
	if s.Hits("/tim-kiem") != 1 || s.Hits("/tim-kiem?q=abc") != 1 || s.Hits("/admin/login") != 1 {
		t.Errorf("hits: %d %d %d", s.Hits("/tim-kiem"), s.Hits("/tim-kiem?q=abc"), s.Hits("/admin/login"))
	}
}

var statsRe = regexp.MustCompile(`Đang online: <span class="so">(\d+)</span></li>\s*<li>Hôm nay: <span class="so">(\d+)</span></li>\s*<li>Tổng số truy cập: <span class="so">(\d+)</span>`)

func TestCountersChangeOnEveryRequest(t *testing.T) {
	s, srv := Start(t, Options{})
	p := s.Articles()[0].Path
	_, _, b1 := get(t, srv.URL+p, nil)
	_, _, b2 := get(t, srv.URL+p, nil)
	m1, m2 := statsRe.FindStringSubmatch(b1), statsRe.FindStringSubmatch(b2)
	if m1 == nil || m2 == nil {
		t.Fatal("no Thống kê truy cập numbers")
	}
	for i := 1; i <= 3; i++ {
		if m1[i] == m2[i] {
			t.Errorf("counter %d did not change: %s", i, m1[i])
		}
	}
	if b1 == b2 {
		t.Error("identical page bytes")
	}
}

func TestRobotsTxt(t *testing.T) {
	_, srv := Start(t, Options{})
	st, h, body := get(t, srv.URL+"/robots.txt", nil)
	if st != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
		t.Fatalf("robots.txt: %d %s", st, h.Get("Content-Type"))
	}
	for _, l := range []string{"User-agent: *", "Disallow: /admin/", "Disallow: /tim-kiem"} {
		if !strings.Contains(body, l+"\n") {
			t.Errorf("robots.txt lacks %q", l)
		}
	}
	_, _, home := get(t, srv.URL+"/", nil)
	for _, l := range []string{`href="/admin/login"`, `href="/tim-kiem?q=abc"`, `href="http://thanhhoa.gov.vn/"`, `href="http://dangcongsan.vn/"`} {
		if !strings.Contains(home, l) {
			t.Errorf("home page lacks trap link %s", l)
		}
	}
}

func TestConditionalRequests(t *testing.T) {
	s, srv := Start(t, Options{Conditional: true})
	p := s.Articles()[0].Path
	st, h, _ := get(t, srv.URL+p, nil)
	etag, lm := h.Get("ETag"), h.Get("Last-Modified")
	if st != 200 || etag == "" || lm == "" {
		t.Fatalf("%d etag=%q lm=%q", st, etag, lm)
	}
	if _, h2, _ := get(t, srv.URL+p, nil); h2.Get("ETag") != etag || h2.Get("Last-Modified") != lm {
		t.Error("validators changed with the counters")
	}
	if st, _, b := get(t, srv.URL+p, map[string]string{"If-None-Match": etag}); st != 304 || b != "" {
		t.Errorf("If-None-Match: %d %q", st, b)
	}
	if st, _, _ := get(t, srv.URL+p, map[string]string{"If-None-Match": `"other", W/` + etag}); st != 304 {
		t.Errorf("weak If-None-Match in a list: %d", st)
	}
	if st, _, _ := get(t, srv.URL+p, map[string]string{"If-Modified-Since": lm}); st != 304 {
		t.Errorf("If-Modified-Since: %d", st)
	}
	if st, _, _ := get(t, srv.URL+p, map[string]string{"If-None-Match": `"other"`, "If-Modified-Since": lm}); st != 200 {
		t.Errorf("If-None-Match must win over If-Modified-Since: %d", st)
	}
	s.Edit(p, []string{"Đoạn văn mới sau khi sửa."})
	st, h, body := get(t, srv.URL+p, map[string]string{"If-None-Match": etag, "If-Modified-Since": lm})
	if st != 200 || h.Get("ETag") == etag || !strings.Contains(body, "Đoạn văn mới sau khi sửa.") {
		t.Errorf("after Edit: %d etag %q", st, h.Get("ETag"))
	}
	if st, _, _ := get(t, srv.URL+p, map[string]string{"If-Modified-Since": lm}); st != 200 {
		t.Errorf("If-Modified-Since after Edit: %d", st)
	}
	newLM, _ := http.ParseTime(h.Get("Last-Modified"))
	oldLM, _ := http.ParseTime(lm)
	if !newLM.After(oldLM) {
		t.Errorf("Last-Modified did not move: %s -> %s", lm, h.Get("Last-Modified"))
	}
	reqs := s.Requests()
	if reqs[len(reqs)-1].Status != 200 || reqs[len(reqs)-2].Header.Get("If-None-Match") != etag || reqs[len(reqs)-2].Status != 200 {
		t.Errorf("request log tail: %+v", reqs[len(reqs)-2:])
	}

	// Without the option the site sends no validators and ignores them.
	_, srv2 := Start(t, Options{})
	st, h, _ = get(t, srv2.URL+p, map[string]string{"If-None-Match": "*"})
	if st != 200 || h.Get("ETag") != "" || h.Get("Last-Modified") != "" {
		t.Errorf("unconditional site: %d %v", st, h)
	}
}

// TestConditionalFiles: with Conditional, images and static files carry
// validators that do not change between requests, answer 304 to them, and
// still answer 404 for what does not exist.
func TestConditionalFiles(t *testing.T) {
	s, srv := Start(t, Options{Conditional: true})
	var img string
	for _, a := range s.Articles() {
		if len(a.Expected.Images) > 0 {
			img = a.Expected.Images[0].Src
			break
		}
	}
	for _, p := range []string{img, "/templates/images/banner.jpg", "/templates/css/style.css"} {
		st, h, body := get(t, srv.URL+p, nil)
		etag, lm := h.Get("ETag"), h.Get("Last-Modified")
		if st != 200 || etag == "" || lm == "" || body == "" {
			t.Errorf("%s: %d etag=%q lm=%q", p, st, etag, lm)
			continue
		}
		if _, h2, body2 := get(t, srv.URL+p, nil); h2.Get("ETag") != etag || body2 != body {
			t.Errorf("%s: validator or bytes changed between requests", p)
		}
		if st, h, b := get(t, srv.URL+p, map[string]string{"If-None-Match": etag}); st != 304 || b != "" || h.Get("ETag") != etag {
			t.Errorf("%s If-None-Match: %d %q", p, st, b)
		}
		if st, _, _ := get(t, srv.URL+p, map[string]string{"If-Modified-Since": lm}); st != 304 {
			t.Errorf("%s If-Modified-Since: %d", p, st)
		}
		if st, _, _ := get(t, srv.URL+p, map[string]string{"If-None-Match": `"other"`}); st != 200 {
			t.Errorf("%s another ETag: %d", p, st)
		}
	}
	if _, hb, _ := get(t, srv.URL+"/templates/images/banner.jpg", nil); hb.Get("ETag") == "" {
		t.Error("banner without ETag")
	} else if _, hn, _ := get(t, srv.URL+"/templates/images/no-image.jpg", nil); hn.Get("ETag") == hb.Get("ETag") {
		t.Error("two different images share an ETag")
	}
	if st, _, _ := get(t, srv.URL+"/uploads/images/nope.jpg", map[string]string{"If-None-Match": "*"}); st != 404 {
		t.Errorf("unknown image, conditionally: %d", st)
	}
	// Without the option, files carry no validators either.
	_, srv2 := Start(t, Options{})
	if st, h, _ := get(t, srv2.URL+"/templates/images/banner.jpg", map[string]string{"If-None-Match": "*"}); st != 200 || h.Get("ETag") != "" {
		t.Errorf("unconditional site, image: %d %v", st, h)
	}
}

func TestEditRemoveAdd(t *testing.T) {
	s, srv := Start(t, Options{})
	arts := s.Articles()
	target := arts[1].Path

	s.Edit(target, []string{"Đoạn một.", "Đoạn  hai\u00a0có khoảng trắng."})
	for _, a := range s.Articles() {
		if a.Path == target {
			if want := []string{"Đoạn một.", "Đoạn hai có khoảng trắng."}; !slices.Equal(a.Expected.BodyParagraphs, want) {
				t.Errorf("Expected after Edit: %q", a.Expected.BodyParagraphs)
			}
			if got := paragraphsOf(a.BodyHTML); !slices.Equal(got, a.Expected.BodyParagraphs) {
				t.Errorf("served body after Edit: %q", got)
			}
		}
	}

	s.Remove(target, http.StatusGone)
	if st, _, _ := get(t, srv.URL+target, nil); st != 410 {
		t.Errorf("removed (410): %d", st)
	}
	s.Remove(arts[2].Path, http.StatusNotFound)
	if st, _, _ := get(t, srv.URL+arts[2].Path, nil); st != 404 {
		t.Errorf("removed (404): %d", st)
	}
	_, _, home := get(t, srv.URL+"/", nil)
	if strings.Contains(home, target) || strings.Contains(home, arts[2].Path) {
		t.Error("removed article still linked from the home page")
	}
	if len(s.Articles()) != len(arts)-2 {
		t.Errorf("Articles after Remove: %d", len(s.Articles()))
	}

	added := Article{
		Path:     "/hoat-dong-cac-to-chuc-csd/chi-bo-moi-them-vao-999.html",
		Title:    "Chi bộ mới thêm vào tổ chức sinh hoạt chuyên đề",
		DateLine: "Ngày 01/12/2026",
		Expected: Expected{Published: "2026-12-01", BodyParagraphs: []string{"Nội dung thêm mới.", "Đoạn thứ hai."}},
	}
	s.Add(added)
	_, _, home = get(t, srv.URL+"/", nil)
	_, _, list := get(t, srv.URL+"/hoat-dong-cac-to-chuc-csd", nil)
	for name, page := range map[string]string{"home": home, "listing": list} {
		if !strings.Contains(page, `href="`+added.Path+`"`) {
			t.Errorf("added article not on the %s page", name)
		}
	}
	st, _, body := get(t, srv.URL+added.Path, nil)
	if st != 200 || !strings.Contains(body, "Nội dung thêm mới.") || !strings.Contains(body, ">Hoạt động của các tổ chức CSĐ trực thuộc<") {
		t.Errorf("added article page: %d", st)
	}
	got := s.Articles()[0]
	if got.Path != added.Path || got.Expected.Category != "Hoạt động của các tổ chức CSĐ trực thuộc" || got.Expected.Title != added.Title {
		t.Errorf("added article: %+v", got.Expected)
	}
}

func TestMisuseFailsLoudly(t *testing.T) {
	s := New(Options{})
	for name, f := range map[string]func(){
		"edit unknown":   func() { s.Edit("/nope.html", nil) },
		"remove unknown": func() { s.Remove("/nope.html", 404) },
		"remove 500":     func() { s.Remove(s.Articles()[0].Path, 500) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", name)
				}
			}()
			f()
		}()
	}
}

// TestConcurrentUse exercises the locks under -race: parallel fetches while
// articles are edited, added and removed.
func TestConcurrentUse(t *testing.T) {
	s, srv := Start(t, Options{Conditional: true})
	arts := s.Articles()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 10 {
				a := arts[(i+j)%len(arts)]
				resp, err := http.Get(srv.URL + a.Path)
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				_ = s.Hits(a.Path)
			}
		}()
	}
	for i := range 5 {
		s.Edit(arts[i].Path, []string{fmt.Sprintf("Sửa lần %d.", i)})
		s.Add(Article{Path: fmt.Sprintf("/tin-tuc/tu-lieu/tu-lieu-moi-%d.html", 900+i), Title: "Tư liệu mới", Time: time.Now()})
		_ = s.Articles()
		_ = s.Requests()
	}
	s.Remove(arts[len(arts)-3].Path, 410)
	wg.Wait()
	if n := len(s.Requests()); n != 80 {
		t.Errorf("logged %d requests, want 80", n)
	}
}
