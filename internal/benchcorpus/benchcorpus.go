// Package benchcorpus generates realistic Vietnamese articles for search
// benchmarks, deterministically: the same seed and article number always
// give the same article, on any machine, so that benchmark figures can be
// reproduced and compared.
//
// "Realistic" means what matters to a full-text index: the syllables, their
// frequencies and their neighbours. The text is stitched from pieces of the
// fixture site's articles (internal/fixturesite) and of a list of common
// words of Vietnamese news and administrative writing (words.go): windows
// of 2–8 syllables taken from real sentences (so compounds such as
// "sinh hoạt chi bộ" or "xây dựng Đảng" keep their syllables adjacent),
// single syllables drawn from a Zipf distribution over a vocabulary of a
// few thousand syllables (so postings lists have a realistic long tail), and
// numbers, dates and document codes ("ngày 15/3/2021", "số 12-KH/ĐUK").
// The result reads like party-newsletter prose that has been shuffled: the
// grammar is not right, the statistics are.
//
// Articles have a title of 8–20 syllables, a body of 300–1500 syllables in
// paragraphs, an author (a generated name, "BBT", or none), a category, a
// breadcrumb, a publication date in 2015–2025 and sometimes image captions.
// About a third of the articles put tone marks in the old style ("hoà",
// "thuý", "khoẻ") and a few are stored decomposed (NFD), as on real sites.
package benchcorpus

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"tulieu/internal/fixturesite"
	"tulieu/vntext"
)

// Article is one generated article.
type Article struct {
	ID, URL, Title, Body, Author, Category, Published string
	Breadcrumb, Captions                              []string
}

// Generator makes articles and queries. It is safe for concurrent use.
type Generator struct {
	seed    uint64
	tokens  []string  // distinct tokens: syllables (and ",")
	old     []string  // tokens[i] with old-style tone placement
	lower   []string  // tokens[i] lower-cased
	sources [][]int32 // real token sequences (sentences, word lists)
	groups  [][]int   // sources by topic: one fixture article, or a few lines of a word list
	rank    []int32   // rank of each token in the Zipf order (frequency)
	// groupVocab[k]: the tokens of groups[k], most frequent first.
	groupVocab [][]int32
	nFixture   int       // groups[:nFixture] are fixture articles
	zipf       []float64 // cumulative weights over zipfIdx
	zipfIdx    []int32
	stop       map[int32]bool // the most frequent syllables
	comma      int32
}

// New returns a generator; different seeds give different corpora.
func New(seed uint64) *Generator {
	g := &Generator{seed: seed}
	ids := map[string]int32{}
	freq := map[int32]int{}
	intern := func(s string) int32 {
		if id, ok := ids[s]; ok {
			return id
		}
		id := int32(len(g.tokens))
		ids[s] = id
		g.tokens = append(g.tokens, s)
		return id
	}
	g.comma = intern(",")
	addText := func(text string, count bool) {
		var cur []int32
		flush := func() {
			if len(cur) >= 2 {
				g.sources = append(g.sources, cur)
			}
			cur = nil
		}
		for _, f := range strings.Fields(vntext.NFC(text)) {
			f = strings.TrimLeft(f, "(“\"'‘[")
			end := ""
			for f != "" {
				r, size := utf8.DecodeLastRuneInString(f)
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					break
				}
				end = string(r) + end
				f = f[:len(f)-size]
			}
			if f != "" && !strings.ContainsAny(f, "/.") {
				id := intern(f)
				cur = append(cur, id)
				if count {
					freq[id]++
				}
			}
			switch {
			case strings.ContainsAny(end, ".;:!?"):
				flush()
			case strings.Contains(end, ","):
				if len(cur) > 0 {
					cur = append(cur, g.comma)
				}
			}
		}
		flush()
	}
	group := func(from int) {
		if len(g.sources) > from {
			var idx []int
			for k := from; k < len(g.sources); k++ {
				idx = append(idx, k)
			}
			g.groups = append(g.groups, idx)
		}
	}
	for _, a := range fixturesite.New(fixturesite.Options{}).Articles() {
		from := len(g.sources)
		addText(a.Expected.Title, true)
		for _, p := range a.Expected.BodyParagraphs {
			if !strings.Contains(p, " | ") { // table rows are not prose
				addText(p, true)
			}
		}
		group(from)
	}
	fixtureTokens := len(g.tokens)
	g.nFixture = len(g.groups)
	lines := strings.Split(strings.TrimSpace(commonWords+moreWords), "\n")
	for k := 0; k < len(lines); k += 3 {
		from := len(g.sources)
		for _, line := range lines[k:min(k+3, len(lines))] {
			addText(line, false)
		}
		group(from)
	}
	// Person names, as they appear in the text of articles too.
	for _, names := range [][]string{familyNames, middleNames, givenNames} {
		addText(strings.Join(names, " "), false)
	}
	// Zipf over syllables: the fixture's by their frequency, then the word
	// list's, interleaved from rank 200 on.
	var ranked []int32
	for id := int32(1); id < int32(fixtureTokens); id++ {
		ranked = append(ranked, id)
	}
	sort.SliceStable(ranked, func(i, j int) bool { return freq[ranked[i]] > freq[ranked[j]] })
	g.stop = map[int32]bool{}
	for _, id := range ranked[:min(40, len(ranked))] {
		g.stop[id] = true
	}
	var extra []int32
	for id := int32(fixtureTokens); id < int32(len(g.tokens)); id++ {
		extra = append(extra, id)
	}
	head := min(200, len(ranked))
	order := append([]int32(nil), ranked[:head]...)
	for i, j := head, 0; i < len(ranked) || j < len(extra); {
		if i < len(ranked) {
			order = append(order, ranked[i])
			i++
		}
		if j < len(extra) {
			order = append(order, extra[j])
			j++
		}
	}
	g.rank = make([]int32, len(g.tokens))
	for r, id := range order {
		g.rank[id] = int32(r)
	}
	for _, grp := range g.groups {
		seen := map[int32]bool{}
		var vocab []int32
		for _, si := range grp {
			for _, id := range g.sources[si] {
				if id != g.comma && !seen[id] {
					seen[id] = true
					vocab = append(vocab, id)
				}
			}
		}
		sort.Slice(vocab, func(i, j int) bool { return g.rank[vocab[i]] < g.rank[vocab[j]] })
		g.groupVocab = append(g.groupVocab, vocab)
	}
	sum := 0.0
	for r, id := range order {
		sum += 1 / math.Pow(float64(r)+2.7, 1.05)
		g.zipf = append(g.zipf, sum)
		g.zipfIdx = append(g.zipfIdx, id)
	}
	g.old = make([]string, len(g.tokens))
	g.lower = make([]string, len(g.tokens))
	for i, t := range g.tokens {
		g.old[i] = OldStyle(t)
		g.lower[i] = strings.ToLower(t)
	}
	return g
}

