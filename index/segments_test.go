package index

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// mappedFiles lists the files this process has mapped (Linux).
func mappedFiles(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Skip("no /proc/self/maps")
	}
	return string(b)
}

// TestWithSegmentFilesHoldsThem: the files WithSegmentFiles names stay
// mapped until fn returns, even when merges replace their segments
// meanwhile (so that advice given to their addresses reaches them and no
// other memory); once it has returned, the merged-away ones are unmapped.
func TestWithSegmentFilesHoldsThem(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux only")
	}
	ctx := context.Background()
	ix, _ := newTestIndex(t)
	put := func(from, n int) {
		for i := from; i < from+n; i++ {
			d := corpus[i%len(corpus)]
			d.ID, d.URL = fmt.Sprintf("seg-%d", i), fmt.Sprintf("https://example.vn/seg-%d", i)
			if err := ix.Put(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
	}
	put(0, 12)
	var held []string
	deadline := time.Now().Add(10 * time.Second)
	for len(held) < 2 && time.Now().Before(deadline) {
		if err := ix.WithSegmentFiles(func(paths []string) error { held = paths; return nil }); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(held) < 2 {
		t.Fatalf("segment files after 12 batches: %v", held)
	}
	merged := ""
	err := ix.WithSegmentFiles(func(paths []string) error {
		held = paths
		// Merges replace these segments while they are held.
		for i, deadline := 12, time.Now().Add(20*time.Second); merged == "" && time.Now().Before(deadline); i += 12 {
			put(i, 12)
			ix.WithSegmentFiles(func(now []string) error {
				for _, p := range paths {
					if !slices.Contains(now, p) {
						merged = p
					}
				}
				return nil
			})
		}
		if merged == "" {
			return nil
		}
		if maps := mappedFiles(t); !strings.Contains(maps, merged) {
			t.Errorf("%s, merged away, was unmapped while held", merged)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if merged == "" {
		t.Fatalf("no segment of %v was merged away in 20 s", held)
	}
	// Released, the merged-away segment is closed and unmapped.
	for deadline := time.Now().Add(10 * time.Second); strings.Contains(mappedFiles(t), merged); {
		if time.Now().After(deadline) {
			t.Errorf("%s still mapped 10 s after it was released", merged)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
}
