package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// KindRequisite is the capture kind of a page requisite: an image or a
// stylesheet fetched so that an archived page can be shown as it looked.
// Requisites are archived and recorded in captures, never parsed for links
// and never articles. The kind column is free text, so no migration is
// needed for it.
const KindRequisite = "requisite"

// payloadCond selects the captures whose record stands for a body: a full
// 200 response, or a revisit (a 304, or the same bytes fetched again),
// whose payload PayloadCapture finds.
// A copy recorded as damaged is passed over: an image archived whole
// on another night is shown (and exported) instead.
var payloadCond = `warc_file != '' AND (record_type = 'revisit' OR (record_type = 'response' AND status = 200)) AND NOT ` +
	damagedCopySQL("captures")

// CaptureNear is the capture of url with a payload that is nearest to at:
// the latest one fetched at or before at, or, when there is none, the
// earliest after it; a zero at asks for the latest of all. It is how the
// archive shows a page's images and stylesheets as they were when the page
// was captured, even when they were captured a little later or earlier.
// A revisit is returned as such: PayloadCapture gives the record holding
// its bytes. ErrNotFound when url has no such capture.
func (s *Store) CaptureNear(ctx context.Context, url string, at time.Time) (*Capture, error) {
	return s.captureNear(ctx, url, at, payloadCond)
}

// redirectCond selects the captures of a redirect: a 3xx that names where.
const redirectCond = `warc_file != '' AND record_type = 'response' AND status BETWEEN 300 AND 399 AND location != ''`

// RedirectNear is the redirect recorded for url nearest to at, chosen as
// CaptureNear chooses: a link to a URL that answered with a redirect
// (a section's address without its final slash, an old address of a
// page) leads to the redirect's target. ErrNotFound when url has none.
func (s *Store) RedirectNear(ctx context.Context, url string, at time.Time) (*Capture, error) {
	return s.captureNear(ctx, url, at, redirectCond)
}

// captureNear is CaptureNear for the captures of url that cond selects.
func (s *Store) captureNear(ctx context.Context, url string, at time.Time, cond string) (*Capture, error) {
	q := "SELECT " + captureColumns + " FROM captures WHERE url = ? AND " + cond
	var c *Capture
	var err error
	if at.IsZero() {
		c, err = scanCapture(s.db.QueryRowContext(ctx, q+" ORDER BY fetched_at DESC, id DESC LIMIT 1", url))
	} else {
		when := formatTime(at)
		c, err = scanCapture(s.db.QueryRowContext(ctx, q+" AND fetched_at <= ? ORDER BY fetched_at DESC, id DESC LIMIT 1", url, when))
		if errors.Is(err, sql.ErrNoRows) {
			c, err = scanCapture(s.db.QueryRowContext(ctx, q+" AND fetched_at > ? ORDER BY fetched_at, id LIMIT 1", url, when))
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return c, err
}

// SetPageRequisites records the requisites found in a page, under the
// response capture that holds it (see migration 7; PageRequisites says
// which one that is for a revisit).
func (s *Store) SetPageRequisites(ctx context.Context, pageCaptureID int64, urls []string) error {
	js := marshalJSON(nonNil(urls))
	return s.writeOne(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := s.prep.exec(ctx, tx, sqlSetPageRequisites, pageCaptureID, js)
		return err
	})
}

const sqlSetPageRequisites = "INSERT OR REPLACE INTO page_requisites(capture_id, urls) VALUES (?, ?)"

// PageWithRequisites is a page captured in a run and the requisites
// recorded with it.
type PageWithRequisites struct {
	URL        string
	Requisites []string
}

// RunPageRequisites lists the pages captured in run runID whose
// requisites were recorded, with them, in the order they were captured.
func (s *Store) RunPageRequisites(ctx context.Context, runID int64) ([]PageWithRequisites, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.url, pr.urls FROM page_requisites pr JOIN captures c ON c.id = pr.capture_id
		WHERE c.run_id = ? ORDER BY c.id`, runID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PageWithRequisites
	for rows.Next() {
		var p PageWithRequisites
		var js string
		if err := rows.Scan(&p.URL, &js); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(js), &p.Requisites); err != nil {
			return nil, fmt.Errorf("requisites of %s: %w", p.URL, err)
		}
		if len(p.Requisites) > 0 {
			out = append(out, p)
		}
	}
	return out, rows.Err()
}

// PageRequisites returns the requisites recorded for the page of a
// capture, and pageCaptureID, the response capture that holds the page
// (itself, or the one a revisit refers to). ok is false when none were
// recorded (a capture made before they were): the page must then be read
// from the archive, and its requisites recorded under pageCaptureID.
func (s *Store) PageRequisites(ctx context.Context, capture *Capture) (urls []string, pageCaptureID int64, ok bool, err error) {
	c, err := s.payloadOf(ctx, capture)
	if err != nil {
		return nil, 0, false, err
	}
	urls, ok, err = s.RequisitesOfPage(ctx, c.ID)
	if err != nil {
		return nil, 0, false, err
	}
	return urls, c.ID, ok, nil
}

const sqlRequisitesOfPage = "SELECT urls FROM page_requisites WHERE capture_id = ?"

// RequisitesOfPage returns the requisites recorded under the response
// capture of a page (ok is false when none were).
func (s *Store) RequisitesOfPage(ctx context.Context, pageCaptureID int64) (urls []string, ok bool, err error) {
	var js string
	err = s.prep.queryRow(ctx, nil, sqlRequisitesOfPage, pageCaptureID).Scan(&js)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if err := json.Unmarshal([]byte(js), &urls); err != nil {
		return nil, false, fmt.Errorf("requisites of capture %d: %w", pageCaptureID, err)
	}
	return urls, true, nil
}
