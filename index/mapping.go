package index

import (
	"cmp"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"

	"tulieu/internal/vntime"
	"tulieu/vntext"
)

// schemaVersion is stored in the index; an index written with another
// version is reported as ErrCorrupt so that the caller rebuilds it.
const schemaVersion = "tulieu-index-12"

// Field names in the bleve index.
//
// All the searchable text of an article (title, body, captions, author,
// category) goes into one field, text, in two views: folded (accents
// removed: what a plain word must match; with positions, for phrases and
// for adjacent query words) and exact (accents kept: ranks the accents
// the user typed first; a query typed without any accent does not ask
// it). One field per view, rather than one per property, means one
// postings list per query word to walk instead of five. The texts are
// joined by valueSep, which leaves a gap in the word positions, so
// phrases never run from the title into the body.
//
// The title has three views: exact, folded, and bigram (pairs of
// adjacent folded words, with positions: two words next to each other in
// the title are one term, a phrase of n words a phrase of n-1 pairs), for
// the title boost and tieude:; author, category and breadcrumb have an
// exact view and a folded view (with positions: they are short) for
// tacgia: and chuyenmuc:, and the author also for its own weight in
// plain searches. Body and captions are stored for snippets but not
// indexed on their own.
//
// The text has no pair view: one cost more than half of the CPU of
// building the index (a pair is a new term in most articles, and every
// term of a segment gets a dictionary entry and a postings list) and
// half of its peak memory, against an eighth for the positions of the
// folded view, which answer the same questions (BENCHMARKS.md).
const (
	fID           = "id"
	fURL          = "url"
	fText         = "text" // property only: the array of searchable texts
	fTextFolded   = "text_folded"
	fTextExact    = "text_exact"
	fTitle        = "title" // stored; indexed as the accented view
	fTitleFolded  = "title_folded"
	fTitleBigram  = "title_bigram"
	fBody         = "body" // stored only
	fCaptions     = "captions"
	fFileNames    = "file_names" // stored only: the attachments' names, in the order of fFileTexts
	fFileTexts    = "file_texts" // stored: the attachments' texts, for snippets
	fFilesFolded  = "files_folded"
	fFilesExact   = "files_exact"
	fAuthor       = "author" // stored; indexed folded
	fAuthorFolded = "author_folded"
	fAuthorKW     = "author_kw" // the person (Document.AuthorName, else the byline), for the author facet
	fCrumb        = "breadcrumb"
	fCrumbFolded  = "breadcrumb_folded"
	fCategory     = "category" // keyword, for the filter and the facet
	fCatText      = "category_text"
	fCatFolded    = "category_folded"
	fStatus       = "status"
	fPublished    = "published"     // datetime, for sorting
	fPublishedStr = "published_str" // the string as given, stored only
	fYear         = "year"          // keyword "2020", for nam: and the facet
	fDay          = "day"           // number 20200307, for day filters
)

func textField(name, analyzer string, store, vectors bool) *mapping.FieldMapping {
	fm := mapping.NewTextFieldMapping()
	fm.Name = name
	fm.Analyzer = analyzer
	fm.Store = store
	fm.IncludeTermVectors = vectors
	fm.IncludeInAll = false
	fm.DocValues = false
	return fm
}

func keywordField(name string, store, docValues bool) *mapping.FieldMapping {
	fm := mapping.NewKeywordFieldMapping()
	fm.Name = name
	fm.Analyzer = keyword.Name
	fm.Store = store
	fm.IncludeTermVectors = false
	fm.IncludeInAll = false
	fm.DocValues = docValues
	return fm
}

// storedOnly is a field kept for display and not indexed.
func storedOnly(name string) *mapping.FieldMapping {
	fm := textField(name, keyword.Name, true, false)
	fm.Index = false
	return fm
}

func newMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	if err := addAnalyzers(im); err != nil {
		return nil, err
	}
	im.DefaultAnalyzer = analyzerFolded
	im.ScoringModel = "bm25"
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false

	dm := mapping.NewDocumentStaticMapping()
	add := func(prop string, fields ...*mapping.FieldMapping) {
		sub := mapping.NewDocumentStaticMapping()
		for _, f := range fields {
			sub.AddFieldMapping(f)
		}
		dm.AddSubDocumentMapping(prop, sub)
	}
	// No composite "_all" field: nothing searches it, and bleve would
	// still visit every field of every document to build it.
	dm.AddSubDocumentMapping("_all", mapping.NewDocumentDisabledMapping())
	add(fID, keywordField(fID, true, false))
	add(fURL, keywordField(fURL, true, false))
	add(fText,
		textField(fTextFolded, analyzerFolded, false, true),
		textField(fTextExact, analyzerExact, false, false))
	add(fTitle,
		textField(fTitle, analyzerExact, true, false),
		textField(fTitleFolded, analyzerFolded, false, false),
		textField(fTitleBigram, analyzerBigram, false, true))
	add(fBody, storedOnly(fBody))
	add(fCaptions, storedOnly(fCaptions))
	add(fFileNames, storedOnly(fFileNames))
	add(fFileTexts, storedOnly(fFileTexts))
	// Searched by tep:/file: only (the plain words find the same text in
	// fText): positions for its phrases, the exact view for accents.
	add(fFilesFolded, textField(fFilesFolded, analyzerFolded, false, true))
	add(fFilesExact, textField(fFilesExact, analyzerExact, false, false))
	add(fAuthor,
		textField(fAuthor, analyzerExact, true, false),
		textField(fAuthorFolded, analyzerFolded, false, true))
	add(fAuthorKW, keywordField(fAuthorKW, false, true))
	add(fCrumb,
		textField(fCrumb, analyzerExact, true, false),
		textField(fCrumbFolded, analyzerFolded, false, true))
	add(fCategory, keywordField(fCategory, true, true))
	add(fCatText,
		textField(fCatText, analyzerExact, false, false),
		textField(fCatFolded, analyzerFolded, false, true))
	add(fStatus, keywordField(fStatus, true, false))

	pub := mapping.NewDateTimeFieldMapping()
	pub.Name = fPublished
	pub.IncludeInAll = false
	pub.Store = false
	add(fPublished, pub)
	add(fPublishedStr, storedOnly(fPublishedStr))
	add(fYear, keywordField(fYear, false, true))
	day := mapping.NewNumericFieldMapping()
	day.Name = fDay
	day.Store = false
	day.IncludeInAll = false
	day.DocValues = false
	add(fDay, day)

	im.DefaultMapping = dm
	return im, im.Validate()
}

