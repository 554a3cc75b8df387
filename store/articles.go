package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"tulieu/urlnorm"
	"tulieu/vntext"
)

// Article kinds kept in the catalog. Listings and other pages are archived
// in the WARC files but are not articles.
const (
	KindArticle = "article"
	KindPage    = "page"
)

// Article statuses.
const (
	StatusLive    = "live"
	StatusDeleted = "deleted"
)

// Image is an image of an article with its caption.
type Image struct {
	Src     string `json:"src"`
	Caption string `json:"caption"`
}

// Attachment is a file linked from an article.
type Attachment struct {
	URL  string `json:"url"`
	Text string `json:"text"`
}

// Content is what extraction found on a page: the fields that make up one
// version of an article.
type Content struct {
	Kind        string
	Title       string
	Author      string
	AuthorName  string
	Source      string
	Breadcrumb  []string
	Category    string
	Published   string
	Body        string
	BodyHTML    string
	Images      []Image
	Attachments []Attachment
	Lang        string
}

// hash is the digest that decides whether an article changed. It covers
// every extracted field but not the page around them, so a visitor counter
// that changes on every request does not make a new version.
func (c *Content) hash() string {
	js, _ := json.Marshal(struct {
		K, T, A, AN, S string
		B              []string
		C, P, Body, H  string
		I              []Image
		At             []Attachment
	}{c.Kind, c.Title, c.Author, c.AuthorName, c.Source, nonNil(c.Breadcrumb), c.Category, c.Published, c.Body, c.BodyHTML, nonNilImages(c.Images), nonNilAttachments(c.Attachments)})
	return sha256Hex(js) // (the bytes, not a string copy of them)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilImages(s []Image) []Image {
	if s == nil {
		return []Image{}
	}
	return s
}

func nonNilAttachments(s []Attachment) []Attachment {
	if s == nil {
		return []Attachment{}
	}
	return s
}

// Article is an article's current state in the catalog.
type Article struct {
	ID  string
	URL string
	Content
	SHA256      string
	ContentHash string
	Status      string
	FirstSeen   time.Time
	LastSeen    time.Time
	LastChanged time.Time
	DeletedAt   time.Time
	Versions    int
	CaptureID   int64
	Seq         int64
}

// Version is one distinct content of an article.
type Version struct {
	ArticleID string
	Version   int
	SeenAt    time.Time
	CaptureID int64
	// FetchedFrom is the address its capture was fetched from ("" with
	// no capture): an article that moved had its earlier versions at
	// its earlier addresses.
	FetchedFrom string
	Content
	SHA256      string
	ContentHash string
}

// Outcome says what saving an article did.
type Outcome int

// Outcomes of SaveArticle. An article back from a deletion, or seen again
// as the kind it was before a reclassification, with the same content, is
// Changed: it is live again under its kind (no new version is added).
const (
	Unchanged Outcome = iota
	New
	Changed
)

func (o Outcome) String() string {
	return [...]string{"unchanged", "new", "changed"}[o]
}

func marshalJSON(v any) string {
	js, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain structs and slices are marshalled here
	}
	return string(js)
}

// An article seen again with the same content keeps its capture, unless
// that capture's copy was recorded as damaged (damaged_records): then it
// takes the new capture, whole, as its copy in the archive (the crawl
// fetched the page whole again for that). Its arguments: the new
// capture (or NULL), twice.
var captureOffDamage = `capture_id = CASE WHEN ? IS NOT NULL AND EXISTS (SELECT 1 FROM captures c
	WHERE c.id = articles.capture_id AND ` + damagedCopySQL("c") + `) THEN ? ELSE capture_id END`

var (
	// A revival is a change: the article was gone and is back. Its
	// last_changed moves, or the deletion and the return would vanish
	// from every "changed since" (changes, the feed, export).
	sqlRevive = "UPDATE articles SET kind = ?, status = ?, deleted_at = '', last_seen = ?, last_changed = ?, seq = ?, " +
		captureOffDamage + " WHERE id = ? RETURNING capture_id"
	// Seen again, the same: only last_seen moves (and the capture, off
	// a damaged copy).
	sqlTouch = "UPDATE articles SET last_seen = ?, " + captureOffDamage + " WHERE id = ? RETURNING capture_id"
)

