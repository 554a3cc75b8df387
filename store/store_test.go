package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var t0 = time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)

func content(body string) Content {
	return Content{Kind: KindArticle, Title: "Hội nghị Ban Chấp hành", Author: "Lê Hà (Văn phòng Đảng ủy Khối)",
		Breadcrumb: []string{"Tin tức chung"}, Category: "Tin tức chung", Published: "2020-03-07", Body: body,
		Images: []Image{{Src: "http://x/a.jpg", Caption: "Các đại biểu"}}}
}

func TestArticleLifecycle(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	const u = "http://example.test/tin-tuc/a-1.html"
	seq0, _ := s.Seq(ctx)

	out, a, err := s.SaveArticle(ctx, u, content("Đoạn một.\n\nĐoạn hai."), 0, t0)
	if err != nil || out != New || a.Versions != 1 || a.Status != StatusLive || a.ID != ArticleID(u) {
		t.Fatalf("first save: %v %v %+v", out, err, a)
	}
	if a.Seq <= seq0 || len(a.Images) != 1 || a.Breadcrumb[0] != "Tin tức chung" {
		t.Fatalf("first save fields: %+v", a)
	}
	out, a2, err := s.SaveArticle(ctx, u, content("Đoạn một.\n\nĐoạn hai."), 0, t0.Add(time.Hour))
	if err != nil || out != Unchanged || a2.Versions != 1 || a2.Seq != a.Seq || !a2.LastSeen.Equal(t0.Add(time.Hour)) {
		t.Fatalf("same content: %v %v %+v", out, err, a2)
	}
	out, a3, err := s.SaveArticle(ctx, u, content("Đoạn một.\n\nĐoạn hai, đã sửa."), 0, t0.Add(2*time.Hour))
	if err != nil || out != Changed || a3.Versions != 2 || a3.Seq <= a2.Seq || !a3.FirstSeen.Equal(t0) {
		t.Fatalf("changed content: %v %v %+v", out, err, a3)
	}
	vs, err := s.Versions(ctx, a.ID)
	if err != nil || len(vs) != 2 || vs[0].Body != "Đoạn một.\n\nĐoạn hai." || vs[1].Version != 2 {
		t.Fatalf("versions: %v %+v", err, vs)
	}
	kind, err := s.MarkDeleted(ctx, u, t0.Add(3*time.Hour))
	if err != nil || kind != KindArticle {
		t.Fatalf("mark deleted: %q %v", kind, err)
	}
	if kind, _ := s.MarkDeleted(ctx, u, t0.Add(4*time.Hour)); kind != "" {
		t.Fatal("deleting twice must report nothing new")
	}
	a4, _ := s.Article(ctx, u)
	if a4.Status != StatusDeleted || a4.Seq <= a3.Seq || a4.Body == "" {
		t.Fatalf("tombstone must keep content: %+v", a4)
	}
	if un, _ := s.MarkUnchanged(ctx, u, t0); un.Kind != "" {
		t.Fatal("a deleted article is not 'unchanged'")
	}
	live, _ := s.LiveURLs(ctx)
	if len(live) != 0 {
		t.Fatalf("live after delete: %v", live)
	}
	// Back with the same content: live again (a change, as changes
	// --since lists it), same version count.
	out, a5, err := s.SaveArticle(ctx, u, content("Đoạn một.\n\nĐoạn hai, đã sửa."), 0, t0.Add(5*time.Hour))
	if err != nil || out != Changed || a5.Status != StatusLive || a5.Versions != 2 || a5.Seq <= a4.Seq {
		t.Fatalf("resurrected: %v %v %+v", out, err, a5)
	}
	changed, err := s.ChangedSince(ctx, a4.Seq, 10)
	if err != nil || len(changed) != 1 || changed[0].ID != a.ID {
		t.Fatalf("changed since: %v %+v", err, changed)
	}
}

