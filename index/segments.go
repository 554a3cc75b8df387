package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"

	"tulieu/internal/mmapadvice"
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
	var snaps []*scorch.IndexSnapshot
	defer func() {
		for _, snap := range snaps {
			snap.Close()
		}
	}()
	for k := range ix.shards {
		snap, err := ix.shardSnapshot(k)
		if err != nil {
			return err
		}
		snaps = append(snaps, snap)
		for _, ss := range snap.Segments() {
			if f, ok := ss.Segment().(interface{ Path() string }); ok && f.Path() != "" {
				paths = append(paths, f.Path())
			}
		}
	}
	return fn(paths)
}

// errClosed is what reading a closed index gives.
var errClosed = errors.New("index: the index is closed")

// shardSnapshot returns shard k's current snapshot, which the caller
// closes. Scorch hands out a nil snapshot, and no error, once a shard is
// closed: that is errClosed here.
func (ix *Index) shardSnapshot(k int) (*scorch.IndexSnapshot, error) {
	adv, err := ix.shards[k].Advanced()
	if err != nil {
		return nil, fmt.Errorf("index: shard %d: %w", k, err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("index: shard %d: %w", k, err)
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	switch {
	case !ok:
		if r != nil {
			r.Close()
		}
		return nil, fmt.Errorf("index: shard %d is not a scorch index", k)
	case snap == nil:
		return nil, errClosed
	}
	return snap, nil
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
	if ix.building {
		// This index's shards merge by buildPlan: first what mergePlan
		// would have merged by now.
		if err := ix.mergeShards(ctx, "merge", func(sizes []uint64) bool { return len(sizes) > 1 }, false,
			steadyPlan(), mergeAllWait); err != nil {
			return err
		}
	}
	return ix.mergeShards(ctx, "compact", func(sizes []uint64) bool {
		small := 0
		for _, n := range sizes {
			if n < compactDocs {
				small++
			}
		}
		return small >= compactAt
	}, false, compactPlan, compactWait)
}

// mergeAllWait is the longest MergeAll waits for one shard. A shard of
// 50 000 articles merges in about 3 s (BENCHMARKS.md).
const mergeAllWait = 10 * time.Minute

// MergeAll merges the segments of each shard into one, as Lucene's
// forceMerge(1) does after a bulk load, and returns when the merges are
// done. A build leaves several large segments per shard (scorch's own
// plan merges them by tiers), and a search opens each word in each one,
// scores each one's candidates apart and reads positions through each
// one's chunks: in one segment, the load benchmark's searches took 8–12 %
// less CPU and their p99 fell from 99–104 to 85–87 ms (BENCHMARKS.md,
// "Serving under load"). Merging rewrites the whole index, so it is for
// after a build, not after every change (see Compact).
//
// The merge reads every segment through its mapping; maxResident, when
// above 0, bounds what of them stays in this process's resident set
// meanwhile (mmapadvice.Bound): unbounded, a merge of 50 000 articles held
// 300 MB of the index's pages resident for 31 MB of heap.
func (ix *Index) MergeAll(ctx context.Context, maxResident int64) error {
	defer ix.BoundResident(ctx, maxResident)()
	return ix.mergeShards(ctx, "merge", func(sizes []uint64) bool { return len(sizes) > 1 }, true,
		mergeAllPlan, mergeAllWait)
}

// BoundResident bounds, until the function it returns is called, what of
// the index's segment files stays in this process's resident set (above
// maxResident, when above 0, the mappings are released: see
// mmapadvice.Bound). Each segment written is mapped as it is opened, and
// Linux maps a file just written in large folios: a catch-up that makes
// many segments keeps megabytes of each resident until they are merged
// away. The function returned waits for the bound to stop, whose releases
// read every shard: call it before closing the index.
func (ix *Index) BoundResident(ctx context.Context, maxResident int64) (stop func()) {
	if maxResident <= 0 {
		return func() {}
	}
	bound := mmapadvice.NewBound(maxResident, func() error {
		return ix.WithSegmentFiles(func(paths []string) error {
			_, err := mmapadvice.Release(paths)
			return err
		})
	}, nil)
	bctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		bound.Run(bctx, 10*time.Millisecond)
	}()
	return func() {
		cancel()
		<-done
	}
}

// steadyPlan is mergePlan as scorch reads it.
func steadyPlan() mergeplan.MergePlanOptions {
	o := mergeplan.DefaultMergePlanOptions
	b, _ := json.Marshal(mergePlan())
	if err := json.Unmarshal(b, &o); err != nil {
		panic(err)
	}
	return o
}

// replacedWait is the longest a merge waits for scorch to delete the
// files of the segments it replaced (waitReplacedRemoved).
const replacedWait = 10 * time.Second

// waitReplacedRemoved waits until no shard's folder holds more segment
// files than its snapshot has segments, for at most wait. A command that
// closed the index right after a merge (a reindex) left the whole index's
// worth of replaced files on disk until the index was next opened: twice
// the index's size. Scorch deletes them in its persister after it has
// written a snapshot, and only once no snapshot in memory holds them,
// which may be after the merged snapshot was written: then nothing
// deletes them until the index changes again. So each shard is written to
// (its schema mark, unchanged) until they are gone. A search still
// reading the replaced segments keeps them; then it gives up at wait, and
// they go at a later change or the next open.
func (ix *Index) waitReplacedRemoved(ctx context.Context, wait time.Duration) {
	deadline := time.Now().Add(wait)
	for k, bi := range ix.shards {
		for {
			sizes, err := ix.segmentSizes(k)
			if err != nil {
				return
			}
			files, err := filepath.Glob(filepath.Join(shardDir(ix.dir, k), "store", "*.zap"))
			if err != nil || len(files) <= len(sizes) || time.Now().After(deadline) || ctx.Err() != nil {
				break
			}
			if err := bi.SetInternal([]byte(internalSchema), []byte(schemaVersion)); err != nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// mergeAllPlan is scorch's plan for a single segment, in one task: its
// own takes ten segments a task, and a build leaves more than ten in a
// shard (then two segments came out, and merging those again took a
// quarter of a reindex of 100 000 articles).
var mergeAllPlan = func() mergeplan.MergePlanOptions {
	o := mergeplan.SingleSegmentMergePlanOptions
	o.SegmentsPerMergeTask = 1 << 20
	return o
}()

// mergeShards merges the segments of every shard whose segment sizes
// (live documents) need it, with plan, one shard after the other, and
// waits for each merge (forceMerge); with again, it merges until the
// sizes no longer need it (three times at most). Merges of the index are
// serialized. It returns once the replaced segments' files are deleted
// (waitReplacedRemoved).
func (ix *Index) mergeShards(ctx context.Context, op string, need func(sizes []uint64) bool, again bool,
	plan mergeplan.MergePlanOptions, wait time.Duration) error {
	ix.compactM.Lock()
	defer ix.compactM.Unlock()
	ix.closeM.Lock()
	closed := ix.closed
	ix.closeM.Unlock()
	if closed {
		return fmt.Errorf("index: %s: the index is closed", op)
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
		// A plan may leave segments out of its merge (a segment written
		// meanwhile, or one the planner leaves out): with again, what
		// the plan asks for is planned again.
		rounds := 1
		if again {
			rounds = 3
		}
		for range rounds {
			sizes, err := ix.segmentSizes(k)
			if err != nil {
				return err
			}
			if !need(sizes) {
				break
			}
			if err := forceMerge(ctx, s, plan, wait); err != nil {
				return fmt.Errorf("index: shard %d: %s: %w", k, op, err)
			}
		}
	}
	// Scorch's own merges replace segments too, between two of these.
	ix.waitReplacedRemoved(ctx, replacedWait)
	return ctx.Err()
}

// Segments returns the number of segments in each shard's current
// snapshot.
func (ix *Index) Segments() ([]int, error) {
	var counts []int
	for k := range ix.shards {
		sizes, err := ix.segmentSizes(k)
		if err != nil {
			return nil, err
		}
		counts = append(counts, len(sizes))
	}
	return counts, nil
}

// segmentSizes returns the live documents of each segment of shard k's
// current snapshot.
func (ix *Index) segmentSizes(k int) ([]uint64, error) {
	snap, err := ix.shardSnapshot(k)
	if err != nil {
		return nil, err
	}
	defer snap.Close()
	var sizes []uint64
	for _, ss := range snap.Segments() {
		sizes = append(sizes, ss.Count())
	}
	return sizes, nil
}

// forceMerge runs scorch's ForceMerge with plan and waits for it, for ctx,
// or for wait, whichever ends first. A merge that fails shows in
// scorch's count of merge errors (ForceMerge itself waits on). What is left
// waiting ends when the index closes.
func forceMerge(ctx context.Context, s *scorch.Scorch, plan mergeplan.MergePlanOptions, wait time.Duration) error {
	failures := func() uint64 {
		n, _ := s.StatsMap()["TotFileMergeLoopErr"].(uint64)
		return n
	}
	before := failures()
	done := make(chan error, 1)
	go func() { done <- s.ForceMerge(ctx, &plan) }()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	timeout := time.NewTimer(wait)
	defer timeout.Stop()
	for {
		select {
		case err := <-done:
			return err
		case <-ctx.Done():
			return ctx.Err()
		case <-timeout.C:
			return fmt.Errorf("not done after %s", wait)
		case <-tick.C:
			if failures() > before {
				return errors.New("the merge failed (is the disk full?); scorch retries it")
			}
		}
	}
}
