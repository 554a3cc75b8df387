package web

import (
	"context"
	"html"
	"math"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tulieu/index"
	"tulieu/store"
)

// These tests come from a review of the web page used as a Vietnamese
// researcher uses it, on a desktop and on a phone (headless Chromium over
// `tulieu demo` and over a fixture archive crawled twice, with an edit
// and a removal). Each says what the user sees today and what they should
// see. Each failed before its fix.

// pageEnglish finds words of the English messages that reach the page: a
// Vietnamese sentence has none of them.
var pageEnglish = regexp.MustCompile(`\b(must|the|is|are|not|needs|unbalanced|quote|phrase|closed|version|versions|number|article|capture|date|before|after|whole|from|query|searchable|words)\b`)

// pageErrorText is the text of the page's error box.
func pageErrorText(body string) string {
	m := regexp.MustCompile(`(?s)id="error">(.*?)</p>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// TestErrorPageTitleIsVietnamese: every error page (an article id that
// does not exist, a mistyped address, a bad diff or archive parameter) is
// titled in English in the browser tab and in the history: "Not Found ·
// tulieu", "Bad Request · tulieu", "Method Not Allowed · tulieu". Every
// other page of the site is Vietnamese (lang="vi"); the tab should say
// e.g. "Không tìm thấy · tulieu", "Yêu cầu không hợp lệ · tulieu". The
// error page also has no heading at all (no <h1>): a screen reader user
// landing on it hears no title.
// Cause: pageError uses http.StatusText(status) as the title, and
// error.html has only a <p class="error"> (web/pages.go,
// web/templates/layout.html).
func TestErrorPageTitleIsVietnamese(t *testing.T) {
	srv, id := newTestServer(t)
	for _, p := range []string{"/article/khong-co", "/trang-khong-co", "/article/" + id + "/diff?a=x", "/raw?capture=abc"} {
		_, body := get(t, srv.URL+p)
		title := html.UnescapeString(firstMatch(body, `<title>[^<]*`))
		for _, en := range []string{"Not Found", "Bad Request", "Method Not Allowed", "Internal Server Error"} {
			if strings.Contains(title, en) {
				t.Errorf("GET %s: the browser tab reads %q (English); want a Vietnamese title", p, strings.TrimPrefix(title, "<title>"))
			}
		}
		if !strings.Contains(body, "<h1") {
			t.Errorf("GET %s: the error page has no <h1>; want a heading that says what went wrong", p)
		}
	}
}

// vietnameseErrors: each path answers 400 with an error message in which
// no English word is left.
func vietnameseErrors(t *testing.T, base string, paths []string) {
	t.Helper()
	for _, p := range paths {
		code, body := get(t, base+p)
		msg := pageErrorText(body)
		if code != 400 || msg == "" {
			t.Errorf("GET %s: %d, no error message", p, code)
			continue
		}
		if w := pageEnglish.FindAllString(msg, -1); len(w) > 0 {
			t.Errorf("GET %s: the page says %q: English words %q in the Vietnamese interface", p, msg, w)
		}
	}
}

// TestSearchErrorsAreVietnamese: a researcher who types an unclosed
// quote, or follows a link with a date written the Vietnamese way
// (from=28-02-2020) or an old sort name, reads a Vietnamese sentence with
// English inside it: "Câu tìm kiếm chưa đúng cú pháp, ở ký tự thứ 1
// (unbalanced quote: the phrase is not closed)", "Yêu cầu không hợp lệ:
// from must be a date as YYYY-MM-DD.", "…: sort must be relevance, newest
// or oldest.", "…: to is before from.". The whole message should be
// Vietnamese, e.g. "Ngày “Từ ngày” phải viết dạng năm-tháng-ngày
// (2020-02-28)", "Thiếu dấu ngoặc kép đóng cụm từ".
// Cause: vietnameseError wraps the index's QueryError.Msg and the API's
// ParamError text, which are English (web/pages.go).
func TestSearchErrorsAreVietnamese(t *testing.T) {
	srv, _ := newTestServer(t)
	vietnameseErrors(t, srv.URL, []string{
		"/search?q=" + url.QueryEscape(`"hòa bình`),
		"/search?q=" + url.QueryEscape("a OR"),
		"/search?q=x&from=28-02-2020",
		"/search?q=x&sort=moi-nhat",
		"/search?q=x&from=2021-01-01&to=2020-01-01",
		"/search?limit=abc",
	})
}

