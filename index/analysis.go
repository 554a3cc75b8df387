package index

import (
	"bytes"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"

	"tulieu/vntext"
)

// Names of the analysis components registered with bleve. They are stored
// in the index mapping on disk, so renaming one makes existing indexes
// unreadable (bump schemaVersion if you do).
const (
	tokenizerWords    = "tulieu_words"          // runs of letters, marks and digits
	filterNormalize   = "tulieu_vn_normalize"   // NFC + lower case + tone placement
	filterFold        = "tulieu_vn_fold"        // remove marks, đ → d
	filterBigramPairs = "tulieu_vn_bigram_pair" // adjacent pairs "chi bo"

	analyzerExact  = "tulieu_vn_exact"  // accents kept
	analyzerFolded = "tulieu_vn_folded" // accents removed
	analyzerBigram = "tulieu_vn_bigram" // folded syllable pairs "chi bo"
)

func init() {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(registry.RegisterTokenizer(tokenizerWords,
		func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
			return wordTokenizer{}, nil
		}))
	must(registry.RegisterTokenFilter(filterBigramPairs,
		func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
			return bigramFilter{}, nil
		}))
	must(registry.RegisterTokenFilter(filterNormalize,
		func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
			return normalizeFilter{}, nil
		}))
	must(registry.RegisterTokenFilter(filterFold,
		func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
			return foldFilter{}, nil
		}))
}

// normalizeFilter puts every token in NFC, lower case and the tone-mark
// placement of vntext.NormalizeTone. It changes only Term, never the
// offsets, which keep pointing into the original text.
type normalizeFilter struct{}

func (normalizeFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		t.Term = normalizeCache.get(t.Term, normalizeTerm)
	}
	return in
}

// termCache memoizes a pure function of a term. Vietnamese has a few
// thousand syllables in use, so nearly every token of a text is a cache
// hit, and the NFC / tone-placement / folding work is done once per
// distinct syllable instead of once per token and view (it was an eighth
// of the indexing time). Results are shared: callers must not modify
// them. The cache stops growing at cacheLimit entries per shard, so odd
// input (numbers, codes, foreign words) cannot make it grow without
// bound.
type termCache struct {
	shards [16]struct {
		sync.RWMutex
		m map[string][]byte
	}
}

const cacheLimit = 1 << 14

var normalizeCache, foldCache termCache

func (c *termCache) get(term []byte, f func([]byte) []byte) []byte {
	if len(term) > 32 {
		return f(term)
	}
	h := uint32(2166136261)
	for _, b := range term {
		h = (h ^ uint32(b)) * 16777619
	}
	sh := &c.shards[h%uint32(len(c.shards))]
	sh.RLock()
	v, ok := sh.m[string(term)]
	sh.RUnlock()
	if ok {
		return v
	}
	v = f(term)
	if len(v) == len(term) && string(v) == string(term) {
		v = term
	}
	sh.Lock()
	if sh.m == nil {
		sh.m = make(map[string][]byte)
	}
	if len(sh.m) < cacheLimit {
		sh.m[string(term)] = bytes.Clone(v)
	}
	sh.Unlock()
	return v
}

func normalizeTerm(term []byte) []byte {
	if isASCII(term) {
		for i, c := range term {
			if 'A' <= c && c <= 'Z' {
				out := make([]byte, len(term))
				copy(out, term[:i])
				for j := i; j < len(term); j++ {
					c := term[j]
					if 'A' <= c && c <= 'Z' {
						c += 'a' - 'A'
					}
					out[j] = c
				}
				return out
			}
		}
		return term
	}
	return []byte(vntext.NormalizeTone(strings.ToLower(vntext.NFC(string(term)))))
}

// foldFilter removes Vietnamese marks from every token (vntext.Fold). It
// is a token filter, not a char filter, so offsets are untouched and
// highlighting of folded matches points at the original, accented text.
type foldFilter struct{}

func (foldFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		if needsFold(t.Term) {
			t.Term = foldCache.get(t.Term, foldTerm)
		}
	}
	return in
}

// foldTerm is a term without its marks (vntext.Fold), and with the final
// "y" of a syllable that may as well be spelled with "i" written "i":
// Vietnamese writes the same syllable both ways ("kỷ niệm" and "kỉ
// niệm", "lý luận" and "lí luận", "công ty" and "công ti", "quý" and
// "quí"), so a plain word finds either, as it finds either tone mark
// placement. That is a "y" standing alone after a consonant ("ky", "ly",
// "my", "sy", "ty", "hy", "thy"), or "quy"; never the "uy" of "thủy" or
// "tuy".
func foldTerm(term []byte) []byte {
	f := term
	if !isASCII(term) {
		f = []byte(vntext.Fold(string(term)))
	}
	if !endsInIY(f) {
		return f
	}
	if &f[0] == &term[0] {
		f = append([]byte(nil), f...) // never rewrite the term in place
	}
	f[len(f)-1] = 'i'
	return f
}