func TestArticlesFilter(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	mk := func(u, cat, pub, kind string) {
		c := content("x " + u)
		c.Category, c.Published, c.Kind = cat, pub, kind
		if _, _, err := s.SaveArticle(ctx, u, c, 0, t0); err != nil {
			t.Fatal(err)
		}
	}
	mk("http://e.test/1", "Tư liệu", "2019-05-01", KindArticle)
	mk("http://e.test/2", "Tin tức chung", "2020-03-07T08:00:00+07:00", KindArticle)
	mk("http://e.test/3", "Tin tức chung", "2021-01-01", KindArticle)
	mk("http://e.test/4", "Tổng quan", "", KindPage)
	all, _ := s.Articles(ctx, Filter{})
	if len(all) != 3 || all[0].URL != "http://e.test/3" {
		t.Fatalf("all articles newest first, pages excluded: %d %v", len(all), all)
	}
	cat, _ := s.Articles(ctx, Filter{Category: "Tin tức chung", From: time.Date(2020, 3, 7, 0, 0, 0, 0, time.UTC), To: time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC)})
	if len(cat) != 1 || cat[0].URL != "http://e.test/2" {
		t.Fatalf("category + range: %v", cat)
	}
	withPages, _ := s.Articles(ctx, Filter{Kinds: []string{KindArticle, KindPage}})
	if len(withPages) != 4 {
		t.Fatalf("with pages: %d", len(withPages))
	}
	ids, _ := s.Articles(ctx, Filter{IDs: []string{ArticleID("http://e.test/1"), ArticleID("http://e.test/3")}})
	if len(ids) != 2 || ids[0].URL != "http://e.test/1" {
		t.Fatalf("ids keep their order: %v", ids)
	}
	st, err := s.Stats(ctx)
	if err != nil || st.Articles != 3 || st.Pages != 1 || st.Categories["Tin tức chung"] != 2 {
		t.Fatalf("stats: %v %+v", err, st)
	}
}

