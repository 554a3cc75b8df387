package index

import (
	"errors"
	"fmt"
	"slices"
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
  -từ   -"cụm từ"      loại trừ (exclude a word or a phrase; typed with
                       accents, only that spelling: "hòa bình -hóa")
  a OR b               một trong hai (either; OR binds tighter than the
                       implicit AND: "a OR b c" = (a or b) and c); HOẶC works too
  tieude:từ            trong tiêu đề (in the title; also title:)
  tacgia:tên           theo tác giả (by author; also author:)
  chuyenmuc:tên        theo chuyên mục (in category or breadcrumb; also category:)
  tep:từ               trong tệp đính kèm (in an attached document's text;
                       also file:)
  nam:2020             năm đăng (year published; also year:)
  nam:2019..2021       từ năm đến năm, kể cả hai đầu (years, inclusive;
                       nam:2019-2021 works too)

  Field values take one word or a "quoted phrase": tieude:"Thanh Hóa".
  Field filters can be excluded (-nam:2019) and joined with OR.
  An unknown field name (foo:bar) is an error; write "foo:bar" in quotes
  to search for the text itself. A colon after a Vietnamese word or before
  // (as in URLs) is just punctuation, and so is one after "Nam" with no
  year following ("Việt Nam: 35 năm"). Punctuation and parentheses are
  ignored. An empty query lists every document (newest first). A query of
  only exclusions, an unclosed quote, an empty phrase or an empty field
  value is an error.`

// HelpLine is one construct of the query language and what it does.
type HelpLine struct{ Syntax, Meaning string }

// QueryHelpVi is QueryHelp in Vietnamese alone, construct by construct,
// for the web page (whose every word is Vietnamese), and QueryHelpNotesVi
// its closing remarks. Keep the three in step.
var QueryHelpVi = []HelpLine{
	{"chi bộ sinh hoạt", "mọi từ đều phải có; gõ có dấu hay không dấu đều được. Bài có đúng dấu, có các từ đứng liền nhau, có từ trong tiêu đề được xếp trước."},
	{`"chi bộ sinh hoạt"`, "đúng cụm từ ấy (có dấu hay không dấu đều được)"},
	{`-từ   -"cụm từ"`, "loại trừ một từ hay một cụm từ; gõ có dấu thì chỉ loại đúng cách viết ấy: hòa bình -hóa"},
	{"a OR b", "một trong hai (HOẶC cũng được); OR gắn chặt hơn phép “và”: a OR b c nghĩa là (a hoặc b) và c"},
	{"tieude:từ", "trong tiêu đề"},
	{"tacgia:tên", "theo tác giả"},
	{"chuyenmuc:tên", "theo chuyên mục (hoặc đường dẫn chuyên mục)"},
	{"tep:từ", "trong nội dung tệp đính kèm"},
	{"nam:2020", "năm đăng"},
	{"nam:2019..2021", "từ năm đến năm, kể cả hai đầu (nam:2019-2021 cũng được)"},
}

var QueryHelpNotesVi = []string{
	`Sau tên trường là một từ hoặc một cụm từ trong ngoặc kép: tieude:"Thanh Hóa". Có thể loại trừ trường (-nam:2019) và nối các trường bằng OR.`,
	`Tên trường không có trong danh sách (foo:bar) là lỗi; muốn tìm đúng chữ ấy, hãy đặt trong ngoặc kép: "foo:bar". Dấu hai chấm sau một từ tiếng Việt, trước // (trong địa chỉ web), hay sau “Nam” không kèm năm (“Việt Nam: 35 năm”) chỉ là dấu câu.`,
	"Dấu câu và dấu ngoặc đơn được bỏ qua. Để trống ô tìm kiếm thì liệt kê mọi bài, bài mới nhất ở đầu. Câu tìm kiếm chỉ có từ loại trừ, ngoặc kép chưa đóng, cụm từ rỗng hay trường không có giá trị là lỗi.",
}

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
	"tep":       "file",
	"file":      "file",
}

