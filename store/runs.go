package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// Run statuses.
const (
	RunRunning     = "running"
	RunCompleted   = "completed"
	RunInterrupted = "interrupted"
	RunFailed      = "failed"
)

// Counts are what a crawl run did, as reported in its summary. New,
// Changed, Unchanged and Deleted count articles; the static pages (Tổng
// quan…) have counts of their own, so that a morning report of news is
// not a report of the site's furniture.
type Counts struct {
	Fetched        int64 `json:"fetched"`
	New            int64 `json:"new"`
	Changed        int64 `json:"changed"`
	Unchanged      int64 `json:"unchanged"`
	Deleted        int64 `json:"deleted"`
	Errors         int64 `json:"errors"`
	Bytes          int64 `json:"bytes"`
	PagesNew       int64 `json:"pages_new"`
	PagesChanged   int64 `json:"pages_changed"`
	PagesUnchanged int64 `json:"pages_unchanged"`
	PagesDeleted   int64 `json:"pages_deleted"`
	// NotDue counts the known articles and pages a run with an adaptive
	// revisit schedule did not ask again: not due yet.
	NotDue int64 `json:"not_due"`
	// Requisites are the images and stylesheets archived (200, 304, or a
	// redirect), RequisiteErrors those that failed. Neither is in the
	// article counts, nor in errors, which count pages.
	Requisites      int64 `json:"requisites"`
	RequisiteErrors int64 `json:"requisite_errors"`
	// Pages are the pages (articles, static pages, listings, feeds,
	// attached documents) the run was done with, fetched or given up,
	// each once whatever its retries and redirects: what errors is a
	// share of (fetched counts every exchange, requisites and retries
	// included).
	Pages int64 `json:"pages"`
}

// Run is one crawl run.
type Run struct {
	ID       int64
	Started  time.Time
	Finished time.Time
	Status   string
	Seeds    []string
	Note     string
	Counts
}

// StartRun records the start of a crawl run. A run left "running" by a
// crashed process is marked interrupted here, so that the catalog never
// claims two crawls at once.
func (s *Store) StartRun(ctx context.Context, seeds []string, at time.Time) (int64, error) {
	if _, err := s.db.ExecContext(ctx,
		"UPDATE runs SET status = ?, note = ? WHERE status = ?",
		RunInterrupted, NoteEndedUnfinished, RunRunning); err != nil {
		return 0, err
	}
	js, _ := json.Marshal(seeds)
	res, err := s.db.ExecContext(ctx, "INSERT INTO runs(started, status, seeds) VALUES (?, ?, ?)",
		formatTime(at), RunRunning, string(js))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// NoteEndedUnfinished is the note of a run whose process ended without
// finishing it (killed, a power cut): its counts are those of its last
// checkpoint (RecordRunCounts).
const NoteEndedUnfinished = "the crawl process ended without finishing the run; its counts are those of a few seconds before"

// countColumns are the runs table's columns of a run's Counts, in the
// order of Counts.fields.
var countColumns = []string{"fetched", "new", "changed", "unchanged", "deleted", "errors", "bytes",
	"pages_new", "pages_changed", "pages_unchanged", "pages_deleted", "not_due",
	"requisites", "requisite_errors", "pages"}

// fields are c's counts, in the order of countColumns: one list for the
// updates that write them and the query that reads them back.
func (c *Counts) fields() []*int64 {
	return []*int64{&c.Fetched, &c.New, &c.Changed, &c.Unchanged, &c.Deleted, &c.Errors, &c.Bytes,
		&c.PagesNew, &c.PagesChanged, &c.PagesUnchanged, &c.PagesDeleted, &c.NotDue,
		&c.Requisites, &c.RequisiteErrors, &c.Pages}
}

// countsSet is the SET list of an update of countColumns ("fetched = ?, …").
var countsSet = strings.Join(countColumns, " = ?, ") + " = ?"

// countArgs are c's counts as an update's arguments, then more.
func countArgs(c Counts, more ...any) []any {
	var args []any
	for _, f := range c.fields() {
		args = append(args, *f)
	}
	return append(args, more...)
}

// RecordRunCounts records a running run's counts so far. A crawl calls it
// every few seconds, so that a run whose process is killed keeps what it
// did (its pages are in the catalog) instead of zeros. The writes
// deferred so far are committed first, so that a crawl waiting between
// pages leaves none of its frontier rows uncommitted for longer.
func (s *Store) RecordRunCounts(ctx context.Context, id int64, c Counts) error {
	if err := s.commitDeferred(ctx); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, "UPDATE runs SET "+countsSet+" WHERE id = ? AND status = ?", countArgs(c, id, RunRunning)...)
	return err
}

// FinishRun records how a run ended and its counts.
//
// A run that completes drops the frontier rows of the runs before it: a
// crawl only ever continues the latest run (Resumable), so their queues
// would never be read again, and a nightly job would add a night's URLs
// to the catalog, and to every backup, every night for years.
func (s *Store) FinishRun(ctx context.Context, id int64, status, note string, c Counts, at time.Time) error {
	// The run's frontier rows first: a run recorded finished holds them.
	// Had one of them failed, the run's end is recorded all the same, and
	// the failure said once (the next run starts from what was committed).
	flushErr := s.Flush(ctx)
	defer s.endDeferredFailure()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return errors.Join(flushErr, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "UPDATE runs SET finished = ?, status = ?, note = ?, "+countsSet+" WHERE id = ?",
		append([]any{formatTime(at), status, note}, countArgs(c, id)...)...); err != nil {
		return errors.Join(flushErr, err)
	}
	if status == RunCompleted {
		if _, err := tx.ExecContext(ctx, "DELETE FROM frontier WHERE run_id < ?", id); err != nil {
			return errors.Join(flushErr, err)
		}
	}
	return errors.Join(flushErr, tx.Commit())
}

// NightStarted is when the night of run id started: when run id did, or,
// for a run that continued an interrupted one, when the first run of that
// chain did (a night interrupted twice is one night). Zero for no such run.
func (s *Store) NightStarted(ctx context.Context, id int64) (time.Time, error) {
	var started string
	err := s.db.QueryRowContext(ctx, `WITH RECURSIVE night(id, started, resumed_from) AS (
		SELECT id, started, resumed_from FROM runs WHERE id = ?
		UNION ALL SELECT r.id, r.started, r.resumed_from FROM runs r JOIN night n ON r.id = n.resumed_from AND r.id < n.id)
		SELECT started FROM night ORDER BY id LIMIT 1`, id).Scan(&started)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	return parseTime(started), err
}

// Runs lists the most recent runs first.
func (s *Store) Runs(ctx context.Context, limit int) ([]Run, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, started, COALESCE(finished, ''), status, seeds, note, "+
		strings.Join(countColumns, ", ")+" FROM runs ORDER BY id DESC LIMIT ?", limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var runs []Run
	for rows.Next() {
		var r Run
		var started, finished, seeds string
		dest := []any{&r.ID, &started, &finished, &r.Status, &seeds, &r.Note}
		for _, f := range r.Counts.fields() {
			dest = append(dest, f)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		r.Started, r.Finished = parseTime(started), parseTime(finished)
		_ = json.Unmarshal([]byte(seeds), &r.Seeds)
		if r.Status == RunRunning && !crawlLockHeld(s.dir) {
			// Its process is gone (kill -9, a power cut): it is what
			// the next crawl will mark it, interrupted, and a morning's
			// `stats` should not say a crawl is running.
			r.Status, r.Note = RunInterrupted, NoteEndedUnfinished
		}
		runs = append(runs, r)
	}
	return runs, rows.Err()
}
