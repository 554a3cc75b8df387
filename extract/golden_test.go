package extract

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

var update = flag.Bool("update", false, "rewrite extract/testdata/pages/*.golden.json (and the windows-1258 page)")

// pageCase is one entry of testdata/pages/pages.json: a page, how it was
// served, and the hand-written expectations of a careful reader.
type pageCase struct {
	File        string `json:"file"`
	URL         string `json:"url"`
	ContentType string `json:"content_type"`
	// SrcEncoding says how testdata/src/<file> (UTF-8) becomes the page:
	// "" windows-1258, "tcvn3" the whole file in TCVN3 bytes, "vni" the
	// parts between <!--vni--> and <!--/vni--> as VNI read as Latin-1.
	SrcEncoding string `json:"src_encoding"`
	Expect      struct {
		Kind        Kind         `json:"kind"`
		Title       string       `json:"title"`
		Author      string       `json:"author"`
		AuthorName  string       `json:"author_name"`
		Published   string       `json:"published"`
		Breadcrumb  []string     `json:"breadcrumb"`
		Source      string       `json:"source"`
		Canonical   string       `json:"canonical"`
		Paragraphs  []string     `json:"paragraphs"`
		Images      []Image      `json:"images"`
		Attachments []Attachment `json:"attachments"`
	} `json:"expect"`
}

func loadCases(t testing.TB) []pageCase {
	raw, err := os.ReadFile("testdata/pages/pages.json")
	if err != nil {
		t.Fatal(err)
	}
	var cs []pageCase
	if err := json.Unmarshal(raw, &cs); err != nil {
		t.Fatal(err)
	}
	return cs
}

// encode1258 encodes UTF-8 text as windows-1258: precomposed where the code
// page has the letter, otherwise base letter (with circumflex, breve or
// horn) plus a combining tone mark, as Vietnamese Windows text is written.
func encode1258(t testing.TB, s string) []byte {
	enc := charmap.Windows1258.NewEncoder()
	var out []byte
	for _, r := range norm.NFC.String(s) {
		if b, err := enc.Bytes([]byte(string(r))); err == nil {
			out = append(out, b...)
			continue
		}
		// compose everything but the tone mark
		var rest []rune
		tone := rune(0)
		for _, m := range norm.NFD.String(string(r)) {
			switch m {
			case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323':
				tone = m
			default:
				rest = append(rest, m)
			}
		}
		b1, err1 := enc.Bytes([]byte(norm.NFC.String(string(rest))))
		b2, err2 := enc.Bytes([]byte(string(tone)))
		if err1 != nil || err2 != nil {
			t.Fatalf("cannot encode %q in windows-1258", r)
		}
		out = append(append(out, b1...), b2...)
	}
	return out
}

func readPage(t testing.TB, c pageCase) []byte {
	p := filepath.Join("testdata/pages", c.File)
	if src := filepath.Join("testdata/src", c.File); fileExists(src) {
		utf, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		var enc []byte
		switch c.SrcEncoding {
		case "":
			enc = encode1258(t, string(utf))
		case "tcvn3":
			enc = encodeTCVN3(t, string(utf))
		case "vni":
			enc = []byte(encodeVNIRegions(t, string(utf)))
		default:
			t.Fatalf("%s: unknown src_encoding %q", c.File, c.SrcEncoding)
		}
		if *update || !fileExists(p) {
			if err := os.WriteFile(p, enc, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func extractCase(t testing.TB, c pageCase) *Document {
	doc, err := Extract(c.URL, readPage(t, c), c.ContentType, Options{Profiles: DefaultProfiles()})
	if err != nil {
		t.Fatalf("%s: %v", c.File, err)
	}
	return doc
}

// TestGolden compares every field with the reviewed golden files.
func TestGolden(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(strings.TrimSuffix(c.File, ".html"), func(t *testing.T) {
			doc := extractCase(t, c)
			gp := filepath.Join("testdata/pages", strings.TrimSuffix(c.File, ".html")+".golden.json")
			if *update {
				b, _ := json.MarshalIndent(doc, "", "  ")
				if err := os.WriteFile(gp, append(b, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			raw, err := os.ReadFile(gp)
			if err != nil {
				t.Fatalf("%v (run go test ./extract -update)", err)
			}
			var want Document
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			compareDocs(t, &want, doc)
		})
	}
}

func compareDocs(t *testing.T, want, got *Document) {
	t.Helper()
	wv, gv := reflect.ValueOf(*want), reflect.ValueOf(*got)
	for i := 0; i < wv.NumField(); i++ {
		w, g := wv.Field(i).Interface(), gv.Field(i).Interface()
		if wv.Field(i).Kind() == reflect.Slice && wv.Field(i).Len() == 0 && gv.Field(i).Len() == 0 {
			continue
		}
		if !reflect.DeepEqual(w, g) {
			t.Errorf("%s:\n got: %#v\nwant: %#v", wv.Type().Field(i).Name, g, w)
		}
	}
}

// TestHandExpectations checks the extraction against the expectations
// written by hand in pages.json (independent of the golden files, so a
// careless -update cannot bless a regression in these fields).
func TestHandExpectations(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(strings.TrimSuffix(c.File, ".html"), func(t *testing.T) {
			doc := extractCase(t, c)
			e := c.Expect
			check := func(field string, got, want any) {
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s = %#v, want %#v", field, got, want)
				}
			}
			check("kind", doc.Kind, e.Kind)
			check("title", doc.Title, e.Title)
			check("author", doc.Author, e.Author)
			check("author_name", doc.AuthorName, e.AuthorName)
			check("published", doc.Published, e.Published)
			check("breadcrumb", nilIfEmpty(doc.Breadcrumb), nilIfEmpty(e.Breadcrumb))
			check("source", doc.Source, e.Source)
			if e.Canonical != "" {
				check("canonical", doc.Canonical, e.Canonical)
			}
			check("body", doc.Body, strings.Join(e.Paragraphs, "\n\n"))
			if e.Images != nil {
				check("images", doc.Images, e.Images)
			}
			if e.Attachments != nil {
				check("attachments", doc.Attachments, e.Attachments)
			}
			if len(e.Breadcrumb) > 0 {
				check("category", doc.Category, e.Breadcrumb[len(e.Breadcrumb)-1])
			}
		})
	}
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// expectedDoc turns a hand expectation into a Document for Score.
func expectedDoc(c pageCase) *Document {
	e := c.Expect
	return &Document{Kind: e.Kind, Title: e.Title, Author: e.Author, AuthorName: e.AuthorName, Published: e.Published,
		Breadcrumb: nilIfEmpty(e.Breadcrumb), Source: e.Source, Body: strings.Join(e.Paragraphs, "\n\n")}
}

// TestScoreTable prints the per-field score table over the golden pages
// (go test ./extract -run ScoreTable -v).
func TestScoreTable(t *testing.T) {
	var cases []ScoreCase
	for _, c := range loadCases(t) {
		doc := extractCase(t, c)
		doc.Breadcrumb = nilIfEmpty(doc.Breadcrumb)
		cases = append(cases, ScoreCase{Name: strings.TrimSuffix(c.File, ".html"), Want: expectedDoc(c), Got: doc})
	}
	t.Log("\n" + Score(cases).String())
}
