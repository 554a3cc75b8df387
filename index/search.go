package index

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"tulieu/vntext"
)

// facetSize is the number of values returned per facet, but the year's.
const facetSize = 30

// yearFacetSize is the number of years the year facet returns: every
// year of two centuries. An archive of a party committee holds documents
// of its first congresses beside this year's news, and a researcher
// looking for the 1960s must see them among the years, however few they
// are (with facetSize, the 30 most frequent years hid them).
const yearFacetSize = 200

// facetSizeOf is the number of values facet name returns.
func facetSizeOf(name string) int {
	if name == "year" {
		return yearFacetSize
	}
	return facetSize
}

// Search runs a query. A malformed Request.Query gives a *QueryError, a
// request outside the bounds (MaxLimit, MaxOffset, MaxQueryLength) a
// *RequestError: whoever calls it, nothing a request holds can make it
// collect without bound.
func (ix *Index) Search(ctx context.Context, req Request) (res *Result, err error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			// (As in the shards' goroutines: recoverDamage.)
			res, err = nil, &panicError{shard: -1, value: r}
		}
		var qe *QueryError
		var re *RequestError
		if err == nil || ctx.Err() != nil || errors.As(err, &qe) || errors.As(err, &re) || errors.Is(err, ErrCorrupt) || errors.Is(err, errClosed) {
			return // a typo in the query reads no segment
		}
		// A read that failed (bleve's own words for bytes it cannot
		// read: "index read inconsistency detected", "error loading
		// roaring bitmap"; or a panic): damage, if a segment file fails
		// its checksum; otherwise the error as it is (a fault of ours is
		// no reason to rebuild the index).
		if verr := ix.verifyAfterFailure(); errors.Is(verr, ErrCorrupt) {
			res, err = nil, fmt.Errorf("%w (%v)", verr, err)
		}
	}()
	return ix.search(ctx, req)
}

// search runs a validated request.
func (ix *Index) search(ctx context.Context, req Request) (*Result, error) {
	cq, err := compileQuery(req.Query)
	if err != nil {
		return nil, err
	}
	if err := ix.resolveKeywords(&req); err != nil {
		return nil, err
	}
	limit := req.Limit
	if limit <= 0 {
		limit = 10
	}
	offset := req.Offset

	order := req.Sort
	if order == "" || order == "relevance" {
		if len(cq.must) == 0 {
			order = "newest" // nothing to rank by
		} else {
			order = "relevance"
		}
	}
	topK := 0
	if order == "relevance" {
		topK = offset + limit
	}
	// The facets of a plain-word search are counted apart (flatFacets),
	// so its matches need not all reach the collector; bleve counts
	// those of any other search.
	noFacets := req
	noFacets.Facets = false
	q := buildQuery(cq, noFacets, true, topK)
	fq, flatFacets := q.(*flatQuery)
	flatFacets = flatFacets && req.Facets
	if req.Facets && !flatFacets {
		q = buildQuery(cq, req, true, topK)
	}

	sr := bleve.NewSearchRequestOptions(q, limit, offset, false)
	sr.Fields = []string{fURL, fTitle, fAuthor, fCrumb, fCategory, fPublishedStr, fStatus, fBody, fCaptions, fFileNames, fFileTexts}
	// No term locations: reading them for every match is the most
	// expensive part of a search over a large index. Snippets and titles
	// are highlighted afterwards by analyzing the stored text of the hits.
	sr.IncludeLocations = false
	if req.Facets && !flatFacets {
		sr.Facets = bleveFacets()
	}
	switch order {
	case "relevance":
		// Only the score. A second key is read for every match, not just
		// for the hits: the date's doc values, or worse the external ID
		// (a stored-field read per match, a tenth of a search). Equal
		// scores keep a fixed order: shard, then the shard's own
		// (searchShards).
		sr.SortBy([]string{"-_score"})
	case "newest":
		// Equal dates (most articles carry a day only) by id, as
		// MatchIDs orders an export of the same request: the page and
		// its CSV list them alike, and so does a rebuilt index (the
		// score's order of equals was the segments').
		sr.SortBy([]string{"-" + fPublished, "_id"})
	case "oldest":
		sr.SortBy([]string{fPublished, "_id"})
	default:
		return nil, fmt.Errorf("index: unknown sort order %q (want relevance, newest or oldest)", req.Sort)
	}

	res, err := ix.searchShards(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("index: search: %w", err)
	}
	out := &Result{
		// As the API's JSON decodes it: an answer read back from a server
		// encodes to the same bytes.
		Query:  strings.ToValidUTF8(req.Query, "\uFFFD"),
		Total:  res.Total + uncountedMatches(q),
		Hits:   make([]Hit, 0, len(res.Hits)),
		Facets: map[string][]Facet{},
	}
	for _, dm := range res.Hits {
		out.Hits = append(out.Hits, makeHit(dm, cq))
	}
	facets := map[string][]Facet{}
	if flatFacets {
		var ok bool
		if facets, ok, err = ix.flatFacets(ctx, fq); err != nil {
			return nil, err
		}
		if !ok { // bleve then counts them in a search of its own
			facets = map[string][]Facet{}
			fsr := bleve.NewSearchRequestOptions(buildQuery(cq, req, true, 0), 0, 0, false)
			fsr.Facets = bleveFacets()
			fres, err := ix.alias.SearchInContext(ctx, fsr)
			if err != nil {
				return nil, fmt.Errorf("index: search: %w", err)
			}
			res.Facets = fres.Facets
		}
	}
	for name, fr := range res.Facets {
		var fs []Facet
		if fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				fs = append(fs, Facet{Term: t.Term, Count: t.Count})
			}
		}
		facets[name] = fs
	}
	for name, fs := range facets {
		fs = topFacets(fs, facetSizeOf(name))
		if name == "year" {
			sort.Slice(fs, func(i, j int) bool { return fs[i].Term > fs[j].Term })
		}
		out.Facets[name] = fs
	}
	return out, nil
}

