package index

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	bindex "github.com/blevesearch/bleve_index_api"

	"tulieu/internal/benchcorpus"
)

// reviewSmallBatches puts docs in batches of n: a small segment per batch and
// shard, what Compact is for.
func reviewSmallBatches(t *testing.T, ix *Index, docs []Document, n int) {
	t.Helper()
	for i := 0; i < len(docs); i += n {
		if err := ix.Put(context.Background(), docs[i:min(i+n, len(docs))]...); err != nil {
			t.Fatal(err)
		}
	}
}

// These tests came from a review of the shared pruning floor (scoreFloor)
// and of Compact; each comment says what went wrong before the fix, or
// "held up" for what the review checked and found right.

// TestCompactConcurrent: two Compacts at once (the server's background
// catch-up and any other caller: Index is safe for concurrent use).
// scorch's ForceMerge refuses a second force merge while one is in
// progress ("force merge already in progress"), and Compact handed that
// refusal back as its error, leaving the shards after it unmerged.
func TestCompactConcurrent(t *testing.T) {
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	defer ix.Close()
	ctx := context.Background()
	docs := genDocs(480)
	var failures []error
	for round := range 4 {
		reviewSmallBatches(t, ix, docs[round*120:(round+1)*120], 10)
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i := range errs {
			wg.Go(func() { errs[i] = ix.Compact(ctx) })
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				failures = append(failures, err)
			}
		}
	}
	if len(failures) > 0 {
		t.Errorf("%d of 8 concurrent Compact calls failed; first: %v", len(failures), failures[0])
	}
}

// TestCompactClosed: Compact of a closed index said nothing was wrong.
func TestCompactClosed(t *testing.T) {
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	reviewSmallBatches(t, ix, genDocs(100), 20)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	err := ix.Compact(context.Background())
	t.Logf("Compact after Close: %v", err)
	if err == nil {
		t.Errorf("Compact of a closed index returned nil (nothing merged)")
	}
}

// TestCompactWhileChanging: searches, updates and deletions while
// Compact merges: every document still there, counts right (held up).
func TestCompactWhileChanging(t *testing.T) {
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	defer ix.Close()
	ctx := context.Background()
	docs := genDocs(600)
	reviewSmallBatches(t, ix, docs[:400], 20)
	var wg sync.WaitGroup
	errc := make(chan error, 16)
	wg.Go(func() {
		if err := ix.Compact(ctx); err != nil {
			errc <- fmt.Errorf("compact: %w", err)
		}
	})
	wg.Go(func() {
		for i := 400; i < 600; i += 20 {
			if err := ix.Put(ctx, docs[i:i+20]...); err != nil {
				errc <- err
				return
			}
		}
	})
	wg.Go(func() {
		var gone []string
		for i := 0; i < 100; i++ {
			gone = append(gone, docs[i].ID)
		}
		if err := ix.Delete(ctx, gone...); err != nil {
			errc <- err
		}
	})
	wg.Go(func() {
		for i := range 40 {
			if _, err := ix.Search(ctx, Request{Query: docs[400+i].Title, Limit: 10, Facets: i%2 == 0}); err != nil {
				errc <- err
				return
			}
		}
	})
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	if err := ix.Compact(ctx); err != nil {
		t.Error(err)
	}
	if n, err := ix.Count(); err != nil || n != 500 {
		t.Errorf("count %d (%v), want 500", n, err)
	}
	for _, d := range []Document{docs[250], docs[399], docs[599]} {
		res, err := ix.Search(ctx, Request{Query: d.Title, Limit: 5})
		if err != nil || len(res.Hits) == 0 || res.Hits[0].ID != d.ID {
			t.Errorf("search for %s: %v %v", d.ID, err, res)
		}
	}
}

