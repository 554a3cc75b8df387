package index

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// facetFields are the facets a search can ask for: name → keyword field.
var facetFields = map[string]string{"category": fCategory, "author": fAuthorKW, "year": fYear}

// flatFacets counts the facets of a plain-word search (fq) without
// handing every match to bleve's collector, which reads the doc values
// of each match for each facet (for the common words of the benchmark,
// most of a search with facets; BENCHMARKS.md). In each segment the
// matches are the intersection of the words' postings bitmaps, less the
// deleted documents (segmentMatches), and each is counted from the facet
// columns of its segment (facetcols.go) into an array per field; the
// shards' arrays are added up through the index's global ordinals
// (globalOrds). It returns the facetSizeOf most frequent values of each
// facet, ties by value, as topFacets would.
//
// ok is false when the index is not made of scorch snapshots of zap
// segments; the caller then asks bleve.
func (ix *Index) flatFacets(ctx context.Context, fq *flatQuery) (facets map[string][]Facet, ok bool, err error) {
	counts := make([][][]int, len(ix.shards))
	views := make([]*columnView, len(ix.shards))
	oks := make([]bool, len(ix.shards))
	errs := make([]error, len(ix.shards))
	var wg sync.WaitGroup
	for k := range ix.shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer recoverDamage(&errs[k], k)
			counts[k], views[k], oks[k], errs[k] = ix.shardFacets(ctx, k, fq)
		}()
	}
	wg.Wait()
	for k := range ix.shards {
		if errs[k] != nil {
			return nil, false, errs[k]
		}
		if !oks[k] {
			return nil, false, nil
		}
	}
	g := ix.globalOrds.of(views)
	facets = map[string][]Facet{}
	for name, field := range facetFields {
		f := fieldIndex(field)
		total := make([]int, len(g.values[f])+1)
		for k, c := range counts {
			toGlobal := g.toGlobal[k][f]
			for ord, n := range c[f][1:] {
				if n > 0 {
					total[toGlobal[ord+1]] += n
				}
			}
		}
		facets[name] = topCounts(total, g.values[f], facetSizeOf(name))
	}
	return facets, true, nil
}

// topCounts returns the size values with the highest counts
// (counts[1+i] is that of values[i], which are sorted), ties by value:
// by ordinal, as the values are sorted, so no string is compared.
func topCounts(counts []int, values []string, size int) []Facet {
	type entry struct{ ord, count int }
	top := make([]entry, 0, size+1)
	before := func(a, b entry) bool { return a.count > b.count || a.count == b.count && a.ord < b.ord }
	for ord, n := range counts[1:] {
		if n == 0 {
			continue
		}
		top = insertTop(top, entry{ord, n}, before, size)
	}
	var out []Facet
	for _, e := range top {
		out = append(out, Facet{Term: values[e.ord], Count: e.count})
	}
	sortFacets(out)
	return out
}

// shardFacets counts, in shard k, the matches of fq per facet field and
// value: counts[f][1+i] is the number of matches whose value of
// facetColumnFields[f] is view.values[f][i].
func (ix *Index) shardFacets(ctx context.Context, k int, fq *flatQuery) (counts [][]int, view *columnView, ok bool, err error) {
	snap, err := ix.shardSnapshot(k)
	if err != nil {
		return nil, nil, false, fmt.Errorf("index: facets: %w", err)
	}
	defer snap.Close()
	if view, err = ix.columns[k].viewOf(ctx, snap); err != nil {
		return nil, nil, false, err
	}
	counts = make([][]int, len(facetColumnFields))
	for f := range facetColumnFields {
		counts[f] = make([]int, len(view.values[f])+1)
	}
	var terms []termSpec
	for _, w := range fq.words {
		terms = append(terms, w[0])
	}
	docs := make([]uint32, 256)
	for s, ss := range snap.Segments() {
		if err := ctx.Err(); err != nil {
			return nil, nil, false, err
		}
		bm, ok, err := segmentMatches(ss, terms, fq.excludeDeleted)
		if err != nil || !ok {
			return nil, nil, false, err
		}
		if bm == nil {
			continue
		}
		ords := view.ords[s]
		it := bm.ManyIterator()
		for {
			n := it.NextMany(docs)
			if n == 0 {
				break
			}
			for _, d := range docs[:n] {
				for f, col := range ords {
					counts[f][col[d]]++
				}
			}
		}
	}
	return counts, view, true, nil
}

