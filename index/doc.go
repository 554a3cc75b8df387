// Package index owns tulieu's full-text search: a Bleve (scorch) index of
// the archived articles, the Vietnamese analysis it is built with, the
// query language users type (QueryHelp) and the snippets shown with each
// hit. The catalog (package store) is the source of truth; this index is
// a derived, rebuildable view of it: Seq/SetSeq record how far the
// catalog's change log has been applied, and Open reports an unreadable
// or incompatible index as ErrCorrupt so that the caller can Remove it
// and rebuild from the catalog.
//
// # Layout
//
// An index is a directory of shards (shard-00, shard-01: two Bleve
// indexes; a document goes to one by a hash of its ID) and
// tulieu_index.json, which names the schema and the number of shards and
// is written last on creation. Searches ask all shards at once, so one
// query uses both cores of the machines this runs on: searchShards does
// what a bleve IndexAlias does, but merges the shards' hits in a fixed
// order, so that hits tying on the sort page the same way every time.
// A clean Close leaves tulieu_closed.json with the documents per shard
// and the sequence; Open compares it with what the shards hold, because
// scorch silently falls back to an older snapshot when the newest is
// unreadable.
//
// Every batch of documents makes a segment per shard, and every search
// opens each of its words in every segment (segments.go). Compact merges
// the small segments a nightly update leaves; MergeAll, after a build,
// merges each shard into one segment, under a bound on the mapped pages
// it reads (internal/mmapadvice). Both return once the files of the
// segments merges replaced are deleted.
//
// # Analysis
//
// Bleve's "standard" analyzer is not used: its English stop list drops
// the Vietnamese syllables "an", "to", "no", "be". Every analyzer here is
// the tulieu_words tokenizer (runs of letters, combining marks and
// digits: a Vietnamese syllable, or a number with its decimal comma and
// groups of three, "12.500,75"; far cheaper than the UAX #29 tokenizer,
// and the same words the highlighter finds) followed by token filters
// written in this package on top of package vntext:
//
//   - tulieu_vn_exact: NFC, lower case, tone marks normalized ("hoà" and
//     "hòa" index the same term), accents kept;
//   - tulieu_vn_folded: the same, then all marks removed and đ → d, and
//     a final "y" that stands alone after a consonant (or in "quy")
//     written "i", as the other spelling of the same syllable ("kỷ" and
//     "kỉ", "lý" and "lí": foldTerm);
//   - tulieu_vn_bigram: folded, then each pair of adjacent words as one
//     term ("chi bo"), at the position of the first.
//
// Folding is a token filter, not a char filter, so token offsets always
// point into the original text and a match on "thanh hoa" highlights the
// author's "Thanh Hóa" (or "Thanh Hoá").
//
// When documents are indexed, the views of one text do not each run
// their analyzer: shareViews tokenizes and normalizes the text once and
// counts each view's terms from that (views.go), with the same result as
// the analyzers, term for term (TestViewFieldsMatchAnalyzers,
// FuzzViewFields). Queries and any other path use the analyzers.
//
// # Fields
//
// The searchable texts of an article (title, body, captions, author,
// category) are joined into one value, text, separated by U+2029, which
// leaves a gap in the word positions so that no pair and no phrase spans
// two texts. It is indexed in two views: text_folded (what a plain word
// must match; with positions, for phrases and adjacent words) and
// text_exact (ranking). One field per view instead of one per property
// means one postings list per query word. The text has no bigram view:
// it was half of the CPU and memory of building the index, against an
// eighth for the folded view's positions (BENCHMARKS.md). The title has
// three views (title, title_folded, title_bigram, which keeps positions)
// for its weight and tieude:; author, category text and breadcrumb have
// an exact and a folded view (with positions) for tacgia: and
// chuyenmuc:, and the author also for its weight. Body and captions are
// stored for snippets, not indexed on their own. Keyword fields: id,
// url, category (for the filter and the facet), author_kw (facet),
// status, year ("2020"). published is a datetime (sorting), day a number
// 20200307 (inclusive day filters and year ranges, in the date's own
// time zone). There is no composite _all field. Scoring is BM25, every
// shard scoring with the whole index's average field lengths
// (bm25stats.go: bleve takes them from the context, as for an alias's
// global scoring), so that the same article scores the same in either
// shard; a word's idf is its shard's (documents and document frequency).
// Where a view keeps positions, it keeps the word positions only, not
// the words' byte offsets, which nothing reads from the index (see
// Highlighting); an index written before that still holds them and is
// read the same.
//
// # Ranking
//
// A plain word must match the folded text (accents optional). It is a
// disjunction of term clauses: folded and exact views of text (weight 1),
// title (3) and author (1), so a match with the accents as typed scores
// higher; when the word was typed with accents, a folded-only match
// ("diễn" for "điện") weighs a quarter. Adjacent query words add optional
// clauses, required to have the accented words with their accents: their
// bigram in the title (4), and in the text the two words next to each
// other (8), scored as one term would be, with the idf of two independent
// words (adjacentQuery, positions.go). So "sinh hoạt chi bộ" ranks
// documents with those words together above documents with the
// syllables apart. A phrase is, in the title, one bigram term or a
// phrase of n-1 bigrams (rarer terms than the words, so far fewer
// positions to compare); in the text, the intersection of its words'
// postings bitmaps, whose positions are then read (textPhraseQuery,
// scored as bleve's phrase query). Relevance is the only sort key (a
// second one is read for every match, not just the hits).
//
// # Plain-word searches
//
// A search of plain words only (the most common kind) does not go
// through bleve's tree of searchers: flatQuery evaluates the same clauses
// with the same scores in one loop (TestFlatMatchesBleve compares the
// two), walking only the folded text term of each word to find
// candidates. When results are sorted by relevance (and nothing else,
// no filter, no facets) it keeps the k best scores so far and prunes:
//
//   - The candidates are the intersection of the words' postings
//     bitmaps, segment by segment (scorch's unadorned conjunction), read
//     as document numbers; frequencies and norms are decoded only for
//     the candidates that are scored.
//   - A candidate that cannot reach the k-th best score even if its
//     words, their common exact-accent clauses and the adjacent words
//     matched at their BM25 maximum is not scored further.
//   - Positions are read last: only for a candidate that would reach the
//     k-th best score if its words were next to each other as often as
//     the rarer of them occurs.
//   - The other clauses (title, author, rare exact terms, bigrams) are
//     ordered by how much they can add. Those that together cannot lift
//     a candidate to the k-th best score are non-essential; a candidate
//     that none of the essential ones matches is skipped without reading
//     anything but its number, and so is every candidate before the next
//     posting of an essential clause (MaxScore, Turtle and Flood 1995).
//     Skipped candidates never reach bleve's collector; their number is
//     added to the total.
//
// The top k and the total are those of the full evaluation.
//
// # Facets
//
// Category, author and year, asked for by the web page. For a plain-word
// search they are counted apart from the search (facets.go), so that its
// matches need not all reach bleve's collector: in each segment the
// matches are the intersection of the words' postings bitmaps, and each
// match's values are read from the segment's facet columns
// (facetcols.go: one small integer per document and field), counted in
// arrays that the shards add up through the index's global ordinals. Other
// searches use bleve's facets, asked for all values of each shard (bleve
// trims each shard's before adding them up). Either way the counts are
// exact and the 30 most frequent values are returned.
//
// # Highlighting
//
// Searches do not ask bleve for term locations (reading them for every
// match was the most expensive part of a search). The title and the
// snippet of each hit are highlighted afterwards: the stored text is cut
// into words (scanWords), each mapped through a cache to its folded term,
// and words whose folded form the query asked for are marked. Offsets are
// those of the stored text, so the author's spelling is kept.
//
// # Exports
//
// MatchIDs gives every match of a request, newest first, for exports that
// take a whole result set. It runs the query's searcher unscored and
// reads each match's date from doc values and its id from the segment's
// "_id" dictionary uninverted (matchwalk.go), never its stored fields;
// TestMatchWalkEqualsSearchAfter compares it with bleve's own walk.
//
// testdata/quality.json holds the search-quality expectations
// (TestSearchQuality); index/cmd/searchbench measures the index at scale.
package index
