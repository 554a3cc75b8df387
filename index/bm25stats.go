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
// documents and the term's document frequency) and the field's length
// against the field's average length. Bleve takes the figures from the
// index a searcher reads: each shard its own. The average length it takes
// is the field's dictionary size summed over the shard's segments, over
// its documents, rounded up (not the true average; see index/doc.go): it
// moves with the words the shard's articles happen to use and with how
// the shard is cut into segments, so two shards of one archive could
// score the same article far apart (2.6 times in TestShardsScoreAlike),
// and the merged results ranked one shard's articles above the other's
// for nothing they say. So every shard is handed the whole index's
// average length, in the context (search.BM25StatsKey, which bleve's own
// searchers read for an alias's global scoring, and this package's read
// through bm25Basis). The number of documents stays the shard's own, as
// the document frequency the idf sets it against is (giving the whole
// index's number against a shard's frequency raised the idf of common
// words more than rare ones: other rankings, and searches 16–22 % slower).
// Bleve reads the average as the cardinality over the documents, rounded
// up; a shard's figures give it the whole index's average times its own
// documents as the cardinality, which it reads back exactly.

// eachShardReader calls fn with a reader of each shard's current state,
// in the order of the shards, and closes it.
func (ix *Index) eachShardReader(fn func(k int, r bindex.IndexReader) error) error {
	for k, bi := range ix.shards {
		adv, err := bi.Advanced()
		if err != nil {
			return err
		}
		r, err := adv.Reader()
		if err != nil {
			return err
		}
		err = fn(k, r)
		if cerr := r.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// bm25StatsCache keeps each shard's figures for one generation: counting
// a field's dictionary opens it in every segment.
type bm25StatsCache struct {
	mu     sync.Mutex
	gen    uint64
	shards []*search.BM25Stats
}

// bm25Stats returns, for each shard, its figures for BM25: its own
// documents, and every field's cardinality as the whole index's average
// length (rounded up, as bleve rounds it) times those documents.
func (ix *Index) bm25Stats() ([]*search.BM25Stats, error) {
	c := &ix.bm25
	gen := ix.gen.Load()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.shards != nil && c.gen == gen {
		return c.shards, nil
	}
	// Every field of the mapping has its entry, 0 until a document has
	// it: bleve's searchers refuse a field the figures do not name. A
	// query without a field of its own asks "*" (or "_all"), which no
	// document has.
	total := &search.BM25Stats{FieldCardinality: map[string]int{}}
	for _, f := range []string{"*", "_all", "_id"} {
		total.FieldCardinality[f] = 0
	}
	if im, ok := ix.shards[0].Mapping().(*mapping.IndexMappingImpl); ok {
		mappedFields(im.DefaultMapping, "", func(f string) { total.FieldCardinality[f] = 0 })
	}
	docs := make([]float64, len(ix.shards))
	err := ix.eachShardReader(func(k int, r bindex.IndexReader) error {
		before := total.DocCount
		if err := addBM25Stats(total, r); err != nil {
			return err
		}
		docs[k] = total.DocCount - before
		return nil
	})
	if err != nil {
		return nil, err
	}
	shards := make([]*search.BM25Stats, len(ix.shards))
	for k := range shards {
		st := &search.BM25Stats{DocCount: docs[k], FieldCardinality: make(map[string]int, len(total.FieldCardinality))}
		for f, card := range total.FieldCardinality {
			// Every field keeps its entry, 0 in an index with no
			// document: bleve refuses a field the figures do not name.
			st.FieldCardinality[f] = 0
			if total.DocCount > 0 {
				st.FieldCardinality[f] = int(math.Ceil(float64(card)/total.DocCount)) * int(docs[k])
			}
		}
		shards[k] = st
	}
	c.gen, c.shards = gen, shards
	return shards, nil
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

// bm25Basis is the number of documents and the average length of field
// that a BM25 score in r counts with, as bleve's own term searcher takes
// them: from the context's figures when a search put them there
// (searchShards, bm25Stats), else from r. avgLen is 0 when there is no BM25 (then
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
