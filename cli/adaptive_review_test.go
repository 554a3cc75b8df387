package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tulieu/store"
)

// These tests come from a review by the operator of the nightly job who,
// after months of `crawl --json` every night, turns on --revisit adaptive.
// A crawl's clock is the wall clock: a night is simulated, as
// TestCrawlRevisitAdaptive does, by the catalog's times (first_seen,
// last_changed, last_seen), which are what the schedule reads.
// Each test's comment tells what happened before its fix and what
// should happen.

// makeStable makes every live article and page of the catalog in data look
// stable (first seen and last changed 90 days ago) and asked an hour ago:
// each is then due on one night in seven (the default 168h cycle).
func makeStable(t *testing.T, data string) {
	t.Helper()
	st, err := store.Open(context.Background(), data, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now()
	long, recent := now.Add(-90*24*time.Hour).UTC().Format(time.RFC3339Nano), now.Add(-time.Hour).UTC().Format(time.RFC3339Nano)
	if _, err := st.DB().Exec("UPDATE articles SET first_seen = ?, last_changed = ?, last_seen = ?", long, long, recent); err != nil {
		t.Fatal(err)
	}
}

// ownNightTonight says whether a stable article at u (interval: the 7-day
// cycle) is due on the night of t by its night in seven, as
// crawler/revisit.go picks it for an article asked earlier the same
// night: (night + FNV-64a(u)) % 7 == 0, nights from noon to noon in
// Vietnam. (A copy of the crawler's choice, so that the
// test picks an address whose night is not tonight.)
func ownNightTonight(u string, t time.Time) bool {
	h := fnv.New64a()
	h.Write([]byte(u))
	night := uint64((t.Unix() - 5*3600) / (24 * 3600))
	return (night+h.Sum64())%7 == 0
}

// TestAdaptiveStartURLAlwaysFetched: the site is a SharePoint-style
// portal whose home page is not "/" but a page of its own
// (/portal/Pages/Trang-chu.aspx), with a welcome paragraph and the menu to
// the news listing; the operator's job crawls it with --site set to that
// address. The first nights record the home page as an article (it reads
// as one; only a home page at "/" is made a listing). With --revisit
// adaptive, on a night the home page is "not due" (six nights in seven
// once it looks stable), enqueue drops the start URL like any other known
// article that is not due: the listing is never reached, the article
// published that day is not found, and when none of the known articles
// happens to be due the run fetches nothing and ends "failed", exit 4
// "site unreachable: no page could be fetched" while the site is up
// (systemctl --failed shows it). README: "Listings and start URLs are
// always fetched (they are how new articles are found)". What should
// happen: the start URL is fetched whole every night whatever the
// schedule says of the article recorded there; the new article is found
// (new 1), exit 0.
func TestAdaptiveStartURLAlwaysFetched(t *testing.T) {
	s := newZNSite(t, 3)
	var home string
	homeAsked := 0
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == home {
			s.set(func(*znSite) { homeAsked++ })
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, fmt.Sprintf(znChromeTop, "Trang chủ")+`<div class="content"><h1 class="title">Chào mừng đến với Cổng thông tin Đảng ủy Khối</h1>`+
				`<p>Đảng ủy Khối các cơ quan tỉnh Thanh Hóa là tổ chức đảng trực thuộc Tỉnh ủy, lãnh đạo các tổ chức cơ sở đảng trong các cơ quan hành chính, sự nghiệp của tỉnh. Cổng thông tin đăng tải tin tức hoạt động, văn bản và tư liệu của Đảng bộ Khối.</p>`+
				`<p>Mời bạn đọc xem <a href="/tin-tuc/tin-tuc-chung/">tin tức chung</a> của Đảng bộ Khối.</p></div>`+znFoot)
			return
		}
		s.serve(w, r)
	}))
	defer portal.Close()
	// An address of the home page whose night in seven is not tonight
	// (nor in an hour, should the test cross noon in Vietnam).
	now := time.Now()
	for i := 0; ; i++ {
		home = fmt.Sprintf("/portal%d/Pages/Trang-chu.aspx", i)
		if u := portal.URL + home; !ownNightTonight(u, now) && !ownNightTonight(u, now.Add(time.Hour)) {
			break
		}
	}
	data := t.TempDir()
	night := func(extra ...string) (crawlSummary, int, string) {
		args := append([]string{"crawl", "--site", portal.URL + home, "--delay", "0", "--retries", "0", "--json"}, extra...)
		code, out, errOut := run(t, data, args...)
		var sum crawlSummary
		if err := json.Unmarshal([]byte(out), &sum); err != nil {
			t.Fatalf("crawl exited %d and printed %q (%v); stderr %s", code, out, err, errOut)
		}
		return sum, code, errOut
	}
	if sum, code, errOut := night(); code != ExitOK || sum.New < 3 {
		t.Fatalf("night 1: exit %d, %+v (%s)", code, sum, errOut)
	}
	// Months later every page looks stable; during the day an article is
	// published on the listing.
	makeStable(t, data)
	s.set(func(s *znSite) {
		a := znArticleN(5)
		a.title = "Bài thứ năm về công tác dân vận khéo"
		a.body = "<p>Công tác dân vận khéo được các chi bộ triển khai sâu rộng trong toàn Đảng bộ Khối, đạt nhiều kết quả nổi bật trong năm.</p><p>Đoạn thứ hai của bài thứ năm nói về kết quả đạt được và phương hướng năm tới.</p>"
		s.articles = append(s.articles, a)
	})
	var before int
	s.set(func(*znSite) { before = homeAsked })
	sum, code, errOut := night("--revisit", "adaptive")
	var asked int
	s.set(func(*znSite) { asked = homeAsked - before })
	if code != ExitOK || sum.New != 1 || asked == 0 {
		t.Errorf("adaptive night (one article added to the listing): exit %d, status %s, new %d, start URL asked %d times; note %q; want the start URL fetched, new 1, exit 0 (%s)",
			code, sum.Status, sum.New, asked, sum.Note, strings.TrimSpace(errOut))
	}
}
