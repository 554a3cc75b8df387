package index

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"tulieu/internal/benchcorpus"
)

// TestFlatMatchesBleve checks that a query of plain words evaluated by
// flatQuery finds the same documents, in the same order, with the same
// scores (up to bleve's query normalization, one factor per query) as
// the tree of bleve queries compiled for it.
func TestFlatMatchesBleve(t *testing.T) {
	skipAtScaleUnderRace(t)
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
	// Both forms are evaluated on the same snapshot of each shard: a
	// merge finishing between two searches changes bleve's statistics.
	bm25 := bm25Context(ctx)
	collect := func(q query.Query, r bindex.IndexReader, m mapping.IndexMapping) *bleve.SearchResult {
		if fq, ok := q.(*flatQuery); ok && fq.uncounted != nil {
			fq.uncounted.Store(0)
		}
		s, err := q.Searcher(bm25, r, m, search.SearcherOptions{})
		if err != nil {
			t.Fatal(err)
		}
		coll := collector.NewTopNCollector(50, 0, search.ParseSortOrderStrings([]string{"-_score"}))
		err = coll.Collect(bm25, s, r)
		s.Close() // before reading uncounted: Close reports the skipped
		if err != nil {
			t.Fatal(err)
		}
		res := &bleve.SearchResult{Total: coll.Total() + uncountedMatches(q), Hits: coll.Results()}
		for _, h := range res.Hits {
			h.ID = fmt.Sprint(docNum(h.IndexInternalID))
		}
		return res
	}
	type pair struct{ want, got *bleve.SearchResult }
	runBoth := func(q string, r Request, topK int) []pair {
		cq, err := compileQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		if cq.flat == nil {
			t.Fatalf("%q: not a flat query", q)
		}
		cq.flat.stats = &stats
		var out []pair
		for _, sh := range ix.shards {
			rd := shardReader(t, sh)
			out = append(out, pair{
				want: collect(buildQuery(cq, r, false, 0), rd, sh.Mapping()),
				got:  collect(buildQuery(cq, r, true, topK), rd, sh.Mapping()),
			})
			rd.Close()
		}
		return out
	}
	compared := 0
	for _, q := range queries {
		for _, r := range reqs {
			for _, topK := range []int{0, 3, 10} {
				for _, p := range runBoth(q, r, topK) {
					compared += compareHits(t, q, r, topK, p.want, p.got)
				}
			}
		}
	}
	if compared < 1000 {
		t.Errorf("only %d hits compared", compared)
	}
	t.Logf("%d queries × %d requests, %d hits compared; %d documents pruned (%d of them skipped), %d scored",
		len(queries), len(reqs), compared, stats.pruned.Load(), stats.skipped.Load(), stats.scored.Load())
	// The comparison above is of pruned searches too.
	if stats.intersected.Load() == 0 {
		t.Error("no pruned search found its candidates in a conjunction of bitmaps")
	}
	if stats.skipped.Load() == 0 {
		t.Error("no pruned document was left out of the collector")
	}
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

// compareHits checks got (flat) against want (bleve) and returns the
// number of hits compared. Without pruning (topK 0) all hits must agree;
// with pruning for the best topK, those.
func compareHits(t *testing.T, q string, r Request, topK int, want, got *bleve.SearchResult) int {
	t.Helper()
	if topK > 0 {
		want.Hits, got.Hits = want.Hits[:min(topK, len(want.Hits))], got.Hits[:min(topK, len(got.Hits))]
	}
	if got.Total != want.Total || len(got.Hits) != len(want.Hits) {
		t.Errorf("%q %+v: flat total %d (%d hits), bleve %d (%d hits)", q, r, got.Total, len(got.Hits), want.Total, len(want.Hits))
		return 0
	}
	if len(want.Hits) == 0 {
		return 0
	}
	norm := got.Hits[0].Score / want.Hits[0].Score
	for i := range want.Hits {
		g, w := got.Hits[i], want.Hits[i]
		if g.ID != w.ID && math.Abs(g.Score/got.Hits[0].Score-w.Score/want.Hits[0].Score) > 1e-9 {
			t.Errorf("%q %+v topK %d: hit %d is %s (%.6g), bleve has %s (%.6g)", q, r, topK, i, g.ID, g.Score, w.ID, w.Score)
			return i
		}
		if ratio := g.Score / w.Score; math.Abs(ratio/norm-1) > 1e-9 {
			t.Errorf("%q %+v topK %d: hit %d score ratio %.9g, first hit %.9g", q, r, topK, i, ratio, norm)
			return i
		}
	}
	return len(want.Hits)
}

// TestPrunedSearchTotal checks that a search sorted by relevance, whose
// pruned matches never reach the collector, still reports all of them:
// its total is that of the same search sorted by date, which is not
// pruned.
func TestPrunedSearchTotal(t *testing.T) {
	skipAtScaleUnderRace(t)
	t.Run("all fields", func(t *testing.T) { testPrunedSearchTotal(t, genDocs(1500)) })
	// No document has an author: its fields have no length to bound
	// BM25 by, and bleve scores their terms by tf-idf, unbounded.
	docs := genDocs(1500)
	for i := range docs {
		docs[i].Author = ""
	}
	t.Run("no author", func(t *testing.T) { testPrunedSearchTotal(t, docs) })
}

func testPrunedSearchTotal(t *testing.T, docs []Document) {
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	defer ix.Close()
	ctx := context.Background()
	if err := ix.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	queries := benchGen().Queries(20, benchcorpus.QueryKind{Syllables: 2}, 3)
	queries = append(queries, benchGen().Queries(10, benchcorpus.QueryKind{Syllables: 1}, 3)...)
	large := 0
	for _, q := range queries {
		rel, err := ix.Search(ctx, Request{Query: q, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		byDate, err := ix.Search(ctx, Request{Query: q, Limit: 3, Sort: "newest", Facets: true})
		if err != nil {
			t.Fatal(err)
		}
		if rel.Total != byDate.Total {
			t.Errorf("%q: total %d sorted by relevance, %d by date", q, rel.Total, byDate.Total)
		}
		// Facets count every match: a search asking for them is not
		// pruned.
		relFacets, err := ix.Search(ctx, Request{Query: q, Limit: 3, Facets: true})
		if err != nil {
			t.Fatal(err)
		}
		if relFacets.Total != byDate.Total || !reflect.DeepEqual(relFacets.Facets, byDate.Facets) {
			t.Errorf("%q: with facets, sorted by relevance: total %d, facets %v; by date: %d, %v",
				q, relFacets.Total, relFacets.Facets, byDate.Total, byDate.Facets)
		}
		if rel.Total > 100 {
			large++
		}
	}
	if large < 5 {
		t.Errorf("only %d of %d queries match more than 100 documents", large, len(queries))
	}
}

// TestFlatFacets checks the facets of searches, those of plain words
// counted by flatFacets, against bleve's facets of the same matches
// (asked with a size large enough that no shard trims them), deleted
// articles in or out.
func TestFlatFacets(t *testing.T) {
	skipAtScaleUnderRace(t)
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	defer ix.Close()
	ctx := context.Background()
	docs := genDocs(1500)
	for i := range docs {
		switch {
		case i%29 == 0:
			docs[i].Status = "deleted"
		case i%31 == 0:
			docs[i].Author, docs[i].Published = "", ""
		}
	}
	// In batches, so that the shards have several segments; then some
	// documents replaced (with another author) and some removed, so that
	// the older segments hold deleted documents.
	for from := 0; from < len(docs); from += 300 {
		if err := ix.Put(ctx, docs[from:min(len(docs), from+300)]...); err != nil {
			t.Fatal(err)
		}
	}
	var changed []Document
	var removed []string
	for i := 0; i < len(docs); i += 7 {
		if i%2 == 0 {
			d := docs[i]
			d.Author = "Tác giả thay " + d.Author
			changed = append(changed, d)
		} else {
			removed = append(removed, docs[i].ID)
		}
	}
	if err := ix.Put(ctx, changed...); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete(ctx, removed...); err != nil {
		t.Fatal(err)
	}
	queries := benchGen().Queries(10, benchcorpus.QueryKind{Syllables: 2}, 5)
	queries = append(queries, benchGen().Queries(5, benchcorpus.QueryKind{Syllables: 1, Accented: true}, 5)...)
	queries = append(queries, "zzzz", "đảng zzzz")
	// And bleve's facets, for searches that are not plain words.
	for _, q := range queries[:4] {
		queries = append(queries, `"`+q+`"`, q+" -zzzz")
	}
	// The plain words are counted by flatFacets, not by bleve after it
	// gave up.
	cq, err := compileQuery(queries[0])
	if err != nil {
		t.Fatal(err)
	}
	fq, isFlat := buildQuery(cq, Request{Query: queries[0]}, true, 0).(*flatQuery)
	if !isFlat {
		t.Fatalf("%q is not a flat query", queries[0])
	}
	if _, ok, err := ix.flatFacets(ctx, fq); !ok || err != nil {
		t.Fatalf("flatFacets(%q): ok %v, %v", queries[0], ok, err)
	}
	trimmed := facetsMatchBleve(t, ix, queries)
	if !trimmed {
		t.Error("no facet had more values than facetSize")
	}
}

// facetsMatchBleve checks the facets of each query (with and without the
// deleted documents) against bleve's own, untrimmed and trimmed here as
// Search trims; it reports whether some facet had more values than
// facetSize.
func facetsMatchBleve(t *testing.T, ix *Index, queries []string) bool {
	t.Helper()
	ctx := context.Background()
	trimmed := false
	for _, q := range queries {
		for _, inclDeleted := range []bool{false, true} {
			req := Request{Query: q, Limit: 5, Facets: true, IncludeDeleted: inclDeleted}
			got, err := ix.Search(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			cq, err := compileQuery(q)
			if err != nil {
				t.Fatal(err)
			}
			sr := bleve.NewSearchRequestOptions(buildQuery(cq, req, false, 0), 0, 0, false)
			sr.Facets = bleve.FacetsRequest{}
			for name, field := range facetFields {
				sr.Facets[name] = bleve.NewFacetRequest(field, 1<<20)
			}
			ref, err := ix.alias.SearchInContext(ctx, sr)
			if err != nil {
				t.Fatal(err)
			}
			if got.Total != ref.Total {
				t.Errorf("%q deleted %v: total %d, bleve %d", q, inclDeleted, got.Total, ref.Total)
			}
			for name, fr := range ref.Facets {
				var want []Facet
				for _, tf := range fr.Terms.Terms() {
					want = append(want, Facet{Term: tf.Term, Count: tf.Count})
				}
				sort.Slice(want, func(i, j int) bool {
					if want[i].Count != want[j].Count {
						return want[i].Count > want[j].Count
					}
					return want[i].Term < want[j].Term
				})
				if len(want) > facetSize {
					want, trimmed = want[:facetSize], true
				}
				sortFacets(want) // chosen by byte order, shown in Vietnamese order
				if name == "year" {
					sort.Slice(want, func(i, j int) bool { return want[i].Term > want[j].Term })
				}
				if len(want) == 0 {
					want = nil
				}
				g := got.Facets[name]
				if len(g) == 0 {
					g = nil
				}
				if !reflect.DeepEqual(g, want) {
					t.Errorf("%q deleted %v: facet %s\n got %v\nwant %v", q, inclDeleted, name, g, want)
				}
			}
		}
	}
	return trimmed
}

// shardReader opens a reader of one shard's current snapshot.
func shardReader(t *testing.T, sh bleve.Index) bindex.IndexReader {
	t.Helper()
	adv, err := sh.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// bm25Context makes searchers called directly score as a search of
// the index (whose mapping says BM25) does.
func bm25Context(ctx context.Context) context.Context {
	return context.WithValue(ctx, search.GetScoringModelCallbackKey,
		search.GetScoringModelCallbackFn(func() string { return bindex.BM25Scoring }))
}

// TestSkipKeepsAdjacentWords is a search whose best documents owe their
// rank to the words standing next to each other in the text, and to
// nothing else: the documents that fill the top k first have both words
// in the title, apart. Skipping (the top 3) must find the same first
// three as a search that cannot skip (the top 100).
func TestSkipKeepsAdjacentWords(t *testing.T) {
	for _, reps := range []int{2, 4, 8} {
		ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
		ctx := context.Background()
		var docs []Document
		for i := range 60 {
			docs = append(docs, Document{ID: fmt.Sprintf("t%02d", i), Title: "xoai a b quyt", Author: "tac gia",
				Body: fmt.Sprintf("xoai la mot loai trai cay. Con quyt thi khac. %d", i)})
		}
		for i := range 200 {
			docs = append(docs, Document{ID: fmt.Sprintf("f%03d", i), Title: "tin khac", Author: "tac gia",
				Body: fmt.Sprintf("noi dung khac hoan toan %d", i)})
		}
		if err := ix.Put(ctx, docs...); err != nil {
			t.Fatal(err)
		}
		var late []Document
		for i := range 4 {
			late = append(late, Document{ID: fmt.Sprintf("z%d", i), Title: "bai viet", Author: "tac gia",
				Body: strings.Repeat("xoai quyt ", reps) + "ngon"})
		}
		if err := ix.Put(ctx, late...); err != nil {
			t.Fatal(err)
		}
		top, err := ix.Search(ctx, Request{Query: "xoai quyt", Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		all, err := ix.Search(ctx, Request{Query: "xoai quyt", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		// (The z documents score the same: their order among themselves
		// is not the test's.)
		for i, h := range top.Hits {
			if want := all.Hits[i]; !strings.HasPrefix(h.ID, "z") || math.Abs(h.Score-want.Score) > 1e-9*want.Score {
				t.Errorf("%d repetitions: top 3 %v, first 3 of 100 %v", reps, ids(top), ids(all)[:3])
				break
			}
		}
		ix.Close()
	}
}

// TestFacetColumns: facets counted from the segments' columns equal
// bleve's, over several segments, replaced and deleted documents, and
// after the index changes (new segments built, merged ones dropped).
func TestFacetColumns(t *testing.T) {
	skipAtScaleUnderRace(t)
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	defer ix.Close()
	ctx := context.Background()
	docs := genDocs(1200)
	// Several batches: several segments per shard.
	for from := 0; from < len(docs); from += 300 {
		if err := ix.Put(ctx, docs[from:from+300]...); err != nil {
			t.Fatal(err)
		}
	}
	queries := benchGen().Queries(8, benchcorpus.QueryKind{Syllables: 1}, 9)
	queries = append(queries, benchGen().Queries(4, benchcorpus.QueryKind{Syllables: 2, Accented: true}, 9)...)
	facetsMatchBleve(t, ix, queries)
	built := ix.columns[0].builds.Load() + ix.columns[1].builds.Load()
	if built == 0 {
		t.Fatal("no segment's columns were built: the column path was not taken")
	}
	// Replace some documents (a new author, another category), delete
	// others, mark some deleted: new segments, and deletions in old ones.
	var changed []Document
	var gone []string
	for i := range docs {
		switch {
		case i%7 == 0:
			d := docs[i]
			d.Author, d.Category = "Tác giả Mới", "Chuyên mục mới"
			changed = append(changed, d)
		case i%11 == 0:
			gone = append(gone, docs[i].ID)
		case i%13 == 0:
			d := docs[i]
			d.Status = "deleted"
			changed = append(changed, d)
		}
	}
	if err := ix.Put(ctx, changed...); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete(ctx, gone...); err != nil {
		t.Fatal(err)
	}
	facetsMatchBleve(t, ix, queries)
	if after := ix.columns[0].builds.Load() + ix.columns[1].builds.Load(); after == built {
		t.Error("the new segments' columns were not built")
	}
	for k, c := range ix.columns {
		// The cache forgets the columns of merged segments when it next
		// serves a snapshot: ask it for the one read here (scorch may
		// merge in the background at any time after the searches above).
		r := shardReader(t, ix.shards[k])
		snap := r.(*scorch.IndexSnapshot)
		if _, err := c.viewOf(ctx, snap); err != nil {
			t.Fatal(err)
		}
		live := len(snap.Segments())
		c.mu.Lock()
		n := len(c.segs)
		c.mu.Unlock()
		r.Close()
		if n > live {
			t.Errorf("shard %d keeps the columns of %d segments, %d are live", k, n, live)
		}
	}
}

// TestTopFacets: the selection equals a full sort, trimmed.
func TestTopFacets(t *testing.T) {
	for _, n := range []int{0, 1, 29, 30, 31, 500} {
		var fs []Facet
		for i := range n {
			fs = append(fs, Facet{Term: fmt.Sprintf("t%03d", (i*37)%n), Count: (i * 13) % 7})
		}
		want := slices.Clone(fs)
		sort.Slice(want, func(i, j int) bool {
			if want[i].Count != want[j].Count {
				return want[i].Count > want[j].Count
			}
			return want[i].Term < want[j].Term
		})
		want = want[:min(len(want), facetSize)]
		if got := topFacets(fs, facetSize); !slices.Equal(got, want) {
			t.Errorf("%d values: %v, want %v", n, got, want)
		}
	}
}
