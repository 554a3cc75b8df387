package api

import (
	"testing"
	"time"
)

// TestParseSinceTakesTheDaysTheSearchTakes: `changes --since 28/02/2020`
// and `export --changed-since 28/02/2020` were refused ("want YYYY-MM-DD")
// while `search --from 28/02/2020` took the same day; every form ParseDay
// reads is now that day's midnight in Vietnam.
func TestParseSinceTakesTheDaysTheSearchTakes(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	want := time.Date(2020, 2, 27, 17, 0, 0, 0, time.UTC) // 28/02/2020 00:00 +07:00
	for _, v := range []string{"2020-02-28", "28/02/2020", "28/2/2020", "28.02.2020", "28022020", " 28/02/2020 "} {
		got, err := ParseSince(v, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseSince(%q) = %v, %v; want %v", v, got, err, want)
		}
	}
	for _, v := range []string{"31/02/2020", "28/02", "yesterday", "-7d"} {
		if got, err := ParseSince(v, now); err == nil {
			t.Errorf("ParseSince(%q) = %v, want an error", v, got)
		}
	}
	if got, err := ParseSince("7d", now); err != nil || !got.Equal(now.AddDate(0, 0, -7)) {
		t.Errorf("ParseSince(7d) = %v, %v", got, err)
	}
}

// TestReadableTimeIsVietnamTime: the CLI's text printed capture times in
// UTC ("2026-12-07T22:16:18Z") beside articles' dates in +07:00; it now
// shows them in Vietnam's time, and leaves a value it cannot read alone.
func TestReadableTimeIsVietnamTime(t *testing.T) {
	for in, want := range map[string]string{
		"2026-12-07T22:16:18Z":      "2026-12-08 05:16:18 +07:00",
		"2026-12-08T05:16:18+07:00": "2026-12-08 05:16:18 +07:00",
		"":                          "",
		"2026-12-07":                "2026-12-07",
	} {
		if got := ReadableTime(in); got != want {
			t.Errorf("ReadableTime(%q) = %q, want %q", in, got, want)
		}
	}
}
