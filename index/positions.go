package index

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Words next to each other in the article text.
//
// The text has no pair view (see the field names in mapping.go): that
// words stand together in it is read from the positions of its folded
// view, by posSearcher: the documents that have all the words come from
// the intersection of their postings bitmaps (document numbers only),
// and the positions are read for those alone, without the location maps
// bleve's phrase searcher builds for every document of its conjunction
// (at 100 000 articles, phrases of two common words: p99 394 → 82 ms).
//
// A plain search rewards adjacent query words with a pair clause,
// adjacentQuery, that scores as a term of its own would, the term "a b"
// of a pair view: BM25 of the number of times b follows a, in the text's
// length. Its document frequency is not known without a pass over every
// document that has both words, so its idf is that of two independent
// words, the sum of theirs: a pair of rare words weighs much, one of
// common words little, as the terms of a pair view did. (A clause scored
// as the sum of its words' scores, as bleve's phrase searcher scores,
// weighed too little against a text that has both words apart more
// often: the quality set's "chiến binh" and "Điện Bien Phu".) flatSearcher
// computes the same score (adjacentIDF, countFollows, bm25).
//
// A quoted phrase, textPhraseQuery, matches and scores as bleve's phrase
// query does: the sum of its words' term scores.

// adjacentQuery matches the documents where the folded term b follows
// the folded term a in field (which has positions).
type adjacentQuery struct {
	field, a, b string
	boost       float64
}

// adjacentIDF is the idf of the pair of terms whose idfs are given.
func adjacentIDF(idfA, idfB float64) float64 { return idfA + idfB }

// termIDF is bleve's idf of a term in df of n documents: BM25's when the
// field's average length is known (avgLen > 0), else tf-idf's.
func termIDF(n, df uint64, avgLen float64) float64 {
	if avgLen > 0 {
		return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
	}
	return 1 + math.Log(float64(n)/float64(df+1))
}

// fieldAvgLen is the average length of field in r's n documents, rounded
// up as bleve rounds it; 0 when r gives no field cardinality (no BM25).
func fieldAvgLen(r bindex.IndexReader, field string, n uint64) (float64, error) {
	br, ok := r.(bindex.BM25Reader)
	if !ok || n == 0 {
		return 0, nil
	}
	c, err := br.FieldCardinality(field)
	if err != nil {
		return 0, err
	}
	return math.Ceil(float64(c) / float64(n)), nil
}

// bm25 is bleve's BM25 term score (idf counted twice: once here, once in
// the clause weight w, which includes the query norm), for freq
// occurrences in a field of norm 1/sqrt(length); with avgLen 0, bleve's
// tf-idf score.
func bm25(idf float64, freq uint64, norm, avgLen, w float64) float64 {
	tf := math.Sqrt(float64(freq))
	var s float64
	if avgLen > 0 {
		fieldLength := 1 / (norm * norm)
		s = idf * (tf * search.BM25_k1) /
			(tf + search.BM25_k1*(1-search.BM25_b+(search.BM25_b*fieldLength/avgLen)))
	} else {
		s = tf * norm * idf
	}
	if w != 1 {
		s *= w
	}
	return s
}

// countFollows counts the locations in b that are the position after a
// location in a, in the same value.
func countFollows(a, b []*bindex.TermFieldVector) uint64 {
	return countPhrase([][]*bindex.TermFieldVector{a, b})
}

// countPhrase counts the locations of the first word after which the
// others follow, each at the next position of the same value. The
// locations of each word are in the order the index gives them: by
// value, then position.
func countPhrase(words [][]*bindex.TermFieldVector) uint64 {
	var n uint64
	at := make([]int, len(words)) // per word, the first location not before the one sought
next:
	for _, x := range words[0] {
		for k := 1; k < len(words); k++ {
			locs, pos := words[k], x.Pos+uint64(k)
			j := at[k]
			for j < len(locs) && cmpLocation(locs[j], x.ArrayPositions, pos) < 0 {
				j++
			}
			at[k] = j
			if j == len(locs) {
				return n
			}
			if cmpLocation(locs[j], x.ArrayPositions, pos) != 0 {
				continue next
			}
		}
		n++
	}
	return n
}

