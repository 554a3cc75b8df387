package cli

// An adversarial review of moved articles (store.MoveArticle, crawler
// twins): wrong merges, lost or corrupted history. Each test's comment
// tells what happened before its fix and what should happen. The sites
// are httptest servers; movedSite and its helpers are
// moved_review_test.go's.

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"tulieu/store"
)

// nightPage is what nightSite answers at a path.
type nightPage struct {
	status int    // 200 when 0
	loc    string // for a 301
	body   string
}

// nightSite is a site whose pages the test sets night by night. It sends no
// validators: every page answers 200 whole, as many small CMSs do.
type nightSite struct {
	mu    sync.Mutex
	pages map[string]nightPage
	srv   *httptest.Server
	hits  map[string]int
	// onHit, when set, is called (without the lock) before a path is
	// answered.
	onHit func(path string)
}

func newNightSite(t *testing.T) *nightSite {
	t.Helper()
	s := &nightSite{pages: map[string]nightPage{}, hits: map[string]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *nightSite) set(path string, p nightPage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = p
}

func (s *nightSite) url(path string) string { return s.srv.URL + path }

// listing sets the home page and the listing of movedSection, linking
// paths.
func (s *nightSite) listing(paths ...string) {
	items := ""
	for i, p := range paths {
		items += fmt.Sprintf(`<div class="item"><a href="%s">Bài viết số %d</a></div>`, p, i+1)
	}
	s.set("/", nightPage{body: fmt.Sprintf(movedTop, "Trang chủ", "") + `<a href="/tin-tuc/tin-tuc-chung/">Tin tức chung</a>` + movedFoot})
	s.set(movedSection, nightPage{body: fmt.Sprintf(movedTop, "Tin tức chung", "") + `<div class="list">` + items + `</div>` + movedFoot})
}

func (s *nightSite) article(path, title, canonical, date, paras string) {
	s.set(path, nightPage{body: movedArticle(title, canonical, date, paras)})
}

func (s *nightSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	hook := s.onHit
	s.mu.Unlock()
	if hook != nil {
		hook(r.URL.Path)
	}
	s.mu.Lock()
	p, ok := s.pages[r.URL.Path]
	s.hits[r.URL.Path]++
	s.mu.Unlock()
	switch {
	case !ok || p.status == 404:
		http.Error(w, "Không tìm thấy", 404)
	case p.status == 301:
		http.Redirect(w, r, p.loc, 301)
	default:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, p.body)
	}
}

// movesNight waits for the clock to move on (the catalog's times are to the
// second) and crawls.
func movesNight(t *testing.T, data, site string) crawlSummary {
	t.Helper()
	time.Sleep(1100 * time.Millisecond)
	return crawl(t, data, site)
}

// A press release of more than 200 bytes, as the twins compare them.
const movesPressBody = `<p>Thực hiện Kế hoạch số 15-KH/ĐUK của Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh, Đảng ủy Khối thông báo lịch tiếp công dân định kỳ của đồng chí Bí thư Đảng ủy Khối trong quý III năm 2026.</p>
<p>Thời gian tiếp công dân vào ngày 15 hằng tháng tại trụ sở Đảng ủy Khối, số 35 đường Hạc Thành, thành phố Thanh Hóa.</p>`

const movesPressTitle = "Thông báo lịch tiếp công dân của Bí thư Đảng ủy Khối"

