package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestConcurrentWritesAllLand: a crawl's fetches write at once (captures,
// articles, frontier rows); every write each caller was told succeeded is
// in the catalog afterwards, with its own capture ID and sequence.
func TestConcurrentWritesAllLand(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	run := startRun(t, s)
	const writers, each = 16, 25
	var wg sync.WaitGroup
	ids := make(chan int64, writers*each)
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				u := fmt.Sprintf("http://example.test/tin-tuc/bai-%d-%d.html", w, i)
				id, err := s.AddCapture(ctx, &Capture{URL: u, FetchedAt: t0, Status: 200, RecordType: "response"})
				if err != nil {
					errs <- err
					return
				}
				ids <- id
				if err := s.SetCaptureKind(ctx, id, KindArticle); err != nil {
					errs <- err
					return
				}
				if _, _, err := s.RecordArticle(ctx, u, content("Bài "+u), id, t0); err != nil {
					errs <- err
					return
				}
				s.Enqueued(run, u, 1)
				s.Handled(run, u)
			}
		})
	}
	wg.Wait()
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	close(errs)
	close(ids)
	for err := range errs {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	for id := range ids {
		if seen[id] {
			t.Fatalf("capture ID %d given twice", id)
		}
		seen[id] = true
	}
	var captures, articles, seqs, done int
	db := s.db
	db.QueryRow("SELECT COUNT(*) FROM captures WHERE kind = ?", KindArticle).Scan(&captures)
	db.QueryRow("SELECT COUNT(*), COUNT(DISTINCT seq) FROM articles").Scan(&articles, &seqs)
	db.QueryRow("SELECT COUNT(*) FROM frontier WHERE run_id = ? AND done = 1", run).Scan(&done)
	if n := writers * each; captures != n || articles != n || seqs != n || done != n || len(seen) != n {
		t.Fatalf("want %d of each; captures %d (IDs %d), articles %d with %d sequences, frontier rows done %d",
			n, captures, len(seen), articles, seqs, done)
	}
}

// startRun starts a run for the frontier rows of a test.
func startRun(t *testing.T, s *Store) int64 {
	t.Helper()
	run, err := s.StartRun(context.Background(), []string{"http://example.test/"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// holdLead makes the next writes queue behind one that waits for release,
// so that they are committed as one group; it returns once that write
// runs.
func holdLead(t *testing.T, s *Store) (release func(), done <-chan error) {
	t.Helper()
	running, wait := make(chan struct{}), make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		errc <- s.write(context.Background(), func(ctx context.Context, tx *sql.Tx) error {
			close(running)
			<-wait
			return nil
		})
	}()
	<-running
	return func() { close(wait) }, errc
}

// queued waits until n writes wait in the group's queue.
func queued(t *testing.T, s *Store, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		s.group.mu.Lock()
		got := len(s.group.queue)
		s.group.mu.Unlock()
		if got >= n {
			return
		}
	}
	t.Fatalf("fewer than %d writes queued", n)
}

// TestFailedWriteInAGroupLosesNoOtherWrite: when one write of a shared
// transaction fails, the others are still committed, and only the
// failing one gets the error (and leaves nothing behind).
func TestFailedWriteInAGroupLosesNoOtherWrite(t *testing.T) {
	s := openTemp(t)
	run := startRun(t, s)
	release, leadDone := holdLead(t, s)
	boom := errors.New("boom")
	const n = 6
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = s.write(context.Background(), func(ctx context.Context, tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, sqlEnqueued, run, fmt.Sprintf("http://x/%d", i), 0); err != nil {
					return err
				}
				if i == 3 {
					return boom
				}
				return nil
			})
		})
	}
	queued(t, s, n)
	release()
	wg.Wait()
	if err := <-leadDone; err != nil {
		t.Fatal(err)
	}
	for i, err := range errs {
		if (i == 3) != errors.Is(err, boom) {
			t.Errorf("write %d: err %v", i, err)
		}
	}
	var rows int
	s.db.QueryRow("SELECT COUNT(*) FROM frontier WHERE run_id = ?", run).Scan(&rows)
	var failed int
	s.db.QueryRow("SELECT COUNT(*) FROM frontier WHERE url = 'http://x/3'").Scan(&failed)
	if rows != n-1 || failed != 0 {
		t.Fatalf("%d rows written (want %d), the failed write's row %d times", rows, n-1, failed)
	}
}

// TestCancelledWriteWaitingInAGroupIsNotMade: a write whose caller gave up
// while it waited for the connection is not made, and its caller hears
// why; the writes around it are made.
func TestCancelledWriteWaitingInAGroupIsNotMade(t *testing.T) {
	s := openTemp(t)
	run := startRun(t, s)
	release, _ := holdLead(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	cancelled := make(chan error, 1)
	go func() { cancelled <- enqueueWaited(ctx, s, run, "http://x/cancelled") }()
	queued(t, s, 1)
	other := make(chan error, 1)
	go func() { other <- enqueueWaited(context.Background(), s, run, "http://x/kept") }()
	queued(t, s, 2)
	cancel()
	release()
	if err := <-cancelled; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled write: %v", err)
	}
	if err := <-other; err != nil {
		t.Fatal(err)
	}
	var urls []string
	rows, err := s.db.Query("SELECT url FROM frontier WHERE run_id = ?", run)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var u string
		rows.Scan(&u)
		urls = append(urls, u)
	}
	rows.Close()
	if len(urls) != 1 || urls[0] != "http://x/kept" {
		t.Fatalf("frontier of the run: %v", urls)
	}
}

