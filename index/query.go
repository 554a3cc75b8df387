package index

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2/search/query"

	"tulieu/vntext"
)

// QueryHelp describes the query language, for the CLI and the web page.
const QueryHelp = `Cú pháp tìm kiếm / Search syntax

  chi bộ sinh hoạt     mọi từ đều phải có; gõ có dấu hay không dấu đều được
                       (all words must match; accents are optional). Bài có
                       đúng dấu, có các từ đứng liền nhau, có từ trong tiêu
                       đề được xếp trước (exact accents, adjacent words and
                       title matches rank first).
  "chi bộ sinh hoạt"   cụm từ chính xác (exact phrase, accents optional)
  -từ   -"cụm từ"      loại trừ (exclude a word or a phrase)
  a OR b               một trong hai (either; OR binds tighter than the
                       implicit AND: "a OR b c" = (a or b) and c); HOẶC works too
  tieude:từ            trong tiêu đề (in the title; also title:)
  tacgia:tên           theo tác giả (by author; also author:)
  chuyenmuc:tên        theo chuyên mục (in category or breadcrumb; also category:)
  nam:2020             năm đăng (year published; also year:)

  Field values take one word or a "quoted phrase": tieude:"Thanh Hóa".
  Field filters can be excluded (-nam:2019) and joined with OR.
  An unknown field name (foo:bar) is an error; write "foo:bar" in quotes
  to search for the text itself. A colon after a Vietnamese word or before
  // (as in URLs) is just punctuation. Punctuation and parentheses are
  ignored. An empty query lists every document (newest first). A query of
  only exclusions, an unclosed quote, an empty phrase or an empty field
  value is an error.`

// Field aliases accepted before a colon, after folding and lower-casing.
var fieldAliases = map[string]string{
	"tieude":    "title",
	"title":     "title",
	"tacgia":    "author",
	"author":    "author",
	"chuyenmuc": "category",
	"category":  "category",
	"nam":       "year",
	"year":      "year",
}

// clause is one term of a parsed query: a word or a phrase, possibly
// restricted to a field, possibly excluded.
type clause struct {
	field  string // "", "title", "author", "category", "year"
	text   string
	phrase bool
	neg    bool
	pos    int // rune offset in the query
}

// parsedQuery is an AND of OR-groups plus exclusions.
type parsedQuery struct {
	groups [][]clause
	neg    []clause
}

func isQuote(r rune) bool { return r == '"' || r == '“' || r == '”' || r == '„' }

func isOR(w string) bool { return w == "OR" || w == "HOẶC" }

// parseQuery splits q into clauses. It never panics; a malformed query
// gives a *QueryError.
func parseQuery(q string) (*parsedQuery, error) {
	rs := []rune(q) // not NFC'd, so that Pos points into q
	fail := func(pos int, format string, args ...any) error {
		return &QueryError{Query: q, Pos: pos, Msg: fmt.Sprintf(format, args...)}
	}
	type item struct {
		or bool
		c  clause
	}
	var items []item
	i := 0
	for i < len(rs) {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		start := i
		neg := false
		if rs[i] == '-' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) && rs[i+1] != '-' {
			neg = true
			i++
		}
		if !neg {
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) {
				j++
			}
			if isOR(vntext.NFC(string(rs[i:j]))) {
				items = append(items, item{or: true, c: clause{pos: start}})
				i = j
				continue
			}
		}
		field := ""
		if j := fieldNameEnd(rs, i); j > i {
			name := string(rs[i:j])
			valueEmpty := j+1 >= len(rs) || unicode.IsSpace(rs[j+1])
			url := j+2 < len(rs) && rs[j+1] == '/' && rs[j+2] == '/'
			if f, ok := fieldAliases[strings.ToLower(vntext.Fold(name))]; ok {
				if valueEmpty {
					return nil, fail(i, "field %s: has no value", name)
				}
				field = f
				i = j + 1
			} else if isASCIIWord(name) && !valueEmpty && !url {
				return nil, fail(i, "unknown field %q (known: tieude, tacgia, chuyenmuc, nam); put %q in quotes to search for it as text",
					name, string(rs[i:min(len(rs), j+1+8)]))
			}
		}
		if i < len(rs) && isQuote(rs[i]) {
			end := -1
			for k := i + 1; k < len(rs); k++ {
				if isQuote(rs[k]) {
					end = k
					break
				}
			}
			if end < 0 {
				return nil, fail(i, "unbalanced quote: the phrase is not closed")
			}
			text := string(rs[i+1 : end])
			if strings.TrimSpace(text) == "" {
				return nil, fail(i, "empty phrase")
			}
			items = append(items, item{c: clause{field: field, text: text, phrase: true, neg: neg, pos: start}})
			i = end + 1
			continue
		}
		j := i
		for j < len(rs) && !unicode.IsSpace(rs[j]) && !isQuote(rs[j]) {
			j++
		}
		items = append(items, item{c: clause{field: field, text: string(rs[i:j]), neg: neg, pos: start}})
		i = j
	}

	p := &parsedQuery{}
	pendingOR := false
	for k, it := range items {
		if it.or {
			switch {
			case k == 0 || items[k-1].or:
				return nil, fail(it.c.pos, "OR needs a search term before it")
			case k == len(items)-1:
				return nil, fail(it.c.pos, "OR needs a search term after it")
			case items[k-1].c.neg:
				return nil, fail(items[k-1].c.pos, "an exclusion (-) cannot be part of OR")
			}
			pendingOR = true
			continue
		}
		c := it.c
		if pendingOR {
			if c.neg {
				return nil, fail(c.pos, "an exclusion (-) cannot be part of OR")
			}
			last := len(p.groups) - 1
			p.groups[last] = append(p.groups[last], c)
			pendingOR = false
			continue
		}
		if c.neg {
			p.neg = append(p.neg, c)
			continue
		}
		p.groups = append(p.groups, []clause{c})
	}
	if len(p.groups) == 0 && len(p.neg) > 0 {
		return nil, fail(p.neg[0].pos, "the query has only exclusions; add a word to search for")
	}
	return p, nil
}

