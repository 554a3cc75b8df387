// Package procmem reads the process's peak resident memory from Linux's
// /proc, for the benchmarks that report memory.
package procmem

import (
	"os"
	"strconv"
	"strings"
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
