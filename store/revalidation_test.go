package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"
)

// TestRevalidationIsLastGoodCaptureAndRecordedLive: the one query a crawl
// asks before fetching a page again answers what the two it replaced
// answer, for a URL never fetched, one fetched but never recorded (a
// crawl killed in between), a live article, one taken down, and an
// address whose capture holds another address's article (a print
// version).
func TestRevalidationIsLastGoodCaptureAndRecordedLive(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	const (
		never    = "http://example.test/never.html"
		orphan   = "http://example.test/killed-before-record-1.html"
		live     = "http://example.test/tin-tuc/bai-song-2.html"
		gone     = "http://example.test/tin-tuc/bai-da-go-3.html"
		print    = "http://example.test/in/bai-4.html"
		printsOf = "http://example.test/tin-tuc/bai-4.html"
	)
	capture := func(u string, at time.Time) int64 {
		t.Helper()
		id, err := s.AddCapture(ctx, &Capture{URL: u, FetchedAt: at, Status: 200, RecordType: "response",
			WARCFile: "a.warc.gz", WARCOffset: at.Unix(), ETag: `"` + u + `"`})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetCaptureKind(ctx, id, KindArticle); err != nil {
			t.Fatal(err)
		}
		return id
	}
	capture(orphan, t0)
	for _, u := range []string{live, gone} {
		id := capture(u, t0)
		if _, _, err := s.RecordArticle(ctx, u, content("Bài "+u), id, t0); err != nil {
			t.Fatal(err)
		}
		capture(u, t0.Add(time.Hour)) // the newest capture is the one to revalidate
	}
	if _, err := s.MarkDeleted(ctx, gone, t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	id := capture(print, t0)
	if _, _, err := s.RecordArticle(ctx, printsOf, content("Bản in"), id, t0); err != nil {
		t.Fatal(err)
	}
	lives := 0
	for _, u := range []string{never, orphan, live, gone, print, printsOf} {
		prev, isLive, err := s.Revalidation(ctx, u)
		wantPrev, wantErr := s.LastGoodCapture(ctx, u)
		wantLive, lerr := s.RecordedLive(ctx, u)
		if lerr != nil {
			t.Fatal(lerr)
		}
		if wantErr != nil {
			if !errors.Is(err, wantErr) || prev != nil || isLive {
				t.Errorf("%s: Revalidation %v, %v, %v; LastGoodCapture %v", u, prev, isLive, err, wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(prev, wantPrev) || isLive != wantLive {
			t.Errorf("%s: Revalidation %+v live %v (%v); want %+v live %v", u, prev, isLive, err, wantPrev, wantLive)
		}
		if isLive {
			lives++
		}
	}
	if lives != 2 {
		t.Errorf("%d of the URLs are live, want 2 (the live article, the print version's address); the cases test nothing", lives)
	}
}
