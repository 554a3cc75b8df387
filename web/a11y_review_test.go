package web

import (
	"html"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"tulieu/store"
)

// These tests come from a review of the page in a real browser by a
// researcher and for everyone who uses it differently: keyboard only, a
// screen reader, a phone. Each says what the user does, what they get, and
// what they should get.
// The comments tell what the page did before its fix (in the present tense
// of the review); the tests hold what it does now.

// a11yText is the text of an HTML fragment as a screen reader reads it or a
// copy gives it: the tags dropped (nothing added between them), entities
// decoded.
func a11yText(fragment string) string {
	return html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(fragment, ""))
}

// TestActiveFacetSaysItIsOn: a screen reader user filters by a facet
// ("Tư liệu" under "Chuyên mục") and lists the facet links again. The value
// in force is marked only by bold type (li.active, "font-weight:700" in
// web/static/style.css): its link reads "Tư liệu", exactly as before it
// was chosen, though following it now takes the filter off. Nothing in
// the markup says that it is on (no aria-current, no hidden text such as
// "đang lọc", no aria-pressed), so the user cannot tell which value is in
// force nor that the link removes it.
// Cause: web/templates/search.html renders <li class="active"><a href=…>
// with nothing for assistive technology.
func TestActiveFacetSaysItIsOn(t *testing.T) {
	srv, _ := newTestServer(t)
	_, body := get(t, srv.URL+"/search?category="+url.QueryEscape("Tư liệu"))
	li := firstMatch(body, `<li class="active">.*?</li>`)
	if li == "" {
		t.Fatalf("no facet value is marked active: %s", firstMatch(body, `(?s)<aside.*?</aside>`))
	}
	link := firstMatch(li, `<a [^>]*>.*?</a>`)
	if !strings.Contains(link, "aria-current") && !strings.Contains(link, "aria-pressed") && a11yText(link) == "Tư liệu" {
		t.Errorf("the facet value in force is %s: to a screen reader the same link as before it was chosen; want it marked (aria-current, or text saying it is on and that the link removes it)", link)
	}
}

// TestDateBoxKeyboardCanTypeTheDay: on a phone a researcher taps
// "Từ ngày" to limit the results. The box asks for "ngày/tháng/năm" and
// says inputmode="numeric", so the phone opens its number pad: on an
// iPhone digits only, on Android digits with "-" "." ",", never "/". The
// day can then only be typed as 28022020, 28.02.2020 or 28-02-2020, and
// the page refuses each ("Từ ngày phải là một ngày có thật, viết dạng
// ngày/tháng/năm"): the date filter cannot be used from the keyboard the
// page itself chose. Either the box should not ask for a number pad, or a
// day typed on one should be taken.
// Cause: inputmode="numeric" on the from/to boxes in
// web/templates/search.html, while api.ParseDay takes only YYYY-MM-DD and
// D/M/YYYY.
func TestDateBoxKeyboardCanTypeTheDay(t *testing.T) {
	srv, _ := newTestServer(t)
	_, body := get(t, srv.URL+"/")
	box := firstMatch(body, `<input[^>]*name="from"[^>]*>`)
	if box == "" {
		t.Fatal("no from box on the page")
	}
	if !strings.Contains(box, `inputmode="numeric"`) {
		return // a full keyboard: the slash is there
	}
	for _, typed := range []string{"28022020", "28.02.2020"} {
		code, page := get(t, srv.URL+"/search?q=&from="+url.QueryEscape(typed))
		if code != 200 {
			t.Errorf("the box %s opens a number pad, on which the 28th of February 2020 is typed %q: the page answers %d %q",
				box, typed, code, pageErrorText(page))
		}
	}
}

