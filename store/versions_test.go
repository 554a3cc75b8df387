package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// richContent fills every field a version keeps.
func richContent(n int) Content {
	return Content{Kind: KindArticle, Title: fmt.Sprintf("Tiêu đề %d", n), Author: fmt.Sprintf("Tác giả %d - Ban Tuyên giáo", n),
		AuthorName: fmt.Sprintf("Tác giả %d", n), Source: "Báo Thanh Hóa", Breadcrumb: []string{"Tin tức", fmt.Sprintf("Mục %d", n)},
		Category: fmt.Sprintf("Mục %d", n), Published: "2026-11-0" + fmt.Sprint(n) + "T08:00:00+07:00",
		Body:        strings.Repeat(fmt.Sprintf("Đoạn văn lần %d về Đảng bộ tỉnh Thanh Hóa. ", n), 40) + "\n\nĐoạn cuối.",
		BodyHTML:    fmt.Sprintf("<p>Đoạn văn lần %d</p><p>Đoạn cuối.</p>", n),
		Images:      []Image{{Src: fmt.Sprintf("http://x/%d.jpg", n), Caption: "Ảnh " + fmt.Sprint(n)}},
		Attachments: []Attachment{{URL: fmt.Sprintf("http://x/%d.pdf", n), Text: "Tải về"}}, Lang: "vi"}
}

// versionContent is what Versions gives back for c: versions never
// recorded a language.
func versionContent(c Content) Content {
	c.Lang = ""
	return c
}

