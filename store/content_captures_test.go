package store

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestContentCapturesThroughTheirIndex: the queries that find the article
// whose content came from an address (MarkUnchanged's read and update,
// RecordedLive, ReadFrom) list that address's captures through the index
// of the captures that brought the page whole (migration 17), not through
// every capture of the address: one 304 more each night made the
// night's update of last_seen slower (45 µs a page at 2 nights, 71 µs at
// 80). The index is partial, and SQLite takes it only when the query
// says its condition in the same words.
func TestContentCapturesThroughTheirIndex(t *testing.T) {
	s := openTemp(t)
	for name, q := range map[string]string{"sqlConfirmed": sqlConfirmed, "sqlMarkUnchanged": sqlMarkUnchanged,
		"sqlRecordedLive": sqlRecordedLive, "sqlReadFrom": sqlReadFrom} {
		plan := queryPlan(t, s, name, q)
		text := strings.Join(plan, "\n")
		if !strings.Contains(text, "captures_whole_by_url") || strings.Contains(text, "captures_by_url") {
			t.Errorf("%s lists the address's captures otherwise:\n%s", name, text)
		}
	}
}

// TestPrintVersionConfirmedAfterManyNights: an article read from its print
// version is found from that address after nights of 304s there (captures
// the index leaves out), and the night's sight is recorded.
func TestPrintVersionConfirmedAfterManyNights(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	const (
		print    = "http://example.test/in/bai-5.html"
		printsOf = "http://example.test/tin-tuc/bai-5.html"
	)
	first, err := s.AddCapture(ctx, &Capture{URL: print, FetchedAt: t0, Status: 200, RecordType: "response", WARCFile: "a.warc.gz", ETag: `"5"`})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.RecordArticle(ctx, printsOf, content("Bản in"), first, t0); err != nil {
		t.Fatal(err)
	}
	var night time.Time
	for n := 1; n <= 30; n++ {
		night = t0.Add(time.Duration(n) * 24 * time.Hour)
		if _, err := s.AddCapture(ctx, &Capture{URL: print, FetchedAt: night, Status: 304, RecordType: "revisit", WARCFile: "a.warc.gz",
			WARCOffset: int64(n), ETag: `"5"`, Kind: KindArticle, PayloadCaptureID: first}); err != nil {
			t.Fatal(err)
		}
		u, err := s.MarkUnchanged(ctx, print, night)
		if err != nil || u.ID != ArticleID(printsOf) {
			t.Fatalf("night %d: MarkUnchanged(print version) = %+v, %v; want the article", n, u, err)
		}
	}
	if live, err := s.RecordedLive(ctx, print); err != nil || !live {
		t.Errorf("RecordedLive(print version) = %v, %v", live, err)
	}
	if own, err := s.ReadFrom(ctx, print); err != nil || own != printsOf {
		t.Errorf("ReadFrom(print version) = %q, %v", own, err)
	}
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	a, err := s.Article(ctx, ArticleID(printsOf))
	if err != nil || !a.LastSeen.Equal(night) {
		t.Errorf("last seen %s (%v), want the last night %s", a.LastSeen, err, night)
	}
}
