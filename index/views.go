package index

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Indexing analyzes each text of an article once for all its views.
//
// The mapping indexes a text in several fields, one per view: text_exact
// and text_folded (title, title_folded and title_bigram) have the same
// value and differ only by analyzer. Bleve analyzes every field on its
// own: the 5 KB of an article's text tokenized twice, each token
// normalized twice, a Token and a map entry made for each. shareViews replaces
// those fields of a mapped document by viewFields that tokenize and
// normalize the value once and count each view's terms from the words.
// The result is the same, term for term, position for position
// (TestViewFieldsMatchAnalyzers, FuzzViewFields; the locations' byte
// offsets are left out, see freqCounter.add); the mapping stays the
// one description of the fields, and the analyzers stay what queries
// and any other path use.

// viewKind is the analysis a view of a text applies.
type viewKind uint8

const (
	viewExact  viewKind = iota // analyzerExact: normalized words
	viewFolded                 // analyzerFolded: normalized, then folded
	viewBigram                 // analyzerBigram: pairs of adjacent folded words
)

// viewAnalyzers tells, for the analyzers of one index mapping, which
// view each makes.
type viewAnalyzers map[analysis.Analyzer]viewKind

func newViewAnalyzers(m mapping.IndexMapping) viewAnalyzers {
	va := viewAnalyzers{}
	for name, k := range map[string]viewKind{analyzerExact: viewExact, analyzerFolded: viewFolded, analyzerBigram: viewBigram} {
		if a := m.AnalyzerNamed(name); a != nil {
			va[a] = k
		}
	}
	return va
}

// shareViews replaces the text fields of doc that one of our analyzers
// would analyze by viewFields; fields with the same value share one
// analysis.
func shareViews(doc *document.Document, va viewAnalyzers) {
	var sources map[string]*viewSource
	for i, f := range doc.Fields {
		tf, ok := f.(*document.TextField)
		if !ok {
			continue
		}
		kind, ok := va[tf.Analyzer()]
		if !ok || !tf.Options().IsIndexed() {
			continue
		}
		if sources == nil {
			sources = map[string]*viewSource{}
		}
		src := sources[string(tf.Value())]
		if src == nil {
			src = &viewSource{value: tf.Value()}
			sources[string(tf.Value())] = src
		}
		src.users++
		doc.Fields[i] = &viewField{TextField: tf, kind: kind, src: src}
	}
}

// viewField is a text field analyzed through its viewSource. Everything
// but the analysis is the mapped TextField's.
type viewField struct {
	*document.TextField
	kind   viewKind
	src    *viewSource
	length int
	freqs  bindex.TokenFrequencies
}

func (f *viewField) Analyze() {
	f.length, f.freqs = f.src.frequencies(f.kind, f.ArrayPositions(), f.Options())
}

func (f *viewField) AnalyzedLength() int                               { return f.length }
func (f *viewField) AnalyzedTokenFrequencies() bindex.TokenFrequencies { return f.freqs }

func (f *viewField) Size() int {
	n := f.TextField.Size()
	if f.freqs != nil {
		n += f.freqs.Size()
	}
	return n
}

// viewSource is one text value and, once analyzed, its words.
type viewSource struct {
	value    []byte
	analyzed bool
	words    []viewWord
	// users is the number of fields whose analysis is still to come;
	// words are dropped after the last (the document, and so its
	// fields, is kept until its whole batch is indexed).
	users int
}

// viewWord is a word of the text as wordTokenizer finds it, with its
// normalized (normalizeFilter) and folded (foldFilter) terms.
type viewWord struct {
	pos           int
	exact, folded []byte
}

func (v *viewSource) analyze() {
	if v.analyzed {
		return
	}
	v.analyzed = true
	// Terms point into the value, stored or not. (Bleve analyzes a copy
	// of a stored value because its filters may rewrite terms in place,
	// the lower-case filter does; normalizeTerm and foldTerm never do.)
	text := v.value
	n := 0
	scanWords(text, func(int, int, bool) { n++ })
	v.words = make([]viewWord, 0, n)
	pos := 0
	scanWords(text, func(start, end int, gap bool) {
		pos++
		if gap {
			pos++
		}
		exact := normalizeCache.get(text[start:end:end], normalizeTerm)
		folded := exact
		if needsFold(exact) {
			folded = foldCache.get(exact, foldTerm)
		}
		v.words = append(v.words, viewWord{pos: pos, exact: exact, folded: folded})
	})
}

