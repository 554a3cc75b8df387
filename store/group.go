package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// A crawl writes a handful of rows for every page (its capture, its kind,
// its article, its requisites, its frontier rows), from several fetches at
// once. Committed one by one, each write appended its own frames to the
// WAL: the same B-tree pages were written again and again (130 MB/s of
// writes for a 20 000-page crawl), the catalog's one connection was held
// by commits, and the fetches queued for it while a core stood idle
// (BENCHMARKS.md, "Group commit"). Writes that arrive while another
// commits now share the next transaction (group commit, as databases do
// with their logs): each caller still returns only once its write is
// committed, and a write that fails is done again alone, so its error
// is its own and what the others wrote is kept.

// maxGroupWrites bounds the writes one transaction takes, so that a
// reader waiting for the connection waits for a bounded commit.
const maxGroupWrites = 64

// writeGroup queues the writes waiting for the connection. One caller at
// a time leads: it commits the queue's first writes (its own among them)
// in one transaction, then hands the lead to the first write still
// waiting, so that no caller serves the others without end.
type writeGroup struct {
	mu      sync.Mutex
	leading bool
	queue   []*groupWrite
}

// groupWrite is one caller's write: fn runs in the shared transaction.
// fn must do nothing but its SQL and setting its own results, since it is
// run again alone when the group's transaction fails.
type groupWrite struct {
	ctx context.Context
	fn  func(ctx context.Context, tx *sql.Tx) error
	// oneStatement: fn runs one statement, which alone needs no
	// transaction of its own (fn is then given a nil tx: see writeOne).
	oneStatement bool
	err          error
	done         chan struct{} // closed once err is final
	lead         chan struct{} // this caller is to lead the next group
}

// write runs fn in a transaction, shared with the writes of other callers
// that wait at the same time, and returns once that transaction is
// committed (or fn failed).
func (s *Store) write(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return s.join(&groupWrite{ctx: ctx, fn: fn})
}

// writeOne is write for an fn that runs one statement: when no other
// write waits, it runs as that statement alone (SQLite commits it by
// itself), fn being given a nil tx, which the prepared statements of
// s.prep take for "outside a transaction". Most of a crawl's writes are
// such, and most find the connection free: an explicit BEGIN and COMMIT
// around each was work for nothing.
func (s *Store) writeOne(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return s.join(&groupWrite{ctx: ctx, fn: fn, oneStatement: true})
}

// join queues w, and leads groups or waits until w is done.
func (s *Store) join(w *groupWrite) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	w.done, w.lead = make(chan struct{}), make(chan struct{}, 1)
	g := &s.group
	g.mu.Lock()
	g.queue = append(g.queue, w)
	leader := !g.leading
	g.leading = true
	g.mu.Unlock()
	if !leader {
		select {
		case <-w.done:
			return w.err
		case <-w.lead:
		}
	}
	s.leadGroup()
	<-w.done
	return w.err
}

// leadGroup commits the first writes of the queue, then passes the lead
// on (or gives it up when nothing waits).
func (s *Store) leadGroup() {
	g := &s.group
	g.mu.Lock()
	n := min(len(g.queue), maxGroupWrites)
	batch := make([]*groupWrite, n)
	copy(batch, g.queue)
	g.queue = append(g.queue[:0], g.queue[n:]...)
	g.mu.Unlock()

	// Passed on even if a write panics: the writers queued behind must
	// not wait for a leader that is gone.
	defer func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		if len(g.queue) == 0 {
			g.leading = false
			return
		}
		g.queue[0].lead <- struct{}{}
	}()
	s.commitGroup(batch)
}

// commitGroup runs the writes of batch in one transaction and records
// each one's result. A write cancelled before it ran gets its context's
// error and is left out. If any write fails, or the commit does, the
// transaction is rolled back and every write is done again alone: what
// the others wrote is not lost with it, and each gets its own error.
func (s *Store) commitGroup(batch []*groupWrite) {
	finished := false
	defer func() {
		if !finished {
			// A write panicked (in the leader's goroutine, where the
			// panic goes on): no write of the batch is known to be made.
			for _, w := range batch {
				w.err = errors.New("catalog: a write of the same group failed with a panic; this one may not have been made")
			}
		}
		for _, w := range batch {
			close(w.done)
		}
	}()
	s.runGroup(batch)
	finished = true
}

// runGroup is commitGroup's work: each write's result in its err.
func (s *Store) runGroup(batch []*groupWrite) {
	var live []*groupWrite
	for _, w := range batch {
		if w.err = w.ctx.Err(); w.err == nil {
			live = append(live, w)
		}
	}
	if len(live) > 1 && s.commitTogether(live) == nil {
		return
	}
	for _, w := range live {
		if w.oneStatement {
			w.err = w.fn(w.ctx, nil)
			continue
		}
		w.err = s.writeAlone(w.ctx, w.fn)
	}
}

// commitTogether runs every write of batch in one transaction. The
// writes' contexts are not its own: cancelling one must not interrupt
// the statement of another (SQLite rolls back the whole transaction of an
// interrupted write).
func (s *Store) commitTogether(batch []*groupWrite) error {
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, w := range batch {
		if err := w.fn(context.WithoutCancel(w.ctx), tx); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// writeAlone runs fn in a transaction of its own.
func (s *Store) writeAlone(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}