// TestMovesRepublishedPressReleaseIsNotTheOldOne: the editors publish
// the same press release again, on purpose, under a new id and a new
// date (a reminder: "Thông báo" republished for the next month), while
// the first one stays online at its own address, answering 200.
//
// User does: crawls every night.
// User sees: night 2 counts new 0: the new publication is merged into
// the old article (a "twin": same title and text), which moves to the new
// address; `show OLD-ADDRESS` names the new address, and from then on
// every night both addresses are recorded into the one article, each
// with its own date: a new version each time either is read (night 3:
// "changed", versions 3, 4… for a site where nothing changed), and the
// archive holds one article where the site has two.
// Should see: night 2 new 1 (the site published an article); two
// articles, each at its own address with its own date; night 3
// unchanged 2, changed 0. Two live addresses that both answer 200, each
// naming itself (no redirect, no canonical elsewhere), are not one
// article moved.
// Where: crawler/twins.go pairs a new article with a known one recorded
// Unchanged tonight too (the CMS-by-id case is a known one Changed to
// the new title), on title and text alone, and crawler/page.go
// mergeTwin moves the known article although its own address still
// answers; the pairing should at least require that the known address
// answered with the new address's page (changed to it tonight), and not
// merge articles whose other fields (published) differ.
func TestMovesRepublishedPressReleaseIsNotTheOldOne(t *testing.T) {
	s := newNightSite(t)
	data := t.TempDir()
	first := movedSection + "thong-bao-lich-tiep-cong-dan-700.html"
	again := movedSection + "thong-bao-lich-tiep-cong-dan-731.html"
	s.listing(first)
	s.article(first, movesPressTitle, "", "Ngày 01/07/2026", movesPressBody)
	if s1 := crawl(t, data, s.url("/")); s1.New != 1 {
		t.Fatalf("night 1: %+v", s1)
	}
	s.listing(again, first)
	s.article(again, movesPressTitle, "", "Ngày 01/08/2026", movesPressBody)
	s2 := movesNight(t, data, s.url("/"))
	if s2.New != 1 {
		t.Errorf("night 2 (a press release published again under a new id and date): new %d, changed %d, unchanged %d; want new 1", s2.New, s2.Changed, s2.Unchanged)
	}
	a, b := movedShow(t, data, s.url(first)), movedShow(t, data, s.url(again))
	if a.ID == b.ID {
		t.Errorf("the two publications are one article %s at %s, published %q, %d versions", a.ID, a.URL, a.Published, a.Versions)
	}
	s3 := movesNight(t, data, s.url("/"))
	if s3.Changed != 0 || s3.Unchanged != 2 {
		t.Errorf("night 3 (nothing changed on a site of 2 articles): new %d, changed %d, unchanged %d; want 0, 0, 2", s3.New, s3.Changed, s3.Unchanged)
	}
	if a := movedShow(t, data, s.url(first)); a.Versions > 1 {
		var dates []string
		for _, v := range a.History {
			dates = append(dates, v.SeenAt)
		}
		t.Errorf("after night 3 the first publication has %d versions (seen %v) though neither page ever changed", a.Versions, dates)
	}
}

// TestMovesRevertedTitleKeepsTheNewAddress: an editor retitles article
// 661 (night 2: the old address 301s to the new slug), then reverts the
// title the next day (night 3: the new slug 301s back to the first
// address, which answers 200 again).
//
// User does: crawls every night, then `show --json` or `export`.
// User sees: the history is right (3 versions), but the article's url
// stays the second address, which now only redirects: `show`, `export`
// and the page link a redirect, and every night the crawl asks the
// redirect first.
// Should see: url the first address again, where the article is.
// Where: store.MoveArticle returns early when the target address's id
// is the article's own id (from == to), leaving articles.url at the
// alias; it should set url = toURL then (and may drop nothing else).
func TestMovesRevertedTitleKeepsTheNewAddress(t *testing.T) {
	s := newMovedSite(t, movedRedirect)
	data := t.TempDir()
	if s2, _ := movedNights(t, s, data); s2.Changed != 1 || s2.New != 0 {
		t.Fatalf("night 2: %+v", s2)
	}
	s.retitle(movedOldTitle, movedOldSlug)
	s3 := movesNight(t, data, s.srv.URL+"/")
	if s3.New != 0 || s3.Changed != 1 {
		t.Errorf("night 3 (title reverted): %+v", s3)
	}
	a := movedShow(t, data, s.url(movedOldSlug))
	if titles := movedTitles(a); len(titles) != 3 {
		t.Errorf("versions %q, want 3", titles)
	}
	if a.URL != s.url(movedOldSlug) {
		t.Errorf("after the title was reverted, the article's url is %s (which 301s to %s), want %s", a.URL, s.url(movedOldSlug), s.url(movedOldSlug))
	}
}