// Vocabulary returns the number of distinct syllables the generator uses
// (numbers and codes not counted).
func (g *Generator) Vocabulary() int { return len(g.tokens) - 1 }

func (g *Generator) rng(kind, i uint64) *rand.Rand {
	return rand.New(rand.NewPCG(g.seed^0x9e3779b97f4a7c15*(kind+1), i))
}

// writer accumulates text in one article's style.
type writer struct {
	g        *Generator
	r        *rand.Rand
	oldStyle bool
	b        strings.Builder
	n        int // syllables written
	topic    *topic
	limit    int  // the current sentence ends after this many syllables
	capNext  bool // capitalize the next word
	afterTok bool // a word was written (a space is due before the next)
}

func (w *writer) word(s string) {
	if w.afterTok {
		w.b.WriteByte(' ')
	}
	if w.capNext {
		r, size := utf8.DecodeRuneInString(s)
		w.b.WriteRune(unicode.ToUpper(r))
		s = s[size:]
		w.capNext = false
	}
	w.b.WriteString(s)
	w.afterTok = true
	w.n++
}

func (w *writer) tok(id int32) {
	if id == w.g.comma {
		if w.afterTok && !w.capNext {
			w.b.WriteByte(',')
		}
		return
	}
	if w.oldStyle {
		w.word(w.g.old[id])
	} else {
		w.word(w.g.tokens[id])
	}
}

// topic is what an article is about: a few groups of real sentences and
// their syllables. Articles draw most of their windows and some of their
// single syllables from their topic, so content words cluster in
// articles as in real news, instead of every article using every word.
type topic struct {
	groups [5]int // indexes into Generator.groups: 2 fixture articles, 3 word lists
}

func (g *Generator) newTopic(r *rand.Rand) *topic {
	t := &topic{}
	t.groups[0], t.groups[1] = r.IntN(g.nFixture), r.IntN(g.nFixture)
	for k := 2; k < len(t.groups); k++ {
		t.groups[k] = g.nFixture + r.IntN(len(g.groups)-g.nFixture)
	}
	return t
}

