package benchcorpus

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"tulieu/vntext"
)

func TestDeterministic(t *testing.T) {
	a, b := New(1), New(1)
	for _, i := range []int{0, 1, 999, 123456} {
		if !reflect.DeepEqual(a.Article(i), b.Article(i)) {
			t.Errorf("article %d differs between generators with the same seed", i)
		}
	}
	if reflect.DeepEqual(New(2).Article(0), a.Article(0)) {
		t.Error("seeds 1 and 2 give the same article")
	}
	q1 := a.Queries(20, QueryKind{Syllables: 2, Accented: true}, 7)
	q2 := b.Queries(20, QueryKind{Syllables: 2, Accented: true}, 7)
	if !reflect.DeepEqual(q1, q2) {
		t.Error("queries are not deterministic")
	}
}

func TestShape(t *testing.T) {
	g := New(1)
	if v := g.Vocabulary(); v < 1500 {
		t.Errorf("vocabulary %d syllables, want a few thousand", v)
	}
	old, nfd := 0, 0
	var total int
	for i := range 300 {
		a := g.Article(i)
		title := len(strings.Fields(a.Title))
		body := len(strings.Fields(a.Body))
		total += body
		if title < 8 || title > 22 {
			t.Errorf("article %d: title of %d words: %q", i, title, a.Title)
		}
		if body < 290 || body > 1600 {
			t.Errorf("article %d: body of %d words", i, body)
		}
		if !utf8.ValidString(a.Body) || !strings.Contains(a.Body, "\n\n") {
			t.Errorf("article %d: bad body", i)
		}
		if !strings.HasPrefix(a.Published, "20") || a.Published[:4] < "2015" || a.Published[:4] > "2025" {
			t.Errorf("article %d: published %q", i, a.Published)
		}
		if strings.Contains(a.Body, "oà ") || strings.Contains(a.Body, "uý") || strings.Contains(a.Body, "oẻ") {
			old++
		}
		if vntext.NFC(a.Body) != a.Body {
			nfd++
		}
		r := g.Revision(i, 1)
		if r.ID != a.ID || r.Title == a.Title || r.Body == a.Body || r.Published != a.Published {
			t.Errorf("article %d: revision does not change the text or changes the identity", i)
		}
	}
	if old < 30 || nfd == 0 {
		t.Errorf("%d articles in old tone style, %d in NFD", old, nfd)
	}
	if avg := total / 300; avg < 450 || avg > 1000 {
		t.Errorf("average body %d words", avg)
	}
}

func TestOldStyle(t *testing.T) {
	for in, want := range map[string]string{
		"hòa": "hoà", "Hóa": "Hoá", "thúy": "thuý", "khỏe": "khoẻ", "tùy": "tuỳ",
		"quý": "quý", "hoàn": "hoàn", "người": "người", "hoa": "hoa", "mái": "mái", "ca": "ca",
	} {
		if got := OldStyle(in); got != want {
			t.Errorf("OldStyle(%q) = %q, want %q", in, got, want)
		}
		if got := vntext.NormalizeTone(OldStyle(in)); got != vntext.NormalizeTone(in) {
			t.Errorf("NormalizeTone(OldStyle(%q)) = %q", in, got)
		}
	}
}

func TestQueries(t *testing.T) {
	g := New(1)
	for _, k := range []QueryKind{{Syllables: 1}, {Syllables: 2, Accented: true}, {Syllables: 4}, {Syllables: 2, Phrase: true, Accented: true}} {
		qs := g.Queries(50, k, 1)
		if len(qs) != 50 {
			t.Fatalf("%+v: %d queries", k, len(qs))
		}
		for _, q := range qs {
			if n := len(strings.Fields(strings.Trim(q, `"`))); n != k.Syllables {
				t.Errorf("%+v: query %q has %d words", k, q, n)
			}
			if !k.Accented && vntext.Fold(q) != q {
				t.Errorf("%+v: query %q not folded", k, q)
			}
		}
	}
}

func BenchmarkArticle(b *testing.B) {
	g := New(1)
	i := 0
	for b.Loop() {
		g.Article(i)
		i++
	}
}
