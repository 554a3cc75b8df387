package index

import (
	"context"
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	bindex "github.com/blevesearch/bleve_index_api"
)

// facetFields are the facets a search can ask for: name → keyword field.
var facetFields = map[string]string{"category": fCategory, "author": fAuthorKW, "year": fYear}

// flatFacets counts the facets of a plain-word search (fq) without
// handing every match to bleve's collector, which reads the doc values
// of each match for each facet (for the common words of the benchmark,
// most of a search with facets; BENCHMARKS.md). The matches are the
// intersection of the words' postings bitmaps (scorch's unadorned
// conjunction), and each is counted from the facet columns of its
// segment (facetcols.go). It returns every value with its count, sorted
// by value (the caller keeps the top ones).
//
// ok is false when the index is not a scorch snapshot, or cannot
// intersect bitmaps; the caller then asks bleve.
func (ix *Index) flatFacets(ctx context.Context, fq *flatQuery) (facets map[string][]Facet, ok bool, err error) {
	counts := make([]map[string][]Facet, len(ix.shards))
	oks := make([]bool, len(ix.shards))
	errs := make([]error, len(ix.shards))
	var wg sync.WaitGroup
	for k := range ix.shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts[k], oks[k], errs[k] = ix.shardFacets(ctx, k, fq)
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
	facets = map[string][]Facet{}
	for name := range facetFields {
		lists := make([][]Facet, len(counts))
		for k, c := range counts {
			lists[k] = c[name]
		}
		facets[name] = mergeFacets(lists)
	}
	return facets, true, nil
}

// shardFacets counts, in shard k, the matches of fq per facet and term;
// each facet's values come sorted by value.
func (ix *Index) shardFacets(ctx context.Context, k int, fq *flatQuery) (map[string][]Facet, bool, error) {
	adv, err := ix.shards[k].Advanced()
	if err != nil {
		return nil, false, fmt.Errorf("index: facets: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, false, fmt.Errorf("index: facets: %w", err)
	}
	defer r.Close()
	snap, isSnap := r.(*scorch.IndexSnapshot)
	if !isSnap {
		return nil, false, nil
	}
	var open []bindex.TermFieldReader
	defer func() {
		for _, t := range open {
			t.Close()
		}
	}()
	reader := func(field, term string) (bindex.TermFieldReader, error) {
		tr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
		if err == nil {
			open = append(open, tr)
		}
		return tr, err
	}
	var words []bindex.TermFieldReader
	for _, w := range fq.words {
		tr, err := reader(w[0].field, w[0].term)
		if err != nil {
			return nil, false, err
		}
		words = append(words, tr)
	}
	// matches returns the documents that have every term of trs: their
	// intersection (see intersect), or a single reader as it is (then
	// read for the last time). ok is false when they cannot be
	// intersected.
	matches := func(trs []bindex.TermFieldReader) (tr bindex.TermFieldReader, ok bool, err error) {
		if len(trs) == 1 {
			return trs[0], true, nil
		}
		if tr, ok, err = intersect(trs); err == nil && ok {
			open = append(open, tr)
		}
		return tr, ok, err
	}
	// The deleted documents that have every word: few, and left out of
	// every count. (The words' bitmaps, intersected here, are read again
	// below.)
	var deleted map[uint64]bool
	if fq.excludeDeleted {
		st, err := reader(fStatus, "deleted")
		if err != nil {
			return nil, false, err
		}
		tr, ok, err := matches(append([]bindex.TermFieldReader{st}, words...))
		if err != nil || !ok {
			return nil, false, err
		}
		deleted = map[uint64]bool{}
		for d := (&bindex.TermFieldDoc{}); ; {
			if d, err = tr.Next(d); err != nil {
				return nil, false, err
			}
			if d == nil {
				break
			}
			deleted[docNum(d.ID)] = true
		}
	}
	view, err := ix.columns[k].viewOf(ctx, snap)
	if err != nil {
		return nil, false, err
	}
	tr, ok, err := matches(words)
	if err != nil || !ok {
		return nil, false, err
	}
	out, err := countColumns(tr, snap.Segments(), view, deleted)
	return out, err == nil, err
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
