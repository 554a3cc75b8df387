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

	"github.com/blevesearch/bleve/v2/index/scorch"
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

// TestCompactMergesSmallSegments: after many small batches (a catch-up, a
// nightly crawl), Compact leaves each shard with at most two small
// segments, and every document still found.
func TestCompactMergesSmallSegments(t *testing.T) {
	ctx := context.Background()
	ix, _ := newTestIndex(t)
	docs := genDocs(1500)
	for i := 0; i < len(docs); i += 25 {
		if err := ix.Put(ctx, docs[i:i+25]...); err != nil {
			t.Fatal(err)
		}
	}
	// small lists the sizes of each shard's segments under compactDocs.
	small := func() (sizes [][]uint64) {
		for _, bi := range ix.shards {
			adv, err := bi.Advanced()
			if err != nil {
				t.Fatal(err)
			}
			r, err := adv.Reader()
			if err != nil {
				t.Fatal(err)
			}
			var ns []uint64
			for _, ss := range r.(*scorch.IndexSnapshot).Segments() {
				if n := ss.Count(); n < compactDocs {
					ns = append(ns, n)
				}
			}
			r.Close()
			sizes = append(sizes, ns)
		}
		return sizes
	}
	before := small()
	count, err := ix.Count()
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	after := small()
	t.Logf("small segments per shard: %v before, %v after", before, after)
	most := 0
	for k := range after {
		most = max(most, len(before[k]))
		if len(after[k]) > 2 {
			t.Errorf("shard %d: %d small segments after Compact (%v)", k, len(after[k]), after[k])
		}
	}
	if most <= 2 {
		t.Fatalf("at most %d small segments per shard before Compact: the test makes too few", most)
	}
	if n, err := ix.Count(); err != nil || n != count {
		t.Errorf("count %d (%v) after Compact, want %d", n, err, count)
	}
	last := docs[len(docs)-1]
	res, err := ix.Search(ctx, Request{Query: last.Title, Limit: 3})
	if err != nil || len(res.Hits) == 0 || res.Hits[0].ID != last.ID {
		t.Errorf("search for a document of the last batch: %v, %+v", err, res)
	}
}
