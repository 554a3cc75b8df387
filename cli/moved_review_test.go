package cli

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"tulieu/api"
)

// A review as an archivist of one real-world case: an article whose
// address changes between two nightly crawls because its editors fixed
// its title. The site's addresses end in a slug and a numeric id
// (/tin-tuc/tin-tuc-chung/<slug>-661.html); a retitled article gets a new
// slug and keeps its id. What the old address does then depends on the
// CMS: it keeps answering with the article (routed by id alone), it
// redirects (301) to the new one, it answers 404, or it answers with the
// article and names the new address as canonical. Each test's comment
// tells what happened before its fix and what should happen.

// movedMode is what the CMS does with an article's old address once the
// article has a new one.
type movedMode int

const (
	movedSameByID  movedMode = iota + 1 // 200 with the article: routed by id, slug ignored
	movedRedirect                       // 301 to the new address
	movedNotFound                       // 404
	movedCanonical                      // 200 with the article, <link rel=canonical> naming the new address
)

const (
	movedOldTitle = "Hội nghị sơ kết công tác xây dựng Đảng 6 tháng đầu năm"
	movedNewTitle = "Hội nghị sơ kết công tác xây dựng Đảng 6 tháng đầu năm 2026"
	movedOldSlug  = "hoi-nghi-so-ket-cong-tac-xay-dung-dang-6-thang-dau-nam"
	movedNewSlug  = "hoi-nghi-so-ket-cong-tac-xay-dung-dang-6-thang-dau-nam-2026"
	movedSection  = "/tin-tuc/tin-tuc-chung/"
)

// movedSite imitates the party site: a home page linking a listing, the
// listing linking two articles, article 661 (the one retitled) and
// article 662 (never touched). It answers If-None-Match with 304, as a
// CMS behind a cache does.
type movedSite struct {
	mu      sync.Mutex
	title   string    // article 661's current title
	slug    string    // and its current slug
	mode    movedMode // what its other addresses answer
	srv     *httptest.Server
	history []string // slugs article 661 had, the current one last
	// slowOld delays the answers at article 661's old addresses, so that
	// a crawl reaches its new address through the listing first.
	slowOld time.Duration
}