// reviewUnpruned is the page of req as the search without pruning finds it
// (the same request through searchShards, its query built with topK 0).
func reviewUnpruned(t *testing.T, ix *Index, req Request) ([]*search.DocumentMatch, uint64) {
	t.Helper()
	cq, err := compileQuery(req.Query)
	if err != nil {
		t.Fatal(err)
	}
	limit := req.Limit
	if limit <= 0 {
		limit = 10
	}
	noFacets := req
	noFacets.Facets = false
	q := buildQuery(cq, noFacets, true, 0)
	sr := bleve.NewSearchRequestOptions(q, limit, req.Offset, false)
	sr.SortBy([]string{"-_score"})
	res, err := ix.searchShards(context.Background(), sr)
	if err != nil {
		t.Fatal(err)
	}
	return res.Hits, res.Total + uncountedMatches(q)
}

// reviewSamePage compares a pruned page with the unpruned one: the same
// scores (to rounding) place by place, the same documents but for equal
// scores, which may come in another order (a score is summed in another
// order when pruned) or cross the page's edges.
func reviewSamePage(got []Hit, want []*search.DocumentMatch) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d hits, want %d", len(got), len(want))
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) }
	for i, w := range want {
		if !near(got[i].Score, w.Score) {
			return fmt.Sprintf("hit %d: %s %.12g, want %s %.12g", i, got[i].ID, got[i].Score, w.ID, w.Score)
		}
	}
	for i, g := range got {
		if g.ID == want[i].ID {
			continue
		}
		found := false
		for _, w := range want {
			if w.ID == g.ID && near(w.Score, g.Score) {
				found = true
			}
		}
		atEdge := near(g.Score, want[0].Score) || near(g.Score, want[len(want)-1].Score)
		if !found && !atEdge {
			return fmt.Sprintf("hit %d: %s (%.12g) not in the unpruned page", i, g.ID, g.Score)
		}
	}
	return ""
}

// TestSearchPagesMatchUnpruned: Index.Search (pruning with the shared
// floor, the flat facets, deleted documents) against the same requests
// unpruned, on pages deep and shallow, with and without facets and
// deleted documents; and on an index made of exact ties across the shards
// (held up).
func TestSearchPagesMatchUnpruned(t *testing.T) {
	skipAtScaleUnderRace(t)
	ctx := context.Background()
	t.Run("generated", func(t *testing.T) {
		ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
		defer ix.Close()
		docs := append(genDocs(900), corpus...)
		for i := 0; i < 900; i += 37 {
			docs[i].Status = "deleted"
		}
		if err := ix.Put(ctx, docs...); err != nil {
			t.Fatal(err)
		}
		var queries []string
		for _, k := range []benchcorpus.QueryKind{{Syllables: 1}, {Syllables: 2, Accented: true}, {Syllables: 3}} {
			queries = append(queries, benchGen().Queries(4, k, 5)...)
		}
		queries = append(queries, "thanh hoa", "đảng bộ")
		reviewComparePages(t, ix, queries, false)
	})
	t.Run("ties", func(t *testing.T) {
		// The same articles in each shard (by the shard their ID hashes
		// to), so that the shards' statistics, and the scores of the same
		// text in either, are the same: ties across the shards.
		ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
		defer ix.Close()
		bodies := []string{"xoai quyt ngon lam", "xoai ngon", "quyt xoai xoai", "xoai quyt quyt ngon ngon", "xoai"}
		var docs []Document
		perShard := make([]int, len(ix.shards))
		for i := 0; perShard[0] < 40 || perShard[1] < 40; i++ {
			id := fmt.Sprintf("tie-%04d", i)
			k := ix.shardOf(id)
			if perShard[k] >= 40 {
				continue
			}
			n := perShard[k]
			docs = append(docs, Document{ID: id, Title: "bai " + fmt.Sprint(n%3), Body: bodies[n%len(bodies)], Author: "ai do",
				Category: "Tin", Published: "2020-01-01", Status: map[bool]string{true: "deleted"}[n%7 == 3]})
			perShard[k]++
		}
		if err := ix.Put(ctx, docs...); err != nil {
			t.Fatal(err)
		}
		res, err := ix.Search(ctx, Request{Query: "xoai quyt", Limit: 80})
		if err != nil {
			t.Fatal(err)
		}
		byScore := map[float64]map[int]int{}
		for _, h := range res.Hits {
			if byScore[h.Score] == nil {
				byScore[h.Score] = map[int]int{}
			}
			byScore[h.Score][ix.shardOf(h.ID)]++
		}
		t.Logf("\"xoai quyt\": %d hits, per score the hits per shard: %v", len(res.Hits), byScore)
		reviewComparePages(t, ix, []string{"xoai", "xoai quyt", "quyt", "ngon xoai", "xoai ngon lam", "bai xoai"}, true)
	})
	t.Run("one shard empty", func(t *testing.T) {
		// Every document in shard 0: shard 1 has none (no statistics, no
		// bound), then shard 1 only the one word the query shares.
		ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
		defer ix.Close()
		var docs []Document
		for _, d := range genDocs(600) {
			if ix.shardOf(d.ID) == 0 {
				docs = append(docs, d)
			}
		}
		if err := ix.Put(ctx, docs...); err != nil {
			t.Fatal(err)
		}
		queries := benchGen().Queries(4, benchcorpus.QueryKind{Syllables: 2}, 9)
		reviewComparePages(t, ix, queries, false)
		for i := 0; ; i++ {
			id := fmt.Sprintf("other-%d", i)
			if ix.shardOf(id) == 1 {
				if err := ix.Put(ctx, Document{ID: id, Title: "khac", Body: strings.Join(strings.Fields(queries[0])[:1], " ") + " khac"}); err != nil {
					t.Fatal(err)
				}
				break
			}
		}
		reviewComparePages(t, ix, queries, false)
	})
}

