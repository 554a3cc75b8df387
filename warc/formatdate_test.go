package warc

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestFormatDateIsTheLayout: the hand-written WARC-Date is what
// time.Format writes with the layout, in any zone, for dates of every
// century, leap seconds' neighbours and year ends included.
func TestFormatDateIsTheLayout(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("ICT", 7*3600), time.FixedZone("west", -9*3600-1800)}
	dates := []time.Time{
		time.Date(2026, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(2027, 1, 1, 0, 0, 0, 0, zones[1]),
		time.Date(1, 1, 1, 0, 0, 0, 1000, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-5, 3, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 2, 29, 12, 0, 0, 500, zones[2]),
		{},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		dates = append(dates, time.Unix(r.Int64N(1<<36)-1<<35, r.Int64N(1e9)).In(zones[r.IntN(len(zones))]))
	}
	for _, d := range dates {
		if got, want := formatDate(d), d.UTC().Format(warcDateLayout); got != want {
			t.Fatalf("formatDate(%v) = %q, want %q", d, got, want)
		}
	}
}
