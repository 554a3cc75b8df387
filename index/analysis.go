package index

import (
	"bytes"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/token/shingle"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"

	"tulieu/vntext"
)

// Names of the analysis components registered with bleve. They are stored
// in the index mapping on disk, so renaming one makes existing indexes
// unreadable (bump schemaVersion if you do).
const (
	filterNormalize = "tulieu_vn_normalize" // NFC + lower case + tone placement
	filterFold      = "tulieu_vn_fold"      // remove marks, đ → d
	filterBigram    = "tulieu_bigram"       // shingles of exactly 2 tokens

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
	ascii := true
	for _, c := range term {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
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
		for _, c := range t.Term {
			if c >= utf8.RuneSelf {
				t.Term = foldCache.get(t.Term, foldTerm)
				break
			}
		}
	}
	return in
}

func foldTerm(term []byte) []byte { return []byte(vntext.Fold(string(term))) }

// addAnalyzers declares the custom analyzers in an index mapping.
func addAnalyzers(im *mapping.IndexMappingImpl) error {
	if err := im.AddCustomTokenFilter(filterBigram, map[string]interface{}{
		"type":            shingle.Name,
		"min":             2.0,
		"max":             2.0,
		"output_original": false,
		"separator":       " ",
	}); err != nil {
		return err
	}
	for name, filters := range map[string][]string{
		analyzerExact:  {filterNormalize},
		analyzerFolded: {filterNormalize, filterFold},
		analyzerBigram: {filterNormalize, filterFold, filterBigram},
	} {
		if err := im.AddCustomAnalyzer(name, map[string]interface{}{
			"type":          custom.Name,
			"tokenizer":     unicode.Name,
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
		Tokenizer:    unicode.NewUnicodeTokenizer(),
		TokenFilters: []analysis.TokenFilter{normalizeFilter{}},
	}
	foldedAnalyzer = &analysis.DefaultAnalyzer{
		Tokenizer:    unicode.NewUnicodeTokenizer(),
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
