package index

import (
	"context"
	"path/filepath"
	"testing"
)

// TestSearchAnEmptyIndex: an index that holds no document (a first crawl
// that archived only listings, a --max-pages 1 run, every article
// reclassified by `reextract`) must answer the README's "an empty query
// lists every article" and a filter-only search with no hits, not an
// error. (From a review: `tulieu search ""`, `tulieu search --category X`,
// the home page "/" and /api/search?q= all failed with bleve's "field stat
// for bm25 not present status", exit 1, HTTP 500.)
// The cause was in index/bm25stats.go bm25Stats: with total.DocCount == 0 the
// per-shard FieldCardinality map is left empty (the `if total.DocCount > 0`
// guard skips every field), so bleve's term searcher on "status" (the
// must-not-deleted clause of search.go) refuses the field.
func TestSearchAnEmptyIndex(t *testing.T) {
	ctx := context.Background()
	check := func(t *testing.T, ix *Index) {
		for _, req := range []Request{
			{Limit: 10},                       // tulieu search ""
			{Limit: 10, Category: "Tư liệu"},  // tulieu search --category "Tư liệu"
			{Limit: 10, Sort: "newest"},       // the home page's newest articles
			{Limit: 10, IncludeDeleted: true}, // (this one works)
		} {
			r, err := ix.Search(ctx, req)
			if err != nil {
				t.Errorf("Search(%+v) on an index with no document: %v; want 0 hits", req, err)
				continue
			}
			if r.Total != 0 {
				t.Errorf("Search(%+v): total %d, want 0", req, r.Total)
			}
		}
	}
	t.Run("never filled", func(t *testing.T) {
		ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
		t.Cleanup(func() { ix.Close() })
		check(t, ix)
	})
	t.Run("every document deleted", func(t *testing.T) {
		ix, _ := newTestIndex(t)
		var all []string
		for _, d := range corpus {
			all = append(all, d.ID)
		}
		if err := ix.Delete(ctx, all...); err != nil {
			t.Fatal(err)
		}
		check(t, ix)
	})
}
