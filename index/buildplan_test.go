package index

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// simSegment is a segment of the merge planner's simulation.
type simSegment struct {
	id   uint64
	size int64
}

func (s *simSegment) Id() uint64          { return s.id }
func (s *simSegment) FullSize() int64     { return s.size }
func (s *simSegment) LiveSize() int64     { return s.size }
func (s *simSegment) HasVector() bool     { return false }
func (s *simSegment) FileSize() int64     { return s.size << 10 }
func (s *simSegment) LiveFileSize() int64 { return s.size << 10 }

// simulateBuild adds segments of batch documents to one shard until it
// holds total, running scorch's planner with o after each one and doing
// its merges at once, and returns how many documents the merges wrote
// and the most segments the shard held.
func simulateBuild(t *testing.T, total, batch int64, o mergeplan.MergePlanOptions) (written int64, most int) {
	t.Helper()
	var segs []*simSegment
	var id uint64
	for n := int64(0); n < total; n += batch {
		id++
		segs = append(segs, &simSegment{id, batch})
		in := make([]mergeplan.Segment, len(segs))
		for i, s := range segs {
			in[i] = s
		}
		p, err := mergeplan.Plan(in, &o)
		if err != nil {
			t.Fatal(err)
		}
		for _, task := range tasksOf(p) {
			merged := map[uint64]bool{}
			var size int64
			for _, s := range task.Segments {
				merged[s.Id()] = true
				size += s.LiveSize()
			}
			var kept []*simSegment
			for _, s := range segs {
				if !merged[s.id] {
					kept = append(kept, s)
				}
			}
			id++
			segs = append(kept, &simSegment{id, size})
			written += size
		}
		most = max(most, len(segs))
	}
	return written, most
}

func tasksOf(p *mergeplan.MergePlan) []*mergeplan.MergeTask {
	if p == nil {
		return nil
	}
	return p.Tasks
}

// TestBuildPlanWritesLess: building a shard from a catch-up's batches,
// buildPlan rewrites each document at most about once before MergeAll,
// where mergePlan rewrote it several times, and keeps the shard's
// segments few enough to hold open.
func TestBuildPlanWritesLess(t *testing.T) {
	var build mergeplan.MergePlanOptions = mergeplan.DefaultMergePlanOptions
	b, _ := json.Marshal(buildPlan())
	if err := json.Unmarshal(b, &build); err != nil {
		t.Fatal(err)
	}
	for _, total := range []int64{5000, 25000, 50000} {
		ws, ms := simulateBuild(t, total, catchUpBatch, steadyPlan())
		wb, mb := simulateBuild(t, total, catchUpBatch, build)
		t.Logf("%d documents a shard: mergePlan rewrote %.2f× (%d segments at most), buildPlan %.2f× (%d)",
			total, float64(ws)/float64(total), ms, float64(wb)/float64(total), mb)
		if wb > total || 3*wb > ws {
			t.Errorf("%d documents a shard: buildPlan rewrote %d, mergePlan %d", total, wb, ws)
		}
		if mb > 64 {
			t.Errorf("%d documents a shard: %d segments at once with buildPlan", total, mb)
		}
	}
}

// catchUpBatch is about the documents a shard gets from one chunk of a
// catch-up (cli's catchUpChunk of 250 over two shards).
const catchUpBatch = 125

// TestOpenToBuild: an index OpenToBuild creates merges by buildPlan, and
// Compact then merges as mergePlan and the compact plan would; one it
// opens is opened as Open opens it.
func TestOpenToBuild(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := OpenToBuild(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if !ix.building {
		t.Fatal("a new index opened to build: not building")
	}
	if err := ix.Put(ctx, corpus...); err != nil {
		t.Fatal(err)
	}
	docs := genDocs(600)
	putSmallSegments(t, ix, docs)
	count, err := ix.Count()
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	for k, ns := range smallSegmentSizes(t, ix) {
		if len(ns) >= compactAt {
			t.Errorf("shard %d: %d small segments after Compact (%v)", k, len(ns), ns)
		}
	}
	if err := ix.MergeAll(ctx, 0); err != nil {
		t.Fatal(err)
	}
	segs, err := ix.Segments()
	if err != nil {
		t.Fatal(err)
	}
	for k, n := range segs {
		if n != 1 {
			t.Errorf("shard %d: %d segments after MergeAll", k, n)
		}
	}
	if n, err := ix.Count(); err != nil || n != count {
		t.Errorf("count %d (%v), want %d", n, err, count)
	}
	res, err := ix.Search(ctx, Request{Query: docs[0].Title, Limit: 3})
	if err != nil || len(res.Hits) == 0 || res.Hits[0].ID != docs[0].ID {
		t.Errorf("search for %s: %v, %+v", docs[0].ID, err, res)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = OpenToBuild(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.building {
		t.Error("an index that exists, opened to build: building")
	}
}