func newMovedSite(t *testing.T, mode movedMode) *movedSite {
	t.Helper()
	s := &movedSite{title: movedOldTitle, slug: movedOldSlug, mode: mode, history: []string{movedOldSlug}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

// retitle is the editors' fix: a new title, hence a new slug.
func (s *movedSite) retitle(title, slug string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.title, s.slug = title, slug
	s.history = append(s.history, slug)
}

func (s *movedSite) path(slug string) string { return movedSection + slug + "-661.html" }
func (s *movedSite) url(slug string) string  { return s.srv.URL + s.path(slug) }

const movedTop = `<html><head><meta charset="utf-8"><title>%s - Đảng ủy Khối các cơ quan tỉnh Thanh Hóa</title>%s</head><body>
<div id="menu"><a href="/">Trang chủ</a> <a href="/tin-tuc/tin-tuc-chung/">Tin tức chung</a></div>
`

const movedFoot = `<div id="footer">Bản quyền thuộc Đảng ủy Khối các cơ quan tỉnh Thanh Hóa. Địa chỉ: 35 Hạc Thành.</div></body></html>`

func movedArticle(title, canonical, date, paras string) string {
	link := ""
	if canonical != "" {
		link = `<link rel="canonical" href="` + canonical + `">`
	}
	return fmt.Sprintf(movedTop, title, link) +
		`<div class="breadcrumb"><a href="/">Trang chủ</a> » <a href="/tin-tuc/tin-tuc-chung/">Tin tức chung</a></div>` +
		`<div class="news-detail"><h1 class="title">` + title + `</h1><div class="date">` + date + `</div><div class="content">` +
		paras + `<p style="text-align:right"><strong>Nguyễn Văn An</strong></p></div></div>` + movedFoot
}

const moved661Body = `<p>Sáng ngày 12/6, Đảng ủy Khối các cơ quan tỉnh Thanh Hóa tổ chức hội nghị sơ kết công tác xây dựng Đảng sáu tháng đầu năm và triển khai nhiệm vụ sáu tháng cuối năm.</p>
<p>Hội nghị thống nhất các giải pháp trọng tâm trong thời gian tới và giao nhiệm vụ cho các tổ chức cơ sở đảng trực thuộc.</p>
<p>Các đại biểu thảo luận sôi nổi về công tác kiểm tra, giám sát và kết nạp đảng viên mới.</p>`

const moved662Body = `<p>Ban Thường vụ Đảng ủy Khối ban hành kế hoạch học tập chuyên đề năm 2026 về tư tưởng, đạo đức, phong cách Hồ Chí Minh.</p>
<p>Các chi bộ tổ chức quán triệt đến toàn thể đảng viên trong tháng Bảy.</p>`

const moved662Path = movedSection + "ke-hoach-hoc-tap-chuyen-de-nam-2026-662.html"

func (s *movedSite) page(p string) (body string, status int, location string) {
	switch {
	case p == "/":
		return fmt.Sprintf(movedTop, "Trang chủ", "") + `<a href="/tin-tuc/tin-tuc-chung/">Tin tức chung</a>` + movedFoot, 200, ""
	case p == movedSection:
		return fmt.Sprintf(movedTop, "Tin tức chung", "") + `<div class="list">` +
			`<div class="item"><a href="` + s.path(s.slug) + `">` + s.title + `</a></div>` +
			`<div class="item"><a href="` + moved662Path + `">Kế hoạch học tập chuyên đề năm 2026</a></div>` +
			`</div>` + movedFoot, 200, ""
	case p == moved662Path:
		return movedArticle("Kế hoạch học tập chuyên đề năm 2026", "", "Ngày 10/06/2026", moved662Body), 200, ""
	case strings.HasPrefix(p, movedSection) && strings.HasSuffix(p, "-661.html"):
		slug := strings.TrimSuffix(strings.TrimPrefix(p, movedSection), "-661.html")
		canonical := ""
		if slug != s.slug {
			known := false
			for _, h := range s.history {
				known = known || h == slug
			}
			switch {
			case !known && s.mode != movedSameByID && s.mode != movedCanonical:
				return "", 404, ""
			case s.mode == movedRedirect:
				return "", 301, s.path(s.slug)
			case s.mode == movedNotFound:
				return "", 404, ""
			case s.mode == movedCanonical:
				canonical = s.path(s.slug)
			}
		} else if s.mode == movedCanonical {
			canonical = s.path(s.slug)
		}
		return movedArticle(s.title, canonical, "Ngày 12/06/2026", moved661Body), 200, ""
	}
	return "", 404, ""
}

func (s *movedSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	var delay time.Duration
	if strings.HasSuffix(r.URL.Path, "-661.html") && r.URL.Path != s.path(s.slug) {
		delay = s.slowOld
	}
	s.mu.Unlock()
	time.Sleep(delay)
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.URL.Path == "/robots.txt" {
		http.NotFound(w, r)
		return
	}
	body, status, loc := s.page(r.URL.Path)
	switch status {
	case 301:
		http.Redirect(w, r, loc, status)
		return
	case 404:
		http.Error(w, "Không tìm thấy", status)
		return
	}
	etag := fmt.Sprintf(`"%x"`, sha1.Sum([]byte(body)))
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, body)
}

// movedShow is `show --versions --json REF` (REF an id or a URL).
func movedShow(t *testing.T, data, ref string) api.Article {
	t.Helper()
	code, out, errOut := run(t, data, "show", "--versions", "--json", ref)
	if code != 0 {
		t.Fatalf("show %s: exit %d: %s", ref, code, errOut)
	}
	var a api.Article
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("show --json %s printed %q: %v", ref, out, err)
	}
	return a
}

// movedTitles is the titles of an article's versions, oldest first.
func movedTitles(a api.Article) []string {
	var out []string
	for _, v := range a.History {
		out = append(out, v.Title)
	}
	return out
}