// clause is one term of a parsed query: a word or a phrase, possibly
// restricted to a field, possibly excluded.
type clause struct {
	field  string // "", "title", "author", "category", "year", "file"
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
	fail := func(pos int, msg, vi string) error {
		return &QueryError{Query: q, Pos: pos, Msg: msg, Vi: vi}
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
			f, ok := fieldAliases[strings.ToLower(vntext.Fold(name))]
			// "Nam" is also a word ("Việt Nam: 35 năm đổi mới", "Việt
			// Nam:Lào"): with nothing after it, or capitalized as a name
			// and no year after it, it is no field ("nam:abcd" is a
			// mistyped year).
			word := ok && f == "year" && (valueEmpty || unicode.IsUpper(rs[i]) && !unicode.IsDigit(rs[j+1]))
			if ok && !word {
				if valueEmpty {
					return nil, fail(i, fmt.Sprintf("field %s: has no value", name), fmt.Sprintf("trường %s: chưa có giá trị sau dấu hai chấm", name))
				}
				field = f
				i = j + 1
			} else if !word && isASCII(name) && !valueEmpty && !url {
				return nil, fail(i, fmt.Sprintf("unknown field %q (known: tieude, tacgia, chuyenmuc, nam, tep); put %q in quotes to search for it as text",
					name, string(rs[i:min(len(rs), j+1+8)])),
					fmt.Sprintf("không có trường %q (các trường: tieude, tacgia, chuyenmuc, nam, tep); đặt %q trong ngoặc kép để tìm nó như chữ thường",
						name, string(rs[i:min(len(rs), j+1+8)])))
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
				return nil, fail(i, "unbalanced quote: the phrase is not closed", "thiếu dấu ngoặc kép đóng cụm từ")
			}
			text := string(rs[i+1 : end])
			if strings.TrimSpace(text) == "" {
				return nil, fail(i, "empty phrase", "cặp ngoặc kép không có chữ nào")
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
				return nil, fail(it.c.pos, "OR needs a search term before it", "trước OR (HOẶC) cần một từ để tìm")
			case k == len(items)-1:
				return nil, fail(it.c.pos, "OR needs a search term after it", "sau OR (HOẶC) cần một từ để tìm")
			case items[k-1].c.neg:
				return nil, fail(items[k-1].c.pos, "an exclusion (-) cannot be part of OR", "từ loại trừ (-) không đứng cạnh OR (HOẶC) được")
			}
			pendingOR = true
			continue
		}
		c := it.c
		if pendingOR {
			if c.neg {
				return nil, fail(c.pos, "an exclusion (-) cannot be part of OR", "từ loại trừ (-) không đứng cạnh OR (HOẶC) được")
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
		return nil, fail(p.neg[0].pos, "the query has only exclusions; add a word to search for", "câu tìm kiếm chỉ có từ loại trừ; hãy thêm một từ cần tìm")
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

// fieldBoost names the views of one searchable text and its weight.
// bigram is "" where the text has no pair view; its folded view then
// has positions (phrases and adjacent words are found with them).
type fieldBoost struct {
	folded, exact, bigram string
	boost                 float64
}

var (
	textFields   = fieldBoost{fTextFolded, fTextExact, "", 1}
	titleFields  = fieldBoost{fTitleFolded, fTitle, fTitleBigram, 3}
	authorFields = fieldBoost{fAuthorFolded, fAuthor, "", 1}
)

// fieldSets are the texts a clause searches, by field filter. Plain
// words search the text of the article (which includes title and
// author) and, for their own weight, the title and the author again: a
// short field matched weighs more than a word among a thousand.
var fieldSets = map[string][]fieldBoost{
	"":         {textFields, titleFields, authorFields},
	"title":    {{fTitleFolded, fTitle, fTitleBigram, 1}},
	"author":   {authorFields},
	"category": {{fCatFolded, fCatText, "", 1}, {fCrumbFolded, fCrumb, "", 1}},
	"file":     {{fFilesFolded, fFilesExact, "", 1}},
}

// Extra weight of the clauses that reward adjacent query words (a bigram
// term in the title, the two words next to each other in the text). The
// text's clause scores with the idf of two independent words, less than
// the pair's own (which the index does not know): 6 was the least weight
// with which the quality set passed, where the bigram term of a pair view
// had needed 2; 8 leaves a margin (12 and 20 passed too).
const (
	bigramTitleBoost = 4
	bigramTextBoost  = 8
	// Weight of a folded-only match of an accented query word ("đang"
	// for "đảng"): at 0.25, such a word in a short title (weight 3)
	// outranked the exact word three times in the text ("đảng" found
	// "Đang triển khai…" first, "Hóa" a story of flowers); 0.1 and 0.05
	// keep the quality set whole.
	accentMissedWeight = 0.1
	conditionBoost     = 0.01 // weight of the exact-word condition of a pair clause
)

func termQuery(term, field string, boost float64) query.Query {
	q := query.NewTermQuery(term)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

// phraseQuery matches the folded terms as a phrase in the text fb. One
// word is a term of the folded view. In a text with a bigram view, two
// words are one pair term and n words a phrase of n-1 consecutive pairs
// (rarer terms than the words, so far fewer positions to compare); in the
// texts without one, a phrase of the words, read from the positions of
// the folded view (textPhraseQuery).
func phraseQuery(folded []string, fb fieldBoost, boost float64) query.Query {
	if len(folded) == 1 {
		return termQuery(folded[0], fb.folded, boost)
	}
	if fb.bigram == "" {
		return &textPhraseQuery{field: fb.folded, words: folded, boost: boost}
	}
	pairs := make([]string, len(folded)-1)
	for i := range pairs {
		pairs[i] = folded[i] + " " + folded[i+1]
	}
	if len(pairs) == 1 {
		return termQuery(pairs[0], fb.bigram, boost)
	}
	q := query.NewPhraseQuery(pairs, fb.bigram)
	q.SetBoost(boost)
	return q
}

// compiledQuery is the bleve form of a parsed query.
type compiledQuery struct {
	must    []query.Query // one per AND-ed group
	should  []query.Query // ranking only (adjacent words)
	mustNot []query.Query
	// Folded terms to highlight in the body and captions, and in the
	// title (plain words and phrases go to both; tieude: to the title).
	hlBody, hlTitle *highlight
	// hlFiles: the terms to highlight in attached documents' texts (plain
	// words and tep: clauses).
	hlFiles *highlight
	// flat is the same query as must + should when it has only plain
	// words and no exclusion, evaluated faster (see flatQuery); its
	// excludeDeleted is for the caller to set.
	flat *flatQuery
}

func compileQuery(q string) (*compiledQuery, error) {
	p, err := parseQuery(q)
	if err != nil {
		return nil, err
	}
	fail := func(c clause, msg, vi string) error {
		return &QueryError{Query: q, Pos: c.pos, Msg: msg, Vi: vi}
	}
	out := &compiledQuery{hlBody: newHighlight(), hlTitle: newHighlight(), hlFiles: newHighlight()}
	clauseQuery := func(c clause) (query.Query, []token, error) {
		if c.field == "year" {
			lo, hi, err := parseYears(c.text)
			if err != nil {
				return nil, nil, fail(c, err.Error(), yearErrorVi(err))
			}
			if lo == hi {
				tq := query.NewTermQuery(strconv.Itoa(lo))
				tq.SetField(fYear)
				return tq, nil, nil
			}
			// A range of calendar days on the numeric day field: one
			// range lookup, however many years.
			from, to := float64(lo*10000+101), float64(hi*10000+1231)
			incl := true
			nq := query.NewNumericRangeInclusiveQuery(&from, &to, &incl, &incl)
			nq.SetField(fDay)
			return nq, nil, nil
		}
		exact, folded := analyze(c.text)
		if len(folded) == 0 {
			if c.phrase || c.field != "" {
				return nil, nil, fail(c, fmt.Sprintf("%q has no searchable words", c.text), fmt.Sprintf("%q không có từ nào để tìm", c.text))
			}
			return nil, nil, nil // punctuation only: ignore
		}
		// A word typed with accents that a document has only with other
		// accents ("điện" for "diễn") is a different word: it matches
		// (accents are optional) but weighs less than the exact word.
		foldW := 1.0
		if !c.neg && slices.Compare(exact, folded) != 0 {
			foldW = accentMissedWeight // see token.foldWeight
		}
		if !c.neg {
			hl := out.hlBody
			switch c.field {
			case "":
			case "title":
				hl = out.hlTitle
			case "file":
				hl = out.hlFiles
			default:
				hl = nil
			}
			if hl != nil {
				hl.add(folded)
			}
			if c.field == "" {
				out.hlTitle.add(folded)
				out.hlFiles.add(folded)
			}
		}
		var qs []query.Query
		for _, fb := range fieldSets[c.field] {
			switch {
			case c.neg:
				if c.field == "" && fb != textFields {
					continue // title and author are part of the text
				}
				nq := phraseQuery(folded, fb, fb.boost)
				if slices.Compare(exact, folded) != 0 && fb.exact != "" {
					// Typed with accents, an exclusion takes those words
					// only: "hòa bình -hóa" keeps "hòa", and "diễn biến"
					// -"Điện Biên" keeps "diễn biến".
					cj := query.NewConjunctionQuery([]query.Query{nq})
					for _, e := range exact {
						cj.AddQuery(termQuery(e, fb.exact, 1))
					}
					nq = cj
				}
				qs = append(qs, nq)
			case len(folded) == 1:
				for _, t := range wordSpecs(fb, token{exact[0], folded[0]}, foldW) {
					qs = append(qs, t.query())
				}
			default:
				// A phrase, in the folded view; words with the same
				// accents add to the score.
				pq := query.NewBooleanQuery(nil, nil, nil)
				pq.AddMust(phraseQuery(folded, fb, fb.boost*foldW))
				for _, e := range exact {
					pq.AddShould(termQuery(e, fb.exact, fb.boost/float64(len(exact))))
				}
				qs = append(qs, pq)
			}
		}
		if len(qs) == 1 {
			return qs[0], toks(exact, folded), nil
		}
		return query.NewDisjunctionQuery(qs), toks(exact, folded), nil
	}

	flatOK := len(p.neg) == 0
	var flatToks []token
	var run []token // adjacent plain words
	flush := func() {
		for k := 0; k+1 < len(run); k++ {
			out.should = append(out.should, pairQueries(run[k], run[k+1])...)
		}
		run = run[:0]
	}
	for _, g := range p.groups {
		var alts []query.Query
		var toks []token
		for _, c := range g {
			cq, ts, err := clauseQuery(c)
			if err != nil {
				return nil, err
			}
			if cq != nil {
				alts = append(alts, cq)
				toks = ts
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
		if len(g) == 1 && g[0].field == "" && !g[0].phrase && len(toks) == 1 {
			flatToks = append(flatToks, toks[0])
		} else {
			flatOK = false
		}
	}
	flush()
	if flatOK && len(flatToks) > 0 {
		// The same clauses as above, from the same functions.
		flat := &flatQuery{}
		for _, t := range flatToks {
			var w []termSpec
			for _, fb := range fieldSets[""] {
				w = append(w, wordSpecs(fb, t, t.foldWeight())...)
			}
			flat.words = append(flat.words, w)
		}
		for k := 0; k+1 < len(flatToks); k++ {
			flat.pairs = append(flat.pairs, pairSpecs(flatToks[k], flatToks[k+1])...)
		}
		out.flat = flat
	}
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
		return nil, &QueryError{Query: q, Pos: 0, Msg: "the query has no searchable words", Vi: "câu tìm kiếm không có từ nào để tìm"}
	}
	return out, nil
}

// token is one query word, as indexed in the exact and the folded views.
type token struct{ exact, folded string }

func (t token) accented() bool { return t.exact != t.folded }

func toks(exact, folded []string) []token {
	out := make([]token, len(folded))
	for i := range folded {
		out[i] = token{exact[i], folded[i]}
	}
	return out
}

// wordSpecs are the term clauses of one plain word in the text fb: the
// folded term, weighted foldW, and the word as typed, accents or none
// ("hoa" is the flower; "chiến binh" means binh), which ranks first. The
// folded term comes first: flatQuery finds candidates by it.
func wordSpecs(fb fieldBoost, t token, foldW float64) []termSpec {
	return []termSpec{
		{field: fb.folded, term: t.folded, boost: fb.boost * foldW},
		{field: fb.exact, term: t.exact, boost: fb.boost},
	}
}

// foldWeight is the weight of the folded clauses of a word: a word typed
// with accents that a document has only with other accents ("điện" for
// "diễn") is a different word: it matches (accents are optional) but
// weighs less than the exact word.
func (t token) foldWeight() float64 {
	if t.accented() {
		return accentMissedWeight
	}
	return 1
}

func (t termSpec) query() query.Query { return termQuery(t.term, t.field, t.boost) }

// pairSpecs returns the optional clauses that reward documents having the
// query words a and b next to each other, in the title and in the text,
// each a conjunction of terms: in the title the folded bigram, in the
// text the two folded words, the second at the position after the
// first, scored as a term of its own (adjacentQuery). When the user
// typed accents on a word, the pair only counts in a text that also has
// that word with those accents, so that "Điện Biên" does not reward a
// title with "diễn biến" (same folded words, other words).
func pairSpecs(a, b token) [][]termSpec {
	pair := func(fb fieldBoost, boost float64) []termSpec {
		var conj []termSpec
		if fb.bigram != "" {
			conj = []termSpec{{field: fb.bigram, term: a.folded + " " + b.folded, boost: boost}}
		} else {
			conj = []termSpec{
				{field: fb.folded, term: a.folded, boost: boost},
				{field: fb.folded, term: b.folded, boost: boost, follows: true},
			}
		}
		for _, t := range []token{a, b} {
			if t.accented() {
				conj = append(conj, termSpec{field: fb.exact, term: t.exact, boost: conditionBoost})
			}
		}
		return conj
	}
	return [][]termSpec{
		pair(titleFields, bigramTitleBoost),
		pair(textFields, bigramTextBoost),
	}
}

// pairQueries is pairSpecs as bleve queries.
func pairQueries(a, b token) []query.Query {
	var out []query.Query
	for _, conj := range pairSpecs(a, b) {
		var qs []query.Query
		for i := 0; i < len(conj); i++ {
			t := conj[i]
			if i+1 < len(conj) && conj[i+1].follows {
				qs = append(qs, &adjacentQuery{field: t.field, a: t.term, b: conj[i+1].term, boost: t.boost})
				i++
				continue
			}
			qs = append(qs, t.query())
		}
		if len(qs) == 1 {
			out = append(out, qs[0])
			continue
		}
		// bleve ignores the boost of conjunctions: the leaves carry it.
		out = append(out, query.NewConjunctionQuery(qs))
	}
	return out
}

// parseYears parses the value of nam: — a year ("2020") or an inclusive
// range ("2019..2021"; "2019-2021" and "2019–2021" too).
func parseYears(v string) (lo, hi int, err error) {
	v = strings.TrimSpace(v)
	year := func(s string) (int, bool) {
		n, err := strconv.Atoi(s)
		return n, err == nil && len(s) == 4 && n >= 1000
	}
	a, b, isRange := strings.Cut(v, "..")
	if !isRange {
		a, b, isRange = strings.Cut(v, "–")
	}
	if !isRange && len(v) == 9 && v[4] == '-' {
		a, b, isRange = v[:4], v[5:], true
	}
	if !isRange {
		n, ok := year(v)
		if !ok {
			return 0, 0, &yearError{"nam: needs a four-digit year or a range, like nam:2020 or nam:2019..2021",
				"nam: cần một năm bốn chữ số hoặc một khoảng năm, như nam:2020 hay nam:2019..2021"}
		}
		return n, n, nil
	}
	lo, ok1 := year(strings.TrimSpace(a))
	hi, ok2 := year(strings.TrimSpace(b))
	if !ok1 || !ok2 {
		return 0, 0, &yearError{"nam: a range needs two four-digit years, like nam:2019..2021",
			"nam: khoảng năm cần hai năm bốn chữ số, như nam:2019..2021"}
	}
	if lo > hi {
		return 0, 0, &yearError{fmt.Sprintf("nam:%d..%d: the first year is after the second", lo, hi),
			fmt.Sprintf("nam:%d..%d: năm đầu đứng sau năm cuối", lo, hi)}
	}
	return lo, hi, nil
}

// CheckQuery reports whether q is a query Search would accept, without
// running it: a *QueryError or *RequestError if not. Callers that stream
// an answer (exports) check first, so that a bad query is a clean 400 and
// never a half-written file.
func CheckQuery(q string) error {
	if err := (Request{Query: q}).validate(); err != nil {
		return err
	}
	_, err := compileQuery(q)
	return err
}

// yearError is a year filter that cannot be read, in English and in
// Vietnamese.
type yearError struct{ msg, vi string }

func (e *yearError) Error() string { return e.msg }

// yearErrorVi is err's Vietnamese message, or its own.
func yearErrorVi(err error) string {
	var ye *yearError
	if errors.As(err, &ye) {
		return ye.vi
	}
	return err.Error()
}
