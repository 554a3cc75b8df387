package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"tulieu/api"
	"tulieu/store"

	"encoding/json"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// These tests came from a review of the page as a researcher uses it in a
// working day: search, sort, download, follow the archived copy's links.
// Each comment tells what the page did before its fix.

// TestExportLinksKeepOldestSort: a researcher sorts the results "Cũ
// nhất" (sort=oldest) to read a story from its beginning, then clicks
// "Tải kết quả về: CSV" to keep the list. The README (export: "the
// page's export link keeps the page's "cũ nhất" sort as `sort=oldest`",
// and /export accepts sort=oldest since that change) says the file comes
// oldest first; the page's links drop the sort (and say "bài mới nhất
// trước"), so the file is in the opposite order to the list on screen.
// Cause: handleSearch clears p.Sort for the export links (web/pages.go).
func TestExportLinksKeepOldestSort(t *testing.T) {
	srv, _ := newTestServer(t)
	for _, q := range []string{"", "hoa"} {
		u := srv.URL + "/search?sort=oldest"
		if q != "" {
			u += "&q=" + url.QueryEscape(q)
		}
		code, body := get(t, u)
		if code != 200 {
			t.Fatalf("GET %s: %d", u, code)
		}
		links := regexp.MustCompile(`href="(/export\?[^"]*)"`).FindAllStringSubmatch(body, -1)
		if len(links) == 0 {
			t.Fatalf("GET %s: no export links", u)
		}
		for _, l := range links {
			href := html.UnescapeString(l[1])
			if !strings.Contains(href, "sort=oldest") {
				t.Errorf("page sorted oldest first (q=%q) links the download %s: the file comes newest first, the opposite of the list on screen", q, href)
			}
		}
		// The JSONL the link gives lists the 2019 article before the 2020 one.
		var jsonl string
		for _, l := range links {
			if strings.Contains(l[1], "format=jsonl") {
				jsonl = html.UnescapeString(l[1])
			}
		}
		if jsonl == "" {
			t.Fatalf("no JSONL link on %s", u)
		}
		_, out := get(t, srv.URL+jsonl)
		var order []string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var rec struct {
				Published string `json:"published"`
			}
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Published != "" {
				order = append(order, rec.Published)
			}
		}
		if len(order) < 2 || order[0] > order[len(order)-1] {
			t.Errorf("the page's JSONL download (q=%q, page sorted oldest first) gives published dates %v; want oldest first, as on screen", q, order)
		}
	}
}

// TestUnarchivedLinkNamesTheAddress: reading an archived copy, a
// researcher clicks one of its links to another site ("Báo điện tử Đảng
// Cộng sản Việt Nam"); every link of the copy is pointed at /archive, and
// for an address the crawl never fetched the answer is a bare "Kho lưu
// trữ không có bản lưu này." The page does not say which address was
// asked for, nor offer it: a dead end, where a web archive names the
// address it has no copy of (and lets the reader open the original
// knowingly). Cause: captureOr404 answers a fixed message
// (web/archive.go).
func TestUnarchivedLinkNamesTheAddress(t *testing.T) {
	srv, _ := newTestServer(t)
	target := "http://dangcongsan.vn/thoi-su/bai-chua-luu-123.html"
	code, body := get(t, srv.URL+"/archive?url="+url.QueryEscape(target)+"&at=2026-11-01T00:00:00Z")
	if code != 404 {
		t.Fatalf("GET /archive of an address never crawled: %d; want 404", code)
	}
	if !strings.Contains(html.UnescapeString(body), target) {
		t.Errorf("the 404 for an address the archive has no copy of does not name it (%s):\n%s", target, body)
	}
}