// movedHits is what `search "sơ kết"` finds: article 661 however many
// times the archive holds it (article 662 does not have these words).
func movedHits(t *testing.T, data string, extra ...string) []string {
	t.Helper()
	var out []string
	for _, h := range search(t, data, append(extra, "sơ kết")...).Hits {
		out = append(out, fmt.Sprintf("%s %q (%s)", h.ID, h.Title, h.URL))
	}
	return out
}

// movedNights crawls the site (night 1), has its editors retitle article
// 661 and crawls again (night 2); since is a time between the two nights.
func movedNights(t *testing.T, s *movedSite, data string) (night2 crawlSummary, since string) {
	t.Helper()
	if s1 := crawl(t, data, s.srv.URL+"/"); s1.New != 2 || s1.Errors != 0 {
		t.Fatalf("night 1: %+v, want 2 new articles", s1)
	}
	time.Sleep(1100 * time.Millisecond)
	since = time.Now().UTC().Truncate(time.Second).Format(time.RFC3339)
	s.retitle(movedNewTitle, movedNewSlug)
	return crawl(t, data, s.srv.URL+"/"), since
}

// TestMovedRedirectIsOneArticle (case 2: the CMS answers the old
// address with a 301 to the new one).
//
// The researcher crawls every night; an editor fixes the title of
// article 661, the CMS gives it a new slug and sends the old address to
// the new one with a 301.
//
// User sees: night 2's summary says new 1, changed 0, deleted 0, as if
// an article had been published; `search "sơ kết"` finds the article
// twice, once under the title the site no longer has, and that record at
// the old address stays "live" for ever (its last_seen frozen at night
// 1, asked every night, answered 301, never mentioned again); `show
// --versions NEW` has one version, `diff` nothing to compare, and `show
// OLD` another article (another id) with the old title. The retitling,
// the one thing that happened, is nowhere.
//
// Should see: one article with two versions, the title change in its
// history and in `diff`, found once by search, and found by its old
// address too (which citations keep naming): summary changed 1, new 0.
//
// Where: crawler/page.go handles the redirect only to take an article
// down when its target is the home page or an error page
// (redirectedAway, run.onError → noteTakenDown); a known live article
// whose address 301s to another in-scope address is otherwise forgotten,
// and record() saves the target under its own URL (store.ArticleID of
// the final URL) as a new article.
func TestMovedRedirectIsOneArticle(t *testing.T) {
	s := newMovedSite(t, movedRedirect)
	data := t.TempDir()
	s2, _ := movedNights(t, s, data)
	if s2.New != 0 || s2.Changed != 1 || s2.Deleted != 0 {
		t.Errorf("night 2 (one article retitled, its old address 301 to the new): new %d, changed %d, deleted %d; want 0, 1, 0",
			s2.New, s2.Changed, s2.Deleted)
	}
	if hits := movedHits(t, data); len(hits) != 1 || !strings.Contains(hits[0], movedNewTitle+`"`) {
		t.Errorf("search finds article 661 %d times, want once under its new title:\n%s", len(hits), strings.Join(hits, "\n"))
	}
	a := movedShow(t, data, s.url(movedNewSlug))
	if titles := movedTitles(a); len(titles) != 2 || titles[0] != movedOldTitle {
		t.Errorf("show --versions of the new address: %d versions with titles %q; want the old title then the new one", a.Versions, titles)
	}
	if old := movedShow(t, data, s.url(movedOldSlug)); old.ID != a.ID {
		t.Errorf("show of the old address gives another article: id %s, status %s, title %q, last seen %s (the new address's is %s)",
			old.ID, old.Status, old.Title, old.LastSeen, a.ID)
	}
}

