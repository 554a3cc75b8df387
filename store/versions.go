package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"
)

// How a row of the versions table holds its content (column "stored").
// The articles table holds the current content of every article; a
// versions row holding it too doubled the catalog (two copies of every
// text: 579 MB for 217 MB of text at 50 000 articles). So the newest
// version holds nothing but a pointer to the article's own fields, and a
// version is packed (its fields as JSON, compressed with zstd) only when
// a newer one replaces it. Most articles never change: their text is kept
// once.
const (
	storedColumns = "columns" // in the text columns, as every row was before migration 8
	storedCurrent = "current" // the article's current fields (articles table)
	storedZstd    = "zstd"    // packed: zstd-compressed JSON of packedContent
)

// maxPackedContent bounds what unpacking one version may allocate: a
// corrupt or hostile blob must not take the process's memory. The largest
// page body the crawler keeps is far below it.
const maxPackedContent = 256 << 20

// packedContent is the JSON inside a packed version. The list fields stay
// the JSON the catalog's columns hold, so packing and unpacking never
// re-encode them.
type packedContent struct {
	Kind        string          `json:"kind"`
	Title       string          `json:"title"`
	Author      string          `json:"author"`
	AuthorName  string          `json:"author_name"`
	Source      string          `json:"source"`
	Breadcrumb  json.RawMessage `json:"breadcrumb"`
	Category    string          `json:"category"`
	Published   string          `json:"published"`
	Body        string          `json:"body"`
	BodyHTML    string          `json:"body_html"`
	Images      json.RawMessage `json:"images"`
	Attachments json.RawMessage `json:"attachments"`
}

// versionCodec packs and unpacks versions. Its encoder and decoder are
// safe for concurrent use (EncodeAll and DecodeAll).
type versionCodec struct {
	enc *zstd.Encoder
	dec *zstd.Decoder
}

func newVersionCodec() (*versionCodec, error) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithLowerEncoderMem(true))
	if err != nil {
		return nil, err
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(2), zstd.WithDecoderLowmem(true),
		zstd.WithDecoderMaxMemory(maxPackedContent))
	if err != nil {
		enc.Close()
		return nil, err
	}
	return &versionCodec{enc: enc, dec: dec}, nil
}

func (vc *versionCodec) close() {
	vc.enc.Close()
	vc.dec.Close()
}

func (vc *versionCodec) pack(p *packedContent) ([]byte, error) {
	js, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	return vc.enc.EncodeAll(js, nil), nil
}

func (vc *versionCodec) unpack(blob []byte, c *Content) error {
	js, err := vc.dec.DecodeAll(blob, nil)
	if err != nil {
		return fmt.Errorf("unpack version: %w", err)
	}
	var p packedContent
	if err := json.Unmarshal(js, &p); err != nil {
		return fmt.Errorf("unpack version: %w", err)
	}
	*c = Content{Kind: p.Kind, Title: p.Title, Author: p.Author, AuthorName: p.AuthorName, Source: p.Source,
		Category: p.Category, Published: p.Published, Body: p.Body, BodyHTML: p.BodyHTML}
	return unmarshalLists(string(orEmptyList(p.Breadcrumb)), string(orEmptyList(p.Images)), string(orEmptyList(p.Attachments)), c)
}

// packedOf is c as a packed version holds it.
func packedOf(c *Content) *packedContent {
	return &packedContent{Kind: c.Kind, Title: c.Title, Author: c.Author, AuthorName: c.AuthorName, Source: c.Source,
		Breadcrumb: json.RawMessage(marshalJSON(nonNil(c.Breadcrumb))), Category: c.Category, Published: c.Published,
		Body: c.Body, BodyHTML: c.BodyHTML, Images: json.RawMessage(marshalJSON(nonNilImages(c.Images))),
		Attachments: json.RawMessage(marshalJSON(nonNilAttachments(c.Attachments)))}
}

func orEmptyList(js json.RawMessage) json.RawMessage {
	if len(js) == 0 {
		return json.RawMessage("[]")
	}
	return js
}

// contentColumns are the columns of a version's fields, in the articles
// table and in the versions table alike.
const contentColumns = `kind, title, author, author_name, source, breadcrumb, category, published, body, body_html,
		images, attachments`

// sqlVersions reads an article's versions; a version that points at its
// article's fields (storedCurrent) reads them from the article's row, in
// the same statement (see Versions).
var sqlVersions = func() string {
	var cols []string
	for _, c := range strings.Split(contentColumns, ",") {
		c = strings.TrimSpace(c)
		cols = append(cols, "CASE WHEN v.stored = '"+storedCurrent+"' THEN a."+c+" ELSE v."+c+" END")
	}
	return `SELECT v.article_id, v.version, v.seen_at, COALESCE(v.capture_id, 0), v.stored, ` + strings.Join(cols, ", ") + `,
		v.sha256, v.content_hash, v.packed, a.id IS NOT NULL, COALESCE(c.url, '')
		FROM versions v LEFT JOIN articles a ON a.id = v.article_id LEFT JOIN captures c ON c.id = v.capture_id
		WHERE v.article_id = ? ORDER BY v.version`
}()

