package cli

// A third review of moved articles, as a demanding user of everything
// around a move: the nightly report, exports, the revisits of the nights
// after, an interrupted night, an address used again by the site. The
// sites are httptest servers; nightSite, movedSite and their helpers are
// moved_review_test.go's and moves_review_test.go's. Each test's comment
// tells what happened before its fix: what the user does, what went
// wrong, and where the cause was. TestOldAddressReusedByAnotherArticle
// is a known defect, skipped unless built with -tags knowndefects.

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"tulieu/api"
	"tulieu/store"
)

// hookSite is a nightSite whose requests may pass through a hook first
// (to interrupt a crawl at a chosen request).
type hookSite struct {
	*nightSite
	hmu  sync.Mutex
	hook func(r *http.Request)
}

func newHookSite(t *testing.T) *hookSite {
	t.Helper()
	s := &hookSite{nightSite: newNightSite(t)}
	s.srv.Close()
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hmu.Lock()
		h := s.hook
		s.hmu.Unlock()
		if h != nil {
			h(r)
		}
		s.serve(w, r)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *hookSite) setHook(h func(r *http.Request)) {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	s.hook = h
}

// recordedAt says whether the catalog of data holds an article at u,
// recorded under u itself (not an alias).
func recordedAt(data, u string) bool {
	st, err := store.Open(context.Background(), data, nil)
	if err != nil {
		return false
	}
	defer st.Close()
	a, err := st.Article(context.Background(), u)
	return err == nil && a.URL == u
}

// interruptedCrawl crawls the site into data and interrupts the crawl
// (as Ctrl-C does) when it asks path, as soon as ready() holds; that
// request is never answered. The crawl must exit 130.
func interruptedCrawl(t *testing.T, s *hookSite, data, path string, ready func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	s.setHook(func(r *http.Request) {
		if r.URL.Path != path {
			return
		}
		once.Do(func() {
			deadline := time.Now().Add(10 * time.Second)
			for time.Now().Before(deadline) && !ready() {
				time.Sleep(20 * time.Millisecond)
			}
			cancel()
			select {
			case <-r.Context().Done(): // the crawl gave the request up
			case <-time.After(10 * time.Second):
			}
		})
	})
	defer s.setHook(nil)
	var out, errOut bytes.Buffer
	f := &Factory{IO: IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, Getenv: func(string) string { return "" }}
	code := Execute(ctx, f, []string{"--data", data, "--log-level", "warn", "crawl", "--site", s.url("/"), "--delay", "0", "--parallel", "4", "--json"})
	if code != 130 {
		t.Fatalf("the interrupted crawl exited %d: %s %s", code, out.String(), errOut.String())
	}
}

// moveNight2 sets up night 1 (article 661 at its old slug, and 662)
// and crawls it, then sets night 2: the listing links 661's new slug,
// which answers with the retitled article, and the old slug answers as
// old says (a 301 to the new one, a 404, or the retitled article itself
// for a CMS that routes by id).
func moveNight2(t *testing.T, s *hookSite, data, old string) (oldP, newP string) {
	t.Helper()
	oldP, newP = movedSection+movedOldSlug+"-661.html", movedSection+movedNewSlug+"-661.html"
	s.listing(oldP, moved662Path)
	s.article(oldP, movedOldTitle, "", "Ngày 12/06/2026", moved661Body)
	s.article(moved662Path, "Kế hoạch học tập chuyên đề năm 2026", "", "Ngày 10/06/2026", movesOtherBody)
	if s1 := crawl(t, data, s.url("/")); s1.New != 2 {
		t.Fatalf("night 1: %+v", s1)
	}
	time.Sleep(1100 * time.Millisecond)
	s.listing(newP, moved662Path)
	s.article(newP, movedNewTitle, "", "Ngày 12/06/2026", moved661Body)
	switch old {
	case "301":
		s.set(oldP, nightPage{status: 301, loc: newP})
	case "404":
		s.set(oldP, nightPage{status: 404})
	case "byid":
		s.article(oldP, movedNewTitle, "", "Ngày 12/06/2026", moved661Body)
	}
	return oldP, newP
}

