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
		rv, err := s.Revalidate(ctx, u)
		prev, isLive := rv.Prev, rv.Live
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

// TestRevalidateGivesThePageRequisites: Revalidate gives the requisites
// recorded with the page the last good capture holds (its own, for a
// response; the capture it revisits, for a 304), as RequisitesOfPage
// reads them, so that a page answering 304 need not ask for them again;
// none when none were recorded, or when an old revisit does not say
// which capture holds its page.
func TestRevalidateGivesThePageRequisites(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	add := func(c *Capture) int64 {
		t.Helper()
		c.WARCFile, c.Kind = "a.warc.gz", KindArticle
		id, err := s.AddCapture(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	const (
		withReqs    = "http://example.test/tin-tuc/co-anh-1.html"
		withoutReqs = "http://example.test/tin-tuc/khong-anh-2.html"
		oldRevisit  = "http://example.test/tin-tuc/cu-3.html"
	)
	images := []string{"http://example.test/anh/1.jpg", "http://example.test/style.css"}
	page := add(&Capture{URL: withReqs, FetchedAt: t0, Status: 200, RecordType: "response", WARCOffset: 1})
	if err := s.SetPageRequisites(ctx, page, images); err != nil {
		t.Fatal(err)
	}
	check := func(when, u string, want []string, recorded bool) {
		t.Helper()
		rv, err := s.Revalidate(ctx, u)
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if rv.RequisitesRecorded != recorded || !reflect.DeepEqual(rv.Requisites, want) {
			t.Errorf("%s: requisites %q (recorded %v), want %q (%v)", when, rv.Requisites, rv.RequisitesRecorded, want, recorded)
		}
	}
	check("the page's response", withReqs, images, true)
	add(&Capture{URL: withReqs, FetchedAt: t0.Add(24 * time.Hour), Status: 304, RecordType: "revisit", WARCOffset: 2, PayloadCaptureID: page})
	check("a 304 of it", withReqs, images, true)
	add(&Capture{URL: withoutReqs, FetchedAt: t0, Status: 200, RecordType: "response", WARCOffset: 3})
	check("a page with none recorded", withoutReqs, nil, false)
	old := add(&Capture{URL: oldRevisit, FetchedAt: t0, Status: 200, RecordType: "response", WARCOffset: 4})
	if err := s.SetPageRequisites(ctx, old, images); err != nil {
		t.Fatal(err)
	}
	add(&Capture{URL: oldRevisit, FetchedAt: t0.Add(24 * time.Hour), Status: 304, RecordType: "revisit", WARCOffset: 5})
	check("a revisit recorded before payload_capture_id", oldRevisit, nil, false)
}
