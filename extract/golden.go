package extract

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// GoldenCase is one page of a golden set: a directory holding pages.json
// (as extract/testdata/pages does) and the pages it names. The
// expectations are written by hand, as a careful reader sees the page.
type GoldenCase struct {
	File        string `json:"file"`
	URL         string `json:"url"`
	ContentType string `json:"content_type"`
	Expect      struct {
		Kind        Kind         `json:"kind"`
		Title       string       `json:"title"`
		Author      string       `json:"author"`
		AuthorName  string       `json:"author_name"`
		Published   string       `json:"published"`
		Breadcrumb  []string     `json:"breadcrumb"`
		Source      string       `json:"source"`
		Paragraphs  []string     `json:"paragraphs"`
		Images      []Image      `json:"images"`
		Attachments []Attachment `json:"attachments"`
	} `json:"expect"`
}

// Want is the expectation as a Document, for Score.
func (c GoldenCase) Want() *Document {
	e := c.Expect
	d := &Document{Kind: e.Kind, Title: e.Title, Author: e.Author, AuthorName: e.AuthorName, Published: e.Published,
		Source: e.Source, Body: strings.Join(e.Paragraphs, "\n\n")}
	if len(e.Breadcrumb) > 0 {
		d.Breadcrumb = e.Breadcrumb
	}
	return d
}

// LoadGoldenSet reads dir/pages.json.
func LoadGoldenSet(dir string) ([]GoldenCase, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "pages.json"))
	if err != nil {
		return nil, err
	}
	var cs []GoldenCase
	if err := json.Unmarshal(raw, &cs); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "pages.json"), err)
	}
	return cs, nil
}

// ScoreGoldenSet extracts every page of the golden set in dir and scores
// it against the expectations.
func ScoreGoldenSet(dir string, opts Options) (ScoreReport, error) {
	return scoreGolden(dir, opts, false)
}

// ScoreShapes scores a set in the golden set's format whose expectations
// leave image captions out of the text, as the real-world set's do
// (extract/testdata/shapes: one page per failure mode seen on real
// sites): a caption kept in the body counts neither way.
func ScoreShapes(dir string, opts Options) (ScoreReport, error) {
	return scoreGolden(dir, opts, true)
}

func scoreGolden(dir string, opts Options, captionsApart bool) (ScoreReport, error) {
	cs, err := LoadGoldenSet(dir)
	if err != nil {
		return ScoreReport{}, err
	}
	var cases []ScoreCase
	for _, c := range cs {
		body, err := os.ReadFile(filepath.Join(dir, c.File))
		if err != nil {
			return ScoreReport{}, err
		}
		doc, err := Extract(c.URL, body, c.ContentType, opts)
		if err != nil {
			doc = &Document{}
		}
		if len(doc.Breadcrumb) == 0 {
			doc.Breadcrumb = nil
		}
		want := c.Want()
		if captionsApart {
			doc.Body = withoutExtraCaptions(doc, strings.Split(want.Body, "\n\n"))
		}
		cases = append(cases, ScoreCase{Name: strings.TrimSuffix(c.File, ".html"), Want: want, Got: doc})
	}
	return Score(cases), nil
}

// RealExpected is the shape of the realworld *.expected.json files.
type RealExpected struct {
	URL            string   `json:"url"`
	Title          string   `json:"title"`
	AuthorName     string   `json:"author_name"`
	Source         *string  `json:"source"` // nil: not stated, not scored
	Published      string   `json:"published"`
	Breadcrumb     []string `json:"breadcrumb"`
	BodyParagraphs []string `json:"body_paragraphs"`
}

// HeldOut returns the third of a real-world set kept aside (by name): no
// change to the extractor is judged on it until the end, so its figure
// says how the extractor does on pages nobody tuned for. The third is the
// pages whose names hash lowest (FNV-1a), fixed before any page was
// scored: a rank, so that it is a third however few the pages are.
func HeldOut(names []string) map[string]bool {
	sorted := slices.Clone(names)
	hash := func(s string) uint32 {
		h := fnv.New32a()
		h.Write([]byte(s))
		return h.Sum32()
	}
	slices.SortFunc(sorted, func(a, b string) int { return cmp.Compare(hash(a), hash(b)) })
	out := map[string]bool{}
	for _, n := range sorted[:(len(sorted)+2)/3] {
		out[n] = true
	}
	return out
}

// RealWorldNames lists the pages of a real-world set directory.
func RealWorldNames(dir string) []string {
	files, _ := filepath.Glob(filepath.Join(dir, "*.expected.json"))
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".expected.json"))
	}
	sort.Strings(names)
	return names
}

// RealWorldBreadcrumbs holds the breadcrumb of realworld pages whose
// expected.json does not give one, as the page prints it (and as its own
// schema.org BreadcrumbList says).
var RealWorldBreadcrumbs = map[string][]string{
	"vnexpress-2025-10-22": {"Sức khỏe", "Tin tức"},
}