// TestOldAddressReusedByAnotherArticle: a WordPress-like site (slugs
// without a number). Night 2: the editors retitle the notice "Thông báo
// lịch tiếp công dân" (…/thong-bao-lich-tiep-cong-dan.html); it gets a
// longer slug and the old one 301s to it, which tulieu records as a move.
// Night 3: next quarter's notice is published with the same title, and
// the CMS gives it the slug that is free again: the old address now
// answers 200 with ANOTHER article (its own date and text), and the
// listing links both.
//
// User does: crawls every night; `search`, `show --versions`.
// User sees: night 3 counts new 0, changed 1: the new notice is recorded
// as version 3 of the moved article (whose url stays the longer slug),
// and then the longer slug, read the same night, as version 4, and so
// on every night (changed 1 on night 4 for a site where nothing
// changed): the two articles alternate in one history, and `search`
// never finds the new notice as an article of its own.
// Should see: night 3 new 1; the moved article keeps its 2 versions;
// the new notice is found as its own article at the old address; night 4
// changed 0.
// Where: store.recordArticle (store/articles.go) resolves the fetched
// address by ArticleID(url) to the article first recorded there even
// though that article moved away (articles.url is another address and
// the old address no longer redirects to it); crawler/page.go record()
// never asks whether the address it read is still the article's.
func TestOldAddressReusedByAnotherArticle(t *testing.T) {
	if !knownDefects {
		// An article's id is the hash of the address it was first
		// recorded at: a second article at that address needs an id
		// scheme of its own, not done yet (the target site's addresses
		// end in the CMS's article number, which is not reused).
		t.Skip("known defect (go test -tags knowndefects ./cli to run it): an address an article moved from, reused by another article")
	}
	s := newNightSite(t)
	data := t.TempDir()
	a := movedSection + "thong-bao-lich-tiep-cong-dan.html"
	b := movedSection + "thong-bao-lich-tiep-cong-dan-cua-bi-thu.html"
	const firstTitle = "Thông báo lịch tiếp công dân"
	s.listing(a, moved662Path)
	s.article(a, firstTitle, "", "Ngày 01/07/2026", movesPressBody)
	s.article(moved662Path, "Kế hoạch học tập chuyên đề năm 2026", "", "Ngày 10/06/2026", movesOtherBody)
	if s1 := crawl(t, data, s.url("/")); s1.New != 2 {
		t.Fatalf("night 1: %+v", s1)
	}
	s.listing(b, moved662Path)
	s.article(b, movesPressTitle, "", "Ngày 01/07/2026", movesPressBody)
	s.set(a, nightPage{status: 301, loc: b})
	if s2 := movesNight(t, data, s.url("/")); s2.New != 0 || s2.Changed != 1 {
		t.Fatalf("night 2 (the notice retitled, its old slug 301 to the new one): %+v", s2)
	}
	moved := movedShow(t, data, s.url(b))
	if moved.URL != s.url(b) || moved.Versions != 2 {
		t.Fatalf("after night 2: %s at %s, %d versions %q", moved.ID, moved.URL, moved.Versions, movedTitles(moved))
	}
	// Next quarter's notice takes the free slug.
	const nextBody = `<p>Đảng ủy Khối thông báo lịch tiếp công dân định kỳ quý IV năm 2026: đồng chí Phó Bí thư thường trực tiếp công dân vào sáng thứ Năm tuần thứ hai hằng tháng.</p>
<p>Địa điểm tiếp công dân: Phòng tiếp dân, trụ sở Đảng ủy Khối, số 35 đường Hạc Thành; công dân mang theo giấy tờ tùy thân khi đến liên hệ.</p>`
	s.listing(a, b, moved662Path)
	s.article(a, firstTitle, "", "Ngày 01/10/2026", nextBody)
	s3 := movesNight(t, data, s.url("/"))
	if s3.New != 1 {
		t.Errorf("night 3 (a new notice published at the slug the retitled one left): new %d, changed %d, unchanged %d; want new 1", s3.New, s3.Changed, s3.Unchanged)
	}
	s4 := movesNight(t, data, s.url("/"))
	if s4.Changed != 0 || s4.New != 0 {
		t.Errorf("night 4 (nothing changed on the site): new %d, changed %d, unchanged %d; want 0, 0, 3", s4.New, s4.Changed, s4.Unchanged)
	}
	if m := movedShow(t, data, s.url(b)); m.Versions != 2 {
		t.Errorf("the retitled notice (%s at %s) now has %d versions %q; want its 2 (the new notice's text is not its history)", m.ID, m.URL, m.Versions, movedTitles(m))
	}
	found := false
	for _, h := range search(t, data, "Phó Bí thư thường trực").Hits {
		found = found || h.URL == s.url(a) && h.Title == firstTitle
	}
	if !found {
		t.Errorf("search does not find the new notice as an article at %s: %+v", s.url(a), search(t, data, "Phó Bí thư thường trực").Hits)
	}
}

