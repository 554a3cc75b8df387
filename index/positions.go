package index

import (
	"cmp"
	"context"
	"math"
	"slices"
	"sort"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Words next to each other in the article text.
//
// The text has no pair view (see the field names in mapping.go): that
// words stand together in it is read from the positions of its folded
// view, by posSearcher: the documents that have all the words come from
// the intersection of their postings bitmaps (document numbers only),
// and the positions are read for those alone (posCursor, from each
// segment's postings), without the location maps bleve's phrase searcher
// builds for every document of its conjunction (at 100 000 articles,
// phrases of two common words: p99 394 → 82 ms, then 58–72 ms reading
// the segments directly).
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

// wordPos is a location of a word: the value of its field (the array
// positions) and the position in it.
type wordPos struct {
	ap  []uint64
	pos uint64
}

// cmpWordPos compares v with the location (ap, pos).
func cmpWordPos(v wordPos, ap []uint64, pos uint64) int {
	if c := slices.Compare(v.ap, ap); c != 0 {
		return c
	}
	return cmp.Compare(v.pos, pos)
}

// countFollows counts the locations in b that are the position after a
// location in a, in the same value.
func countFollows(a, b []wordPos) uint64 {
	return countPhrase([][]wordPos{a, b})
}

// countPhrase counts the locations of the first word after which the
// others follow, each at the next position of the same value. The
// locations of each word are in the order the index gives them: by
// value, then position.
func countPhrase(words [][]wordPos) uint64 {
	var n uint64
	var at [8]int // per word, the first location not before the one sought
	next := at[:0]
	if len(words) > len(at) {
		next = make([]int, 0, len(words))
	}
	next = next[:len(words)]
outer:
	for _, x := range words[0] {
		for k := 1; k < len(words); k++ {
			locs, pos := words[k], x.pos+uint64(k)
			j := next[k]
			for j < len(locs) && cmpWordPos(locs[j], x.ap, pos) < 0 {
				j++
			}
			next[k] = j
			if j == len(locs) {
				return n
			}
			if cmpWordPos(locs[j], x.ap, pos) != 0 {
				continue outer
			}
		}
		n++
	}
	return n
}

// posCursor reads the positions, frequency and norm of one term of a
// field in documents asked for in increasing order. On a scorch
// snapshot it reads each segment's postings directly: scorch's term
// reader copies every location into a TermFieldVector (a fifth of the
// time of a phrase of common words); elsewhere it uses such a reader.
type posCursor struct {
	field, term string
	// The segments of the snapshot, and the number of their first
	// document.
	segs    []*scorch.SegmentSnapshot
	offsets []uint64
	seg     int // the segment it is open in (-1: none)
	it      segment.PostingsIterator
	// next is the document (of seg) the iterator is at, and whether it is
	// at one; its locations, frequency and norm are kept.
	next   uint64
	atNext bool
	// Or a term reader, for other readers (id: the ID it is asked for).
	tr  bindex.TermFieldReader
	doc *bindex.TermFieldDoc
	id  []byte
	// The term in the document asked for last, cur, if it has it.
	hasCur bool
	cur    uint64
	locs   []wordPos
	freq   uint64
	norm   float64
	// (Kept for next, until the document is asked for.)
	nextLocs []wordPos
	nextFreq uint64
	nextNorm float64
}

func newPosCursor(ctx context.Context, r bindex.IndexReader, field, term string) (*posCursor, error) {
	c := &posCursor{field: field, term: term, seg: -1}
	if is, ok := r.(*scorch.IndexSnapshot); ok {
		c.segs = is.Segments()
		var at uint64
		for _, s := range c.segs {
			c.offsets = append(c.offsets, at)
			at += s.Segment().Count()
		}
		return c, nil
	}
	tr, err := r.TermFieldReader(ctx, []byte(term), field, true, true, true)
	if err != nil {
		return nil, err
	}
	c.tr, c.doc = tr, &bindex.TermFieldDoc{}
	return c, nil
}

// at reads the term in doc: false if doc does not have it. doc is never
// before the one asked for last.
func (c *posCursor) at(doc uint64) (bool, error) {
	if c.tr != nil {
		return c.atReader(doc)
	}
	if c.hasCur && doc == c.cur {
		return true, nil // (asked again: as read)
	}
	c.hasCur = false
	k := sort.Search(len(c.offsets), func(i int) bool { return c.offsets[i] > doc }) - 1
	if k < 0 {
		return false, nil
	}
	local := doc - c.offsets[k]
	if k != c.seg {
		dict, err := c.segs[k].Segment().Dictionary(c.field)
		if err != nil {
			return false, err
		}
		pl, err := dict.PostingsList([]byte(c.term), nil, nil)
		if err != nil {
			return false, err
		}
		c.seg, c.it, c.atNext = k, pl.Iterator(true, true, true, c.it), false
	}
	if !c.atNext || c.next < local {
		// (The iterator must not be asked for a document at or before
		// the one it is at.)
		p, err := c.it.Advance(local)
		if err != nil {
			return false, err
		}
		if p == nil {
			c.next, c.atNext = math.MaxUint64, true // the segment has no more
			return false, nil
		}
		c.next, c.atNext = p.Number(), true
		c.nextLocs = c.nextLocs[:0]
		for _, l := range p.Locations() {
			c.nextLocs = append(c.nextLocs, wordPos{ap: l.ArrayPositions(), pos: l.Pos()})
		}
		c.nextFreq, c.nextNorm = p.Frequency(), p.Norm()
	}
	if c.next != local {
		return false, nil
	}
	c.locs, c.nextLocs = c.nextLocs, c.locs
	c.freq, c.norm = c.nextFreq, c.nextNorm
	c.atNext = false // (the iterator is at local: the next Advance goes past it)
	c.hasCur, c.cur = true, doc
	return true, nil
}

func (c *posCursor) atReader(doc uint64) (bool, error) {
	if len(c.doc.ID) == 0 || docNum(c.doc.ID) < doc {
		c.id = bindex.NewIndexInternalID(c.id, doc)
		next, err := c.tr.Advance(c.id, c.doc)
		if err != nil {
			return false, err
		}
		if next == nil {
			c.doc.ID = bindex.NewIndexInternalID(c.doc.ID[:0], math.MaxUint64) // no more
			return false, nil
		}
		c.doc = next
	}
	if docNum(c.doc.ID) != doc {
		return false, nil
	}
	c.locs = c.locs[:0]
	for _, v := range c.doc.Vectors {
		c.locs = append(c.locs, wordPos{ap: v.ArrayPositions, pos: v.Pos})
	}
	c.freq, c.norm = c.doc.Freq, c.doc.Norm
	return true, nil
}

func (c *posCursor) Close() error {
	if c.tr != nil {
		return c.tr.Close()
	}
	return nil
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
	// The readers: per word its positions, and the candidates (document
	// numbers of the intersection, backed by parts).
	words  []*posCursor
	counts []uint64 // per word, its documents
	cands  bindex.TermFieldReader
	parts  []bindex.TermFieldReader
	cand   *bindex.TermFieldDoc
	last   uint64 // the last candidate (with started)
	locs   [][]wordPos
	// started: a candidate was read; finished: no more candidates.
	started, finished bool
}

func newPosSearcher(ctx context.Context, r bindex.IndexReader, field string, words []string, boost float64,
	pair bool, opts search.SearcherOptions) (search.Searcher, error) {
	n, avg, err := bm25Basis(ctx, r, field)
	if err != nil {
		return nil, err
	}
	s := &posSearcher{pair: pair, avgLen: avg, score: opts.Score != "none", qnorm: 1,
		locs: make([][]wordPos, len(words)), ctx: ctx, r: r, field: field, terms: words}
	if err := s.open(); err != nil {
		s.Close()
		return nil, err
	}
	for k, c := range s.counts {
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
	counted := len(s.counts) > 0
	for _, w := range s.terms {
		c, err := newPosCursor(s.ctx, s.r, s.field, w)
		if err != nil {
			return err
		}
		s.words = append(s.words, c)
		p, err := s.r.TermFieldReader(s.ctx, []byte(w), s.field, false, false, false)
		if err != nil {
			return err
		}
		s.parts = append(s.parts, p)
		if !counted {
			s.counts = append(s.counts, p.Count())
		}
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
		for k, c := range s.words {
			ok, err := c.at(doc)
			if err != nil {
				return nil, err
			}
			if !ok {
				all = false
				break
			}
			s.locs[k] = c.locs
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
			norm := s.words[0].norm
			if s.pair {
				dm.Score = bm25(s.idf[0], tf, norm, s.avgLen, s.weights[0]*s.qnorm)
			} else {
				for k, c := range s.words {
					dm.Score += bm25(s.idf[k], c.freq, norm, s.avgLen, s.weights[k]*s.qnorm)
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
	for _, c := range s.words {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	for _, group := range [][]bindex.TermFieldReader{s.parts, {s.cands}} {
		for _, r := range group {
			if r != nil {
				if err := r.Close(); err != nil && first == nil {
					first = err
				}
			}
		}
	}
	s.words, s.parts, s.cands = nil, nil, nil
	return first
}
