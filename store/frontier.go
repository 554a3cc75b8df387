package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
)

// FrontierEntry is a URL a run queued.
type FrontierEntry struct {
	URL   string
	Depth int
	Done  bool
}

// Enqueued records that a run queued url, without waiting for the write
// (deferWrite): it is committed before any write made after it, so the
// frontier never holds a page handled without the links it queued.
func (s *Store) Enqueued(runID int64, url string, depth int) {
	s.deferWrite("queued "+url, func(ctx context.Context, tx *sql.Tx) error {
		_, err := s.prep.exec(ctx, tx, sqlEnqueued, runID, url, depth)
		return err
	})
}

const sqlEnqueued = "INSERT OR IGNORE INTO frontier(run_id, url, depth) VALUES (?, ?, ?)"

const sqlHandled = "UPDATE frontier SET done = 1 WHERE run_id = ? AND url = ?"

// Handled records that a run is done with url: fetched and recorded, or
// given up on after its retries. Like Enqueued, it does not wait for the
// write.
func (s *Store) Handled(runID int64, url string) {
	s.deferWrite("handled "+url, func(ctx context.Context, tx *sql.Tx) error {
		_, err := s.prep.exec(ctx, tx, sqlHandled, runID, url)
		return err
	})
}

// Resumable returns the run a new crawl of seeds should continue: the
// latest run, if it crawled the same start URLs and was interrupted or
// its process died; or, when the latest failed after taking an
// interrupted run's queue over (a night the site was down), that
// interrupted run again: the failed run fetched nothing, and what it gave
// up on (every page, the site being down) is not done. ok is false
// otherwise.
func (s *Store) Resumable(ctx context.Context, seeds []string) (runID int64, ok bool, err error) {
	var status, js string
	var resumedFrom int64
	err = s.db.QueryRowContext(ctx, "SELECT id, status, seeds, COALESCE(resumed_from, 0) FROM runs ORDER BY id DESC LIMIT 1").Scan(&runID, &status, &js, &resumedFrom)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	var prev []string
	if err := json.Unmarshal([]byte(js), &prev); err != nil {
		return 0, false, nil
	}
	same := slices.Equal(slices.Sorted(slices.Values(prev)), slices.Sorted(slices.Values(seeds)))
	if same && status == RunFailed && resumedFrom > 0 {
		return resumedFrom, true, nil
	}
	return runID, same && (status == RunInterrupted || status == RunRunning), nil
}

// ContinueRun carries the frontier of the interrupted run from into run to:
// what from had handled is handled in to as well (so it is not fetched
// again), and what it had only queued is returned to be queued again.
func (s *Store) ContinueRun(ctx context.Context, from, to int64) (pending []FrontierEntry, handled int, err error) {
	if err := s.Flush(ctx); err != nil {
		return nil, 0, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "UPDATE runs SET resumed_from = ? WHERE id = ?", from, to); err != nil {
		return nil, 0, err
	}
	res, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO frontier(run_id, url, depth, done) SELECT ?, url, depth, 1 FROM frontier WHERE run_id = ? AND done = 1", to, from)
	if err != nil {
		return nil, 0, err
	}
	n, _ := res.RowsAffected()
	// What it had only queued is queued in to at once, not when the crawl
	// queues it again: a run that stops before it has (a failed start, an
	// interrupt at once) must not lose it for the run after.
	if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO frontier(run_id, url, depth, done) SELECT ?, url, depth, 0 FROM frontier WHERE run_id = ? AND done = 0", to, from); err != nil {
		return nil, 0, err
	}
	rows, err := tx.QueryContext(ctx, "SELECT url, depth FROM frontier WHERE run_id = ? AND done = 0 ORDER BY depth, url", from)
	if err != nil {
		return nil, 0, err
	}
	for rows.Next() {
		var e FrontierEntry
		if err := rows.Scan(&e.URL, &e.Depth); err != nil {
			rows.Close()
			return nil, 0, err
		}
		pending = append(pending, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return pending, int(n), tx.Commit()
}

// HandledURLs lists what a run has handled.
func (s *Store) HandledURLs(ctx context.Context, runID int64) ([]string, error) {
	if err := s.Flush(ctx); err != nil {
		return nil, err
	}
	return s.queryStrings(ctx, "SELECT url FROM frontier WHERE run_id = ? AND done = 1", runID)
}
