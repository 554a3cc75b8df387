package index

import (
	"html"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// snippetBytes is the approximate length of a snippet in bytes (about
// 160–250 Vietnamese characters).
const snippetBytes = 360

type span struct{ start, end int }

// highlight is what a search marks in a text: its plain words wherever
// they stand, and its phrases (several words) only where the words stand
// together, in order, so that "Thanh Hóa" in quotes does not mark every
// "thanh" of "thanh niên".
type highlight struct {
	words    map[string]bool // folded
	phrases  [][]string      // folded words
	inPhrase map[string]bool
}

func newHighlight() *highlight {
	return &highlight{words: map[string]bool{}, inPhrase: map[string]bool{}}
}

// add takes the folded words of one query clause: a word, or a phrase.
func (h *highlight) add(folded []string) {
	switch len(folded) {
	case 0:
	case 1:
		h.words[folded[0]] = true
	default:
		h.phrases = append(h.phrases, folded)
		for _, w := range folded {
			h.inPhrase[w] = true
		}
	}
}

// spans returns the byte ranges to mark in text, in order.
func (h *highlight) spans(text string) []span {
	out := termSpans(text, h.words)
	if len(h.phrases) == 0 {
		return out
	}
	cand := termSpans(text, h.inPhrase)
	keys := make([]string, len(cand))
	for i, sp := range cand {
		keys[i] = wordKeys.get(text[sp.start:sp.end])
	}
	together := func(a, b span) bool {
		return !strings.ContainsFunc(text[a.end:b.start], func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
	}
	for i := range cand {
		for _, p := range h.phrases {
			if i+len(p) > len(cand) {
				continue
			}
			ok := true
			for k, w := range p {
				if keys[i+k] != w || k > 0 && !together(cand[i+k-1], cand[i+k]) {
					ok = false
					break
				}
			}
			if ok {
				out = append(out, cand[i:i+len(p)]...)
			}
		}
	}
	slices.SortFunc(out, func(a, b span) int { return a.start - b.start })
	return slices.CompactFunc(out, func(a, b span) bool { return a == b })
}

// termSpans returns the byte ranges of the words of text whose folded
// form is in terms, in order. Words are found by scanWords, as the
// index's tokenizer finds them, and each is normalized and folded as the
// index does (wordKeys), so offsets point into the author's spelling,
// precomposed or decomposed, old- or new-style tone marks.
func termSpans(text string, terms map[string]bool) []span {
	if len(terms) == 0 || text == "" {
		return nil
	}
	maxLen := 0
	for t := range terms {
		maxLen = max(maxLen, len(t))
	}
	// The first bytes of the terms: a word whose folded form cannot start
	// with one of them is passed over without computing that form (most
	// words of a body; looking each up was two thirds of highlighting).
	var firsts [256]bool
	for t := range terms {
		if t != "" {
			firsts[t[0]] = true
		}
	}
	ff := firstFolded()
	var out []span
	scanWords(text, func(start, end int, _ bool) {
		w := text[start:end]
		// A folded term is never longer than the word (marks only go).
		if len(w) > 4*maxLen+8 {
			return
		}
		r := rune(w[0])
		if r >= utf8.RuneSelf {
			r, _ = utf8.DecodeRuneInString(w)
		}
		if r < firstFoldedLimit {
			if b := ff[r]; b != 0 && !firsts[b] {
				return
			}
		}
		if terms[wordKeys.get(w)] {
			out = append(out, span{start, end})
		}
	})
	return out
}

// firstFoldedLimit bounds firstFolded: U+0000–U+1FFF holds the letters
// of Vietnamese, precomposed or not.
const firstFoldedLimit = 0x2000

// firstFolded[r] is the first byte of the folded index term of any word
// that starts with rune r, as wordKeys computes it; 0 when it is not
// known from r alone. A word's base letters are its own whatever the
// tone marks and their placement, so its first letter folds as it does
// alone (TestFirstFolded checks every word of the test corpora). Made
// at the first highlighting, not at every command's start (3 ms).
var firstFolded = sync.OnceValue(func() *[firstFoldedLimit]byte {
	var t [firstFoldedLimit]byte
	for r := rune(1); r < firstFoldedLimit; r++ {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			continue
		}
		k := foldTerm(normalizeTerm([]byte(string(r))))
		if len(k) > 0 && k[0] < utf8.RuneSelf && (unicode.IsLetter(rune(k[0])) || unicode.IsDigit(rune(k[0]))) {
			t[r] = k[0]
		}
	}
	return &t
})

// wordKeys maps a word as written to its folded index term.
var wordKeys wordKeyCache

// wordKeyCache memoizes the folded term of a word as written, keyed by
// the word itself, so that highlighting the ten hits of a search (some
// ten thousand words) costs one map lookup per word and no allocation.
// Like termCache, it stops growing at cacheLimit entries per shard.
type wordKeyCache struct {
	shards [16]struct {
		sync.RWMutex
		m map[string]string
	}
}

func (c *wordKeyCache) get(w string) string {
	h := uint32(2166136261)
	for i := 0; i < len(w); i++ {
		h = (h ^ uint32(w[i])) * 16777619
	}
	sh := &c.shards[h%uint32(len(c.shards))]
	sh.RLock()
	v, ok := sh.m[w]
	sh.RUnlock()
	if ok {
		return v
	}
	v = string(foldCache.get(normalizeCache.get([]byte(w), normalizeTerm), foldTerm))
	sh.Lock()
	if sh.m == nil {
		sh.m = make(map[string]string)
	}
	if len(sh.m) < cacheLimit {
		sh.m[strings.Clone(w)] = v // w points into a body: do not keep that
	}
	sh.Unlock()
	return v
}

// markAll returns text HTML-escaped with the spans in <mark>.
func markAll(text string, spans []span) string {
	var b strings.Builder
	pos := 0
	for _, s := range spans {
		if s.start < pos {
			continue
		}
		b.WriteString(html.EscapeString(text[pos:s.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s.start:s.end]))
		b.WriteString("</mark>")
		pos = s.end
	}
	b.WriteString(html.EscapeString(text[pos:]))
	return b.String()
}

// makeSnippet cuts a window of about snippetBytes out of text, around the
// densest group of spans, and returns it as plain text and as HTML with
// the spans in <mark>. Runs of white space become one space.
func makeSnippet(text string, spans []span) (plain, htmlOut string) {
	if text == "" {
		return "", ""
	}
	from, to := 0, len(text)
	if len(spans) > 0 {
		// The window that shows the most of the query's different words
		// (where "Thanh Hóa" stands, not where "hóa" repeats in "văn
		// hóa, hóa học"), then the most marks.
		keys := make([]string, len(spans))
		for i, sp := range spans {
			keys[i] = wordKeys.get(text[sp.start:sp.end])
		}
		best, bestN := 0, 0
		var seen []string
		for i := range spans {
			n := 0
			seen = seen[:0]
			for j := i; j < len(spans) && spans[j].end <= spans[i].start+snippetBytes*3/4; j++ {
				if !slices.Contains(seen, keys[j]) {
					seen = append(seen, keys[j])
				}
				n++
			}
			if score := len(seen)<<16 + n; score > bestN {
				best, bestN = i, score
			}
		}
		from = max(0, spans[best].start-snippetBytes/4)
		to = from + snippetBytes
		// Never cut through a span.
		for _, s := range spans {
			if s.start < to && s.end > to {
				to = s.end
			}
		}
	} else {
		to = snippetBytes
	}
	if to >= len(text) {
		to = len(text)
		from = max(0, min(from, to-snippetBytes))
	}
	from = wordStart(text, from, spans)
	to = wordEnd(text, to, spans)

	var pb, hb strings.Builder
	if from > 0 {
		pb.WriteString("…")
		hb.WriteString("…")
	}
	write := func(s string, mark bool) {
		s = collapseSpace(s)
		if strings.HasPrefix(s, " ") && strings.HasSuffix(pb.String(), " ") {
			s = s[1:]
		}
		pb.WriteString(s)
		if mark {
			hb.WriteString("<mark>")
			hb.WriteString(html.EscapeString(s))
			hb.WriteString("</mark>")
		} else {
			hb.WriteString(html.EscapeString(s))
		}
	}
	pos := from
	for _, s := range spans {
		if s.end <= from || s.start >= to {
			continue
		}
		st, en := max(s.start, from), min(s.end, to)
		write(text[pos:st], false)
		write(text[st:en], true)
		pos = en
	}
	write(text[pos:to], false)
	if to < len(text) {
		pb.WriteString("…")
		hb.WriteString("…")
	}
	p := strings.TrimSpace(pb.String())
	h := strings.TrimSpace(hb.String())
	return p, h
}

// wordStart moves i forward to the start of a word (and a rune), unless
// that would skip a span.
func wordStart(text string, i int, spans []span) int {
	if i <= 0 {
		return 0
	}
	for i < len(text) && !utf8.RuneStart(text[i]) {
		i++
	}
	j := i
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if unicode.IsSpace(r) {
			j += size
			break
		}
		j += size
		if j-i > 40 {
			return i
		}
	}
	for _, s := range spans {
		if s.start >= i && s.start < j {
			return i
		}
	}
	return j
}

// wordEnd moves i back to the end of a word (and a rune boundary), unless
// that would cut a span.
func wordEnd(text string, i int, spans []span) int {
	if i >= len(text) {
		return len(text)
	}
	for i > 0 && !utf8.RuneStart(text[i]) {
		i--
	}
	j := i
	for j > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:j])
		if unicode.IsSpace(r) {
			break
		}
		j -= size
		if i-j > 40 {
			return i
		}
	}
	for _, s := range spans {
		if s.end > j && s.end <= i {
			return i
		}
	}
	if j == 0 {
		return i
	}
	return j
}

func collapseSpace(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) && r != ' ' }) &&
		!strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
