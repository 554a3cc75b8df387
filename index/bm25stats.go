package index

import (
	"context"
	"math"
	"sync"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	bindex "github.com/blevesearch/bleve_index_api"
)

// BM25 scores a term by its frequency, its idf (from the number of
// documents) and the field's length against the field's average length.
// Bleve takes the last two from the index a searcher reads: each shard
// its own. The average length it takes is the field's dictionary size
// summed over the shard's segments, over its documents, rounded up (not
// the true average; see index/doc.go): it moves with how the shard
// happens to be cut into segments, so two shards of the same archive can
// score the same article differently, a whole unit of average length
// apart, and the merged results then rank one shard's articles above the
// other's. A search therefore hands every shard the same figures, those
// of the whole index, in the context (search.BM25StatsKey, which bleve's
// own searchers read for an alias's global scoring), and this package's
// searchers read them there too (bm25Basis).

// bm25StatsCache keeps the index's figures for one generation: counting
// each field's dictionary opens it in every segment.
type bm25StatsCache struct {
	mu    sync.Mutex
	gen   uint64
	stats *search.BM25Stats
}

// bm25Stats returns the figures of the whole index for BM25: its
// documents, and for every field the sum of the shards' cardinalities.
func (ix *Index) bm25Stats() (*search.BM25Stats, error) {
	c := &ix.bm25
	gen := ix.gen.Load()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stats != nil && c.gen == gen {
		return c.stats, nil
	}
	stats := &search.BM25Stats{FieldCardinality: map[string]int{}}
	// Every field of the mapping has its entry, 0 until a document has it:
	// bleve's searchers refuse a field the figures do not name.
	// A query without a field of its own asks "*" (or "_all"), which no
	// document has.
	for _, f := range []string{"*", "_all", "_id"} {
		stats.FieldCardinality[f] = 0
	}
	if im, ok := ix.shards[0].Mapping().(*mapping.IndexMappingImpl); ok {
		mappedFields(im.DefaultMapping, "", func(f string) { stats.FieldCardinality[f] = 0 })
	}
	for _, bi := range ix.shards {
		adv, err := bi.Advanced()
		if err != nil {
			return nil, err
		}
		r, err := adv.Reader()
		if err != nil {
			return nil, err
		}
		err = addBM25Stats(stats, r)
		if cerr := r.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, err
		}
	}
	c.gen, c.stats = gen, stats
	return stats, nil
}

// mappedFields calls f with the name of every field dm maps, path being
// the name of dm's property.
func mappedFields(dm *mapping.DocumentMapping, path string, f func(string)) {
	if dm == nil {
		return
	}
	for _, fm := range dm.Fields {
		name := fm.Name
		if name == "" {
			name = path
		}
		f(name)
	}
	for prop, sub := range dm.Properties {
		p := prop
		if path != "" {
			p = path + "." + prop
		}
		mappedFields(sub, p, f)
	}
}

// addBM25Stats adds the figures of the shard read by r to stats.
func addBM25Stats(stats *search.BM25Stats, r bindex.IndexReader) error {
	n, err := r.DocCount()
	if err != nil {
		return err
	}
	stats.DocCount += float64(n)
	br, ok := r.(bindex.BM25Reader)
	if !ok {
		return nil
	}
	fields, err := r.Fields()
	if err != nil {
		return err
	}
	for _, f := range fields {
		c, err := br.FieldCardinality(f)
		if err != nil {
			return err
		}
		stats.FieldCardinality[f] += c
	}
	return nil
}

// withBM25Stats is ctx carrying the whole index's BM25 figures for every
// shard's searchers.
func (ix *Index) withBM25Stats(ctx context.Context) (context.Context, error) {
	stats, err := ix.bm25Stats()
	if err != nil {
		return nil, err
	}
	return context.WithValue(ctx, search.BM25StatsKey, stats), nil
}

// bm25Basis is the number of documents and the average length of field
// that a BM25 score in r counts with, as bleve's own term searcher takes
// them: from the context's figures when a search put them there
// (withBM25Stats), else from r. avgLen is 0 when there is no BM25 (then
// bleve scores tf-idf).
func bm25Basis(ctx context.Context, r bindex.IndexReader, field string) (n uint64, avgLen float64, err error) {
	if stats, ok := ctx.Value(search.BM25StatsKey).(*search.BM25Stats); ok {
		c, ok := stats.FieldCardinality[field]
		if !ok || stats.DocCount == 0 {
			// A field no shard has: no document matches, and bleve
			// would refuse it; scores are not asked for.
			return uint64(stats.DocCount), 0, nil
		}
		return uint64(stats.DocCount), math.Ceil(float64(c) / stats.DocCount), nil
	}
	if n, err = r.DocCount(); err != nil {
		return 0, 0, err
	}
	avgLen, err = fieldAvgLen(r, field, n)
	return n, avgLen, err
}
