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
	prev := interruptedRun(t, s, seeds, "http://example.test/a-1.html", "http://example.test/b-2.html")
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

// A night the site was down, after an interrupted run: the failed run
// had taken the interrupted run's queue over (ContinueRun) and given up
// on every page, so the next night continues the interrupted run. Before, only an interrupted or dead run was
// continued, and the night after the failure started over from the
// start URLs, fetching again what the interrupted run had done.
func TestContinueAfterAFailedNight(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	seeds := []string{"http://example.test/"}
	run1 := interruptedRun(t, s, seeds, "http://example.test/a-1.html")
	run2, err := s.StartRun(ctx, seeds, t0.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ContinueRun(ctx, run1, run2); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishRun(ctx, run2, RunFailed, "no page could be fetched", Counts{}, t0.Add(24*time.Hour+time.Minute)); err != nil {
		t.Fatal(err)
	}
	if from, ok, err := s.Resumable(ctx, seeds); err != nil || !ok || from != run1 {
		t.Errorf("after a failed night: resumable %d %v %v, want run %d (the interrupted run the failed one took over)", from, ok, err, run1)
	}
	// A failed run that continued nothing is not continued: it has
	// nothing to give.
	run3, err := s.StartRun(ctx, []string{"http://other.test/"}, t0.Add(48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.FinishRun(ctx, run3, RunFailed, "no page could be fetched", Counts{}, t0.Add(48*time.Hour+time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Resumable(ctx, []string{"http://other.test/"}); ok {
		t.Error("a failed first run is continued")
	}
}

// interruptedRun records a run of seeds, started at t0, that handled its
// first seed, had queued pending, and was interrupted a minute later.
func interruptedRun(t *testing.T, s *Store, seeds []string, pending ...string) int64 {
	t.Helper()
	ctx := context.Background()
	run, err := s.StartRun(ctx, seeds, t0)
	if err != nil {
		t.Fatal(err)
	}
	for i, u := range append([]string{seeds[0]}, pending...) {
		s.Enqueued(run, u, min(i, 1))
	}
	s.Handled(run, seeds[0])
	if err := s.FinishRun(ctx, run, RunInterrupted, "interrupted", Counts{}, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	return run
}
