package index

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Phrases of three words or more in the article text.
//
// The pair view of the text (text_bigram) keeps no positions: they cost
// 13 % of the CPU of building the index and a fifth to a quarter of its
// peak memory (about 770 locations per article, encoded, merged, and
// kept in memory until a batch is written). Two words in a row are one
// pair term and need none. A longer phrase is found in two steps: the
// documents that have every adjacent pair of its words (a conjunction of
// pair terms, scored as bleve's phrase searcher scores its conjunction),
// then, of those, the ones whose stored word sequence (text_seq) has the
// words one after the other. The price is paid by long phrases of common
// words, whose many documents are each read from the stored fields
// (BENCHMARKS.md); the body is stored compressed (packBody) so that such
// a read decodes little more than the word sequence.
//
// The word sequence is the folded words of the text joined by a space,
// with a newline where bleve's positions leave a gap (between the
// texts joined by valueSep); so "a b c" is in it, between word
// boundaries, exactly where the pairs "a b" and "b c" stand at
// consecutive positions (TestWordSequenceMatchesPositions,
// FuzzWordSequence). Checking it costs one stored-document read per
// document that has all the pairs.
//
// The short texts with a pair view (the title) keep their positions and
// bleve's phrase searcher.

// wordSequence is the word sequence of the text v, to be stored.
func (v *viewSource) wordSequence() []byte {
	v.analyze()
	n := 0
	for _, w := range v.words {
		n += len(w.folded) + 1
	}
	seq := make([]byte, 0, n)
	for i, w := range v.words {
		if i > 0 {
			if w.pos == v.words[i-1].pos+1 {
				seq = append(seq, ' ')
			} else {
				seq = append(seq, '\n')
			}
		}
		seq = append(seq, w.folded...)
	}
	return seq
}

// addWordSequence adds to doc, stored and not indexed, the word
// sequence of the text whose pair view is the field pairs, from the
// analysis its views share (shareViews must have run).
func addWordSequence(doc *document.Document, pairs, seqField string) {
	for _, f := range doc.Fields {
		if vf, ok := f.(*viewField); ok && vf.Name() == pairs {
			doc.AddField(document.NewTextFieldWithIndexingOptions(seqField, nil, vf.src.wordSequence(), bindex.StoreField))
			return
		}
	}
}

// seqContains reports whether the word sequence seq has the words of
// phrase (folded words joined by single spaces) in a row.
func seqContains(seq, phrase []byte) bool {
	boundary := func(c byte) bool { return c == ' ' || c == '\n' }
	for from := 0; from <= len(seq); {
		i := bytes.Index(seq[from:], phrase)
		if i < 0 {
			return false
		}
		start, end := from+i, from+i+len(phrase)
		if (start == 0 || boundary(seq[start-1])) && (end == len(seq) || boundary(seq[end])) {
			return true
		}
		from = start + 1
	}
	return false
}

// seqPhraseQuery matches the folded words (three or more) as a phrase
// of the text whose pair view is pairField and word sequence seqField.
type seqPhraseQuery struct {
	words               []string
	pairField, seqField string
	boost               float64
}

func (q *seqPhraseQuery) Searcher(ctx context.Context, r bindex.IndexReader, _ mapping.IndexMapping,
	opts search.SearcherOptions) (search.Searcher, error) {
	terms := make([]search.Searcher, 0, len(q.words)-1)
	closeAll := func() {
		for _, s := range terms {
			s.Close()
		}
	}
	for k := 0; k+1 < len(q.words); k++ {
		s, err := searcher.NewTermSearcher(ctx, r, q.words[k]+" "+q.words[k+1], q.pairField, q.boost, opts)
		if err != nil {
			closeAll()
			return nil, err
		}
		terms = append(terms, s)
	}
	conj, err := searcher.NewConjunctionSearcher(ctx, r, terms, opts)
	if err != nil {
		closeAll()
		return nil, err
	}
	return &seqSearcher{
		Searcher: conj,
		seqs:     newSeqReader(r, q.seqField),
		phrase:   []byte(strings.Join(q.words, " ")),
	}, nil
}

// seqSearcher passes on the matches of the pairs' conjunction whose
// word sequence has the phrase.
type seqSearcher struct {
	search.Searcher
	seqs   *seqReader
	phrase []byte
}

func (s *seqSearcher) Next(sctx *search.SearchContext) (*search.DocumentMatch, error) {
	d, err := s.Searcher.Next(sctx)
	return s.accept(sctx, d, err)
}

func (s *seqSearcher) Advance(sctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := s.Searcher.Advance(sctx, id)
	return s.accept(sctx, d, err)
}

// accept returns d if it has the phrase, else the next match that has.
func (s *seqSearcher) accept(sctx *search.SearchContext, d *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
	for d != nil && err == nil {
		seq, rerr := s.seqs.read(d.IndexInternalID)
		if rerr != nil {
			return nil, rerr
		}
		if seqContains(seq, s.phrase) {
			return d, nil
		}
		sctx.DocumentMatchPool.Put(d)
		d, err = s.Searcher.Next(sctx)
	}
	return nil, err
}

// seqReader reads the stored word sequence of a document by its
// internal ID.
type seqReader struct {
	r     bindex.IndexReader
	field string
	// A scorch snapshot is read segment by segment, without the lookup
	// of the external ID that IndexReader.Document needs: an internal ID
	// is a document number across the snapshot's segments, numbered in
	// order (offsets are where each segment starts).
	segs    []*scorch.SegmentSnapshot
	offsets []uint64
	buf     []byte
}

func newSeqReader(r bindex.IndexReader, field string) *seqReader {
	sr := &seqReader{r: r, field: field}
	if is, ok := r.(*scorch.IndexSnapshot); ok {
		sr.segs = is.Segments()
		var at uint64
		for _, s := range sr.segs {
			sr.offsets = append(sr.offsets, at)
			at += s.Segment().Count()
		}
	}
	return sr
}

// read returns the sequence, valid until the next call; a document
// without one (no text) has an empty one.
func (sr *seqReader) read(id bindex.IndexInternalID) ([]byte, error) {
	sr.buf = sr.buf[:0]
	visit := func(field string, _ byte, value []byte, _ []uint64) bool {
		if field == sr.field {
			sr.buf = append(sr.buf, value...)
			return false
		}
		return true
	}
	if sr.segs != nil && len(id) == 8 {
		num := binary.BigEndian.Uint64(id)
		k := sort.Search(len(sr.offsets), func(i int) bool { return sr.offsets[i] > num }) - 1
		if k >= 0 {
			if err := sr.segs[k].VisitDocument(num-sr.offsets[k], visit); err != nil {
				return nil, fmt.Errorf("index: reading the words of a document: %w", err)
			}
			return sr.buf, nil
		}
	}
	ext, err := sr.r.ExternalID(id)
	if err != nil {
		return nil, fmt.Errorf("index: reading the words of a document: %w", err)
	}
	doc, err := sr.r.Document(ext)
	if err != nil {
		return nil, fmt.Errorf("index: reading the words of document %s: %w", ext, err)
	}
	if doc == nil {
		return nil, fmt.Errorf("index: reading the words of document %s: not found", ext)
	}
	doc.VisitFields(func(f bindex.Field) {
		if f.Name() == sr.field {
			sr.buf = append(sr.buf, f.Value()...)
		}
	})
	return sr.buf, nil
}
