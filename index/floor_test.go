package index

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"tulieu/internal/benchcorpus"
)

// TestScoreFloorAcrossShards checks that the shards of a search, pruning
// with the best k-th score any of them has reached (scoreFloor), still
// return the search's k best: the same documents with the same scores,
// and the same total, as the search without pruning. And that the floor
// prunes: more documents than each shard's own k-th best alone.
func TestScoreFloorAcrossShards(t *testing.T) {
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	defer ix.Close()
	if len(ix.shards) < 2 {
		t.Fatalf("%d shards: the floor is shared between shards", len(ix.shards))
	}
	ctx := context.Background()
	docs := append(genDocs(1200), corpus...)
	for i := 0; i < 1200; i += 41 {
		docs[i].Status = "deleted"
	}
	if err := ix.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	var queries []string
	for _, k := range []benchcorpus.QueryKind{{Syllables: 1}, {Syllables: 1, Accented: true}, {Syllables: 2},
		{Syllables: 2, Accented: true}, {Syllables: 3}, {Syllables: 3, Accented: true}} {
		queries = append(queries, benchGen().Queries(5, k, 11)...)
	}
	queries = append(queries, "Thanh Hóa", "thanh hoa", "đảng bộ", "chiến binh")
	// run searches the shards, each on its reader in rds, with the query
	// built with topK (0: no pruning); floor false takes the shared floor
	// away.
	run := func(rds []bindex.IndexReader, q string, offset, limit, topK int, floor bool, stats *flatStats) ([]*search.DocumentMatch, uint64) {
		t.Helper()
		cq, err := compileQuery(q)
		if err != nil || cq.flat == nil {
			t.Fatalf("%q: %v (flat %v)", q, err, cq != nil && cq.flat != nil)
		}
		cq.flat.stats = stats
		bq := buildQuery(cq, Request{}, true, topK)
		if fq, ok := bq.(*flatQuery); ok && !floor {
			fq.floor = nil
		}
		return searchReaders(t, ix, rds, bq, offset, limit)
	}
	var withFloor, without flatStats
	compared := 0
	for _, q := range queries {
		for _, page := range [][2]int{{0, 10}, {0, 3}, {10, 10}, {47, 5}} {
			offset, limit := page[0], page[1]
			rds := shardReaders(t, ix)
			want, wantTotal := run(rds, q, offset, limit, 0, false, nil)
			got, gotTotal := run(rds, q, offset, limit, offset+limit, true, &withFloor)
			run(rds, q, offset, limit, offset+limit, false, &without)
			closeReaders(rds)
			if gotTotal != wantTotal || len(got) != len(want) {
				t.Errorf("%q page %v: total %d (%d hits) pruned, %d (%d hits) not", q, page, gotTotal, len(got),
					wantTotal, len(want))
				continue
			}
			for i, w := range want {
				g := got[i]
				// (Equal scores may come in another order; a score is
				// summed in another order when pruned.)
				if math.Abs(g.Score-w.Score) > 1e-9*w.Score || g.ID != w.ID && g.Score != w.Score {
					t.Errorf("%q page %v: hit %d is %s (%.9g) pruned, %s (%.9g) not", q, page, i, g.ID, g.Score, w.ID, w.Score)
					break
				}
				compared++
			}
		}
	}
	if compared < 600 {
		t.Errorf("only %d hits compared", compared)
	}
	t.Logf("%d hits compared; scored %d documents with the floor, %d without", compared,
		withFloor.scored.Load(), without.scored.Load())
	if withFloor.scored.Load() >= without.scored.Load() {
		t.Errorf("the shared floor scored %d documents, its own k-th best alone %d: it prunes nothing more",
			withFloor.scored.Load(), without.scored.Load())
	}
}

// shardReaders opens a reader on each shard's current snapshot: searches
// run on them see the same statistics (merges in the background change
// those that scores are made of). closeReaders closes them.
func shardReaders(t *testing.T, ix *Index) []bindex.IndexReader {
	t.Helper()
	var rds []bindex.IndexReader
	for _, sh := range ix.shards {
		rds = append(rds, shardReader(t, sh))
	}
	return rds
}

func closeReaders(rds []bindex.IndexReader) {
	for _, rd := range rds {
		rd.Close()
	}
}

// searchReaders runs q on every shard at once, as Index.search does, each
// on its reader in rds, and merges the shards' offset+limit best by score
// as searchShards does (equal scores in shard order). It returns the page
// and the total (with the matches q's searchers left uncounted); hit IDs
// are "shard/document".
func searchReaders(t *testing.T, ix *Index, rds []bindex.IndexReader, q query.Query, offset, limit int) ([]*search.DocumentMatch, uint64) {
	t.Helper()
	bm25 := bm25Context(context.Background())
	hits := make([][]*search.DocumentMatch, len(rds))
	totals := make([]uint64, len(rds))
	errs := make([]error, len(rds))
	var wg sync.WaitGroup
	for k, rd := range rds {
		wg.Go(func() {
			s, err := q.Searcher(bm25, rd, ix.shards[k].Mapping(), search.SearcherOptions{})
			if err != nil {
				errs[k] = err
				return
			}
			coll := collector.NewTopNCollector(offset+limit, 0, search.ParseSortOrderStrings([]string{"-_score"}))
			errs[k] = coll.Collect(bm25, s, rd)
			s.Close() // before reading uncounted: Close reports the skipped
			hits[k], totals[k] = coll.Results(), coll.Total()
			for _, h := range hits[k] {
				h.ID = fmt.Sprintf("%d/%d", k, docNum(h.IndexInternalID))
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	all := slices.Concat(hits...)
	slices.SortStableFunc(all, func(a, b *search.DocumentMatch) int { return cmp.Compare(b.Score, a.Score) })
	var total uint64
	for _, n := range totals {
		total += n
	}
	return all[min(offset, len(all)):min(offset+limit, len(all))], total + uncountedMatches(q)
}
