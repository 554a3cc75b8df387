package index

import (
	"context"
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

// phraseAtPositions is what bleve's phrase searcher over a bigram view
// with positions finds (as the index did before text_bigram dropped
// them): the pairs of the phrase's folded words at consecutive
// positions of the text's pair tokens.
func phraseAtPositions(pairs analysis.TokenStream, folded []string) bool {
	at := map[int]string{}
	for _, t := range pairs {
		at[t.Position] = string(t.Term)
	}
	for _, t := range pairs {
		ok := true
		for k := 0; k+1 < len(folded) && ok; k++ {
			ok = at[t.Position+k] == folded[k]+" "+folded[k+1]
		}
		if ok {
			return true
		}
	}
	return false
}

func checkWordSequence(t *testing.T, bigram analysis.Analyzer, text, phrase string) bool {
	t.Helper()
	_, folded := analyze(phrase)
	if len(folded) < 2 {
		return false
	}
	want := phraseAtPositions(bigram.Analyze([]byte(text)), folded)
	src := &viewSource{value: []byte(text)}
	got := seqContains(src.wordSequence(), []byte(strings.Join(folded, " ")))
	if got != want {
		t.Errorf("phrase %q in %q: word sequence says %v, positions %v", phrase, text, got, want)
	}
	return want
}

// TestWordSequenceMatchesPositions checks that a phrase is in the word
// sequence of a text exactly when its pairs stand at consecutive
// positions of the text's bigram view.
func TestWordSequenceMatchesPositions(t *testing.T) {
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	bigram := im.AnalyzerNamed(analyzerBigram)
	rnd := rand.New(rand.NewPCG(5, 5))
	found, checked := 0, 0
	for _, d := range append(genDocs(40), corpus...) {
		m, _ := bleveDoc(d)
		text, _ := m[fText].(string)
		var words []string
		scanWords(text, func(s, e int, gap bool) {
			if gap {
				words = append(words, valueSep)
			}
			words = append(words, text[s:e])
		})
		for range 30 {
			if len(words) < 3 {
				break
			}
			n := 2 + rnd.IntN(4)
			i := rnd.IntN(max(len(words)-n, 1))
			w := slices.Clone(words[i:min(i+n, len(words))])
			switch rnd.IntN(4) {
			case 0: // another word in the middle
				w[len(w)/2] = words[rnd.IntN(len(words))]
			case 1: // swapped
				w[0], w[len(w)-1] = w[len(w)-1], w[0]
			}
			phrase := strings.Join(w, " ") // a valueSep is not a word of a query
			if checkWordSequence(t, bigram, text, phrase) {
				found++
			}
			checked++
		}
	}
	for _, c := range [][2]string{
		{"chi bộ sinh hoạt" + valueSep + "đảng viên", "sinh hoạt đảng"},
		{"chi bộ sinh hoạt" + valueSep + "đảng viên", "bộ sinh hoạt"},
		{"ab abc abcd", "bc abcd"},
		{"xabc abc d", "abc d e"},
		{"Hoà BÌNH hoà thuận", "hòa binh hoa"},
		{"a b a b a c", "a b a c"},
	} {
		checkWordSequence(t, bigram, c[0], c[1])
	}
	if found < checked/4 || found == checked {
		t.Errorf("%d of %d phrases found: the sample does not test both answers", found, checked)
	}
}

func FuzzWordSequence(f *testing.F) {
	for _, s := range [][2]string{
		{"chi bộ sinh hoạt\u2029đảng viên", "sinh hoạt đảng"},
		{"Thanh Hoá thanh hóa THANH HOA", "hoa thanh hoa"},
		{"a\u0301 b c", "á b c"},
		{"漢字 ký tự", "字 ký tự"},
	} {
		f.Add(s[0], s[1])
	}
	im, err := newMapping()
	if err != nil {
		f.Fatal(err)
	}
	bigram := im.AnalyzerNamed(analyzerBigram)
	f.Fuzz(func(t *testing.T, text, phrase string) {
		checkWordSequence(t, bigram, text, phrase)
	})
}

// hiddenSnapshot hides the scorch snapshot under an IndexReader, so
// that seqReader takes its general path.
type hiddenSnapshot struct{ bindex.IndexReader }

// TestSeqPhraseSearch runs phrases of three words or more on an index
// of several segments, some documents replaced and some deleted, and
// compares the matches with the phrases found in the documents' text,
// and their scores with those of the pairs' conjunction.
func TestSeqPhraseSearch(t *testing.T) {
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	defer ix.Close()
	ctx := context.Background()
	docs := genDocs(500)
	// Several Puts make several segments per shard; the second version
	// of a document leaves the first one deleted in an earlier segment.
	for i := 0; i < len(docs); i += 100 {
		if err := ix.Put(ctx, docs[i:i+100]...); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < len(docs); i += 7 {
		docs[i].Body = docs[(i+250)%len(docs)].Body
		if err := ix.Put(ctx, docs[i]); err != nil {
			t.Fatal(err)
		}
	}
	var gone []string
	for i := 3; i < len(docs); i += 50 {
		gone = append(gone, docs[i].ID)
	}
	if err := ix.Delete(ctx, gone...); err != nil {
		t.Fatal(err)
	}
	live := map[string]string{} // ID → text
	seqs := map[string][]byte{} // ID → word sequence
	for _, d := range docs {
		if !slices.Contains(gone, d.ID) {
			m, _ := bleveDoc(d)
			live[d.ID], _ = m[fText].(string)
			seqs[d.ID] = (&viewSource{value: []byte(live[d.ID])}).wordSequence()
		}
	}
	var phrases []string
	for _, k := range []int{3, 4} {
		for _, q := range benchGen().Queries(20, benchcorpus.QueryKind{Syllables: k, Phrase: true, Accented: k == 4}, 11) {
			phrases = append(phrases, strings.Trim(q, `"`))
		}
	}
	// Phrases taken from the texts, so that most have matches.
	rnd := rand.New(rand.NewPCG(9, 9))
	for i := range 40 {
		var words []string
		scanWords(live[docs[i*11%len(docs)].ID], func(s, e int, _ bool) {
			words = append(words, live[docs[i*11%len(docs)].ID][s:e])
		})
		if len(words) > 6 {
			j := rnd.IntN(len(words) - 5)
			phrases = append(phrases, strings.Join(words[j:j+3+i%3], " "))
		}
	}
	segments, matched := 0, 0
	for k, sh := range ix.shards {
		rd := shardReader(t, sh)
		if is, ok := rd.(*scorch.IndexSnapshot); ok {
			segments += len(is.Segments())
		}
		for _, p := range phrases {
			_, folded := analyze(p)
			want := map[string]bool{}
			for id, seq := range seqs {
				if ix.shardOf(id) == k && seqContains(seq, []byte(strings.Join(folded, " "))) {
					want[id] = true
				}
			}
			q := &seqPhraseQuery{words: folded, pairField: fTextBigram, seqField: fTextSeq, boost: 1.5}
			got := collectAll(t, q, rd)
			conj := query.NewConjunctionQuery(nil)
			for j := 0; j+1 < len(folded); j++ {
				conj.AddQuery(termQuery(folded[j]+" "+folded[j+1], fTextBigram, 1.5))
			}
			scores := collectAll(t, conj, rd)
			for id := range got {
				if !want[id] {
					t.Errorf("%q: %s found without the phrase", p, id)
				}
				if math.Abs(got[id]-scores[id]) > 1e-9 {
					t.Errorf("%q: %s scores %v, the pairs' conjunction %v", p, id, got[id], scores[id])
				}
			}
			for id := range want {
				if _, ok := got[id]; !ok {
					t.Errorf("%q: %s not found", p, id)
				}
			}
			matched += len(got)
		}
		// Both ways of reading a sequence agree, for every document.
		fast, slow := newSeqReader(rd, fTextSeq), newSeqReader(hiddenSnapshot{rd}, fTextSeq)
		if fast.segs == nil || slow.segs != nil {
			t.Fatal("seqReader did not take both paths")
		}
		ids, err := rd.DocIDReaderAll()
		if err != nil {
			t.Fatal(err)
		}
		for {
			id, err := ids.Next()
			if err != nil {
				t.Fatal(err)
			}
			if id == nil {
				break
			}
			a, err := fast.read(id)
			if err != nil {
				t.Fatal(err)
			}
			a = slices.Clone(a)
			b, err := slow.read(id)
			if err != nil {
				t.Fatal(err)
			}
			ext, _ := rd.ExternalID(id)
			if string(a) != string(b) || string(a) != string(seqs[ext]) {
				t.Fatalf("%s: word sequences differ", ext)
			}
		}
		ids.Close()
		rd.Close()
	}
	if segments <= len(ix.shards) {
		t.Errorf("%d segments in %d shards: the test needs several per shard", segments, len(ix.shards))
	}
	if matched < 50 {
		t.Errorf("only %d matches", matched)
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

func TestPackBody(t *testing.T) {
	for _, b := range []string{"", "Đảng bộ Khối các cơ quan tỉnh Thanh Hóa", strings.Repeat("chi bộ sinh hoạt ", 500)} {
		got, err := unpackBody(packBody(b))
		if err != nil || got != b {
			t.Errorf("%.20q: unpacked %.20q, %v", b, got, err)
		}
	}
	if _, err := unpackBody("Thanh Hóa, not packed"); err == nil {
		t.Error("a body that was not packed was read without an error")
	}
}
