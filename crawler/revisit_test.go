package crawler

import (
	"context"
	"fmt"
	"maps"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tulieu/store"
)

func TestRevisitScheduleDue(t *testing.T) {
	now := time.Date(2026, 12, 6, 1, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	s, err := newRevisitSchedule(RevisitAdaptive, DefaultRevisitCycle, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name                             string
		firstSeen, lastSeen, lastChanged time.Duration // before now
		versions                         int
		interval                         time.Duration
		due                              string // yes, no, or "share": on about one night in interval
	}{
		{"new yesterday", day, day, day, 1, day / 4, "yes"},
		{"new a week ago", 7 * day, day, 7 * day, 1, 7 * day / 4, "yes"},
		{"changed three days ago", 90 * day, day, 3 * day, 3, 3 * day / 4, "yes"},
		{"stable for two weeks", 14 * day, day, 14 * day, 1, 14 * day / 4, "share"},
		{"stable for two months, asked yesterday", 60 * day, day, 60 * day, 1, 7 * day, "share"},
		{"stable for two months, asked a cycle ago", 60 * day, 7*day + 5*time.Hour, 60 * day, 1, 7 * day, "yes"},
		{"stable for two months, asked long ago", 60 * day, 30 * day, 60 * day, 1, 7 * day, "yes"},
		// Changed every five days before: asked every two or three.
		{"changes often, stable for ten days", 45 * day, day, 10 * day, 8, 5 * day / 2, "share"},
	} {
		h := store.RevisitHistory{FirstSeen: now.Add(-c.firstSeen), LastSeen: now.Add(-c.lastSeen),
			LastChanged: now.Add(-c.lastChanged), Versions: c.versions}
		if iv := s.interval(h); iv != c.interval {
			t.Errorf("%s: interval %v, want %v", c.name, iv, c.interval)
		}
		const urls = 7000
		due := 0
		for i := range urls {
			h.URL = fmt.Sprintf("http://x.test/tin-tuc/bai-%d.html", i)
			if s.due(h) {
				due++
			}
		}
		share := float64(due) / urls
		nights := float64(int(c.interval / day))
		switch {
		case c.due == "yes" && due != urls, c.due == "no" && due != 0:
			t.Errorf("%s: %d of %d URLs due, want %s", c.name, due, urls, c.due)
		case c.due == "share" && (share < 0.8/nights || share > 1.2/nights):
			t.Errorf("%s: %.3f of the URLs due, want about 1/%v", c.name, share, nights)
		}
	}
	if s, _ := newRevisitSchedule(RevisitAll, 0, now); s != nil {
		t.Error("--revisit all must leave nothing out")
	}
	for _, bad := range []struct {
		mode  string
		cycle time.Duration
	}{{"sometimes", DefaultRevisitCycle}, {RevisitAdaptive, time.Hour}} {
		if _, err := newRevisitSchedule(bad.mode, bad.cycle, now); err == nil {
			t.Errorf("%q with cycle %v accepted", bad.mode, bad.cycle)
		}
	}
}

// Nightly runs over eight weeks of a site whose articles, but one in ten,
// never change: every article is asked at least once a cycle, a changed
// one the next night, the nights share the work, and the whole costs a
// fraction of asking everything every night.
func TestRevisitScheduleNightly(t *testing.T) {
	const n, nights = 2000, 56
	day := 24 * time.Hour
	start := time.Date(2026, 10, 1, 1, 0, 0, 0, time.UTC)
	hist := make([]store.RevisitHistory, n)
	lastAsked := make([]int, n)
	for i := range hist {
		// The first crawl, two months after the articles were first seen
		// by an earlier archive (so they look stable at once).
		hist[i] = store.RevisitHistory{URL: fmt.Sprintf("http://x.test/tin-tuc/bai-%d.html", i), Kind: store.KindArticle,
			FirstSeen: start.Add(-60 * day), LastSeen: start, LastChanged: start.Add(-60 * day), Versions: 1}
	}
	total, most := 0, 0
	pending := make([]int, n) // the night an unseen change happened, or 0
	for night := 1; night <= nights; night++ {
		// Jobs start at slightly different times each night.
		now := start.Add(time.Duration(night)*day + time.Duration(night%3-1)*time.Hour)
		s, err := newRevisitSchedule(RevisitAdaptive, DefaultRevisitCycle, now)
		if err != nil {
			t.Fatal(err)
		}
		if night == 20 { // a tenth of the articles change
			for i := 0; i < n; i += 10 {
				pending[i] = night
			}
		}
		asked := 0
		for i := range hist {
			if !s.due(hist[i]) {
				if night-lastAsked[i] > 7 {
					t.Fatalf("night %d: article %d last asked on night %d, more than a cycle ago", night, i, lastAsked[i])
				}
				continue
			}
			asked++
			lastAsked[i] = night
			hist[i].LastSeen = now
			if pending[i] != 0 { // the crawler sees the change
				hist[i].Versions++
				hist[i].LastChanged = now
				pending[i] = 0
			}
		}
		total += asked
		if night > 7 {
			most = max(most, asked)
		}
		if night > 20 {
			// A changed article is asked every night for a while.
			for i := 0; i < n; i += 10 {
				if hist[i].Versions == 2 && now.Sub(hist[i].LastChanged) < 4*day && lastAsked[i] != night {
					t.Fatalf("night %d: article %d changed %v ago and was not asked", night, i, now.Sub(hist[i].LastChanged))
				}
			}
		}
	}
	for i := 0; i < n; i += 10 {
		if hist[i].Versions != 2 {
			t.Fatalf("article %d: %d versions; its change was never seen", i, hist[i].Versions)
		}
	}
	if share := float64(total) / float64(n*nights); share > 0.35 {
		t.Errorf("asked %.0f %% of what revisiting everything asks; want at most 35 %%", 100*share)
	} else {
		t.Logf("asked %.0f %% of what revisiting everything asks; the busiest night after the first week %d of %d", 100*share, most, n)
	}
	if most > n/4 {
		t.Errorf("one night asked %d of %d articles: the nights do not share the work", most, n)
	}
}

// A crawl with the adaptive schedule asks again the known articles that
// are due, and no other, whether the catalog or a listing names them;
// listings are fetched all the same, and the run counts what it left.
func TestAdaptiveRevisitCrawl(t *testing.T) {
	site := newTestSite()
	srv := httptest.NewServer(site)
	defer srv.Close()
	dir := t.TempDir()
	if sum := crawlOnce(t, dir, srv.URL+"/", Options{MaxBodySize: 1 << 20, MaxRetries: 1}); sum.New != 4 {
		t.Fatalf("first crawl: %+v", sum)
	}
	// Three of the four look stable for two months and asked an hour ago;
	// d-4 stays new.
	ctx := context.Background()
	st, err := store.Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	long, recent := now.Add(-60*24*time.Hour).UTC().Format(time.RFC3339Nano), now.Add(-time.Hour).UTC().Format(time.RFC3339Nano)
	if _, err := st.DB().Exec(`UPDATE articles SET first_seen = ?, last_changed = ?, last_seen = ? WHERE url NOT LIKE '%d-4.html'`,
		long, long, recent); err != nil {
		t.Fatal(err)
	}
	histories, err := st.RevisitHistories(ctx)
	if err != nil || len(histories) != 4 {
		t.Fatalf("histories: %v %d", err, len(histories))
	}
	schedule, _ := newRevisitSchedule(RevisitAdaptive, DefaultRevisitCycle, now)
	notDue := map[string]bool{}
	for _, h := range histories {
		if !schedule.due(h) {
			notDue[h.ArticleURL] = true
		}
	}
	st.Close()
	if notDue[srv.URL+"/tin-tuc/d-4.html"] {
		t.Fatal("a new article must be due")
	}

	site.mu.Lock()
	before := maps.Clone(site.hits)
	site.mu.Unlock()
	sum := crawlOnce(t, dir, srv.URL+"/", Options{MaxBodySize: 1 << 20, MaxRetries: 1, Revisit: RevisitAdaptive})
	// The home page also links a-1's print version: another URL, fetched,
	// which finds a-1 unchanged when its own URL was not asked.
	// The home page also reaches a-1 by a redirect and by its print
	// version: fetched, they find it unchanged when its own URL was not asked.
	unchanged := int64(4 - len(notDue))
	if notDue[srv.URL+"/tin-tuc/a-1.html"] {
		unchanged++
	}
	if sum.NotDue != int64(len(notDue)) || sum.Unchanged != unchanged || sum.Changed != 0 || sum.New != 0 {
		t.Fatalf("adaptive crawl: %+v; want %d not due, %d unchanged", sum, len(notDue), unchanged)
	}
	site.mu.Lock()
	for _, h := range histories {
		path := strings.TrimPrefix(h.ArticleURL, srv.URL)
		if path == "/tin-tuc/a-1.html" {
			continue // a redirect leads there
		}
		asked := site.hits[path] - before[path]
		if want := 1; notDue[h.ArticleURL] && asked != 0 || !notDue[h.ArticleURL] && asked != want {
			t.Errorf("%s asked %d times (not due: %v)", path, asked, notDue[h.ArticleURL])
		}
	}
	if site.hits["/"] == before["/"] {
		t.Error("the listing was not fetched again")
	}
	site.mu.Unlock()
	st, err = store.Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	runs, err := st.Runs(ctx, 1)
	if err != nil || len(runs) != 1 || runs[0].NotDue != int64(len(notDue)) {
		t.Fatalf("the run's row: %v %+v", err, runs)
	}
	// The same catalog crawled with the default schedule asks them all.
	sum = crawlOnce(t, dir, srv.URL+"/", Options{MaxBodySize: 1 << 20})
	if sum.NotDue != 0 || sum.Unchanged != 4 {
		t.Fatalf("crawl with every article revisited: %+v", sum)
	}
}

// TestRevisitNotDueSharedURL: when two known articles are asked at one URL
// (the canonical URL of a page changed: a new article, the old one still
// live), the URL is asked if either is due, and an article asked so is
// not counted as left for later.
func TestRevisitNotDueSharedURL(t *testing.T) {
	now := time.Date(2026, 12, 6, 1, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	s, err := newRevisitSchedule(RevisitAdaptive, DefaultRevisitCycle, now)
	if err != nil {
		t.Fatal(err)
	}
	stable := func(url, articleURL string) store.RevisitHistory {
		return store.RevisitHistory{URL: url, ArticleURL: articleURL, FirstSeen: now.Add(-300 * day),
			LastSeen: now.Add(-day), LastChanged: now.Add(-300 * day), Versions: 1}
	}
	// A stable article on a URL whose night is not tonight.
	var old store.RevisitHistory
	for i := 0; ; i++ {
		u := fmt.Sprintf("http://x.test/tin-tuc/bai-%d.html", i)
		if old = stable(u, u+"#old"); !s.due(old) {
			break
		}
	}
	fresh := store.RevisitHistory{URL: old.URL, ArticleURL: old.URL, FirstSeen: now.Add(-day), LastSeen: now.Add(-day),
		LastChanged: now.Add(-day), Versions: 1}
	if !s.due(fresh) {
		t.Fatal("an article first seen yesterday is not due")
	}
	notDue, n := s.notDue([]store.RevisitHistory{old, fresh}, nil)
	if notDue[old.URL] || n != 0 {
		t.Errorf("the shared URL left out (%v) or %d articles counted not due; the new article on it is due", notDue, n)
	}
	// Alone, the stable one is left for later, by both its URLs.
	notDue, n = s.notDue([]store.RevisitHistory{old}, nil)
	if !notDue[old.URL] || !notDue[old.ArticleURL] || n != 1 {
		t.Errorf("alone: %v, %d not due", notDue, n)
	}
}
