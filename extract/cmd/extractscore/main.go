// Command extractscore scores the article extractor the way the field
// scores extraction: exact match of title, author, breadcrumb, date (and
// kind), and token precision/recall/F1 of the body (tokens: runs of
// letters, marks and digits after NFC, lowercased), per page and in total.
//
// Usage (from the repository root):
//
//	go run ./extract/cmd/extractscore [-set DIR] [-heldout] [-realworld DIR] [-fixture=false] [DIR]
//
// DIR is a golden set (a directory with pages.json; default
// extract/testdata/pages). It also scores the generated fixture site
// (internal/fixturesite, with and without the built-in profiles) and the
// real captured pages of -set (the project's own set, scored in two parts:
// the development two thirds, and with -heldout the third kept aside) and
// of -realworld (default ../shared/realworld, then /work/shared/realworld);
// when those are absent it says so and goes on.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	"tulieu/extract"
	"tulieu/internal/fixturesite"
)

func main() {
	realworld := flag.String("realworld", "", "directory of real pages (NAME.html.gz + NAME.expected.json); default ../shared/realworld or /work/shared/realworld")
	fixture := flag.Bool("fixture", true, "also score the generated fixture site")
	shapes := flag.String("shapes", "extract/testdata/shapes", "pages of the failure modes seen on real sites, in the golden set's format")
	own := flag.String("set", "extract/testdata/realworld", "the project's own real-world set (NAME.html.gz + NAME.expected.json); a third of it is held out (extract.HeldOut)")
	heldout := flag.Bool("heldout", false, "also score the held-out third of -set (look at it only to report, never to tune)")
	flag.Parse()
	dir := "extract/testdata/pages"
	if flag.NArg() > 0 {
		dir = flag.Arg(0)
	}
	failed := false

	rep, err := extract.ScoreGoldenSet(dir, extract.Options{Profiles: extract.DefaultProfiles()})
	if err != nil {
		fmt.Fprintln(os.Stderr, "extractscore:", err)
		os.Exit(1)
	}
	fmt.Printf("== golden set %s (%d pages, default profiles)\n%s\n", dir, len(rep.Rows), rep)

	if rep, err := extract.ScoreShapes(*shapes, extract.Options{}); err == nil {
		fmt.Printf("== failure shapes %s (%d pages, no profile; captions apart)\n%s\n", *shapes, len(rep.Rows), rep)
	} else if !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintln(os.Stderr, "extractscore: shapes:", err)
		failed = true
	}

	if *fixture {
		for _, v := range []struct {
			name string
			opts extract.Options
		}{{"default profiles", extract.Options{Profiles: extract.DefaultProfiles()}}, {"generic, no profile", extract.Options{}}} {
			rep, err := scoreFixture(v.opts)
			if err != nil {
				fmt.Fprintln(os.Stderr, "extractscore: fixture site:", err)
				failed = true
				continue
			}
			fmt.Printf("== fixture site (internal/fixturesite, %s)\n%s\n", v.name, rep)
		}
	}

	held := extract.HeldOut(extract.RealWorldNames(*own))
	for _, part := range []struct {
		name string
		keep func(string) bool
		show bool
	}{
		{"development two thirds", func(n string) bool { return !held[n] }, true},
		{"held-out third", func(n string) bool { return held[n] }, *heldout},
	} {
		if !part.show {
			fmt.Printf("== real-world set %s, %s: not scored (-heldout to report it)\n\n", *own, part.name)
			continue
		}
		rep, err := extract.ScoreRealWorldOf(*own, part.keep)
		if errors.Is(err, os.ErrNotExist) {
			fmt.Printf("== real-world set %s, %s: no pages\n\n", *own, part.name)
			continue
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "extractscore: real-world set:", err)
			failed = true
			continue
		}
		fmt.Printf("== real-world set %s, %s (no profile)\n%s\n", *own, part.name, rep)
	}

	dirs := []string{*realworld}
	if *realworld == "" {
		dirs = []string{"../shared/realworld", "/work/shared/realworld"}
	}
	done := false
	for _, d := range dirs {
		rep, err := extract.ScoreRealWorld(d)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "extractscore: realworld:", err)
			failed = true
			done = true
			break
		}
		fmt.Printf("== realworld %s (no profile)\n%s\n", d, rep)
		done = true
		break
	}
	if !done {
		fmt.Printf("== realworld: no pages found in %s; skipped\n", strings.Join(dirs, " or "))
	}
	if failed {
		os.Exit(1)
	}
}

// scoreFixture serves the fixture site locally and scores every article
// and static page against the fields the site declares.
func scoreFixture(opts extract.Options) (extract.ScoreReport, error) {
	site := fixturesite.New(fixturesite.Options{})
	srv := httptest.NewServer(site)
	defer srv.Close()
	var cases []extract.ScoreCase
	for _, a := range site.Articles() {
		resp, err := http.Get(srv.URL + a.Path)
		if err != nil {
			return extract.ScoreReport{}, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return extract.ScoreReport{}, err
		}
		doc, err := extract.Extract("http://danguykhoithanhhoa.org.vn"+a.Path, body, resp.Header.Get("Content-Type"), opts)
		if err != nil {
			doc = &extract.Document{}
		}
		if len(doc.Breadcrumb) == 0 {
			doc.Breadcrumb = nil
		}
		e := a.Expected
		kind := extract.KindArticle
		if a.Static {
			kind = extract.KindPage
		}
		want := &extract.Document{Kind: kind, Title: e.Title, Author: e.Author, AuthorName: e.AuthorName, Source: e.Source,
			Published: e.Published, Body: strings.Join(e.BodyParagraphs, "\n\n")}
		if len(e.Breadcrumb) > 0 {
			want.Breadcrumb = e.Breadcrumb
		}
		cases = append(cases, extract.ScoreCase{Name: a.Path[strings.LastIndexByte(a.Path, '/')+1:], Want: want, Got: doc})
	}
	return extract.Score(cases), nil
}