// TestPureMoveNeverAskedAtItsNewAddress: an article's address changes
// without its text changing (the CMS fixed a slug: …/hoi-nghi-661.html →
// …/hoi-nghi-so-ket-661.html, the old one 301 to the new one). tulieu
// records the move: url is the new address. Some nights later the article
// has fallen off the listing (old articles do), and the CMS's redirect is
// dropped (the old address answers 404, which the README says takes
// nothing down). Later still the article is taken down at its new address.
//
// User does: crawls every night; reads the summary and `show`.
// User sees: from night 3 on the crawl asks only the OLD address (it
// re-checks an article "at the URL its current content came from", and
// the content came from the old address on night 1); the new address is
// never asked again: night 3 counts unchanged 1 for a site of 2 live
// articles, last_seen stays at night 2, and on night 4 the takedown at the
// new address is never seen: the article stays live for ever.
// Should see: the article re-checked at its address (url) every night,
// night 3 unchanged 2, night 4 deleted 1.
// Where: store.LiveURLs / RevisitHistories give COALESCE(captures.url,
// articles.url), and a move whose content is unchanged keeps the night-1
// capture (recordArticle's Unchanged branch, sqlTouch, keeps capture_id;
// MoveArticle does not touch it): the capture's address is no longer the
// article's.
func TestPureMoveNeverAskedAtItsNewAddress(t *testing.T) {
	s, data, oldP, newP := slugFixNight1(t)
	s.listing(newP, moved662Path)
	s.article(newP, movedOldTitle, "", "Ngày 12/06/2026", moved661Body)
	s.set(oldP, nightPage{status: 301, loc: newP})
	movesNight(t, data, s.url("/"))
	if a := movedShow(t, data, s.url(oldP)); a.URL != s.url(newP) {
		t.Fatalf("night 2: the article did not move: %s at %s", a.ID, a.URL)
	}
	// Night 3: off the listing, the redirect dropped.
	s.listing(moved662Path)
	s.set(oldP, nightPage{status: 404})
	s3 := movesNight(t, data, s.url("/"))
	if s3.Unchanged != 2 {
		t.Errorf("night 3 (both articles online and unchanged): unchanged %d, deleted %d; want unchanged 2", s3.Unchanged, s3.Deleted)
	}
	// Night 4: taken down at its address.
	s.set(newP, nightPage{status: 404})
	s4 := movesNight(t, data, s.url("/"))
	wantTakenDown(t, s, data, newP, s4, "night 4 (the article taken down at its address)")
}

// wantTakenDown checks that the night sum took the article at path down,
// and says, if not, how often the site was asked that address.
func wantTakenDown(t *testing.T, s *nightSite, data, path string, sum crawlSummary, night string) {
	t.Helper()
	a := movedShow(t, data, s.url(path))
	s.mu.Lock()
	asked := s.hits[path]
	s.mu.Unlock()
	if sum.Deleted != 1 || a.Status != "deleted" {
		t.Errorf("%s: deleted %d, errors %d, the article %s at %s (last seen %s); its address was asked %d times",
			night, sum.Deleted, sum.Errors, a.Status, a.URL, a.LastSeen, asked)
	}
}