// TestEveryPageHasAMainLandmark: a screen reader user moves by
// landmarks ("main" to skip the header and the search box). The search
// results page has a <main>, but an article page, a comparison of
// versions, an error page (an unknown id) and a search that failed have
// none: there the "go to main content" command finds nothing, and the
// page has no skip link either. Every page should have one <main> around
// its content.
// Cause: only the results branch of web/templates/search.html opens
// <main>; article.html, diff.html and error.html (layout.html) do not.
func TestEveryPageHasAMainLandmark(t *testing.T) {
	srv, id := a11yTwoVersions(t)
	for _, p := range []string{"/", "/article/" + id, "/article/" + id + "/diff", "/article/khong-co", "/search?q=" + url.QueryEscape(`"hòa bình`)} {
		_, body := get(t, srv.URL+p)
		if n := strings.Count(body, "<main"); n != 1 && !strings.Contains(body, `role="main"`) {
			t.Errorf("GET %s: %d <main> elements; want one, around the page's content", p, n)
		}
	}
}

// a11yTwoVersions serves an article seen twice: "long trọng" became
// "trang trọng" and a paragraph grew.
func a11yTwoVersions(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	ix, st := openEmptyParts(t)
	u := "http://danguykhoithanhhoa.org.vn/tin-tuc/tin-tuc-chung/le-ky-niem-60-nam-661.html"
	c := store.Content{Kind: store.KindArticle, Title: "Đảng bộ Khối các cơ quan tỉnh Thanh Hóa 60 năm một chặng đường phát triển",
		Category: "Tin tức chung", Breadcrumb: []string{"Tin tức chung"}, Published: "2020-02-28", Author: "BBT",
		Body:     "Ngày 27/02/2020, Đảng ủy Khối các cơ quan tỉnh Thanh Hóa long trọng tổ chức Lễ kỷ niệm 60 năm.\n\nĐảng bộ Khối có 68 tổ chức cơ sở đảng.",
		BodyHTML: "<p>Ngày 27/02/2020, Đảng ủy Khối các cơ quan tỉnh Thanh Hóa long trọng tổ chức Lễ kỷ niệm 60 năm.</p><p>Đảng bộ Khối có 68 tổ chức cơ sở đảng.</p>"}
	a := archiveArticle(t, st, ix, u, c, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	c.Body = strings.Replace(c.Body, "long trọng", "trang trọng", 1)
	c.BodyHTML = strings.Replace(c.BodyHTML, "long trọng", "trang trọng", 1)
	archiveArticle(t, st, ix, u, c, time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC))
	srv := httptest.NewServer(New(ix, st, Options{}))
	t.Cleanup(srv.Close)
	return srv, a.ID
}

// TestDiffTextKeepsWordsApart: a researcher compares two versions where
// one word was replaced ("long trọng" became "trang trọng") and copies the
// comparison into their notes, or hears it with a screen reader (which
// does not announce <del> and <ins> by default). The deleted and the
// inserted word come out run together as one made-up word: "Thanh Hóa
// longtrang trọng", with nothing saying which part was removed and which
// added. (`tulieu diff` prints the same change as "[-long-]{+trang+}".)
// The text of the comparison should keep the two words apart and say
// which is which (hidden text such as "[đã bỏ: long] [thêm: trang]", or at
// least a space).
// Cause: web/templates/diff.html writes <del>{{.Text}}</del><ins>…</ins>
// back to back, marked by style alone.
func TestDiffTextKeepsWordsApart(t *testing.T) {
	srv, id := a11yTwoVersions(t)
	code, body := get(t, srv.URL+"/article/"+id+"/diff")
	diff := firstMatch(body, `(?s)<section class="diff" id="diff">.*?</section>`)
	if code != 200 || !strings.Contains(diff, "<del>") {
		t.Fatalf("GET diff: %d %s", code, diff)
	}
	if text := a11yText(diff); strings.Contains(text, "longtrang") {
		t.Errorf("the comparison reads %q: the removed and the added word run together; want them kept apart and told apart",
			strings.TrimSpace(firstMatch(text, `[^\n]*longtrang[^\n]*`)))
	}
}
