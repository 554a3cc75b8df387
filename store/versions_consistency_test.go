package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestVersionsWhileSavingInAnotherProcess reads an article's versions
// while another Store on the same catalog (another process: serve, show or
// export while a crawl runs, as WAL mode allows) saves changes to it:
// every version must read back with its own content. Versions once read
// the version rows and the article's row (which the newest version points
// at) in two statements, and a change committed between them gave that
// version the text of the one replacing it.
func TestVersionsWhileSavingInAnotherProcess(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	writer, err := Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	reader, err := Open(ctx, dir, nil) // another process: tulieu serve / show / export while a crawl runs
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	readVersionsWhileSaving(t, writer, reader, "http://example.test/tin-tuc/race.html", true)
}

// TestVersionsWhileSaving is the same within one Store, which is safe for
// concurrent use (serve --recrawl-every crawls in the serving process).
func TestVersionsWhileSaving(t *testing.T) {
	s := openTemp(t)
	readVersionsWhileSaving(t, s, s, "http://example.test/tin-tuc/race1.html", false)
}

// readVersionsWhileSaving saves changes to the article at u through writer
// for a second while it reads its versions through reader, and fails if a
// version reads back with content other than its own. With busyOK, a read
// refused while the other connection writes is passed over.
func readVersionsWhileSaving(t *testing.T, writer, reader *Store, u string, busyOK bool) {
	t.Helper()
	ctx := context.Background()
	if _, _, err := writer.SaveArticle(ctx, u, richContent(1), 0, t0); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 2; !stop.Load() && i < 4000; i++ {
			if _, _, err := writer.SaveArticle(ctx, u, richContent(i%9+1), 0, t0.Add(time.Duration(i)*time.Minute)); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	defer func() { stop.Store(true); wg.Wait() }()
	deadline := time.Now().Add(time.Second)
	for n := 0; time.Now().Before(deadline); n++ {
		vs, err := reader.Versions(ctx, ArticleID(u))
		if err != nil && busyOK {
			continue // busy: not what this test is about
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			if v.Content.hash() != v.ContentHash {
				t.Fatalf("after %d reads: version %d of %d read back with other content: title %q, its row's hash %s, its content's %s",
					n, v.Version, len(vs), v.Title, v.ContentHash[:8], v.Content.hash()[:8])
			}
		}
	}
}

// TestReclassifyKeepsVersionKind: Reclassify changes the article's kind,
// not its content; its versions keep the kind they were seen with, the
// newest one (which reads the article's fields) included, and so does that
// version once a change packs it.
func TestReclassifyKeepsVersionKind(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	const u = "http://example.test/tin-tuc/r.html"
	c1 := richContent(1)
	if _, _, err := s.SaveArticle(ctx, u, c1, 0, t0); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Reclassify(ctx, u, "listing"); err != nil || !ok {
		t.Fatal(ok, err)
	}
	vs, err := s.Versions(ctx, ArticleID(u))
	if err != nil {
		t.Fatal(err)
	}
	if vs[0].Kind != c1.Kind {
		t.Errorf("version 1 saved as kind %q reads back as %q (its hash %s no longer matches its content)", c1.Kind, vs[0].Kind,
			vs[0].ContentHash[:8])
	}
	// Seen again as an article with new content: version 1 is packed
	// with the article's reclassified kind, for good.
	if out, _, err := s.SaveArticle(ctx, u, richContent(2), 0, t0.Add(time.Hour)); err != nil || out != Changed {
		t.Fatal(out, err)
	}
	vs, err = s.Versions(ctx, ArticleID(u))
	if err != nil || len(vs) != 2 {
		t.Fatal(err, len(vs))
	}
	if vs[0].Kind != c1.Kind {
		t.Errorf("after a change, packed version 1 holds kind %q", vs[0].Kind)
	}
}

// TestMigration8KeepsReclassifiedVersionKind: migration 8 clears the
// newest version's columns when its article holds the same fields; for an
// article reclassified before it (kind changed, content hash not), it
// keeps them, and so the version's own kind.
func TestMigration8KeepsReclassifiedVersionKind(t *testing.T) {
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
	db.Close()
	// Schema 7 as the code of d6ce1c7 wrote it: save, then reclassify.
	const u = "http://example.test/r.html"
	c := richContent(1)
	{
		db, _ := sql.Open("sqlite", "file:"+filepath.Join(dir, CatalogFile))
		_, err := db.Exec(`INSERT INTO articles(id, url, kind, title, author, author_name, source, breadcrumb, category,
			published, body, body_html, images, attachments, lang, sha256, content_hash, first_seen, last_seen, last_changed,
			versions, seq) VALUES (?, ?, 'listing', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1)`,
			ArticleID(u), u, c.Title, c.Author, c.AuthorName, c.Source, marshalJSON(c.Breadcrumb), c.Category,
			c.Published, c.Body, c.BodyHTML, marshalJSON(c.Images), marshalJSON(c.Attachments), c.Lang, sha256Hex(c.Body), c.hash(),
			formatTime(t0), formatTime(t0), formatTime(t0))
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.Exec(`INSERT INTO versions(article_id, version, seen_at, kind, title, author, author_name, source,
			breadcrumb, category, published, body, body_html, images, attachments, sha256, content_hash)
			VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			ArticleID(u), formatTime(t0), c.Kind, c.Title, c.Author, c.AuthorName, c.Source,
			marshalJSON(c.Breadcrumb), c.Category, c.Published, c.Body, c.BodyHTML, marshalJSON(c.Images),
			marshalJSON(c.Attachments), sha256Hex(c.Body), c.hash())
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	s, err := Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	vs, err := s.Versions(ctx, ArticleID(u))
	if err != nil || len(vs) != 1 {
		t.Fatal(err, len(vs))
	}
	var k string
	s.DB().QueryRow("SELECT kind FROM versions WHERE article_id = ?", ArticleID(u)).Scan(&k)
	if vs[0].Kind != c.Kind {
		t.Errorf("version 1 held kind %q before migration 8; after it reads %q (column now %q)", c.Kind, vs[0].Kind, k)
	}
}

// TestSeenAgainAfterReclassify: a page reclassified (say, as a listing)
// and then seen again as the article it was, with the same content, is an
// article again (a change: its last_changed moves), and the index hears of
// it; no version is added.
func TestSeenAgainAfterReclassify(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	const u = "http://example.test/tin-tuc/lai.html"
	c := richContent(1)
	if _, _, err := s.SaveArticle(ctx, u, c, 0, t0); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Reclassify(ctx, u, "listing"); err != nil || !ok {
		t.Fatal(ok, err)
	}
	before, err := s.Article(ctx, u)
	if err != nil || before.Kind != "listing" {
		t.Fatal(before, err)
	}
	out, a, err := s.SaveArticle(ctx, u, c, 0, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if out != Changed || a.Kind != c.Kind || a.Versions != 1 || a.Seq <= before.Seq {
		t.Errorf("seen again: outcome %v, kind %q, %d versions, seq %d (was %d); want changed, %q, 1, a later seq",
			out, a.Kind, a.Versions, a.Seq, before.Seq, c.Kind)
	}
	vs, err := s.Versions(ctx, ArticleID(u))
	if err != nil || len(vs) != 1 || vs[0].Kind != c.Kind || vs[0].Content.hash() != vs[0].ContentHash {
		t.Errorf("versions after: %d, %v", len(vs), err)
	}
}