// ScoreRealWorld scores the captured pages of dir (NAME.html.gz beside
// NAME.expected.json, as in shared/realworld). The expected author is the
// author_name; kind is article. It returns os.ErrNotExist when dir holds
// no pages.
func ScoreRealWorld(dir string) (ScoreReport, error) {
	return ScoreRealWorldOf(dir, nil)
}

// ScoreRealWorldOf scores the pages of dir whose name keep accepts (all
// when keep is nil). A page's breadcrumb is scored only when its
// expectation gives one, and its source only when it states one.
func ScoreRealWorldOf(dir string, keep func(name string) bool) (ScoreReport, error) {
	pages, err := LoadRealWorld(dir, keep)
	if err != nil {
		return ScoreReport{}, err
	}
	var cases []ScoreCase
	for _, pg := range pages {
		name, want, body := pg.Name, pg.Want, pg.HTML
		doc, err := Extract(want.URL, body, "text/html", Options{})
		if err != nil {
			doc = &Document{}
		}
		crumbs := want.Breadcrumb
		if crumbs == nil {
			crumbs = RealWorldBreadcrumbs[name]
		}
		if len(doc.Breadcrumb) == 0 {
			doc.Breadcrumb = nil
		}
		if crumbs == nil {
			crumbs = doc.Breadcrumb // not stated: not scored
		}
		doc.Body = withoutExtraCaptions(doc, want.BodyParagraphs)
		w := &Document{Kind: KindArticle, Title: want.Title, AuthorName: want.AuthorName, Published: want.Published,
			Breadcrumb: crumbs, Body: strings.Join(want.BodyParagraphs, "\n\n"), Source: doc.Source}
		if want.Source != nil {
			w.Source = *want.Source
		}
		cases = append(cases, ScoreCase{Name: name, Got: doc, Want: w})
	}
	return Score(cases), nil
}

// RealWorldPage is one page of a real-world set: its HTML and what a
// careful reader takes from it.
type RealWorldPage struct {
	Name string
	HTML []byte
	Want RealExpected
}

// LoadRealWorld reads the pages of dir (NAME.html.gz beside
// NAME.expected.json) that keep accepts (all when nil), in name order.
// It returns os.ErrNotExist when none is selected.
func LoadRealWorld(dir string, keep func(name string) bool) ([]RealWorldPage, error) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.expected.json"))
	sort.Strings(files)
	var out []RealWorldPage
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".expected.json")
		if keep != nil && !keep(name) {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var want RealExpected
		if err := json.Unmarshal(raw, &want); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		gz, err := os.ReadFile(strings.TrimSuffix(f, ".expected.json") + ".html.gz")
		if err != nil {
			return nil, err
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		body, err := io.ReadAll(io.LimitReader(zr, 64<<20))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, RealWorldPage{Name: name, HTML: body, Want: want})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no page selected: %w", dir, os.ErrNotExist)
	}
	return out, nil
}

// ScoreTotals are the totals line of a ScoreReport: exact-match counts
// out of N and mean body precision, recall and F1.
type ScoreTotals struct {
	N, Title, Author, Breadcrumb, Published, Kind int
	BodyPrecision, BodyRecall, BodyF1             float64
}

// Totals sums the report.
func (r ScoreReport) Totals() ScoreTotals {
	var t ScoreTotals
	for _, x := range r.Rows {
		t.N++
		for _, v := range []struct {
			b bool
			n *int
		}{{x.Title, &t.Title}, {x.Author, &t.Author}, {x.Breadcrumb, &t.Breadcrumb}, {x.Published, &t.Published}, {x.Kind, &t.Kind}} {
			if v.b {
				*v.n++
			}
		}
		t.BodyPrecision += x.BodyPrecision
		t.BodyRecall += x.BodyRecall
		t.BodyF1 += x.BodyF1
	}
	if t.N > 0 {
		t.BodyPrecision /= float64(t.N)
		t.BodyRecall /= float64(t.N)
		t.BodyF1 /= float64(t.N)
	}
	return t
}

// withoutExtraCaptions is doc's body less the paragraphs that are its
// images' captions and that the expectation leaves out: tulieu keeps a
// caption in the body (and in images[].caption), the real-world
// expectations leave captions out unless they carry the text (a photo
// story), and both are right, so such a paragraph counts neither way.
func withoutExtraCaptions(doc *Document, want []string) string {
	expected := map[string]bool{}
	for _, p := range want {
		expected[strings.TrimSpace(p)] = true
	}
	var keep []string
	for _, p := range strings.Split(doc.Body, "\n\n") {
		caption := false
		for _, im := range doc.Images {
			if c := strings.TrimSpace(im.Caption); c != "" && strings.HasPrefix(strings.TrimSpace(p), c) {
				caption = true
				break
			}
		}
		if caption && !expected[strings.TrimSpace(p)] {
			continue
		}
		keep = append(keep, p)
	}
	return strings.Join(keep, "\n\n")
}