// TestArchiveAndDiffErrorsAreVietnamese: a link to the archive or to a
// comparison of versions with a wrong parameter (a version that does not
// exist, e.g. after copying the link of another article) shows an English
// message on the Vietnamese page: "capture must be a capture id", "url is
// required", "Không so sánh được: the article has versions 1 to 1, not 9.",
// "Không so sánh được: a must be a version number.". They should be
// Vietnamese: "Bài này chỉ có bản 1; không có bản 9."
// Cause: captureOr404 shows badParam's English text as is; handleDiff
// appends api.ParamError's English Msg (web/archive.go, web/article.go).
func TestArchiveAndDiffErrorsAreVietnamese(t *testing.T) {
	srv, id := newTestServer(t)
	vietnameseErrors(t, srv.URL, []string{
		"/raw?capture=abc",
		"/archive?capture=abc",
		"/archive",
		"/archive?url=http%3A%2F%2Fx%2F&at=hom-qua",
		"/article/" + id + "/diff?a=1&b=9",
		"/article/" + id + "/diff?a=x",
	})
}

// TestSearchHelpIsVietnamese: "Cú pháp tìm kiếm", the help every search
// page offers, is headed "Cú pháp tìm kiếm / Search syntax", explains every
// line twice with an English gloss in brackets ("(all words must match;
// accents are optional)"), and ends with five lines in English only
// ("Field values take one word or a "quoted phrase"…", "An unknown field
// name (foo:bar) is an error…"): the rules on field values, excluding a
// field and the unknown-field error are not told in Vietnamese at all. On
// the web page, whose every other word is Vietnamese, the help should be
// Vietnamese (the CLI may keep its bilingual text).
// Cause: handleSearch shows index.QueryHelp, the CLI's bilingual text
// (web/pages.go).
func TestSearchHelpIsVietnamese(t *testing.T) {
	srv, _ := newTestServer(t)
	_, body := get(t, srv.URL+"/")
	m := regexp.MustCompile(`(?s)<details class="help">(.*?)</details>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no search help on the home page")
	}
	help := html.UnescapeString(m[1])
	for _, en := range []string{"Search syntax", "all words must match", "Field values take one word", "An unknown field name", "Field filters can be excluded"} {
		if strings.Contains(help, en) {
			t.Errorf("the search help on the Vietnamese page says %q", en)
		}
	}
}

// TestFilteredListHasATitle: a researcher on the home page clicks the
// category "Tư liệu" (or a year, or an author) in the facets: the browser
// tab, the history entry and a bookmark of that page read " · tulieu",
// with nothing before the dot. The title should say what is listed, e.g.
// "Chuyên mục: Tư liệu · tulieu".
// Cause: handleSearch sets Title to the query, "" when only filters are
// given, and to "Tư liệu" only for the unfiltered listing (web/pages.go).
func TestFilteredListHasATitle(t *testing.T) {
	srv, _ := newTestServer(t)
	for _, p := range []string{
		"/search?category=" + url.QueryEscape("Tư liệu") + "&sort=newest",
		"/search?from=2020-01-01&to=2020-12-31&sort=newest",
		"/search?author=" + url.QueryEscape(`"BBT"`) + "&sort=newest",
	} {
		_, body := get(t, srv.URL+p)
		m := regexp.MustCompile(`<title>([^<]*)</title>`).FindStringSubmatch(body)
		if m == nil || strings.TrimSpace(strings.TrimSuffix(html.UnescapeString(m[1]), "tulieu")) == "·" {
			t.Errorf("GET %s: the page is titled %q; want what the page lists", p, m)
		}
	}
}

// pageHeadings lists the heading levels of a page in document order.
func pageHeadings(body string) []int {
	var out []int
	for _, m := range regexp.MustCompile(`<h([1-6])[\s>]`).FindAllStringSubmatch(body, -1) {
		n, _ := strconv.Atoi(m[1])
		out = append(out, n)
	}
	return out
}

// TestSearchPageHeadingsInOrder: on a page of search results there is
// no <h1> at all: the page's outline is h2 "Chuyên mục", h2 "Năm", h2
// "Tác giả", then the results as h3 straight under them, so a screen
// reader's list of headings files every result under "Tác giả". On the
// home page the only h1 ("Kho lưu trữ có N bài viết") comes after the
// facets' h2s. Each page should begin its outline with one h1 (what the
// page shows: the count of results) and not skip from h1 to h3.
// Cause: search.html puts the facets (h2) first in the document, writes
// the results summary as a <p> except on the home page, and the hits as
// h3 (web/templates/search.html).
func TestSearchPageHeadingsInOrder(t *testing.T) {
	srv, _ := newTestServer(t)
	for _, p := range []string{"/", "/search?q=" + url.QueryEscape("đảng bộ")} {
		_, body := get(t, srv.URL+p)
		hs := pageHeadings(body)
		if len(hs) == 0 || hs[0] != 1 {
			t.Errorf("GET %s: headings %v; want the outline to start with one h1", p, hs)
			continue
		}
		prev := 0
		for _, h := range hs {
			if h > prev+1 {
				t.Errorf("GET %s: headings %v skip from h%d to h%d", p, hs, prev, h)
				break
			}
			prev = h
		}
	}
}

// TestHomeSortMatchesTheList: the home page lists the newest articles
// first, and says so ("— mới nhất trước"), but its "Lọc và sắp xếp" form
// shows "Sắp xếp: Phù hợp nhất" selected. A user who opens the form to
// add a date range sees an order that is not the one on the screen. The
// form should show "Mới nhất" selected.
// Cause: handleSearch copies the request into page.Req before it sets
// req.Sort = "newest" for an empty query (web/pages.go).
func TestHomeSortMatchesTheList(t *testing.T) {
	srv, _ := newTestServer(t)
	_, body := get(t, srv.URL+"/")
	if !strings.Contains(body, "mới nhất trước") {
		t.Fatalf("the home page does not list the newest first: %s", firstMatch(body, `id="total">[^<]*`))
	}
	sel := firstMatch(body, `<option value="[a-z]*" selected>[^<]*`)
	if !strings.Contains(sel, `value="newest"`) && !strings.Contains(sel, "mới nhất") {
		t.Errorf("the home page lists the newest first but its sort menu shows %q selected; want Mới nhất", sel)
	}
}

// TestSearchTimeIsNeverZero: searching again for what was just searched
// (going back to the results, changing the page size and back, a second
// reader) says "14 kết quả phù hợp … · 0,000 giây": no search takes no
// time, and a researcher who notes the timing reads it as a fault.
// The page should say
// "dưới 0,001 giây" (or give the time in ms), never 0,000.
// Cause: handleSearch formats took with %.3f, and an answer from the
// result cache takes microseconds (web/pages.go).
func TestSearchTimeIsNeverZero(t *testing.T) {
	srv, _ := newTestServer(t)
	u := srv.URL + "/search?q=" + url.QueryEscape("thanh hoa")
	get(t, u)
	for i := 0; i < 3; i++ {
		_, body := get(t, u)
		if s := firstMatch(body, `id="total">[^<]*`); strings.Contains(s, "0,000 giây") {
			t.Errorf("a repeated search says %q", strings.TrimPrefix(html.UnescapeString(s), `id="total">`))
			return
		}
	}
}

// TestDeletedHitsAreMarked: with "Bài đã gỡ: gồm cả" ticked, articles
// taken down from the original site are listed among the others with
// nothing to tell them apart: same title, same line of date and category.
// The researcher must open every result to find which ones are gone — the
// reason they ticked the box. Each such result should say so in the list
// (e.g. "· đã gỡ khỏi trang gốc"), as the article page does.
// Cause: index.Hit and api.Hit carry no status, and search.html's hit has
// no place for it (web/templates/search.html, index/index.go).
func TestDeletedHitsAreMarked(t *testing.T) {
	ctx := context.Background()
	ix, st := openEmptyParts(t)
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	u := "http://danguykhoithanhhoa.org.vn/tin-tuc/bai-2.html"
	archiveArticle(t, st, ix, "http://danguykhoithanhhoa.org.vn/tin-tuc/bai-1.html", store.Content{Kind: store.KindArticle,
		Title: "Hội nghị chi bộ lần một", Body: "Chi bộ họp.", Category: "Tin tức chung", Published: "2020-03-12"}, at)
	a := archiveArticle(t, st, ix, u, store.Content{Kind: store.KindArticle,
		Title: "Hội nghị chi bộ lần hai", Body: "Chi bộ họp lần hai.", Category: "Tin tức chung", Published: "2020-03-13"}, at)
	if _, err := st.MarkDeleted(ctx, u, at.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := ix.Put(ctx, index.Document{ID: a.ID, URL: a.URL, Title: a.Title, Body: a.Body, Category: a.Category,
		Published: a.Published, Status: "deleted"}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(ix, st, Options{}))
	defer srv.Close()
	_, art := get(t, srv.URL+"/article/"+a.ID)
	if !strings.Contains(art, `id="deleted"`) {
		t.Fatalf("the article page does not say the article was taken down")
	}
	_, body := get(t, srv.URL+"/search?q="+url.QueryEscape("hội nghị chi bộ")+"&deleted=1")
	m := regexp.MustCompile(`(?s)<li class="hit[^"]*">(.*?)</li>`).FindAllStringSubmatch(body, -1)
	if len(m) != 2 {
		t.Fatalf("want 2 results with deleted=1, got %d", len(m))
	}
	for _, hit := range m {
		if !strings.Contains(hit[1], a.ID) {
			continue
		}
		if !strings.Contains(hit[1], "gỡ") {
			t.Errorf("the taken-down article is listed like the others, with nothing that says it is gone:\n%s", strings.TrimSpace(hit[1]))
		}
	}
}

