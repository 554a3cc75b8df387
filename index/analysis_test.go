package index

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
)

func terms(ts analysis.TokenStream) []string {
	var out []string
	for _, t := range ts {
		out = append(out, string(t.Term))
	}
	return out
}

func TestWordTokenizer(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"Đảng ủy Khối, năm 2020!", []string{"Đảng", "ủy", "Khối", "năm", "2020"}},
		{nfd("Thanh Hoá") + "—x", []string{nfd("Thanh"), nfd("Hoá"), "x"}},
		{"05-CT/TW", []string{"05", "CT", "TW"}},
		// Numbers keep their decimal comma and group separators; dates,
		// versions, numbered items, ranges and the ends of sentences
		// split.
		{"đạt 99,8%, tăng 1.000.000 đồng; 12.500,75 tỷ", []string{"đạt", "99,8", "tăng", "1.000.000", "đồng", "12.500,75", "tỷ"}},
		{"ngày 6.12.2026, công nghiệp 4.0, mục (12.3), 1.0000 2.000", []string{"ngày", "6", "12", "2026", "công", "nghiệp", "4", "0", "mục", "12", "3", "1", "0000", "2.000"}},
		{"năm 2020. Từ 2019..2021, ngày 6/12/2026, a,1 1,b ,5 5,", []string{"năm", "2020", "Từ", "2019", "2021", "ngày", "6", "12", "2026", "a", "1", "1", "b", "5", "5"}},
		// Lists of numbers written without spaces split at every comma;
		// a fraction keeps at most three digits after its comma.
		{"các năm 2019,2020 và khoản 1,2,3; 3,14159 và 2,5,", []string{"các", "năm", "2019", "2020", "và", "khoản", "1", "2", "3", "3", "14159", "và", "2,5"}},
		{"1.000,5,6 12,345", []string{"1.000", "5", "6", "12,345"}},
		{"a×b ÷ c", []string{"a", "b", "c"}},
		{"北京abc", []string{"北", "京", "abc"}},
		{"", nil},
		{"  …  ", nil},
	}
	for _, c := range cases {
		got := terms(wordTokenizer{}.Tokenize([]byte(c.in)))
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Tokenize(%q) = %q, want %q", c.in, got, c.want)
		}
		// The highlighter finds the same words.
		var spans []string
		scanWords(c.in, func(s, e int, _ bool) { spans = append(spans, c.in[s:e]) })
		if !reflect.DeepEqual(spans, c.want) {
			t.Errorf("scanWords(%q) = %q, want %q", c.in, spans, c.want)
		}
	}
	// Offsets and positions; a value separator leaves a position gap.
	toks := wordTokenizer{}.Tokenize([]byte("chi bộ" + valueSep + "sinh"))
	var pos []int
	for _, tk := range toks {
		pos = append(pos, tk.Position)
	}
	if !reflect.DeepEqual(pos, []int{1, 2, 4}) || toks[1].Start != 4 || toks[1].End != 8 {
		t.Errorf("positions %v, token 2 at %d..%d", pos, toks[1].Start, toks[1].End)
	}
}

// FuzzWordTokenizer checks what the index and the highlighter rely on:
// words are ordered, non-overlapping ranges of the text holding no space
// and no separator; the string and byte scans agree; and a word
// tokenized alone is that one word (a query typed as a word finds it).
func FuzzWordTokenizer(f *testing.F) {
	for _, s := range []string{"đạt 99,8%, tăng 1.000.000 đồng", "2019,2020 và 1,2,3", "1.000,5,6 12,345",
		"6.12.2026", "北京abc", "chi bộ" + valueSep + "sinh", "1,2345,6 1.2,5 ,5, 5,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var spans [][2]int
		scanWords(text, func(s, e int, _ bool) { spans = append(spans, [2]int{s, e}) })
		var fromBytes [][2]int
		scanWords([]byte(text), func(s, e int, _ bool) { fromBytes = append(fromBytes, [2]int{s, e}) })
		if !reflect.DeepEqual(spans, fromBytes) {
			t.Fatalf("string scan %v, byte scan %v", spans, fromBytes)
		}
		last := 0
		for _, sp := range spans {
			word := text[sp[0]:sp[1]]
			if sp[0] < last || sp[1] <= sp[0] || strings.ContainsAny(word, " \t\n"+valueSep) {
				t.Fatalf("word %q at %v after %d", word, sp, last)
			}
			last = sp[1]
			if got := terms(wordTokenizer{}.Tokenize([]byte(word))); len(got) != 1 || got[0] != word {
				t.Fatalf("word %q of %q tokenized alone: %q", word, text, got)
			}
		}
	})
}

func TestBigramFilter(t *testing.T) {
	a := analysis.DefaultAnalyzer{Tokenizer: wordTokenizer{},
		TokenFilters: []analysis.TokenFilter{normalizeFilter{}, foldFilter{}, bigramFilter{}}}
	ts := a.Analyze([]byte("Sinh hoạt chi bộ" + valueSep + "Đảng ủy"))
	want := []string{"sinh hoat", "hoat chi", "chi bo", "dang uy"}
	if got := terms(ts); !reflect.DeepEqual(got, want) {
		t.Fatalf("pairs %q, want %q (none across the separator)", got, want)
	}
	if ts[1].Position != 2 || ts[3].Position != 6 {
		t.Errorf("pair positions %d, %d", ts[1].Position, ts[3].Position)
	}
	if got := terms(a.Analyze([]byte("một"))); len(got) != 0 {
		t.Errorf("one word gave pairs %q", got)
	}
}

// The texts of an article are indexed as one value; a phrase must not
// match across the end of the title and the start of the body, nor a
// pair of adjacent words count across it.
func TestNoPhraseAcrossTexts(t *testing.T) {
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	defer ix.Close()
	ctx := context.Background()
	docs := []Document{
		{ID: "1", Title: "Hội nghị chi bộ", Body: "Sinh hoạt thường kỳ."},
		{ID: "2", Title: "Bàn về", Body: "chi bộ sinh hoạt thường kỳ", Author: "Lê Văn"},
	}
	if err := ix.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string][]string{
		`"bộ sinh hoạt"`:      {"2"},
		`"chi bộ sinh"`:       {"2"},
		`"kỳ lê văn"`:         nil,
		`"thường kỳ"`:         {"1", "2"},
		`"hội nghị chi bộ"`:   {"1"},
		`"nghị chi bộ sinh"`:  nil,
		`tieude:"chi bộ"`:     {"1"},
		`"chi bộ" "bàn về"`:   {"2"},
		`"về chi bộ"`:         nil,
		`tacgia:"van"`:        {"2"},
		`"bộ sinh hoạt" -bàn`: nil,
	} {
		r, err := ix.Search(ctx, Request{Query: q})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if !sameSet(ids(r), want) {
			t.Errorf("%s: got %v, want %v", q, ids(r), want)
		}
	}
}