// frequencies is what bleve's TextField.Analyze computes for the view:
// the number of tokens and analysis.TokenFrequency of them. The entries
// and locations are carved out of a few slabs instead of allocated one
// by one (this runs for every view of every text).
func (v *viewSource) frequencies(kind viewKind, arrayPositions []uint64, opts bindex.FieldIndexingOptions) (int, bindex.TokenFrequencies) {
	v.analyze()
	var c freqCounter
	switch kind {
	case viewExact, viewFolded:
		c.init(len(v.words), len(v.words)/2, arrayPositions, opts)
		for _, w := range v.words {
			term := w.exact
			if kind == viewFolded {
				term = w.folded
			}
			c.add(term, w.pos)
		}
	case viewBigram:
		// As bigramFilter: pairs of words at adjacent positions, one
		// buffer for all their terms. Most pairs of a text are distinct.
		size := 0
		for _, w := range v.words {
			size += len(w.folded) + 1
		}
		buf := make([]byte, 0, 2*size)
		c.init(max(len(v.words)-1, 0), len(v.words), arrayPositions, opts)
		for i := 0; i+1 < len(v.words); i++ {
			a, b := v.words[i], v.words[i+1]
			if b.pos != a.pos+1 {
				continue
			}
			from := len(buf)
			buf = append(buf, a.folded...)
			buf = append(buf, ' ')
			buf = append(buf, b.folded...)
			c.add(buf[from:len(buf):len(buf)], a.pos)
		}
	}
	if v.users--; v.users <= 0 {
		v.words, v.analyzed = nil, false // (a later call analyzes again)
	}
	return c.n, c.freqs
}

// freqCounter builds the TokenFrequencies of a token stream, as
// analysis.TokenFrequency does.
type freqCounter struct {
	freqs          bindex.TokenFrequencies
	n              int // tokens added
	entries        []bindex.TokenFreq
	locs           []bindex.TokenLocation
	locPtrs        []*bindex.TokenLocation
	arrayPositions []uint64
	vectors, count bool
	maxTokens      int
}

// init prepares for at most maxTokens tokens, of about distinct terms.
func (c *freqCounter) init(maxTokens, distinct int, arrayPositions []uint64, opts bindex.FieldIndexingOptions) {
	c.freqs = make(bindex.TokenFrequencies, distinct)
	c.maxTokens = maxTokens
	c.vectors, c.count = opts.IncludeTermVectors(), !opts.SkipFreqNorm()
	c.arrayPositions = arrayPositions
	if c.vectors {
		// (Locations are kept per token, as bleve keeps them.)
		c.locs = make([]bindex.TokenLocation, maxTokens)
		c.locPtrs = make([]*bindex.TokenLocation, maxTokens)
	}
}

func (c *freqCounter) add(term []byte, pos int) {
	i := c.n
	c.n++
	tf := c.freqs[string(term)]
	if tf == nil {
		// Entries come from chunks; a full chunk is left to the entries
		// in it and never reallocated, so pointers into it stay valid. A
		// chunk holds no more entries than tokens are still to come:
		// most fields (a title, an author, a breadcrumb) are a few words,
		// and a chunk of 64 each was a ninth of a crawl's allocations.
		if len(c.entries) == cap(c.entries) {
			c.entries = make([]bindex.TokenFreq, 0, max(1, min(64, c.maxTokens-i)))
		}
		c.entries = append(c.entries, bindex.TokenFreq{Term: term})
		tf = &c.entries[len(c.entries)-1]
		c.freqs[string(term)] = tf
	}
	if c.vectors {
		// The location keeps the word's position and no byte offsets.
		// Positions answer phrases and adjacent words; nothing reads
		// offsets back from the index (snippets and titles are
		// highlighted from the stored text, see doc.go), and zap writes
		// them as two varints per word of every text: 11 % of the index
		// on disk, 18 % of the peak memory of a reindex (BENCHMARKS.md).
		c.locs[i] = bindex.TokenLocation{ArrayPositions: c.arrayPositions, Position: pos}
		if tf.Locations == nil {
			// A term's first location: one slot of the shared slice; a
			// second one (append) moves the term's locations out of it.
			c.locPtrs[i] = &c.locs[i]
			tf.Locations = c.locPtrs[i : i+1 : i+1]
		} else {
			tf.Locations = append(tf.Locations, &c.locs[i])
		}
	}
	if c.count {
		tf.SetFrequency(tf.Frequency() + 1)
	}
}