// needsFold says whether foldTerm changes term.
func needsFold(term []byte) bool { return !isASCII(term) || endsInIY(term) }

// endsInIY says whether a folded term ends in a "y" spelled "i" as well.
func endsInIY(f []byte) bool {
	n := len(f)
	if n < 2 || f[n-1] != 'y' {
		return false
	}
	if n == 3 && f[0] == 'q' && f[1] == 'u' {
		return true // quy, quý, quỳ…
	}
	return strings.IndexByte("bcdghklmnprstvx", f[n-2]) >= 0
}

// isASCII says whether s holds ASCII bytes only.
func isASCII[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// bigramFilter replaces a token stream by the pairs of adjacent tokens,
// "chi" "bo" "sinh" → "chi bo" "bo sinh", each at the position of its
// first word and spanning both, so that a phrase of n words is a phrase
// of n-1 consecutive pairs. The pairs share one buffer: one allocation
// per text instead of one per pair (bleve's shingle filter allocates
// several per pair, and this runs over every body).
type bigramFilter struct{}

func (bigramFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	if len(in) < 2 {
		return in[:0]
	}
	size := 0
	for _, t := range in {
		size += len(t.Term) + 1
	}
	buf := make([]byte, 0, 2*size)
	toks := make([]analysis.Token, len(in)-1)
	out := make(analysis.TokenStream, len(in)-1)
	n := 0
	for i := 0; i+1 < len(in); i++ {
		a, b := in[i], in[i+1]
		if b.Position != a.Position+1 {
			continue // a gap: the words are in different texts
		}
		from := len(buf)
		buf = append(buf, a.Term...)
		buf = append(buf, ' ')
		buf = append(buf, b.Term...)
		toks[n] = analysis.Token{
			Term:     buf[from:len(buf):len(buf)],
			Start:    a.Start,
			End:      b.End,
			Position: a.Position,
			Type:     analysis.Shingle,
		}
		out[n] = &toks[n]
		n++
	}
	return out[:n]
}

// wordTokenizer splits text into words: maximal runs of letters,
// combining marks and digits, as Vietnamese is written (one syllable per
// word, separated by spaces and punctuation). A number keeps its
// decimal comma and its group separators ("99,8", "1.000.000", see
// inNumber): searched for, it is one term, as exact as it is cheap (as
// a phrase of its parts, "99,8" took 3 to 27 times a plain search, the
// load benchmark's slowest queries, BENCHMARKS.md). Ideographs are one
// token each. It does what the UAX #29 tokenizer did for this text at a
// fraction of the cost (that one was the largest single item of
// indexing), and it finds the same words as the snippet highlighter
// (scanWords), so that offsets agree. Tokens share one allocation.
//
// A paragraph separator (U+2029, valueSep) between two words leaves a
// gap of one position, so that no pair (bigramFilter) and no phrase runs
// across it: the texts of an article are indexed as one value, joined
// by it.
type wordTokenizer struct{}

// valueSep joins the texts of one field value (see wordTokenizer).
const valueSep = "\u2029"

func (wordTokenizer) Tokenize(text []byte) analysis.TokenStream {
	n := 0
	scanWords(text, func(int, int, bool) { n++ })
	if n == 0 {
		return nil
	}
	toks := make([]analysis.Token, 0, n)
	out := make(analysis.TokenStream, 0, n)
	pos := 0
	scanWords(text, func(start, end int, gap bool) {
		pos++
		if gap {
			pos++
		}
		toks = append(toks, analysis.Token{
			Term:     text[start:end:end],
			Start:    start,
			End:      end,
			Position: pos,
			Type:     analysis.AlphaNumeric,
		})
		out = append(out, &toks[len(toks)-1])
	})
	return out
}

// scanWords calls f with the byte range of every word of text (see
// wordTokenizer); gap is set when a valueSep came before the word.
func scanWords[T string | []byte](text T, f func(start, end int, gap bool)) {
	start := -1
	gap := false
	emit := func(end int) {
		f(start, end, gap)
		start, gap = -1, false
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				if start < 0 {
					start = i
				}
			} else if start >= 0 && inNumber(text, i) {
				// A decimal comma or a group separator: one word.
			} else if start >= 0 {
				emit(i)
			}
			i++
			continue
		}
		var r rune
		var size int
		switch t := any(text).(type) {
		case string:
			r, size = utf8.DecodeRuneInString(t[i:])
		case []byte:
			r, size = utf8.DecodeRune(t[i:])
		}
		switch {
		case isVietnameseLetter(r):
			if start < 0 {
				start = i
			}
		case r == '\u2029':
			if start >= 0 {
				emit(i)
			}
			gap = true
		case r >= 0x2E80 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r)):
			if start >= 0 {
				emit(i)
			}
			start = i
			emit(i + size)
		case unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
		default:
			if start >= 0 {
				emit(i)
			}
		}
		i += size
	}
	if start >= 0 {
		emit(len(text))
	}
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// inNumber reports whether the comma or point at text[i] is inside a
// number as Vietnamese writes numbers: a decimal comma between digits
// ("99,8", "12.500,75"), or a point before a group of three digits
// ("1.000.000"). A point before other digits splits, as in dates
// ("6.12.2026") and numbered items ("(12.3)"), so that "2026" still
// finds them. (UAX #29 keeps every digit-point-digit together.) A comma
// splits where it cannot be a number's only decimal comma: before four
// digits or more ("2019,2020"), and in a run of commas between digits
// ("khoản 1,2,3"), which lists numbers rather than writing one.
func inNumber[T string | []byte](text T, i int) bool {
	if i == 0 || !isDigit(text[i-1]) || i+1 >= len(text) || !isDigit(text[i+1]) {
		return false
	}
	// after is the end of the digits after the separator.
	after := i + 1
	for after < len(text) && isDigit(text[after]) {
		after++
	}
	switch text[i] {
	case ',':
		if after-i-1 > 3 || after+1 < len(text) && text[after] == ',' && isDigit(text[after+1]) {
			return false
		}
		// No comma between digits before this one in the run of digits
		// and commas it ends (a list); a point before it ends the search
		// ("1.000,5" is a number, and so is the "3,5" of "1,2.3,5").
		for j := i - 1; j > 0 && (isDigit(text[j]) || text[j] == ','); j-- {
			if text[j] == ',' && isDigit(text[j-1]) {
				return false
			}
		}
		return true
	case '.':
		return after-i-1 == 3
	}
	return false
}

