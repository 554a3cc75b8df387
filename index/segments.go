package index

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	bindex "github.com/blevesearch/bleve_index_api"
)

// WithSegmentFiles calls fn with the files of the segments every shard's
// current snapshot reads, while it holds those snapshots: scorch closes a
// segment, and unmaps its file, only when no snapshot holds it any more,
// so each file stays mapped where it is until fn returns (what makes it
// safe to advise the kernel about those mappings, see
// internal/mmapadvice). A segment not yet written to disk has no file and
// is left out.
func (ix *Index) WithSegmentFiles(fn func(paths []string) error) error {
	var paths []string
	var readers []bindex.IndexReader
	defer func() {
		for _, r := range readers {
			r.Close()
		}
	}()
	for k, bi := range ix.shards {
		adv, err := bi.Advanced()
		if err != nil {
			return fmt.Errorf("index: shard %d: %w", k, err)
		}
		r, err := adv.Reader()
		if err != nil {
			return fmt.Errorf("index: shard %d: %w", k, err)
		}
		readers = append(readers, r)
		snap, ok := r.(*scorch.IndexSnapshot)
		if !ok {
			return errors.New("index: not a scorch index")
		}
		for _, ss := range snap.Segments() {
			if f, ok := ss.Segment().(interface{ Path() string }); ok && f.Path() != "" {
				paths = append(paths, f.Path())
			}
		}
	}
	return fn(paths)
}

// compactDocs is the size in live documents under which a segment counts
// as small for Compact, and compactAt the number of small segments a
// shard must hold before Compact merges them: one catch-up of a few
// articles adds one, and merging at every one rewrote the whole small
// segment of earlier merges each time (1 100 documents for one article).
const (
	compactDocs = 2000
	compactAt   = 4
)

// compactWait is the longest Compact waits for a shard's merge. Merging
// small segments takes well under a second; a merge that fails (a full
// disk) is retried by scorch without end, and never finishes.
const compactWait = time.Minute

// compactPlan is scorch's merge plan for Compact: only segments under
// compactDocs are eligible (a segment is when it holds less than half
// MaxSegmentSize), and they are merged until about one remains per tier
// (MaxSegmentsPerTier 1; tiers under 100 and 1 000 documents), in tasks
// of up to 20: the segments of a few articles merge with each other
// before the larger one earlier merges made is written again.
var compactPlan = mergeplan.MergePlanOptions{
	MaxSegmentsPerTier:   1,
	MaxSegmentSize:       2 * compactDocs,
	TierGrowth:           10,
	SegmentsPerMergeTask: 20,
	FloorSegmentSize:     compactDocs / 20,
	ReclaimDeletesWeight: 2,
}

// Compact merges the small segments of each shard that holds compactAt or
// more into one, and returns when the merges are done. Every batch of
// documents makes a segment, and scorch's own plan (mergePlan) merges
// segments only when 20 of about the same size have gathered: after a
// reindex or some nightly crawls, up to that many small segments stay,
// and every search opens each word in each of them. Merged, a search of
// the load benchmark took 2–3 % less CPU (BENCHMARKS.md, "Serving under
// load"). Only small segments are rewritten, so it costs little; large
// ones are left to mergePlan.
//
// A merge that fails is reported, not waited for: scorch retries it until
// it succeeds or the index is closed.
func (ix *Index) Compact(ctx context.Context) error {
	ix.compactM.Lock()
	defer ix.compactM.Unlock()
	ix.closeM.Lock()
	closed := ix.closed
	ix.closeM.Unlock()
	if closed {
		return errors.New("index: compact: the index is closed")
	}
	for k, bi := range ix.shards {
		adv, err := bi.Advanced()
		if err != nil {
			return fmt.Errorf("index: shard %d: %w", k, err)
		}
		s, ok := adv.(*scorch.Scorch)
		if !ok {
			return errors.New("index: not a scorch index")
		}
		if n, err := smallSegments(s); err != nil || n < compactAt {
			if err != nil {
				return fmt.Errorf("index: shard %d: %w", k, err)
			}
			continue
		}
		if err := forceMerge(ctx, s, compactPlan); err != nil {
			return fmt.Errorf("index: shard %d: merge small segments: %w", k, err)
		}
	}
	return ctx.Err()
}

// smallSegments counts the segments of s's current snapshot under
// compactDocs documents.
func smallSegments(s *scorch.Scorch) (int, error) {
	r, err := s.Reader()
	if err != nil {
		return 0, err
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return 0, errors.New("index: not a scorch snapshot")
	}
	n := 0
	for _, ss := range snap.Segments() {
		if ss.Count() < compactDocs {
			n++
		}
	}
	return n, nil
}

// forceMerge runs scorch's ForceMerge with plan and waits for it, for ctx,
// or for compactWait, whichever ends first. A merge that fails shows in
// scorch's count of merge errors (ForceMerge itself waits on). What is left
// waiting ends when the index closes.
func forceMerge(ctx context.Context, s *scorch.Scorch, plan mergeplan.MergePlanOptions) error {
	failures := func() uint64 {
		n, _ := s.StatsMap()["TotFileMergeLoopErr"].(uint64)
		return n
	}
	before := failures()
	done := make(chan error, 1)
	go func() { done <- s.ForceMerge(ctx, &plan) }()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	timeout := time.NewTimer(compactWait)
	defer timeout.Stop()
	for {
		select {
		case err := <-done:
			return err
		case <-ctx.Done():
			return ctx.Err()
		case <-timeout.C:
			return fmt.Errorf("not done after %s", compactWait)
		case <-tick.C:
			if failures() > before {
				return errors.New("the merge failed (is the disk full?); scorch retries it")
			}
		}
	}
}
