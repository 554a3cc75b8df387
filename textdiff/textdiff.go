package textdiff

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind says whether an op's text is in both versions, only the new one or
// only the old one.
type Kind uint8

const (
	Equal  Kind = iota // in both versions
	Insert             // only in the new version (b)
	Delete             // only in the old version (a)
)

func (k Kind) String() string {
	switch k {
	case Equal:
		return "Equal"
	case Insert:
		return "Insert"
	case Delete:
		return "Delete"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Op is one piece of a diff. Text is a substring of the input it comes
// from (a for Equal and Delete, b for Insert), not a copy.
type Op struct {
	Kind Kind
	Text string
}

// maxCost caps the edit distance, in tokens (a word, a punctuation mark
// or a whitespace run each count one), that the word-level Myers search
// explores before giving up on a region. Myers' algorithm costs
// O((N+M)·D) time in the worst case, so the cap is what keeps a complete
// rewrite of a 10 000-word article from taking seconds. 2000 tokens is
// about 500 changed words (a replaced word costs 4: the word and its
// space, deleted and inserted), far above the few dozen words a correction
// or an update usually changes.
const maxCost = 2000

// Words returns a word-level diff turning a into b: the Equal and Delete
// texts concatenated give a back exactly, the Equal and Insert texts give
// b. Adjacent ops never have the same kind, no op is empty, and within a
// change a Delete comes before the Insert. Words(a, a) is one Equal op
// (nil for two empty strings).
//
// Texts are compared byte for byte: normalize both sides first
// (vntext.NFC, vntext.NormalizeTone) if "hoà"/"hòa" or NFC/NFD
// differences should not count as changes.
func Words(a, b string) []Op {
	return words(a, b, maxCost)
}

// words is Words with the cost cap as a parameter, so tests can lower it
// to exercise the fallback.
func words(a, b string, cost int) []Op {
	if a == b {
		if a == "" {
			return nil
		}
		return []Op{{Equal, a}}
	}
	d := &differ{a: tokenize(a), b: tokenize(b), cost: cost}
	d.diff()
	regs := d.regions()
	regs = d.slide(regs)
	regs = d.fold(regs)
	return d.ops(regs)
}

// edit is a piece of an edit script over token ranges: a[a0:a1] and
// b[b0:b1]. An Equal edit has ranges of the same length and the same
// tokens; a Delete has b0 == b1 (where it falls in b), an Insert a0 == a1.
type edit struct {
	kind           Kind
	a0, a1, b0, b1 int
}

type differ struct {
	a, b   tokens
	aid    []int32 // token ids, for the middle part (after the common prefix and suffix)
	bid    []int32
	script []edit
	m      myers
	cost   int // maxCost, or lower in tests
}

func (d *differ) emit(k Kind, a0, a1, b0, b1 int) {
	if a0 == a1 && b0 == b1 {
		return
	}
	if n := len(d.script); n > 0 {
		if last := &d.script[n-1]; last.kind == k && last.a1 == a0 && last.b1 == b0 {
			last.a1, last.b1 = a1, b1
			return
		}
	}
	d.script = append(d.script, edit{k, a0, a1, b0, b1})
}

// replace emits a[a0:a1] deleted and b[b0:b1] inserted.
func (d *differ) replace(a0, a1, b0, b1 int) {
	d.emit(Delete, a0, a1, b0, b0)
	d.emit(Insert, a1, a1, b0, b1)
}

// diff computes the edit script of the whole texts into d.script.
func (d *differ) diff() {
	na, nb := d.a.n(), d.b.n()
	// Crawls of one article are mostly identical: trimming the common
	// prefix and suffix first leaves Myers only the region that changed,
	// and spares interning the rest.
	p := 0
	for p < na && p < nb && d.a.same(p, &d.b, p) {
		p++
	}
	q := 0
	for q < na-p && q < nb-p && d.a.same(na-1-q, &d.b, nb-1-q) {
		q++
	}
	d.emit(Equal, 0, p, 0, p)
	a0, a1, b0, b1 := p, na-q, p, nb-q
	d.intern(a0, a1, b0, b1)
	if !d.fine(a0, a1, b0, b1) {
		d.coarse(a0, a1, b0, b1)
	}
	d.emit(Equal, a1, na, b1, nb)
}

// intern numbers the distinct tokens of a[a0:a1] and b[b0:b1] so that
// Myers compares integers, not strings. Ids are stored at the token's
// index; the rest of aid and bid stays zero and is never read.
func (d *differ) intern(a0, a1, b0, b1 int) {
	ids := make(map[string]int32, (a1-a0+b1-b0)/4+1)
	number := func(t *tokens, out []int32, i0, i1 int) {
		for i := i0; i < i1; i++ {
			s := t.text(i)
			id, ok := ids[s]
			if !ok {
				id = int32(len(ids))
				ids[s] = id
			}
			out[i] = id
		}
	}
	d.aid = make([]int32, d.a.n())
	d.bid = make([]int32, d.b.n())
	number(&d.a, d.aid, a0, a1)
	number(&d.b, d.bid, b0, b1)
}

// fine diffs a[a0:a1] against b[b0:b1] word by word. It reports false,
// emitting nothing, if the edit distance exceeds the cost cap.
func (d *differ) fine(a0, a1, b0, b1 int) bool {
	script, ok := d.m.run(d.aid[a0:a1], d.bid[b0:b1], d.cost)
	if !ok {
		return false
	}
	for _, e := range script {
		d.emit(e.kind, a0+e.a0, a0+e.a1, b0+e.b0, b0+e.b1)
	}
	return true
}

// coarse is the fallback when the word-level search is too expensive: it
// diffs paragraphs (a paragraph and the break after it are one unit),
// keeps the paragraphs that did not change as they are, and diffs the
// changed ones word by word: pairwise when as many paragraphs were
// removed as added (the common case of several paragraphs each edited),
// as one region otherwise. A region that is still too expensive is shown
// as deleted and inserted whole. Text without paragraph breaks is one
// unit, so a complete rewrite of it comes out as one Delete and one
// Insert, which is also what a reader would want to see.
func (d *differ) coarse(a0, a1, b0, b1 int) {
	ua, ub := units(&d.a, a0, a1), units(&d.b, b0, b1)
	ids := make(map[string]int32)
	number := func(t *tokens, u []int) []int32 {
		out := make([]int32, len(u)-1)
		for i := range out {
			s := t.span(u[i], u[i+1])
			id, ok := ids[s]
			if !ok {
				id = int32(len(ids))
				ids[s] = id
			}
			out[i] = id
		}
		return out
	}
	ia, ib := number(&d.a, ua), number(&d.b, ub)
	var m myers
	script, ok := m.run(ia, ib, d.cost)
	if !ok {
		d.replace(a0, a1, b0, b1)
		return
	}
	// script is over units; walk it, grouping the changes between two
	// Equal runs.
	for i := 0; i < len(script); {
		e := script[i]
		if e.kind == Equal {
			d.emit(Equal, ua[e.a0], ua[e.a1], ub[e.b0], ub[e.b1])
			i++
			continue
		}
		x0, x1, y0, y1 := e.a0, e.a0, e.b0, e.b0
		for ; i < len(script) && script[i].kind != Equal; i++ {
			x1, y1 = max(x1, script[i].a1), max(y1, script[i].b1)
		}
		if x1-x0 == y1-y0 {
			for k := 0; k < x1-x0; k++ {
				d.fineOrReplace(ua[x0+k], ua[x0+k+1], ub[y0+k], ub[y0+k+1])
			}
		} else {
			d.fineOrReplace(ua[x0], ua[x1], ub[y0], ub[y1])
		}
	}
}

func (d *differ) fineOrReplace(a0, a1, b0, b1 int) {
	if !d.fine(a0, a1, b0, b1) {
		d.replace(a0, a1, b0, b1)
	}
}

// units returns the token indexes where the paragraphs of t[i0:i1] start,
// followed by i1. A paragraph unit ends after its break.
func units(t *tokens, i0, i1 int) []int {
	u := []int{i0}
	for i := i0; i < i1; i++ {
		if t.kind[i] == tBreak && i+1 < i1 {
			u = append(u, i+1)
		}
	}
	return append(u, i1)
}

// myers finds shortest edit scripts between two sequences of ids with
// the linear-space variant of Myers' O(ND) algorithm ("An O(ND)
// Difference Algorithm and Its Variations", 1986, section 4b): find the
// middle snake of a shortest path by searching from both ends at once,
// then recurse on the parts before and after it. Memory is the two
// diagonal vectors, O(maxCost), whatever the input length.
type myers struct {
	a, b   []int32
	vf, vb []int // furthest x reached on each diagonal, forward and backward
	off    int   // index of diagonal 0 in vf and vb
	limit  int   // give up when a search from one end needs more edits
	out    []edit
}

// run returns the edit script of a against b, with Equal edits included,
// or false if it would need more than cost edits.
func (m *myers) run(a, b []int32, cost int) ([]edit, bool) {
	m.a, m.b, m.out = a, b, m.out[:0]
	// Each half of the middle-snake search covers half the edits.
	m.limit = min(cost/2+1, (len(a)+len(b))/2+1)
	if size := 2*m.limit + 3; len(m.vf) < size {
		m.vf, m.vb = make([]int, size), make([]int, size)
	}
	m.off = m.limit + 1
	if !m.diff(0, len(a), 0, len(b)) {
		return nil, false
	}
	return m.out, true
}

func (m *myers) emit(k Kind, a0, a1, b0, b1 int) {
	if a0 == a1 && b0 == b1 {
		return
	}
	if n := len(m.out); n > 0 && m.out[n-1].kind == k {
		m.out[n-1].a1, m.out[n-1].b1 = a1, b1
		return
	}
	m.out = append(m.out, edit{k, a0, a1, b0, b1})
}

func (m *myers) diff(a0, a1, b0, b1 int) bool {
	a, b := m.a, m.b
	p := 0
	for a0+p < a1 && b0+p < b1 && a[a0+p] == b[b0+p] {
		p++
	}
	m.emit(Equal, a0, a0+p, b0, b0+p)
	a0, b0 = a0+p, b0+p
	q := 0
	for a1-q > a0 && b1-q > b0 && a[a1-1-q] == b[b1-1-q] {
		q++
	}
	a1, b1 = a1-q, b1-q
	switch {
	case a0 == a1:
		m.emit(Insert, a0, a0, b0, b1)
	case b0 == b1:
		m.emit(Delete, a0, a1, b0, b0)
	default:
		// Both sides non-empty after trimming means at least two edits,
		// so both halves around the middle snake are strictly smaller
		// problems and the recursion ends.
		x, y, u, v, ok := m.middle(a0, a1, b0, b1)
		if !ok || !m.diff(a0, x, b0, y) {
			return false
		}
		m.emit(Equal, x, u, y, v)
		if !m.diff(u, a1, v, b1) {
			return false
		}
	}
	m.emit(Equal, a1, a1+q, b1, b1+q)
	return true
}

// middle finds a middle snake of a[a0:a1] against b[b0:b1]: a run of
// equal elements from (x, y) to (u, v) that lies on some shortest edit
// path and splits its edits in half. It reports false if the search from
// either end passes m.limit edits.
//
// Diagonal k holds the points with x-y = k. vf[k] is the furthest x a
// path of d edits from (0, 0) reaches on diagonal k; vb[k] is the same for
// paths from the far corner, in reversed coordinates (x counted from the
// end). A diagonal no d-path can reach inside the grid holds -1: the
// textbook version lets paths wander off the grid, which is harmless for
// the forward-only algorithm but can fake an overlap here.
func (m *myers) middle(a0, a1, b0, b1 int) (x, y, u, v int, ok bool) {
	a, b := m.a, m.b
	n, mm := a1-a0, b1-b0
	delta := n - mm
	odd := delta&1 != 0
	vf, vb, off := m.vf, m.vb, m.off
	for d := 0; d <= m.limit; d++ {
		for k := -d; k <= d; k += 2 {
			x, valid := step(vf, off, d, k, n, mm)
			if !valid {
				vf[off+k] = -1
				continue
			}
			y := x - k
			sx, sy := x, y
			for x < n && y < mm && a[a0+x] == b[b0+y] {
				x, y = x+1, y+1
			}
			vf[off+k] = x
			// With an odd delta the paths meet right after a forward
			// step; the backward vector holds d-1-edit paths.
			if kr := delta - k; odd && kr >= -(d-1) && kr <= d-1 {
				if r := vb[off+kr]; r >= 0 && x+r >= n {
					return a0 + sx, b0 + sy, a0 + x, b0 + y, true
				}
			}
		}
		for k := -d; k <= d; k += 2 {
			x, valid := step(vb, off, d, k, n, mm)
			if !valid {
				vb[off+k] = -1
				continue
			}
			y := x - k
			sx, sy := x, y
			for x < n && y < mm && a[a1-1-x] == b[b1-1-y] {
				x, y = x+1, y+1
			}
			vb[off+k] = x
			if kf := delta - k; !odd && kf >= -d && kf <= d {
				if f := vf[off+kf]; f >= 0 && f+x >= n {
					return a1 - x, b1 - y, a1 - sx, b1 - sy, true
				}
			}
		}
	}
	return 0, 0, 0, 0, false
}

// step returns where a path of d edits enters diagonal k before its
// snake: one step right from diagonal k-1 or one step down from k+1,
// whichever gets further, among the moves that stay inside the n×m grid.
func step(v []int, off, d, k, n, m int) (int, bool) {
	if d == 0 {
		return 0, true
	}
	x := -1
	if k > -d {
		if p := v[off+k-1]; p >= 0 && p+1 <= n {
			x = p + 1
		}
	}
	if k < d {
		if p := v[off+k+1]; p >= 0 && p-k <= m && p > x {
			x = p
		}
	}
	return x, x >= 0
}

// region is a run of the diff: an Equal run, or a change (a[a0:a1]
// replaced by b[b0:b1], either side possibly empty). A region list
// alternates Equal runs and changes.
type region struct {
	eq             bool
	a0, a1, b0, b1 int
}

func (r region) pure() bool { return !r.eq && (r.a0 == r.a1 || r.b0 == r.b1) }

// regions groups the edit script into alternating Equal runs and changes.
func (d *differ) regions() []region {
	var regs []region
	for i := 0; i < len(d.script); {
		e := d.script[i]
		if e.kind == Equal {
			regs = append(regs, region{true, e.a0, e.a1, e.b0, e.b1})
			i++
			continue
		}
		r := region{false, e.a0, e.a0, e.b0, e.b0}
		for ; i < len(d.script) && d.script[i].kind != Equal; i++ {
			r.a1, r.b1 = max(r.a1, d.script[i].a1), max(r.b1, d.script[i].b1)
		}
		regs = append(regs, r)
	}
	return regs
}

// slide moves each pure insertion or deletion along the run of equal
// tokens around it, when the text allows, to where its ends fall on the
// best boundaries. Myers picks one of several equally short scripts
// arbitrarily; inserting a paragraph into "P1¶P3" can come out as
// "P1{+¶P2+}¶P3" or "P1¶{+P2¶+}P3", and only the second reads as a new
// paragraph (and lets Paragraphs give it a block of its own).
func (d *differ) slide(regs []region) []region {
	for i := 1; i+1 < len(regs); i++ {
		r := regs[i]
		if !r.pure() {
			continue
		}
		left, right := &regs[i-1], &regs[i+1]
		t, s, e := &d.b, r.b0, r.b1
		if r.b0 == r.b1 {
			t, s, e = &d.a, r.a0, r.a1
		}
		// An Equal run between two changes must keep a token, or the
		// changes would touch; the first and last runs may vanish.
		minL, minR := 1, 1
		if i-1 == 0 {
			minL = 0
		}
		if i+1 == len(regs)-1 {
			minR = 0
		}
		back := 0
		for back < left.a1-left.a0-minL && t.same(s-1-back, t, e-1-back) {
			back++
		}
		fwd := 0
		for fwd < right.a1-right.a0-minR && t.same(s+fwd, t, e+fwd) {
			fwd++
		}
		if back == 0 && fwd == 0 {
			continue
		}
		best, bestScore := 0, -1
		for k := -back; k <= fwd; k++ {
			if sc := t.boundary(s+k) + t.boundary(e+k); sc > bestScore {
				best, bestScore = k, sc
			}
		}
		left.a1 += best
		left.b1 += best
		right.a0 += best
		right.b0 += best
		regs[i].a0 += best
		regs[i].a1 += best
		regs[i].b0 += best
		regs[i].b1 += best
	}
	// Drop a first or last Equal run that the sliding emptied.
	if len(regs) > 0 && regs[0].eq && regs[0].a0 == regs[0].a1 {
		regs = regs[1:]
	}
	if n := len(regs); n > 0 && regs[n-1].eq && regs[n-1].a0 == regs[n-1].a1 {
		regs = regs[:n-1]
	}
	return regs
}

// boundary scores the boundary before token i as the edge of a change:
// higher reads better. Best is the edge of the text, then just after a
// paragraph break, then just before one, then at the start of a word,
// then at its end; worst is between a word and its punctuation.
func (t *tokens) boundary(i int) int {
	if i <= 0 || i >= t.n() {
		return 7
	}
	prev, next := t.kind[i-1], t.kind[i]
	switch {
	case prev == tBreak:
		return 6
	case next == tBreak:
		return 5
	case prev == tSpace:
		return 3
	case next == tSpace:
		return 2
	case prev == tPunct && next == tWord:
		return 1
	}
	return 0
}

// fold is the semantic cleanup. Myers minimizes edits, not reading
// effort: a rewritten sentence comes out as confetti, "[-a-]{+x+} [-b-]{+y+}",
// because the spaces and the odd common word between the changed words
// still match. fold absorbs an Equal run lying between two changes into
// them when it is no longer than the changes on either side (counted in
// words, so an Equal run of spaces and punctuation always goes), so the
// example becomes "[-a b-]{+x y+}". Folding a run makes the merged change
// larger, which can make the run before it foldable too; a stack handles
// that in one pass.
//
// Two runs are never folded: those holding a paragraph break, which
// keeps paragraphs aligned for Paragraphs and readers, and a run with
// words between two insertions (or two deletions), where folding would
// show unchanged words as both deleted and inserted instead of two
// separate additions.
func (d *differ) fold(regs []region) []region {
	out := regs[:0]
	for _, r := range regs {
		for !r.eq && len(out) >= 2 {
			e, c := out[len(out)-1], out[len(out)-2]
			if !e.eq || c.eq || !d.foldable(c, e, r) {
				break
			}
			r = region{false, c.a0, r.a1, c.b0, r.b1}
			out = out[:len(out)-2]
		}
		out = append(out, r)
	}
	return out
}

func (d *differ) foldable(c0, e, c1 region) bool {
	if d.a.hasBreak(e.a0, e.a1) {
		return false
	}
	w := d.a.wordCount(e.a0, e.a1)
	if w == 0 {
		return true
	}
	if c0.pure() && c1.pure() && (c0.a0 == c0.a1) == (c1.a0 == c1.a1) {
		return false
	}
	side := func(c region) int {
		return max(d.a.wordCount(c.a0, c.a1), d.b.wordCount(c.b0, c.b1))
	}
	return w <= side(c0) && w <= side(c1)
}

// ops turns regions into Ops, slicing the texts out of the inputs.
func (d *differ) ops(regs []region) []Op {
	out := make([]Op, 0, len(regs)*3/2+1)
	for _, r := range regs {
		if r.eq {
			out = append(out, Op{Equal, d.a.span(r.a0, r.a1)})
			continue
		}
		if r.a0 < r.a1 {
			out = append(out, Op{Delete, d.a.span(r.a0, r.a1)})
		}
		if r.b0 < r.b1 {
			out = append(out, Op{Insert, d.b.span(r.b0, r.b1)})
		}
	}
	return out
}

// Stats counts the words inserted and deleted: non-space runs with at
// least one rune that is not punctuation, so "Hóa." is one word and a
// lone "—" none. A change of punctuation or spacing only therefore counts
// (0, 0) though the ops are not all Equal.
func Stats(ops []Op) (inserted, deleted int) {
	for _, op := range ops {
		switch op.Kind {
		case Insert:
			inserted += countWords(op.Text)
		case Delete:
			deleted += countWords(op.Text)
		}
	}
	return inserted, deleted
}

// Paragraphs splits ops into blocks, one per paragraph, for renderers
// that show each paragraph as a block. A block ends at each paragraph
// break (a whitespace run with two or more newlines). A break in an
// Equal op is in both versions and is dropped: the block boundary stands
// for it. A break that was inserted or deleted stays at the end of its
// block's last op, so a renderer can mark it (say with ¶) or trim it.
// When both the deletion and the insertion of a change span paragraphs,
// the deleted paragraphs come out as blocks before the inserted ones,
// rather than interleaved. No block is empty.
func Paragraphs(ops []Op) [][]Op {
	var out [][]Op
	var cur []Op
	flush := func() {
		if len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
	}
	add := func(k Kind, s string) {
		if s == "" {
			return
		}
		if n := len(cur); n > 0 && cur[n-1].Kind == k {
			// Only reachable with hand-made op lists; Words merges.
			cur[n-1].Text += s
			return
		}
		cur = append(cur, Op{k, s})
	}
	for i, op := range ops {
		s := op.Text
		for {
			i0, i1 := nextBreak(s)
			if i0 < 0 {
				add(op.Kind, s)
				break
			}
			if op.Kind == Equal {
				add(Equal, s[:i0])
			} else {
				add(op.Kind, s[:i1])
			}
			flush()
			s = s[i1:]
		}
		if op.Kind == Delete && i+1 < len(ops) && ops[i+1].Kind == Insert &&
			hasBreak(op.Text) && hasBreak(ops[i+1].Text) {
			flush()
		}
	}
	flush()
	return out
}

func hasBreak(s string) bool {
	i, _ := nextBreak(s)
	return i >= 0
}

// nextBreak returns the byte range of the first paragraph break in s, or
// -1, -1.
func nextBreak(s string) (int, int) {
	for i := 0; i < len(s); {
		r, w := decode(s, i)
		if !unicode.IsSpace(r) {
			i += w
			continue
		}
		j, nl := spaceRun(s, i)
		if nl >= 2 {
			return i, j
		}
		i = j
	}
	return -1, -1
}

// spaceRun returns the end of the run of white space that starts at i in
// s, and how many newlines it holds (two make a paragraph break).
func spaceRun(s string, i int) (end, newlines int) {
	for end = i; end < len(s); {
		r, w := decode(s, end)
		if !unicode.IsSpace(r) {
			break
		}
		if r == '\n' {
			newlines++
		}
		end += w
	}
	return end, newlines
}

// Unified renders ops as one text with deletions as [-text-] and
// insertions as {+text+}, like git diff --word-diff=plain. It is for
// reading, not patching: whitespace that a change's deleted and inserted
// parts all begin or end with is written outside the markers ("x {+y+} z"
// rather than "x {+y +}z"), and marker-like text in the input is not
// escaped.
func Unified(ops []Op) string {
	var sb strings.Builder
	n := 0
	for _, op := range ops {
		n += len(op.Text) + 4
	}
	sb.Grow(n)
	for i := 0; i < len(ops); {
		if ops[i].Kind == Equal {
			sb.WriteString(ops[i].Text)
			i++
			continue
		}
		j := i
		for j < len(ops) && ops[j].Kind != Equal {
			j++
		}
		group := ops[i:j]
		lead, trail := sharedSpace(group)
		sb.WriteString(lead)
		for _, op := range group {
			t := op.Text[len(lead) : len(op.Text)-len(trail)]
			if op.Kind == Delete {
				sb.WriteString("[-")
				sb.WriteString(t)
				sb.WriteString("-]")
			} else {
				sb.WriteString("{+")
				sb.WriteString(t)
				sb.WriteString("+}")
			}
		}
		sb.WriteString(trail)
		i = j
	}
	return sb.String()
}

// sharedSpace returns the leading and trailing whitespace common to all
// ops of a change, or none if some op is whitespace only (moving its
// text out of the markers would hide the change).
func sharedSpace(group []Op) (lead, trail string) {
	for _, op := range group {
		if strings.TrimFunc(op.Text, unicode.IsSpace) == "" {
			return "", ""
		}
	}
	t0 := group[0].Text
	lead = t0[:len(t0)-len(strings.TrimLeftFunc(t0, unicode.IsSpace))]
	trail = t0[len(strings.TrimRightFunc(t0, unicode.IsSpace)):]
	for _, op := range group[1:] {
		lead = commonPrefix(lead, op.Text)
		trail = commonSuffix(trail, op.Text)
	}
	return lead, trail
}

func commonPrefix(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	// Back up to a rune boundary so a multi-byte space is not cut.
	for i > 0 && i < len(a) && !utf8.RuneStart(a[i]) {
		i--
	}
	return a[:i]
}

func commonSuffix(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[len(a)-1-i] == b[len(b)-1-i] {
		i++
	}
	for i > 0 && i < len(a) && !utf8.RuneStart(a[len(a)-i]) {
		i--
	}
	return a[len(a)-i:]
}

type tokKind uint8

const (
	tSpace tokKind = iota // whitespace without a blank line
	tBreak                // whitespace with two or more newlines: a paragraph break
	tWord                 // a word: letters, digits, symbols, inner punctuation
	tPunct                // punctuation split off the start or end of a word, or standing alone
)

// tokens is a text cut into tokens. Token i is s[off[i]:off[i+1]]: tokens
// are byte ranges of the input, never copies, so any run of them is a
// substring of s and ops can be sliced out of the caller's strings.
type tokens struct {
	s     string
	off   []int     // len = n+1; off[n] = len(s)
	kind  []tokKind // len = n
	words []int32   // words[i]: tWord tokens before token i; len = n+1
	brks  []int32   // brks[i]: tBreak tokens before token i; len = n+1
}

func (t *tokens) n() int                            { return len(t.kind) }
func (t *tokens) text(i int) string                 { return t.s[t.off[i]:t.off[i+1]] }
func (t *tokens) span(i, j int) string              { return t.s[t.off[i]:t.off[j]] }
func (t *tokens) wordCount(i, j int) int            { return int(t.words[j] - t.words[i]) }
func (t *tokens) hasBreak(i, j int) bool            { return t.brks[j] > t.brks[i] }
func (t *tokens) same(i int, u *tokens, j int) bool { return t.text(i) == u.text(j) }

func decode(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// tokenize cuts s into whitespace runs and words, splitting leading and
// trailing punctuation off words (see the package documentation for why).
// Invalid UTF-8 is kept: each bad byte decodes as U+FFFD, which is neither
// space nor punctuation, so it stays inside a word.
func tokenize(s string) tokens {
	// News prose averages about 5 bytes per token (a syllable of 3–4 bytes
	// plus a space); reserving that avoids most regrowth.
	est := len(s)/5 + 1
	t := tokens{
		s:    s,
		off:  make([]int, 0, est+1),
		kind: make([]tokKind, 0, est),
	}
	for i := 0; i < len(s); {
		r, w := decode(s, i)
		j := i + w
		if unicode.IsSpace(r) {
			j, nl := spaceRun(s, i)
			k := tSpace
			if nl >= 2 {
				k = tBreak
			}
			t.add(i, k)
			i = j
			continue
		}
		for j < len(s) {
			r, w := decode(s, j)
			if unicode.IsSpace(r) {
				break
			}
			j += w
		}
		t.addRun(i, j)
		i = j
	}
	t.off = append(t.off, len(s))
	n := len(t.kind)
	t.words = make([]int32, n+1)
	t.brks = make([]int32, n+1)
	for i, k := range t.kind {
		t.words[i+1] = t.words[i]
		t.brks[i+1] = t.brks[i]
		switch k {
		case tWord:
			t.words[i+1]++
		case tBreak:
			t.brks[i+1]++
		}
	}
	return t
}

func (t *tokens) add(start int, k tokKind) {
	t.off = append(t.off, start)
	t.kind = append(t.kind, k)
}

// addRun adds the non-space run s[i:j]: leading punctuation, the word,
// trailing punctuation. A combining mark is never separated from the rune
// before it, so a stray mark after punctuation keeps the punctuation in
// the word rather than producing a token that starts with a bare mark.
func (t *tokens) addRun(i, j int) {
	s := t.s
	p := splitLeading(s, i, j)
	if p == j {
		t.add(i, tPunct)
		return
	}
	q := splitTrailing(s, p, j)
	if p > i {
		t.add(i, tPunct)
	}
	t.add(p, tWord)
	if q < j {
		t.add(q, tPunct)
	}
}

// splitLeading returns where the leading punctuation of the run s[i:j]
// ends (j if the run is all punctuation).
func splitLeading(s string, i, j int) int {
	p := i
	for p < j {
		r, w := decode(s, p)
		if !unicode.IsPunct(r) {
			break
		}
		p += w
	}
	if p > i && p < j {
		if r, _ := decode(s, p); unicode.IsMark(r) {
			_, w := utf8.DecodeLastRuneInString(s[i:p])
			p -= w
		}
	}
	return p
}

// splitTrailing returns where the trailing punctuation of s[p:j] starts.
// The scan stops at a mark (marks are not punctuation), so the split never
// falls between a base rune and its marks.
func splitTrailing(s string, p, j int) int {
	q := j
	for q > p {
		r, w := utf8.DecodeLastRuneInString(s[p:q])
		if !unicode.IsPunct(r) {
			break
		}
		q -= w
	}
	return q
}

// countWords counts the words in s the way the tokenizer does: non-space
// runs that are not entirely punctuation.
func countWords(s string) int {
	n := 0
	for i := 0; i < len(s); {
		r, w := decode(s, i)
		if unicode.IsSpace(r) {
			i += w
			continue
		}
		j := i
		for j < len(s) {
			r, w := decode(s, j)
			if unicode.IsSpace(r) {
				break
			}
			j += w
		}
		if splitLeading(s, i, j) < j {
			n++
		}
		i = j
	}
	return n
}