// TestPureMoveMissingFromChangesAndExport: the same slug fix (the
// article's address changes, its text and title do not; the old address
// 301s to the new one). A script keeps a copy of the archive's list of
// articles by polling `changes --json` (or `/api/changes?since=`, or
// `export --changed-since`) with since = the previous report's until, as
// the README advises ("misses nothing").
//
// User does: `changes --since <before night 2> --json`, and `export
// --changed-since <same>`.
// User sees: nothing at all: the report lists no article and the export
// is empty, so the script keeps the article under its old url, which now
// only redirects (and which tulieu itself no longer calls the article's:
// show, search and export give the new one). The catalog did change it:
// the move took a change sequence and the search index re-indexed it.
// Should see: the article once, under changed, with its new url (the
// move is a change of the record, as the search index treats it).
// Where: store.MoveArticle sets url and seq but not last_changed, and
// api.NewChanges / store.Filter.ChangedSince select on first_seen,
// last_changed and deleted_at only. (Judgement call: the README's
// "counts it `changed` (its title)" covers retitled moves only.)
func TestPureMoveMissingFromChangesAndExport(t *testing.T) {
	s, data, oldP, newP := slugFixNight1(t)
	time.Sleep(1100 * time.Millisecond)
	since := time.Now().UTC().Truncate(time.Second).Format(time.RFC3339)
	s.listing(newP, moved662Path)
	s.article(newP, movedOldTitle, "", "Ngày 12/06/2026", moved661Body)
	s.set(oldP, nightPage{status: 301, loc: newP})
	crawl(t, data, s.url("/"))
	a := movedShow(t, data, s.url(oldP))
	if a.URL != s.url(newP) {
		t.Fatalf("night 2: the article did not move: %s at %s", a.ID, a.URL)
	}
	reportsOnly(t, data, since, a.URL, "the article moved")
}

// reportsOnly checks that `changes --since` lists one article, at url,
// and that `export --changed-since` gives it.
func reportsOnly(t *testing.T, data, since, url, what string) {
	t.Helper()
	code, out, errOut := run(t, data, "changes", "--since", since, "--json")
	var ch api.Changes
	if code != 0 || json.Unmarshal([]byte(out), &ch) != nil {
		t.Fatalf("changes: %d %s %s", code, out, errOut)
	}
	var urls []string
	for _, c := range append(append(ch.New, ch.Changed...), ch.Deleted...) {
		urls = append(urls, c.URL)
	}
	if len(urls) != 1 || urls[0] != url {
		t.Errorf("changes --since %s after %s (to %s) reports %q; want the article once, at its url now", since, what, url, urls)
	}
	code, out, errOut = run(t, data, "export", "--changed-since", since, "--fields", "id,url", "-o", "-")
	if code != 0 || !strings.Contains(out, url) {
		t.Errorf("export --changed-since %s: exit %d, %q %s; want the article at %s", since, code, out, errOut, url)
	}
}

