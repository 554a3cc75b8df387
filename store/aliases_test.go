package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

const (
	movedOld = "http://danguykhoithanhhoa.org.vn/tin-tuc/tin-tuc-chung/hoi-nghi-so-ket-661.html"
	movedNew = "http://danguykhoithanhhoa.org.vn/tin-tuc/tin-tuc-chung/hoi-nghi-so-ket-6-thang-dau-nam-661.html"
)

// movedStore is a catalog holding the article at movedOld, recorded on the
// night it returns.
func movedStore(t *testing.T) (*Store, time.Time) {
	t.Helper()
	s, err := Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	night1 := time.Date(2026, 6, 12, 19, 0, 0, 0, time.UTC)
	if _, _, err := s.RecordArticle(context.Background(), movedOld, movedContent("Hội nghị sơ kết"), 0, night1); err != nil {
		t.Fatal(err)
	}
	return s, night1
}

func movedContent(title string) Content {
	return Content{Kind: KindArticle, Title: title, Published: "2026-06-12",
		Body: "Sáng ngày 12/6, Đảng ủy Khối tổ chức hội nghị sơ kết công tác xây dựng Đảng sáu tháng đầu năm."}
}

// TestMoveArticleKeepsItsHistory: an article whose address redirects to
// another (its title edited, its slug with it) moves there: the same id,
// its versions, found by either address; what is recorded at the new
// address is its next version, and a 304 there confirms it.
func TestMoveArticleKeepsItsHistory(t *testing.T) {
	ctx := context.Background()
	s, night1 := movedStore(t)
	night2 := night1.Add(24 * time.Hour)
	m, err := s.MoveArticle(ctx, movedOld, movedNew, false, night2, night2)
	if err != nil || m.ID != ArticleID(movedOld) || m.Merged {
		t.Fatalf("MoveArticle: %+v, %v; want the article at the old address moved, nothing merged", m, err)
	}
	outcome, id, err := s.RecordArticle(ctx, movedNew, movedContent("Hội nghị sơ kết 6 tháng đầu năm"), 0, night2)
	if err != nil || outcome != Changed || id != ArticleID(movedOld) {
		t.Fatalf("recorded at the new address: %v, id %s, %v; want a change of %s", outcome, id, err, ArticleID(movedOld))
	}
	for _, ref := range []string{movedOld, movedNew, ArticleID(movedOld), ArticleID(movedNew)} {
		a, err := s.Article(ctx, ref)
		if err != nil || a.ID != ArticleID(movedOld) || a.URL != movedNew || a.Versions != 2 {
			t.Fatalf("Article(%s): %+v, %v; want %s at its new address with 2 versions", ref, a, err, ArticleID(movedOld))
		}
	}
	if c, err := s.MarkUnchanged(ctx, movedNew, night2.Add(24*time.Hour)); err != nil || c.ID != ArticleID(movedOld) {
		t.Fatalf("a 304 at the new address confirmed %+v (%v)", c, err)
	}
	if ok, err := s.RecordedLive(ctx, movedNew); err != nil || !ok {
		t.Fatalf("RecordedLive(new address) = %v, %v", ok, err)
	}
	// Moving again onto an address that is already one does nothing.
	if m, err := s.MoveArticle(ctx, movedOld, movedNew, false, night2, night2); err != nil || m.ID != "" {
		t.Fatalf("moved twice: %+v, %v", m, err)
	}
	// The index has nothing to drop: no article was recorded at the new
	// address before the move.
	if st, err := s.Stats(ctx); err != nil || st.Articles != 1 {
		t.Fatalf("stats: %+v, %v", st, err)
	}
}

// TestMoveArticleMergesTonightsTwin: when a listing led to the new
// address before the old one was asked, tonight's article recorded there
// is merged into the one that moved, and the index is told to drop it;
// an article with a history of its own is never merged.
func TestMoveArticleMergesTonightsTwin(t *testing.T) {
	ctx := context.Background()
	s, night1 := movedStore(t)
	night2 := night1.Add(24 * time.Hour)
	seq, err := s.Seq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if o, _, err := s.RecordArticle(ctx, movedNew, movedContent("Hội nghị sơ kết 6 tháng đầu năm"), 0, night2.Add(time.Minute)); err != nil || o != New {
		t.Fatalf("tonight's twin: %v, %v", o, err)
	}
	// Only merges: the address of an article of another night stays it.
	if m, err := s.MoveArticle(ctx, movedOld, movedNew, true, night2.Add(2*time.Minute), night2.Add(2*time.Minute)); err != nil || m.ID != "" {
		t.Fatalf("merged an article first seen before the run: %+v, %v", m, err)
	}
	m, err := s.MoveArticle(ctx, movedOld, movedNew, true, night2, night2.Add(2*time.Minute))
	if err != nil || m.ID != ArticleID(movedOld) || !m.Merged || m.Outcome != Changed || m.Kind != KindArticle {
		t.Fatalf("MoveArticle: %+v, %v; want tonight's twin merged as a change", m, err)
	}
	a, err := s.Article(ctx, movedNew)
	if err != nil || a.ID != ArticleID(movedOld) || a.Versions != 2 || a.Title != "Hội nghị sơ kết 6 tháng đầu năm" {
		t.Fatalf("Article(new address): %+v, %v", a, err)
	}
	vs, err := s.Versions(ctx, a.ID)
	if err != nil || len(vs) != 2 || vs[0].Title != "Hội nghị sơ kết" {
		t.Fatalf("versions: %+v, %v", vs, err)
	}
	if n, err := s.queryStrings(ctx, "SELECT id FROM articles"); err != nil || len(n) != 1 {
		t.Fatalf("articles left: %v, %v", n, err)
	}
	if gone, err := s.AliasesSince(ctx, seq); err != nil || len(gone) != 1 || gone[0] != ArticleID(movedNew) {
		t.Fatalf("AliasesSince: %v, %v; want the twin's id, for the index to drop", gone, err)
	}
	// With onlyMerge and nothing recorded at the address, nothing moves.
	other := "http://danguykhoithanhhoa.org.vn/tin-tuc/tin-tuc-chung/"
	if m, err := s.MoveArticle(ctx, movedNew, other, true, night2, night2); err != nil || m.ID != "" {
		t.Fatalf("moved onto an address with no article: %+v, %v", m, err)
	}
	// A deleted article does not move.
	if _, err := s.MarkDeleted(ctx, movedNew, night2.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if m, err := s.MoveArticle(ctx, movedOld, other, false, night2, night2); err != nil || m.ID != "" {
		t.Fatalf("a tombstone moved: %+v, %v", m, err)
	}
	if _, err := s.Article(ctx, other); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Article(an address nothing moved to): %v", err)
	}
}