// fieldNameEnd returns the index of the colon if rs[i:] starts with a
// run of letters followed by ':', else i.
func fieldNameEnd(rs []rune, i int) int {
	j := i
	for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsMark(rs[j])) {
		j++
	}
	if j > i && j < len(rs) && rs[j] == ':' {
		return j
	}
	return i
}

func isASCIIWord(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII {
			return false
		}
	}
	return true
}

// fieldBoost pairs a folded field with its exact twin and a weight.
type fieldBoost struct {
	folded, exact string
	boost         float64
}

var fieldSets = map[string][]fieldBoost{
	"": {
		{fTitleFolded, fTitle, 3},
		{fBodyFolded, fBody, 1},
		{fCaptFolded, fCaptions, 0.5},
		{fAuthorFolded, fAuthor, 1},
		{fCrumbFolded, fCrumb, 0.7},
		{fCatFolded, fCatText, 0.7},
	},
	"title":    {{fTitleFolded, fTitle, 1}},
	"author":   {{fAuthorFolded, fAuthor, 1}},
	"category": {{fCatFolded, fCatText, 1}, {fCrumbFolded, fCrumb, 1}},
}

// Extra weight of the bigram clauses that reward adjacent query words.
const (
	bigramTitleBoost = 4
	bigramBodyBoost  = 2
)

func termsQuery(terms []string, field string, boost float64) query.Query {
	if len(terms) == 1 {
		q := query.NewTermQuery(terms[0])
		q.SetField(field)
		q.SetBoost(boost)
		return q
	}
	q := query.NewPhraseQuery(terms, field)
	q.SetBoost(boost)
	return q
}

// compiledQuery is the bleve form of a parsed query.
type compiledQuery struct {
	must    []query.Query // one per AND-ed group
	should  []query.Query // ranking only (adjacent-word bigrams)
	mustNot []query.Query
}

func compileQuery(q string) (*compiledQuery, error) {
	p, err := parseQuery(q)
	if err != nil {
		return nil, err
	}
	fail := func(c clause, format string, args ...any) error {
		return &QueryError{Query: q, Pos: c.pos, Msg: fmt.Sprintf(format, args...)}
	}
	clauseQuery := func(c clause) (query.Query, []string, error) {
		if c.field == "year" {
			y := strings.TrimSpace(c.text)
			n, err := strconv.Atoi(y)
			if err != nil || len(y) != 4 || n < 1000 {
				return nil, nil, fail(c, "nam: needs a four-digit year, like nam:2020")
			}
			tq := query.NewTermQuery(y)
			tq.SetField(fYear)
			return tq, nil, nil
		}
		exact, folded := analyze(c.text)
		if len(folded) == 0 {
			if c.phrase || c.field != "" {
				return nil, nil, fail(c, "%q has no searchable words", c.text)
			}
			return nil, nil, nil // punctuation only: ignore
		}
		var qs []query.Query
		for _, fb := range fieldSets[c.field] {
			qs = append(qs, termsQuery(folded, fb.folded, fb.boost))
			if !c.neg {
				qs = append(qs, termsQuery(exact, fb.exact, fb.boost))
			}
		}
		if len(qs) == 1 {
			return qs[0], folded, nil
		}
		return query.NewDisjunctionQuery(qs), folded, nil
	}

	out := &compiledQuery{}
	var run []string // folded tokens of adjacent plain words
	flush := func() {
		for k := 0; k+1 < len(run); k++ {
			bigram := run[k] + " " + run[k+1]
			out.should = append(out.should,
				termsQuery([]string{bigram}, fTitleBigram, bigramTitleBoost),
				termsQuery([]string{bigram}, fBodyBigram, bigramBodyBoost))
		}
		run = run[:0]
	}
	for _, g := range p.groups {
		var alts []query.Query
		var toks []string
		for _, c := range g {
			cq, folded, err := clauseQuery(c)
			if err != nil {
				return nil, err
			}
			if cq != nil {
				alts = append(alts, cq)
				toks = folded
			}
		}
		switch {
		case len(alts) == 0:
			continue
		case len(alts) == 1:
			out.must = append(out.must, alts[0])
		default:
			out.must = append(out.must, query.NewDisjunctionQuery(alts))
		}
		if len(g) == 1 && g[0].field == "" && !g[0].phrase {
			run = append(run, toks...)
		} else {
			flush()
		}
	}
	flush()
	for _, c := range p.neg {
		cq, _, err := clauseQuery(c)
		if err != nil {
			return nil, err
		}
		if cq != nil {
			out.mustNot = append(out.mustNot, cq)
		}
	}
	if len(out.must) == 0 && strings.TrimSpace(q) != "" {
		return nil, &QueryError{Query: q, Pos: 0, Msg: "the query has no searchable words"}
	}
	return out, nil
}