// TestExportAllVersionsSaysWhereEachWas: article 661 is retitled
// twice (A → B → C, each old address 301 to the newest). The researcher
// exports its history to cite each version as it was published.
//
// User does: `export --versions all --format jsonl`.
// User sees: every version's record says url C (the address now), even
// version 1, read at A, and version 2, read at B, whose warc_record_id
// names a WARC record of another address (WARC-Target-URI A, B): nothing
// in the export says where a version was published, although `show
// --versions --json` gives each version's fetched_from.
// Should see: each version's record naming the address it was fetched
// from (its url, or a fetched_from field as in show's history).
// Where: export/export.go records() builds every version's record from
// the article's row (copyA := *a, url included) and never reads
// store.Version.FetchedFrom; the columns (export/columns.go) have no such
// field.
func TestExportAllVersionsSaysWhereEachWas(t *testing.T) {
	s := newMovedSite(t, movedRedirect)
	data := t.TempDir()
	if s1 := crawl(t, data, s.srv.URL+"/"); s1.New != 2 {
		t.Fatalf("night 1: %+v", s1)
	}
	s.retitle("Hội nghị sơ kết công tác xây dựng Đảng", "hoi-nghi-so-ket-cong-tac-xay-dung-dang")
	movesNight(t, data, s.srv.URL+"/")
	s.retitle(movedNewTitle, movedNewSlug)
	movesNight(t, data, s.srv.URL+"/")
	a := movedShow(t, data, s.url(movedOldSlug))
	if len(a.History) != 3 || a.URL != s.url(movedNewSlug) {
		t.Fatalf("after three nights: %s at %s, history %+v", a.ID, a.URL, a.History)
	}
	code, out, errOut := run(t, data, "export", "--format", "jsonl", "--versions", "all", "-o", "-")
	if code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r struct {
			ID      string `json:"id"`
			URL     string `json:"url"`
			Version int    `json:"version"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("export line %q: %v", line, err)
		}
		if r.ID != a.ID || r.Version < 1 || r.Version > 3 {
			continue
		}
		if from := a.History[r.Version-1].FetchedFrom; !strings.Contains(line, `"`+from+`"`) {
			t.Errorf("version %d (fetched from %s) is exported with url %s and no word of %s", r.Version, from, r.URL, from)
		}
	}
}

// TestContinuedNightCountsMinusOneNew: night 2 is interrupted (Ctrl-C,
// a reboot) after the listing led to article 661's new address and
// before its old address (a 301 to the new one) was asked; the operator
// runs the same crawl again, which continues the night and merges the two
// (fixed by TestMovesInterruptedRunLeavesTwoArticles).
//
// User does: `crawl` (interrupted), `crawl` again; reads `crawl --json`,
// `stats`, the runs table.
// User sees: the continued run's summary says "new": -1 (and the runs
// row, `stats`' last_run too): the merge takes back a "new" that the
// interrupted run counted, from a run that never counted it.
// Should see: no negative count: new 0 (or the interrupted run's count
// corrected), changed 1.
// Where: crawler/moves.go moved() subtracts one from p.counts.new on a
// merge; the counters of a continued run start at zero (crawler/run.go
// startRun: r.counts = &counters{}) while the article merged was counted
// by the run it continues.
func TestContinuedNightCountsMinusOneNew(t *testing.T) {
	s := newHookSite(t)
	data := t.TempDir()
	oldP, newP := moveNight2(t, s, data, "301")
	interruptedCrawl(t, s, data, oldP, func() bool { return recordedAt(data, s.url(newP)) })
	s2 := crawl(t, data, s.url("/"))
	if s2.New < 0 || s2.Changed < 0 {
		t.Errorf("the continued night 2 says new %d, changed %d, unchanged %d: a negative count", s2.New, s2.Changed, s2.Unchanged)
	}
}

// TestContinuedNightLosesTheTwinMove: as above, but the CMS does not
// redirect: (404) the old address answers 404, or (byid) it answers 200
// with the retitled article (a CMS routing by id alone). Uninterrupted,
// either night makes one article with two versions (README: "one whose
// text alone is that of a known article whose address answered 404 the
// same night (it is live again…)", and the title-date-text twin).
//
// User does: `crawl` (interrupted after the new address was recorded,
// before the old one answered), `crawl` again, which "continues it".
// User sees: two articles: (404) the old one a tombstone under its old
// title (night counts deleted 1, `changes` reports a takedown) and the new
// one a new article with one version; (byid) both live, the old one with
// the new title as version 2, so `search` finds the article twice.
// Should see: what an uninterrupted night gives: one article, two
// versions, found once, nothing deleted.
// Where: crawler/twins.go keeps the night's new articles and tombstones
// in memory only (run.twins()); a continued run starts with none, so
// mergeTwin / mergeGone cannot pair the old address with the new article
// the interrupted run recorded (the 301 case is merged by MoveArticle
// from the catalog instead).
func TestContinuedNightLosesTheTwinMove(t *testing.T) {
	for _, mode := range []string{"404", "byid"} {
		t.Run(mode, func(t *testing.T) {
			s := newHookSite(t)
			data := t.TempDir()
			oldP, newP := moveNight2(t, s, data, mode)
			interruptedCrawl(t, s, data, oldP, func() bool { return recordedAt(data, s.url(newP)) })
			s2 := crawl(t, data, s.url("/"))
			if hits := movedHits(t, data, "--include-deleted"); len(hits) != 1 {
				t.Errorf("after the continued night 2 (%+v), search --include-deleted finds article 661 %d times, want once:\n%s",
					s2, len(hits), strings.Join(hits, "\n"))
			}
			if o, n := movedShow(t, data, s.url(oldP)), movedShow(t, data, s.url(newP)); o.ID != n.ID {
				t.Errorf("the old address is article %s (%s, %q), the new one %s (%s, %q); want one article",
					o.ID, o.Status, movedTitles(o), n.ID, n.Status, movedTitles(n))
			}
		})
	}
}

// TestTwiceInterruptedNightLeavesTwoArticles: night 2 (article 661
// retitled, its old address a 301 to the new one) is interrupted after
// the listing led to the new address, continued, and interrupted again
// (a second power cut) before the old address answered; the third start
// completes the night.
//
// User does: `crawl`, `crawl`, `crawl` (the first two interrupted).
// User sees: two articles, as if the move had never been seen: 661 under
// its old title, live, its address answering 301 every night, and a new
// article at the new address; `search "sơ kết"` finds it twice. One
// interruption merges them (TestMovesInterruptedRunLeavesTwoArticles);
// two do not.
// Should see: one article with two versions, found once.
// Where: crawler/run.go startRun takes the night's start (nightStarted)
// from the run it continues (RunStarted(prevRun)), which is itself a
// continuation: the night started with the first run of the chain
// (follow runs.resumed_from back), and store.MoveArticle refuses to merge
// an article first seen before since.
func TestTwiceInterruptedNightLeavesTwoArticles(t *testing.T) {
	s := newHookSite(t)
	data := t.TempDir()
	oldP, newP := moveNight2(t, s, data, "301")
	interruptedCrawl(t, s, data, oldP, func() bool { return recordedAt(data, s.url(newP)) })
	time.Sleep(1100 * time.Millisecond)
	interruptedCrawl(t, s, data, oldP, func() bool { return true })
	s2 := crawl(t, data, s.url("/"))
	if hits := movedHits(t, data); len(hits) != 1 {
		t.Errorf("after night 2 (interrupted twice, then completed: %+v), search finds article 661 %d times, want once:\n%s",
			s2, len(hits), strings.Join(hits, "\n"))
	}
	if o, n := movedShow(t, data, s.url(oldP)), movedShow(t, data, s.url(newP)); o.ID != n.ID {
		t.Errorf("the old address is article %s (%s, %q), the new one %s (%q); want one article with two versions",
			o.ID, o.Status, movedTitles(o), n.ID, movedTitles(n))
	}
}

// slugFixNight1 is night 1 of a slug fix: article 661 at its old address
// (and 662) listed and crawled; newP is the address the fix gives it.
func slugFixNight1(t *testing.T) (s *nightSite, data, oldP, newP string) {
	t.Helper()
	s = newNightSite(t)
	data = t.TempDir()
	oldP, newP = movedSection+"hoi-nghi-661.html", movedSection+"hoi-nghi-so-ket-661.html"
	s.listing(oldP, moved662Path)
	s.article(oldP, movedOldTitle, "", "Ngày 12/06/2026", moved661Body)
	s.article(moved662Path, "Kế hoạch học tập chuyên đề năm 2026", "", "Ngày 10/06/2026", movesOtherBody)
	if s1 := crawl(t, data, s.url("/")); s1.New != 2 {
		t.Fatalf("night 1: %+v", s1)
	}
	return s, data, oldP, newP
}
