package cli

// A review of the day's changes (2026-12-07, night): "partial" runs that
// a night with --max-pages left for the next to continue (a631734,
// withdrawn after this review: the budget's nights are as before, each
// starting from the site), and serve --recrawl-every's wait (2cf9330).
// The budget's tests failed with the partial runs and pass without them:
// they keep what a night with --max-pages must still do. Each test's
// comment says what the user does, what went wrong, and what should
// happen. The sites are nightSite (moves_review_test.go) and the fixture
// site.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"tulieu/store"
)

// budgetWeekSite is a nightSite whose home page links one listing of n weekly
// schedules (articles).
func budgetWeekSite(t *testing.T, n int) *nightSite {
	t.Helper()
	s := newNightSite(t)
	var paths []string
	for i := 1; i <= n; i++ {
		p := fmt.Sprintf("%slich-cong-tac-tuan-%d-nam-2026-%d.html", movedSection, i, 700+i)
		s.article(p, fmt.Sprintf("Lịch công tác tuần %d năm 2026", i), "", "Ngày 0"+fmt.Sprint(1+i%9)+"/06/2026", movesWeek(i))
		paths = append(paths, p)
	}
	s.listing(paths...)
	return s
}

// budgetNight crawls site with --max-pages budget, as the README's
// nightly job does, a second later than the last (the catalog's times are
// to the second).
func budgetNight(t *testing.T, data, site string, budget int, extra ...string) crawlSummary {
	t.Helper()
	time.Sleep(1100 * time.Millisecond)
	args := append([]string{"crawl", "--site", site, "--delay", "0", "--parallel", "2", "--max-pages", fmt.Sprint(budget), "--json"}, extra...)
	code, out, errOut := run(t, data, args...)
	if code != 0 {
		t.Fatalf("crawl %v exited %d: %s", extra, code, errOut)
	}
	var s crawlSummary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("crawl --json printed %q: %v", out, err)
	}
	return s
}

// TestBudgetNightAsksTheStartURL: the README's nightly job, `crawl
// --max-pages N --json`, on a site a little larger than the budget.
//
// User does: night 1 archives the first pages (partial); during the day
// the site publishes an article, linked first on its home page; night 2
// runs the same command.
// User sees: night 2 continues night 1's queue and never asks the home
// page (night 1 handled it): the new article is not archived, the
// morning's `changes --since` has nothing new, though the budget had room
// for it. At 1bf2da4 night 2 asked the home page first and archived it.
// Should see: the start URLs fetched every night ("Listings and start
// URLs are always fetched (they are how new articles are found)"), a
// partial run's leftovers continued after them.
func TestBudgetNightAsksTheStartURL(t *testing.T) {
	s := budgetWeekSite(t, 10)
	data := t.TempDir()
	n1 := budgetNight(t, data, s.url("/"), 6)
	t.Logf("night 1: %s fetched %d new %d", n1.Status, n1.Fetched, n1.New)
	s.mu.Lock()
	homeHits := s.hits["/"]
	s.mu.Unlock()

	fresh := movedSection + "hoi-nghi-so-ket-sau-thang-dau-nam-2026-801.html"
	s.article(fresh, "Hội nghị sơ kết công tác xây dựng Đảng sáu tháng đầu năm", "", "Ngày 12/06/2026", moved661Body)
	s.set("/", nightPage{body: fmt.Sprintf(movedTop, "Trang chủ", "") +
		`<a href="` + fresh + `">Hội nghị sơ kết sáu tháng đầu năm</a> <a href="/tin-tuc/tin-tuc-chung/">Tin tức chung</a>` + movedFoot})
	// (A budget with room for the start URL, the articles known and the
	// new one, whatever order the two connections take them in.)
	n2 := budgetNight(t, data, s.url("/"), 9)
	t.Logf("night 2: %s fetched %d new %d", n2.Status, n2.Fetched, n2.New)
	s.mu.Lock()
	asked := s.hits["/"] - homeHits
	s.mu.Unlock()
	if asked == 0 {
		t.Errorf("night 2 (%s) never asked the start URL; want it asked every night", n2.Status)
	}
	if code, out, errOut := run(t, data, "show", s.url(fresh)); code != 0 {
		t.Errorf("the article the home page linked first on night 2 was not archived that night: show exited %d: %s%s", code, out, errOut)
	}
}

