package extract

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tulieu/internal/fixturesite"
)

// fixtureHost is the real site's host: the fixture pages are extracted as
// if fetched from it, so that the default profile applies.
const fixtureHost = "http://danguykhoithanhhoa.org.vn"

func fetchFixture(t *testing.T, base, path string) ([]byte, string) {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", path, resp.Status)
	}
	return b, resp.Header.Get("Content-Type")
}

func relPaths(urls []string) []string {
	var out []string
	for _, s := range urls {
		if u, err := url.Parse(s); err == nil {
			out = append(out, u.Path)
		}
	}
	return out
}

// fixtureCases extracts every document of the fixture site and pairs it
// with the site's expected fields.
func fixtureCases(t *testing.T, opts Options) ([]ScoreCase, []fixturesite.Article, []*Document) {
	site, srv := fixturesite.Start(t, fixturesite.Options{})
	var cases []ScoreCase
	var arts []fixturesite.Article
	var docs []*Document
	for _, a := range site.Articles() {
		body, ct := fetchFixture(t, srv.URL, a.Path)
		doc, err := Extract(fixtureHost+a.Path, body, ct, opts)
		if err != nil {
			t.Fatalf("%s: %v", a.Path, err)
		}
		e := a.Expected
		kind := KindArticle
		if a.Static {
			kind = KindPage
		}
		want := &Document{Kind: kind, Title: e.Title, Author: e.Author, AuthorName: e.AuthorName, Source: e.Source,
			Published: e.Published, Breadcrumb: nilIfEmpty(e.Breadcrumb), Category: e.Category,
			Body: strings.Join(e.BodyParagraphs, "\n\n")}
		doc.Breadcrumb = nilIfEmpty(doc.Breadcrumb)
		cases = append(cases, ScoreCase{Name: a.Path[strings.LastIndexByte(a.Path, '/')+1:], Want: want, Got: doc})
		arts = append(arts, a)
		docs = append(docs, doc)
	}
	return cases, arts, docs
}

// TestFixtureSite runs Extract over every page of internal/fixturesite and
// compares with the expected fields there, with the default profiles and
// with none (the generic path must stand on its own).
func TestFixtureSite(t *testing.T) {
	t.Run("profiles", func(t *testing.T) { testFixtureSite(t, Options{Profiles: DefaultProfiles()}) })
	t.Run("generic", func(t *testing.T) { testFixtureSite(t, Options{}) })
}

func testFixtureSite(t *testing.T, opts Options) {
	cases, arts, docs := fixtureCases(t, opts)
	for i, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			w, g, e := c.Want, c.Got, arts[i].Expected
			check := func(field string, got, want any) {
				t.Helper()
				if !equalAny(got, want) {
					t.Errorf("%s = %#v, want %#v", field, got, want)
				}
			}
			check("kind", g.Kind, w.Kind)
			check("title", g.Title, w.Title)
			check("author", g.Author, w.Author)
			check("author_name", g.AuthorName, w.AuthorName)
			check("source", g.Source, w.Source)
			check("published", g.Published, w.Published)
			check("breadcrumb", g.Breadcrumb, w.Breadcrumb)
			check("category", g.Category, w.Category)
			if _, _, f1 := TokenPRF(w.Body, g.Body); f1 < 0.98 {
				t.Errorf("body F1 %.3f\n got: %q\nwant: %q", f1, g.Body, w.Body)
			}
			var gotImgs, wantImgs []string
			for _, im := range docs[i].Images {
				gotImgs = append(gotImgs, relPaths([]string{im.Src})[0]+" "+im.Caption)
			}
			for _, im := range e.Images {
				wantImgs = append(wantImgs, im.Src+" "+im.Caption)
			}
			check("images", gotImgs, wantImgs)
			var gotAtt []string
			for _, at := range docs[i].Attachments {
				gotAtt = append(gotAtt, relPaths([]string{at.URL})[0])
			}
			check("attachments", gotAtt, nilIfEmpty(e.Attachments))
		})
	}
	t.Log("\n" + Score(cases).String())
}

func equalAny(a, b any) bool {
	as, ok1 := a.([]string)
	bs, ok2 := b.([]string)
	if ok1 && ok2 {
		return strings.Join(as, "\x00") == strings.Join(bs, "\x00") && len(as) == len(bs)
	}
	return a == b
}

// TestFixtureListings: home and category pages are listings.
func TestFixtureListings(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	// The last pages of a series hold as few as one teaser.
	for _, p := range []string{"/", "/tin-tuc/tin-tuc-chung", "/tin-tuc/tu-lieu", "/tin-tuc?page=3", "/tin-tuc/tin-tuc-chung?page=2", "/hoat-dong-cac-to-chuc-csd?page=2"} {
		body, ct := fetchFixture(t, srv.URL, p)
		doc, err := Extract(fixtureHost+p, body, ct, Options{Profiles: DefaultProfiles()})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Kind != KindListing {
			t.Errorf("%s: kind %s, want listing (title %q, body %.200q)", p, doc.Kind, doc.Title, doc.Body)
		}
		if len(doc.Links) < 5 {
			t.Errorf("%s: only %d links", p, len(doc.Links))
		}
	}
}