// TestExportOldestOrderMatchesThePage: the page sorted "Cũ nhất" lists
// the dated articles oldest first and those that give no date (static
// pages such as "Lịch sử hình thành", bylines without a date) at the end,
// as it does newest first. The same selection downloaded oldest first
// (/export?sort=oldest, what `tulieu export --sort oldest` writes) puts
// the undated ones at the top instead: the file and the list on screen
// disagree, and a chronological reading of the file starts with pages
// that have no date at all. Newest first, the two agree (undated last).
// Cause: the catalog's oldest-first order sorts "" before every date
// (store/articles.go), the index sorts it after (index/search.go).
func TestExportOldestOrderMatchesThePage(t *testing.T) {
	ix, st := openEmptyParts(t)
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i, c := range []store.Content{
		{Kind: store.KindArticle, Title: "Đại hội Đảng bộ Khối năm 2020", Body: "Đại hội Đảng bộ Khối nhiệm kỳ 2020 - 2025.", BodyHTML: "<p>Đại hội.</p>", Category: "Tin tức chung", Published: "2020-08-01"},
		{Kind: store.KindArticle, Title: "Đại hội chi bộ năm 2019", Body: "Đại hội chi bộ nhiệm kỳ 2019.", BodyHTML: "<p>Đại hội.</p>", Category: "Tin tức chung", Published: "2019-04-01"},
		{Kind: store.KindArticle, Title: "Các kỳ Đại hội", Body: "Danh sách các kỳ đại hội, không ghi ngày đăng.", BodyHTML: "<p>Đại hội.</p>", Category: "Tư liệu"},
	} {
		archiveArticle(t, st, ix, "http://danguykhoithanhhoa.org.vn/dai-hoi-"+string(rune('1'+i))+".html", c, at)
	}
	srv := httptest.NewServer(New(ix, st, Options{}))
	t.Cleanup(srv.Close)
	for _, q := range []string{"", "đại hội"} {
		_, body := get(t, srv.URL+"/api/search?sort=oldest&limit=100&q="+url.QueryEscape(q))
		var res api.Search
		if err := json.Unmarshal([]byte(body), &res); err != nil {
			t.Fatalf("/api/search: %v %s", err, body)
		}
		var page []string
		for _, h := range res.Hits {
			page = append(page, h.Title)
		}
		_, out := get(t, srv.URL+"/export?format=jsonl&sort=oldest&q="+url.QueryEscape(q))
		var file []string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var rec struct {
				Title string `json:"title"`
			}
			if json.Unmarshal([]byte(line), &rec) == nil {
				file = append(file, rec.Title)
			}
		}
		if strings.Join(page, "|") != strings.Join(file, "|") {
			t.Errorf("q=%q oldest first: the page lists %q, the download gives %q", q, page, file)
		}
	}
}

// TestSearchBoxFindsAnArticleByItsAddress: a researcher holds a
// citation or a link to the original site ("http://danguykhoithanhhoa.
// org.vn/…html") and pastes it into the page's only box, the search box.
// The answer is "Không có kết quả nào phù hợp": the address is searched
// as words, and nothing says the archive holds that very page, though
// `tulieu show URL` and /article/… take the address (README: show
// ID|URL). The page should lead to the archived article (its page, or a
// result naming it).
func TestSearchBoxFindsAnArticleByItsAddress(t *testing.T) {
	srv, id := newTestServer(t)
	u := "http://danguykhoithanhhoa.org.vn/a-1.html" // the first article of newTestServer
	resp, err := http.Get(srv.URL + "/search?q=" + url.QueryEscape(u))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.Request.URL.Path != "/article/"+id && !strings.Contains(string(b), `href="/article/`+id+`"`) {
		t.Errorf("the search box given the address of an archived article (%s) answers %d %s:\n%s", u, resp.StatusCode, firstMatch(string(b), `id="total">[^<]*`), firstMatch(string(b), `(?s)<main.*</main>`))
	}
}

// TestCategoryBoxInLowerCase: the filter form's "Chuyên mục" is a free
// text box. A researcher types "tư liệu" (or "TƯ LIỆU") there and gets
// "Không có kết quả nào phù hợp", with a hint to drop words: nothing
// says the category is "Tư liệu" with a capital T. The filter accepts
// any Unicode form, spacing and tone-mark placement of the name (README)
// but not its case, and an empty page gives no way to the right name.
// The page should find the category whatever its case, or at least link
// the category it meant.
func TestCategoryBoxInLowerCase(t *testing.T) {
	srv, _ := newTestServer(t)
	for _, c := range []string{"tư liệu", "TƯ LIỆU"} {
		code, body := get(t, srv.URL+"/search?category="+url.QueryEscape(c))
		found := strings.Contains(body, "Nhận diện âm mưu")
		suggested := strings.Contains(body, `category=T%C6%B0&#43;li%E1%BB%87u`) || strings.Contains(body, `category=T%C6%B0+li%E1%BB%87u`)
		if code != 200 || !found && !suggested {
			t.Errorf("category=%q: %d %s; want the articles of \"Tư liệu\", or a link to it", c, code, firstMatch(body, `id="total">[^<]*`))
		}
	}
}
