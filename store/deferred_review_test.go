package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"tulieu/internal/smalldisk"
)

// TestNearlyFullDiskHandledWithoutItsLinks: a crawl handles a listing:
// it queues the link it found (Enqueued) and marks the listing handled
// (Handled), both deferred; the disk is nearly full, with room for a
// small write but not for the link's row (a row that splits a page, or a
// long URL, needs more pages of WAL than an UPDATE of one row). The crawl
// is then interrupted (FinishRun) and continued later.
// Before its fix (a review of the deferred writes): the group's
// transaction failed, each write was done again alone in order, Enqueued
// failed (only logged) and the Handled after it succeeded: the frontier
// held the listing handled without its link, FinishRun returned nil, and
// the continued run never fetched the link. Now a deferred write after
// one that failed is not made, and FinishRun says so.
func TestNearlyFullDiskHandledWithoutItsLinks(t *testing.T) {
	ctx := context.Background()
	disk := smalldisk.New(t, 32<<20)
	dir := disk.Dir + "/data"
	s, err := Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	const listing = "http://example.test/tin-tuc/"
	link := "http://example.test/tin-tuc/" + strings.Repeat("bai-viet-", 4000) + ".html"
	run, err := s.StartRun(ctx, []string{"http://example.test/"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	s.Enqueued(run, listing, 0)
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	free := disk.Fill(16 << 10)
	// The listing is handled: its link queued first, then itself.
	s.Enqueued(run, link, 1)
	s.Handled(run, listing)
	ferr := s.FinishRun(ctx, run, RunInterrupted, "interrupted", Counts{}, t0.Add(time.Minute))
	cerr := s.Close()
	free()
	s, err = Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var done, linked int
	if err := s.db.QueryRow("SELECT COALESCE(SUM(done), 0) FROM frontier WHERE run_id = ? AND url = ?", run, listing).Scan(&done); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRow("SELECT COUNT(*) FROM frontier WHERE run_id = ? AND url = ?", run, link).Scan(&linked); err != nil {
		t.Fatal(err)
	}
	if linked == 1 {
		t.Skip("the disk had room for the link's row; the test means nothing")
	}
	if done == 1 {
		t.Errorf("the listing is recorded handled but the link it queued is not in the frontier: a continued run loses the link")
	}
	if ferr == nil || !strings.Contains(ferr.Error(), "could not record") {
		t.Errorf("FinishRun does not say the frontier was not wholly written: %.200v", ferr)
	}
	if cerr != nil {
		t.Errorf("Close after FinishRun reported the failure: %.200v", cerr)
	}
	// The continued run: the listing is not fetched again, the link not queued.
	next, err := s.StartRun(ctx, []string{"http://example.test/"}, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	pending, _, err := s.ContinueRun(ctx, run, next)
	if err != nil {
		t.Fatal(err)
	}
	handled, _ := s.HandledURLs(ctx, next)
	if len(pending) != 1 || pending[0].URL != listing || len(handled) != 0 {
		t.Errorf("the continued run has %d pending (%v), handled %q; want the listing again", len(pending), pending, handled)
	}
}