// TestMovedCanonicalIsOneArticle (case 4: as case 1, and every page of
// the article names its current address in <link rel="canonical">).
//
// The README says the canonical link "decides an article's identity":
// so the article was recorded under its old address (its canonical
// then), and tonight its page, at either address, names the new one.
//
// User sees: night 2 says new 1, changed 0: the new canonical address is
// a new article with one version (`diff NEW`: nothing to compare), while
// the record at the old address keeps the old title and stays live, so
// `search "sơ kết"` finds the article twice, once under a title the site
// no longer shows anywhere.
//
// Should see: one article whose history shows the title change (the
// page that names the new address canonical is the same page that was
// recorded under the old one: it is answered at the old address), found
// once, night 2 changed 1 and new 0.
//
// Where: crawler/page.go record(): a page fetched at the address of a
// known live article (f.finalURL, or ctxURL) whose canonical now names
// another address is saved under the new one only; the known article is
// never told (store.RecordArticle has no notion of an article's address
// changing).
func TestMovedCanonicalIsOneArticle(t *testing.T) {
	s := newMovedSite(t, movedCanonical)
	data := t.TempDir()
	s2, _ := movedNights(t, s, data)
	if s2.New != 0 || s2.Changed != 1 {
		t.Errorf("night 2 (one article retitled, its canonical link now naming its new address): new %d, changed %d; want 0 and 1",
			s2.New, s2.Changed)
	}
	if hits := movedHits(t, data); len(hits) != 1 || !strings.Contains(hits[0], movedNewTitle+`"`) {
		t.Errorf("search finds article 661 %d times, want once under its new title:\n%s", len(hits), strings.Join(hits, "\n"))
	}
	a := movedShow(t, data, s.url(movedNewSlug))
	if titles := movedTitles(a); len(titles) != 2 || titles[0] != movedOldTitle {
		t.Errorf("show --versions of the new canonical address: %d versions with titles %q; want the old title then the new one",
			a.Versions, titles)
	}
}

// TestMovedCanonicalStaleTitleConfirmedNightly (case 4 again, the
// nights after): the site answers If-None-Match with 304, as the other
// review sites do.
//
// User sees: on night 3 the old address answers 304 (its page, naming
// the new address canonical, has not changed since night 2), and
// MarkUnchanged stamps the record at the old address, the one that holds
// the OLD title, as seen unchanged tonight: `show OLD` says "Last seen"
// night 3 for a title the site stopped showing on night 2, and the
// summary counts 3 unchanged articles on a site of 2. The archive
// asserts something it never saw: that night 3 still showed the old
// title. (This holds whatever one thinks of identity by URL.)
//
// Should see: the record holding the old title not confirmed by a
// response that does not contain it (its last_seen stays at night 1, or
// it is merged into the article, see TestMovedCanonicalIsOneArticle),
// and night 3 counting 2 unchanged.
//
// Where: store.MarkUnchanged (sqlMarkUnchanged: `id = ArticleID(url) OR
// capture_id IN (captures of url)`) updates the article whose id is the
// fetched address's, although on night 2 that address's content was
// recorded under another article (its canonical); crawler/page.go
// unchanged() then counts it.
func TestMovedCanonicalStaleTitleConfirmedNightly(t *testing.T) {
	s := newMovedSite(t, movedCanonical)
	data := t.TempDir()
	movedNights(t, s, data)
	time.Sleep(1100 * time.Millisecond)
	night3 := time.Now().UTC().Truncate(time.Second)
	s3 := crawl(t, data, s.srv.URL+"/")
	if s3.Unchanged != 2 || s3.New != 0 || s3.Changed != 0 {
		t.Errorf("night 3 (nothing changed on a site of 2 articles): new %d, changed %d, unchanged %d; want 0, 0, 2",
			s3.New, s3.Changed, s3.Unchanged)
	}
	old := movedShow(t, data, s.url(movedOldSlug))
	seen, err := time.Parse(time.RFC3339, old.LastSeen)
	if err != nil {
		t.Fatalf("show --json of the old address: last_seen %q", old.LastSeen)
	}
	if old.Title == movedOldTitle && !seen.Before(night3) {
		t.Errorf("the record at the old address, title %q (shown by the site until night 1 only), status %s, is last seen %s, on night 3 (started %s)",
			old.Title, old.Status, old.LastSeen, night3.Format(time.RFC3339))
	}
}

