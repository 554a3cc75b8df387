package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// AttachmentText is the text read from one capture of an attached
// document, or why none could be.
type AttachmentText struct {
	CaptureID   int64
	URL         string
	Reader      string
	Text        string
	Error       string
	ExtractedAt time.Time
}

// SaveAttachmentText records the text of an attached document's capture
// (replacing an earlier reading of the same capture) and marks the
// articles that link the document as changed, so that the index takes
// the text in with them.
func (s *Store) SaveAttachmentText(ctx context.Context, t AttachmentText) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO attachment_texts(capture_id, url, reader, text, error, extracted_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(capture_id) DO UPDATE SET
		url = excluded.url, reader = excluded.reader, text = excluded.text, error = excluded.error, extracted_at = excluded.extracted_at`,
		t.CaptureID, t.URL, t.Reader, t.Text, t.Error, formatTime(t.ExtractedAt)); err != nil {
		return err
	}
	// The articles whose attachments list holds this URL (a JSON list of
	// {"url","text"}: the quoted URL is matched).
	rows, err := tx.QueryContext(ctx, `SELECT id FROM articles WHERE instr(attachments, ?) > 0`, jsonQuote(t.URL))
	if err != nil {
		return err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		seq, err := s.nextSeq(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE articles SET seq = ? WHERE id = ?", seq, id); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// jsonQuote is s as a JSON string, the way the attachments column holds
// it (encoding/json: HTML characters escaped).
func jsonQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// AttachmentTexts returns the latest reading of each of urls that has
// one, by URL.
func (s *Store) AttachmentTexts(ctx context.Context, urls []string) (map[string]AttachmentText, error) {
	out := map[string]AttachmentText{}
	for _, u := range urls {
		var t AttachmentText
		var at string
		err := s.db.QueryRowContext(ctx, `SELECT capture_id, url, reader, text, error, extracted_at FROM attachment_texts
			WHERE url = ? ORDER BY capture_id DESC LIMIT 1`, u).Scan(&t.CaptureID, &t.URL, &t.Reader, &t.Text, &t.Error, &at)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, err
		}
		t.ExtractedAt = parseTime(at)
		out[u] = t
	}
	return out, nil
}

// AttachmentName is the file name a URL gives a document, for showing.
func AttachmentName(u string) string {
	u = strings.SplitN(strings.SplitN(u, "#", 2)[0], "?", 2)[0]
	if i := strings.LastIndexByte(u, '/'); i >= 0 {
		u = u[i+1:]
	}
	// As the reader reads it: "Quyết định 45.pdf", not the URL's
	// "Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%2045.pdf".
	if d, err := url.PathUnescape(u); err == nil && utf8.ValidString(d) {
		u = d
	}
	return u
}

// AttachmentTextRead says whether the bytes of capture captureID were
// read before, in an earlier capture of the same URL with the same
// payload digest: a document fetched again unchanged need not be read
// again (its text, and the index, stand).
func (s *Store) AttachmentTextRead(ctx context.Context, captureID int64) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, `SELECT 1 FROM captures c
		JOIN captures old ON old.url = c.url AND old.payload_digest = c.payload_digest AND old.id < c.id
		JOIN attachment_texts t ON t.capture_id = old.id
		WHERE c.id = ? AND c.payload_digest != '' AND t.error = '' LIMIT 1`, captureID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// AttachmentURLs are the URLs of the documents a attaches, in its order.
func (a *Article) AttachmentURLs() []string {
	urls := make([]string, 0, len(a.Attachments))
	for _, x := range a.Attachments {
		urls = append(urls, x.URL)
	}
	return urls
}
