package index

import (
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"tulieu/internal/benchcorpus"
)

// TestFlatMatchesBleve checks that a query of plain words evaluated by
// flatQuery finds the same documents, in the same order, with the same
// scores (up to bleve's query normalization, one factor per query) as
// the tree of bleve queries compiled for it.
func TestFlatMatchesBleve(t *testing.T) {
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	defer ix.Close()
	ctx := context.Background()
	docs := append(genDocs(1000), corpus...)
	for i := 0; i < 1000; i += 37 {
		docs[i].Status = "deleted"
	}
	if err := ix.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	var queries []string
	for _, k := range []benchcorpus.QueryKind{{Syllables: 1}, {Syllables: 2}, {Syllables: 2, Accented: true},
		{Syllables: 3, Accented: true}, {Syllables: 4}} {
		queries = append(queries, benchGen().Queries(15, k, 7)...)
	}
	queries = append(queries, "Thanh Hóa", "thanh hoa", "đảng bộ", "Điện Bien Phu", "chiến binh", "hoà", "zzzz", "đảng zzzz")
	reqs := []Request{{}, {IncludeDeleted: true}, {Category: "Xây dựng Đảng"},
		{From: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}}
	var stats flatStats
	run := func(q string, r Request, flat bool, topK int) *bleve.SearchResult {
		cq, err := compileQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		if flat && cq.flat == nil {
			t.Fatalf("%q: not a flat query", q)
		}
		if flat {
			cq.flat.stats = &stats
		}
		sr := bleve.NewSearchRequestOptions(buildQuery(cq, r, flat, topK), 50, 0, false)
		sr.SortBy([]string{"-_score"})
		res, err := ix.alias.SearchInContext(ctx, sr)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	compared := 0
	for _, q := range queries {
		for _, r := range reqs {
			for _, topK := range []int{0, 10} {
				// Without pruning all 50 hits must agree; with pruning for
				// the best 10 (none under a filter), those 10.
				want, got := run(q, r, false, 0), run(q, r, true, topK)
				if topK > 0 {
					want.Hits, got.Hits = want.Hits[:min(topK, len(want.Hits))], got.Hits[:min(topK, len(got.Hits))]
				}
				if got.Total != want.Total || len(got.Hits) != len(want.Hits) {
					t.Errorf("%q %+v: flat total %d (%d hits), bleve %d (%d hits)", q, r, got.Total, len(got.Hits), want.Total, len(want.Hits))
					continue
				}
				for i := range want.Hits {
					g, w := got.Hits[i], want.Hits[i]
					// Equal scores may come in either order from the shards.
					if g.ID != w.ID && math.Abs(g.Score/got.Hits[0].Score-w.Score/want.Hits[0].Score) > 1e-9 {
						t.Errorf("%q %+v: hit %d is %s (%.6g), bleve has %s (%.6g)", q, r, i, g.ID, g.Score, w.ID, w.Score)
						break
					}
					if ratio := g.Score / w.Score; math.Abs(ratio/(got.Hits[0].Score/want.Hits[0].Score)-1) > 1e-9 {
						t.Errorf("%q %+v: hit %d score ratio %.9g, first hit %.9g", q, r, i, ratio, got.Hits[0].Score/want.Hits[0].Score)
						break
					}
					compared++
				}
			}
		}
	}
	if compared < 1000 {
		t.Errorf("only %d hits compared", compared)
	}
	t.Logf("%d queries × %d requests, %d hits compared; %d documents pruned, %d scored",
		len(queries), len(reqs), compared, stats.pruned.Load(), stats.scored.Load())
	// The comparison above is of pruned searches too.
	if stats.pruned.Load() < stats.scored.Load()/10 {
		t.Errorf("pruning left out only %d documents of %d", stats.pruned.Load(), stats.pruned.Load()+stats.scored.Load())
	}
	for _, q := range []string{`"chi bộ"`, "tieude:x", "a -b", "a OR b", "05-CT/TW", "x y"} {
		cq, err := compileQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		if (cq.flat != nil) != (q == "x y") {
			t.Errorf("%q: flat %v", q, cq.flat != nil)
		}
	}
}