// redatedArticle serves an archive of one article seen twice, a day apart,
// with nothing changed but its publication date (from, then to).
func redatedArticle(t *testing.T, from, to string) (*httptest.Server, string) {
	t.Helper()
	ix, st := openEmptyParts(t)
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var id string
	for i, pub := range []string{from, to} {
		_, a, err := st.SaveArticle(context.Background(), "http://danguykhoithanhhoa.org.vn/tin-tuc/bai-sua-ngay.html",
			store.Content{Kind: store.KindArticle, Title: "Hội nghị", Body: "Đảng bộ Khối tổ chức hội nghị.",
				BodyHTML: "<p>Đảng bộ Khối tổ chức hội nghị.</p>", Published: pub}, 0, at.Add(time.Duration(i)*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		id = a.ID
	}
	srv := httptest.NewServer(New(ix, st, Options{}))
	t.Cleanup(srv.Close)
	return srv, id
}

// TestDiffShowsDatesAsVietnamese: when an article's publication date
// was corrected between two crawls, the comparison page's "Các trường đã
// đổi" table shows the row "Ngày đăng" as "2020-03-07T08:00:00+07:00" →
// "2020-03-08T08:00:00+07:00": ISO 8601 with the offset, where every other
// date of the site reads "08:00 07/03/2020". The row should read as the
// article page does: "08:00 07/03/2020" → "08:00 08/03/2020".
// Cause: handleDiff copies api.Diff's raw field values into the table
// without formatting the published date (web/article.go).
func TestDiffShowsDatesAsVietnamese(t *testing.T) {
	srv, id := redatedArticle(t, "2020-03-07T08:00:00+07:00", "2020-03-08T08:00:00+07:00")
	code, body := get(t, srv.URL+"/article/"+id+"/diff?a=1&b=2")
	if code != 200 {
		t.Fatalf("diff page: %d", code)
	}
	i := strings.Index(body, `id="fields"`)
	if i < 0 {
		t.Fatalf("the diff page does not list the changed date")
	}
	fields := body[i:]
	fields = fields[:strings.Index(fields, "</section>")]
	if strings.Contains(fields, "2020-03-07") || strings.Contains(fields, "+07:00") || !strings.Contains(fields, "07/03/2020") {
		t.Errorf("the changed publication date reads %q; want dd/mm/yyyy in Vietnam time (08:00 07/03/2020)",
			firstMatch(html.UnescapeString(fields), `Ngày đăng.*`))
	}
}

// TestPlaceholderAltIsNotRead: the site's editor writes alt="alt" on
// every picture (seen on every image of the sample site, e.g. /article/
// of "Tọa đàm … tại Chi bộ Văn phòng"). The
// article page keeps it: a screen reader says "alt" for each picture, and
// a reader whose images do not load sees the word "alt". A placeholder alt
// should be replaced by the picture's caption (the <figcaption> under it)
// or left empty.
// Cause: rewriteBody copies the alt attribute as extracted (web/archive.go;
// the extractor keeps it too, extract/content.go).
func TestPlaceholderAltIsNotRead(t *testing.T) {
	ix, st := openEmptyParts(t)
	a := archiveArticle(t, st, ix, "http://danguykhoithanhhoa.org.vn/tin-tuc/toa-dam.html", store.Content{Kind: store.KindArticle,
		Title: "Tọa đàm", Body: "Sáng 20/02/2020, Chi bộ tổ chức Tọa đàm.",
		BodyHTML: `<p>Sáng 20/02/2020, Chi bộ tổ chức Tọa đàm.</p><figure><img src="http://danguykhoithanhhoa.org.vn/uploads/images/toa-dam.jpg" alt="alt"><figcaption><em>Các đồng chí đại biểu dự Tọa đàm</em></figcaption></figure>`},
		time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	srv := httptest.NewServer(New(ix, st, Options{}))
	defer srv.Close()
	_, body := get(t, srv.URL+"/article/"+a.ID)
	img := firstMatch(body, `<img[^>]*>`)
	if img == "" {
		t.Fatalf("no image on the article page")
	}
	if alt := regexp.MustCompile(`alt="([^"]*)"`).FindStringSubmatch(img); alt == nil || strings.EqualFold(alt[1], "alt") {
		t.Errorf("the picture is shown as %s: a screen reader reads \"alt\"; want the caption or alt=\"\"", img)
	}
}

// pageLuminance is the relative luminance of a #rgb or #rrggbb colour.
func pageLuminance(hex string) float64 {
	hex = strings.TrimPrefix(hex, "#")
	if len(hex) == 3 {
		hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
	}
	var c [3]float64
	for i := range c {
		v, _ := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		s := float64(v) / 255
		if s <= 0.03928 {
			c[i] = s / 12.92
		} else {
			c[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}

// TestFacetCountsContrast: the counts beside each facet value (the "8"
// of "Tin tức chung 8") are #777 on white, at 0.92 rem: a contrast of
// 4.48:1, under the 4.5:1 that WCAG AA asks of text that size. The
// numbers are what a researcher compares to choose a facet; they should
// be at least as dark as the rest of the small grey text (.meta is
// #5d5d5d, 6.6:1).
// Cause: aside.facets .n{color:#777} (web/static/style.css).
func TestFacetCountsContrast(t *testing.T) {
	srv, _ := newTestServer(t)
	_, css := get(t, srv.URL+"/static/style.css")
	for _, m := range regexp.MustCompile(`([^{}]+)\{(?:[^}]*;)?color:(#[0-9a-fA-F]{3,6})[;}]`).FindAllStringSubmatch(css, -1) {
		sel := strings.TrimSpace(m[1])
		if !strings.Contains(sel, ".n") && !strings.Contains(sel, ".meta") && !strings.Contains(sel, ".summary") {
			continue
		}
		l := pageLuminance(m[2])
		ratio := (1 + 0.05) / (l + 0.05)
		if ratio < 4.5 {
			t.Errorf("%s{color:%s} on white: contrast %.2f:1, under WCAG AA's 4.5:1", sel, m[2], ratio)
		}
	}
}

// TestYearFacetAgreesWithTheShownDate: an article whose page gives its
// time in another zone (the extractor keeps "GMT+0" and any offset the
// page writes) at 20:00 on 31/12/2019 UTC is shown everywhere as "03:00
// 01/01/2020" (Vietnam time, as the footer promises), but the year facet
// counts it under 2019, the year filter "Năm 2019" lists it and "Năm
// 2020" does not, and "Từ ngày 01/01/2020" leaves it out. The facet and
// the date filters should use the day in Vietnam time, the day the page
// shows.
// Cause: the index takes the year and the day of the published time "in
// its own location" (index/mapping.go dayNumber, bleveDoc), while the
// page shows it in Vietnam time (web/format.go formatPublished).
func TestYearFacetAgreesWithTheShownDate(t *testing.T) {
	ix, st := openEmptyParts(t)
	archiveArticle(t, st, ix, "http://danguykhoithanhhoa.org.vn/tin-tuc/giao-thua.html", store.Content{Kind: store.KindArticle,
		Title: "Chúc mừng năm mới", Body: "Đón giao thừa.", Published: "2019-12-31T20:00:00Z"}, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	srv := httptest.NewServer(New(ix, st, Options{}))
	defer srv.Close()
	_, body := get(t, srv.URL+"/search?q="+url.QueryEscape("giao thừa"))
	shown := firstMatch(body, `<div class="meta">[^<]*`)
	if !strings.Contains(shown, "01/01/2020") {
		t.Fatalf("the result's date reads %q; want 01/01/2020 (Vietnam time)", shown)
	}
	if strings.Contains(body, `to=2019-12-31">2019</a>`) || !strings.Contains(body, `to=2020-12-31">2020</a>`) {
		t.Errorf("a result shown as %q is counted under the year facet %q", strings.TrimPrefix(shown, `<div class="meta">`),
			firstMatch(body, `to=\d{4}-12-31">\d{4}</a>`))
	}
	_, body = get(t, srv.URL+"/search?q="+url.QueryEscape("giao thừa")+"&from=2020-01-01")
	if strings.Contains(body, "Không có kết quả nào") {
		t.Errorf("the article shown as published on 01/01/2020 is left out by “Từ ngày 01/01/2020”")
	}
}

// TestCitationSaysWhenPublished: a date with its time reads "Đăng lúc
// 16:26 ngày 04/11/2022" (it read "Đăng ngày 16:26 04/11/2022"); a date
// alone "Đăng ngày 28/02/2020".
func TestCitationSaysWhenPublished(t *testing.T) {
	ix, st := openEmptyParts(t)
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for u, c := range map[string]struct{ pub, want string }{
		"http://danguykhoithanhhoa.org.vn/gio.html":  {"2022-11-04T16:26:00+07:00", "Đăng lúc 16:26 ngày 04/11/2022."},
		"http://danguykhoithanhhoa.org.vn/ngay.html": {"2020-02-28", "Đăng ngày 28/02/2020."},
	} {
		a := archiveArticle(t, st, ix, u, store.Content{Kind: store.KindArticle, Title: "Hội nghị", Body: "Chi bộ họp.", Published: c.pub}, at)
		srv := httptest.NewServer(New(ix, st, Options{}))
		_, body := get(t, srv.URL+"/article/"+a.ID)
		srv.Close()
		if cit := firstMatch(body, `id="citation">[^<]*`); !strings.Contains(cit, c.want) {
			t.Errorf("published %s: citation %q, want %q in it", c.pub, cit, c.want)
		}
	}
}

// TestActiveFacetTakesItselfOff: clicking the facet value in force (shown
// in bold) reloaded the same page; it takes the filter off, as its chip
// does.
func TestActiveFacetTakesItselfOff(t *testing.T) {
	srv, _ := newTestServer(t)
	_, body := get(t, srv.URL+"/search?category="+url.QueryEscape("Tư liệu"))
	m := regexp.MustCompile(`<li class="active"><a href="([^"]*)"[^>]*>Tư liệu<`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the category in force is not shown as active")
	}
	if href := html.UnescapeString(m[1]); strings.Contains(href, "category=") {
		t.Errorf("the active facet links to %s, keeping the filter", href)
	}
}

// TestQueryErrorOpensTheHelp: a query that cannot be read says "Xem hướng
// dẫn cú pháp bên dưới", and the help below is open; a page without an
// error keeps it folded.
func TestQueryErrorOpensTheHelp(t *testing.T) {
	srv, _ := newTestServer(t)
	_, body := get(t, srv.URL+"/search?q="+url.QueryEscape(`"hòa bình`))
	if !strings.Contains(body, `<details class="help" open>`) {
		t.Errorf("after a syntax error the help is folded")
	}
	_, body = get(t, srv.URL+"/search?q=dang")
	if strings.Contains(body, `<details class="help" open>`) {
		t.Errorf("the help is open on a page without error")
	}
}

// TestNoResultsSaysWhatToTry: a search that finds nothing suggests what to
// try, and leaves no empty list or page links behind.
func TestNoResultsSaysWhatToTry(t *testing.T) {
	srv, _ := newTestServer(t)
	_, body := get(t, srv.URL+"/search?q=khongcotunay&category="+url.QueryEscape("Tư liệu"))
	if !strings.Contains(body, `id="hint"`) || !strings.Contains(body, "bỏ bớt bộ lọc") {
		t.Errorf("no suggestion after finding nothing: %s", firstMatch(body, `id="total">[^<]*`))
	}
	if strings.Contains(body, `<ol class="hits"`) || strings.Contains(body, `<nav class="pages">`) {
		t.Errorf("an empty list or page links on a page with no results")
	}
}

// TestVersionsSayWhatChanged: a version that changed only its date (or its
// title) showed "—" under "Thay đổi", as if nothing had; it names the
// fields it changed.
func TestVersionsSayWhatChanged(t *testing.T) {
	srv, id := redatedArticle(t, "2020-03-07", "2020-03-08")
	_, body := get(t, srv.URL+"/article/"+id)
	rows := regexp.MustCompile(`(?s)<tr><td><a href="[^"]*">2</a>.*?</tr>`).FindString(body)
	if !strings.Contains(rows, "đổi ngày đăng") {
		t.Errorf("version 2 (the date changed) reads %q", rows)
	}
}