// cmpLocation compares v with the location (ap, pos).
func cmpLocation(v *bindex.TermFieldVector, ap []uint64, pos uint64) int {
	if c := slices.Compare(v.ArrayPositions, ap); c != 0 {
		return c
	}
	return cmp.Compare(v.Pos, pos)
}

func (q *adjacentQuery) Searcher(ctx context.Context, r bindex.IndexReader, _ mapping.IndexMapping,
	opts search.SearcherOptions) (search.Searcher, error) {
	return newPosSearcher(ctx, r, q.field, []string{q.a, q.b}, q.boost, true, opts)
}

// textPhraseQuery is a phrase of folded words in field (which has
// positions). It matches and scores as bleve's phrase query does (the
// sum of its words' term scores), and reads positions only for the
// documents that have every word.
type textPhraseQuery struct {
	field string
	words []string
	boost float64
}

func (q *textPhraseQuery) Searcher(ctx context.Context, r bindex.IndexReader, _ mapping.IndexMapping,
	opts search.SearcherOptions) (search.Searcher, error) {
	return newPosSearcher(ctx, r, q.field, q.words, q.boost, false, opts)
}

// posSearcher finds the documents that have words in a row in field:
// candidates from the intersection of the words' postings, then their
// positions. As a pair (adjacentQuery) it scores the number of times
// the words are in a row as one term; as a phrase (textPhraseQuery) the
// sum of its words' scores.
type posSearcher struct {
	pair    bool
	idf     []float64 // per word; a pair: [0] is the pair's
	weights []float64 // boost × idf, per word (a pair: one)
	qnorm   float64
	avgLen  float64
	score   bool
	count   uint64
	// What open needs to open the readers.
	ctx   context.Context
	r     bindex.IndexReader
	field string
	terms []string
	// The readers: per word one with freq, norm and positions, and the
	// candidates (document numbers of the intersection, backed by parts).
	words []bindex.TermFieldReader
	docs  []*bindex.TermFieldDoc
	cands bindex.TermFieldReader
	parts []bindex.TermFieldReader
	cand  *bindex.TermFieldDoc
	last  uint64 // the last candidate (with started)
	locs  [][]*bindex.TermFieldVector
	buf   []byte
	// started: a candidate was read; finished: no more candidates.
	started, finished bool
}

func newPosSearcher(ctx context.Context, r bindex.IndexReader, field string, words []string, boost float64,
	pair bool, opts search.SearcherOptions) (search.Searcher, error) {
	n, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	avg, err := fieldAvgLen(r, field, n)
	if err != nil {
		return nil, err
	}
	s := &posSearcher{pair: pair, avgLen: avg, score: opts.Score != "none", qnorm: 1, buf: make([]byte, 8),
		locs: make([][]*bindex.TermFieldVector, len(words)), ctx: ctx, r: r, field: field, terms: words}
	if err := s.open(); err != nil {
		s.Close()
		return nil, err
	}
	for k, tr := range s.words {
		c := tr.Count()
		s.idf = append(s.idf, termIDF(n, c, avg))
		if k == 0 || c < s.count {
			s.count = c
		}
	}
	if pair {
		s.idf = []float64{adjacentIDF(s.idf[0], s.idf[1])}
	}
	for _, idf := range s.idf {
		s.weights = append(s.weights, boost*idf)
	}
	// Standing alone, a searcher is normalized as bleve normalizes a
	// query (1/sqrt of the sum of squared weights); a parent resets it.
	if w := s.Weight(); w > 0 {
		s.qnorm = 1 / math.Sqrt(w)
	}
	return s, nil
}