// topFacets returns the size most frequent values, ties by value.
// It selects them in one pass rather than sorting every value: a common
// word's matches have thousands of authors, and sorting them all was a
// seventh of a search page's time at 50 000 articles.
func topFacets(fs []Facet, size int) []Facet {
	before := func(a, b Facet) bool {
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Term < b.Term
	}
	top := make([]Facet, 0, min(len(fs), size)+1)
	for _, f := range fs {
		top = insertTop(top, f, before, size)
	}
	sortFacets(top)
	return top
}

// sortFacets orders the values shown, the most frequent first and equals
// as a Vietnamese dictionary does (vntext.SortKey: "Đào" after the D's,
// not after "Trần", where its byte order put it), then as spelled. Only
// the few values shown get a key, after they are chosen.
func sortFacets(fs []Facet) {
	keys := make(map[string]string, len(fs))
	for _, f := range fs {
		keys[f.Term] = vntext.SortKey(f.Term)
	}
	slices.SortStableFunc(fs, func(a, b Facet) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(keys[a.Term], keys[b.Term]), cmp.Compare(a.Term, b.Term))
	})
}

// insertTop puts e into top, the size first items by before in order,
// if it belongs there.
func insertTop[T any](top []T, e T, before func(a, b T) bool, size int) []T {
	if len(top) == size && !before(e, top[size-1]) {
		return top
	}
	i := sort.Search(len(top), func(i int) bool { return before(e, top[i]) })
	var zero T
	top = append(top, zero)
	copy(top[i+1:], top[i:])
	top[i] = e
	return top[:min(len(top), size)]
}

// bleveFacets asks bleve for the facets of a search, all their values:
// bleve trims each shard's to the size asked before adding them up, so
// asking for facetSize would miss or undercount a value that is just
// below the top in each shard. topFacets trims the sum.
func bleveFacets() bleve.FacetsRequest {
	fr := bleve.FacetsRequest{}
	for name, field := range facetFields {
		fr[name] = bleve.NewFacetRequest(field, bleveFacetValues)
	}
	return fr
}

// ExactAuthor is the Request.Author that matches the articles whose whole
// author is name, exactly as the author facet counts it (a facet value
// given back as a filter): name in double quotes. Without the quotes,
// Request.Author matches the name within the author field, accents and
// case optional, so "Nguyễn Văn A" also finds "Nguyen Van A" and
// "Nguyễn Văn A, Trần Thị B", which the facet counts apart.
func ExactAuthor(name string) string { return `"` + name + `"` }

// exactAuthorName reads an author filter written as ExactAuthor makes it.
func exactAuthorName(author string) (string, bool) {
	a := strings.TrimSpace(author)
	if len(a) >= 2 && a[0] == '"' && a[len(a)-1] == '"' {
		return a[1 : len(a)-1], true
	}
	return "", false
}

// bleveFacetValues is the most values of a facet bleve returns per shard.
const bleveFacetValues = 1 << 16