// The statements that pack the version a change replaces (in SaveArticle's
// transaction, so prepared when the catalog opens).
const (
	sqlCurrentContent = `SELECT ` + contentColumns + ` FROM articles WHERE id = ?`
	sqlPackVersion    = `UPDATE versions SET stored = '` + storedZstd + `', packed = ?, kind = '', title = '', author = '',
		author_name = '', source = '', breadcrumb = '[]', category = '', published = '', body = '', body_html = '',
		images = '[]', attachments = '[]' WHERE article_id = ? AND stored = '` + storedCurrent + `'`
)

// packCurrentVersion packs the article's current fields into its version
// row that points at them, before the article takes new fields. A row
// written before migration 8 holds its own columns and is left as it is.
func (s *Store) packCurrentVersion(ctx context.Context, tx *sql.Tx, id string) error {
	var p packedContent
	var bc, imgs, atts string
	err := s.prep.queryRow(ctx, tx, sqlCurrentContent, id).Scan(&p.Kind, &p.Title, &p.Author, &p.AuthorName, &p.Source,
		&bc, &p.Category, &p.Published, &p.Body, &p.BodyHTML, &imgs, &atts)
	if err != nil {
		return err
	}
	p.Breadcrumb, p.Images, p.Attachments = json.RawMessage(bc), json.RawMessage(imgs), json.RawMessage(atts)
	blob, err := s.codec.pack(&p)
	if err != nil {
		return err
	}
	_, err = s.prep.exec(ctx, tx, sqlPackVersion, blob, id)
	return err
}

// LastEdited is when the article's latest version was first seen (zero
// for an article with none): its last edit, where LastChanged also moves
// when the article comes back after a deletion with the same text.
func (s *Store) LastEdited(ctx context.Context, id string) (time.Time, error) {
	var seen string
	err := s.db.QueryRowContext(ctx, `SELECT seen_at FROM versions WHERE article_id = ? ORDER BY version DESC LIMIT 1`, id).Scan(&seen)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	return parseTime(seen), nil
}

// Versions lists every distinct version of an article, oldest first.
//
// One statement reads the versions and, for the newest one that points at
// them (storedCurrent), its article's fields: SQLite reads a statement
// from one snapshot, so a change saved meanwhile (by a crawl in another
// process, or in this one) cannot give that version the text of the
// version replacing it, nor hide the new one (TestVersionsWhileSaving).
func (s *Store) Versions(ctx context.Context, id string) ([]Version, error) {
	rows, err := s.db.QueryContext(ctx, sqlVersions, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Version
	for rows.Next() {
		var v Version
		var seen, stored string
		var kind, title, author, authorName, source, bc, category, published, body, bodyHTML, imgs, atts sql.NullString
		var packed []byte
		var hasArticle bool
		if err := rows.Scan(&v.ArticleID, &v.Version, &seen, &v.CaptureID, &stored, &kind, &title, &author, &authorName,
			&source, &bc, &category, &published, &body, &bodyHTML, &imgs, &atts, &v.SHA256, &v.ContentHash,
			&packed, &hasArticle, &v.FetchedFrom); err != nil {
			return nil, err
		}
		v.SeenAt = parseTime(seen)
		switch stored {
		case storedColumns, storedCurrent:
			if stored == storedCurrent && !hasArticle {
				return nil, fmt.Errorf("article %s version %d: its article row is gone", v.ArticleID, v.Version)
			}
			v.Kind, v.Title, v.Author, v.AuthorName, v.Source = kind.String, title.String, author.String, authorName.String, source.String
			v.Category, v.Published, v.Body, v.BodyHTML = category.String, published.String, body.String, bodyHTML.String
			err = unmarshalLists(bc.String, imgs.String, atts.String, &v.Content)
		case storedZstd:
			err = s.codec.unpack(packed, &v.Content)
		default:
			err = fmt.Errorf("unknown storage %q", stored)
		}
		if err != nil {
			return nil, fmt.Errorf("article %s version %d: %w", v.ArticleID, v.Version, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// UnreadableVersion is a packed version that cannot be read back.
type UnreadableVersion struct {
	Where string // "id vN"
	Err   error
}

// CheckVersions reads every version the catalog packed and reports those
// that cannot be read back. A version that points at its article's fields
// is checked by the article's own row.
func (s *Store) CheckVersions(ctx context.Context) ([]UnreadableVersion, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT article_id, version, packed FROM versions WHERE stored = ?", storedZstd)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var bad []UnreadableVersion
	for rows.Next() {
		var id string
		var v int
		var packed []byte
		if err := rows.Scan(&id, &v, &packed); err != nil {
			return nil, err
		}
		var c Content
		if err := s.codec.unpack(packed, &c); err != nil {
			bad = append(bad, UnreadableVersion{Where: fmt.Sprintf("%s v%d", id, v), Err: err})
		}
	}
	return bad, rows.Err()
}