// open opens the readers, from the start (closing those open).
func (s *posSearcher) open() error {
	if err := s.closeReaders(); err != nil {
		return err
	}
	s.started, s.finished = false, false
	for _, w := range s.terms {
		tr, err := s.r.TermFieldReader(s.ctx, []byte(w), s.field, s.score, s.score, true)
		if err != nil {
			return err
		}
		s.words = append(s.words, tr)
		s.docs = append(s.docs, &bindex.TermFieldDoc{})
		p, err := s.r.TermFieldReader(s.ctx, []byte(w), s.field, false, false, false)
		if err != nil {
			return err
		}
		s.parts = append(s.parts, p)
	}
	if len(s.parts) > 1 {
		tr, ok, err := intersect(s.parts)
		if err != nil {
			return err
		}
		if ok {
			s.cands = tr
		}
	}
	if s.cands == nil {
		// One word, or readers that cannot intersect: the first word's
		// documents are the candidates.
		s.cands = s.parts[0]
		s.parts = s.parts[1:]
	}
	s.cand = &bindex.TermFieldDoc{}
	return nil
}

// from returns the first match at or after the candidate the cursor
// of candidates is at (or, with id, at or after id).
func (s *posSearcher) from(sctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	var err error
	for {
		if s.finished {
			return nil, nil
		}
		if id != nil {
			s.cand, err = s.cands.Advance(id, s.cand)
			id = nil
		} else {
			s.cand, err = s.cands.Next(s.cand)
		}
		if err != nil {
			return nil, err
		}
		if s.cand == nil {
			s.finished = true
			return nil, nil
		}
		doc := docNum(s.cand.ID)
		s.started, s.last = true, doc
		all := true
		for k, tr := range s.words {
			d := s.docs[k]
			if len(d.ID) == 0 || docNum(d.ID) < doc {
				s.buf = bindex.NewIndexInternalID(s.buf, doc)
				next, err := tr.Advance(s.buf, d)
				if err != nil {
					return nil, err
				}
				if next == nil {
					s.finished = true // a word has no more documents
					return nil, nil
				}
				d, s.docs[k] = next, next
			}
			if docNum(d.ID) != doc {
				all = false
				break
			}
			s.locs[k] = d.Vectors
		}
		if !all {
			continue
		}
		tf := countPhrase(s.locs)
		if tf == 0 {
			continue
		}
		dm := sctx.DocumentMatchPool.Get()
		dm.IndexInternalID = append(dm.IndexInternalID[:0], s.cand.ID...)
		if s.score {
			norm := s.docs[0].Norm
			if s.pair {
				dm.Score = bm25(s.idf[0], tf, norm, s.avgLen, s.weights[0]*s.qnorm)
			} else {
				for k, d := range s.docs {
					dm.Score += bm25(s.idf[k], d.Freq, norm, s.avgLen, s.weights[k]*s.qnorm)
				}
			}
		}
		return dm, nil
	}
}

func (s *posSearcher) Next(sctx *search.SearchContext) (*search.DocumentMatch, error) {
	return s.from(sctx, nil)
}

func (s *posSearcher) Advance(sctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	// (The cursors reuse their documents' IDs: Advance gets a copy.)
	id = slices.Clone(id)
	// The readers only go forward, and an exhausted one no further:
	// backwards, or after the end, they start again (bleve's searchers
	// do not ask that of their children).
	if s.finished || s.started && docNum(id) <= s.last {
		if err := s.open(); err != nil {
			return nil, err
		}
	}
	return s.from(sctx, id)
}

func (s *posSearcher) Weight() float64 {
	sum := 0.0
	for _, w := range s.weights {
		sum += w * w
	}
	return sum
}

func (s *posSearcher) SetQueryNorm(qnorm float64) { s.qnorm = qnorm }

func (s *posSearcher) Count() uint64 { return s.count }

func (s *posSearcher) Min() int { return 0 }

func (s *posSearcher) Size() int { return 256 + 128*len(s.words) }

func (s *posSearcher) DocumentMatchPoolSize() int { return 1 }

func (s *posSearcher) Close() error { return s.closeReaders() }

// closeReaders closes the readers open and forgets them.
func (s *posSearcher) closeReaders() error {
	var first error
	for _, group := range [][]bindex.TermFieldReader{s.words, s.parts, {s.cands}} {
		for _, r := range group {
			if r != nil {
				if err := r.Close(); err != nil && first == nil {
					first = err
				}
			}
		}
	}
	s.words, s.docs, s.parts, s.cands = nil, nil, nil, nil
	return first
}