func TestRunsAndCaptures(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	id, err := s.StartRun(ctx, []string{"http://e.test/"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	c := &Capture{RunID: id, URL: "http://e.test/a", FetchedAt: t0, Status: 200, ETag: `"v1"`, WARCFile: "f.warc.gz", WARCOffset: 10, Kind: KindArticle}
	if _, err := s.AddCapture(ctx, c); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddCapture(ctx, &Capture{RunID: id, URL: "http://e.test/a", FetchedAt: t0.Add(time.Second), Error: "connection reset"}); err != nil {
		t.Fatal(err)
	}
	last, err := s.LastGoodCapture(ctx, "http://e.test/a")
	if err != nil || last.ETag != `"v1"` || last.Kind != KindArticle {
		t.Fatalf("last good capture skips failures: %v %+v", err, last)
	}
	if _, err := s.LastGoodCapture(ctx, "http://e.test/none"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("want ErrNotFound, got %v", err)
	}
	// A second run finds the first still "running" (a crash): it is marked interrupted.
	id2, _ := s.StartRun(ctx, nil, t0.Add(time.Hour))
	if err := s.FinishRun(ctx, id2, RunCompleted, "", Counts{Fetched: 5, New: 2}, t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	runs, _ := s.Runs(ctx, 10)
	if len(runs) != 2 || runs[0].Status != RunCompleted || runs[0].New != 2 || runs[1].Status != RunInterrupted {
		t.Fatalf("runs: %+v", runs)
	}
}

func TestReopenKeepsDataAndSchema(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.SaveArticle(ctx, "http://e.test/1", content("x"), 0, t0)
	s.Close()
	s, err = Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v, _ := s.SchemaVersion(ctx)
	if v != len(migrations) {
		t.Fatalf("schema version %d", v)
	}
	if _, err := s.Article(ctx, "http://e.test/1"); err != nil {
		t.Fatal(err)
	}
}

func TestUnreadableCatalog(t *testing.T) {
	dir := t.TempDir()
	garbage := []byte(strings.Repeat("not a database ", 1000))
	if err := os.WriteFile(filepath.Join(dir, CatalogFile), garbage, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), dir, nil)
	if err == nil || !strings.Contains(err.Error(), CatalogFile) {
		t.Fatalf("want a clear error naming the catalog, got %v", err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, CatalogFile))
	if string(b) != string(garbage) {
		t.Fatal("opening a bad catalog must not change it")
	}
}

func TestLockCrawl(t *testing.T) {
	dir := t.TempDir()
	unlock, err := LockCrawl(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = LockCrawl(dir)
	var le *LockError
	if !errors.Is(err, ErrLocked) || !errors.As(err, &le) || le.PID != os.Getpid() {
		t.Fatalf("second lock: %v", err)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	// A lock file left by a dead process (kill -9) holds no flock: taking
	// it again works.
	os.WriteFile(filepath.Join(dir, lockFile), []byte("999999\n"), 0o644)
	unlock, err = LockCrawl(dir)
	if err != nil {
		t.Fatalf("stale lock file must not block: %v", err)
	}
	unlock()
}

func TestPayloadCaptureFollowsRevisits(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	first := &Capture{URL: "http://e.test/a", FetchedAt: t0, Status: 200, PayloadDigest: "sha1:AAA", RecordType: "response", WARCFile: "f1.warc.gz", WARCOffset: 100}
	other := &Capture{URL: "http://e.test/a", FetchedAt: t0.Add(time.Hour), Status: 200, PayloadDigest: "sha1:BBB", RecordType: "response", WARCFile: "f2.warc.gz", WARCOffset: 200}
	again := &Capture{URL: "http://e.test/a", FetchedAt: t0.Add(2 * time.Hour), Status: 200, PayloadDigest: "sha1:AAA", RecordType: "revisit", WARCFile: "f3.warc.gz", WARCOffset: 300}
	for _, c := range []*Capture{first, other, again} {
		if _, err := s.AddCapture(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.PayloadCapture(ctx, again.ID)
	if err != nil || got.ID != first.ID {
		t.Fatalf("revisit of AAA resolves to %+v, %v; want capture %d", got, err, first.ID)
	}
	if got, _ := s.PayloadCapture(ctx, other.ID); got.ID != other.ID {
		t.Fatalf("a response resolves to itself, got %d", got.ID)
	}
	orphan := &Capture{URL: "http://e.test/b", FetchedAt: t0, Status: 304, PayloadDigest: "sha1:CCC", RecordType: "revisit", WARCFile: "f3.warc.gz"}
	s.AddCapture(ctx, orphan)
	if _, err := s.PayloadCapture(ctx, orphan.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("orphan revisit: %v", err)
	}
}

func TestResumableOnlyForTheSameSites(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	if _, ok, _ := s.Resumable(ctx, []string{"http://a/"}); ok {
		t.Fatal("nothing to resume in an empty catalog")
	}
	id, _ := s.StartRun(ctx, []string{"http://b/", "http://a/"}, t0) // left "running": the process died
	if got, ok, _ := s.Resumable(ctx, []string{"http://a/", "http://b/"}); !ok || got != id {
		t.Fatalf("same sites in another order: %d %v", got, ok)
	}
	if _, ok, _ := s.Resumable(ctx, []string{"http://a/"}); ok {
		t.Fatal("a crawl of other sites must not continue this one")
	}
	s.FinishRun(ctx, id, RunCompleted, "", Counts{}, t0)
	if _, ok, _ := s.Resumable(ctx, []string{"http://a/", "http://b/"}); ok {
		t.Fatal("a completed run is not continued")
	}
}

func TestReclassify(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	_, a, _ := s.SaveArticle(ctx, "http://e.test/tin-tuc?page=3", content("x"), 0, t0)
	if ok, err := s.Reclassify(ctx, "http://e.test/tin-tuc?page=3", "listing"); !ok || err != nil {
		t.Fatalf("reclassify: %v %v", ok, err)
	}
	b, _ := s.Article(ctx, a.ID)
	if b.Kind != "listing" || b.Seq <= a.Seq || b.Versions != 1 {
		t.Fatalf("after: %+v", b)
	}
	if arts, _ := s.Articles(ctx, Filter{Kinds: []string{KindArticle, KindPage}}); len(arts) != 0 {
		t.Fatalf("a listing is exported: %v", arts)
	}
	if ok, _ := s.Reclassify(ctx, "http://e.test/tin-tuc?page=3", "listing"); ok {
		t.Fatal("twice")
	}
	if ok, _ := s.Reclassify(ctx, "http://e.test/none", "listing"); ok {
		t.Fatal("unknown URL")
	}
}

// TestMarkReturnsKind: a 304 and a 404 tell the crawl what kind of item
// they were about, so that its summary counts articles and static pages
// apart.
func TestMarkReturnsKind(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for u, kind := range map[string]string{"http://x.vn/a.html": KindArticle, "http://x.vn/tong-quan/1": KindPage} {
		if _, _, err := s.SaveArticle(ctx, u, Content{Kind: kind, Title: "T", Body: "B"}, 0, at); err != nil {
			t.Fatal(err)
		}
		if got, err := s.MarkUnchanged(ctx, u, at.Add(time.Hour)); err != nil || got.Kind != kind || got.Attaches {
			t.Errorf("MarkUnchanged(%s) = %+v, %v; want %q, no attachments", u, got, err, kind)
		}
		if got, err := s.MarkDeleted(ctx, u, at.Add(2*time.Hour)); err != nil || got != kind {
			t.Errorf("MarkDeleted(%s) = %q, %v; want %q", u, got, err, kind)
		}
	}
	if got, err := s.MarkUnchanged(ctx, "http://x.vn/none", at); err != nil || got.ID != "" {
		t.Errorf("MarkUnchanged of an unknown URL = %+v, %v", got, err)
	}
	runID, _ := s.StartRun(ctx, []string{"http://x.vn/"}, at)
	c := Counts{New: 3, PagesNew: 2, PagesChanged: 1, PagesUnchanged: 4, PagesDeleted: 5}
	if err := s.FinishRun(ctx, runID, RunCompleted, "", c, at); err != nil {
		t.Fatal(err)
	}
	if runs, err := s.Runs(ctx, 1); err != nil || runs[0].Counts != c {
		t.Errorf("the run's counts read back: %+v, %v", runs, err)
	}
}

// TestOpenPathWithURIChars: a data directory whose name holds characters
// a file: URI reads ("#", "?", "%41") opens its own catalog, not another
// file cut from its name.
func TestOpenPathWithURIChars(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"Sao lưu #2", "bản?sao", "bk%41"} {
		dir := filepath.Join(t.TempDir(), name)
		s, err := Open(ctx, dir, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, _, err := s.SaveArticle(ctx, "http://x.vn/a-1.html", Content{Kind: KindArticle, Title: "Bài", Body: "Nội dung."}, 0, t0); err != nil {
			t.Fatal(err)
		}
		s.Close()
		if _, err := os.Stat(filepath.Join(dir, CatalogFile)); err != nil {
			t.Errorf("%s: the catalog is not in the directory: %v", name, err)
		}
		s, err = Open(ctx, dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		if arts, err := s.Articles(ctx, Filter{}); err != nil || len(arts) != 1 {
			t.Errorf("%s: reopened, %d articles (%v), want 1", name, len(arts), err)
		}
		s.Close()
	}
}

// TestFilterDaysInVietnamTime: the date filter reads the day the page
// shows, in Vietnam time (as the search index does): a time given in UTC
// at 20:00 on 31/12/2019 is 1 January 2020 there; a date, or a time with
// no zone, is taken as written.
func TestFilterDaysInVietnamTime(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	for u, pub := range map[string]string{
		"http://e.test/utc":    "2019-12-31T20:00:00Z",
		"http://e.test/vn":     "2019-12-31T20:00:00+07:00",
		"http://e.test/west":   "2019-12-31T12:30:00-05:00",
		"http://e.test/day":    "2020-01-01",
		"http://e.test/nozone": "2019-12-31T23:30:00",
		"http://e.test/frac":   "2019-12-31T17:30:00.250Z",
	} {
		c := content("x " + u)
		c.Published = pub
		if _, _, err := s.SaveArticle(ctx, u, c, 0, t0); err != nil {
			t.Fatal(err)
		}
	}
	day := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	got, err := s.Articles(ctx, Filter{From: day, To: day})
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, a := range got {
		urls = append(urls, a.URL)
	}
	slices.Sort(urls)
	want := []string{"http://e.test/day", "http://e.test/frac", "http://e.test/utc", "http://e.test/west"}
	if !slices.Equal(urls, want) {
		t.Errorf("on 01/01/2020 in Vietnam time: %v, want %v", urls, want)
	}
}
