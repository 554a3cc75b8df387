package store

import (
	"context"
	"testing"
	"time"
)

// TestTakenDownArticleKeepsTheNightItWasSeen: a user re-crawls a site
// nightly. Article A lives at C; its content was read from its print page
// P (P names C canonical), so the crawl asks P again. Tonight P answers
// 304 (MarkUnchanged), and C, linked by a listing, redirects to the home
// page, so at the run's end the crawl takes A down (takeDownRedirected →
// MarkDeleted). Before its fix (a review of the deferred last_seen):
// `tulieu show C` and the exports gave the previous night as A's
// last_seen, because MarkDeleted, in a transaction of its own
// (changeArticle), overtook the deferred last_seen, which, filtered on
// status = 'live', then matched nothing. Writes that do not go through
// the group now commit the deferred ones first (commitDeferred).
func TestTakenDownArticleKeepsTheNightItWasSeen(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	night1 := time.Date(2026, 6, 1, 16, 0, 0, 0, time.UTC)
	night2 := night1.Add(24 * time.Hour)
	own, print := "https://dangbo.vidu.vn/tin-tuc/bai-1.html", "https://dangbo.vidu.vn/in/bai-1.html"
	cp, err := s.AddCapture(ctx, &Capture{URL: print, FetchedAt: night1, Status: 200, Kind: KindArticle})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.RecordArticle(ctx, own, Content{Kind: KindArticle, Title: "Bài 1", Body: "Nội dung bài 1."}, cp, night1); err != nil {
		t.Fatal(err)
	}
	run, err := s.StartRun(ctx, []string{"https://dangbo.vidu.vn/"}, night2)
	if err != nil {
		t.Fatal(err)
	}
	// The print page answers 304 tonight.
	seen := night2.Add(time.Minute)
	if _, err := s.AddCapture(ctx, &Capture{RunID: run, URL: print, FetchedAt: seen, Status: 304, Kind: KindArticle}); err != nil {
		t.Fatal(err)
	}
	u, err := s.MarkUnchanged(ctx, print, seen)
	if err != nil || u.ID != ArticleID(own) {
		t.Fatalf("MarkUnchanged: %+v %v", u, err)
	}
	// At the run's end its own address, which redirected to the home
	// page, takes it down.
	if kind, err := s.MarkDeleted(ctx, own, night2.Add(time.Hour)); err != nil || kind == "" {
		t.Fatalf("MarkDeleted: %q %v", kind, err)
	}
	if err := s.FinishRun(ctx, run, RunCompleted, "", Counts{}, night2.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	a, err := s.Article(ctx, own)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != StatusDeleted || !a.LastSeen.Equal(seen) {
		t.Fatalf("article %s, last seen %v; want deleted, last seen %v (its print page's 304 tonight)", a.Status, a.LastSeen, seen)
	}
}
