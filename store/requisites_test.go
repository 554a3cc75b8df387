package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestCaptureNear(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t) // a real SQLite file in a temporary data directory
	const u = "http://cdn.example.test/anh/hoi-nghi.jpg"
	add := func(c Capture) *Capture {
		t.Helper()
		if c.URL == "" {
			c.URL = u
		}
		c.Kind = KindRequisite
		if _, err := s.AddCapture(ctx, &c); err != nil {
			t.Fatal(err)
		}
		return &c
	}
	first := add(Capture{FetchedAt: t0, Status: 200, RecordType: "response", WARCFile: "a.warc.gz", WARCOffset: 100, PayloadDigest: "sha1:AAA"})
	add(Capture{FetchedAt: t0.Add(time.Hour), Error: "connection reset"})                                      // no response
	add(Capture{FetchedAt: t0.Add(2 * time.Hour), Status: 404, RecordType: "response", WARCFile: "b.warc.gz"}) // no payload worth showing
	revisit := add(Capture{FetchedAt: t0.Add(3 * time.Hour), Status: 304, RecordType: "revisit", WARCFile: "c.warc.gz", PayloadDigest: "sha1:AAA"})
	add(Capture{FetchedAt: t0.Add(4 * time.Hour), Status: 301, RecordType: "response", WARCFile: "d.warc.gz"})                     // a redirect
	add(Capture{URL: u + "?v=2", FetchedAt: t0.Add(30 * time.Minute), Status: 200, RecordType: "response", WARCFile: "e.warc.gz"}) // another URL

	for _, tc := range []struct {
		name string
		at   time.Time
		want int64
	}{
		{"zero time: the latest", time.Time{}, revisit.ID},
		{"between: the one before", t0.Add(2 * time.Hour), first.ID},
		{"exactly at a capture", t0.Add(3 * time.Hour), revisit.ID},
		{"exactly at the first", t0, first.ID},
		{"before every capture: the earliest after", t0.Add(-24 * time.Hour), first.ID},
		{"after every capture: the latest before", t0.Add(24 * time.Hour), revisit.ID},
		{"in another time zone", t0.Add(90 * time.Minute).In(time.FixedZone("ICT", 7*3600)), first.ID},
	} {
		c, err := s.CaptureNear(ctx, u, tc.at)
		if err != nil || c.ID != tc.want {
			t.Errorf("%s: %v %+v, want capture %d", tc.name, err, c, tc.want)
		}
	}
	// The revisit leads to the record that holds the bytes.
	if p, err := s.PayloadCapture(ctx, revisit.ID); err != nil || p.ID != first.ID {
		t.Errorf("payload of the revisit: %v %+v", err, p)
	}
	if _, err := s.CaptureNear(ctx, "http://cdn.example.test/none.jpg", time.Time{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown URL: want ErrNotFound, got %v", err)
	}
	add(Capture{URL: "http://cdn.example.test/broken.jpg", FetchedAt: t0, Status: 404, RecordType: "response", WARCFile: "f.warc.gz"})
	if _, err := s.CaptureNear(ctx, "http://cdn.example.test/broken.jpg", t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("only a 404: want ErrNotFound, got %v", err)
	}
}