// reviewComparePages compares Search with the unpruned search for each query
// on several pages.
func reviewComparePages(t *testing.T, ix *Index, queries []string, strict bool) {
	ctx := context.Background()
	compared, mismatches := 0, 0
	for _, q := range queries {
		for _, page := range [][2]int{{0, 10}, {0, 1}, {7, 3}, {29, 2}, {95, 5}} {
			for _, facets := range []bool{false, true} {
				for _, incl := range []bool{false, true} {
					req := Request{Query: q, Offset: page[0], Limit: page[1], Facets: facets, IncludeDeleted: incl}
					// The reference before and after, so that a merge in
					// the background between them is seen.
					for try := 0; ; try++ {
						want, wantTotal := reviewUnpruned(t, ix, req)
						got, err := ix.Search(ctx, req)
						if err != nil {
							t.Fatal(err)
						}
						want2, _ := reviewUnpruned(t, ix, req)
						stable := len(want) == len(want2)
						for i := 0; stable && i < len(want); i++ {
							stable = want[i].ID == want2[i].ID && want[i].Score == want2[i].Score
						}
						if !stable && try < 3 {
							continue
						}
						if got.Total != wantTotal {
							t.Errorf("%q %v facets %v deleted %v: total %d, unpruned %d", q, page, facets, incl, got.Total, wantTotal)
							mismatches++
						} else if msg := reviewSamePage(got.Hits, want); msg != "" {
							t.Errorf("%q %v facets %v deleted %v: %s", q, page, facets, incl, msg)
							mismatches++
						} else if strict && !reviewSameIDs(got.Hits, want) {
							msg := fmt.Sprintf("got %v, want %v", reviewHitIDs(got.Hits), reviewMatchIDs(want))
							t.Errorf("%q %v facets %v deleted %v: %s", q, page, facets, incl, msg)
							mismatches++
						}
						compared += len(want)
						break
					}
				}
			}
		}
	}
	t.Logf("%d hits compared, %d pages differ", compared, mismatches)
}

func reviewSameIDs(got []Hit, want []*search.DocumentMatch) bool {
	for i := range want {
		if got[i].ID != want[i].ID {
			return false
		}
	}
	return true
}