func columnBytes(t *testing.T, s *Store) (stored map[string]int, text int) {
	t.Helper()
	rows, err := s.DB().Query(`SELECT stored, COUNT(*), SUM(length(CAST(body AS BLOB)) + length(CAST(body_html AS BLOB))
		+ length(title)) FROM versions GROUP BY stored`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	stored = map[string]int{}
	for rows.Next() {
		var k string
		var n, b int
		if err := rows.Scan(&k, &n, &b); err != nil {
			t.Fatal(err)
		}
		stored[k] = n
		text += b
	}
	return stored, text
}

// The text of an article is kept once: the newest version points at the
// article's fields, and the versions a change replaces are packed. What
// Versions gives back is every field of every version as it was saved.
func TestVersionsKeepTextOnce(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	const u = "http://example.test/tin-tuc/a-1.html"
	var saved []Content
	for i := 1; i <= 3; i++ {
		c := richContent(i)
		if _, _, err := s.SaveArticle(ctx, u, c, 0, t0.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
		saved = append(saved, c)
		// The same content again adds nothing.
		if out, _, err := s.SaveArticle(ctx, u, c, 0, t0.Add(time.Duration(i)*time.Hour+time.Minute)); err != nil || out != Unchanged {
			t.Fatalf("same content: %v %v", out, err)
		}
	}
	stored, text := columnBytes(t, s)
	if stored[storedCurrent] != 1 || stored[storedZstd] != 2 || text != 0 {
		t.Fatalf("versions rows by storage %v, %d bytes of text in their columns; want 1 current, 2 packed, none", stored, text)
	}
	vs, err := s.Versions(ctx, ArticleID(u))
	if err != nil || len(vs) != 3 {
		t.Fatalf("versions: %v %d", err, len(vs))
	}
	for i, v := range vs {
		if v.Version != i+1 || !v.SeenAt.Equal(t0.Add(time.Duration(i+1)*time.Hour)) {
			t.Errorf("version %d: number %d, seen %v", i+1, v.Version, v.SeenAt)
		}
		if !reflect.DeepEqual(v.Content, versionContent(saved[i])) {
			t.Errorf("version %d:\n got %+v\nwant %+v", i+1, v.Content, versionContent(saved[i]))
		}
		if v.ContentHash != saved[i].hash() || v.SHA256 != sha256Hex(saved[i].Body) {
			t.Errorf("version %d: hashes %s %s", i+1, v.ContentHash, v.SHA256)
		}
	}
	// A deleted article keeps its versions, and one that comes back with
	// other content packs the one it had.
	if _, err := s.MarkDeleted(ctx, u, t0.Add(5*time.Hour)); err != nil {
		t.Fatal(err)
	}
	c4 := richContent(4)
	if out, _, err := s.SaveArticle(ctx, u, c4, 0, t0.Add(6*time.Hour)); err != nil || out != Changed {
		t.Fatalf("back with new content: %v %v", out, err)
	}
	vs, err = s.Versions(ctx, ArticleID(u))
	if err != nil || len(vs) != 4 || !reflect.DeepEqual(vs[2].Content, versionContent(saved[2])) ||
		!reflect.DeepEqual(vs[3].Content, versionContent(c4)) {
		t.Fatalf("after coming back: %v %+v", err, vs)
	}
	if bad, err := s.CheckVersions(ctx); err != nil || len(bad) != 0 {
		t.Fatalf("check: %v %v", bad, err)
	}
}

// A catalog written before migration 8 keeps every version's text in its
// columns. Opening it clears the newest version of each article that its
// article holds already, and every version still reads back the same.
func TestVersionsMigrationKeepsContent(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, CatalogFile))
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range migrations[:7] {
		if _, err := db.Exec(m); err != nil {
			t.Fatalf("migration %d: %v", i+1, err)
		}
	}
	if _, err := db.Exec("PRAGMA user_version = 7"); err != nil {
		t.Fatal(err)
	}
	// Two articles as schema 7 wrote them: a has two versions, b one whose
	// columns differ from its article's (left as it is).
	insertOld := func(id string, version int, c Content) {
		t.Helper()
		_, err := db.Exec(`INSERT INTO versions(article_id, version, seen_at, kind, title, author, author_name, source,
			breadcrumb, category, published, body, body_html, images, attachments, sha256, content_hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, version, formatTime(t0.Add(time.Duration(version)*time.Hour)), c.Kind, c.Title, c.Author, c.AuthorName, c.Source,
			marshalJSON(c.Breadcrumb), c.Category, c.Published, c.Body, c.BodyHTML, marshalJSON(c.Images),
			marshalJSON(c.Attachments), sha256Hex(c.Body), c.hash())
		if err != nil {
			t.Fatal(err)
		}
	}
	insertArticle := func(u string, versions int, c Content, hash string) {
		t.Helper()
		_, err := db.Exec(`INSERT INTO articles(id, url, kind, title, author, author_name, source, breadcrumb, category,
			published, body, body_html, images, attachments, lang, sha256, content_hash, first_seen, last_seen, last_changed,
			versions, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
			ArticleID(u), u, c.Kind, c.Title, c.Author, c.AuthorName, c.Source, marshalJSON(c.Breadcrumb), c.Category,
			c.Published, c.Body, c.BodyHTML, marshalJSON(c.Images), marshalJSON(c.Attachments), c.Lang, sha256Hex(c.Body), hash,
			formatTime(t0), formatTime(t0), formatTime(t0), versions)
		if err != nil {
			t.Fatal(err)
		}
	}
	const ua, ub = "http://example.test/a-1.html", "http://example.test/b-2.html"
	a1, a2, b1 := richContent(1), richContent(2), richContent(3)
	insertArticle(ua, 2, a2, a2.hash())
	insertOld(ArticleID(ua), 1, a1)
	insertOld(ArticleID(ua), 2, a2)
	bNow := richContent(4)
	insertArticle(ub, 1, bNow, bNow.hash())
	insertOld(ArticleID(ub), 1, b1)
	db.Close()

	s, err := Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if stored, _ := columnBytes(t, s); stored[storedColumns] != 2 || stored[storedCurrent] != 1 {
		t.Fatalf("after the migration: %v; want a's newest version current, the other two in columns", stored)
	}
	check := func(u string, want ...Content) {
		t.Helper()
		vs, err := s.Versions(ctx, ArticleID(u))
		if err != nil || len(vs) != len(want) {
			t.Fatalf("%s: %v, %d versions", u, err, len(vs))
		}
		for i := range want {
			if !reflect.DeepEqual(vs[i].Content, versionContent(want[i])) {
				t.Errorf("%s version %d:\n got %+v\nwant %+v", u, i+1, vs[i].Content, versionContent(want[i]))
			}
		}
	}
	check(ua, a1, a2)
	check(ub, b1)
	// A change after the migration packs the version it replaces.
	a3 := richContent(5)
	if out, _, err := s.SaveArticle(ctx, ua, a3, 0, t0.Add(9*time.Hour)); err != nil || out != Changed {
		t.Fatalf("change: %v %v", out, err)
	}
	check(ua, a1, a2, a3)
	if stored, _ := columnBytes(t, s); stored[storedZstd] != 1 || stored[storedCurrent] != 1 {
		t.Fatalf("after a change: %v", stored)
	}
}

// articleOfVersions is a new catalog with one article saved with n
// different contents (richContent(1…n)), an hour apart.
func articleOfVersions(t *testing.T, n int) (*Store, string) {
	t.Helper()
	s := openTemp(t)
	const u = "http://example.test/tin-tuc/a-1.html"
	for i := 1; i <= n; i++ {
		if _, _, err := s.SaveArticle(context.Background(), u, richContent(i), 0, t0.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	return s, u
}

// Re-extraction rewrites every version's fields: the packed ones packed
// again, the current one with its article.
func TestReextractedVersions(t *testing.T) {
	ctx := context.Background()
	s, u := articleOfVersions(t, 2)
	id := ArticleID(u)
	n1, n2 := richContent(11), richContent(12)
	// Without new current fields, the newest version's re-extraction is
	// the article's.
	changed, err := s.Reextracted(ctx, id, nil, map[int]Content{1: n1, 2: n2})
	if err != nil || !changed {
		t.Fatalf("re-extracted: %v %v", changed, err)
	}
	vs, err := s.Versions(ctx, id)
	if err != nil || len(vs) != 2 || !reflect.DeepEqual(vs[0].Content, versionContent(n1)) || !reflect.DeepEqual(vs[1].Content, versionContent(n2)) {
		t.Fatalf("versions after re-extraction: %v %+v", err, vs)
	}
	if vs[1].ContentHash != n2.hash() || vs[0].ContentHash != n1.hash() {
		t.Fatalf("hashes not rewritten: %s %s", vs[0].ContentHash, vs[1].ContentHash)
	}
	a, _ := s.Article(ctx, id)
	if a.Title != n2.Title || a.ContentHash != n2.hash() {
		t.Fatalf("article: %+v", a)
	}
	if stored, text := columnBytes(t, s); stored[storedZstd] != 1 || stored[storedCurrent] != 1 || text != 0 {
		t.Fatalf("storage after re-extraction: %v, %d bytes in columns", stored, text)
	}
}

// A packed version that cannot be read back is an error where it is read
// and a finding of CheckVersions, not a panic or an empty version.
func TestCorruptPackedVersion(t *testing.T) {
	ctx := context.Background()
	s, u := articleOfVersions(t, 2)
	if _, err := s.DB().Exec("UPDATE versions SET packed = substr(packed, 1, 10) WHERE stored = 'zstd'"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Versions(ctx, ArticleID(u)); err == nil || !strings.Contains(err.Error(), "version 1") {
		t.Fatalf("want an error naming version 1, got %v", err)
	}
	bad, err := s.CheckVersions(ctx)
	if err != nil || len(bad) != 1 || bad[0].Where != ArticleID(u)+" v1" {
		t.Fatalf("check: %v %v", bad, err)
	}
}