// TestBudgetNightAsksKnownArticles: the README's nightly job,
// `crawl --max-pages N --json` (--revisit all, the default), on a site a
// little larger than the budget.
//
// User does: night 1 archives the first pages (partial); during the day
// the editors correct an article night 1 archived; night 2 runs the same
// command; the morning report is `changes --since` night 2's start.
// User sees: night 2 continues night 1's queue and asks none of the
// articles night 1 had handled: the correction is not seen (changed 0,
// one version), though the budget had room for it. At 1bf2da4 night 2
// asked every known article first and counted it changed.
// Should see: "every known article is asked every run, so a change or a
// deletion is seen the next night" (README, Revisit schedule); a partial
// run's leftovers continued after the known articles, not instead.
func TestBudgetNightAsksKnownArticles(t *testing.T) {
	s := budgetWeekSite(t, 10)
	data := t.TempDir()
	n1 := budgetNight(t, data, s.url("/"), 6)
	t.Logf("night 1: %s fetched %d new %d", n1.Status, n1.Fetched, n1.New)
	// An article night 1 archived.
	first := exportJSONL(t, data)
	var edited string
	for _, a := range first {
		edited = a.URL
		break
	}
	if edited == "" {
		t.Fatalf("night 1 archived no article: %+v", n1)
	}
	path := strings.TrimPrefix(edited, s.url(""))
	var week int
	fmt.Sscanf(path[strings.Index(path, "tuan-")+len("tuan-"):], "%d", &week)
	s.article(path, fmt.Sprintf("Lịch công tác tuần %d năm 2026", week), "", "Ngày 0"+fmt.Sprint(1+week%9)+"/06/2026",
		movesWeek(week)+`<p>Thứ Sáu: Thường trực Đảng ủy Khối dự lễ kỷ niệm ngày thành lập Đảng bộ Khối (lịch bổ sung).</p>`)
	n2 := budgetNight(t, data, s.url("/"), 6)
	t.Logf("night 2: %s fetched %d new %d changed %d", n2.Status, n2.Fetched, n2.New, n2.Changed)
	if got := exportJSONL(t, data)[edited]; n2.Changed == 0 || got.Versions != 2 {
		t.Errorf("night 2 (%s): changed %d, %s has %d versions; want the correction made after night 1 seen by night 2 (changed 1, 2 versions)",
			n2.Status, n2.Changed, path, got.Versions)
	}
}

