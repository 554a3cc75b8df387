package index

import (
	"context"
	"fmt"
	"sync"

	bindex "github.com/blevesearch/bleve_index_api"
)

// facetFields are the facets a search can ask for: name → keyword field.
var facetFields = map[string]string{"category": fCategory, "author": fAuthorKW, "year": fYear}

// flatFacets counts the facets of a plain-word search (fq) without
// handing every match to bleve's collector, which reads the doc values
// of each match for each facet (for the common words of the benchmark,
// most of a search with facets; BENCHMARKS.md). A field with few values
// (category, year; up to bitmapFacetTerms per shard) is counted from
// postings: per value, the documents that have it and every word are
// one intersection of postings bitmaps, segment by segment (scorch's
// unadorned conjunction, the value's small bitmap first), and only these
// are stepped through. A field with many values (author) is counted
// from the doc values of the matches, found by the intersection of the
// words' bitmaps alone. It returns every value with its count (the
// caller keeps the top ones).
//
// ok is false when the index cannot intersect bitmaps; the caller then
// asks bleve.
func (ix *Index) flatFacets(ctx context.Context, fq *flatQuery) (facets map[string][]Facet, ok bool, err error) {
	counts := make([]map[string]map[string]int, len(ix.shards))
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
		total := map[string]int{}
		for _, c := range counts {
			for term, n := range c[name] {
				total[term] += n
			}
		}
		fs := make([]Facet, 0, len(total))
		for term, n := range total {
			fs = append(fs, Facet{Term: term, Count: n})
		}
		facets[name] = fs
	}
	return facets, true, nil
}

// shardFacets counts, in shard k, the matches of fq per facet and term.
func (ix *Index) shardFacets(ctx context.Context, k int, fq *flatQuery) (map[string]map[string]int, bool, error) {
	adv, err := ix.shards[k].Advanced()
	if err != nil {
		return nil, false, fmt.Errorf("index: facets: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, false, fmt.Errorf("index: facets: %w", err)
	}
	defer r.Close()
	var open []bindex.TermFieldReader
	defer func() {
		for _, t := range open {
			t.Close()
		}
	}()
	reader := func(field, term string) (bindex.Optimizable, bool, error) {
		tr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
		if err != nil {
			return nil, false, err
		}
		open = append(open, tr)
		o, ok := tr.(bindex.Optimizable)
		return o, ok, nil
	}
	var words []bindex.Optimizable
	for _, w := range fq.words {
		o, ok, err := reader(w[0].field, w[0].term)
		if err != nil || !ok {
			return nil, false, err
		}
		words = append(words, o)
	}
	// count steps through the documents that have first and every word,
	// less those in skip.
	count := func(first bindex.Optimizable, skip map[uint64]bool, each func(uint64)) (bool, error) {
		octx, err := first.Optimize("conjunction:unadorned", nil)
		if err != nil || octx == nil {
			return false, err
		}
		for _, w := range words {
			if octx, err = w.Optimize("conjunction:unadorned", octx); err != nil || octx == nil {
				return false, err
			}
		}
		opt, err := octx.Finish()
		tr, ok := opt.(bindex.TermFieldReader)
		if err != nil || !ok || tr == nil {
			return false, err
		}
		defer tr.Close()
		d := &bindex.TermFieldDoc{}
		for {
			if d, err = tr.Next(d); err != nil || d == nil {
				return err == nil, err
			}
			if n := docNum(d.ID); !skip[n] {
				each(n)
			}
		}
	}
	// The deleted documents that have every word: few, and left out of
	// every count.
	var deleted map[uint64]bool
	if fq.excludeDeleted {
		o, ok, err := reader(fStatus, "deleted")
		if err != nil || !ok {
			return nil, false, err
		}
		deleted = map[uint64]bool{}
		if ok, err := count(o, nil, func(n uint64) { deleted[n] = true }); err != nil || !ok {
			return nil, false, err
		}
	}
	out := map[string]map[string]int{}
	var byDocValues []string
	for name, field := range facetFields {
		out[name] = map[string]int{}
		terms, err := fieldTerms(r, field, bitmapFacetTerms)
		if err != nil {
			return nil, false, err
		}
		if terms == nil {
			byDocValues = append(byDocValues, field)
			continue
		}
		for _, term := range terms {
			if err := ctx.Err(); err != nil {
				return nil, false, err
			}
			o, ok, err := reader(field, term)
			n := 0
			if err == nil && ok {
				ok, err = count(o, deleted, func(uint64) { n++ })
			}
			if err != nil || !ok {
				return nil, false, err
			}
			if n > 0 {
				out[name][term] = n
			}
		}
	}
	if len(byDocValues) == 0 {
		return out, true, nil
	}
	// The matches, one by one: the words' intersection (or the word's
	// postings), less the deleted ones.
	dvr, err := r.DocValueReader(byDocValues)
	if err != nil {
		return nil, false, fmt.Errorf("index: facets: %w", err)
	}
	nameOf := map[string]string{}
	for name, field := range facetFields {
		nameOf[field] = name
	}
	visit := func(field string, term []byte) { out[nameOf[field]][string(term)]++ }
	var visitErr error
	idBuf := make([]byte, 8)
	each := func(n uint64) {
		if visitErr == nil {
			visitErr = dvr.VisitDocValues(bindex.NewIndexInternalID(idBuf, n), visit)
		}
	}
	var ok bool
	if len(words) == 1 {
		w := fq.words[0][0]
		tr, err := r.TermFieldReader(ctx, []byte(w.term), w.field, false, false, false)
		if err != nil {
			return nil, false, err
		}
		open = append(open, tr)
		d := &bindex.TermFieldDoc{}
		for ok = true; ; {
			if d, err = tr.Next(d); err != nil || d == nil {
				break
			}
			if n := docNum(d.ID); !deleted[n] {
				each(n)
			}
		}
	} else {
		ok, err = count(words[0], deleted, each)
	}
	if err == nil {
		err = visitErr
	}
	if err != nil || !ok {
		return nil, false, err
	}
	return out, true, nil
}

// bitmapFacetTerms is the most values per shard a facet field is
// counted from postings with; a field with more is counted from doc
// values (see flatFacets).
const bitmapFacetTerms = 256

// fieldTerms returns the terms of field, or nil when there are more than
// limit.
func fieldTerms(r bindex.IndexReader, field string, limit int) ([]string, error) {
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
		if len(terms) == limit {
			return nil, nil
		}
		terms = append(terms, e.Term)
	}
}