// isVietnameseLetter is a fast test for the non-ASCII letters and marks
// of Vietnamese text: Latin-1 letters, Latin Extended-A and -B (ă, đ, ơ,
// ư), combining diacritics, and Latin Extended Additional (ạ … ỹ).
func isVietnameseLetter(r rune) bool {
	switch {
	case r >= 0xC0 && r <= 0x24F:
		return r != 0xD7 && r != 0xF7 // × ÷
	case r >= 0x300 && r <= 0x36F:
		return true
	case r >= 0x1E00 && r <= 0x1EFF:
		return true
	}
	return false
}

// addAnalyzers declares the custom analyzers in an index mapping.
func addAnalyzers(im *mapping.IndexMappingImpl) error {
	for name, filters := range map[string][]string{
		analyzerExact:  {filterNormalize},
		analyzerFolded: {filterNormalize, filterFold},
		analyzerBigram: {filterNormalize, filterFold, filterBigramPairs},
	} {
		if err := im.AddCustomAnalyzer(name, map[string]interface{}{
			"type":          custom.Name,
			"tokenizer":     tokenizerWords,
			"token_filters": filters,
		}); err != nil {
			return err
		}
	}
	return nil
}

// Query-time analyzers, built directly so that the query parser does not
// need an open index. They run the same code as the registered ones.
var (
	exactAnalyzer = &analysis.DefaultAnalyzer{
		Tokenizer:    wordTokenizer{},
		TokenFilters: []analysis.TokenFilter{normalizeFilter{}},
	}
	foldedAnalyzer = &analysis.DefaultAnalyzer{
		Tokenizer:    wordTokenizer{},
		TokenFilters: []analysis.TokenFilter{normalizeFilter{}, foldFilter{}},
	}
)

// analyze returns the exact and folded terms of s; both slices have the
// same length (the filters map tokens one to one).
func analyze(s string) (exact, folded []string) {
	for _, t := range exactAnalyzer.Analyze([]byte(s)) {
		exact = append(exact, string(t.Term))
	}
	for _, t := range foldedAnalyzer.Analyze([]byte(s)) {
		folded = append(folded, string(t.Term))
	}
	if len(exact) != len(folded) { // cannot happen; be safe
		n := min(len(exact), len(folded))
		exact, folded = exact[:n], folded[:n]
	}
	return exact, folded
}
