package index

import (
	"math"
	"sort"
	"sync/atomic"
)

// Pruning and skipping of flatSearcher: the k best scores so far, and
// the MaxScore partition of the rare clauses. See flatQuery and the
// package documentation ("Plain-word searches").

// topScores keeps the k best scores seen (a min-heap).
type topScores struct {
	k int
	h []float64
}

func (t *topScores) full() bool   { return len(t.h) >= t.k }
func (t *topScores) min() float64 { return t.h[0] }

func (t *topScores) push(v float64) {
	if len(t.h) < t.k {
		t.h = append(t.h, v)
		for i := len(t.h) - 1; i > 0; {
			p := (i - 1) / 2
			if t.h[p] <= t.h[i] {
				break
			}
			t.h[p], t.h[i] = t.h[i], t.h[p]
			i = p
		}
		return
	}
	if v <= t.h[0] {
		return
	}
	t.h[0] = v
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(t.h) && t.h[l] < t.h[m] {
			m = l
		}
		if r < len(t.h) && t.h[r] < t.h[m] {
			m = r
		}
		if m == i {
			break
		}
		t.h[m], t.h[i] = t.h[i], t.h[m]
		i = m
	}
}

// threshold is the score a document must reach to be among the top k:
// the k-th best of this shard so far, or the floor another shard of the
// search has set if higher. ok is false while there is none.
func (s *flatSearcher) threshold() (theta float64, ok bool) {
	if s.heap == nil {
		return 0, false
	}
	if s.heap.full() {
		theta, ok = s.heap.min(), true
	}
	if f := s.floor.load(); f > theta {
		theta, ok = f, true
	}
	return theta, ok
}

// scoreFloor is the best k-th best score that any shard of a search has
// found so far. The search merges its shards' hits by score, so a
// document of one shard that scores below the k-th best of another is
// not among the search's k best either: every shard prunes with the
// highest threshold any of them has reached, not only its own.
type scoreFloor struct{ bits atomic.Uint64 }

// load returns the floor; 0 (no floor) when f is nil.
func (f *scoreFloor) load() float64 {
	if f == nil {
		return 0
	}
	return math.Float64frombits(f.bits.Load())
}

// raise lifts the floor to v if v is higher.
func (f *scoreFloor) raise(v float64) {
	if f == nil {
		return
	}
	for {
		old := f.bits.Load()
		if math.Float64frombits(old) >= v || f.bits.CompareAndSwap(old, math.Float64bits(v)) {
			return
		}
	}
}

// rareCursors are the cursors scoreDoc reads first, every clause but
// the words' folded text terms and the deferred ones (whose bounds are
// wordRest). Ordered by how much they can add to a score, least first,
// they are split at a threshold θ (the k-th best score so far) into a
// prefix that cannot lift a document to θ even all together, and the
// rest, the essential ones: a candidate none of these is at cannot
// reach θ and is skipped, and their postings tell how far to skip.
// (The MaxScore method of Turtle and Flood, on the clauses of one
// conjunction.)
type rareCursors struct {
	order []*rareCursor
	// For bound: per word its clauses' score sum and count so far
	// (starting at wordRest, wordRestN), and per pair the number of its
	// cursors not yet counted.
	wordSum  []float64
	wordN    []int
	missing  []int
	pairMax  []float64 // the most each pair adds (its coordination aside)
	wordLen  []int
	pairs    int
	theta    float64 // the threshold of cut
	cut      int     // order[cut:] are essential; -1: skip nothing
	wordRest []float64
	restN    []int
}

type rareCursor struct {
	t     *flatTerm
	words []rareUse // the word clauses it is the term of
	pairs []int     // the pairs it is a (non-deferred) clause of
	most  float64   // the most it can add, for the order
}

type rareUse struct {
	word int
	most float64
}