// The statements of SaveArticle, prepared when the catalog is opened
// (they run in a transaction: see prepared.prepareAll).
const (
	sqlArticleState = "SELECT content_hash, status, versions, kind FROM articles WHERE id = ?"
	// The newest version follows the article to its whole capture.
	sqlVersionCapture = "UPDATE versions SET capture_id = ? WHERE article_id = ? AND version = ? AND capture_id IS NOT ?"
	sqlInsertArticle  = `INSERT INTO articles(kind, title, author, author_name, source, breadcrumb, category,
				published, body, body_html, images, attachments, lang, sha256, content_hash,
				id, url, status, first_seen, last_seen, last_changed, versions, capture_id, seq)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	sqlUpdateArticle = `UPDATE articles SET kind = ?, title = ?, author = ?, author_name = ?, source = ?,
				breadcrumb = ?, category = ?, published = ?, body = ?, body_html = ?, images = ?, attachments = ?, lang = ?,
				sha256 = ?, content_hash = ?, status = ?, deleted_at = '', last_seen = ?, last_changed = ?, versions = ?,
				capture_id = ?, seq = ? WHERE id = ?`
	// The newest version points at the article's own fields (see
	// storedCurrent): its text is not written twice.
	sqlInsertVersion = `INSERT INTO versions(article_id, version, seen_at, capture_id, sha256, content_hash, stored)
			VALUES (?, ?, ?, ?, ?, ?, '` + storedCurrent + `')`
)

// SaveArticle records the content extracted from a capture of the article at
// canonicalURL. A first sight creates the article; different content adds a
// version; the same content only updates last_seen. A deleted article that
// comes back is live again.
func (s *Store) SaveArticle(ctx context.Context, canonicalURL string, c Content, captureID int64, at time.Time) (Outcome, *Article, error) {
	outcome, id, err := s.RecordArticle(ctx, canonicalURL, c, captureID, at)
	if err != nil {
		return 0, nil, err
	}
	a, err := s.Article(ctx, id)
	return outcome, a, err
}

// followCapture moves the newest version of article id to captureID when
// the article itself moved there (kept: its capture after the update),
// off a damaged copy.
func (s *Store) followCapture(ctx context.Context, tx *sql.Tx, id string, version int, captureID int64, kept sql.NullInt64) error {
	if captureID == 0 || kept.Int64 != captureID {
		return nil
	}
	_, err := tx.ExecContext(ctx, sqlVersionCapture, captureID, id, version, captureID)
	return err
}

// RecordArticle is SaveArticle without reading the article back: it
// returns the article's ID. A crawl records every page this way (the
// read-back was 2 % of its CPU and the crawl needs only the ID).
// captureID, when not 0, is a capture with status 200: the article is
// found again from its address through those only (sqlCapturesOfContent).
func (s *Store) RecordArticle(ctx context.Context, canonicalURL string, c Content, captureID int64, at time.Time) (Outcome, string, error) {
	id := ArticleID(canonicalURL)
	hash := c.hash()
	var capture any // NULL when the content did not come from a capture (tests, imports)
	if captureID != 0 {
		capture = captureID
	}
	var recorded Outcome
	var recordedID string
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		outcome, aid, err := s.recordArticle(ctx, tx, id, canonicalURL, c, hash, capture, captureID, at)
		recorded, recordedID = outcome, aid
		return err
	})
	if err != nil {
		return 0, "", err
	}
	return recorded, recordedID, nil
}

// recordArticle is RecordArticle in the transaction tx. It returns the
// article's id: id, or that of the article id is an address of
// (aliases.go).
func (s *Store) recordArticle(ctx context.Context, tx *sql.Tx, id, canonicalURL string, c Content, hash string, capture any, captureID int64, at time.Time) (Outcome, string, error) {
	var prevHash, status, kind string
	var versions int
	err := s.prep.queryRow(ctx, tx, sqlArticleState, id).Scan(&prevHash, &status, &versions, &kind)
	if errors.Is(err, sql.ErrNoRows) {
		// No article of that id: maybe the address one moved to. Asked
		// only here, so that an article seen again pays nothing for it.
		to, aerr := s.aliasOf(ctx, tx, id)
		if aerr != nil {
			return 0, "", aerr
		}
		if to != id {
			id = to
			err = s.prep.queryRow(ctx, tx, sqlArticleState, id).Scan(&prevHash, &status, &versions, &kind)
		}
	}
	outcome := Unchanged
	switch {
	case errors.Is(err, sql.ErrNoRows):
		outcome = New
		versions = 1
	case err != nil:
		return 0, "", err
	case prevHash != hash:
		outcome = Changed
		versions++
	}
	now := formatTime(at)
	if outcome == Unchanged {
		if status == StatusDeleted || kind != c.Kind {
			// Back from the dead with the same content, or seen again as
			// what it was before Reclassify took it for something else
			// (the content's hash counts its kind, the row's kind alone
			// was changed): live again under its kind, and the index
			// must learn it.
			seq, err := s.nextSeq(ctx, tx)
			if err != nil {
				return 0, "", err
			}
			var kept sql.NullInt64
			if err := s.prep.queryRow(ctx, tx, sqlRevive, c.Kind, StatusLive, now, now, seq, capture, capture, id).Scan(&kept); err != nil {
				return 0, "", err
			}
			if err := s.followCapture(ctx, tx, id, versions, captureID, kept); err != nil {
				return 0, "", err
			}
			// Its last_changed moved: a change, in the crawl's counts
			// as in changes --since.
			outcome = Changed
		} else {
			var kept sql.NullInt64
			if err := s.prep.queryRow(ctx, tx, sqlTouch, now, capture, capture, id).Scan(&kept); err != nil {
				return 0, "", err
			}
			if err := s.followCapture(ctx, tx, id, versions, captureID, kept); err != nil {
				return 0, "", err
			}
		}
	} else {
		seq, err := s.nextSeq(ctx, tx)
		if err != nil {
			return 0, "", err
		}
		bodySHA := sha256Hex(c.Body)
		fields := []any{c.Kind, c.Title, c.Author, c.AuthorName, c.Source, marshalJSON(nonNil(c.Breadcrumb)), c.Category,
			c.Published, c.Body, c.BodyHTML, marshalJSON(nonNilImages(c.Images)), marshalJSON(nonNilAttachments(c.Attachments)), c.Lang, bodySHA, hash}
		if outcome == Changed {
			// The version being replaced keeps its fields, packed.
			if err := s.packCurrentVersion(ctx, tx, id); err != nil {
				return 0, "", fmt.Errorf("keep version %d of %s: %w", versions-1, id, err)
			}
		}
		if outcome == New {
			_, err = s.prep.exec(ctx, tx, sqlInsertArticle,
				append(fields, id, canonicalURL, StatusLive, now, now, now, versions, capture, seq)...)
		} else {
			_, err = s.prep.exec(ctx, tx, sqlUpdateArticle,
				append(fields, StatusLive, now, now, versions, capture, seq, id)...)
		}
		if err != nil {
			return 0, "", err
		}
		_, err = s.prep.exec(ctx, tx, sqlInsertVersion, id, versions, now, capture, bodySHA, hash)
		if err != nil {
			return 0, "", err
		}
	}
	return outcome, id, nil
}

// sqlCapturesOfContent lists the captures of an address (the one
// parameter) that an article's content can have come from: those that
// brought the page whole (an article is recorded from a 200 only). The
// condition is the partial index's (migration 17), which keeps the list
// as long as the page's changes, not as long as its nights of 304s.
const sqlCapturesOfContent = `(SELECT id FROM captures WHERE url = ? AND status = 200)`

// sqlConfirmed finds the live articles MarkUnchanged confirms, and
// sqlMarkUnchanged records when they were seen: the same rows
// (confirmedWhere: a status, then the URL twice).
const (
	confirmedWhere   = ` WHERE status = ? AND (url = ? OR capture_id IN ` + sqlCapturesOfContent + `)`
	sqlConfirmed     = `SELECT id, kind, attachments NOT IN ('', '[]', 'null') FROM articles` + confirmedWhere
	sqlMarkUnchanged = `UPDATE articles SET last_seen = ?` + confirmedWhere
)

// Confirmed is the article MarkUnchanged confirmed unchanged: its id and
// kind (KindArticle, KindPage…), and whether it attaches documents (asked
// again after it: see crawler's pageHandler.attachmentsOf).
type Confirmed struct {
	ID, Kind string
	Attaches bool
}

// MarkUnchanged records that the article at canonicalURL (or whose
// current content came from it) was confirmed unchanged (a 304 answer) at
// the given time. It returns the article, with an empty ID when the
// catalog has no live article there. The article is read at once; its
// last_seen is written without waiting (deferWrite), with the next write
// a caller waits for: a re-crawl makes this call for every page, and a
// commit of its own for a date was a seventh of the CPU of a page that
// answered 304 (BENCHMARKS.md, "Frontier rows without a commit of
// their own").
func (s *Store) MarkUnchanged(ctx context.Context, canonicalURL string, at time.Time) (Confirmed, error) {
	// The URL is the article's own (its address now: not one it moved
	// from, whose copy a 304 confirms is no longer the article's), or the
	// one its current content was fetched from (a print version: see
	// LiveURLs).
	var u Confirmed
	err := s.prep.queryRow(ctx, nil, sqlConfirmed, StatusLive, canonicalURL, canonicalURL).Scan(&u.ID, &u.Kind, &u.Attaches)
	if errors.Is(err, sql.ErrNoRows) {
		return Confirmed{}, nil
	}
	if err != nil {
		return Confirmed{}, err
	}
	seen := formatTime(at)
	s.deferWrite("seen unchanged "+canonicalURL, func(ctx context.Context, tx *sql.Tx) error {
		_, err := s.prep.exec(ctx, tx, sqlMarkUnchanged, seen, StatusLive, canonicalURL, canonicalURL)
		return err
	})
	return u, nil
}

// MarkDeleted turns the live article at canonicalURL into a tombstone: it is
// never erased, its versions stay, and the index is told through the change
// sequence. It returns the kind of the article it marked, or "" when there
// was no live article to mark.
func (s *Store) MarkDeleted(ctx context.Context, canonicalURL string, at time.Time) (string, error) {
	var kind string
	ok, err := s.changeArticle(ctx, canonicalURL, "status", func(status, k string) bool {
		kind = k
		return status != StatusDeleted
	}, nil, "status = ?, deleted_at = ?", StatusDeleted, formatTime(at))
	if !ok {
		kind = ""
	}
	return kind, err
}

// changeArticle changes the article at canonicalURL, in one transaction,
// if it exists and applies holds for its column (and its kind). The
// article is the one whose address that is now (its url): an address an
// article had before it moved (aliases.go) is not the article's any more,
// so its 404, or its page turned listing, changes nothing. It runs
// before (if not nil) in the transaction, then sets set (an SQL
// assignment list whose values are args) and the next change sequence,
// so that the index hears of it. It reports whether it changed anything.
func (s *Store) changeArticle(ctx context.Context, canonicalURL, column string, applies func(value, kind string) bool,
	before func(ctx context.Context, tx *sql.Tx, id string) error, set string, args ...any) (bool, error) {
	// Its own transaction: the writes deferred before it go first.
	if err := s.commitDeferred(ctx); err != nil {
		return false, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var id, value, kind string
	err = tx.QueryRowContext(ctx, "SELECT id, "+column+", kind FROM articles WHERE url = ?", canonicalURL).Scan(&id, &value, &kind)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !applies(value, kind) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if before != nil {
		if err := before(ctx, tx, id); err != nil {
			return false, err
		}
	}
	seq, err := s.nextSeq(ctx, tx)
	if err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE articles SET "+set+", seq = ? WHERE id = ?", append(args, seq, id)...); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

const articleColumns = `id, url, kind, title, author, author_name, source, breadcrumb, category, published, body,
	body_html, images, attachments, lang, sha256, content_hash, status, first_seen, last_seen, last_changed,
	deleted_at, versions, COALESCE(capture_id, 0), seq`

func scanArticle(row interface{ Scan(...any) error }) (*Article, error) {
	var a Article
	var bc, imgs, atts, first, last, changed, deleted string
	err := row.Scan(&a.ID, &a.URL, &a.Kind, &a.Title, &a.Author, &a.AuthorName, &a.Source, &bc, &a.Category,
		&a.Published, &a.Body, &a.BodyHTML, &imgs, &atts, &a.Lang, &a.SHA256, &a.ContentHash, &a.Status,
		&first, &last, &changed, &deleted, &a.Versions, &a.CaptureID, &a.Seq)
	if err != nil {
		return nil, err
	}
	if err := unmarshalLists(bc, imgs, atts, &a.Content); err != nil {
		return nil, fmt.Errorf("article %s: %w", a.ID, err)
	}
	a.FirstSeen, a.LastSeen, a.LastChanged, a.DeletedAt = parseTime(first), parseTime(last), parseTime(changed), parseTime(deleted)
	return &a, nil
}

func unmarshalLists(bc, imgs, atts string, c *Content) error {
	if err := json.Unmarshal([]byte(bc), &c.Breadcrumb); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(imgs), &c.Images); err != nil {
		return err
	}
	return json.Unmarshal([]byte(atts), &c.Attachments)
}

// Article finds an article by its id or its canonical URL (as the crawler
// records it; FindArticle reads what a user typed).
func (s *Store) Article(ctx context.Context, idOrURL string) (*Article, error) {
	// An id is lower-case hex; one given in upper case is the same id.
	id := strings.ToLower(strings.TrimSpace(idOrURL))
	if strings.Contains(idOrURL, "://") {
		id = ArticleID(idOrURL)
	}
	a, err := s.articleByID(ctx, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("article %q: %w", idOrURL, ErrNotFound)
	}
	return a, err
}

// articleByID is the article id names, or the one it moved to (an address
// an article moved to, or the id of one); sql.ErrNoRows for none.
func (s *Store) articleByID(ctx context.Context, id string) (*Article, error) {
	a, err := scanArticle(s.prep.queryRow(ctx, nil, "SELECT "+articleColumns+" FROM articles WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		if to, aerr := s.aliasOf(ctx, nil, id); aerr != nil {
			return nil, aerr
		} else if to != id {
			a, err = scanArticle(s.prep.queryRow(ctx, nil, "SELECT "+articleColumns+" FROM articles WHERE id = ?", to))
		}
	}
	return a, err
}

// FindArticle finds the article a user's reference names: an id, or an
// address however it was typed, pasted or linked (ArticleKeys: normalized
// as the crawler normalizes addresses, or without its scheme). The CLI,
// the API and the page read references with it; the crawler, which has
// the addresses it recorded, uses Article.
func (s *Store) FindArticle(ctx context.Context, ref string) (*Article, error) {
	keys, _ := ArticleKeys(ref) // an address that does not read names no article
	for _, id := range keys {
		a, err := s.articleByID(ctx, id)
		if !errors.Is(err, sql.ErrNoRows) {
			return a, err
		}
	}
	return nil, fmt.Errorf("article %q: %w", ref, ErrNotFound)
}

// ArticleKeys are the ids an article reference a user typed, pasted or
// linked may name, the likelier first: an id (in lower case, spaces
// around it dropped: one typed in upper case is the same id), or a URL's,
// normalized as the crawler normalizes addresses (one copied without its
// scheme: with http://, then https://). The CLI (show, diff, export
// --ids-from), the API and the page read references alike.
func ArticleKeys(ref string) ([]string, error) {
	ref = strings.TrimSpace(ref)
	var urls []string
	switch {
	case strings.Contains(ref, "://"):
		urls = []string{ref}
	case LooksLikeURL(ref):
		urls = []string{"http://" + ref, "https://" + ref}
	default:
		return []string{strings.ToLower(ref)}, nil
	}
	var ids []string
	for _, u := range urls {
		n, err := urlnorm.Normalize(nil, u)
		if err != nil {
			if strings.Contains(ref, "://") {
				// As the address was given: a catalog written before
				// addresses were normalized keys it so.
				return []string{ArticleID(ref)}, fmt.Errorf("%q is not a URL tulieu can read: %v", ref, err)
			}
			return nil, fmt.Errorf("%q is not a URL tulieu can read: %v", ref, err)
		}
		ids = append(ids, ArticleID(n))
		if n != u {
			ids = append(ids, ArticleID(u))
		}
	}
	return ids, nil
}

// LooksLikeURL says whether s is a web address copied without its scheme
// ("danguykhoithanhhoa.org.vn/tin-tuc/…"): a host with a dot, then a path.
func LooksLikeURL(s string) bool {
	host, _, ok := strings.Cut(s, "/")
	return ok && strings.Contains(host, ".") && !strings.ContainsAny(host, " \t")
}

// ArticleAttachments lists the documents the article id attaches, read
// alone: a night of 304s asks it of every article, and the whole row (its
// text) is not needed.
func (s *Store) ArticleAttachments(ctx context.Context, id string) ([]Attachment, error) {
	var js string
	err := s.prep.queryRow(ctx, nil, "SELECT attachments FROM articles WHERE id = ?", id).Scan(&js)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil || js == "" || js == "[]" || js == "null" {
		return nil, err
	}
	var out []Attachment
	return out, json.Unmarshal([]byte(js), &out)
}

// UnknownIDs lists those of ids that name no article or page of the
// catalog, in their order.
func (s *Store) UnknownIDs(ctx context.Context, ids []string) ([]string, error) {
	known := map[string]bool{}
	for from := 0; from < len(ids); from += 500 {
		chunk := ids[from:min(len(ids), from+500)]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		found, err := s.queryStrings(ctx, "SELECT id FROM articles WHERE id IN ("+placeholders(len(chunk))+")", args...)
		if err != nil {
			return nil, err
		}
		for _, id := range found {
			known[id] = true
		}
	}
	var out []string
	for _, id := range ids {
		if !known[id] {
			out = append(out, id)
		}
	}
	return out, nil
}

// ChangedSince returns up to limit articles whose change sequence is above
// seq, in sequence order; the index follows the catalog with it.
func (s *Store) ChangedSince(ctx context.Context, seq int64, limit int) ([]Article, error) {
	return s.queryArticles(ctx, "SELECT "+articleColumns+" FROM articles WHERE seq > ? ORDER BY seq LIMIT ?", seq, limit)
}

// publishedDaySQL is the day of an article's published time in Vietnam
// time (YYYY-MM-DD), or NULL: the rule by which the search index files an
// article (index.parsePublished, then Vietnam time) written in SQL, so
// that a search and an export of the same days select the same articles
// (TestDateFilterAgreesWithTheIndex). The value is trimmed; a date
// ("2020-03-07") or a time without a zone ("…T08:30:00", "… 08:30:00",
// "…T08:30") is Vietnam's own and read as written; an RFC 3339 time with
// its zone (Z, +07:00, -05:00, fractional seconds) is moved to UTC+7;
// anything else, or a day or hour that does not exist (30 February,
// 24:00), has no day, as in the index.
var publishedDaySQL = strings.NewReplacer("P", "trim(published)", "TAIL", "substr(trim(published), 20)").Replace(`(CASE
	WHEN NOT (P GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*') OR date(substr(P, 1, 10)) IS NOT substr(P, 1, 10) THEN NULL
	WHEN length(P) = 10 THEN substr(P, 1, 10)
	WHEN NOT (substr(P, 11, 1) IN ('T', ' ') AND substr(P, 12, 5) GLOB '[0-2][0-9]:[0-5][0-9]' AND substr(P, 12, 2) < '24') THEN NULL
	WHEN length(P) = 16 AND substr(P, 11, 1) = 'T' THEN substr(P, 1, 10)
	WHEN NOT (substr(P, 17, 3) GLOB ':[0-5][0-9]') THEN NULL
	WHEN length(P) = 19 THEN substr(P, 1, 10)
	WHEN substr(P, 11, 1) = 'T' AND (TAIL = 'Z' OR TAIL GLOB '[+-][0-9][0-9]:[0-9][0-9]' OR TAIL GLOB '.[0-9]*Z'
		OR TAIL GLOB '.[0-9]*[+-][0-9][0-9]:[0-9][0-9]') THEN date(P, '+7 hours')
	END)`)

// Filter selects articles for listing and export.
type Filter struct {
	Kinds          []string  // empty: articles only
	Category       string    // exact category, in any Unicode form and spacing ("" = any)
	From, To       time.Time // on the published date, inclusive days; zero = unbounded
	ChangedSince   time.Time // new, changed, moved or deleted at or after; zero = any
	IDs            []string  // only these ids (in this order); empty = all
	IncludeDeleted bool
	Oldest         bool // oldest published first (default: newest first)

	categories []string // the spellings of Category the catalog holds (resolveCategory)
}

// ResolveFilter returns f with the spellings of its category that the
// catalog holds: the same name with its tone marks placed either way
// ("Hoà"/"Hòa"), as the search index matches it (index.keywordTerms).
// Articles and EachArticle resolve a filter that is not; a caller that
// lists many chunks with one filter (an export by ids) resolves it once.
func (s *Store) ResolveFilter(ctx context.Context, f Filter) (Filter, error) {
	err := s.resolveCategory(ctx, &f)
	return f, err
}

// resolveCategory is ResolveFilter in place; a filter already resolved
// is left as it is.
func (s *Store) resolveCategory(ctx context.Context, f *Filter) error {
	if f.Category == "" || f.categories != nil {
		return nil
	}
	want := vntext.Whole(f.Category)
	key := vntext.NormalizeTone(want)
	all, err := s.queryStrings(ctx, "SELECT DISTINCT category FROM articles WHERE category != ''")
	if err != nil {
		return err
	}
	f.categories = []string{want}
	for _, c := range all {
		if c != want && vntext.NormalizeTone(c) == key {
			f.categories = append(f.categories, c)
		}
	}
	return nil
}

// where is the SQL condition of f and its arguments.
func (f Filter) where() (string, []any) {
	var where []string
	var args []any
	kinds := f.Kinds
	if len(kinds) == 0 {
		kinds = []string{KindArticle}
	}
	where = append(where, "kind IN ("+placeholders(len(kinds))+")")
	for _, k := range kinds {
		args = append(args, k)
	}
	if f.Category != "" {
		// Stored as extracted: composed (NFC), spaces collapsed. The
		// search index reads a category filter the same way.
		cats := f.categories
		if len(cats) == 0 {
			cats = []string{vntext.Whole(f.Category)}
		}
		where = append(where, "category IN ("+placeholders(len(cats))+")")
		for _, c := range cats {
			args = append(args, c)
		}
	}
	if !f.From.IsZero() {
		where = append(where, "published != '' AND "+publishedDaySQL+" >= ?")
		args = append(args, f.From.Format("2006-01-02"))
	}
	if !f.To.IsZero() {
		where = append(where, "published != '' AND "+publishedDaySQL+" <= ?")
		args = append(args, f.To.Format("2006-01-02"))
	}
	if !f.ChangedSince.IsZero() {
		// New (first seen) or given a new version (last changed) since;
		// a deletion since then counts as a change too, and so does a
		// move to another address or back (aliases.go, moved_at): a copy
		// of the list kept by polling would keep the old address for ever.
		t := formatTime(f.ChangedSince)
		where = append(where, "(first_seen >= ? OR last_changed >= ? OR (deleted_at != '' AND deleted_at >= ?) OR moved_at >= ?)")
		args = append(args, t, t, t, t)
	}
	switch {
	case f.IncludeDeleted:
	case !f.ChangedSince.IsZero():
		// Live, or deleted within the window: the deletion is the change.
		where = append(where, "(status = ? OR (deleted_at != '' AND deleted_at >= ?))")
		args = append(args, StatusLive, formatTime(f.ChangedSince))
	default:
		where = append(where, "status = ?")
		args = append(args, StatusLive)
	}
	if len(f.IDs) > 0 {
		where = append(where, "id IN ("+placeholders(len(f.IDs))+")")
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	return strings.Join(where, " AND "), args
}

// Articles lists the articles that match f, newest published first
// (oldest with f.Oldest; the order of f.IDs when given).
func (s *Store) Articles(ctx context.Context, f Filter) ([]Article, error) {
	if err := s.resolveCategory(ctx, &f); err != nil {
		return nil, err
	}
	where, args := f.where()
	q := "SELECT " + articleColumns + " FROM articles WHERE " + where + " ORDER BY published DESC, id"
	if f.Oldest {
		q = "SELECT " + articleColumns + " FROM articles WHERE " + where + " ORDER BY published = '', published, id"
	}
	out, err := s.queryArticles(ctx, q, args...)
	if err != nil || len(f.IDs) == 0 {
		return out, err
	}
	byID := make(map[string]Article, len(out))
	for _, a := range out {
		byID[a.ID] = a
	}
	ordered := out[:0:0]
	for _, id := range f.IDs {
		if a, ok := byID[id]; ok {
			ordered = append(ordered, a)
		}
	}
	return ordered, nil
}

// eachPage is how many articles EachArticle reads at a time.
const eachPage = 500

// EachArticle calls fn with every article that matches f (f.IDs must be
// empty), newest published first (with f.Oldest oldest first, the undated
// last either way; articles of the same date by id, as the search index
// sorts them by date), reading them
// a page at a time: however
// many there are, memory holds one page, and the catalog's one connection
// is free between pages (for fn, and for the web server's other requests).
func (s *Store) EachArticle(ctx context.Context, f Filter, fn func(*Article) error) error {
	if len(f.IDs) > 0 {
		return errors.New("store: EachArticle takes no IDs; use Articles a chunk at a time")
	}
	if err := s.resolveCategory(ctx, &f); err != nil {
		return err
	}
	where, args := f.where()
	if !f.Oldest {
		return s.eachPage(ctx, where, args, "DESC", fn)
	}
	// Oldest first, the undated last (as a search sorted oldest lists
	// them): two ranges of the index, each in its order.
	if err := s.eachPage(ctx, where+" AND published != ''", args, "ASC", fn); err != nil {
		return err
	}
	return s.eachPage(ctx, where+" AND published = ''", args, "ASC", fn)
}

// eachPage is EachArticle's walk over the articles of where, by published
// date in the direction dir (ASC or DESC), then by id, a page at a time.
func (s *Store) eachPage(ctx context.Context, where string, args []any, dir string, fn func(*Article) error) error {
	order := " ORDER BY published " + dir + ", id LIMIT "
	var lastPub, lastID string
	first := true
	for {
		var page []Article
		var err error
		switch {
		case first:
			page, err = s.queryArticles(ctx, "SELECT "+articleColumns+" FROM articles WHERE "+where+order+strconv.Itoa(eachPage), args...)
		case dir == "ASC":
			// After the last one read, in the same order (keyset paging:
			// a range of the articles_by_published_id index).
			page, err = s.queryArticles(ctx, "SELECT "+articleColumns+" FROM articles WHERE "+where+
				" AND (published, id) > (?, ?)"+order+strconv.Itoa(eachPage), append(slices.Clip(args), lastPub, lastID)...)
		default:
			// Dates down, ids up: the rest of the last date, then the
			// dates before it, each a range of an index
			// (articles_by_published_id, articles_by_published_desc_id).
			page, err = s.queryArticles(ctx, "SELECT "+articleColumns+" FROM articles WHERE "+where+
				" AND published = ? AND id > ? ORDER BY id LIMIT "+strconv.Itoa(eachPage), append(slices.Clip(args), lastPub, lastID)...)
			if err == nil && len(page) < eachPage {
				var more []Article
				more, err = s.queryArticles(ctx, "SELECT "+articleColumns+" FROM articles WHERE "+where+
					" AND published < ?"+order+strconv.Itoa(eachPage-len(page)), append(slices.Clip(args), lastPub)...)
				page = append(page, more...)
			}
		}
		if err != nil {
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
		first = false
		lastPub, lastID = page[len(page)-1].Published, page[len(page)-1].ID
	}
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func (s *Store) queryArticles(ctx context.Context, q string, args ...any) ([]Article, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}

// sqlRevisitURL is the address a crawl asks article a again at (its
// current capture c): where its current content was fetched, unless the
// article moved since (moved_at: see aliases.go) and that was another
// address. An article whose text did not change when it moved keeps the
// capture of its old address, and was asked there for ever: its new
// address, the only one the site links, was never asked again, and a
// takedown there went unseen.
const sqlRevisitURL = `CASE WHEN c.url IS NOT NULL AND c.url != a.url AND a.moved_at != ''
		THEN a.url ELSE COALESCE(c.url, a.url) END`

// LiveURLs lists a URL of every live article and page, so that a re-crawl
// re-checks each one and notices those that are gone. For each it gives
// the URL its current content was fetched from (see sqlRevisitURL), which
// is the canonical URL except for an article first reached through a
// print version or another alias that names it canonical: asking that
// URL again, with the validators it answered with, is what lets an
// unchanged article answer 304 instead of being fetched whole.
func (s *Store) LiveURLs(ctx context.Context) ([]string, error) {
	return s.queryStrings(ctx, `SELECT DISTINCT `+sqlRevisitURL+` FROM articles a LEFT JOIN captures c ON c.id = a.capture_id
		WHERE a.status = ? ORDER BY 1`, StatusLive)
}

// queryStrings runs a query of one text column.
func (s *Store) queryStrings(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Stats summarizes the archive.
type Stats struct {
	Articles   int64            `json:"articles"`
	Pages      int64            `json:"pages"`
	Deleted    int64            `json:"deleted"`
	Versions   int64            `json:"versions"`
	Captures   int64            `json:"captures"`
	Runs       int64            `json:"runs"`
	Categories map[string]int64 `json:"categories"`
	LastRun    *Run             `json:"-"`
	SchemaVer  int              `json:"schema_version"`
	ChangeSeq  int64            `json:"change_seq"`
	FirstSeen  string           `json:"first_seen"`
	LastSeen   string           `json:"last_seen"`
}

// Stats counts what the catalog holds.
func (s *Store) Stats(ctx context.Context) (*Stats, error) {
	st := &Stats{Categories: map[string]int64{}}
	err := s.db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM articles WHERE kind = 'article' AND status = 'live'),
		(SELECT COUNT(*) FROM articles WHERE kind = 'page' AND status = 'live'),
		(SELECT COUNT(*) FROM articles WHERE status = 'deleted'),
		(SELECT COUNT(*) FROM versions),
		(SELECT COUNT(*) FROM captures),
		(SELECT COUNT(*) FROM runs),
		(SELECT COALESCE(MIN(first_seen), '') FROM articles),
		(SELECT COALESCE(MAX(last_seen), '') FROM articles)`).Scan(
		&st.Articles, &st.Pages, &st.Deleted, &st.Versions, &st.Captures, &st.Runs, &st.FirstSeen, &st.LastSeen)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT category, COUNT(*) FROM articles WHERE kind = 'article' AND status = 'live' GROUP BY category")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c string
		var n int64
		if err := rows.Scan(&c, &n); err != nil {
			return nil, err
		}
		st.Categories[c] = n
	}
	if st.SchemaVer, err = s.SchemaVersion(ctx); err != nil {
		return nil, err
	}
	if st.ChangeSeq, err = s.Seq(ctx); err != nil {
		return nil, err
	}
	runs, err := s.Runs(ctx, 1)
	if err != nil {
		return nil, err
	}
	if len(runs) > 0 {
		st.LastRun = &runs[0]
	}
	return st, rows.Err()
}