func reviewHitIDs(hs []Hit) (ids []string) {
	for _, h := range hs {
		ids = append(ids, h.ID)
	}
	return ids
}

func reviewMatchIDs(ms []*search.DocumentMatch) (ids []string) {
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	return ids
}

// TestFloorFacetsPath: the query built for a search whose facets bleve
// counts (buildQuery with Facets, topK > 0: the floor set, uncounted nil)
// hands the pruned documents to each shard's collector with score 0;
// merged, the page and total are still the unpruned search's (held up).
func TestFloorFacetsPath(t *testing.T) {
	skipAtScaleUnderRace(t)
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	defer ix.Close()
	ctx := context.Background()
	docs := append(genDocs(1000), corpus...)
	for i := 0; i < 1000; i += 41 {
		docs[i].Status = "deleted"
	}
	if err := ix.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	var queries []string
	for _, k := range []benchcorpus.QueryKind{{Syllables: 1}, {Syllables: 2}, {Syllables: 2, Accented: true}, {Syllables: 3}} {
		queries = append(queries, benchGen().Queries(5, k, 3)...)
	}
	run := func(rds []bindex.IndexReader, q string, offset, limit, topK int, stats *flatStats) ([]*search.DocumentMatch, uint64) {
		cq, err := compileQuery(q)
		if err != nil || cq.flat == nil {
			t.Fatalf("%q: %v", q, err)
		}
		cq.flat.stats = stats
		return searchReaders(t, ix, rds, buildQuery(cq, Request{Facets: true}, true, topK), offset, limit)
	}
	var stats flatStats
	compared := 0
	for _, q := range queries {
		for _, page := range [][2]int{{0, 10}, {0, 2}, {10, 10}, {47, 5}} {
			rds := shardReaders(t, ix)
			want, wantTotal := run(rds, q, page[0], page[1], 0, nil)
			got, gotTotal := run(rds, q, page[0], page[1], page[0]+page[1], &stats)
			closeReaders(rds)
			if gotTotal != wantTotal || len(got) != len(want) {
				t.Errorf("%q %v: total %d (%d hits), unpruned %d (%d)", q, page, gotTotal, len(got), wantTotal, len(want))
				continue
			}
			for i, w := range want {
				if g := got[i]; math.Abs(g.Score-w.Score) > 1e-9*w.Score || g.Score == 0 {
					t.Errorf("%q %v: hit %d %s %.9g, unpruned %s %.9g", q, page, i, g.ID, g.Score, w.ID, w.Score)
					break
				}
				compared++
			}
		}
	}
	t.Logf("%d hits compared; pruned %d, skipped %d", compared, stats.pruned.Load(), stats.skipped.Load())
}

// reviewSegments lists each shard's segments: id → live documents.
func reviewSegments(t *testing.T, ix *Index) []map[uint64]uint64 {
	t.Helper()
	var out []map[uint64]uint64
	for _, bi := range ix.shards {
		r := shardReader(t, bi)
		m := map[uint64]uint64{}
		for _, ss := range r.(*scorch.IndexSnapshot).Segments() {
			m[ss.Id()] = ss.Count()
		}
		r.Close()
		out = append(out, m)
	}
	return out
}

