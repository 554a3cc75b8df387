package index

import (
	"context"
	"encoding/binary"
	"math"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// flatQuery is the query of plain words ("chi bộ sinh hoạt", no phrase,
// field, OR or exclusion), the most common kind, evaluated in one flat
// loop instead of bleve's tree of searchers.
//
// It scores exactly as the bleve query that compileQuery builds for the
// same words would (TestFlatMatchesBleve): each word is a disjunction of
// term clauses (folded and exact views of text, title and author) with
// bleve's coordination factor (matched/total), the words are a
// conjunction, adjacent words add optional pair clauses (a conjunction
// of the title's bigram term, or of the text's words next to each other,
// and the accented words as typed) with their own coordination factor,
// and every term (the words next to each other as one, see
// adjacentQuery) scores as bleve's BM25 term scorer does, idf counted
// twice (once in the field weight, once in the query weight) and tf the
// square root of the frequency.
//
// What it saves is bleve's per-clause bookkeeping: a DocumentMatch per
// clause per matching document, disjunction heaps, interface calls and
// ID comparisons of byte slices. And it walks only one postings list per
// word to find the candidates: the folded text view, which holds every
// document any of the word's clauses can match (text contains title and
// author, and an exact term folds to the folded one). The other lists
// are moved forward only to candidates. At 100 000 articles, 2-syllable
// searches of common words took 40 % less time at p99 than through
// bleve's tree (60/72 → 36/46 ms, unaccented/accented), before pruning.
type flatQuery struct {
	words [][]termSpec // per word; words[i][0] is the folded text term
	pairs [][]termSpec // per adjacent pair: its terms (see pairSpecs) and conditions
	// excludeDeleted leaves out documents with status "deleted".
	excludeDeleted bool
	// topK, when above 0, is the number of best-scoring documents the
	// search returns (offset + limit); the searcher then may give a
	// document that cannot be among them a lower score than its own
	// (never a higher one). Only for a search sorted by score whose
	// matches are all collected, with no filter above this query.
	topK int
	// uncounted, when set (only with topK, and not when facets count
	// every match), lets the searchers leave out the documents pruning
	// rules out instead of handing each to the collector with a low
	// score; they add their number to it when done, and the search adds
	// it to the collector's total.
	uncounted *atomic.Int64
	// floor, when set (only with topK), is shared by the searchers of
	// one search's shards: see scoreFloor.
	floor *scoreFloor
	// stats, when set, counts the documents pruned (for tests).
	stats *flatStats
}

// uncountedMatches is the number of matches of q that its searchers
// left out of the collector (see flatQuery.uncounted): they belong in
// the search's total.
func uncountedMatches(q query.Query) uint64 {
	if fq, ok := q.(*flatQuery); ok && fq.uncounted != nil {
		return uint64(fq.uncounted.Load())
	}
	return 0
}

type flatStats struct {
	pruned, scored atomic.Int64
	intersected    atomic.Int64 // searchers whose candidates came from one conjunction cursor
	skipped        atomic.Int64 // pruned documents left out of the collector
}

// termSpec is one term clause. In a pair's conjunction, follows is set
// on the second of two words that must stand next to each other: its
// term at the position after the previous clause's term, in the same
// field (which has positions).
type termSpec struct {
	field, term string
	boost       float64
	follows     bool
}

// flatTerm is a term of a field open on one index reader: a cursor over
// its postings. A term asked twice (an accented word's exact term is
// also a condition of its pairs) has one cursor.
type flatTerm struct {
	r      bindex.TermFieldReader
	doc    *bindex.TermFieldDoc // current posting; nil when exhausted
	cur    uint64               // doc number of doc
	idf    float64
	avgLen float64
	// deferred: the exact term of a word that pruning reads last (it
	// may also be the condition of a pair).
	deferred bool
	// lazy: a word's folded text term when, with pruning, candidates
	// are found by another cursor (flatSearcher.conj or ids); it is at
	// every candidate, and read for those that pruning keeps.
	lazy bool
	// field and term, and a second cursor that reads positions, opened
	// when a pair first needs them (see flatSearcher.positions).
	field, term string
	pos         *posCursor
}

// readLast reports whether scoreDoc reads t only for the candidates
// that pruning keeps.
func (t *flatTerm) readLast() bool { return t.deferred || t.lazy }

// flatUse is one clause: a term and its weight, boost × idf (bleve's
// query weight before the norm).
type flatUse struct {
	t      *flatTerm
	weight float64
}

// flatPair is the clause of two words next to each other in the text
// (see adjacentQuery): the words' cursors, the pair's idf and its
// weight.
type flatPair struct {
	a, b        *flatTerm
	idf, weight float64
}

// maxScore bounds the pair's score, as flatTerm.maxScore.
func (p *flatPair) maxScore(qn float64) float64 { return p.idf * search.BM25_k1 * p.weight * qn }

func (q *flatQuery) Searcher(ctx context.Context, r bindex.IndexReader, _ mapping.IndexMapping,
	opts search.SearcherOptions) (search.Searcher, error) {
	s := &flatSearcher{score: opts.Score != "none", buf: make([]byte, 8), stats: q.stats, ctx: ctx, r: r}
	n, err := r.DocCount() // this shard's: what deferring a common word weighs
	if err != nil {
		return nil, err
	}
	type basis struct {
		n      uint64
		avgLen float64
	}
	bases := map[string]basis{}
	cursors := map[[2]string]*flatTerm{}
	// cursor opens a cursor on a term, one per term.
	cursor := func(field, term string) (*flatTerm, error) {
		if ft, ok := cursors[[2]string{field, term}]; ok {
			return ft, nil
		}
		b, ok := bases[field]
		if !ok {
			if b.n, b.avgLen, err = bm25Basis(ctx, r, field); err != nil {
				return nil, err
			}
			bases[field] = b
		}
		tr, err := r.TermFieldReader(ctx, []byte(term), field, s.score, s.score, false)
		if err != nil {
			return nil, err
		}
		ft := &flatTerm{r: tr, field: field, term: term, avgLen: b.avgLen, idf: termIDF(b.n, tr.Count(), b.avgLen)}
		s.all = append(s.all, ft)
		cursors[[2]string{field, term}] = ft
		if ft.doc, err = tr.Next(&bindex.TermFieldDoc{}); err != nil {
			return nil, err
		}
		ft.setCur()
		return ft, nil
	}
	// open makes a clause of a term; its weight counts in the query norm.
	open := func(t termSpec) (flatUse, error) {
		ft, err := cursor(t.field, t.term)
		if err != nil {
			return flatUse{}, err
		}
		w := t.boost * ft.idf
		s.sumSquares += w * w
		return flatUse{ft, w}, nil
	}
	fail := func(err error) (search.Searcher, error) {
		s.Close()
		return nil, err
	}
	// docsOnly opens a cursor that reads document numbers only.
	docsOnly := func(field, term string) (*flatTerm, error) {
		tr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
		if err != nil {
			return nil, err
		}
		ft := &flatTerm{r: tr}
		if ft.doc, err = tr.Next(&bindex.TermFieldDoc{}); err != nil {
			tr.Close()
			return nil, err
		}
		ft.setCur()
		return ft, nil
	}
	s.words = make([][]flatUse, len(q.words))
	for i, specs := range q.words {
		for _, t := range specs {
			u, err := open(t)
			if err != nil {
				return fail(err)
			}
			s.words[i] = append(s.words[i], u)
		}
	}
	// A pair's clauses: its terms, and two words next to each other (a
	// clause of its own, see adjacentQuery).
	s.pairs, s.adj = make([][]flatUse, len(q.pairs)), make([]*flatPair, len(q.pairs))
	for i, specs := range q.pairs {
		for j := 0; j < len(specs); j++ {
			t := specs[j]
			if j+1 < len(specs) && specs[j+1].follows {
				a, err := cursor(t.field, t.term)
				if err != nil {
					return fail(err)
				}
				b, err := cursor(t.field, specs[j+1].term)
				if err != nil {
					return fail(err)
				}
				p := &flatPair{a: a, b: b, idf: adjacentIDF(a.idf, b.idf)}
				p.weight = t.boost * p.idf
				s.sumSquares += p.weight * p.weight
				s.adj[i] = p
				s.adjN++
				j++
				continue
			}
			u, err := open(t)
			if err != nil {
				return fail(err)
			}
			s.pairs[i] = append(s.pairs[i], u)
		}
	}
	if q.excludeDeleted {
		if s.deleted, err = docsOnly(fStatus, "deleted"); err != nil {
			return fail(err)
		}
	}
	// A query standing alone is normalized as bleve normalizes a query
	// (1/sqrt of the sum of squared weights); a parent resets it.
	s.SetQueryNorm(1 / math.Sqrt(s.sumSquares))
	s.wordSum, s.wordN = make([]float64, len(s.words)), make([]int, len(s.words))
	s.pairSum, s.pairOK = make([]float64, len(s.pairs)), make([]bool, len(s.pairs))
	if q.topK > 0 && s.score {
		s.heap = &topScores{k: q.topK}
		for _, u := range s.all {
			if u.avgLen == 0 { // tf-idf scores have no bound
				s.heap = nil
			}
		}
	}
	if s.heap != nil {
		s.uncounted, s.floor = q.uncounted, q.floor
		if s.conj, s.parts, err = conjunction(ctx, r, q.words); err != nil {
			return fail(err)
		}
		if s.conj != nil && s.stats != nil {
			s.stats.intersected.Add(1)
		}
		for _, g := range s.words {
			g[0].t.lazy = true // (the candidates come from conj or ids)
		}
		if s.conj == nil {
			for _, w := range q.words {
				ft, err := docsOnly(w[0].field, w[0].term)
				if err != nil {
					return fail(err)
				}
				s.ids = append(s.ids, ft)
			}
		}
		// Defer the exact term of a word when it is common: at least an
		// eighth of the documents have it. (A rare one is cheaper to read
		// than to bound loosely.)
		for _, g := range s.words {
			if len(g) > expensiveClause {
				t := g[expensiveClause].t
				t.deferred = t.r.Count()*8 >= n
			}
		}
	}
	return s, nil
}

// conjunction opens one cursor over the documents that have every
// word's folded text term (see intersect): a candidate then costs a step
// in one bitmap instead of a step and a seek in the postings lists of
// every word. It returns nil when there is a single word or the reader
// cannot intersect bitmaps. parts are the cursors the conjunction was
// made of: their bitmaps back it, so they stay open until it is closed.
func conjunction(ctx context.Context, r bindex.IndexReader, words [][]termSpec) (*flatTerm, []bindex.TermFieldReader, error) {
	if len(words) < 2 {
		return nil, nil, nil
	}
	var parts []bindex.TermFieldReader
	closeParts := func() {
		for _, p := range parts {
			p.Close()
		}
	}
	for _, w := range words {
		tr, err := r.TermFieldReader(ctx, []byte(w[0].term), w[0].field, false, false, false)
		if err != nil {
			closeParts()
			return nil, nil, err
		}
		parts = append(parts, tr)
	}
	tr, ok, err := intersect(parts)
	if err != nil || !ok {
		closeParts()
		return nil, nil, err
	}
	ft := &flatTerm{r: tr}
	if ft.doc, err = tr.Next(&bindex.TermFieldDoc{}); err != nil {
		tr.Close()
		closeParts()
		return nil, nil, err
	}
	ft.setCur()
	return ft, parts, nil
}

// intersect returns one reader over the documents that have every term
// of trs (at least two), their postings bitmaps intersected segment by
// segment (scorch's "unadorned conjunction"; a small bitmap first makes
// it cheaper). ok is false when the readers cannot be intersected. The
// readers back the result: close them after it.
func intersect(trs []bindex.TermFieldReader) (tr bindex.TermFieldReader, ok bool, err error) {
	var octx bindex.OptimizableContext
	for _, t := range trs {
		o, isOpt := t.(bindex.Optimizable)
		if !isOpt {
			return nil, false, nil
		}
		if octx, err = o.Optimize("conjunction:unadorned", octx); err != nil || octx == nil {
			return nil, false, err
		}
	}
	opt, err := octx.Finish()
	tr, ok = opt.(bindex.TermFieldReader)
	if err != nil || !ok || tr == nil {
		return nil, false, err
	}
	return tr, true, nil
}

func (t *flatTerm) setCur() {
	if t.doc != nil {
		t.cur = docNum(t.doc.ID)
	}
}

// docNum is the number in a scorch internal ID (8 bytes, big-endian).
func docNum(id bindex.IndexInternalID) uint64 {
	if len(id) == 8 {
		return binary.BigEndian.Uint64(id)
	}
	var n uint64
	for _, b := range id {
		n = n<<8 | uint64(b)
	}
	return n
}

// advance moves t to its first posting at or after doc. It tries the
// next posting first: candidates are close together when the words are
// common, and a step costs less than a seek in scorch.
func (t *flatTerm) advance(doc uint64, buf []byte) error {
	if t.doc == nil || t.cur >= doc {
		return nil
	}
	if err := t.next(); err != nil || t.doc == nil || t.cur >= doc {
		return err
	}
	var err error
	t.doc, err = t.r.Advance(bindex.NewIndexInternalID(buf, doc), t.doc)
	t.setCur()
	return err
}

// next moves t past its current posting.
func (t *flatTerm) next() error {
	if t.doc == nil {
		return nil
	}
	var err error
	t.doc, err = t.r.Next(t.doc)
	t.setCur()
	return err
}

// at reports whether t's current posting is doc.
func (t *flatTerm) at(doc uint64) bool { return t.doc != nil && t.cur == doc }

// maxScore bounds score for any posting of t: the BM25 saturation
// tf·k1/(tf + k1·norm) is below k1 for every tf and field length.
func (t *flatTerm) maxScore(w float64) float64 { return t.idf * search.BM25_k1 * w }

// score is bleve's BM25 term score of t's current posting (see
// flatQuery) for a clause of weight w.
func (t *flatTerm) score(w float64) float64 {
	return bm25(t.idf, t.doc.Freq, t.doc.Norm, t.avgLen, w)
}

type flatSearcher struct {
	words [][]flatUse // words[i][0].t is the word's folded text term
	pairs [][]flatUse
	// adj[i], when not nil, is the clause of pair i that needs its
	// words next to each other: scoreDoc reads it last. adjN counts them.
	adj        []*flatPair
	adjN       int
	r          bindex.IndexReader // for the cursors that read positions
	deleted    *flatTerm
	all        []*flatTerm
	score      bool
	sumSquares float64
	qnorm      float64
	started    bool
	last       uint64     // the last match
	heap       *topScores // with pruning: the best scores so far
	floor      *scoreFloor
	// ids, with pruning, has per word a cursor on its folded text term
	// that reads document numbers only: candidates are found with it,
	// and the frequencies and norms (words[i][0]) are read only for the
	// candidates that are not pruned.
	ids []*flatTerm
	// conj, with pruning and more than one word, replaces ids: one
	// cursor over the documents that have every word (see conjunction),
	// made of the cursors parts.
	conj  *flatTerm
	parts []bindex.TermFieldReader
	stats *flatStats
	ctx   context.Context
	// With uncounted set, candidates that cannot reach the top k are
	// left out of the collector without reading their postings, counted
	// in skipped for uncounted (see skip).
	uncounted *atomic.Int64
	skipped   int64
	skipUntil uint64 // candidates before it are skipped
	rare      rareCursors
	// wordRest and wordRestN are, per word, the most the clauses that
	// scoreDoc reads last can add, and their number (see prepare).
	wordRest  []float64
	wordRestN []int
	prepared  bool
	// Scratch space of scoreDoc.
	wordSum, pairSum []float64
	wordN            []int
	pairOK           []bool
	buf              []byte // for the IDs given to Advance
}

// candidate returns the first document at or after doc that has every
// word (in its folded text term), or ok false when there is none.
func (s *flatSearcher) candidate(doc uint64) (uint64, bool, error) {
	for {
		moved := false
		if c := s.conj; c != nil {
			if err := c.advance(doc, s.buf); err != nil {
				return 0, false, err
			}
			if c.doc == nil {
				return 0, false, nil
			}
			doc = c.cur
		}
		for i := 0; s.conj == nil && i < len(s.words); i++ {
			d := s.driver(i)
			if err := d.advance(doc, s.buf); err != nil {
				return 0, false, err
			}
			if d.doc == nil {
				return 0, false, nil
			}
			if d.cur > doc {
				doc, moved = d.cur, true
			}
		}
		if !moved {
			if s.deleted != nil {
				if err := s.deleted.advance(doc, s.buf); err != nil {
					return 0, false, err
				}
				if s.deleted.at(doc) {
					doc++
					continue
				}
			}
			return doc, true, nil
		}
	}
}

// driver is the cursor that finds the candidates for word i: its folded
// text term, or with pruning a second cursor on it that reads document
// numbers only (see ids).
func (s *flatSearcher) driver(i int) *flatTerm {
	if s.ids != nil {
		return s.ids[i]
	}
	return s.words[i][0].t
}

// Clause 1 of a word is its exact text term (wordSpecs): as common as
// the word itself when the word was typed with accents. It and the
// conditions of the pairs (the same terms) are what pruning may skip,
// with the words' folded text terms; the title and author clauses and
// the title's bigrams are rare and always read.
const expensiveClause = 1

// deferredWord reports whether pruning reads the word's exact term last.
func deferredWord(g []flatUse) bool { return len(g) > expensiveClause && g[expensiveClause].t.deferred }

func (s *flatSearcher) match(ctx *search.SearchContext, doc uint64) (*search.DocumentMatch, error) {
	total := 0.0
	if s.score {
		var err error
		if total, err = s.scoreDoc(doc); err != nil {
			return nil, err
		}
	}
	dm := ctx.DocumentMatchPool.Get()
	dm.IndexInternalID = bindex.NewIndexInternalID(dm.IndexInternalID, doc)
	dm.Score = total
	return dm, nil
}

// scoreDoc scores a candidate. With pruning on, it leaves the clauses
// on common terms (readLast: an accented word's exact term, the words'
// folded text terms, and the same terms in the pairs) for last: when
// even their most (maxScore) would leave the document below the k-th
// best score so far, it returns the score without them, too low for
// the top k as the full one would be, and their postings are never read
// for it. Positions, which the pairs of the text need, are read last of
// all: only when the document would reach the top k with every pair it
// may have.
func (s *flatSearcher) scoreDoc(doc uint64) (float64, error) {
	qn := s.qnorm
	bound, pending := 0.0, false
	for i, g := range s.words {
		sum, n := 0.0, 0
		for j, u := range g {
			if j == expensiveClause && u.t.deferred || j == 0 && u.t.lazy {
				continue
			}
			if err := u.t.advance(doc, s.buf); err != nil {
				return 0, err
			}
			if u.t.at(doc) {
				sum += u.t.score(u.weight * qn)
				n++
			}
		}
		s.wordSum[i], s.wordN[i] = sum, n
		// The most of the clauses not read yet: the driver's (it
		// matches; its score is not read yet) and a deferred term's.
		restN := s.wordRestN[i]
		pending = pending || restN > 0
		bound += (sum + s.wordRest[i]) * float64(n+restN) / float64(len(g))
	}
	pairBound, pairN := 0.0, 0
	for i, p := range s.pairs {
		s.pairOK[i], s.pairSum[i] = false, 0
		sum, most, ok := 0.0, 0.0, true
		for _, u := range p {
			if u.t.readLast() {
				most += u.t.maxScore(u.weight * qn)
				continue
			}
			if err := u.t.advance(doc, s.buf); err != nil {
				return 0, err
			}
			if !u.t.at(doc) {
				ok = false
				break
			}
			sum += u.t.score(u.weight * qn)
		}
		if ok {
			if a := s.adj[i]; a != nil {
				most += a.maxScore(qn)
			}
			s.pairOK[i], s.pairSum[i] = true, sum
			pairBound += sum + most
			pairN++
			pending = pending || most > 0
		}
	}
	if pairN > 0 {
		bound += pairBound * float64(pairN) / float64(len(s.pairs))
	}
	if !pending {
		s.record(bound)
		return bound, nil // nothing left to read: bound is the score
	}
	// (The margin covers rounding: bound adds the terms in another order.)
	if s.out(bound) {
		return 0, nil // at most bound: out of the top k
	}
	deferred := false
	for i, g := range s.words {
		if u := g[0]; u.t.lazy {
			// The scoring cursor of the driver: at doc, as ids is.
			if err := u.t.advance(doc, s.buf); err != nil {
				return 0, err
			}
			if u.t.at(doc) {
				s.wordSum[i] += u.t.score(u.weight * qn)
				s.wordN[i]++
			}
		}
		deferred = deferred || deferredWord(g)
	}
	if deferred && s.adjN > 0 {
		// With the words' frequencies read, the pairs of the text have a
		// closer bound (adjacentBound): the deferred terms wait for it.
		out, err := s.outBeforeDeferred(doc)
		if err != nil || out {
			return 0, err
		}
	}
	total := 0.0
	for i, g := range s.words {
		sum, n := s.wordSum[i], s.wordN[i]
		if deferredWord(g) {
			u := g[expensiveClause]
			if err := u.t.advance(doc, s.buf); err != nil {
				return 0, err
			}
			if u.t.at(doc) {
				sum += u.t.score(u.weight * qn)
				n++
			}
		}
		total += sum * float64(n) / float64(len(g))
	}
	pairSum, pairN, unsure := 0.0, 0, false
pairs:
	for i, p := range s.pairs {
		if !s.pairOK[i] {
			continue
		}
		sum := s.pairSum[i] // the terms read above
		for _, u := range p {
			if !u.t.readLast() {
				continue
			}
			if err := u.t.advance(doc, s.buf); err != nil {
				return 0, err
			}
			if !u.t.at(doc) {
				s.pairOK[i] = false
				continue pairs
			}
			sum += u.t.score(u.weight * qn)
		}
		s.pairSum[i] = sum
		if a := s.adj[i]; a != nil {
			// The most the words next to each other can score: as often
			// as the rarer of them.
			most, err := s.adjacentBound(a, doc)
			if err != nil {
				return 0, err
			}
			if most == 0 {
				s.pairOK[i] = false
				continue
			}
			sum += most
			unsure = true
		}
		pairSum += sum
		pairN++
	}
	if unsure {
		// With every pair left scoring its most, the score bounds the
		// document's: out of the top k, no positions are read.
		if s.out(total + pairSum*float64(pairN)/float64(len(s.pairs))) {
			return 0, nil
		}
		pairSum, pairN = 0, 0
		for i := range s.pairs {
			if !s.pairOK[i] {
				continue
			}
			sum := s.pairSum[i]
			if a := s.adj[i]; a != nil {
				tf, err := s.countAdjacent(a, doc)
				if err != nil {
					return 0, err
				}
				if tf == 0 {
					continue
				}
				sum += bm25(a.idf, tf, a.a.doc.Norm, a.a.avgLen, a.weight*qn)
			}
			pairSum += sum
			pairN++
		}
	}
	if pairN > 0 {
		total += pairSum * float64(pairN) / float64(len(s.pairs))
	}
	s.record(total)
	return total, nil
}

// outBeforeDeferred reports whether doc is out of the top k with every
// deferred term at its most, the words' folded terms read, and the
// adjacent words of each pair next to each other as often as the rarer
// of them occurs.
func (s *flatSearcher) outBeforeDeferred(doc uint64) (bool, error) {
	qn := s.qnorm
	bound := 0.0
	for i, g := range s.words {
		sum, n := s.wordSum[i], s.wordN[i]
		if deferredWord(g) {
			u := g[expensiveClause]
			sum += u.t.maxScore(u.weight * qn)
			n++
		}
		bound += sum * float64(n) / float64(len(g))
	}
	pairSum, pairN := 0.0, 0
	for i, p := range s.pairs {
		if !s.pairOK[i] {
			continue
		}
		sum := s.pairSum[i]
		for _, u := range p {
			if u.t.readLast() {
				sum += u.t.maxScore(u.weight * qn)
			}
		}
		if a := s.adj[i]; a != nil {
			most, err := s.adjacentBound(a, doc)
			if err != nil {
				return false, err
			}
			if most == 0 {
				continue
			}
			sum += most
		}
		pairSum += sum
		pairN++
	}
	if pairN > 0 {
		bound += pairSum * float64(pairN) / float64(len(s.pairs))
	}
	return s.out(bound), nil
}

// out reports whether a document scoring at most bound is out of the
// top k (and counts it as pruned).
func (s *flatSearcher) out(bound float64) bool {
	// (The margin covers rounding: a bound adds the terms in another order.)
	if theta, ok := s.threshold(); !ok || bound*(1+1e-9) >= theta {
		return false
	}
	if s.stats != nil {
		s.stats.pruned.Add(1)
	}
	return true
}

// adjacentBound returns the most pair a can score in doc: its words
// next to each other as often as the rarer of them is in doc (0 when
// one is not there).
func (s *flatSearcher) adjacentBound(a *flatPair, doc uint64) (float64, error) {
	for _, t := range []*flatTerm{a.a, a.b} {
		if err := t.advance(doc, s.buf); err != nil {
			return 0, err
		}
		if !t.at(doc) {
			return 0, nil
		}
	}
	return a.score(a.a.doc.Freq, a.b.doc.Freq, a.a.doc.Norm, s.qnorm), nil
}

// score is the pair's score with the words next to each other
// min(fa, fb) times.
func (a *flatPair) score(fa, fb uint64, norm, qn float64) float64 {
	return bm25(a.idf, min(fa, fb), norm, a.a.avgLen, a.weight*qn)
}

// countAdjacent counts the places where the word b of a follows its word
// a in doc, reading their positions with second cursors (one, when a
// word follows itself: asked again for doc, it gives the same positions).
func (s *flatSearcher) countAdjacent(a *flatPair, doc uint64) (uint64, error) {
	pa, err := s.positions(a.a, doc)
	if err != nil {
		return 0, err
	}
	pb, err := s.positions(a.b, doc)
	if err != nil {
		return 0, err
	}
	return countFollows(pa, pb), nil
}

// positions returns the positions of t's term in doc (none if it is
// not there), read by a second cursor.
func (s *flatSearcher) positions(t *flatTerm, doc uint64) ([]wordPos, error) {
	if t.pos == nil {
		c, err := newPosCursor(s.ctx, s.r, t.field, t.term)
		if err != nil {
			return nil, err
		}
		t.pos = c
	}
	ok, err := t.pos.at(doc)
	if err != nil || !ok {
		return nil, err
	}
	return t.pos.locs, nil
}

func (s *flatSearcher) record(score float64) {
	if s.stats != nil {
		s.stats.scored.Add(1)
	}
	if s.heap != nil {
		s.heap.push(score)
		if s.heap.full() {
			s.floor.raise(s.heap.min())
		}
	}
}

func (s *flatSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if len(s.words) == 0 {
		return nil, nil
	}
	from := uint64(0)
	if s.started {
		var err error
		if from, err = s.pastLast(); err != nil {
			return nil, err
		}
	}
	return s.scan(ctx, from)
}

func (s *flatSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	if len(s.words) == 0 {
		return nil, nil
	}
	return s.scan(ctx, docNum(id))
}

// pastLast steps the drivers past the last match (Next is cheaper than
// Advance) and returns the document after it.
func (s *flatSearcher) pastLast() (uint64, error) {
	if c := s.conj; c != nil && c.at(s.last) {
		if err := c.next(); err != nil {
			return 0, err
		}
	}
	for i := 0; s.conj == nil && i < len(s.words); i++ {
		if d := s.driver(i); d.at(s.last) {
			if err := d.next(); err != nil {
				return 0, err
			}
		}
	}
	return s.last + 1, nil
}

// scan returns the first match at or after doc that is not skipped.
func (s *flatSearcher) scan(ctx *search.SearchContext, doc uint64) (*search.DocumentMatch, error) {
	if !s.prepared {
		s.prepare()
	}
	for {
		doc, ok, err := s.candidate(doc)
		if err != nil || !ok {
			s.report()
			return nil, err
		}
		s.started, s.last = true, doc
		skip, err := s.skip(doc)
		if err != nil {
			return nil, err
		}
		if !skip {
			return s.match(ctx, doc)
		}
		s.skipped++
		if s.skipped%4096 == 0 && s.ctx.Err() != nil {
			return nil, s.ctx.Err()
		}
		if doc, err = s.pastLast(); err != nil {
			return nil, err
		}
	}
}

// prepare computes what depends on the query norm and the pruning mode:
// the bounds of the clauses scoreDoc reads last, and for skipping, the
// rare cursors.
func (s *flatSearcher) prepare() {
	s.prepared = true
	qn := s.qnorm
	s.wordRest, s.wordRestN = make([]float64, len(s.words)), make([]int, len(s.words))
	for i, g := range s.words {
		rest, n := 0.0, 0
		if g[0].t.lazy {
			rest += g[0].t.maxScore(g[0].weight * qn)
			n++
		}
		if deferredWord(g) {
			u := g[expensiveClause]
			rest += u.t.maxScore(u.weight * qn)
			n++
		}
		s.wordRest[i], s.wordRestN[i] = rest, n
	}
	if s.uncounted != nil {
		s.rare = newRareCursors(s)
	}
}

func (s *flatSearcher) Close() error {
	s.report()
	var first error
	for _, t := range s.all {
		if t.r != nil {
			if err := t.r.Close(); err != nil && first == nil {
				first = err
			}
		}
		if t.pos != nil {
			t.pos.Close()
		}
	}
	if s.deleted != nil && s.deleted.r != nil {
		s.deleted.r.Close()
	}
	for _, t := range s.ids {
		t.r.Close()
	}
	if s.conj != nil {
		s.conj.r.Close()
	}
	for _, p := range s.parts {
		p.Close()
	}
	return first
}

func (s *flatSearcher) Weight() float64 { return s.sumSquares }

func (s *flatSearcher) SetQueryNorm(qnorm float64) {
	if math.IsInf(qnorm, 0) || math.IsNaN(qnorm) {
		qnorm = 1
	}
	s.qnorm = qnorm
	s.prepared = false
}

// Count estimates the number of matches (for bleve's planning): at most
// the rarest word's.
func (s *flatSearcher) Count() uint64 {
	var n uint64
	for i, g := range s.words {
		if c := g[0].t.r.Count(); i == 0 || c < n {
			n = c
		}
	}
	return n
}

func (s *flatSearcher) Min() int                   { return 0 }
func (s *flatSearcher) Size() int                  { return 64 + 96*len(s.all) }
func (s *flatSearcher) DocumentMatchPoolSize() int { return 1 }