// buildQuery makes the bleve query of a search: the compiled query, the
// exclusion of deleted articles and the request's filters. With useFlat,
// a query of plain words is a flatQuery (the same scores, faster); topK
// above 0 says that only the best topK scores will be used (relevance
// order), which lets it skip work on the others when nothing filters its
// matches.
func buildQuery(cq *compiledQuery, req Request, useFlat bool, topK int) query.Query {
	var filters []query.Query
	if c := keywordValue(req.Category); c != "" {
		filters = append(filters, keywordQuery(fCategory, c, req.categoryTerms))
	}
	if name, exact := exactAuthorName(req.Author); exact {
		if kv := keywordValue(name); kv != "" {
			filters = append(filters, keywordQuery(fAuthorKW, kv, req.authorTerms))
		}
	} else if _, folded := analyze(req.Author); len(folded) > 0 {
		filters = append(filters, phraseQuery(folded, fieldSets["author"][0], 1))
	}
	if !req.From.IsZero() || !req.To.IsZero() {
		var lo, hi *float64
		if !req.From.IsZero() {
			d := dayNumber(req.From)
			lo = &d
		}
		if !req.To.IsZero() {
			d := dayNumber(req.To)
			hi = &d
		}
		incl := true
		nq := query.NewNumericRangeInclusiveQuery(lo, hi, &incl, &incl)
		nq.SetField(fDay)
		filters = append(filters, nq)
	}

	if useFlat && cq.flat != nil {
		fq := *cq.flat
		fq.excludeDeleted = !req.IncludeDeleted
		if len(filters) == 0 {
			fq.topK = topK
			if topK > 0 {
				fq.floor = new(scoreFloor)
			}
			// Facets count every match: the pruned ones must reach the
			// collector (with their lowered scores) when they are asked.
			if topK > 0 && !req.Facets {
				fq.uncounted = new(atomic.Int64)
			}
			return &fq
		}
		bq := query.NewBooleanQuery([]query.Query{&fq}, nil, nil)
		bq.AddFilter(query.NewConjunctionQuery(filters))
		return bq
	}

	bq := query.NewBooleanQuery(nil, nil, nil)
	if len(cq.must) == 0 {
		bq.AddMust(query.NewMatchAllQuery())
	} else {
		bq.AddMust(cq.must...)
	}
	bq.AddShould(cq.should...)
	bq.AddMustNot(cq.mustNot...)
	if !req.IncludeDeleted {
		tq := query.NewTermQuery("deleted")
		tq.SetField(fStatus)
		bq.AddMustNot(tq)
	}
	switch len(filters) {
	case 0:
	case 1:
		bq.AddFilter(filters[0])
	default:
		bq.AddFilter(query.NewConjunctionQuery(filters))
	}
	return bq
}

func fieldString(fields map[string]interface{}, name string) string {
	switch v := fields[name].(type) {
	case string:
		return v
	case []interface{}:
		var parts []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, " ")
	}
	return ""
}