// TestCompactWaitsForSmallSegments: a server's catch-up runs every 5 s
// while a crawl runs beside it, and each that finds an article calls
// Compact. Compact rewrote the small segment of the earlier merges at
// every one of them (1 100 documents a shard for one article); now a
// shard is merged only once it holds compactAt small segments.
func TestCompactWaitsForSmallSegments(t *testing.T) {
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	defer ix.Close()
	ctx := context.Background()
	docs := genDocs(100)
	reviewSmallBatches(t, ix, docs[:50], 50) // a segment a shard
	forceMerges := func() (n uint64) {
		for _, bi := range ix.shards {
			adv, err := bi.Advanced()
			if err != nil {
				t.Fatal(err)
			}
			m, _ := adv.StatsMap()["TotFileMergeForceOpsStarted"].(uint64)
			n += m
		}
		return n
	}
	for i := 50; i < 50+compactAt-2; i++ { // at most compactAt-1 small segments a shard
		waitPersisted(t, ix)
		if err := ix.Put(ctx, docs[i]); err != nil {
			t.Fatal(err)
		}
		before := forceMerges()
		if err := ix.Compact(ctx); err != nil {
			t.Fatal(err)
		}
		if n := forceMerges() - before; n > 0 {
			t.Errorf("Compact after one article (small segments %v) merged %d times", smallSegmentSizes(t, ix), n)
		}
	}
}

// TestCompactMergeFailure: when merges fail (a full disk; here a file
// size limit, RLIMIT_FSIZE, makes every new segment file fail with EFBIG),
// scorch's merger retries the failed merge at once, forever (merge.go,
// mergerLoop: a failed request is dropped only when its context carries
// mergeDoneKey, so the default plan and a force merge alike are kept),
// and ForceMerge, its request queued, waits for a doneCh that is never
// closed: it watches neither ctx nor any error. So Compact neither
// returns the error nor returns at all when its context ends. In serve,
// the background catch-up (cli/serve.go:368 → cli/indexsync.go:91) then
// stops for good with nothing logged, and at shutdown stopBackground
// cancels bgCtx but background.Wait (cli/serve.go:350) waits for it
// forever: the server does not exit. Any command's OpenIndex hangs alike.
func TestCompactMergeFailure(t *testing.T) {
	if os.Getenv("TULIEU_TEST_RLIMIT_CHILD") != "1" {
		// The file size limit is the whole process's: set here, it also
		// cut the test framework's own log of opened files (go test's
		// -test.testlogfile) and failed the package now and then. The
		// test runs in a child process of its own.
		cmd := exec.Command(os.Args[0], "-test.run=^TestCompactMergeFailure$", "-test.v", "-test.count=1")
		cmd.Env = append(os.Environ(), "TULIEU_TEST_RLIMIT_CHILD=1")
		out, err := cmd.CombinedOutput()
		t.Logf("the test in a child process:\n%s", out)
		if err != nil {
			t.Fatalf("the child process: %v", err)
		}
		return
	}
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	defer ix.Close()
	putSmallSegments(t, ix, genDocs(600))
	t.Logf("segments before: %v", reviewSegments(t, ix))
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Skip(err)
	}
	lim := old
	lim.Cur = 16 << 10
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Skip(err)
	}
	restored := false
	restore := func() {
		if !restored {
			restored = true
			syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old)
		}
	}
	defer restore()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- ix.Compact(ctx) }()
	select {
	case err := <-done:
		restore()
		took := time.Since(start)
		t.Logf("Compact with every merge failing: %v after %v", err, took.Round(time.Millisecond))
		if err == nil || errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Compact did not report the failing merge: it returned %v after %v", err, took.Round(time.Millisecond))
		}
	case <-time.After(10 * time.Second):
		adv, _ := ix.shards[0].Advanced()
		st := adv.StatsMap()
		t.Errorf("Compact has not returned 10 s after it started, 8 s after its context ended (%v); shard 0: "+
			"%v merge loops ended in an error, %v file merges begun, %v ended, %v force merges started, %v completed",
			ctx.Err(), st["TotFileMergeLoopErr"], st["TotFileMergeZapBeg"], st["TotFileMergeZapEnd"],
			st["TotFileMergeForceOpsStarted"], st["TotFileMergeForceOpsCompleted"])
		restore()
		select {
		case err := <-done:
			t.Logf("with the file size limit lifted, Compact returned %v after %v", err, time.Since(start).Round(time.Millisecond))
		case <-time.After(30 * time.Second):
			t.Fatalf("Compact still blocked 30 s after the limit was lifted")
		}
	}
}
