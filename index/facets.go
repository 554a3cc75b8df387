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
	// with (the readers of the words and the given ones) returns all
	// the readers of a count, the given ones first: the smaller bitmap
	// first makes the intersection cheaper.
	with := func(trs ...bindex.TermFieldReader) []bindex.TermFieldReader {
		return append(trs, words...)
	}
	// each calls f for the documents that have every term of trs (see
	// intersect; a single reader is read as it is), but those in skip.
	// ok is false when the readers cannot be intersected.
	each := func(trs []bindex.TermFieldReader, skip map[uint64]bool, f func(uint64)) (ok bool, err error) {
		tr := trs[0]
		if len(trs) > 1 {
			if tr, ok, err = intersect(trs); err != nil || !ok {
				return false, err
			}
			defer tr.Close()
		}
		d := &bindex.TermFieldDoc{}
		for {
			if d, err = tr.Next(d); err != nil || d == nil {
				return err == nil, err
			}
			if n := docNum(d.ID); !skip[n] {
				f(n)
			}
		}
	}
	// The deleted documents that have every word: few, and left out of
	// every count.
	var deleted map[uint64]bool
	if fq.excludeDeleted {
		tr, err := reader(fStatus, "deleted")
		if err != nil {
			return nil, false, err
		}
		deleted = map[uint64]bool{}
		if ok, err := each(with(tr), nil, func(n uint64) { deleted[n] = true }); err != nil || !ok {
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
			tr, err := reader(field, term)
			if err != nil {
				return nil, false, err
			}
			n := 0
			ok, err := each(with(tr), deleted, func(uint64) { n++ })
			tr.Close()
			open = open[:len(open)-1]
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
	// The fields with many values, from the doc values of the matches.
	// (This reads the words' own readers: the last use of them.)
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
	ok, err := each(words, deleted, func(n uint64) {
		if visitErr == nil {
			visitErr = dvr.VisitDocValues(bindex.NewIndexInternalID(idBuf, n), visit)
		}
	})
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