// TestRecrawlSpinsWhileALongCrawlRuns: `serve --recrawl-every 24h`
// runs beside a crawl of another process (a first crawl of a large site
// started by hand, or the nightly timer's) that has been running for
// more than a day.
//
// User does: starts `tulieu serve --recrawl-every 24h` while that crawl
// holds the data directory.
// User sees: recrawlWait takes the run with no end for a killed one and
// says "at once"; the crawl exits at once (the lock is held, exit 3), and
// the loop asks again at once: hundreds of crawl attempts and warnings a
// second, a core busy, the journal filled, until the other crawl ends.
// At 1bf2da4 the server waited a period.
// Should see: at most one attempt, then a wait ("nor retried in a loop
// while it holds the lock", as recrawlWait's comment promises): a crawl
// refused for the lock waits before the next try.
func TestRecrawlSpinsWhileALongCrawlRuns(t *testing.T) {
	s := budgetWeekSite(t, 2)
	data := t.TempDir()
	crawl(t, data, s.url("/"))
	// The other process: its run began 30 hours ago, and it holds the lock.
	var logs bytes.Buffer
	f := &Factory{IO: IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: &logs}, Getenv: func(string) string { return "" },
		DataDir: data, DataDirSet: true, LogLevel: "info", LogFormat: "text"}
	st, err := f.OpenStore(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.StartRun(context.Background(), []string{s.url("/")}, time.Now().Add(-30*time.Hour)); err != nil {
		t.Fatal(err)
	}
	unlock, err := store.LockCrawl(data)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	recrawl(ctx, f, st, &ServeOptions{RecrawlEvery: 24 * time.Hour,
		Crawl: CrawlOptions{Sites: []string{s.url("/")}, UserAgent: "tulieu-test", Delay: 0}})
	if n := strings.Count(logs.String(), "the crawl failed"); n > 1 {
		t.Errorf("in 2 s beside a crawl that has run 30 h and holds the lock, serve --recrawl-every 24h tried %d crawls; want at most one, then a wait. First lines:\n%s",
			n, firstLines(logs.String(), 4))
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// TestBudgetNightNotFailedByPagesLeftDown: the README's nightly job,
// `crawl --max-pages N --json`, on a site a little larger than the
// budget, whose pages night 1 left for later then answer 500 (a section
// of old news broken on the server, as happens for weeks).
//
// User does: crawls every night.
// User sees: night 2 continues night 1's queue, which holds only those
// pages: never asking the start URL (night 1 handled it), it gets only
// 500s and ends "failed", exit 4, "no page could be fetched from <start
// URL>" (a start URL it did not ask); night 3 continues night 1's queue
// again (Resumable: a failed run that continued another gives it back),
// and fails the same way, and so every night while those pages are
// broken: the timer's unit shows failed every morning, and nothing the
// site publishes is archived (the home page is never asked again).
// Should see: the start URL asked every night, and the night then
// completed or partial, exit 0, with the broken pages counted in errors
// (exit 5 past --max-error-rate at worst), as at 1bf2da4 where each
// night started from the home page.
func TestBudgetNightNotFailedByPagesLeftDown(t *testing.T) {
	s := budgetWeekSite(t, 10)
	broken := map[string]bool{}
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		b := broken[r.URL.Path]
		mu.Unlock()
		if b {
			http.Error(w, "Lỗi máy chủ", http.StatusInternalServerError)
			return
		}
		s.serve(w, r)
	}))
	defer srv.Close()
	data := t.TempDir()
	n1 := budgetNight(t, data, srv.URL+"/", 6, "--retries", "0")
	t.Logf("night 1: %s, fetched %d", n1.Status, n1.Fetched)
	archived := exportJSONL(t, data)
	mu.Lock()
	for i := 1; i <= 10; i++ {
		p := fmt.Sprintf("%slich-cong-tac-tuan-%d-nam-2026-%d.html", movedSection, i, 700+i)
		if _, ok := archived[srv.URL+p]; !ok {
			broken[p] = true
		}
	}
	mu.Unlock()
	fresh := movedSection + "hoi-nghi-so-ket-sau-thang-dau-nam-2026-801.html"
	s.article(fresh, "Hội nghị sơ kết công tác xây dựng Đảng sáu tháng đầu năm", "", "Ngày 12/06/2026", moved661Body)
	s.set("/", nightPage{body: fmt.Sprintf(movedTop, "Trang chủ", "") +
		`<a href="` + fresh + `">Hội nghị sơ kết sáu tháng đầu năm</a> <a href="/tin-tuc/tin-tuc-chung/">Tin tức chung</a>` + movedFoot})
	var codes []int
	for night := 2; night <= 4; night++ {
		time.Sleep(1100 * time.Millisecond)
		// (Room for the start URL, the articles known and the new one.)
		code, out, errOut := run(t, data, "crawl", "--site", srv.URL+"/", "--delay", "0", "--parallel", "2", "--max-pages", "9", "--retries", "0", "--json")
		codes = append(codes, code)
		var sum crawlSummary
		json.Unmarshal([]byte(out), &sum)
		lines := strings.Split(strings.TrimSpace(errOut), "\n")
		t.Logf("night %d: exit %d, %s, fetched %d, errors %d; %s", night, code, sum.Status, sum.Fetched, sum.Errors, lines[len(lines)-1])
	}
	if code, _, _ := run(t, data, "show", srv.URL+fresh); code != 0 || slices.Contains(codes, ExitUnreachable) {
		t.Errorf("%d broken pages left by night 1: nights 2 to 4 exited %v, and the article the home page linked after night 1 is archived: %v; want exit 0 (or 5) and it archived",
			len(broken), codes, code == 0)
	}
}
