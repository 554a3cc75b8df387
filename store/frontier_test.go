package store

import (
	"context"
	"slices"
	"testing"
	"time"
)

// A run that continues an interrupted one and stops at once (a failed
// start, a second interrupt before it queued anything) must leave the
// queue for the run after it: nothing the first run had queued is lost.
func TestContinueRunTwiceKeepsTheQueue(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	seeds := []string{"http://example.test/"}
	run1, err := s.StartRun(ctx, seeds, t0)
	if err != nil {
		t.Fatal(err)
	}
	for i, u := range []string{"http://example.test/", "http://example.test/a-1.html", "http://example.test/b-2.html"} {
		if err := s.Enqueued(ctx, run1, u, min(i, 1)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Handled(ctx, run1, "http://example.test/"); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishRun(ctx, run1, RunInterrupted, "interrupted", Counts{}, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	prev := run1
	for i := 2; i <= 3; i++ {
		from, ok, err := s.Resumable(ctx, seeds)
		if err != nil || !ok || from != prev {
			t.Fatalf("run %d: resumable %d %v %v, want run %d", i, from, ok, err, prev)
		}
		run, err := s.StartRun(ctx, seeds, t0.Add(time.Duration(i)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		pending, handled, err := s.ContinueRun(ctx, from, run)
		if err != nil {
			t.Fatal(err)
		}
		var urls []string
		for _, e := range pending {
			urls = append(urls, e.URL)
		}
		if want := []string{"http://example.test/a-1.html", "http://example.test/b-2.html"}; !slices.Equal(urls, want) || handled != 1 {
			t.Fatalf("run %d continues with %q (%d handled), want %q (1)", i, urls, handled, want)
		}
		// Stopped before it queued anything again.
		if err := s.FinishRun(ctx, run, RunInterrupted, "interrupted", Counts{}, t0.Add(time.Duration(i)*time.Hour+time.Minute)); err != nil {
			t.Fatal(err)
		}
		prev = run
	}
}
