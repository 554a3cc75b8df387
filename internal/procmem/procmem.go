// Package procmem reads the process's peak resident memory from Linux's
// /proc, for the benchmarks that report memory.
package procmem

import (
	"context"
	"os"
	"strconv"
	"strings"
	"time"
)

// ResetPeak starts a new peak: VmHWM falls back to the current resident
// set (writing 5 to clear_refs; Linux only, ignored elsewhere).
func ResetPeak() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// PeakRSS is the peak resident set since start or the last ResetPeak, in
// bytes (VmHWM); 0 where /proc is not there.
func PeakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			if f := strings.Fields(line); len(f) >= 2 {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}

// Split is the largest anonymous (heap, stacks) and file-backed (mapped
// files, such as the search index's segments) resident sets seen.
type Split struct{ Anon, File int64 }

// SampleSplit reads the RssAnon and RssFile of process pid every so often
// until ctx ends, and returns the largest of each: VmHWM adds them up,
// and only the first is memory the process itself holds.
func SampleSplit(ctx context.Context, pid int, every time.Duration) Split {
	var out Split
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status"); err == nil {
			for _, line := range strings.Split(string(b), "\n") {
				for _, f := range []struct {
					key string
					max *int64
				}{{"RssAnon:", &out.Anon}, {"RssFile:", &out.File}} {
					if rest, ok := strings.CutPrefix(line, f.key); ok {
						if fs := strings.Fields(rest); len(fs) >= 1 {
							kb, _ := strconv.ParseInt(fs[0], 10, 64)
							*f.max = max(*f.max, kb*1024)
						}
					}
				}
			}
		}
		select {
		case <-ctx.Done():
			return out
		case <-t.C:
		}
	}
}