// segmentMatches returns the documents of one segment that have every
// term and are not deleted (nor, with excludeDeleted, of status
// "deleted"): the intersection of the terms' postings bitmaps, nil for
// none. The bitmap may be the segment's own: it is only to be read. ok
// is false when the segment does not expose its postings as bitmaps.
func segmentMatches(ss *scorch.SegmentSnapshot, terms []termSpec, excludeDeleted bool) (bm *roaring.Bitmap, ok bool, err error) {
	seg := ss.Segment()
	dicts := map[string]segment.TermDictionary{}
	postings := func(field, term string) (*roaring.Bitmap, bool, error) {
		dict, found := dicts[field]
		if !found {
			if dict, err = seg.Dictionary(field); err != nil {
				return nil, false, fmt.Errorf("index: facets: %w", err)
			}
			dicts[field] = dict
		}
		pl, err := dict.PostingsList([]byte(term), nil, nil)
		if err != nil {
			return nil, false, fmt.Errorf("index: facets: %w", err)
		}
		it, isOpt := pl.Iterator(false, false, false, nil).(segment.OptimizablePostingsIterator)
		if !isOpt {
			return nil, false, nil
		}
		if d, one := it.DocNum1Hit(); one {
			return roaring.BitmapOf(uint32(d)), true, nil
		}
		return it.ActualBitmap(), true, nil // nil when the term is not in the segment
	}
	var sets []*roaring.Bitmap
	for _, t := range terms {
		b, ok, err := postings(t.field, t.term)
		if err != nil || !ok {
			return nil, ok, err
		}
		if b == nil || b.IsEmpty() {
			return nil, true, nil
		}
		sets = append(sets, b)
	}
	if len(sets) == 0 {
		return nil, true, nil
	}
	bm = sets[0]
	if len(sets) > 1 {
		bm = roaring.FastAnd(sets...)
	}
	var gone []*roaring.Bitmap
	if del := ss.Deleted(); del != nil && !del.IsEmpty() {
		gone = append(gone, del)
	}
	if excludeDeleted {
		b, ok, err := postings(fStatus, "deleted")
		if err != nil || !ok {
			return nil, ok, err
		}
		if b != nil && !b.IsEmpty() {
			gone = append(gone, b)
		}
	}
	for _, g := range gone {
		if g.Intersects(bm) {
			bm = roaring.AndNot(bm, g) // a new bitmap: the segment's stays as it is
		}
	}
	return bm, true, nil
}

// globalOrdCache maps the shards' facet values (each shard's column view
// has its own sorted list) to the index's: the sorted union, so that the
// counts of every shard add up in one array per field, with no merging
// of value lists per search (which, with thousands of authors, was a
// twentieth of a search page). It is made again when a view changes.
type globalOrdCache struct {
	mu   sync.Mutex
	last *globalOrds
}

type globalOrds struct {
	views    []*columnView
	values   [][]string   // [field] the sorted union of the views' values
	toGlobal [][][]uint32 // [shard][field][1+view ord] → 1+global ord
}

func (c *globalOrdCache) of(views []*columnView) *globalOrds {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.last != nil && slices.Equal(c.last.views, views) {
		return c.last
	}
	g := &globalOrds{views: slices.Clone(views), toGlobal: make([][][]uint32, len(views))}
	for f := range facetColumnFields {
		lists := make([][]string, len(views))
		for k, v := range views {
			lists[k] = v.values[f]
		}
		g.values = append(g.values, unionSorted(lists))
	}
	for k, v := range views {
		g.toGlobal[k] = make([][]uint32, len(facetColumnFields))
		for f := range facetColumnFields {
			g.toGlobal[k][f] = ordMap(v.values[f], g.values[f])
		}
	}
	c.last = g
	return g
}

// fieldTerms returns every term of field.
func fieldTerms(r bindex.IndexReader, field string) ([]string, error) {
	fd, err := r.FieldDict(field)
	if err != nil {
		return nil, fmt.Errorf("index: facets: %w", err)
	}
	defer fd.Close()
	terms := []string{}
	for {
		e, err := fd.Next()
		if err != nil {
			return nil, fmt.Errorf("index: facets: %w", err)
		}
		if e == nil {
			return terms, nil
		}
		terms = append(terms, e.Term)
	}
}