// TestMoveArticleRevivesTonightsTombstone: an article taken down this run
// (its old address answered 404) takes in the article recorded at its new
// address with its text: live again, the new title its next version. One
// taken down on an earlier night does not.
func TestMoveArticleRevivesTonightsTombstone(t *testing.T) {
	ctx := context.Background()
	s, night1 := movedStore(t)
	night2 := night1.Add(24 * time.Hour)
	if kind, err := s.MarkDeleted(ctx, movedOld, night2.Add(time.Minute)); err != nil || kind != KindArticle {
		t.Fatalf("MarkDeleted: %q, %v", kind, err)
	}
	if _, _, err := s.RecordArticle(ctx, movedNew, movedContent("Hội nghị sơ kết 6 tháng đầu năm"), 0, night2.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if m, err := s.MoveArticle(ctx, movedOld, movedNew, false, night2, night2.Add(3*time.Minute)); err != nil || m.ID != "" {
		t.Fatalf("a tombstone moved without merging: %+v, %v", m, err)
	}
	if m, err := s.MoveArticle(ctx, movedOld, movedNew, true, night2.Add(2*time.Minute), night2.Add(3*time.Minute)); err != nil || m.ID != "" {
		t.Fatalf("a tombstone of before the run moved: %+v, %v", m, err)
	}
	m, err := s.MoveArticle(ctx, movedOld, movedNew, true, night2, night2.Add(3*time.Minute))
	if err != nil || m.ID != ArticleID(movedOld) || !m.Merged || !m.Revived || m.Outcome != Changed {
		t.Fatalf("MoveArticle: %+v, %v; want tonight's tombstone revived with the new article merged", m, err)
	}
	a, err := s.Article(ctx, movedNew)
	if err != nil || a.ID != ArticleID(movedOld) || a.Status != StatusLive || a.Versions != 2 || !a.DeletedAt.IsZero() {
		t.Fatalf("Article(new address): %+v, %v", a, err)
	}
}

// TestMigrationFillsMovedAt: a catalog of schema 13 (before articles.moved_at)
// whose article moved is upgraded with its move's time, so that the
// revisit address and the reports of what changed read it as moved.
func TestMigrationFillsMovedAt(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	night1 := time.Date(2026, 6, 12, 19, 0, 0, 0, time.UTC)
	if _, _, err := s.RecordArticle(ctx, movedOld, movedContent("Hội nghị sơ kết"), 0, night1); err != nil {
		t.Fatal(err)
	}
	night2 := night1.Add(24 * time.Hour)
	if m, err := s.MoveArticle(ctx, movedOld, movedNew, false, night2, night2); err != nil || m.ID == "" {
		t.Fatalf("MoveArticle: %+v, %v", m, err)
	}
	// Back to schema 13, as a catalog the previous tulieu wrote.
	for _, q := range []string{"ALTER TABLE articles DROP COLUMN moved_at", "ALTER TABLE runs DROP COLUMN pages",
		"ALTER TABLE runs DROP COLUMN requisites", "ALTER TABLE runs DROP COLUMN requisite_errors",
		"DROP INDEX articles_by_published_id", "DROP INDEX articles_by_published_desc_id", "DROP INDEX captures_whole_by_url",
		"CREATE INDEX articles_by_published_url ON articles(published, url)", "PRAGMA user_version = 13"} {
		if _, err := s.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s, err = Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var movedAt string
	if err := s.DB().QueryRow("SELECT moved_at FROM articles WHERE id = ?", ArticleID(movedOld)).Scan(&movedAt); err != nil || parseTime(movedAt) != night2 {
		t.Errorf("moved_at after the upgrade: %q, %v; want %s", movedAt, err, formatTime(night2))
	}
	since := night2.Add(-time.Minute)
	arts, err := s.Articles(ctx, Filter{ChangedSince: since})
	if err != nil || len(arts) != 1 {
		t.Errorf("changed since the night before the move: %d articles, %v; want the one that moved", len(arts), err)
	}
}
