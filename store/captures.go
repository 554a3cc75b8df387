package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Capture is one HTTP exchange as archived: where its records are in the
// WARC files and what the crawler learnt from it.
type Capture struct {
	ID            int64
	RunID         int64
	URL           string
	FetchedAt     time.Time
	Status        int
	ContentType   string
	Length        int64
	PayloadDigest string
	ETag          string
	LastModified  string
	Location      string
	Kind          string
	RecordType    string
	WARCFile      string
	WARCOffset    int64
	WARCLength    int64
	WARCRecordID  string
	Truncated     string
	Error         string
	// PayloadCaptureID is, for a revisit, the response capture whose
	// record holds the payload, when known (0: found by URL and digest).
	PayloadCaptureID int64
	// PayloadRecord is, for a revisit read by LastGoodCapture or
	// LastArticleCapture, the record PayloadCaptureID names (nil when not
	// known): a revisit of this capture refers to it, not to this one.
	PayloadRecord *RecordRef
}

// RecordRef is what a revisit record says of the record it refers to.
type RecordRef struct {
	URL       string
	FetchedAt time.Time
	RecordID  string
}

// payloadRecordColumns are the URL, time and record ID of the capture
// named by payload_capture_id, read beside captureColumns (empty when
// there is none).
const payloadRecordColumns = `, COALESCE((SELECT p.url FROM captures p WHERE p.id = c.payload_capture_id), ''),
	COALESCE((SELECT p.fetched_at FROM captures p WHERE p.id = c.payload_capture_id), ''),
	COALESCE((SELECT p.warc_record_id FROM captures p WHERE p.id = c.payload_capture_id), '')`

// scanCaptureAndPayload scans captureColumns and payloadRecordColumns,
// then into more the columns a query reads after them.
func scanCaptureAndPayload(row interface{ Scan(...any) error }, more ...any) (*Capture, error) {
	var pURL, pAt, pID string
	c, err := scanCapture(row, append([]any{&pURL, &pAt, &pID}, more...)...)
	if err != nil {
		return nil, err
	}
	if pURL != "" && pID != "" {
		c.PayloadRecord = &RecordRef{URL: pURL, FetchedAt: parseTime(pAt), RecordID: pID}
	}
	return c, nil
}

const captureColumns = `id, COALESCE(run_id, 0), url, fetched_at, status, content_type, length, payload_digest,
	etag, last_modified, location, kind, record_type, warc_file, warc_offset, warc_length, warc_record_id, truncated, error,
	COALESCE(payload_capture_id, 0)`

// scanCapture scans captureColumns, then into more the columns a query
// reads after them.
func scanCapture(row interface{ Scan(...any) error }, more ...any) (*Capture, error) {
	var c Capture
	var at string
	err := row.Scan(append([]any{&c.ID, &c.RunID, &c.URL, &at, &c.Status, &c.ContentType, &c.Length, &c.PayloadDigest,
		&c.ETag, &c.LastModified, &c.Location, &c.Kind, &c.RecordType, &c.WARCFile, &c.WARCOffset, &c.WARCLength, &c.WARCRecordID,
		&c.Truncated, &c.Error, &c.PayloadCaptureID}, more...)...)
	if err != nil {
		return nil, err
	}
	c.FetchedAt = parseTime(at)
	return &c, nil
}

// AddCapture records a capture and returns its id.
func (s *Store) AddCapture(ctx context.Context, c *Capture) (int64, error) {
	var runID any
	if c.RunID != 0 {
		runID = c.RunID
	}
	var payloadCapture any
	if c.PayloadCaptureID != 0 {
		payloadCapture = c.PayloadCaptureID
	}
	var id int64
	err := s.writeOne(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := s.prep.exec(ctx, tx, sqlAddCapture,
			runID, c.URL, formatTime(c.FetchedAt), c.Status, c.ContentType, c.Length, c.PayloadDigest, c.ETag,
			c.LastModified, c.Location, c.Kind, c.RecordType, c.WARCFile, c.WARCOffset, c.WARCLength, c.WARCRecordID, c.Truncated, c.Error,
			payloadCapture)
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return 0, err
	}
	c.ID = id
	return c.ID, nil
}

