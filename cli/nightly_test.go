package cli

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"tulieu/api"
	"tulieu/internal/fixturesite"
	"tulieu/store"
)

// TestNightlyCycle runs four nights of the scheduled crawl, as the systemd
// timer runs it, against an imitation of the site with an endless work
// calendar, and reads what an administrator reads the next morning: the
// JSON summary and exit code, `changes`, the feed, versions and diffs,
// tombstones, the run rows in `stats`.
//
//  1. first crawl: every article and page new, the calendar cut short;
//  2. the site changed: 2 articles added, 2 edited, one 404 and one 410;
//  3. nothing changed: everything revalidated with a 304;
//  4. the site is down: exit 4, nothing lost; the crawl lock held: exit 3.
func TestNightlyCycle(t *testing.T) {
	site, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true, Calendar: true})
	data := t.TempDir()
	seed := srv.URL + "/"
	var articles, pages []string
	for _, a := range site.Articles() {
		if a.Static {
			pages = append(pages, a.Path)
		} else {
			articles = append(articles, a.Path)
		}
	}
	calendarBound := func(night string, reqs []fixturesite.RequestLog) {
		t.Helper()
		// The calendar brings nothing new: each day page links three
		// others, and a branch stops after 5 barren pages in a row, so a
		// few dozen days, never the hundreds an endless calendar would
		// give (issue #14 measured 780 a night before chains were cut).
		n := 0
		for _, r := range reqs {
			if r.Path == "/lich-cong-tac" {
				n++
			}
		}
		if n == 0 || n > 36 {
			t.Errorf("%s: %d calendar pages fetched, want 1 to 36", night, n)
		}
	}
	nightly := func(night string) (crawlSummary, int, []fixturesite.RequestLog) {
		t.Helper()
		before := len(site.Requests())
		code, out, errOut := run(t, data, "crawl", "--site", seed, "--delay", "0", "--parallel", "4", "--retries", "0", "--json")
		var s crawlSummary
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatalf("%s: crawl exited %d and printed %q (%v); stderr %s", night, code, out, err, errOut)
		}
		return s, code, site.Requests()[before:]
	}

	// Night 1.
	s1, code, reqs := nightly("night 1")
	if code != ExitOK || s1.New != int64(len(articles)) || s1.PagesNew != int64(len(pages)) || s1.Changed+s1.Unchanged+s1.Deleted != 0 || s1.Errors != 0 {
		t.Fatalf("night 1: exit %d, summary %+v; want %d new articles and %d new pages", code, s1, len(articles), len(pages))
	}
	calendarBound("night 1", reqs)
	if got := exportJSONL(t, data, "--include-pages"); len(got) != len(articles)+len(pages) {
		t.Errorf("night 1: %d articles and pages archived, want %d (no calendar day among them)", len(got), len(articles)+len(pages))
	}

	// The site changes during the day.
	time.Sleep(1100 * time.Millisecond) // --since takes whole seconds
	mid := time.Now().UTC().Truncate(time.Second)
	edited := []string{editArticle(site), "/tin-tuc/tin-tuc-chung/hoc-tap-quan-triet-ket-luan-hoi-nghi-trung-uong-4-khoa-xiii-1102.html"}
	site.Edit(edited[1], []string{"Sáng nay, Đảng ủy Khối tổ chức hội nghị học tập, quán triệt Kết luận Hội nghị Trung ương 4 khóa XIII.",
		"Nội dung bài viết đã được cập nhật: hội nghị được truyền hình trực tuyến đến các tổ chức cơ sở đảng trực thuộc."})
	removed := map[string]int{
		"/tin-tuc/tu-lieu/cac-ky-dai-hoi-dang-bo-khoi-10.html":                                                          http.StatusNotFound,
		"/tin-tuc/tin-tuc-chung/day-manh-chuyen-doi-so-trong-cong-tac-xay-dung-dang-o-cac-to-chuc-co-so-dang-1024.html": http.StatusGone,
	}
	for p, status := range removed {
		site.Remove(p, status)
	}
	added := []string{"/tin-tuc/tin-tuc-chung/hoi-thao-ve-kinh-te-tuan-hoan-3001.html", "/hoat-dong-cac-to-chuc-csd/chi-bo-so-tai-chinh-ket-nap-dang-vien-moi-3002.html"}
	site.Add(fixturesite.Article{Path: added[0], Title: "Hội thảo về kinh tế tuần hoàn", DateLine: "Ngày 21/11/2026",
		Expected: fixturesite.Expected{BodyParagraphs: []string{
			"Đảng ủy Khối tổ chức hội thảo về kinh tế tuần hoàn với sự tham gia của nhiều chuyên gia và đại diện các cơ quan, đơn vị trong tỉnh.",
			"Các ý kiến tập trung vào giải pháp giảm chất thải, tái sử dụng tài nguyên và phát triển bền vững trong thời gian tới."}}})
	site.Add(fixturesite.Article{Path: added[1], Title: "Chi bộ Sở Tài chính kết nạp đảng viên mới", DateLine: "Ngày 22/11/2026",
		Expected: fixturesite.Expected{BodyParagraphs: []string{
			"Chi bộ Sở Tài chính long trọng tổ chức lễ kết nạp đảng viên mới cho hai quần chúng ưu tú có nhiều thành tích trong công tác.",
			"Phát biểu tại buổi lễ, đồng chí Bí thư Chi bộ đề nghị các đảng viên mới không ngừng học tập, rèn luyện, phấn đấu."}}})
	for _, p := range edited {
		if _, ok := removed[p]; ok {
			t.Fatalf("the test edits and removes %s", p)
		}
	}

	// Night 2: exact counts.
	s2, code, reqs := nightly("night 2")
	stable := len(articles) - len(edited) - len(removed)
	if code != ExitOK || s2.New != 2 || s2.Changed != 2 || s2.Deleted != 2 || s2.Unchanged != int64(stable) ||
		s2.PagesNew+s2.PagesChanged+s2.PagesDeleted != 0 || s2.PagesUnchanged != int64(len(pages)) || s2.Errors != 0 {
		t.Errorf("night 2: exit %d, summary %+v; want new 2, changed 2, deleted 2, unchanged %d, pages unchanged %d",
			code, s2, stable, len(pages))
	}
	calendarBound("night 2", reqs)
	// Every unchanged article was asked conditionally and answered 304.
	answered := map[string]int{}
	for _, r := range reqs {
		answered[r.Path] = r.Status
	}
	notModified := 0
	for _, p := range articles {
		if answered[p] == http.StatusNotModified {
			notModified++
		}
	}
	if notModified < stable {
		t.Errorf("night 2: %d of the %d unchanged articles answered 304", notModified, stable)
	}

	// The morning report.
	since := mid.Format(time.RFC3339)
	code, out, errOut := run(t, data, "changes", "--since", since, "--json")
	var ch api.Changes
	if code != 0 || json.Unmarshal([]byte(out), &ch) != nil {
		t.Fatalf("changes: %d %s %s", code, out, errOut)
	}
	paths := func(list []api.Change) map[string]bool {
		m := map[string]bool{}
		for _, c := range list {
			u, _ := url.Parse(c.URL)
			m[u.Path] = true
		}
		return m
	}
	wantSet := func(what string, got map[string]bool, want []string) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("changes: %s %v, want %v", what, got, want)
		}
		for _, p := range want {
			if !got[p] {
				t.Errorf("changes: %s lacks %s", what, p)
			}
		}
	}
	wantSet("new", paths(ch.New), added)
	wantSet("changed", paths(ch.Changed), edited)
	var gone []string
	for p := range removed {
		gone = append(gone, p)
	}
	wantSet("deleted", paths(ch.Deleted), gone)

	// Versions, diff and tombstones, as `show` and `diff` give them.
	for _, p := range edited {
		id := articleID(t, ch.Changed, p)
		code, out, _ := run(t, data, "show", "--json", "--versions", id)
		var a api.Article
		if code != 0 || json.Unmarshal([]byte(out), &a) != nil || a.Versions != 2 || len(a.History) != 2 || a.Status != "live" {
			t.Errorf("show %s after an edit: exit %d, %d versions, status %q", p, code, a.Versions, a.Status)
		}
		code, out, _ = run(t, data, "diff", "--json", id)
		var d api.Diff
		if code != 0 || json.Unmarshal([]byte(out), &d) != nil || d.From != 1 || d.To != 2 || d.Inserted == 0 {
			t.Errorf("diff %s: exit %d %s", p, code, out)
		}
	}
	for _, c := range ch.Deleted {
		code, out, _ := run(t, data, "show", "--json", c.ID)
		var a api.Article
		if code != 0 || json.Unmarshal([]byte(out), &a) != nil || a.Status != "deleted" || a.Versions != 1 || a.Body == "" {
			t.Errorf("show of the removed %s: exit %d, status %q, %d versions", c.URL, code, a.Status, a.Versions)
		}
	}
	// Search follows: the new article is found, a removed one only when asked for.
	if r := search(t, data, "kinh tế tuần hoàn"); r.Total == 0 || !strings.HasSuffix(r.Hits[0].URL, added[0]) {
		t.Errorf("search for the added article: %+v", r)
	}

	// The feed, as a mail client or feed reader sees it.
	addr := startServe(t, data, ServeOptions{})
	status, feed := getBody(t, "http://"+addr+"/feed.atom")
	if status != http.StatusOK || strings.Count(feed, "<entry>") < 6 || strings.Count(feed, "(đã gỡ)") != 2 || strings.Count(feed, "(sửa)") != 2 {
		t.Errorf("feed after night 2: %d, %d entries, %d removals, %d edits", status, strings.Count(feed, "<entry>"),
			strings.Count(feed, "(đã gỡ)"), strings.Count(feed, "(sửa)"))
	}

	// Night 3: nothing changed.
	s3, code, reqs := nightly("night 3")
	live := len(articles) - len(removed) + len(added)
	if code != ExitOK || s3.New+s3.Changed+s3.Deleted+s3.PagesNew+s3.PagesChanged+s3.PagesDeleted != 0 ||
		s3.Unchanged != int64(live) || s3.PagesUnchanged != int64(len(pages)) || s3.Errors != 0 {
		t.Errorf("night 3 (nothing changed): exit %d, summary %+v; want %d unchanged articles", code, s3, live)
	}
	calendarBound("night 3", reqs)
	full := 0
	for _, r := range reqs {
		for _, p := range append(articles, added...) {
			if r.Path == p && r.Status == http.StatusOK {
				full++
			}
		}
	}
	if full > 0 {
		t.Errorf("night 3: %d unchanged articles fetched whole instead of answering 304", full)
	}
	code, out, _ = run(t, data, "changes", "--since", s3.Started, "--json")
	var none api.Changes
	if code != 0 || json.Unmarshal([]byte(out), &none) != nil || len(none.New)+len(none.Changed)+len(none.Deleted) != 0 {
		t.Errorf("changes since a night with no change: %d %s", code, out)
	}

	// Another crawl holds the lock: exit 3, and the holder is not disturbed.
	unlock, err := store.LockCrawl(data)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, data, "crawl", "--site", seed, "--delay", "0"); code != ExitLocked {
		t.Errorf("crawl while another holds the lock: exit %d (%s), want %d", code, errOut, ExitLocked)
	}
	unlock()

	// Night 4: the site is down. Exit 4, and the archive keeps everything.
	srv.Close()
	s4, code, _ := nightly("night 4")
	if code != ExitUnreachable || s4.Fetched != 0 || s4.Deleted != 0 {
		t.Errorf("night 4 (site down): exit %d, summary %+v; want exit %d and nothing marked deleted", code, s4, ExitUnreachable)
	}
	if s4.Status != "failed" || !strings.Contains(s4.Note, "no page could be fetched") {
		t.Errorf("night 4 (site down): the summary says status %q, note %q; want failed, and why", s4.Status, s4.Note)
	}
	if s1.Note != "" {
		t.Errorf("night 1 completed, with a note: %q", s1.Note)
	}
	code, out, _ = run(t, data, "stats", "--json")
	var st api.Stats
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil {
		t.Fatalf("stats: %d %s", code, out)
	}
	if st.Runs != 4 || st.LastRun == nil || st.LastRun.Status != store.RunFailed || st.Articles != int64(live) || st.Deleted != int64(len(removed)) {
		t.Errorf("stats after four nights: runs %d, last %+v, %d live articles (want %d), %d deleted", st.Runs, st.LastRun, st.Articles, live, st.Deleted)
	}
	if code, out, _ := run(t, data, "check"); code != 0 || !strings.Contains(out, "all is well") {
		t.Errorf("check after four nights: %d %s", code, out)
	}
}

func articleID(t *testing.T, list []api.Change, path string) string {
	t.Helper()
	for _, c := range list {
		if strings.HasSuffix(c.URL, path) {
			return c.ID
		}
	}
	t.Fatalf("%s not among %+v", path, list)
	return ""
}
