// Package index owns tulieu's full-text search: a Bleve (scorch) index of
// the archived articles, the Vietnamese analysis it is built with, the
// query language users type (QueryHelp) and the snippets shown with each
// hit. The catalog (package store) is the source of truth; this index is
// a derived, rebuildable view of it: Seq/SetSeq record how far the
// catalog's change log has been applied, and Open reports an unreadable
// or incompatible index as ErrCorrupt so that the caller can Remove it
// and rebuild from the catalog.
//
// # Analysis
//
// Bleve's "standard" analyzer is not used: its English stop list drops
// the Vietnamese syllables "an", "to", "no", "be". Instead every analyzer
// here is the unicode (UAX #29) tokenizer followed by token filters
// written in this package on top of package vntext:
//
//   - tulieu_vn_exact: NFC, lower case, tone marks normalized ("hoà" and
//     "hòa" index the same term), accents kept;
//   - tulieu_vn_folded: the same, then all marks removed and đ → d;
//   - tulieu_vn_bigram: folded, then shingles of two syllables ("chi bo").
//
// Folding is a token filter, not a char filter, so token offsets always
// point into the original text and a match on "thanh hoa" highlights the
// author's "Thanh Hóa" (or "Thanh Hoá") in the stored body.
//
// # Fields
//
// Each text property is indexed in two views fed the same text:
// title/title_folded, body/body_folded, author/author_folded,
// breadcrumb/breadcrumb_folded, category_text/category_folded,
// captions/captions_folded; title and body also go to
// title_bigram/body_bigram. Only the folded views keep term vectors
// (positions, for phrases); the exact views serve term matches for
// ranking. Keyword fields: id, url, category (exact, for the filter and
// the facet), author_kw (facet), status, year ("2020"). published is a
// datetime (sorting), day a number 20200307 (inclusive day filters and
// year ranges, in the date's own time zone, so a date written
// "2020-03-07" is that day whatever the server's zone). Scoring is BM25.
//
// # Ranking
//
// A plain word must match in some text field, folded (accents optional).
// Each word is a disjunction over the folded fields and their exact
// twins (title 3, body 1, captions 0.5, author 1, category 0.7), so a
// match with the same accents scores higher than one without; when the
// word was typed with accents, a match that has other accents ("diễn"
// for "điện") weighs only a quarter. Adjacent query words add optional
// clauses: the folded bigram in title (4) and body (2), required to have
// the accented words with their accents, and the two-word phrase in the
// author (2). So "sinh hoạt chi bộ" ranks documents with those words
// together above documents with the syllables apart. Relevance is the
// only sort key besides the ID (a second key would read doc values for
// every match).
//
// # Highlighting
//
// Searches do not ask bleve for term locations (reading them for every
// match was the most expensive part of a search). The title and the
// snippet of each hit are highlighted afterwards: the stored text is cut
// into words, each normalized and folded through the analyzers' caches,
// and words whose folded form the query asked for are marked. Offsets are
// those of the stored text, so the author's spelling is kept.
//
// testdata/quality.json holds the search-quality expectations
// (TestSearchQuality); index/cmd/searchbench measures the index at scale.
package index
