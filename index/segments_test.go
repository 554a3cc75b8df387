package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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
// nightly crawl), Compact leaves each shard that held compactAt small
// segments or more with at most two, and every document still found.
func TestCompactMergesSmallSegments(t *testing.T) {
	ctx := context.Background()
	ix, _ := newTestIndex(t)
	docs := genDocs(600)
	used := putSmallSegments(t, ix, docs)
	before := smallSegmentSizes(t, ix)
	count, err := ix.Count()
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	after := smallSegmentSizes(t, ix)
	t.Logf("small segments per shard: %v before, %v after", before, after)
	for k := range after {
		if len(after[k]) >= compactAt {
			t.Errorf("shard %d: %d small segments after Compact (%v; %v before)", k, len(after[k]), after[k], before[k])
		}
	}
	// The replaced segments' files are gone when it returns (a nightly
	// crawl closes the index right after).
	segs, err := ix.Segments()
	if err != nil {
		t.Fatal(err)
	}
	for k, n := range segs {
		if files, _ := filepath.Glob(filepath.Join(shardDir(ix.dir, k), "store", "*.zap")); len(files) != n {
			t.Errorf("shard %d: %d segment files after Compact, %d segments", k, len(files), n)
		}
	}
	if n, err := ix.Count(); err != nil || n != count {
		t.Errorf("count %d (%v) after Compact, want %d", n, err, count)
	}
	for _, d := range []Document{docs[0], docs[used-1]} {
		res, err := ix.Search(ctx, Request{Query: d.Title, Limit: 3})
		if err != nil || len(res.Hits) == 0 || res.Hits[0].ID != d.ID {
			t.Errorf("search for %s: %v, %+v", d.ID, err, res)
		}
	}
}

// putSmallSegments puts docs in batches of 10, each written to disk before
// the next, until a shard holds compactAt small segments or more (scorch
// merges some of them itself meanwhile), and returns how many it put.
func putSmallSegments(t *testing.T, ix *Index, docs []Document) int {
	t.Helper()
	for i := 0; i+10 <= len(docs); i += 10 {
		if err := ix.Put(context.Background(), docs[i:i+10]...); err != nil {
			t.Fatal(err)
		}
		waitPersisted(t, ix) // (else scorch merges the batches in memory first)
		for _, ns := range smallSegmentSizes(t, ix) {
			if len(ns) >= compactAt {
				return i + 10
			}
		}
	}
	t.Fatalf("%d documents in batches of 10: never %d small segments in a shard", len(docs), compactAt)
	return 0
}

// smallSegmentSizes lists the sizes of each shard's segments under
// compactDocs.
func smallSegmentSizes(t *testing.T, ix *Index) (sizes [][]uint64) {
	t.Helper()
	for _, bi := range ix.shards {
		r := shardReader(t, bi)
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

// waitPersisted waits until every segment of every shard is on disk.
func waitPersisted(t *testing.T, ix *Index) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(2 * time.Millisecond) {
		inMemory := 0
		for _, bi := range ix.shards {
			r := shardReader(t, bi)
			for _, ss := range r.(*scorch.IndexSnapshot).Segments() {
				if p, ok := ss.Segment().(interface{ Path() string }); !ok || p.Path() == "" {
					inMemory++
				}
			}
			r.Close()
		}
		if inMemory == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d segments still in memory after 10 s", inMemory)
		}
	}
}

// TestMergeAllLeavesOneSegment: after a build in many batches, MergeAll
// leaves one segment per shard (in several plans if scorch's planner
// leaves one out) under a resident bound small enough to release the
// mappings while it reads them, and searches find what they found before.
func TestMergeAllLeavesOneSegment(t *testing.T) {
	ctx := context.Background()
	ix, _ := newTestIndex(t)
	docs := genDocs(400)
	used := putSmallSegments(t, ix, docs)
	if err := ix.Put(ctx, docs[used:]...); err != nil {
		t.Fatal(err)
	}
	waitPersisted(t, ix)
	before, err := ix.Segments()
	if err != nil {
		t.Fatal(err)
	}
	count, err := ix.Count()
	if err != nil {
		t.Fatal(err)
	}
	queries := []string{docs[0].Title, docs[len(docs)-1].Title, "đảng", "chi bo", "thanh hoa"}
	// Every match, not its score: bleve's BM25 takes a field's average
	// length from the sum of the segments' numbers of distinct terms, so
	// a merge changes every score a little (and equal scores are ranked
	// by the documents' numbers in their segments, which it changes too).
	search := func() (out []string) {
		for _, q := range queries {
			res, err := ix.Search(ctx, Request{Query: q, Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			var hits []string
			for _, h := range res.Hits {
				hits = append(hits, h.ID)
			}
			slices.Sort(hits)
			out = append(out, fmt.Sprintf("%s: %d %s", q, res.Total, strings.Join(hits, " ")))
		}
		return out
	}
	want := search()
	if err := ix.MergeAll(ctx, 1<<20); err != nil {
		t.Fatal(err)
	}
	after, err := ix.Segments()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("segments per shard: %v before, %v after", before, after)
	for k, n := range after {
		if n != 1 {
			t.Errorf("shard %d: %d segments after MergeAll (%d before)", k, n, before[k])
		}
		// The replaced segments' files are gone when it returns (a
		// reindex closes the index right after).
		if files, _ := filepath.Glob(filepath.Join(shardDir(ix.dir, k), "store", "*.zap")); len(files) != n {
			t.Errorf("shard %d: %d segment files after MergeAll, %d segments: %v", k, len(files), n, files)
		}
	}
	if n, err := ix.Count(); err != nil || n != count {
		t.Errorf("count %d (%v) after MergeAll, want %d", n, err, count)
	}
	if got := search(); !slices.Equal(got, want) {
		t.Errorf("after MergeAll:\n%q\nwant\n%q", got, want)
	}
	ix.Close()
	if err := ix.MergeAll(ctx, 0); err == nil {
		t.Error("MergeAll on a closed index: no error")
	}
}
