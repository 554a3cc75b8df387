package index

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"tulieu/internal/benchcorpus"
)

// pairsAt is the reference for phrases in a text: its pair tokens by
// position, as the bigram analyzer (which the title's pair view uses)
// makes them.
func pairsAt(bigram analysis.Analyzer, text string) map[int]string {
	at := map[int]string{}
	for _, t := range bigram.Analyze([]byte(text)) {
		at[t.Position] = string(t.Term)
	}
	return at
}

// phraseAt reports whether the pairs of the phrase's folded words stand
// at consecutive positions of at.
func phraseAt(at map[int]string, folded []string) bool {
	for pos := range at {
		ok := true
		for k := 0; k+1 < len(folded) && ok; k++ {
			ok = at[pos+k] == folded[k]+" "+folded[k+1]
		}
		if ok {
			return true
		}
	}
	return false
}

// TestTextPhraseSearch runs phrases of two words or more on an index of
// several segments, some documents replaced and some deleted, and
// compares the matches with the phrases found in the documents' text by
// the bigram analyzer, and their scores with those of the words'
// conjunction (bleve's phrase searcher scores its conjunction).
func TestTextPhraseSearch(t *testing.T) {
	skipAtScaleUnderRace(t)
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	defer ix.Close()
	ctx := context.Background()
	docs := genDocs(500)
	for i, body := range []string{
		"chi bộ sinh hoạt", "Hoà BÌNH hoà thuận", "a b a b a c", "xabc abc d", "ab abc abcd",
	} {
		docs = append(docs, Document{ID: fmt.Sprintf("edge-%d", i), Title: "đảng viên", Body: body})
	}
	// Several Puts make several segments per shard; the second version
	// of a document leaves the first one deleted in an earlier segment.
	for i := 0; i < len(docs); i += 100 {
		if err := ix.Put(ctx, docs[i:min(i+100, len(docs))]...); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 500; i += 7 {
		docs[i].Body = docs[(i+250)%500].Body
		if err := ix.Put(ctx, docs[i]); err != nil {
			t.Fatal(err)
		}
	}
	var gone []string
	for i := 3; i < 500; i += 50 {
		gone = append(gone, docs[i].ID)
	}
	if err := ix.Delete(ctx, gone...); err != nil {
		t.Fatal(err)
	}
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	bigram := im.AnalyzerNamed(analyzerBigram)
	// The shards' readers first, before scorch merges their segments.
	readers := make([]bindex.IndexReader, len(ix.shards))
	segments := 0
	for k, sh := range ix.shards {
		readers[k] = shardReader(t, sh)
		if is, ok := readers[k].(*scorch.IndexSnapshot); ok {
			segments += len(is.Segments())
		}
	}
	live := map[string]string{}          // ID → text
	pairs := map[string]map[int]string{} // ID → its pairs by position
	for _, d := range docs {
		if !slices.Contains(gone, d.ID) {
			m, _ := bleveDoc(d)
			live[d.ID], _ = m[fText].(string)
			pairs[d.ID] = pairsAt(bigram, live[d.ID])
		}
	}
	phrases := []string{
		"sinh hoạt đảng", // across the gap between body and title
		"bộ sinh hoạt", "hòa binh hoa", "a b a c", "b a b", "abc d", "bc abcd", "dang vien",
	}
	for _, k := range []int{2, 3, 4} {
		for _, q := range benchGen().Queries(15, benchcorpus.QueryKind{Syllables: k, Phrase: true, Accented: k == 4}, 11) {
			phrases = append(phrases, strings.Trim(q, `"`))
		}
	}
	// Phrases taken from the texts, so that most have matches.
	rnd := rand.New(rand.NewPCG(9, 9))
	for i := range 40 {
		text := live[docs[i*11%500].ID]
		var words []string
		scanWords(text, func(s, e int, _ bool) { words = append(words, text[s:e]) })
		if len(words) > 6 {
			j := rnd.IntN(len(words) - 5)
			phrases = append(phrases, strings.Join(words[j:j+2+i%3], " "))
		}
	}
	t.Logf("%d segments", segments)
	matched, missed := 0, 0
	for k, rd := range readers {
		for _, p := range phrases {
			_, folded := analyze(p)
			want := map[string]bool{}
			for id, at := range pairs {
				if ix.shardOf(id) == k && phraseAt(at, folded) {
					want[id] = true
				}
			}
			got := collectAll(t, phraseQuery(folded, textFields, 1.5), rd)
			conj := query.NewConjunctionQuery(nil)
			for _, w := range folded {
				conj.AddQuery(termQuery(w, fTextFolded, 1.5))
			}
			scores := collectAll(t, conj, rd)
			for id := range got {
				if !want[id] {
					t.Errorf("%q: %s found without the phrase", p, id)
				}
				if math.Abs(got[id]-scores[id]) > 1e-9 {
					t.Errorf("%q: %s scores %v, the words' conjunction %v", p, id, got[id], scores[id])
				}
			}
			for id := range want {
				if _, ok := got[id]; !ok {
					t.Errorf("%q: %s not found", p, id)
				}
			}
			matched += len(got)
			missed += len(scores) - len(got) // the words, not as a phrase
		}
		rd.Close()
	}
	if segments <= len(ix.shards) {
		t.Errorf("%d segments in %d shards: the test needs several per shard", segments, len(ix.shards))
	}
	if matched < 50 || missed < 50 {
		t.Errorf("%d matches, %d documents with the words apart: the phrases do not test both answers", matched, missed)
	}
}

// TestCountFollows checks the count of adjacent words of the text's
// pairs, in one value and across the values of an array.
func TestCountFollows(t *testing.T) {
	loc := func(pos uint64, ap ...uint64) wordPos { return wordPos{pos: pos, ap: ap} }
	locs := func(l ...wordPos) []wordPos { return l }
	for _, c := range []struct {
		a, b []wordPos
		want uint64
	}{
		{locs(loc(1)), locs(loc(2)), 1},
		{locs(loc(2)), locs(loc(1)), 0},
		{locs(loc(1), loc(5), loc(9)), locs(loc(3), loc(6), loc(10)), 2},
		{locs(loc(1), loc(5), loc(9)), locs(loc(3), loc(7), loc(11)), 0},
		{locs(loc(1), loc(2), loc(3)), locs(loc(1), loc(2), loc(3)), 2}, // one term thrice in a row
		{locs(loc(1), loc(3)), locs(loc(1), loc(3)), 0},
		{locs(loc(4, 0)), locs(loc(5, 1)), 0}, // another value
		{locs(loc(4, 0), loc(1, 1)), locs(loc(3, 0), loc(2, 1)), 1},
		{locs(loc(4, 0), loc(1, 1)), locs(loc(5, 0), loc(2, 1)), 2},
		{nil, locs(loc(1)), 0},
		{locs(loc(1)), nil, 0},
	} {
		if got := countFollows(c.a, c.b); got != c.want {
			t.Errorf("countFollows(%v, %v) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

// collectAll runs q on r and returns the score of every match by ID.
func collectAll(t *testing.T, q query.Query, r bindex.IndexReader) map[string]float64 {
	t.Helper()
	bm25 := bm25Context(context.Background())
	s, err := q.Searcher(bm25, r, nil, search.SearcherOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	coll := collector.NewTopNCollector(100000, 0, search.ParseSortOrderStrings([]string{"-_score"}))
	if err := coll.Collect(bm25, s, r); err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, h := range coll.Results() {
		id, err := r.ExternalID(h.IndexInternalID)
		if err != nil {
			t.Fatal(err)
		}
		out[id] = h.Score
	}
	if len(out) != int(coll.Total()) {
		t.Fatalf("%d hits of %d", len(out), coll.Total())
	}
	return out
}

// FuzzCountPhrase compares countPhrase with a count by brute force, on
// location lists made from the input: per word, a set of (value,
// position) in the index's order.
func FuzzCountPhrase(f *testing.F) {
	f.Add([]byte{2, 1, 2, 3, 0, 2, 3, 4})
	f.Add([]byte{3, 1, 1, 1, 0, 0, 0, 0, 9, 9})
	f.Add([]byte{9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) < 2 {
			return
		}
		n := 1 + int(in[0])%10 // (countPhrase keeps up to 8 words on the stack)
		words := make([][]wordPos, n)
		for i, b := range in[1:] {
			// value (0 or 1) and position (1-8), from the byte
			ap, pos := uint64(b>>7), uint64(b&7)+1
			words[i%n] = append(words[i%n], wordPos{pos: pos, ap: []uint64{ap}})
		}
		for k, locs := range words {
			slices.SortFunc(locs, func(a, b wordPos) int { return cmpWordPos(a, b.ap, b.pos) })
			words[k] = slices.CompactFunc(locs, func(a, b wordPos) bool { return cmpWordPos(a, b.ap, b.pos) == 0 })
		}
		var want uint64
		for _, x := range words[0] {
			all := true
			for k := 1; k < n && all; k++ {
				all = slices.ContainsFunc(words[k], func(v wordPos) bool { return cmpWordPos(v, x.ap, x.pos+uint64(k)) == 0 })
			}
			if all {
				want++
			}
		}
		if got := countPhrase(words); got != want {
			t.Errorf("countPhrase = %d, want %d", got, want)
		}
	})
}

// hiddenBitmaps hides from posSearcher that scorch can intersect
// postings bitmaps, so that it takes its other path (candidates from the
// first word's postings).
type hiddenBitmaps struct{ bindex.IndexReader }

type plainTermReader struct{ bindex.TermFieldReader }

func (r hiddenBitmaps) TermFieldReader(ctx context.Context, term []byte, field string, freq, norm, vectors bool) (bindex.TermFieldReader, error) {
	tr, err := r.IndexReader.TermFieldReader(ctx, term, field, freq, norm, vectors)
	if err != nil {
		return nil, err
	}
	return plainTermReader{tr}, nil
}

// TestPosSearcherAdvance checks posSearcher's Advance, forward and
// backward, against its Next, and its two ways of finding candidates
// against each other, on an index of several segments.
func TestPosSearcherAdvance(t *testing.T) {
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	defer ix.Close()
	ctx := context.Background()
	bodies := []string{"xoai quyt ngon", "quyt xoai quyt", "xoai cam quyt", "xoai", "quyt xoai quyt xoai quyt"}
	var docs []Document
	for i := range 400 {
		docs = append(docs, Document{ID: fmt.Sprintf("d%03d", i), Title: "t", Body: bodies[i%len(bodies)]})
	}
	for i := 0; i < len(docs); i += 50 {
		if err := ix.Put(ctx, docs[i:i+50]...); err != nil {
			t.Fatal(err)
		}
	}
	bm25 := bm25Context(ctx)
	pool := func() *search.SearchContext {
		return &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(10, 0)}
	}
	// all returns every match by Next, and the scores by document.
	all := func(q query.Query, r bindex.IndexReader) ([]uint64, map[uint64]float64) {
		s, err := q.Searcher(bm25, r, nil, search.SearcherOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		sc := pool()
		var docs []uint64
		scores := map[uint64]float64{}
		for {
			dm, err := s.Next(sc)
			if err != nil {
				t.Fatal(err)
			}
			if dm == nil {
				return docs, scores
			}
			d := docNum(dm.IndexInternalID)
			if len(docs) > 0 && d <= docs[len(docs)-1] {
				t.Fatalf("%T: Next returned %d after %d", q, d, docs[len(docs)-1])
			}
			docs, scores[d] = append(docs, d), dm.Score
			sc.DocumentMatchPool.Put(dm)
		}
	}
	for _, q := range []query.Query{
		&adjacentQuery{field: fTextFolded, a: "xoai", b: "quyt", boost: 1},
		&textPhraseQuery{field: fTextFolded, words: []string{"quyt", "xoai", "quyt"}, boost: 1},
	} {
		for _, sh := range ix.shards {
			rd := shardReader(t, sh)
			docs, scores := all(q, rd)
			if len(docs) < 20 {
				t.Fatalf("%T: %d matches", q, len(docs))
			}
			other, _ := all(q, hiddenBitmaps{rd})
			if !slices.Equal(docs, other) {
				t.Errorf("%T: candidates from the first word find %v, from the intersection %v", q, other, docs)
			}
			if aq, ok := q.(*adjacentQuery); ok {
				checkPairScores(t, aq, rd)
			}
			s, err := q.Searcher(bm25, rd, nil, search.SearcherOptions{})
			if err != nil {
				t.Fatal(err)
			}
			sc := pool()
			rnd := rand.New(rand.NewPCG(1, 2))
			for i := range 300 {
				target := rnd.Uint64N(docs[len(docs)-1] + 3)
				dm, err := s.Advance(sc, bindex.NewIndexInternalID(nil, target))
				if err != nil {
					t.Fatal(err)
				}
				k, _ := slices.BinarySearch(docs, target)
				switch {
				case k == len(docs) && dm != nil:
					t.Fatalf("%T step %d: Advance(%d) = %d, want none", q, i, target, docNum(dm.IndexInternalID))
				case k < len(docs) && dm == nil:
					t.Fatalf("%T step %d: Advance(%d) = none, want %d", q, i, target, docs[k])
				case dm != nil:
					if d := docNum(dm.IndexInternalID); d != docs[k] || dm.Score != scores[d] {
						t.Fatalf("%T step %d: Advance(%d) = %d (%v), want %d (%v)", q, i, target, d, dm.Score, docs[k], scores[docs[k]])
					}
					sc.DocumentMatchPool.Put(dm)
				}
			}
			s.Close()
			rd.Close()
		}
	}
}

// checkPairScores compares the scores of q with bleve's term scores of
// its first word, in a corpus where every occurrence of that word in a
// document with the pair is followed by the second (so the pair occurs
// as often as the word, in the same length):
// they must differ only by the ratio of the idfs, the pair's being the
// sum of the words'. Each query is alone in a conjunction, which
// normalizes it as bleve does.
func checkPairScores(t *testing.T, q *adjacentQuery, r bindex.IndexReader) {
	t.Helper()
	pair := collectAll(t, query.NewConjunctionQuery([]query.Query{q}), r)
	word := collectAll(t, query.NewConjunctionQuery([]query.Query{termQuery(q.a, q.field, 1)}), r)
	n, _ := r.DocCount()
	avg, err := fieldAvgLen(r, q.field, n)
	if err != nil {
		t.Fatal(err)
	}
	df := func(term string) uint64 {
		tr, err := r.TermFieldReader(context.Background(), []byte(term), q.field, false, false, false)
		if err != nil {
			t.Fatal(err)
		}
		defer tr.Close()
		return tr.Count()
	}
	idfA, idfB := termIDF(n, df(q.a), avg), termIDF(n, df(q.b), avg)
	ratio := (idfA + idfB) / idfA
	checked := 0
	for id, got := range pair {
		if w, ok := word[id]; ok {
			if math.Abs(got-w*ratio) > 1e-9*got {
				t.Errorf("%s: pair scores %v, word %v × %v", id, got, w, ratio)
			}
			checked++
		}
	}
	if checked < 10 {
		t.Errorf("%d pair scores checked", checked)
	}
}
