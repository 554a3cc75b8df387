package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"tulieu/urlnorm"
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
	ids, err := articlesLinking(ctx, tx, t.URL)
	if err != nil {
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

// articlesLinking lists the articles whose attachments may lead to the
// document fetched at u (FollowLink's way, backwards): links to u in any
// form urlnorm makes one, and links to addresses that redirected to u. It
// may list a few more (a link is matched by its path and parameters, not
// its host): one article too many costs one document indexed again.
func articlesLinking(ctx context.Context, tx *sql.Tx, u string) ([]string, error) {
	targets := []string{u}
	seen := map[string]bool{u: true}
	for i := 0; i < len(targets) && i <= maxLinkRedirects; i++ {
		from, err := redirectsTo(ctx, tx, targets[i])
		if err != nil {
			return nil, err
		}
		for _, f := range from {
			if !seen[f] {
				seen[f] = true
				targets = append(targets, f)
			}
		}
	}
	var ids []string
	found := map[string]bool{}
	for _, t := range targets {
		// The attachments column is a JSON list of {"url","text"}: each
		// part is looked for as JSON writes it.
		parts := linkParts(t)
		q := "SELECT id FROM articles WHERE " + strings.TrimSuffix(strings.Repeat("instr(attachments, ?) > 0 AND ", len(parts)), " AND ")
		args := make([]any, len(parts))
		for i, p := range parts {
			args[i] = strings.TrimSuffix(strings.TrimPrefix(jsonQuote(p), `"`), `"`)
		}
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			if !found[id] {
				found[id] = true
				ids = append(ids, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// linkParts are the parts every written form of a link to u holds: its
// path and each of its parameters, in whatever order a page wrote them.
func linkParts(u string) []string {
	p, err := url.Parse(u)
	if err != nil || p.Path == "" {
		return []string{u}
	}
	parts := []string{p.EscapedPath()}
	for _, kv := range strings.Split(p.RawQuery, "&") {
		if kv != "" {
			parts = append(parts, kv)
		}
	}
	return parts
}

// redirectsTo lists the addresses archived as redirecting to u, written
// absolute or from the host's root.
func redirectsTo(ctx context.Context, tx *sql.Tx, u string) ([]string, error) {
	p, err := url.Parse(u)
	if err != nil {
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT url, location FROM captures
		WHERE location != '' AND location IN (?, ?) AND status BETWEEN 300 AND 399`, u, p.RequestURI())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var from, loc string
		if err := rows.Scan(&from, &loc); err != nil {
			return nil, err
		}
		base, err1 := url.Parse(from)
		ref, err2 := url.Parse(loc)
		if err1 == nil && err2 == nil && base.ResolveReference(ref).String() == u {
			out = append(out, from)
		}
	}
	return out, rows.Err()
}

// jsonQuote is s as a JSON string, the way the attachments column holds
// it (encoding/json: HTML characters escaped).
func jsonQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// AttachmentTexts returns, for each of urls (the links to documents an
// article prints) that has one, the reading of the document the link
// leads to (see FollowLink), by link.
func (s *Store) AttachmentTexts(ctx context.Context, urls []string) (map[string]AttachmentText, error) {
	return s.AttachmentTextsAt(ctx, urls, time.Time{})
}

// AttachmentTextsAt is AttachmentTexts as of a time: for each link, the
// reading of the document's capture nearest to at (before or after: a
// page's documents are fetched after it), for a version of an article
// as it was. A zero at is the latest, as AttachmentTexts.
func (s *Store) AttachmentTextsAt(ctx context.Context, urls []string, at time.Time) (map[string]AttachmentText, error) {
	out := map[string]AttachmentText{}
	for _, u := range urls {
		_, err := s.FollowLink(ctx, u, time.Time{}, func(doc string) (bool, error) {
			t, ok, err := s.reading(ctx, doc, at)
			if ok {
				out[u] = t
			}
			return ok, err
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// reading is the reading of the document fetched at u. With a zero at,
// the newest that gave its text or, when none did, the newest (which
// says why not): a copy the site sent damaged one night, or a reader
// missing on this machine, does not take away the text an earlier copy
// gave. Otherwise the one whose capture is nearest to at.
func (s *Store) reading(ctx context.Context, u string, at time.Time) (AttachmentText, bool, error) {
	var t AttachmentText
	var extracted string
	q := `SELECT capture_id, url, reader, text, error, extracted_at FROM attachment_texts
		WHERE url = ? ORDER BY error = '' DESC, capture_id DESC LIMIT 1`
	args := []any{u}
	if !at.IsZero() {
		q = `SELECT t.capture_id, t.url, t.reader, t.text, t.error, t.extracted_at FROM attachment_texts t
			JOIN captures c ON c.id = t.capture_id
			WHERE t.url = ? ORDER BY abs(julianday(c.fetched_at) - julianday(?)), t.error = '' DESC, t.capture_id DESC LIMIT 1`
		args = append(args, formatTime(at))
	}
	err := s.db.QueryRowContext(ctx, q, args...).Scan(&t.CaptureID, &t.URL, &t.Reader, &t.Text, &t.Error, &extracted)
	if errors.Is(err, sql.ErrNoRows) {
		return t, false, nil
	}
	if err != nil {
		return t, false, err
	}
	t.ExtractedAt = parseTime(extracted)
	return t, true, nil
}

// LinkedCapture is the last good capture (see LastGoodCapture) of the
// document a link leads to (see FollowLink). ErrNotFound when none.
func (s *Store) LinkedCapture(ctx context.Context, link string) (*Capture, error) {
	return s.linkedCapture(ctx, link, s.LastGoodCapture)
}

// LinkedCaptureNear is the capture of the document a link leads to (see
// followLink) nearest to at, as CaptureNear chooses. ErrNotFound when
// none.
func (s *Store) LinkedCaptureNear(ctx context.Context, link string, at time.Time) (*Capture, error) {
	return s.linkedCapture(ctx, link, func(ctx context.Context, u string) (*Capture, error) { return s.CaptureNear(ctx, u, at) })
}

func (s *Store) linkedCapture(ctx context.Context, link string, capture func(ctx context.Context, u string) (*Capture, error)) (*Capture, error) {
	var c *Capture
	_, err := s.FollowLink(ctx, link, time.Time{}, func(u string) (bool, error) {
		var err error
		c, err = capture(ctx, u)
		if errors.Is(err, ErrNotFound) {
			return false, nil
		}
		return err == nil, err
	})
	if err == nil && c == nil {
		err = ErrNotFound
	}
	return c, err
}

// maxLinkRedirects bounds the redirects FollowLink follows, as a browser
// bounds a chain.
const maxLinkRedirects = 5

// FollowLink walks from a link as a page prints it to where the crawler
// fetched what it names, calling found with each URL on the way until it
// reports that URL is the one: the link itself, its normal form (the
// crawler fetches links normalized: parameters sorted, tracking ones
// dropped), then the target of the redirect archived for either (a CMS's
// /tai-ve/quyet-dinh-45.docx sending to /uploads/2026/07/a1b2c3.docx),
// chosen as RedirectNear chooses for at, and so on. It returns the
// redirects it followed, in order (a WARC export copies them with the
// document they lead to).
func (s *Store) FollowLink(ctx context.Context, link string, at time.Time, found func(u string) (bool, error)) ([]*Capture, error) {
	seen := map[string]bool{}
	var redirects []*Capture
	for range maxLinkRedirects + 1 {
		forms := []string{link}
		if n, err := urlnorm.Normalize(nil, link); err == nil && n != link {
			forms = append(forms, n)
		}
		next := ""
		for _, u := range forms {
			if seen[u] {
				continue
			}
			seen[u] = true
			if ok, err := found(u); err != nil || ok {
				return redirects, err
			}
			if next != "" {
				continue
			}
			c, err := s.RedirectNear(ctx, u, at)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, err
			}
			base, err1 := url.Parse(c.URL)
			loc, err2 := url.Parse(c.Location)
			if err1 == nil && err2 == nil {
				next = base.ResolveReference(loc).String()
				redirects = append(redirects, c)
			}
		}
		if next == "" {
			return redirects, nil
		}
		link = next
	}
	return redirects, nil
}

// AttachmentName is the file name a URL gives a document, for showing:
// the last part of its path or, when that is a script serving files
// (download.aspx?file=ke-hoach-12.pdf&id=3), the file named in its query.
func AttachmentName(u string) string {
	u, query, _ := strings.Cut(strings.SplitN(u, "#", 2)[0], "?")
	if i := strings.LastIndexByte(u, '/'); i >= 0 {
		u = u[i+1:]
	}
	if scriptRe.MatchString(u) {
		for _, kv := range strings.Split(query, "&") {
			_, v, _ := strings.Cut(kv, "=")
			if v, err := url.QueryUnescape(v); err == nil && fileNameRe.MatchString(v) && utf8.ValidString(v) {
				return v[strings.LastIndexAny(v, `/\`)+1:]
			}
		}
	}
	// As the reader reads it: "Quyết định 45.pdf", not the URL's
	// "Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%2045.pdf".
	if d, err := url.PathUnescape(u); err == nil && utf8.ValidString(d) {
		u = d
	}
	return u
}

var (
	// scriptRe: a path's last part that names a program, not a file.
	scriptRe = regexp.MustCompile(`(?i)(^[^.]*$|\.(aspx?|ashx|php|jsp|cgi)$)`)
	// fileNameRe: a query value that names a file.
	fileNameRe = regexp.MustCompile(`^[^?#]*[^./\\]\.[A-Za-z0-9]{2,5}$`)
)

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
