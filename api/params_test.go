package api

import (
	"testing"
	"time"
)

// TestParseDayAsPhonesTypeIt: the date boxes open a number pad, which has
// no slash; a day typed on one is the same day.
func TestParseDayAsPhonesTypeIt(t *testing.T) {
	want := time.Date(2020, 2, 28, 0, 0, 0, 0, time.UTC)
	for _, s := range []string{"2020-02-28", "28/02/2020", "28/2/2020", "28.02.2020", "28.2.2020", "28022020", " 28022020 "} {
		if got, err := ParseDay(s); err != nil || !got.Equal(want) {
			t.Errorf("ParseDay(%q) = %v, %v", s, got, err)
		}
	}
	// (20100315 read as 20/10/0315: a compact 2010-03-15, refused as
	// 20200228 is, not taken for a day of the fourth century.)
	for _, s := range []string{"31022020", "31.02.2020", "20200228", "20100315", "2802202", "28-02-2020", "28..02.2020"} {
		if got, err := ParseDay(s); err == nil {
			t.Errorf("ParseDay(%q) = %v, want an error", s, got)
		}
	}
}
