package crawler

import (
	"runtime"
	"testing"
	"time"
	"weak"
)

// TestRecorderKeepsNoPointerIntoTheRun: the transport's dialers captured
// the run's own Options (newRecorder got &r.opts), and an idle kept-alive
// connection holds its dialers: after the crawl returned, the whole run
// (its queues, its sets of URLs: 26 MB at 50 000 pages) stayed reachable
// while the index caught up, and the collector ran over it again and
// again. The recorder now keeps a copy.
func TestRecorderKeepsNoPointerIntoTheRun(t *testing.T) {
	o := &Options{Timeout: time.Second, Parallel: 2}
	alive := weak.Make(o)
	rec := newRecorder(nil, nil, 1, o, &counters{}, func(string, ...any) {})
	o = nil
	runtime.GC()
	if alive.Value() != nil {
		t.Error("the recorder keeps the Options it was given (a pointer into the run) alive")
	}
	runtime.KeepAlive(rec)
}
