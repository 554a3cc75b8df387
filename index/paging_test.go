package index

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// TestPaginationTiesAcrossShards: articles published the same day (the
// extractor writes date-only "2020-03-07" for most) tie on the sort key of
// newest and oldest, and identical texts tie on relevance. Paging through
// them shows each article once (searchShards); bleve's alias, which merged
// the shards as they answered and broke ties by each shard's own hit
// count, showed some twice and others never.
func TestPaginationTiesAcrossShards(t *testing.T) {
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	defer ix.Close()
	const n, limit = 36, 7
	// As many in each shard, so that both score alike.
	var docs []Document
	perShard := map[int]int{}
	for i := 0; len(docs) < n; i++ {
		id := fmt.Sprintf("d%02d", i)
		if k := ix.shardOf(id); perShard[k] < n/2 {
			perShard[k]++
			docs = append(docs, Document{ID: id, Title: "Tin trong ngày",
				Body: "Nội dung tin.", Category: "Tin tức", Published: "2020-03-07"})
		}
	}
	if err := ix.Put(context.Background(), docs...); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ query, sort string }{
		{"", "newest"}, // the default listing
		{"tin", "newest"},
		{"tin", "oldest"},
		{"tin", "relevance"},
	} {
		for iter := 0; iter < 50; iter++ {
			seen := map[string]int{}
			for off := 0; off < n; off += limit {
				r := doSearch(t, ix, Request{Query: c.query, Sort: c.sort, Limit: limit, Offset: off})
				if r.Total != n {
					t.Fatalf("total %d, want %d", r.Total, n)
				}
				for _, h := range r.Hits {
					seen[h.ID]++
				}
			}
			if len(seen) != n {
				var twice []string
				for id, k := range seen {
					if k > 1 {
						twice = append(twice, id)
					}
				}
				t.Errorf("query %q sort %s (attempt %d): %d pages of %d gave %d distinct articles of %d; shown twice: %v",
					c.query, c.sort, iter+1, n/limit, limit, len(seen), n, twice)
				break
			}
		}
	}
}