// parsePublished parses the Published forms that Document allows. A date
// without a time zone is taken as Vietnam time (UTC+7).
func parsePublished(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	// A date written without its zone is Vietnam's.
	for _, layout := range []string{"2006-01-02", "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, vntime.Zone); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// dayNumber is the calendar day of t in its own location, as 20200307.
func dayNumber(t time.Time) float64 {
	y, m, d := t.Date()
	return float64(y*10000 + int(m)*100 + d)
}

// vietnamDay is t in Vietnam time, whose calendar day and year the index
// keeps: the day the page shows (a time a site gives in UTC, 20:00 on 31
// December, is 1 January there) and the catalog's date filter reads.
func vietnamDay(t time.Time) time.Time { return t.In(vntime.Zone) }

// keywordValue is how category and author are stored as keywords: NFC,
// trimmed, inner runs of spaces collapsed. Filters apply the same.
func keywordValue(s string) string { return vntext.Whole(s) }

// bleveDoc turns a Document into the map that the mapping above indexes.
// Empty values are left out so that facets do not count "".
func bleveDoc(d Document) (map[string]interface{}, bool) {
	m := map[string]interface{}{
		fID:     d.ID,
		fStatus: "live",
	}
	set := func(k, v string) {
		if strings.TrimSpace(v) != "" {
			m[k] = v
		}
	}
	set(fURL, d.URL)
	set(fTitle, d.Title)
	if strings.TrimSpace(d.Body) != "" {
		m[fBody] = d.Body
	}
	set(fAuthor, d.Author)
	set(fAuthorKW, keywordValue(cmp.Or(strings.TrimSpace(d.AuthorName), d.Author)))
	set(fCategory, keywordValue(d.Category))
	set(fCatText, d.Category)
	set(fStatus, strings.ToLower(strings.TrimSpace(d.Status)))
	set(fPublishedStr, d.Published)
	var crumbs, caps []string
	for _, c := range d.Breadcrumb {
		if strings.TrimSpace(c) != "" {
			crumbs = append(crumbs, c)
		}
	}
	for _, c := range d.Captions {
		if strings.TrimSpace(c) != "" {
			caps = append(caps, c)
		}
	}
	if len(crumbs) > 0 {
		m[fCrumb] = crumbs
	}
	if len(caps) > 0 {
		m[fCaptions] = caps
	}
	// The searchable texts, each a separate value (see fText). The
	// breadcrumb is left out: on this site it repeats the category, and
	// plain words matching both doubled the weight of category names.
	var text []string
	for _, t := range append([]string{d.Title, d.Body}, caps...) {
		if strings.TrimSpace(t) != "" {
			text = append(text, t)
		}
	}
	var names, files []string
	for _, f := range d.Files {
		if strings.TrimSpace(f.Text) != "" {
			names, files = append(names, f.Name), append(files, f.Text)
			text = append(text, f.Text)
		}
	}
	if len(files) > 0 {
		m[fFileNames], m[fFileTexts] = names, files
		all := strings.Join(files, valueSep)
		m[fFilesFolded], m[fFilesExact] = all, all
	}
	for _, t := range []string{d.Author, d.Category} {
		if strings.TrimSpace(t) != "" {
			text = append(text, t)
		}
	}
	if len(text) > 0 {
		// One value, not an array: bleve merges the token lists of an
		// array's elements, which cost more than analyzing them.
		m[fText] = strings.Join(text, valueSep)
	}
	dateOK := true
	if t, ok := parsePublished(d.Published); ok {
		m[fPublished] = t
		m[fYear] = strconv.Itoa(vietnamDay(t).Year())
		m[fDay] = dayNumber(vietnamDay(t))
	} else if strings.TrimSpace(d.Published) != "" {
		dateOK = false
	}
	return m, dateOK
}
