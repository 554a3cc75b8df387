package index

import (
	"context"
	"errors"
	"fmt"

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
// as small for Compact.
const compactDocs = 2000

// compactPlan is scorch's merge plan for Compact: only segments under
// compactDocs are eligible (a segment is when it holds less than half
// MaxSegmentSize), and they are merged until at most about one remains per
// tier (MaxSegmentsPerTier 1), in tasks of up to 20.
var compactPlan = mergeplan.MergePlanOptions{
	MaxSegmentsPerTier:   1,
	MaxSegmentSize:       2 * compactDocs,
	TierGrowth:           10,
	SegmentsPerMergeTask: 20,
	FloorSegmentSize:     compactDocs,
	ReclaimDeletesWeight: 2,
}

// Compact merges each shard's small segments into one, and returns when
// the merges are done. Every batch of documents makes a segment, and
// scorch's own plan (mergePlan) merges segments only when 20 of about
// the same size have gathered: after a catch-up or a nightly crawl, up to
// that many small segments stay, and every search opens each word in each
// of them. Merged, a search of the load benchmark took 2–3 % less CPU
// (BENCHMARKS.md, "Serving under load"). Only small segments are
// rewritten, so it costs little; large ones are left to mergePlan.
func (ix *Index) Compact(ctx context.Context) error {
	for k, bi := range ix.shards {
		adv, err := bi.Advanced()
		if err != nil {
			return fmt.Errorf("index: shard %d: %w", k, err)
		}
		s, ok := adv.(*scorch.Scorch)
		if !ok {
			return errors.New("index: not a scorch index")
		}
		plan := compactPlan
		if err := s.ForceMerge(ctx, &plan); err != nil {
			return fmt.Errorf("index: shard %d: merge small segments: %w", k, err)
		}
	}
	return ctx.Err()
}