// TestMovesExportIDsFromNewAddress: after article 661 moved (301 to
// its new slug), a researcher exports it by the address the site shows
// now, or by the url an earlier export printed for it.
//
// User does: `export --ids-from list.txt` with the new address (the
// `url` field of `show --json`/`export` itself).
// User sees: "1 of the 1 articles it lists are not in the archive" and
// nothing exported, although `show NEW-ADDRESS` finds the article.
// Should see: the article exported (README: show, diff and export
// --ids-from read references alike; the new address finds it).
// Where: cli/export.go readIDs turns the line into ArticleID(url) and
// store.UnknownIDs / Filter.IDs (store/articles.go) match articles.id
// only; they should resolve aliases (store.aliasOf) as Article does.
func TestMovesExportIDsFromNewAddress(t *testing.T) {
	s := newMovedSite(t, movedRedirect)
	data := t.TempDir()
	movedNights(t, s, data)
	a := movedShow(t, data, s.url(movedNewSlug))
	list := filepath.Join(t.TempDir(), "list.txt")
	if err := os.WriteFile(list, []byte(a.URL+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, data, "export", "--format", "jsonl", "--ids-from", list, "-o", "-")
	if code != 0 || !strings.Contains(out, `"id":"`+a.ID+`"`) {
		t.Errorf("export --ids-from with the article's own url %s: exit %d, %d lines, stderr %q; want article %s", a.URL, code, strings.Count(out, "\n"), errOut, a.ID)
	}
}

// movesOtherBody is article 662's text in nightSite tests.
const movesOtherBody = moved662Body + `<p>Đảng ủy Khối yêu cầu các tổ chức cơ sở đảng gửi bài thu hoạch về Ban Tuyên giáo trước ngày 30/7.</p>`

// TestMovesCategoryCanonicalMergesEveryArticle: the CMS is upgraded and
// from night 2 every article page prints <link rel="canonical"> naming
// its category's listing (/tin-tuc/tin-tuc-chung/), a common SEO plugin
// misconfiguration, as the README's home-page case is. Nothing else
// changed on the site.
//
// User does: crawls every night; `show --versions` of article 661.
// User sees: whichever of 661 and 662 answers first "moves" to the
// listing's address, and then the other's page (canonical: the listing
// too) is recorded into it: its history gets a version with the other's
// title and text, its url is the listing, and the other is no longer
// confirmed (its last_seen frozen).
// And the crawl exits 5 ("too many failed requests") that night and
// every night after: the listing's own address is now an article's
// (an alias), and a listing at an article's address reads as "no longer
// an article", an error.
// Should see: 661 and 662 each with one version, each at its address
// (a canonical naming a page this run read as a listing, or named by
// several pages tonight, is no article's new address), night 2
// unchanged 2.
// Where: crawler/page.go canonical() refuses the home page only;
// record() then calls moved(ctxURL, canonical) and store.MoveArticle
// moves onto an address no article has without knowing what it is (a
// listing), after which RecordArticle resolves every page naming it to
// the first article that moved there.
func TestMovesCategoryCanonicalMergesEveryArticle(t *testing.T) {
	s := newNightSite(t)
	data := t.TempDir()
	a661 := movedSection + movedOldSlug + "-661.html"
	s.listing(a661, moved662Path)
	s.article(a661, movedOldTitle, "", "Ngày 12/06/2026", moved661Body)
	s.article(moved662Path, "Kế hoạch học tập chuyên đề năm 2026", "", "Ngày 10/06/2026", movesOtherBody)
	if s1 := crawl(t, data, s.url("/")); s1.New != 2 {
		t.Fatalf("night 1: %+v", s1)
	}
	// The upgrade: the same pages, each naming the listing canonical.
	s.article(a661, movedOldTitle, movedSection, "Ngày 12/06/2026", moved661Body)
	s.article(moved662Path, "Kế hoạch học tập chuyên đề năm 2026", movedSection, "Ngày 10/06/2026", movesOtherBody)
	time.Sleep(1100 * time.Millisecond)
	code, out, errOut := run(t, data, "crawl", "--site", s.url("/"), "--delay", "0", "--parallel", "4", "--json")
	if code != 0 {
		t.Errorf("night 2 crawl exited %d: %s%s", code, out, errOut)
	}
	for _, p := range []string{a661, moved662Path} {
		a := movedShow(t, data, s.url(p))
		if titles := movedTitles(a); len(titles) != 1 || a.URL != s.url(p) {
			t.Errorf("%s: now article %s at %s with versions %q; want its one version at its own address", p, a.ID, a.URL, titles)
		}
	}
	if !strings.Contains(out, `"changed":0,"unchanged":2,`) {
		t.Errorf("night 2 (nothing but the canonical links changed) summary %s; want changed 0, unchanged 2", out)
	}
	time.Sleep(1100 * time.Millisecond)
	if code, _, errOut := run(t, data, "crawl", "--site", s.url("/"), "--delay", "0", "--parallel", "4", "--json"); code != 0 {
		t.Errorf("night 3 crawl (nothing changed since night 2) exited %d: %s", code, errOut)
	}
}

// movesWeek is a "Lịch công tác tuần" article of week n.
func movesWeek(n int) string {
	return fmt.Sprintf(`<p>Lịch công tác tuần %d năm 2026 của Thường trực Đảng ủy Khối các cơ quan tỉnh Thanh Hóa.</p>
<p>Thứ Hai: đồng chí Bí thư Đảng ủy Khối dự họp Ban Thường vụ Tỉnh ủy; đồng chí Phó Bí thư làm việc tại cơ quan.</p>
<p>Thứ Tư: Thường trực Đảng ủy Khối làm việc với Đảng ủy Sở Tài chính về công tác xây dựng Đảng tuần %d.</p>`, n, n)
}

// TestMovesManyRedirectsToOnePage: the site's editors tidy up: the
// weekly schedules of weeks 23 and 24 (known articles) are unpublished
// and their addresses 301 to the schedule of week 25, a new article.
//
// User does: crawls every night; `show --versions` of week 23.
// User sees: week 23 (or 24, whichever answered first) "moved": its
// history gets week 25's schedule as its second version, its url is
// week 25's, night 2 counts week 25 as a change of week 23, not new,
// and week 24 stays live, its address answering 301 every night.
// Should see: week 25 a new article; weeks 23 and 24 keep their own
// history only (taken down, as an address leading to the home page is,
// or left as they were). A page that several known articles redirect to
// the same night, whose title and text are another's, is none of them.
// Where: crawler/page.go record() → moved(ctxURL, canonical, false)
// and store.MoveArticle move an article on a redirect alone, whatever
// the target holds; the redirect should count as a move only when the
// target is plausibly the same article (its text, or the trailing id in
// the address), and not when it is the target of several.
func TestMovesManyRedirectsToOnePage(t *testing.T) {
	s := newNightSite(t)
	data := t.TempDir()
	w := func(n int) string {
		return fmt.Sprintf("%slich-cong-tac-tuan-%d-nam-2026-%d.html", movedSection, n, 800+n)
	}
	title := func(n int) string { return fmt.Sprintf("Lịch công tác tuần %d năm 2026", n) }
	s.listing(w(24), w(23))
	for _, n := range []int{23, 24} {
		s.article(w(n), title(n), "", fmt.Sprintf("Ngày %02d/06/2026", n-20), movesWeek(n))
	}
	if s1 := crawl(t, data, s.url("/")); s1.New != 2 {
		t.Fatalf("night 1: %+v", s1)
	}
	s.listing(w(25))
	s.article(w(25), title(25), "", "Ngày 15/06/2026", movesWeek(25))
	s.set(w(23), nightPage{status: 301, loc: w(25)})
	s.set(w(24), nightPage{status: 301, loc: w(25)})
	s2 := movesNight(t, data, s.url("/"))
	for _, n := range []int{23, 24} {
		a := movedShow(t, data, s.url(w(n)))
		if titles := movedTitles(a); len(titles) != 1 || titles[0] != title(n) {
			t.Errorf("week %d: article %s at %s, versions %q; want its own version only", n, a.ID, a.URL, titles)
		}
	}
	if s2.New != 1 {
		t.Errorf("night 2 (week 25 published, weeks 23 and 24 redirected to it): new %d, changed %d, unchanged %d, deleted %d; want new 1", s2.New, s2.Changed, s2.Unchanged, s2.Deleted)
	}
}

// TestMovesInterruptedRunLeavesTwoArticles: night 2 is interrupted
// (Ctrl-C, a reboot) after the listing led to the retitled article's new
// address and before its old address (a 301 to the new one) was asked;
// the operator runs the same command again, which continues the run
// (README: an interrupted run is continued).
//
// User does: `crawl` (interrupted, exit 130), `crawl` again.
// User sees: the continued run asks the old address, follows its 301,
// and still keeps two articles: 661 under its old title, live (never
// seen again: its address redirects), and a new article at the new
// address with one version; `search "sơ kết"` finds it twice, and
// every night after too (the new one has a history of its own by then).
// Had the run not been interrupted, it would be one article with two
// versions (TestMovedListingFirstIsOneArticle).
// Should see: the same as an uninterrupted night: one article, two
// versions, found once.
// Where: crawler/run.go startRun sets r.started to the continued run's
// start, and store.MoveArticle merges only an article first seen at or
// after it; a continued run should pass the start of the run it
// continues (runs.resumed_from's started).
func TestMovesInterruptedRunLeavesTwoArticles(t *testing.T) {
	s := newNightSite(t)
	data := t.TempDir()
	oldP, newP := movedSection+movedOldSlug+"-661.html", movedSection+movedNewSlug+"-661.html"
	s.listing(oldP, moved662Path)
	s.article(oldP, movedOldTitle, "", "Ngày 12/06/2026", moved661Body)
	s.article(moved662Path, "Kế hoạch học tập chuyên đề năm 2026", "", "Ngày 10/06/2026", movesOtherBody)
	if s1 := crawl(t, data, s.url("/")); s1.New != 2 {
		t.Fatalf("night 1: %+v", s1)
	}
	time.Sleep(1100 * time.Millisecond)
	s.listing(newP, moved662Path)
	s.article(newP, movedNewTitle, "", "Ngày 12/06/2026", moved661Body)
	s.set(oldP, nightPage{status: 301, loc: newP})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	s.mu.Lock()
	s.onHit = func(path string) {
		if path != oldP {
			return
		}
		once.Do(func() {
			// Wait until the new address is recorded, then interrupt.
			deadline := time.Now().Add(5 * time.Second)
			for time.Now().Before(deadline) {
				if st, err := store.Open(context.Background(), data, nil); err == nil {
					_, aerr := st.Article(context.Background(), s.url(newP))
					st.Close()
					if aerr == nil {
						break
					}
				}
				time.Sleep(20 * time.Millisecond)
			}
			cancel()
			time.Sleep(500 * time.Millisecond)
		})
	}
	s.mu.Unlock()
	var out, errOut bytes.Buffer
	f := &Factory{IO: IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, Getenv: func(string) string { return "" }}
	code := Execute(ctx, f, []string{"--data", data, "--log-level", "warn", "crawl", "--site", s.url("/"), "--delay", "0", "--parallel", "4", "--json"})
	if code != 130 {
		t.Fatalf("night 2, interrupted: exit %d, %s %s", code, out.String(), errOut.String())
	}
	s.mu.Lock()
	s.onHit = nil
	s.mu.Unlock()
	s2 := crawl(t, data, s.url("/"))
	if hits := movedHits(t, data); len(hits) != 1 {
		t.Errorf("after the continued night 2 (%+v), search finds article 661 %d times, want once:\n%s", s2, len(hits), strings.Join(hits, "\n"))
	}
	if a := movedShow(t, data, s.url(newP)); a.Versions != 2 {
		t.Errorf("show --versions of the new address: article %s, %d versions %q; want 2 (the old title, the new)", a.ID, a.Versions, movedTitles(a))
	}
	if old := movedShow(t, data, s.url(oldP)); old.Status == "live" && old.Title == movedOldTitle {
		t.Errorf("the old address is still article %s, live, titled %q (last seen %s)", old.ID, old.Title, old.LastSeen)
	}
}

// TestMovesOldAddressGoneTakesDownTheMovedArticle: article 661 moved
// on night 2 (its old address 301s to the new slug). Article 662's text
// links 661 by its old address ("Xem thêm"), as articles keep doing. On
// night 3 the CMS's redirect is gone: the old address answers 404; the
// article is live at its new address, unchanged.
//
// User does: crawls every night, reads the morning `crawl --json`
// summary and `changes --since`.
// User sees: night 3 counts deleted 1 (and, when the new address is read
// after, changed 1: "back online"): the 404 at an address the article
// left a night ago marks the article itself taken down; depending on
// the order of the two requests the article ends the night as a
// tombstone although it is online, and `changes` reports a takedown
// that never happened, night after night.
// Should see: night 3 deleted 0, changed 0, unchanged 2; the article
// live. The old address is no more the article's (its url is the new
// one): a 404 there is a broken link at most.
// Where: store.MarkDeleted (changeArticle) and crawler/page.go gone()
// resolve any address whose id is the article's to the article, though
// the article moved away from it (articles.url is another address);
// gone() should tombstone only the article whose current address (url)
// answered, and the same holds for a redirect to the home page
// (noteTakenDown).
func TestMovesOldAddressGoneTakesDownTheMovedArticle(t *testing.T) {
	s := newNightSite(t)
	data := t.TempDir()
	oldP, newP := movedSection+movedOldSlug+"-661.html", movedSection+movedNewSlug+"-661.html"
	seeAlso := func(p string) string {
		return movesOtherBody + `<p>Xem thêm: <a href="` + p + `">Hội nghị sơ kết</a></p>`
	}
	s.listing(oldP, moved662Path)
	s.article(oldP, movedOldTitle, "", "Ngày 12/06/2026", moved661Body)
	s.article(moved662Path, "Kế hoạch học tập chuyên đề năm 2026", "", "Ngày 10/06/2026", seeAlso(oldP))
	if s1 := crawl(t, data, s.url("/")); s1.New != 2 {
		t.Fatalf("night 1: %+v", s1)
	}
	s.listing(newP, moved662Path)
	s.article(newP, movedNewTitle, "", "Ngày 12/06/2026", moved661Body)
	s.set(oldP, nightPage{status: 301, loc: newP})
	if s2 := movesNight(t, data, s.url("/")); s2.Changed != 1 || s2.New != 0 {
		t.Fatalf("night 2 (661 moved): %+v", s2)
	}
	s.set(oldP, nightPage{status: 404})
	s3 := movesNight(t, data, s.url("/"))
	if s3.Deleted != 0 || s3.Changed != 0 || s3.Unchanged != 2 {
		t.Errorf("night 3 (661 online at its new address, unchanged; its old address now 404): new %d, changed %d, unchanged %d, deleted %d; want 0, 0, 2, 0",
			s3.New, s3.Changed, s3.Unchanged, s3.Deleted)
	}
	if a := movedShow(t, data, s.url(newP)); a.Status != "live" {
		t.Errorf("article %s at %s, online and unchanged, is %s after night 3", a.ID, a.URL, a.Status)
	}
}