// TestMovedSameByIDIsOneArticle (case 1: the CMS routes by id and
// ignores the slug, so the old address keeps answering 200 with the
// retitled article; the listing now links the new address).
//
// User sees: the old address's record gets version 2 with the title
// change (good: `diff OLD` shows it), but the new address, linked by the
// listing, is recorded as a second article with the very same text:
// night 2's summary says new 1 AND changed 1 for one edit, `search "sơ
// kết"` lists the article twice (same title, same text), every night
// after counts it twice (night 3: unchanged 3 for a site of 2 articles),
// and exports and stats count it twice.
//
// Should see: one article (the new address an alias of it, as a print
// version or a www./https spelling is), found once, changed 1 and new 0
// on night 2, unchanged 2 on night 3.
//
// Where: crawler/page.go record() keys the article by p.canonical(),
// the URL alone (store.ArticleID); nothing relates two addresses of one
// site that carry the same numeric id (…-661.html) and answer the same
// content.
func TestMovedSameByIDIsOneArticle(t *testing.T) {
	s := newMovedSite(t, movedSameByID)
	data := t.TempDir()
	s2, _ := movedNights(t, s, data)
	if s2.New != 0 || s2.Changed != 1 {
		t.Errorf("night 2 (one article retitled): new %d, changed %d; want 0 and 1", s2.New, s2.Changed)
	}
	if hits := movedHits(t, data); len(hits) != 1 {
		t.Errorf("search finds article 661 %d times, want once:\n%s", len(hits), strings.Join(hits, "\n"))
	}
	if old, cur := movedShow(t, data, s.url(movedOldSlug)), movedShow(t, data, s.url(movedNewSlug)); old.ID != cur.ID {
		t.Errorf("the old and the new address are two articles: %s (%d versions %q) and %s (%d versions %q)",
			old.ID, old.Versions, movedTitles(old), cur.ID, cur.Versions, movedTitles(cur))
	}
	if s3 := crawl(t, data, s.srv.URL+"/"); s3.Unchanged != 2 || s3.New != 0 || s3.Changed != 0 {
		t.Errorf("night 3 (nothing changed on a site of 2 articles): new %d, changed %d, unchanged %d; want 0, 0, 2",
			s3.New, s3.Changed, s3.Unchanged)
	}
}

// TestMovedNotFoundReportedAsTakenDown (case 3: the old address
// answers 404 and the listing links the new one).
//
// A documented rule (README, crawl: "a 404 or 410 turns the article into
// a tombstone") applied where it misleads: on a party committee's site
// an article taken down is news, and the morning report says one was.
//
// User sees: night 2's summary says deleted 1, new 1; `changes --since`
// lists article 661 under "Deleted" (and again under "New" with its new
// title, another id), `search` finds it once (live, new title) and with
// --include-deleted twice; `diff` of either has nothing to compare. Yet
// on that same night the same article (same id 661 in its address, same
// date, same author, same text) was fetched at its new address.
//
// Should see: the article listed as changed (its title), not deleted:
// one article whose two versions show the retitling.
//
// Where: crawler/page.go gone() tombstones at once, and record() saves
// the new address as a new article; the run could instead, at its end
// (as takeDownRedirected does), match tonight's tombstones with
// tonight's new articles of the same site whose addresses carry the
// same trailing id, or whose content differs only in title, and record
// the move as a version.
func TestMovedNotFoundReportedAsTakenDown(t *testing.T) {
	s := newMovedSite(t, movedNotFound)
	data := t.TempDir()
	s2, since := movedNights(t, s, data)
	if s2.Deleted != 0 || s2.New != 0 || s2.Changed != 1 {
		t.Errorf("night 2 (one article retitled, its old address now 404): new %d, changed %d, deleted %d; want 0, 1, 0",
			s2.New, s2.Changed, s2.Deleted)
	}
	code, out, errOut := run(t, data, "changes", "--since", since, "--json")
	var ch api.Changes
	if code != 0 || json.Unmarshal([]byte(out), &ch) != nil {
		t.Fatalf("changes: %d %s %s", code, out, errOut)
	}
	for _, d := range ch.Deleted {
		t.Errorf("changes --since %s reports as taken down %q (%s), live on the site at its new address with the same text", since, d.Title, d.URL)
	}
	if hits := movedHits(t, data, "--include-deleted"); len(hits) != 1 {
		t.Errorf("search --include-deleted finds article 661 %d times, want once:\n%s", len(hits), strings.Join(hits, "\n"))
	}
}