func fieldStrings(fields map[string]interface{}, name string) []string {
	switch v := fields[name].(type) {
	case string:
		return []string{v}
	case []interface{}:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func makeHit(dm *search.DocumentMatch, cq *compiledQuery) Hit {
	// Text fields are returned with the same letters and tone placement
	// as stored, in composed form. They are normalized here, before any
	// HTML is built: normalizing finished HTML would let a combining mark
	// that follows a tag compose with its '>' ("≯") and break the markup.
	h := Hit{
		ID:         dm.ID,
		URL:        fieldString(dm.Fields, fURL),
		Title:      vntext.NFC(fieldString(dm.Fields, fTitle)),
		Author:     vntext.NFC(fieldString(dm.Fields, fAuthor)),
		Breadcrumb: fieldStrings(dm.Fields, fCrumb),
		Category:   fieldString(dm.Fields, fCategory),
		Published:  fieldString(dm.Fields, fPublishedStr),
		Status:     cmp.Or(fieldString(dm.Fields, fStatus), "live"),
		Score:      dm.Score,
	}
	for i, c := range h.Breadcrumb {
		h.Breadcrumb[i] = vntext.NFC(c)
	}
	// The snippet comes from the text that holds the most of the query's
	// words: the body, or else (holding more of them) a caption or an
	// attached document, whose snippet says which it is. A body that
	// shares one common word with the query ("kèm" of "Xem tệp đính
	// kèm") must not hide the document the article was found by.
	body := vntext.NFC(fieldString(dm.Fields, fBody))
	spans := cq.hlBody.spans(body)
	text, words := body, distinctWords(body, spans)
	for _, c := range fieldStrings(dm.Fields, fCaptions) {
		c = vntext.NFC(c)
		if s := cq.hlBody.spans(c); len(s) > 0 {
			if n := distinctWords(c, s); n > words {
				spans, text, words = s, c, n
			}
		}
	}
	fileName := ""
	names := fieldStrings(dm.Fields, fFileNames)
	for i, f := range fieldStrings(dm.Fields, fFileTexts) {
		if i >= len(names) {
			break
		}
		f = vntext.NFC(f)
		if s := cq.hlFiles.spans(f); len(s) > 0 {
			if n := distinctWords(f, s); n > words {
				spans, text, words, fileName = s, f, n, vntext.NFC(names[i])
			}
		}
	}
	h.Snippet, h.SnippetHTML = makeSnippet(text, spans)
	if fileName != "" {
		h.Snippet = "[Tệp " + fileName + "] " + h.Snippet
		h.SnippetHTML = "[Tệp " + html.EscapeString(fileName) + "] " + h.SnippetHTML
		h.File = fileName
	}
	h.TitleHTML = markAll(h.Title, cq.hlTitle.spans(h.Title))
	return h
}

// distinctWords counts the different words (folded) that spans mark in
// text.
func distinctWords(text string, spans []span) int {
	seen := make(map[string]bool, len(spans))
	for _, sp := range spans {
		seen[wordKeys.get(text[sp.start:sp.end])] = true
	}
	return len(seen)
}

// MatchIDs calls fn with the id of every document a request matches,
// newest (or oldest) published first (undated last, ties by id, as Search
// sorted by date lists them), MaxLimit ids at a
// time. The request's Limit, Offset and Sort are ignored. It is for
// exports, which take whole result sets that Search's window (MaxOffset)
// does not reach. Memory holds a small key per match (matchwalk.go: 40
// bytes, 4 MB at 100 000 matches) and no stored field is read.
func (ix *Index) MatchIDs(ctx context.Context, req Request, fn func(ids []string) error) error {
	oldest := req.Sort == "oldest"
	req.Limit, req.Offset, req.Sort, req.Facets = 0, 0, "newest", false
	if err := req.validate(); err != nil {
		return err
	}
	cq, err := compileQuery(req.Query)
	if err != nil {
		return err
	}
	if err := ix.resolveKeywords(&req); err != nil {
		return err
	}
	all, err := ix.walkMatches(ctx, buildQuery(cq, req, true, 0))
	if err != nil {
		return err
	}
	if oldest {
		// Oldest first, the undated still last, as a search sorted
		// oldest lists them; equal dates by id, as newest has them.
		dated := slices.IndexFunc(all, func(m walkMatch) bool { return !m.dated })
		if dated < 0 {
			dated = len(all)
		}
		slices.SortStableFunc(all[:dated], func(a, b walkMatch) int {
			return cmp.Or(cmp.Compare(a.published, b.published), cmp.Compare(a.id, b.id))
		})
	}
	page := make([]string, 0, MaxLimit)
	for i, m := range all {
		page = append(page, m.id)
		if len(page) == MaxLimit || i == len(all)-1 {
			if err := fn(page); err != nil {
				return err
			}
			page = page[:0]
		}
	}
	return nil
}

// searchShards is what bleve's IndexAlias does with a request (each shard
// asked for the first From+Size hits at once, the results merged, sorted
// and cut to the page), in an order that does not change from one
// request to the next. The alias merges the shards as they answer and
// sorts without keeping the order of equals, so hits that tie on the sort
// (articles of the same day under newest, equal scores, the listing of
// everything) came in a different order each time, and paging through
// them showed some twice and others never (TestPaginationTiesAcrossShards).
// Here equals keep the order of their shard in the index's list, then
// each shard's own order, which is fixed for a given state of the index
// (its collector breaks ties by the order it met the documents in, which
// is the segments' order). Bleve's own comparison is not used for the
// merge: it breaks ties by HitNumber, a shard's count of the matches it
// had collected, which says nothing across shards and changes with the
// page asked for (the flat searcher skips more candidates for a smaller
// page).
func (ix *Index) searchShards(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	child := *req
	child.From, child.Size = 0, req.From+req.Size
	results := make([]*bleve.SearchResult, len(ix.shards))
	errs := make([]error, len(ix.shards))
	// Every shard scores with the whole index's average lengths
	// (bm25stats.go).
	stats, err := ix.bm25Stats()
	if err != nil {
		return nil, err
	}
	var wg sync.WaitGroup
	for k, shard := range ix.shards {
		wg.Go(func() {
			defer recoverDamage(&errs[k], k)
			// Each shard its own copy, as the alias makes: the sort
			// keeps state per search (the values it reads).
			c := child
			c.Sort = req.Sort.Copy()
			results[k], errs[k] = shard.SearchInContext(context.WithValue(ctx, search.BM25StatsKey, stats[k]), &c)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	res := results[0]
	for _, r := range results[1:] {
		res.Merge(r)
	}
	if len(req.Sort) > 0 {
		scoring, desc := req.Sort.CacheIsScore(), req.Sort.CacheDescending()
		slices.SortStableFunc(res.Hits, func(a, b *search.DocumentMatch) int {
			return compareSortKeys(scoring, desc, a, b)
		})
	}
	from, to := min(req.From, len(res.Hits)), min(req.From+req.Size, len(res.Hits))
	res.Hits = res.Hits[from:to]
	for name, fr := range req.Facets {
		res.Facets.Fixup(name, fr.Size)
	}
	return res, nil
}

// compareSortKeys compares two hits on the request's sort keys only (as
// search.SortOrder.Compare does before it falls back to HitNumber).
func compareSortKeys(scoring, desc []bool, a, b *search.DocumentMatch) int {
	for x := range scoring {
		c := 0
		if scoring[x] {
			c = cmp.Compare(a.Score, b.Score)
		} else {
			c = strings.Compare(a.Sort[x], b.Sort[x])
		}
		if c != 0 {
			if desc[x] {
				return -c
			}
			return c
		}
	}
	return 0
}

// keywordQuery matches the keyword field's value: any of terms, the
// spellings of it the index holds, or value itself when they are not
// known.
func keywordQuery(field, value string, terms []string) query.Query {
	if len(terms) == 0 {
		terms = []string{value}
	}
	var qs []query.Query
	for _, t := range terms {
		tq := query.NewTermQuery(t)
		tq.SetField(field)
		qs = append(qs, tq)
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

// resolveKeywords finds the spellings the index holds of the request's
// category and exact author: the same name with its tone marks placed
// either way ("Hoà" and "Hòa"), as plain words are searched. A name is
// filed as the site printed it, and typed as the keyboard places the
// marks.
func (ix *Index) resolveKeywords(req *Request) error {
	var err error
	if c := keywordValue(req.Category); c != "" {
		if req.categoryTerms, err = ix.keywordTerms(fCategory, c); err != nil {
			return err
		}
	}
	if name, exact := exactAuthorName(req.Author); exact {
		if kv := keywordValue(name); kv != "" {
			if req.authorTerms, err = ix.keywordTerms(fAuthorKW, kv); err != nil {
				return err
			}
		}
	}
	return nil
}

// keywordCache keeps, for one generation of the index, each keyword
// field's terms by their spelling with the tone marks placed the one way
// (vntext.NormalizeTone): read once, not at every filtered search.
type keywordCache struct {
	mu      sync.Mutex
	gen     uint64
	byField map[string]map[string][]string
}

// keywordTerms lists the terms of a keyword field that are value with
// its tone marks placed either way; value itself always, so that a
// filter that matches nothing still says what it asked.
func (ix *Index) keywordTerms(field, value string) ([]string, error) {
	c := &ix.keywords
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen := ix.gen.Load(); c.byField == nil || c.gen != gen {
		c.gen, c.byField = gen, map[string]map[string][]string{}
	}
	spellings, ok := c.byField[field]
	if !ok {
		var err error
		if spellings, err = ix.readKeywordSpellings(field); err != nil {
			return nil, err
		}
		c.byField[field] = spellings
	}
	terms := []string{value}
	for _, t := range spellings[vntext.NormalizeTone(value)] {
		if t != value {
			terms = append(terms, t)
		}
	}
	return terms, nil
}

// readKeywordSpellings reads a keyword field's terms from every shard,
// by their tone-normalized spelling.
func (ix *Index) readKeywordSpellings(field string) (map[string][]string, error) {
	out := map[string][]string{}
	seen := map[string]bool{}
	err := ix.eachShardReader(func(_ int, r bindex.IndexReader) error {
		d, err := r.FieldDict(field)
		if err != nil {
			return err
		}
		defer d.Close()
		for e, err := d.Next(); e != nil || err != nil; e, err = d.Next() {
			if err != nil {
				return err
			}
			if !seen[e.Term] {
				seen[e.Term] = true
				k := vntext.NormalizeTone(e.Term)
				out[k] = append(out[k], e.Term)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