const sqlAddCapture = `INSERT INTO captures(run_id, url, fetched_at, status, content_type, length,
		payload_digest, etag, last_modified, location, kind, record_type, warc_file, warc_offset, warc_length, warc_record_id, truncated, error,
		payload_capture_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

const sqlSetCaptureKind = "UPDATE captures SET kind = ? WHERE id = ?"

// SetCaptureKind records what a capture turned out to be once it was parsed.
func (s *Store) SetCaptureKind(ctx context.Context, id int64, kind string) error {
	return s.writeOne(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := s.prep.exec(ctx, tx, sqlSetCaptureKind, kind, id)
		return err
	})
}

// damagedCopySQL is an SQL condition on the capture named c (an alias or
// the table's name): its record, or for a revisit the record holding its
// payload, is one MarkDamaged recorded. The payload is found as payloadOf
// finds it: by payload_capture_id, or, for a revisit recorded before that
// column, by URL and digest.
func damagedCopySQL(c string) string {
	return strings.NewReplacer("C.", c+".").Replace(`(EXISTS (SELECT 1 FROM damaged_records d WHERE d.warc_file = C.warc_file AND d.warc_offset = C.warc_offset)
	OR C.record_type = 'revisit' AND EXISTS (SELECT 1 FROM captures p JOIN damaged_records d ON d.warc_file = p.warc_file AND d.warc_offset = p.warc_offset
		WHERE p.record_type = 'response' AND (p.id = C.payload_capture_id
			OR C.payload_capture_id IS NULL AND p.url = C.url AND p.payload_digest = C.payload_digest AND p.id < C.id)))`)
}

var sqlLastGoodCapture = "SELECT " + captureColumns + payloadRecordColumns + lastGoodFrom

// lastGoodFrom is the rest of sqlLastGoodCapture after its columns.
var lastGoodFrom = ` FROM captures c WHERE url = ? AND status IN (200, 304) AND warc_file != '' AND NOT ` + damagedCopySQL("c") + `
	ORDER BY fetched_at DESC, id DESC LIMIT 1`

var sqlLastArticleCapture = "SELECT " + captureColumns + payloadRecordColumns +
	` FROM captures c WHERE url = ? AND status IN (200, 304) AND warc_file != '' AND kind IN ('article', 'page') AND NOT ` + damagedCopySQL("c") + `
	ORDER BY fetched_at DESC, id DESC LIMIT 1`

// LastArticleCapture is LastGoodCapture among the captures that held an
// article or a static page: a night the site answered with something
// else (a maintenance notice sent as 200) leaves a newer capture of
// another kind, and the copy to revalidate is the article's own.
func (s *Store) LastArticleCapture(ctx context.Context, url string) (*Capture, error) {
	c, err := scanCaptureAndPayload(s.prep.queryRow(ctx, nil, sqlLastArticleCapture, url))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return c, err
}

// LastGoodCapture is the newest capture of url that received a full response
// (200) or a revisit; it is what a conditional re-fetch is based on. A
// capture whose record is damaged (MarkDamaged), or a revisit whose
// payload's record is, does not count: the page is fetched whole again.
func (s *Store) LastGoodCapture(ctx context.Context, url string) (*Capture, error) {
	row := s.prep.queryRow(ctx, nil, sqlLastGoodCapture, url)
	c, err := scanCaptureAndPayload(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return c, err
}

// sqlRevalidation is sqlLastGoodCapture with, as two more columns, the
// requisites recorded with the page the capture holds or revisits (NULL
// when none were) and sqlRecordedLive's answer for the same URL.
var sqlRevalidation = "SELECT g.*, EXISTS (" + sqlRecordedLive + ") FROM (SELECT " + captureColumns + payloadRecordColumns +
	`, (SELECT urls FROM page_requisites pr WHERE pr.capture_id = CASE c.record_type WHEN 'response' THEN c.id ELSE c.payload_capture_id END)` +
	lastGoodFrom + ") g"

// Revalidation is what a crawl knows of an address before it asks for it
// again (Store.Revalidate).
type Revalidation struct {
	// Prev is the last good capture (LastGoodCapture); nil when there is
	// none.
	Prev *Capture
	// Live says whether a live article or page was recorded from the
	// address (RecordedLive).
	Live bool
	// Requisites are those recorded with the response capture holding
	// Prev's page (RequisitesOfPage), when RequisitesRecorded: what a
	// page that answers 304 has checked again.
	Requisites         []string
	RequisitesRecorded bool
}

// Revalidate is what a crawl asks before it fetches url again, in one
// query: LastGoodCapture, RecordedLive, and the requisites recorded with
// that capture's page. A re-crawl asks it of every page, on the catalog's
// one connection: as queries of their own (the first two, then the
// requisites after a 304) they were 15 % of its CPU. It returns
// ErrNotFound, and a Revalidation without Prev, when url has no such
// capture.
func (s *Store) Revalidate(ctx context.Context, url string) (Revalidation, error) {
	var r Revalidation
	var requisites sql.NullString
	c, err := scanCaptureAndPayload(s.prep.queryRow(ctx, nil, sqlRevalidation, url, url, url), &requisites, &r.Live)
	if errors.Is(err, sql.ErrNoRows) {
		return Revalidation{}, ErrNotFound
	}
	if err != nil {
		return Revalidation{}, err
	}
	r.Prev = c
	if requisites.Valid {
		if err := json.Unmarshal([]byte(requisites.String), &r.Requisites); err != nil {
			return Revalidation{}, fmt.Errorf("requisites of the page of capture %d: %w", c.ID, err)
		}
		r.RequisitesRecorded = true
	}
	return r, nil
}

// CaptureByID returns one capture.
func (s *Store) CaptureByID(ctx context.Context, id int64) (*Capture, error) {
	c, err := scanCapture(s.prep.queryRow(ctx, nil, "SELECT "+captureColumns+" FROM captures WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return c, err
}

// Captures lists every capture of url, oldest first.
func (s *Store) Captures(ctx context.Context, url string) ([]Capture, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+captureColumns+" FROM captures WHERE url = ? ORDER BY fetched_at, id", url)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Capture
	for rows.Next() {
		c, err := scanCapture(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

// AddOutlinks records the links of a captured page that lead off the
// crawled sites: they are part of the record of the page, never fetched.
func (s *Store) AddOutlinks(ctx context.Context, captureID int64, urls []string) error {
	if len(urls) == 0 {
		return nil
	}
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, u := range urls {
			if _, err := s.prep.exec(ctx, tx, sqlAddOutlink, captureID, u); err != nil {
				return err
			}
		}
		return nil
	})
}

const sqlAddOutlink = "INSERT OR IGNORE INTO outlinks(capture_id, url) VALUES (?, ?)"

// Outlinks lists the off-site links recorded for a capture.
func (s *Store) Outlinks(ctx context.Context, captureID int64) ([]string, error) {
	return s.queryStrings(ctx, "SELECT url FROM outlinks WHERE capture_id = ? ORDER BY url", captureID)
}

// PayloadCapture returns the capture whose WARC record holds the payload of
// capture id: the capture itself when it is a full response, or, for a
// revisit (304, or the same bytes fetched again), the latest earlier full
// response of the same URL with the same payload digest.
func (s *Store) PayloadCapture(ctx context.Context, id int64) (*Capture, error) {
	c, err := s.CaptureByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.payloadOf(ctx, c)
}

// payloadOf is PayloadCapture of a capture already read.
func (s *Store) payloadOf(ctx context.Context, c *Capture) (*Capture, error) {
	if c.RecordType != "revisit" {
		return c, nil
	}
	if c.PayloadCaptureID != 0 {
		orig, err := s.CaptureByID(ctx, c.PayloadCaptureID)
		if err == nil && orig.RecordType == "response" {
			return orig, nil
		}
		if err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err // a failing catalog, not a missing capture
		}
		// Not there (or not a response): found as a revisit written
		// before the column was.
	}
	row := s.prep.queryRow(ctx, nil, "SELECT "+captureColumns+` FROM captures
		WHERE url = ? AND record_type = 'response' AND payload_digest = ? AND id < ? AND warc_file != ''
		ORDER BY id DESC LIMIT 1`, c.URL, c.PayloadDigest, c.ID)
	orig, err := scanCapture(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("capture %d is a revisit of a record the catalog does not have: %w", c.ID, ErrNotFound)
	}
	return orig, err
}

// CapturesByID returns the captures with the given ids (those that exist),
// in one query: exports look up the capture of each article of a page.
func (s *Store) CapturesByID(ctx context.Context, ids []int64) (map[int64]*Capture, error) {
	out := make(map[int64]*Capture, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+captureColumns+" FROM captures WHERE id IN ("+placeholders(len(ids))+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanCapture(rows)
		if err != nil {
			return nil, err
		}
		out[c.ID] = c
	}
	return out, rows.Err()
}

// DamagedRecord is a WARC record found damaged and acknowledged
// (MarkDamaged): it stays in its file, which is never rewritten.
type DamagedRecord struct {
	WARCFile   string
	WARCOffset int64
	Reason     string
	MarkedAt   time.Time
}

// MarkDamaged records that the record at offset of the WARC file file
// cannot be read, and why. From then on the captures it holds (and the
// revisits whose payload it is) are not what a re-crawl revalidates: the
// next crawl fetches their pages whole. Marking a record again keeps the
// first reason.
func (s *Store) MarkDamaged(ctx context.Context, file string, offset int64, reason string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO damaged_records(warc_file, warc_offset, reason, marked_at) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, file, offset, reason, formatTime(at))
	return err
}

// MarkLost marks damaged (see MarkDamaged) every record the catalog places
// in the WARC file file at or past size, where the file now ends: a power
// cut lost the end of a file the crawl was appending to (the catalog's
// commits can reach the disk before the file's last pages do). Without
// this, the next crawl would revalidate those pages against copies that
// were never kept, and each 304 would add a revisit of nothing. It
// returns how many records it marked.
func (s *Store) MarkLost(ctx context.Context, file string, size int64, at time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, `INSERT INTO damaged_records(warc_file, warc_offset, reason, marked_at)
		SELECT DISTINCT warc_file, warc_offset, ?, ? FROM captures WHERE warc_file = ? AND warc_offset + warc_length > ?
		ON CONFLICT DO NOTHING`,
		LostReason(size),
		formatTime(at), file, size)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// LostReason is why a record the catalog places at or past size, where
// its WARC file ends, is damaged: lost with the file's end (MarkLost, and
// check, which finds such records too).
func LostReason(size int64) string {
	return fmt.Sprintf("lost: the file ends at byte %d, before this record (the crawl writing it stopped before the record reached the disk)", size)
}

// UnmarkDamaged forgets that the record at offset of file was damaged:
// it reads whole again (restored from a backup).
func (s *Store) UnmarkDamaged(ctx context.Context, file string, offset int64) error {
	_, err := s.db.ExecContext(ctx, "DELETE FROM damaged_records WHERE warc_file = ? AND warc_offset = ?", file, offset)
	return err
}

// DamagedRecords lists the records MarkDamaged recorded, by file and
// offset.
func (s *Store) DamagedRecords(ctx context.Context) ([]DamagedRecord, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT warc_file, warc_offset, reason, marked_at FROM damaged_records ORDER BY warc_file, warc_offset")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DamagedRecord
	for rows.Next() {
		var d DamagedRecord
		var at string
		if err := rows.Scan(&d.WARCFile, &d.WARCOffset, &d.Reason, &at); err != nil {
			return nil, err
		}
		d.MarkedAt = parseTime(at)
		out = append(out, d)
	}
	return out, rows.Err()
}