// next returns the tokens of the next chunk of text, or number=true for
// a number, date or code.
func (w *writer) next() (ids []int32, number bool) {
	g, r := w.g, w.r
	switch p := r.IntN(100); {
	case p < 55: // a window of a real sentence, mostly of the topic
		var src []int32
		if w.topic != nil && r.IntN(5) != 0 {
			grp := g.groups[w.topic.groups[r.IntN(len(w.topic.groups))]]
			src = g.sources[grp[r.IntN(len(grp))]]
		} else {
			src = g.sources[r.IntN(len(g.sources))]
		}
		start := r.IntN(len(src))
		if src[start] == g.comma {
			start++
		}
		end := min(len(src), start+2+r.IntN(7))
		return src[start:end], false
	case p < 93: // one syllable: Zipf over all, or skewed over the topic's
		if w.topic != nil && r.IntN(2) == 0 {
			gv := g.groupVocab[w.topic.groups[r.IntN(len(w.topic.groups))]]
			u := r.Float64()
			return gv[int(float64(len(gv))*u*u):][:1], false
		}
		x := r.Float64() * g.zipf[len(g.zipf)-1]
		k := sort.SearchFloat64s(g.zipf, x)
		return g.zipfIdx[min(k, len(g.zipfIdx)-1):][:1], false
	default:
		return nil, true
	}
}

// chunk writes one piece of text.
func (w *writer) chunk() {
	ids, number := w.next()
	if !number {
		for _, id := range ids {
			if w.n >= w.limit {
				break
			}
			w.tok(id)
		}
		return
	}
	r := w.r
	switch r.IntN(5) {
	case 0:
		w.word("ngày")
		w.word(fmt.Sprintf("%d/%d/%d", 1+r.IntN(28), 1+r.IntN(12), 2010+r.IntN(16)))
	case 1:
		w.word("số")
		w.word(fmt.Sprintf("%d-%s/%s", 1+r.IntN(150), []string{"NQ", "KH", "CT", "KL", "QĐ", "HD", "TB", "CV"}[r.IntN(8)], []string{"ĐUK", "TU", "TW", "UBND", "BTG"}[r.IntN(5)]))
	case 2:
		w.word(fmt.Sprintf("%d", 2+r.IntN(500)))
	case 3:
		w.word(fmt.Sprintf("%d,%d%%", r.IntN(100), r.IntN(10)))
	default:
		w.word(fmt.Sprintf("%d", 2015+r.IntN(11)))
	}
}

// sentence writes a sentence of about n syllables.
func (w *writer) sentence(n int, period bool) {
	w.capNext = true
	target := w.n + n
	w.limit = target
	for w.n < target {
		if w.n > target-n && w.r.IntN(8) == 0 {
			w.tok(w.g.comma)
		}
		w.chunk()
	}
	if period {
		w.b.WriteByte('.')
	}
}

func (w *writer) text() string {
	s := w.b.String()
	w.b.Reset()
	w.n, w.afterTok = 0, false
	return s
}

// Article returns article number i (0-based).
func (g *Generator) Article(i int) Article {
	return g.article(i, 0)
}

// Revision returns article i as edited for the rev-th time (rev ≥ 1): same
// ID, URL, author and date, a changed title and some changed paragraphs.
func (g *Generator) Revision(i, rev int) Article {
	return g.article(i, rev)
}

func (g *Generator) article(i, rev int) Article {
	r := g.rng(1, uint64(i))
	w := &writer{g: g, r: r, oldStyle: r.IntN(3) == 0}
	w.topic = g.newTopic(r)
	useNFD := r.IntN(40) == 0
	cat := categories[r.IntN(len(categories))]
	var author string
	switch p := r.IntN(10); {
	case p < 6:
		author = familyNames[r.IntN(len(familyNames))] + " " + middleNames[r.IntN(len(middleNames))] + " " + givenNames[r.IntN(len(givenNames))]
		if aff := affiliations[r.IntN(len(affiliations))]; aff != "" {
			author += " (" + aff + ")"
		}
	case p < 8:
		author = "BBT"
	}
	day := 1 + r.IntN(28)
	month := 1 + r.IntN(12)
	year := 2015 + r.IntN(11)
	published := fmt.Sprintf("%d-%02d-%02dT%02d:%02d:00+07:00", year, month, day, 7+r.IntN(11), r.IntN(60))
	titleLen := 8 + r.IntN(13)
	// Body length: 300–1500 syllables, most articles short.
	bodyLen := 300 + int(1200*math.Pow(r.Float64(), 1.8))
	nCaptions := 0
	if r.IntN(3) == 0 {
		nCaptions = 1 + r.IntN(3)
	}
	// Everything above is fixed per article. A revision gets a new title
	// and a new second half of the body, from its own random stream.
	w.sentence(titleLen, false)
	title := w.text()
	var tr *rand.Rand
	if rev > 0 {
		tr = g.rng(2, uint64(i)<<16|uint64(rev))
		w.r = tr
		w.sentence(titleLen, false)
		title = w.text()
		w.r = r
	}
	var paras []string
	written := 0
	for written < bodyLen {
		if tr != nil && written >= bodyLen/2 {
			w.r = tr
		}
		sentences := 2 + w.r.IntN(5)
		for s := 0; s < sentences && written+w.n < bodyLen; s++ {
			w.sentence(10+w.r.IntN(21), true)
		}
		written += w.n
		paras = append(paras, w.text())
	}
	var caps []string
	for c := 0; c < nCaptions; c++ {
		w.sentence(6+w.r.IntN(12), true)
		caps = append(caps, w.text())
	}
	a := Article{
		ID:         fmt.Sprintf("/tin-tuc/bai-%07d.html", i),
		URL:        fmt.Sprintf("http://danguykhoithanhhoa.org.vn/tin-tuc/bai-%07d.html", i),
		Title:      title,
		Body:       strings.Join(paras, "\n\n"),
		Author:     author,
		Category:   cat,
		Breadcrumb: []string{cat},
		Published:  published,
		Captions:   caps,
	}
	if useNFD {
		a.Title, a.Body = norm.NFD.String(a.Title), norm.NFD.String(a.Body)
		for k := range a.Captions {
			a.Captions[k] = norm.NFD.String(a.Captions[k])
		}
	}
	return a
}

