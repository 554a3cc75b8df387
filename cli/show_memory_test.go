package cli

import (
	"fmt"
	"runtime"
	"testing"
)

// TestShowVersionsMemoryBounded: `show --versions` diffs the
// paragraphs of consecutive versions with a full (n+1)×(m+1) LCS table
// (cli/show.go diffParagraphs), so memory grows with the square of the
// number of paragraphs: a long document of 4 000 paragraphs with one
// paragraph edited allocates ~128 MB, 10 000 paragraphs ~800 MB. The word
// diff (textdiff) is linear in space for the same reason.
func TestShowVersionsMemoryBounded(t *testing.T) {
	const n = 4000
	a := make([]string, n)
	for i := range a {
		a[i] = fmt.Sprintf("Điều %d. Nội dung của điều khoản số %d.", i+1, i+1)
	}
	b := append([]string(nil), a...)
	b[n/2] = "Điều đã được sửa lại."
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	out := diffParagraphs(a, b)
	runtime.ReadMemStats(&after)
	if len(out) != 2 {
		t.Fatalf("diff: %q", out)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
		t.Errorf("show --versions allocates %d MB to diff two versions of a %d-paragraph article that differ in one paragraph",
			alloc>>20, n)
	}
}
