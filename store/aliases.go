package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// An article is known by the address it was first recorded at: its id is
// that address's (ArticleID). A CMS gives an article another address when
// an editor fixes its title (a new slug, the same article), or when the
// site moves (to https, to another host name): the old address redirects
// to the new one, or the page names the new one canonical. The article
// then moves: it keeps its id and its history, its url becomes the new
// address, and the new address is an alias of it (the aliases table),
// by which it is found (Article, RecordArticle, MarkUnchanged). Without
// it, the retitled article was a new one and the old one stayed live under
// a title the site no longer showed.

// sqlAliasOf reads the article an address's id is an alias of.
const sqlAliasOf = "SELECT article_id FROM aliases WHERE id = ?"

// aliasOf returns the id of the article that the address whose id is id is
// an alias of, or id when it is none.
func (s *Store) aliasOf(ctx context.Context, tx *sql.Tx, id string) (string, error) {
	var to string
	err := s.prep.queryRow(ctx, tx, sqlAliasOf, id).Scan(&to)
	if errors.Is(err, sql.ErrNoRows) {
		return id, nil
	}
	return to, err
}

// Move is what MoveArticle did.
type Move struct {
	// ID is the article that moved; empty when none did.
	ID string
	// Merged: an article recorded at the new address during this run
	// (a listing linked it before the old address was asked) was this
	// one. Its content is now a version of the article that moved
	// (Outcome: Changed or Unchanged), and it is no more: the run
	// counted it new.
	Merged  bool
	Kind    string // of the article merged
	Outcome Outcome
	// Revived: the article that moved had been taken down this run (its
	// old address answered 404); the run counted it deleted.
	Revived bool
}

// sqlMovable finds a live article or static page, or one taken down at or
// after a time, by the id of its address or of an alias.
const sqlMovable = `SELECT 1 FROM articles WHERE (status = 'live' OR deleted_at >= ?) AND kind IN ('article', 'page')
	AND (id = ? OR id IN (SELECT article_id FROM aliases WHERE id = ?))`

// sqlMoveTo gives an article its address now (url), the change sequence
// the index learns it by (seq), and when it moved (moved_at): a move to a
// new address and a move back to one it had alike.
const sqlMoveTo = "UPDATE articles SET url = ?, seq = ?, moved_at = ? WHERE id = ?"

// MoveArticle records that the live article (or static page) at fromURL
// (its address, or one of its aliases) now lives at toURL: the address
// redirected there, or its page names toURL canonical; the caller read
// the page at toURL as an article or a page. Nothing moves when there is
// no live article at fromURL, or toURL is already an address of an
// article, unless that article was first recorded at or after since (this
// run) with one version: it is then merged into the one that moved. With
// onlyMerge, toURL moves only such an article (the caller does not know
// what toURL is, when no article was recorded there), and the article at
// fromURL may be one taken down since: its old address answered 404 while
// a listing linked its new one (it is live again, Revived).
func (s *Store) MoveArticle(ctx context.Context, fromURL, toURL string, onlyMerge bool, since, at time.Time) (Move, error) {
	// Most addresses that differ from their pages' canonical ones are no
	// article's (an article is recorded under the canonical one): asked
	// without a write.
	var one int
	downSince := "~" // after every time: live ones only
	if onlyMerge {
		downSince = formatTime(since)
	}
	err := s.prep.queryRow(ctx, nil, sqlMovable, downSince, ArticleID(fromURL), ArticleID(fromURL)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return Move{}, nil
	}
	if err != nil {
		return Move{}, err
	}
	var m Move
	err = s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		m = Move{}
		from, err := s.aliasOf(ctx, tx, ArticleID(fromURL))
		if err != nil {
			return err
		}
		to := ArticleID(toURL)
		if toArticle, err := s.aliasOf(ctx, tx, to); err != nil {
			return err
		} else if toArticle == from {
			// Back to an address it had (a title edited, then
			// restored): the address it answers at now.
			var url string
			if err := tx.QueryRowContext(ctx, "SELECT url FROM articles WHERE id = ?", from).Scan(&url); err != nil || url == toURL {
				return err // at that address already: nothing moves, and no change sequence is taken
			}
			// The index learns its address through the sequence.
			seq, err := s.nextSeq(ctx, tx)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, sqlMoveTo, toURL, seq, formatTime(at), from); err != nil {
				return err
			}
			m.ID = from
			return nil
		} else if toArticle != to {
			return nil // an address of another article
		}
		var status, kind, deletedAt, lastSeen string
		err = tx.QueryRowContext(ctx, "SELECT status, kind, deleted_at, last_seen FROM articles WHERE id = ?", from).Scan(&status, &kind, &deletedAt, &lastSeen)
		if errors.Is(err, sql.ErrNoRows) || err == nil && kind != KindArticle && kind != KindPage {
			return nil
		}
		if err != nil {
			return err
		}
		if status != StatusLive && !(onlyMerge && !parseTime(deletedAt).Before(since)) {
			return nil // taken down, before this run
		}
		revived := status != StatusLive
		var dup *Article
		dup, err = scanArticle(tx.QueryRowContext(ctx, "SELECT "+articleColumns+" FROM articles WHERE id = ?", to))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if onlyMerge {
				return nil
			}
			dup = nil
		case err != nil:
			return err
		case dup.Versions != 1 || dup.FirstSeen.Before(since) || dup.Status != StatusLive || dup.Kind != KindArticle && dup.Kind != KindPage:
			return nil // an article with a history of its own, or no article
		}
		if dup != nil {
			// Recorded earlier in this run: its content is the moved
			// article's new version, and it goes.
			for _, q := range []string{"DELETE FROM versions WHERE article_id = ?", "DELETE FROM articles WHERE id = ?"} {
				if _, err := tx.ExecContext(ctx, q, to); err != nil {
					return err
				}
			}
			var capture any
			if dup.CaptureID != 0 {
				capture = dup.CaptureID
			}
			// Seen when it was seen, unless the article that moved was
			// seen later (already recorded with this content tonight).
			seen := dup.LastSeen
			if last := parseTime(lastSeen); last.After(seen) {
				seen = last
			}
			if m.Outcome, _, err = s.recordArticle(ctx, tx, from, toURL, dup.Content, dup.ContentHash, capture, dup.CaptureID, seen); err != nil {
				return err
			}
			m.Merged, m.Kind, m.Revived = true, dup.Kind, revived
		}
		seq, err := s.nextSeq(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO aliases(id, url, article_id, since, seq) VALUES (?, ?, ?, ?, ?)",
			to, toURL, from, formatTime(at), seq); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, sqlMoveTo, toURL, seq, formatTime(at), from); err != nil {
			return err
		}
		m.ID = from
		return nil
	})
	return m, err
}

// AliasesSince lists the ids of the addresses that became aliases after
// the change sequence seq: the search index drops its documents of those
// ids (an article merged into the one that moved there).
func (s *Store) AliasesSince(ctx context.Context, seq int64) ([]string, error) {
	return s.queryStrings(ctx, "SELECT id FROM aliases WHERE seq > ? ORDER BY seq", seq)
}

// ResolveIDs maps the ids of addresses articles moved to (aliases) to
// those articles' ids; other ids stay as they are. An id met twice, or
// twice through aliases, is kept once, where it first came.
func (s *Store) ResolveIDs(ctx context.Context, ids []string) ([]string, error) {
	out := make([]string, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		to, err := s.aliasOf(ctx, nil, id)
		if err != nil {
			return nil, err
		}
		if !seen[to] {
			seen[to] = true
			out = append(out, to)
		}
	}
	return out, nil
}
