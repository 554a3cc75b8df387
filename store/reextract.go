package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Extraction is what a re-extraction found in one archived page.
type Extraction struct {
	CaptureID int64
	Content   Content
}

// ArticleCaptures lists the captures an article's fields come from: the
// current one first, then one per version (0 where none is recorded).
func (s *Store) ArticleCaptures(ctx context.Context, id string) (current int64, versions map[int]int64, err error) {
	if err := s.db.QueryRowContext(ctx, "SELECT COALESCE(capture_id, 0) FROM articles WHERE id = ?", id).Scan(&current); err != nil {
		return 0, nil, fmt.Errorf("article %s: %w", id, err)
	}
	rows, err := s.db.QueryContext(ctx, "SELECT version, COALESCE(capture_id, 0) FROM versions WHERE article_id = ?", id)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	versions = map[int]int64{}
	for rows.Next() {
		var v int
		var c int64
		if err := rows.Scan(&v, &c); err != nil {
			return 0, nil, err
		}
		versions[v] = c
	}
	return current, versions, rows.Err()
}

// Reextracted replaces the extracted fields of an article and of its
// versions with those a newer extractor found in the same archived pages.
// It is not a change of the site: versions keep their numbers and dates,
// and no version is added. When the current fields change, the change
// sequence tells the index. It reports whether the current fields changed.
func (s *Store) Reextracted(ctx context.Context, id string, current *Content, versions map[int]Content) (bool, error) {
	// Its own transaction: the writes deferred before it go first.
	if err := s.commitDeferred(ctx); err != nil {
		return false, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	for v, c := range versions {
		var stored string
		err := tx.QueryRowContext(ctx, "SELECT stored FROM versions WHERE article_id = ? AND version = ?", id, v).Scan(&stored)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return false, err
		}
		if stored == storedCurrent {
			// This version is the article's current fields: it changes
			// with them (below).
			if current == nil {
				c := c
				current = &c
			}
			continue
		}
		blob, err := s.codec.pack(packedOf(&c))
		if err != nil {
			return false, err
		}
		_, err = tx.ExecContext(ctx, `UPDATE versions SET stored = ?, packed = ?, kind = '', title = '', author = '',
			author_name = '', source = '', breadcrumb = '[]', category = '', published = '', body = '', body_html = '',
			images = '[]', attachments = '[]', sha256 = ?, content_hash = ? WHERE article_id = ? AND version = ?`,
			storedZstd, blob, sha256Hex(c.Body), c.hash(), id, v)
		if err != nil {
			return false, err
		}
	}
	changed := false
	if current != nil {
		var old, oldKind string
		if err := tx.QueryRowContext(ctx, "SELECT content_hash, kind FROM articles WHERE id = ?", id).Scan(&old, &oldKind); err != nil {
			return false, err
		}
		// The kind too: a reclassification (Reclassify, by a bad
		// profile) changes it and not the fields' hash, and reading the
		// page again as an article must bring the article back.
		if h := current.hash(); h != old || current.Kind != "" && current.Kind != oldKind {
			seq, err := s.nextSeq(ctx, tx)
			if err != nil {
				return false, err
			}
			c := current
			_, err = tx.ExecContext(ctx, `UPDATE articles SET kind = ?, title = ?, author = ?, author_name = ?, source = ?,
				breadcrumb = ?, category = ?, published = ?, body = ?, body_html = ?, images = ?, attachments = ?, lang = ?,
				sha256 = ?, content_hash = ?, seq = ? WHERE id = ?`,
				c.Kind, c.Title, c.Author, c.AuthorName, c.Source, marshalJSON(nonNil(c.Breadcrumb)), c.Category, c.Published,
				c.Body, c.BodyHTML, marshalJSON(nonNilImages(c.Images)), marshalJSON(nonNilAttachments(c.Attachments)), c.Lang,
				sha256Hex(c.Body), h, seq, id)
			if err != nil {
				return false, err
			}
			_, err = tx.ExecContext(ctx, "UPDATE versions SET sha256 = ?, content_hash = ? WHERE article_id = ? AND stored = ?",
				sha256Hex(c.Body), h, id, storedCurrent)
			if err != nil {
				return false, err
			}
			changed = true
		}
	}
	return changed, tx.Commit()
}

// AllArticleIDs lists the ids of every article and page, whatever their
// status or kind.
func (s *Store) AllArticleIDs(ctx context.Context) ([]string, error) {
	return s.queryStrings(ctx, "SELECT id FROM articles ORDER BY id")
}
