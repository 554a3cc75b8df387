package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A revisit written before migration 10 has no payload_capture_id: its
// payload is found by URL and digest (payloadOf). When that payload's
// record is damaged, LastGoodCapture must pass over the revisit as it does
// over one that names its payload, or the next crawl revalidates it (304)
// and the page is never fetched whole again. sqlLastGoodCapture's NOT
// EXISTS joins on c.payload_capture_id only, which is NULL here.
func TestLastGoodCaptureLegacyRevisitOfDamage(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	const u = "http://example.test/tin-tuc/a-1.html"
	resp := &Capture{URL: u, FetchedAt: t0, Status: 200, RecordType: "response", WARCFile: "f.warc.gz", WARCOffset: 0,
		WARCLength: 10, PayloadDigest: "sha1:AAAA", ETag: `"a"`}
	if _, err := s.AddCapture(ctx, resp); err != nil {
		t.Fatal(err)
	}
	// A 304 recorded by an older tulieu: no payload_capture_id.
	legacy := &Capture{URL: u, FetchedAt: t0.Add(24 * time.Hour), Status: 304, RecordType: "revisit", WARCFile: "f.warc.gz",
		WARCOffset: 100, WARCLength: 10, PayloadDigest: "sha1:AAAA", ETag: `"a"`}
	if _, err := s.AddCapture(ctx, legacy); err != nil {
		t.Fatal(err)
	}
	if p, err := s.PayloadCapture(ctx, legacy.ID); err != nil || p.ID != resp.ID {
		t.Fatalf("the legacy revisit's payload: %+v %v, want capture %d", p, err, resp.ID)
	}
	if err := s.MarkDamaged(ctx, "f.warc.gz", 0, "gzip: invalid checksum", t0); err != nil {
		t.Fatal(err)
	}
	c, err := s.LastGoodCapture(ctx, u)
	if err == nil {
		t.Errorf("the only response is damaged, yet LastGoodCapture gives capture %d (%s, payload_capture_id %d): "+
			"the crawl revalidates a copy nobody can read", c.ID, c.RecordType, c.PayloadCaptureID)
	} else if !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
}

// A page whose article was deleted comes back with the same content,
// fetched whole because its capture's record is damaged: the revival
// (sqlRevive) keeps the damaged capture_id, where sqlTouch would have moved
// it. The next night's LastGoodCapture then finds the new, whole capture,
// asks "changed since?", gets a 304 (MarkUnchanged), and the article
// points at the unreadable copy for good (and RevisitHistories says
// Damaged every night).
func TestRevivedArticleLeavesDamagedCapture(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	const u = "http://example.test/tin-tuc/a-2.html"
	capture := func(at time.Time, off int64) int64 {
		c := &Capture{URL: u, FetchedAt: at, Status: 200, RecordType: "response", WARCFile: "f.warc.gz", WARCOffset: off, WARCLength: 10}
		id, err := s.AddCapture(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	c := Content{Kind: KindArticle, Title: "Tin", Body: "Đoạn một.\n\nĐoạn hai."}
	first := capture(t0, 0)
	if _, _, err := s.RecordArticle(ctx, u, c, first, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MarkDeleted(ctx, u, t0.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkDamaged(ctx, "f.warc.gz", 0, "gzip: invalid checksum", t0.Add(25*time.Hour)); err != nil {
		t.Fatal(err)
	}
	again := capture(t0.Add(48*time.Hour), 100)
	if _, _, err := s.RecordArticle(ctx, u, c, again, t0.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	a, err := s.Article(ctx, ArticleID(u))
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != StatusLive {
		t.Fatalf("status %s, want live", a.Status)
	}
	if a.CaptureID != again {
		t.Errorf("revived article fetched whole again keeps capture %d, whose record is damaged; want the whole capture %d", a.CaptureID, again)
	}
}
