package store

import (
	"context"
	"testing"
	"time"
)

// A capture whose record is damaged, or a revisit whose payload's record
// is, is not what a re-crawl revalidates: LastGoodCapture passes over it
// to an older whole one, or finds none. Marking is idempotent and undone
// by UnmarkDamaged.
func TestLastGoodCapturePassesOverDamage(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	const u = "http://example.test/tin-tuc/a-1.html"
	add := func(at time.Time, typ string, off int64, payload int64) *Capture {
		c := &Capture{URL: u, FetchedAt: at, Status: 200, RecordType: typ, WARCFile: "f.warc.gz", WARCOffset: off, WARCLength: 10,
			ETag: typ + "-" + at.Format("15"), PayloadCaptureID: payload}
		if _, err := s.AddCapture(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	older := add(t0, "response", 0, 0)
	newer := add(t0.Add(time.Hour), "response", 100, 0)
	revisit := add(t0.Add(2*time.Hour), "revisit", 200, newer.ID)
	last := func() int64 {
		t.Helper()
		c, err := s.LastGoodCapture(ctx, u)
		if err == ErrNotFound {
			return 0
		}
		if err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	if got := last(); got != revisit.ID {
		t.Fatalf("before any damage: capture %d, want the revisit %d", got, revisit.ID)
	}
	// The newer response is damaged: its revisit goes with it.
	for range 2 {
		if err := s.MarkDamaged(ctx, "f.warc.gz", 100, "gzip: invalid checksum", t0); err != nil {
			t.Fatal(err)
		}
	}
	if got := last(); got != older.ID {
		t.Errorf("the newer response damaged: capture %d, want the older response %d", got, older.ID)
	}
	if err := s.MarkDamaged(ctx, "f.warc.gz", 0, "block: wrong digest", t0); err != nil {
		t.Fatal(err)
	}
	if got := last(); got != 0 {
		t.Errorf("every response damaged: capture %d, want none (the page is fetched whole)", got)
	}
	marks, err := s.DamagedRecords(ctx)
	if err != nil || len(marks) != 2 || marks[0].WARCOffset != 0 || marks[1].Reason != "gzip: invalid checksum" {
		t.Errorf("damaged records: %+v %v", marks, err)
	}
	if err := s.UnmarkDamaged(ctx, "f.warc.gz", 100); err != nil {
		t.Fatal(err)
	}
	if got := last(); got != revisit.ID {
		t.Errorf("the newer response restored: capture %d, want the revisit %d", got, revisit.ID)
	}
}