func newRareCursors(s *flatSearcher) rareCursors {
	qn := s.qnorm
	rc := rareCursors{
		wordSum: make([]float64, len(s.words)), wordN: make([]int, len(s.words)),
		missing: make([]int, len(s.pairs)), pairMax: make([]float64, len(s.pairs)),
		wordLen: make([]int, len(s.words)), pairs: len(s.pairs),
		wordRest: s.wordRest, restN: s.wordRestN, theta: -1, cut: -1,
	}
	byTerm := map[*flatTerm]*rareCursor{}
	cursor := func(t *flatTerm) *rareCursor {
		c, ok := byTerm[t]
		if !ok {
			c = &rareCursor{t: t}
			byTerm[t] = c
			rc.order = append(rc.order, c)
		}
		return c
	}
	for i, g := range s.words {
		rc.wordLen[i] = len(g)
		for j, u := range g {
			if j == expensiveClause && u.t.deferred || j == 0 && u.t.lazy {
				continue
			}
			c := cursor(u.t)
			m := u.t.maxScore(u.weight * qn)
			c.words = append(c.words, rareUse{i, m})
			c.most += m
		}
	}
	for k, p := range s.pairs {
		var first *rareCursor
		for _, u := range p {
			rc.pairMax[k] += u.t.maxScore(u.weight * qn)
			if !u.t.readLast() {
				c := cursor(u.t)
				c.pairs = append(c.pairs, k)
				rc.missing[k]++
				if first == nil {
					first = c
				}
			}
		}
		if a := s.adj[k]; a != nil {
			// The words next to each other: no cursor of their own (they
			// are the words'), but they count in the pair's most.
			rc.pairMax[k] += a.maxScore(qn)
		}
		if first != nil {
			first.most += rc.pairMax[k]
		}
	}
	sort.SliceStable(rc.order, func(a, b int) bool { return rc.order[a].most < rc.order[b].most })
	return rc
}

// reset empties the set the bound is of.
func (rc *rareCursors) reset(pairs [][]flatUse) {
	copy(rc.wordSum, rc.wordRest)
	copy(rc.wordN, rc.restN)
	for k, p := range pairs {
		rc.missing[k] = 0
		for _, u := range p {
			if !u.t.readLast() {
				rc.missing[k]++
			}
		}
	}
}

// add puts c in the set.
func (rc *rareCursors) add(c *rareCursor) {
	for _, u := range c.words {
		rc.wordSum[u.word] += u.most
		rc.wordN[u.word]++
	}
	for _, k := range c.pairs {
		rc.missing[k]--
	}
}

// bound is the most a candidate can score when of the rare cursors only
// those in the set are at it (scoreDoc's formula with every clause at
// its most).
func (rc *rareCursors) bound() float64 {
	b := 0.0
	for i, sum := range rc.wordSum {
		b += sum * float64(rc.wordN[i]) / float64(rc.wordLen[i])
	}
	pairSum, pairN := 0.0, 0
	for k, m := range rc.missing {
		if m == 0 {
			pairSum += rc.pairMax[k]
			pairN++
		}
	}
	if pairN > 0 {
		b += pairSum * float64(pairN) / float64(rc.pairs)
	}
	return b
}

// partition sets cut for the threshold theta.
func (rc *rareCursors) partition(theta float64, pairs [][]flatUse) {
	rc.theta = theta
	rc.reset(pairs)
	// (The margin covers rounding, as in scoreDoc.)
	if rc.bound()*(1+1e-9) >= theta {
		rc.cut = -1
		return
	}
	rc.cut = 0
	for rc.cut < len(rc.order) {
		rc.add(rc.order[rc.cut])
		if rc.bound()*(1+1e-9) >= theta {
			break
		}
		rc.cut++
	}
}

// skip reports whether the candidate doc is left out of the collector:
// with pruning, the top k full and none of the essential cursors at it.
// It then skips the candidates up to the next posting of an essential
// cursor too.
func (s *flatSearcher) skip(doc uint64) (bool, error) {
	if s.uncounted == nil {
		return false, nil
	}
	if doc < s.skipUntil {
		return true, nil
	}
	theta, ok := s.threshold()
	if !ok {
		return false, nil
	}
	if theta != s.rare.theta {
		s.rare.partition(theta, s.pairs)
	}
	if s.rare.cut < 0 {
		return false, nil
	}
	next := uint64(math.MaxUint64)
	for _, c := range s.rare.order[s.rare.cut:] {
		if err := c.t.advance(doc, s.buf); err != nil {
			return false, err
		}
		if c.t.doc != nil && c.t.cur < next {
			if next = c.t.cur; next == doc {
				return false, nil
			}
		}
	}
	s.skipUntil = next
	return true, nil
}

// report adds the documents skipped to the query's uncounted, once.
func (s *flatSearcher) report() {
	if s.uncounted != nil && s.skipped > 0 {
		s.uncounted.Add(s.skipped)
		if s.stats != nil {
			s.stats.skipped.Add(s.skipped)
			s.stats.pruned.Add(s.skipped)
		}
		s.skipped = 0
	}
}