// TestPanickingWriteLeavesTheOthersGoing: a write whose code panics takes
// its caller down, not the writers queued behind it: they are led and
// made, and the catalog takes writes after.
func TestPanickingWriteLeavesTheOthersGoing(t *testing.T) {
	s := openTemp(t)
	run := startRun(t, s)
	running, wait := make(chan struct{}), make(chan struct{})
	panicked := make(chan any, 1)
	go func() {
		defer func() { panicked <- recover() }()
		s.write(context.Background(), func(ctx context.Context, tx *sql.Tx) error {
			close(running)
			<-wait
			panic("boom")
		})
	}()
	<-running
	queuedErr := make(chan error, 1)
	go func() { queuedErr <- enqueueWaited(context.Background(), s, run, "http://x/queued") }()
	queued(t, s, 1)
	close(wait)
	if r := <-panicked; r != "boom" {
		t.Fatalf("the panicking write's caller got %v", r)
	}
	select {
	case err := <-queuedErr:
		if err != nil {
			t.Fatalf("the write queued behind: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the write queued behind a panicking one never ends")
	}
	if err := enqueueWaited(context.Background(), s, run, "http://x/after"); err != nil {
		t.Fatal(err)
	}
}

// enqueueWaited writes a frontier row as a write its caller waits for.
func enqueueWaited(ctx context.Context, s *Store, run int64, u string) error {
	return s.writeOne(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := s.prep.exec(ctx, tx, sqlEnqueued, run, u, 0)
		return err
	})
}

// frontierRows counts a run's frontier rows as committed, and those done.
func frontierRows(t *testing.T, s *Store, run int64) (rows, done int) {
	t.Helper()
	if err := s.db.QueryRow("SELECT COUNT(*), COALESCE(SUM(done), 0) FROM frontier WHERE run_id = ?", run).Scan(&rows, &done); err != nil {
		t.Fatal(err)
	}
	return rows, done
}

// TestFrontierRowsGoWithTheNextWrite: Enqueued and Handled return before
// their rows are written, which the next write a caller waits for
// commits, in the order they were made (a URL handled after it was
// queued is done).
func TestFrontierRowsGoWithTheNextWrite(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	run := startRun(t, s)
	s.Enqueued(run, "http://example.test/a.html", 1)
	s.Enqueued(run, "http://example.test/b.html", 1)
	s.Handled(run, "http://example.test/a.html")
	if rows, _ := frontierRows(t, s, run); rows != 0 {
		t.Fatalf("%d frontier rows committed before any write was waited for; the test means nothing", rows)
	}
	if _, err := s.AddCapture(ctx, &Capture{URL: "http://example.test/a.html", FetchedAt: t0, Status: 200, RecordType: "response"}); err != nil {
		t.Fatal(err)
	}
	if rows, done := frontierRows(t, s, run); rows != 2 || done != 1 {
		t.Fatalf("after the next write: %d rows, %d done; want 2 and 1", rows, done)
	}
}

// TestManyFrontierRowsCommitThemselves: a run that queues thousands of
// URLs before it writes anything else (a re-crawl queues every known
// article first) does not keep them all waiting: each maxGroupWrites of
// them are committed together, by the caller that made the last.
func TestManyFrontierRowsCommitThemselves(t *testing.T) {
	s := openTemp(t)
	run := startRun(t, s)
	const n = 3*maxGroupWrites + 5
	for i := range n {
		s.Enqueued(run, fmt.Sprintf("http://example.test/%d.html", i), 1)
	}
	if rows, _ := frontierRows(t, s, run); rows != 3*maxGroupWrites {
		t.Fatalf("%d of %d rows committed, want %d (%d waiting)", rows, n, 3*maxGroupWrites, n-3*maxGroupWrites)
	}
	if err := s.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if rows, _ := frontierRows(t, s, run); rows != n {
		t.Fatalf("after Flush %d of %d rows", rows, n)
	}
}

// TestCloseCommitsFrontierRows: what a run queued last is in the catalog
// once it is closed, and the run finished records its rows first.
func TestCloseCommitsFrontierRows(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	run := startRun(t, s)
	s.Enqueued(run, "http://example.test/a.html", 1)
	s.Handled(run, "http://example.test/a.html")
	if err := s.FinishRun(ctx, run, RunInterrupted, "interrupted", Counts{}, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if rows, done := frontierRows(t, s, run); rows != 1 || done != 1 {
		t.Fatalf("after FinishRun: %d rows, %d done; want 1 and 1", rows, done)
	}
	s.Enqueued(run, "http://example.test/b.html", 2)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if rows, _ := frontierRows(t, s, run); rows != 2 {
		t.Fatalf("after Close: %d rows, want 2", rows)
	}
}

// TestRunCountsCommitTheFrontierRows: a crawl records its counts every
// few seconds; the frontier rows deferred before are committed then, so
// a crawl that waits long between pages (a polite delay, a slow server)
// and is killed loses no more than those seconds of them.
func TestRunCountsCommitTheFrontierRows(t *testing.T) {
	s := openTemp(t)
	run := startRun(t, s)
	s.Enqueued(run, "http://example.test/a.html", 1)
	s.Handled(run, "http://example.test/a.html")
	if rows, _ := frontierRows(t, s, run); rows != 0 {
		t.Fatalf("%d frontier rows committed before any write; the test means nothing", rows)
	}
	if err := s.RecordRunCounts(context.Background(), run, Counts{Fetched: 1}); err != nil {
		t.Fatal(err)
	}
	if rows, done := frontierRows(t, s, run); rows != 1 || done != 1 {
		t.Fatalf("after RecordRunCounts: %d rows, %d done; want 1 and 1", rows, done)
	}
}
