package web

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"tulieu/index"
	"tulieu/store"
)

// These tests come from a review of today's changes to the page and the
// API (Vietnamese errors, headings, the sort menu's default, facets).
// Each says what a user saw and should see; each failed before its fix.

// secondArchive holds n articles, one a day from 1 March 2020, in two
// categories.
func secondArchive(t *testing.T, n int) *httptest.Server {
	t.Helper()
	ix, st := openEmptyParts(t)
	for i := range n {
		cat := "Tin tức chung"
		if i%2 == 1 {
			cat = "Tư liệu"
		}
		archiveArticle(t, st, ix, fmt.Sprintf("http://danguykhoithanhhoa.org.vn/tin-%d.html", i), store.Content{Kind: store.KindArticle,
			Title: fmt.Sprintf("Hội nghị chi bộ số %d", i), Body: "Chi bộ sinh hoạt định kỳ, Đảng bộ tỉnh Thanh Hóa.",
			Category: cat, Breadcrumb: []string{cat}, Published: time.Date(2020, 3, 1+i, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)},
			time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	}
	srv := httptest.NewServer(New(ix, st, Options{}))
	t.Cleanup(srv.Close)
	return srv
}

// TestSearchErrorPageHasAHeading: every page type has an <h1> now (the
// results' summary, the error page's title), but a search that fails —
// a syntax error (/search?q="hòa bình), a parameter that cannot be read
// (limit=abc), a busy server — renders search.html with only the form and
// a <p class="error">: no heading at all, so a screen reader user who
// lists the headings, or jumps to the first one, finds nothing and does
// not hear that the search failed. It should have an <h1> (e.g. "Không
// tìm được" / the error's title) as the error page does.
func TestSearchErrorPageHasAHeading(t *testing.T) {
	srv, _ := newTestServer(t)
	for _, p := range []string{"/search?q=" + url.QueryEscape(`"hòa bình`), "/search?q=dang&limit=abc", "/search?q=dang&from=28-02-2020"} {
		code, body := get(t, srv.URL+p)
		if code != http.StatusBadRequest {
			t.Fatalf("GET %s: %d, want 400", p, code)
		}
		if !strings.Contains(body, "<h1") {
			t.Errorf("GET %s: the failed search's page has no <h1> (error: %q); want a heading", p, pageErrorText(body))
		}
	}
}

// TestMisdirectedPageIsVietnamese: a reader who opens the server under
// another name of this machine (an /etc/hosts alias such as
// http://tulieu.lan:8080/, a local proxy) gets, on the page, the plain
// English text "this server answers only to localhost, 127.0.0.1 or
// [::1]": the one page error still in English (the 401 beside it is
// "Cần mã truy cập …"). guard passes the API's English message as the
// page's (plainError(w, r, 421, msg, msg)). The page should say it in
// Vietnamese (e.g. "Máy chủ này chỉ trả lời địa chỉ localhost, 127.0.0.1
// hoặc [::1]").
func TestMisdirectedPageIsVietnamese(t *testing.T) {
	ix, st := openTestParts(t)
	srv := httptest.NewServer(New(ix, st, Options{Loopback: true}))
	defer srv.Close()
	resp, b := getAs(t, srv.URL+"/", "tulieu.lan")
	if resp.StatusCode != http.StatusMisdirectedRequest {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if !strings.ContainsAny(string(b), "ăâêôơưđáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ") {
		t.Errorf("GET / under the name tulieu.lan: the page says %q (English); want it in Vietnamese", strings.TrimSpace(string(b)))
	}
}

// secondBlockingMatcher holds every MatchIDs (an export by query) until
// released.
type secondBlockingMatcher struct {
	Searcher
	started chan struct{}
	release chan struct{}
}

func (b *secondBlockingMatcher) MatchIDs(ctx context.Context, req index.Request, fn func([]string) error) error {
	b.started <- struct{}{}
	select {
	case <-b.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	return b.Searcher.MatchIDs(ctx, req, fn)
}

// TestExportBusyIsVietnamese: the result page's "Tải kết quả về: CSV
// XLSX JSONL HTML" links go to /export. When two exports already run
// (and the queue's wait is over), a click there answers 503 with the
// API's JSON {"error":"the server is busy with other exports; try again
// in a moment"} — English, and JSON, to a reader of a Vietnamese page
// (saved by the link's download attribute as the "export" file). Today's
// change made every page error Vietnamese; the /export errors reached
// from the page were left out. The reader should get the Vietnamese
// busy message ("Máy chủ đang bận …"), as /search and /archive give.
func TestExportBusyIsVietnamese(t *testing.T) {
	ix, st := openTestParts(t)
	bm := &secondBlockingMatcher{Searcher: ix, started: make(chan struct{}, 10), release: make(chan struct{})}
	srv := httptest.NewServer(New(bm, st, Options{QueueWait: 50 * time.Millisecond}))
	defer srv.Close()
	done := make(chan struct{}, 2)
	for range 2 {
		go func() {
			defer func() { done <- struct{}{} }()
			if resp, err := http.Get(srv.URL + "/export?q=thanh&format=csv"); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	<-bm.started
	<-bm.started
	// A browser following the page's link asks for HTML.
	req, _ := http.NewRequest("GET", srv.URL+"/export?q=thanh&format=csv", nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	code, body := resp.StatusCode, string(b)
	close(bm.release)
	<-done
	<-done
	if code != http.StatusServiceUnavailable {
		t.Fatalf("a third export: %d %s, want 503", code, body)
	}
	if pageEnglish.MatchString(body) {
		t.Errorf("the export link of the page, the server busy: %q; want a Vietnamese message", body)
	}
}

// TestHomeLinksKeepTheDefaultSort: the sort menu gained a default option
// (value "": relevance for a search, newest first for a listing), but the
// home page's own links do not keep it: handleSearch sets req.Sort =
// "newest" for the listing and encodePage writes it, so "Trang sau →"
// leads to /search?offset=10&sort=newest and every facet link of the home
// page carries sort=newest. On that page the filters panel opens by
// itself ("Lọc và sắp xếp", though the reader chose nothing), the menu
// says "Mới nhất", and a word then typed in the box is searched newest
// first instead of by relevance. The links of the default listing should
// leave sort out (the index already lists an empty query newest first),
// so the next page still shows the default.
func TestHomeLinksKeepTheDefaultSort(t *testing.T) {
	srv := secondArchive(t, 12)
	_, body := get(t, srv.URL+"/")
	next := html.UnescapeString(firstMatch(body, `id="next" href="[^"]*"`))
	if next == "" {
		t.Fatalf("the home page has no next-page link")
	}
	if strings.Contains(next, "sort=") {
		t.Errorf("the home page's next link is %s: it pins the sort the reader never chose", next)
	}
	for _, m := range regexp.MustCompile(`<aside class="facets"(?s:.*?)</aside>`).FindAllString(body, -1) {
		if strings.Contains(m, "sort=newest") {
			t.Errorf("the home page's facet links carry sort=newest")
			break
		}
	}
	href := strings.TrimSuffix(strings.TrimPrefix(next, `id="next" href="`), `"`)
	_, page2 := get(t, srv.URL+href)
	if !strings.Contains(page2, `<option value="" selected>`) {
		t.Errorf("page 2 of the home listing: the sort menu no longer shows its default option")
	}
	if strings.Contains(page2, "<details open>") {
		t.Errorf("page 2 of the home listing opens the filters panel; the reader chose no filter or sort")
	}
}

// TestActiveFacetWithDecomposedInput: the category filter compares the
// whole value as the index keeps it (vntext.Whole: NFC, spaces collapsed),
// so "Tư liệu" typed or pasted in decomposed Unicode (Unicode tổ hợp, as
// text copied from many Vietnamese documents is) or with a double space
// lists the category's articles and the chip says "Chuyên mục: Tư liệu".
// But facetLinks compares req.Category == f.Term byte for byte: the facet
// value "Tư liệu" is not shown as active, and clicking it does not take
// the filter off (it links to the same filter again). The active test
// should compare the same whole value the filter uses.
func TestActiveFacetWithDecomposedInput(t *testing.T) {
	srv, _ := newTestServer(t)
	for _, typed := range []string{norm.NFD.String("Tư liệu"), "Tư  liệu"} {
		_, body := get(t, srv.URL+"/search?category="+url.QueryEscape(typed))
		if !strings.Contains(body, "Nhận diện âm mưu") {
			t.Fatalf("category %q: the filter does not find the category's article", typed)
		}
		m := regexp.MustCompile(`<li( class="active")?><a href="([^"]*)"[^>]*>Tư liệu<`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("category %q: no facet value Tư liệu", typed)
		}
		if m[1] == "" || strings.Contains(html.UnescapeString(m[2]), "category=") {
			t.Errorf("category %q (the filter in force): the facet Tư liệu is not active and links to %s, not to the page without it",
				typed, html.UnescapeString(m[2]))
		}
	}
}
