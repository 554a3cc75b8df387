package cli

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestTuneCrawlGC: a crawl collects at crawlGCPercent within its soft heap
// limit, unless the environment sets GOGC or GOMEMLIMIT, which win.
func TestTuneCrawlGC(t *testing.T) {
	gc := debug.SetGCPercent(100)
	limit := debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetGCPercent(gc); debug.SetMemoryLimit(limit) })

	tuneCrawlGC(func(string) string { return "" })
	if got := debug.SetGCPercent(100); got != crawlGCPercent {
		t.Errorf("GOGC %d, want %d", got, crawlGCPercent)
	}
	if got := debug.SetMemoryLimit(math.MaxInt64); got != crawlMemoryLimit {
		t.Errorf("memory limit %d, want %d", got, crawlMemoryLimit)
	}

	env := map[string]string{"GOGC": "150", "GOMEMLIMIT": "1GiB"}
	tuneCrawlGC(func(k string) string { return env[k] })
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set, the crawl changed it to %d", got)
	}
	if got := debug.SetMemoryLimit(math.MaxInt64); got != math.MaxInt64 {
		t.Errorf("with GOMEMLIMIT set, the crawl set a limit of %d", got)
	}
}