// QueryKind selects the queries that Queries generates.
type QueryKind struct {
	Syllables int  // words in the query
	Phrase    bool // one quoted phrase instead of plain words
	Accented  bool // as written (accents, either tone style); else folded
}

// Queries returns n queries of the given kind, drawn from generated text:
// each is a window of adjacent syllables of a sentence, so syllables come
// with the corpus' frequencies and neighbours, as a user who searches for
// something they read would type them. Windows made only of the most
// frequent syllables ("của", "và", "các"…) are skipped. Unaccented
// queries are lower case and folded ("sinh hoat chi bo").
func (g *Generator) Queries(n int, kind QueryKind, seed uint64) []string {
	r := g.rng(3, seed<<8|uint64(kind.Syllables)<<1)
	var out []string
	for len(out) < n {
		// A fresh sentence, made like article text.
		w := &writer{g: g, r: r, oldStyle: r.IntN(3) == 0}
		w.topic = g.newTopic(r)
		var ids []int32
		for len(ids) < 40 {
			w.chunkIDs(&ids)
		}
		start := r.IntN(len(ids) - kind.Syllables)
		win := ids[start : start+kind.Syllables]
		ok, content := true, 0
		for _, id := range win {
			if id < 0 || id == g.comma {
				ok = false
				break
			}
			if !g.stop[id] {
				content++
			}
		}
		if !ok || content == 0 || (kind.Syllables > 1 && content < kind.Syllables/2) {
			continue
		}
		words := make([]string, len(win))
		for k, id := range win {
			t := g.lower[id]
			if w.oldStyle {
				t = strings.ToLower(g.old[id])
			}
			if !kind.Accented {
				t = vntext.Fold(t)
			}
			words[k] = t
		}
		q := strings.Join(words, " ")
		if kind.Phrase {
			q = `"` + q + `"`
		}
		out = append(out, q)
	}
	return out
}

// chunkIDs appends the token ids of one chunk (numbers as -1).
func (w *writer) chunkIDs(ids *[]int32) {
	next, number := w.next()
	if number {
		*ids = append(*ids, -1)
		return
	}
	*ids = append(*ids, next...)
}

// OldStyle moves the tone mark of a syllable ending in the open rhymes
// "oa", "oe", "uy" from the first to the second vowel: "hòa" → "hoà",
// "thúy" → "thuý", "khỏe" → "khoẻ" (the inverse of vntext.NormalizeTone
// for these rhymes). Other words are returned unchanged.
func OldStyle(s string) string {
	if len(s) < 3 {
		return s
	}
	d := []rune(norm.NFD.String(s))
	// Last two base letters (skipping marks) must be o+a, o+e or u+y.
	var pos []int // indexes of base letters
	for k, r := range d {
		if !unicode.Is(unicode.Mn, r) {
			pos = append(pos, k)
		}
	}
	if len(pos) < 2 {
		return s
	}
	i1, i2 := pos[len(pos)-2], pos[len(pos)-1]
	b1, b2 := unicode.ToLower(d[i1]), unicode.ToLower(d[i2])
	if !(b1 == 'o' && (b2 == 'a' || b2 == 'e') || b1 == 'u' && b2 == 'y') {
		return s
	}
	if len(pos) >= 3 {
		// "qu" + y ("quý") already has the mark on y; "gi" likewise.
		if p := unicode.ToLower(d[pos[len(pos)-3]]); b1 == 'u' && p == 'q' {
			return s
		}
	}
	// The tone mark must sit on the first vowel (only marks between i1, i2).
	tone := -1
	for k := i1 + 1; k < i2; k++ {
		switch d[k] {
		case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323':
			tone = k
		default:
			return s // another diacritic (ơ, ô…): not one of these rhymes
		}
	}
	if tone < 0 {
		return s
	}
	m := d[tone]
	out := make([]rune, 0, len(d))
	out = append(out, d[:tone]...)
	out = append(out, d[tone+1:]...)
	out = append(out, m)
	return norm.NFC.String(string(out))
}
