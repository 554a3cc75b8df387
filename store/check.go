package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
)

// EachCapture calls fn with every capture that names a WARC record, in id
// order, a page at a time (the catalog's connection is free between
// pages).
func (s *Store) EachCapture(ctx context.Context, fn func(*Capture) error) error {
	var last int64
	for {
		rows, err := s.db.QueryContext(ctx, "SELECT "+captureColumns+" FROM captures WHERE warc_file != '' AND id > ? ORDER BY id LIMIT "+
			strconv.Itoa(eachPage), last)
		if err != nil {
			return err
		}
		var page []Capture
		for rows.Next() {
			c, err := scanCapture(rows)
			if err != nil {
				rows.Close()
				return err
			}
			page = append(page, *c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range page {
			if err := fn(&page[i]); err != nil {
				return err
			}
		}
		if len(page) < eachPage {
			return nil
		}
		last = page[len(page)-1].ID
	}
}

// DanglingCaptures lists the articles and versions whose capture is not in
// the catalog: "id" or "id vN".
func (s *Store) DanglingCaptures(ctx context.Context) ([]string, error) {
	return s.queryStrings(ctx, `SELECT id FROM articles WHERE capture_id IS NOT NULL AND capture_id NOT IN (SELECT id FROM captures)
		UNION ALL
		SELECT article_id || ' v' || version FROM versions WHERE capture_id IS NOT NULL AND capture_id NOT IN (SELECT id FROM captures)`)
}

// IndexedIDs lists the ids the search index should hold: every article and
// static page, deleted ones included (they are searchable on request).
func (s *Store) IndexedIDs(ctx context.Context) ([]string, error) {
	return s.queryStrings(ctx, "SELECT id FROM articles WHERE kind IN (?, ?) ORDER BY id", KindArticle, KindPage)
}

const sqlRecordedLive = `SELECT 1 FROM articles WHERE status = 'live' AND kind IN ('article', 'page') AND (url = ?
		OR capture_id IN ` + sqlCapturesOfContent + `) LIMIT 1`

const sqlReadFrom = `SELECT url FROM articles WHERE status = 'live' AND kind IN ('article', 'page') AND url != ?
		AND capture_id IN ` + sqlCapturesOfContent + ` LIMIT 1`

// ReadFrom is the address of the live article (or static page) whose
// current content was fetched from url, an address other than its own (a
// print version that names it canonical); "" when there is none.
func (s *Store) ReadFrom(ctx context.Context, url string) (string, error) {
	var own string
	err := s.db.QueryRowContext(ctx, sqlReadFrom, url, url).Scan(&own)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return own, err
}

// RecordedLive says whether the catalog holds a live article (or static
// page) at url (its address now: an address it moved from is no longer
// its), or one whose current content was fetched from url (a row
// reclassified as a listing is none): one a 304 answer can
// confirm (MarkUnchanged). A crawl killed between fetching a page and
// recording its article leaves a capture without an article, and an
// article taken down (404) is a tombstone: the next crawl must fetch
// either page whole, not ask whether it changed. (Asked with the
// validators of its last copy, a page back online answered 304, which
// confirms no live article: it stayed a tombstone, night after night.)
func (s *Store) RecordedLive(ctx context.Context, url string) (bool, error) {
	var one int
	err := s.prep.queryRow(ctx, nil, sqlRecordedLive, url, url).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}
