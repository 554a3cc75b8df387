package index

import (
	"strings"
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
		t.Term = normalizeTerm(t.Term)
	}
	return in
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
				t.Term = []byte(vntext.Fold(string(t.Term)))
				break
			}
		}
	}
	return in
}

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
