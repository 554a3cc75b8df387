package index

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Facet columns: for each segment of a shard, each facet field's value
// per document, as a small integer (an ordinal into the segment's list of
// values). Counting a search's facets is then one array lookup per match
// instead of a doc-values read and a map update per match (the author
// facet was 40 % of a search page at 50 000 articles, BENCHMARKS.md), as
// Lucene's doc-values ordinals and Elasticsearch's global ordinals do.
//
// Segments are immutable, so a segment's columns are built once, the
// first time a search with facets meets it, by walking the postings of
// each value of each facet field (their total is one posting per
// document and field), and kept while the segment is in the shard's
// current snapshot. Merges make new segments; their columns are built
// when first needed and those of the merged ones are dropped.

// segColumns are one segment's facet columns.
type segColumns struct {
	// values[f] are the values of facetColumnFields[f] in this segment;
	// ords[f][doc] is 1 + the index of doc's value in values[f], 0 for
	// none.
	values [][]string
	ords   [][]uint32
}

// facetColumnFields orders the facet fields for the columns.
var facetColumnFields = []string{fCategory, fAuthorKW, fYear}

// columnCache holds the columns of the segments of one shard.
type columnCache struct {
	mu     sync.Mutex
	segs   map[segment.Segment]*segColumns
	view   *columnView  // of the last snapshot asked for
	builds atomic.Int64 // segments whose columns were built (tests)
}

// columnView is the columns of one snapshot's segments in terms of the
// snapshot's values: per field, every value of every segment, sorted, and
// per segment and document the position of its value in that list. A
// search counts into one array per field, with no merging of the
// segments' values (which, done per search, was a fifth of its time). It
// is made again only when the segments change.
type columnView struct {
	segs   []segment.Segment
	values [][]string   // [field] sorted values
	ords   [][][]uint32 // [segment][field][doc]: 1 + index in values, 0 for none
}

// viewOf returns the column view of snap.
func (c *columnCache) viewOf(ctx context.Context, snap *scorch.IndexSnapshot) (*columnView, error) {
	segs := snap.Segments()
	c.mu.Lock()
	defer c.mu.Unlock()
	if v := c.view; v != nil && len(v.segs) == len(segs) {
		same := true
		for k, ss := range segs {
			if v.segs[k] != ss.Segment() {
				same = false
				break
			}
		}
		if same {
			return v, nil
		}
	}
	cols, err := c.columns(ctx, snap)
	if err != nil {
		return nil, err
	}
	v := &columnView{}
	for _, ss := range segs {
		v.segs = append(v.segs, ss.Segment())
	}
	for f := range facetColumnFields {
		lists := make([][]string, len(cols))
		for k, sc := range cols {
			lists[k] = sc.values[f]
		}
		v.values = append(v.values, unionSorted(lists))
	}
	v.ords = make([][][]uint32, len(cols))
	for k, sc := range cols {
		v.ords[k] = make([][]uint32, len(facetColumnFields))
		for f := range facetColumnFields {
			// The segment's values, as positions in the view's.
			toView := ordMap(sc.values[f], v.values[f])
			ords := make([]uint32, len(sc.ords[f]))
			for doc, o := range sc.ords[f] {
				ords[doc] = toView[o]
			}
			v.ords[k][f] = ords
		}
	}
	c.view = v
	return v, nil
}

// ordMap maps 1 + the index of each of values in all (sorted, holding
// them all) to 1 + its index there; 0 stays 0 (no value).
func ordMap(values, all []string) []uint32 {
	m := make([]uint32, len(values)+1)
	for i, val := range values {
		m[i+1] = uint32(sort.SearchStrings(all, val)) + 1
	}
	return m
}

// unionSorted is the sorted union of sorted lists.
func unionSorted(lists [][]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// columns returns the columns of every segment of snap, building those it
// lacks, and forgets the segments that are no longer in snap. The global
// field dictionaries give the values to look for in each segment. c.mu is
// held.
func (c *columnCache) columns(ctx context.Context, snap *scorch.IndexSnapshot) ([]*segColumns, error) {
	segs := snap.Segments()
	out := make([]*segColumns, len(segs))
	if c.segs == nil {
		c.segs = map[segment.Segment]*segColumns{}
	}
	var values [][]string // the snapshot's values per field, read once if needed
	live := make(map[segment.Segment]bool, len(segs))
	for k, ss := range segs {
		seg := ss.Segment()
		live[seg] = true
		if cols, ok := c.segs[seg]; ok {
			out[k] = cols
			continue
		}
		if values == nil {
			for _, field := range facetColumnFields {
				terms, err := fieldTerms(snap, field)
				if err != nil {
					return nil, err
				}
				values = append(values, terms)
			}
		}
		cols, err := buildColumns(ctx, seg, values)
		if err != nil {
			return nil, err
		}
		c.segs[seg] = cols
		c.builds.Add(1)
		out[k] = cols
	}
	// A search on an older snapshot may still run, and its segments may
	// come back in a later one only if they are still live: dropping them
	// here costs at most a rebuild.
	for seg := range c.segs {
		if !live[seg] {
			delete(c.segs, seg)
		}
	}
	return out, nil
}

// buildColumns uninverts the facet fields of one segment: for each value,
// its postings set the value of their documents.
func buildColumns(ctx context.Context, seg segment.Segment, values [][]string) (*segColumns, error) {
	n := seg.Count()
	cols := &segColumns{}
	var it segment.PostingsIterator
	for f, field := range facetColumnFields {
		dict, err := seg.Dictionary(field)
		if err != nil {
			return nil, fmt.Errorf("index: facet columns: %w", err)
		}
		ords := make([]uint32, n)
		var vals []string
		for _, term := range values[f] {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			pl, err := dict.PostingsList([]byte(term), nil, nil)
			if err != nil {
				return nil, fmt.Errorf("index: facet columns: %w", err)
			}
			if pl.Count() == 0 {
				continue
			}
			vals = append(vals, term)
			ord := uint32(len(vals))
			it = pl.Iterator(false, false, false, it)
			for {
				p, err := it.Next()
				if err != nil {
					return nil, fmt.Errorf("index: facet columns: %w", err)
				}
				if p == nil {
					break
				}
				if d := p.Number(); d < n {
					ords[d] = ord
				}
			}
		}
		cols.values = append(cols.values, vals)
		cols.ords = append(cols.ords, ords)
	}
	return cols, nil
}

func fieldIndex(field string) int {
	for i, f := range facetColumnFields {
		if f == field {
			return i
		}
	}
	panic("index: " + field + " is not a facet field")
}
