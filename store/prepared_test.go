package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestPreparedNoDeadlock: a statement being prepared for the first time
// waits for the catalog's one connection; the transaction holding it must
// still look up its own statements and finish.
func TestPreparedNoDeadlock(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Closed only at the end: after a deadlock, closing would wait for it.
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	waiting := make(chan error, 1)
	go func() {
		// Not prepared yet: prepared now, once the connection is free.
		_, err := s.LastGoodCapture(ctx, "http://example.vn/a.html")
		waiting <- err
	}()
	time.Sleep(200 * time.Millisecond) // let it wait for the connection
	done := make(chan error, 1)
	go func() {
		if _, err := s.nextSeq(ctx, tx); err != nil {
			done <- err
			return
		}
		// A statement prepareAll did not prepare runs unprepared in tx.
		if _, err := s.prep.exec(ctx, tx, "UPDATE settings SET value = value WHERE key = 'seq'"); err != nil {
			done <- err
			return
		}
		done <- tx.Commit()
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the transaction is stuck behind a statement being prepared")
	}
	select {
	case err := <-waiting:
		if !errors.Is(err, ErrNotFound) {
			t.Fatalf("LastGoodCapture: %v, want ErrNotFound", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the statement waiting for the connection never ran")
	}
	if _, ok := s.prep.stmts["UPDATE settings SET value = value WHERE key = 'seq'"]; ok {
		t.Error("a statement run in a transaction was cached without being prepared first")
	}
	s.Close()
}

// TestPerPageStatementsUseIndexes: the statements a crawl runs for every
// page find their rows through an index. A full scan of articles in one
// of them made a re-crawl of 10 000 unchanged articles take 323 s
// (migration 6).
func TestPerPageStatementsUseIndexes(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for name, q := range map[string]string{
		"RecordedLive": sqlRecordedLive, "MarkUnchanged": sqlMarkUnchanged, "MarkUnchanged read": sqlConfirmed, "LastGoodCapture": sqlLastGoodCapture,
		"Handled": sqlHandled, "SaveArticle": sqlArticleState, "SaveArticle touch": sqlTouch,
		"SaveArticle update": sqlUpdateArticle, "SaveArticle current": sqlCurrentContent,
		"SaveArticle pack version": sqlPackVersion, "RequisitesOfPage": sqlRequisitesOfPage,
	} {
		plan := queryPlan(t, s, name, q)
		for _, step := range plan {
			if strings.HasPrefix(step, "SCAN ") {
				t.Errorf("%s scans a whole table: %q", name, plan)
			}
		}
	}
}

// queryPlan is SQLite's plan for q (EXPLAIN QUERY PLAN), a line a step.
func queryPlan(t *testing.T, s *Store, name, q string) []string {
	t.Helper()
	rows, err := s.db.Query("EXPLAIN QUERY PLAN "+q, make([]any, strings.Count(q, "?"))...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}
