package index

import (
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
)

// TestViewFieldsMatchAnalyzers checks that a document whose views share
// one analysis (shareViews) is indexed exactly as bleve's analyzers
// would index it: the same fields, token counts, terms, frequencies and
// positions (the byte offsets of locations are not indexed).
func TestViewFieldsMatchAnalyzers(t *testing.T) {
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	va := newViewAnalyzers(im)
	if len(va) != 3 {
		t.Fatalf("%d view analyzers, want 3", len(va))
	}
	docs := append(genDocs(50), corpus...)
	docs = append(docs,
		Document{ID: "tones", Title: "HOÀ bình  Thuý\u2029khoẻ", Body: "Thanh Hoa\u0301 và THANH HÓA; đảng-bộ 05-CT/TW 2020", Author: "Đào Thị Thủy",
			Captions: []string{"Ảnh: Lê Lợi", "", "hội nghị"}, Category: "Tin tức", Breadcrumb: []string{"Trang chủ", "Tin tức"}},
		Document{ID: "han", Title: "漢字 ký tự", Body: "東京 Tokyo ﬁ ΑΒΓ"},
		Document{ID: "one", Title: "x"},
		Document{ID: "empty"},
	)
	shared := 0
	for _, d := range docs {
		shared += checkViews(t, im, va, d)
	}
	// text ×2, title ×3, author ×2, breadcrumb ×2, category ×2 per article.
	if shared < 9*len(docs) {
		t.Errorf("only %d fields of %d documents shared an analysis", shared, len(docs))
	}
}

func FuzzViewFields(f *testing.F) {
	for _, s := range [][2]string{
		{"Thanh Hóa", "chi bộ sinh hoạt"},
		{"HOA\u0300 THUÝ", "a\u2029b \u2029\u2029 c"},
		{"漢字", "ｆｕｌｌ width ǅ ǈ"},
		{"", "\xff\xfe invalid"},
	} {
		f.Add(s[0], s[1])
	}
	im, err := newMapping()
	if err != nil {
		f.Fatal(err)
	}
	va := newViewAnalyzers(im)
	f.Fuzz(func(t *testing.T, title, body string) {
		checkViews(t, im, va, Document{ID: "f", Title: title, Body: body, Author: body, Captions: []string{title, body}})
	})
}

// checkViews compares doc mapped and analyzed by bleve with doc mapped
// and analyzed through shareViews, and returns the number of fields that
// shared an analysis.
func checkViews(t *testing.T, im *mapping.IndexMappingImpl, va viewAnalyzers, d Document) int {
	t.Helper()
	m, _ := bleveDoc(d)
	want, got := document.NewDocument(d.ID), document.NewDocument(d.ID)
	if err := im.MapDocument(want, m); err != nil {
		t.Fatal(err)
	}
	if err := im.MapDocument(got, m); err != nil {
		t.Fatal(err)
	}
	shareViews(got, va)
	if len(want.Fields) != len(got.Fields) {
		t.Fatalf("%s: %d fields, bleve %d", d.ID, len(got.Fields), len(want.Fields))
	}
	// The fields come in the order of a map's keys; match them by name
	// (and order within a name).
	byName := map[string][]document.Field{}
	for _, g := range got.Fields {
		byName[g.Name()] = append(byName[g.Name()], g)
	}
	shared := 0
	for i, w := range want.Fields {
		if len(byName[w.Name()]) == 0 {
			t.Fatalf("%s: no field %s", d.ID, w.Name())
		}
		g := byName[w.Name()][0]
		byName[w.Name()] = byName[w.Name()][1:]
		if _, ok := g.(*viewField); ok {
			shared++
		}
		if g.Name() != w.Name() || g.Options() != w.Options() || string(g.Value()) != string(w.Value()) {
			t.Fatalf("%s: field %d is %s, bleve %s", d.ID, i, g.Name(), w.Name())
		}
		if !w.Options().IsIndexed() {
			continue
		}
		w.Analyze()
		g.Analyze()
		// Indexed locations keep the position and drop the byte offsets
		// (freqCounter.add): nothing reads them back.
		for _, tf := range w.AnalyzedTokenFrequencies() {
			for _, l := range tf.Locations {
				l.Start, l.End = 0, 0
			}
		}
		if g.AnalyzedLength() != w.AnalyzedLength() {
			t.Errorf("%s %s: %d tokens, bleve %d", d.ID, w.Name(), g.AnalyzedLength(), w.AnalyzedLength())
		}
		if !reflect.DeepEqual(g.AnalyzedTokenFrequencies(), w.AnalyzedTokenFrequencies()) {
			t.Errorf("%s %s: term frequencies differ from bleve's:\n got %v\nwant %v", d.ID, w.Name(),
				g.AnalyzedTokenFrequencies(), w.AnalyzedTokenFrequencies())
		}
	}
	return shared
}

// BenchmarkDocAnalysis measures mapping and analyzing articles as an
// index batch does: with bleve's analyzers field by field, and with the
// views of each text sharing one analysis.
func BenchmarkDocAnalysis(b *testing.B) {
	im, err := newMapping()
	if err != nil {
		b.Fatal(err)
	}
	va := newViewAnalyzers(im)
	docs := genDocs(200)
	for _, shared := range []bool{false, true} {
		name := "bleve"
		if shared {
			name = "shared"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				d := docs[i%len(docs)]
				m, _ := bleveDoc(d)
				doc := document.NewDocument(d.ID)
				if err := im.MapDocument(doc, m); err != nil {
					b.Fatal(err)
				}
				if shared {
					shareViews(doc, va)
				}
				for _, f := range doc.Fields {
					if f.Options().IsIndexed() {
						f.Analyze()
					}
				}
			}
		})
	}
}
