package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"tulieu/internal/diskfull"
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
	// deferred counts the writes of queue nobody waits for (deferWrite).
	deferred int
	// failed is the error of the first deferred write that failed since
	// the run began (or the store was opened): every deferred write after
	// it is dropped, so that none is committed over the gap (a page
	// handled without a link it queued), until FinishRun has reported it
	// (Flush returns it).
	failed error
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
	// deferred: its caller did not wait (deferWrite); nobody is left
	// to hear a failure, which stops the deferred writes after it
	// (writeGroup.failed).
	deferred bool
	what     string // what a deferred write records, for the log
	err      error
	done     chan struct{} // closed once err is final
	lead     chan struct{} // this caller is to lead the next group
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

// deferWrite queues fn, which runs one statement, and returns at once:
// fn is committed with the next write any caller waits for, or with the
// others deferred once there are maxGroupWrites of them, or at Flush or
// Close. Writes keep their order: once a later write is committed, so is
// fn. It is for the rows only a later run reads (the frontier's), written
// for every URL a crawl meets: each committed alone cost a commit, the
// WAL frames of the pages it touched and a turn at the catalog's one
// connection, on which a re-crawl's pages wait (BENCHMARKS.md, "Frontier
// rows without a commit of their own"). What is lost if the process dies
// first is what an interrupted run would find undone and do again. If fn
// fails, it is logged with what, and no deferred write after it is made
// until FinishRun (writeGroup.failed); fn's context is never cancelled.
func (s *Store) deferWrite(what string, fn func(ctx context.Context, tx *sql.Tx) error) {
	s.join(&groupWrite{ctx: context.Background(), fn: fn, oneStatement: true, deferred: true, what: what})
}

// Flush commits the writes deferred so far (deferWrite); it writes
// nothing when none waits. It returns the failure of a deferred write
// (and so of those after it) since the run began, until FinishRun.
func (s *Store) Flush(ctx context.Context) error {
	if err := s.commitDeferred(ctx); err != nil {
		return err
	}
	return s.deferredFailure()
}

// commitDeferred commits the writes deferred so far, for a write that
// does not go through the group (a transaction of its own) and must come
// after them: MarkDeleted after the 304 that saw the article that night.
func (s *Store) commitDeferred(ctx context.Context) error {
	s.group.mu.Lock()
	// A leader may be committing deferred writes it took off the queue.
	pending := s.group.deferred > 0 || s.group.leading
	s.group.mu.Unlock()
	if !pending {
		return nil
	}
	return s.write(ctx, func(context.Context, *sql.Tx) error { return nil })
}

// join queues w, and leads groups or waits until w is done. A deferred
// write's caller leads only when enough deferred writes wait and nobody
// leads; it never waits for the connection otherwise.
func (s *Store) join(w *groupWrite) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	w.done, w.lead = make(chan struct{}), make(chan struct{}, 1)
	g := &s.group
	g.mu.Lock()
	g.queue = append(g.queue, w)
	if w.deferred {
		g.deferred++
		if g.leading || g.deferred < maxGroupWrites {
			g.mu.Unlock()
			return nil
		}
	}
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
	s.leadUntil(w)
	if w.deferred {
		return nil
	}
	<-w.done
	return w.err
}

// leadUntil commits the queue's writes from its front, a group at a time,
// until w is committed, then passes the lead on: to the first write whose
// caller waits, or to no one when nothing but fewer than maxGroupWrites
// deferred writes wait (they go with the next write).
func (s *Store) leadUntil(w *groupWrite) {
	g := &s.group
	// Passed on even if a write panics: the writers queued behind must
	// not wait for a leader that is gone.
	defer func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		for _, next := range g.queue {
			if !next.deferred {
				next.lead <- struct{}{}
				return
			}
		}
		g.leading = false
	}()
	for {
		s.leadGroup()
		select {
		case <-w.done:
		default:
			continue
		}
		g.mu.Lock()
		// Only deferred writes wait when they are all the queue holds.
		more := g.deferred >= maxGroupWrites && len(g.queue) == g.deferred
		g.mu.Unlock()
		if !more {
			return
		}
	}
}

// leadGroup commits the first writes of the queue.
func (s *Store) leadGroup() {
	g := &s.group
	g.mu.Lock()
	n := min(len(g.queue), maxGroupWrites)
	batch := make([]*groupWrite, n)
	copy(batch, g.queue)
	g.queue = append(g.queue[:0], g.queue[n:]...)
	for _, w := range batch {
		if w.deferred {
			g.deferred--
		}
	}
	g.mu.Unlock()
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
			if w.deferred && w.err != nil {
				s.deferredFailed(w)
			}
			close(w.done)
		}
	}()
	s.runGroup(batch)
	finished = true
}

// runGroup is commitGroup's work: each write's result in its err. A
// deferred write after one that failed is not made (see writeGroup.failed).
func (s *Store) runGroup(batch []*groupWrite) {
	var live []*groupWrite
	for _, w := range batch {
		if w.err = w.ctx.Err(); w.err != nil {
			continue
		}
		if w.deferred && s.deferredFailure() != nil {
			w.err = errDropped
			continue
		}
		live = append(live, w)
	}
	if len(live) > 1 && s.commitTogether(live) == nil {
		return
	}
	for _, w := range live {
		switch {
		case w.deferred && s.deferredFailure() != nil:
			w.err = errDropped
		case w.oneStatement:
			w.err = w.fn(w.ctx, nil)
		default:
			w.err = s.writeAlone(w.ctx, w.fn)
		}
		if w.deferred && w.err != nil {
			s.deferredFailed(w)
		}
	}
}

// errDropped is the error of a deferred write not made because an earlier
// one failed.
var errDropped = errors.New("catalog: not written, after an earlier write not waited for failed")

// deferredFailure is writeGroup.failed.
func (s *Store) deferredFailure() error {
	s.group.mu.Lock()
	defer s.group.mu.Unlock()
	return s.group.failed
}

// deferredFailed records that the deferred write w failed; the first
// failure is logged (a full disk at Debug: the write a caller waits for
// says it, and the crawl stops on it), the writes dropped after it are
// not.
func (s *Store) deferredFailed(w *groupWrite) {
	g := &s.group
	g.mu.Lock()
	first := g.failed == nil
	if first {
		g.failed = fmt.Errorf("the catalog could not record %s, nor what the crawl did after it (an interrupted run does it again): %w", w.what, w.err)
	}
	g.mu.Unlock()
	if !first || errors.Is(w.err, errDropped) {
		return
	}
	level := slog.LevelWarn
	if diskfull.Is(w.err) {
		level = slog.LevelDebug
	}
	s.log.Log(context.Background(), level, "catalog: a write not waited for failed; the ones after it are not made, and an interrupted run does them again", "write", w.what, "err", w.err)
}

// endDeferredFailure forgets the failure of a deferred write once it has
// been reported (FinishRun): the next run starts from what was committed.
func (s *Store) endDeferredFailure() {
	s.group.mu.Lock()
	s.group.failed = nil
	s.group.mu.Unlock()
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