// Reclassify records that the page at canonicalURL, once taken for an
// article or a static page, is now seen as something else (a listing,
// say, after the extractor learnt better). The row stays, with its
// versions, under its new kind, so exports and search no longer show it;
// the change sequence tells the index. It reports whether anything changed.
// The versions keep the kind they were seen with: the newest one, which
// reads the article's fields (storedCurrent), is packed first, or it
// would take the new kind.
func (s *Store) Reclassify(ctx context.Context, canonicalURL, kind string) (bool, error) {
	if kind == KindArticle || kind == KindPage {
		return false, nil
	}
	return s.changeArticle(ctx, canonicalURL, "kind", func(old, _ string) bool { return old == KindArticle || old == KindPage },
		s.packCurrentVersion, "kind = ?", kind)
}

// RevisitHistory is what the catalog knows of a live article's changes:
// what an adaptive revisit schedule learns from.
type RevisitHistory struct {
	URL         string // where its current content was fetched, as LiveURLs gives it
	ArticleURL  string // its canonical URL (the same as URL, or not for content from a print version)
	Kind        string // KindArticle or KindPage
	FirstSeen   time.Time
	LastSeen    time.Time // last fetched and found the same (or changed)
	LastChanged time.Time // when its current version was first captured
	Versions    int
	// Damaged: the record of its capture was found damaged
	// (damaged_records), so the archive has no copy that reads.
	Damaged bool
}

// RevisitHistories lists the history of every live article and static
// page, by the URL a crawl asks it again at.
func (s *Store) RevisitHistories(ctx context.Context) ([]RevisitHistory, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+sqlRevisitURL+`, a.url, a.kind, a.first_seen, a.last_seen, a.last_changed,
		a.versions, COALESCE(`+damagedCopySQL("c")+`, 0)
		FROM articles a LEFT JOIN captures c ON c.id = a.capture_id WHERE a.status = ? ORDER BY 1`, StatusLive)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RevisitHistory
	for rows.Next() {
		var h RevisitHistory
		var first, last, changed string
		if err := rows.Scan(&h.URL, &h.ArticleURL, &h.Kind, &first, &last, &changed, &h.Versions, &h.Damaged); err != nil {
			return nil, err
		}
		h.FirstSeen, h.LastSeen, h.LastChanged = parseTime(first), parseTime(last), parseTime(changed)
		out = append(out, h)
	}
	return out, rows.Err()
}