// TestMovedListingFirstIsOneArticle: the same moves (a 301, a canonical
// link, a 404) when the night reaches the new address through the listing
// before the old address answers (here: slowly), so the new address is
// recorded first, as a new article. Once the old address leads there (or
// is gone), that article is merged into the one that moved: one article,
// two versions, counted changed; the search index drops the merged one.
func TestMovedListingFirstIsOneArticle(t *testing.T) {
	for _, mode := range []movedMode{movedRedirect, movedCanonical, movedNotFound} {
		s := newMovedSite(t, mode)
		data := t.TempDir()
		if s1 := crawl(t, data, s.srv.URL+"/"); s1.New != 2 {
			t.Fatalf("mode %d, night 1: %+v", mode, s1)
		}
		time.Sleep(1100 * time.Millisecond)
		s.retitle(movedNewTitle, movedNewSlug)
		s.mu.Lock()
		s.slowOld = 700 * time.Millisecond
		s.mu.Unlock()
		s2 := crawl(t, data, s.srv.URL+"/") // four requests in flight
		if s2.New != 0 || s2.Changed != 1 || s2.Deleted != 0 {
			t.Errorf("mode %d, night 2: new %d, changed %d, deleted %d; want 0, 1, 0", mode, s2.New, s2.Changed, s2.Deleted)
		}
		if hits := movedHits(t, data); len(hits) != 1 || !strings.Contains(hits[0], movedNewTitle+`"`) {
			t.Errorf("mode %d: search finds article 661 %d times, want once under its new title:\n%s", mode, len(hits), strings.Join(hits, "\n"))
		}
		a := movedShow(t, data, s.url(movedNewSlug))
		if titles := movedTitles(a); len(titles) != 2 || titles[0] != movedOldTitle || a.URL != s.url(movedNewSlug) {
			t.Errorf("mode %d: show --versions of the new address: %s, %d versions with titles %q; want the old title then the new one",
				mode, a.URL, a.Versions, titles)
		}
		if old := movedShow(t, data, s.url(movedOldSlug)); old.ID != a.ID {
			t.Errorf("mode %d: the old address is article %s, the new one %s", mode, old.ID, a.ID)
		}
		if s3 := crawl(t, data, s.srv.URL+"/"); s3.New != 0 || s3.Changed != 0 || s3.Unchanged != 2 {
			t.Errorf("mode %d, night 3 (nothing changed): %+v, want 2 unchanged", mode, s3)
		}
	}
}

// TestMovedVersionsSayWhereTheyWere: each version of an article that moved
// names the address it was fetched from, in `show --versions` and its
// JSON ("fetched_from"), so that a citation of the old address is found
// in the history.
func TestMovedVersionsSayWhereTheyWere(t *testing.T) {
	s := newMovedSite(t, movedRedirect)
	data := t.TempDir()
	movedNights(t, s, data)
	a := movedShow(t, data, s.url(movedOldSlug))
	if len(a.History) != 2 || a.History[0].FetchedFrom != s.url(movedOldSlug) || a.History[1].FetchedFrom != s.url(movedNewSlug) {
		t.Fatalf("show --versions --json: history %+v; want version 1 fetched from the old address, 2 from the new one", a.History)
	}
	code, out, errOut := run(t, data, "show", "--versions", s.url(movedNewSlug))
	if code != 0 || !strings.Contains(out, "  at "+s.url(movedOldSlug)+"\n") || !strings.Contains(out, "  at "+s.url(movedNewSlug)+"\n") {
		t.Errorf("show --versions: exit %d, %s%s; want each version's address", code, out, errOut)
	}
}
