package index

import "testing"

// skipAtScaleUnderRace skips, under the race detector only, a test that
// checks search results at scale (a thousand generated documents and
// more, against bleve's own answers) rather than goroutines meeting:
// the README's test command runs it without the race detector first, and
// the race detector's part keeps the tests where searches, merges and
// compactions run at the same time (it took three minutes of the suite's
// ten under it).
func skipAtScaleUnderRace(t *testing.T) {
	t.Helper()
	if raceDetector {
		t.Skip("a check of results at scale, run without the race detector by the README's test command's first go test")
	}
}
