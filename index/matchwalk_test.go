package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// searchAfterWalk is the walk through bleve's public API that
// walkMatches replaced: pages of a search sorted by date, then id,
// continued with search_after. It is the reference the walk must equal.
func searchAfterWalk(t *testing.T, ix *Index, req Request) []string {
	t.Helper()
	req.Limit, req.Offset, req.Sort, req.Facets = 0, 0, "newest", false
	cq, err := compileQuery(req.Query)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var after []string
	for {
		sr := bleve.NewSearchRequestOptions(buildQuery(cq, req, true, 0), 500, 0, false)
		sr.SortBy([]string{"-" + fPublished, "_id"})
		sr.Score = "none"
		if after != nil {
			sr.SetSearchAfter(after)
		}
		res, err := ix.alias.SearchInContext(context.Background(), sr)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		if len(res.Hits) < 500 {
			return out
		}
		after = res.Hits[len(res.Hits)-1].Sort
	}
}

// TestMatchWalkEqualsSearchAfter: on an index of many segments, with
// documents replaced and deleted, shared publication days and undated
// documents, MatchIDs gives exactly bleve's own walk, in the same order,
// for every kind of query and filter.
func TestMatchWalkEqualsSearchAfter(t *testing.T) {
	ix := openTest(t, t.TempDir())
	defer ix.Close()
	rng := rand.New(rand.NewPCG(6, 12))
	words := []string{"Đảng bộ", "Thanh Hóa", "chi bộ", "sinh hoạt", "hội nghị", "cán bộ", "kinh tế", "chuyển đổi số"}
	cats := []string{"Tin tức chung", "Tư liệu", "Hoạt động của các tổ chức CSĐ trực thuộc"}
	doc := func(i, rev int) Document {
		d := Document{
			ID:       fmt.Sprintf("a%04d", i),
			Title:    words[rng.IntN(len(words))] + " " + words[rng.IntN(len(words))],
			Body:     fmt.Sprintf("%s %s %s, lần %d.", words[rng.IntN(len(words))], words[rng.IntN(len(words))], words[rng.IntN(len(words))], rev),
			Category: cats[rng.IntN(len(cats))],
			Author:   []string{"Lê Văn An", "Nguyễn Thị Bình", ""}[rng.IntN(3)],
		}
		switch rng.IntN(4) {
		case 0: // undated
		case 1:
			d.Published = fmt.Sprintf("2025-0%d-01", 1+rng.IntN(3)) // many share a day
		default:
			d.Published = time.Date(2020+rng.IntN(6), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), 0, 0, 0, time.UTC).Format(time.RFC3339)
		}
		if rng.IntN(15) == 0 {
			d.Status = "deleted"
		}
		return d
	}
	ctx := context.Background()
	// Batches make segments; later batches replace and delete earlier
	// documents, leaving deleted documents inside old segments.
	put := func(batch int) {
		var docs []Document
		for i := range 150 {
			docs = append(docs, doc(batch*100+i, batch))
		}
		if err := ix.Put(ctx, docs...); err != nil {
			t.Fatal(err)
		}
		if batch%3 == 2 {
			var gone []string
			for range 20 {
				gone = append(gone, fmt.Sprintf("a%04d", rng.IntN(batch*100+150)))
			}
			if err := ix.Delete(ctx, gone...); err != nil {
				t.Fatal(err)
			}
		}
	}
	segments := func() int {
		n := 0
		for k := range ix.shards {
			adv, _ := ix.shards[k].Advanced()
			r, err := adv.Reader()
			if err != nil {
				t.Fatal(err)
			}
			if snap, ok := r.(*scorch.IndexSnapshot); ok {
				n += len(snap.Segments())
			}
			r.Close()
		}
		return n
	}
	batch := 0
	for ; batch < 8; batch++ {
		put(batch)
	}
	// Scorch merges segments in the background, at its own pace: more
	// batches, given time to be persisted apart, until each shard has
	// several.
	for ; segments() < 2*len(ix.shards); batch++ {
		if batch == 40 {
			t.Fatalf("%d segments over %d shards after %d batches: the test means several per shard", segments(), len(ix.shards), batch)
		}
		time.Sleep(50 * time.Millisecond)
		put(batch)
	}
	reqs := []Request{
		{Query: ""},
		{Query: "dang bo"},
		{Query: "Thanh Hóa"},
		{Query: `"chi bộ"`},
		{Query: "hoi nghi OR kinh te"},
		{Query: "can bo -kinh"},
		{Query: "title:hội"},
		{Query: "", Category: "Tư liệu"},
		{Query: "đảng", Author: "binh"},
		{Query: "", From: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)},
		{Query: "so", IncludeDeleted: true},
		{Query: "", IncludeDeleted: true},
		{Query: "khongcotu"},
	}
	nonEmpty := 0
	for _, req := range reqs {
		want := searchAfterWalk(t, ix, req)
		if len(want) > 0 {
			nonEmpty++
		}
		var got []string
		if err := ix.MatchIDs(ctx, req, func(ids []string) error {
			got = append(got, ids...)
			return nil
		}); err != nil {
			t.Fatalf("%+v: %v", req, err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%+v: the walk gave %d ids, bleve's %d; first difference at %d", req, len(got), len(want), firstDiff(got, want))
		}
	}
	if nonEmpty < len(reqs)-1 {
		t.Errorf("only %d of %d requests match anything", nonEmpty, len(reqs))
	}
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
