// Command trafcompare measures tulieu's extractor and go-trafilatura side
// by side on the same real pages: title, byline, date (the day) and body
// token F1 against each page's hand-checked expectation, and pages per
// second of extraction alone (the page already in memory, one core).
//
// It is a module of its own so that go-trafilatura never becomes a
// dependency of tulieu. From the repository root:
//
//	cd extract/cmd/trafcompare && go run . [-heldout] [-iterations 20]
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	trafilatura "github.com/markusmobius/go-trafilatura"

	"tulieu/extract"
)

type page struct {
	name string
	body []byte
	want expected
}

type expected struct {
	URL, Title, AuthorName, Published string
	BodyParagraphs                    []string
}

// result is what one tool made of one page.
type result struct {
	title, author, day string
	body               string
}

type tool struct {
	name string
	run  func(p *page) (result, error)
}

func main() {
	root := flag.String("root", "../../..", "the repository root")
	heldout := flag.Bool("heldout", false, "also measure the held-out third of the project's set")
	iterations := flag.Int("iterations", 20, "extractions of each page per tool, for the speed")
	flag.Parse()
	runtime.GOMAXPROCS(1)

	held := extract.HeldOut(extract.RealWorldNames(filepath.Join(*root, "extract/testdata/realworld")))
	sets := []struct {
		name string
		dir  string
		keep func(string) bool
	}{
		{"own set, development two thirds", filepath.Join(*root, "extract/testdata/realworld"), func(n string) bool { return !held[n] }},
	}
	if *heldout {
		sets = append(sets, struct {
			name string
			dir  string
			keep func(string) bool
		}{"own set, held-out third", filepath.Join(*root, "extract/testdata/realworld"), func(n string) bool { return held[n] }})
	}
	sets = append(sets, struct {
		name string
		dir  string
		keep func(string) bool
	}{"shared/realworld", filepath.Join(*root, "../shared/realworld"), nil})

	tools := []tool{
		{"tulieu", func(p *page) (result, error) {
			d, err := extract.Extract(p.want.URL, p.body, "text/html", extract.Options{})
			if err != nil {
				return result{}, err
			}
			day := d.Published
			if len(day) > 10 {
				day = day[:10]
			}
			return result{title: d.Title, author: d.AuthorName, day: day, body: d.Body}, nil
		}},
		{"go-trafilatura", func(p *page) (result, error) {
			u, _ := url.Parse(p.want.URL)
			r, err := trafilatura.Extract(bytes.NewReader(p.body), trafilatura.Options{OriginalURL: u, EnableFallback: true, ExcludeComments: true})
			if err != nil {
				return result{}, err
			}
			day := ""
			if !r.Metadata.Date.IsZero() {
				day = r.Metadata.Date.Format("2006-01-02")
			}
			return result{title: r.Metadata.Title, author: r.Metadata.Author, day: day, body: r.ContentText}, nil
		}},
	}
	for _, set := range sets {
		pages, err := load(set.dir, set.keep)
		if err != nil {
			fmt.Fprintln(os.Stderr, "trafcompare:", err)
			continue
		}
		if len(pages) == 0 {
			fmt.Printf("### %s: no pages\n\n", set.name)
			continue
		}
		fmt.Printf("### %s: %d pages\n\n", set.name, len(pages))
		fmt.Println("| tool | title | byline | date (day) | body F1 mean | body F1 min | pages/s (one core) |")
		fmt.Println("|---|---:|---:|---:|---:|---:|---:|")
		for _, tl := range tools {
			var title, author, day int
			var sum, least float64 = 0, 1
			var worst string
			for i := range pages {
				p := &pages[i]
				r, err := tl.run(p)
				if err != nil {
					r = result{}
				}
				wantDay := p.want.Published
				if len(wantDay) > 10 {
					wantDay = wantDay[:10]
				}
				if r.title == p.want.Title {
					title++
				}
				if r.author == p.want.AuthorName {
					author++
				}
				if r.day == wantDay {
					day++
				}
				_, _, f1 := extract.TokenPRF(strings.Join(p.want.BodyParagraphs, "\n\n"), r.body)
				sum += f1
				if f1 < least {
					least, worst = f1, p.name
				}
			}
			start := time.Now()
			for range *iterations {
				for i := range pages {
					tl.run(&pages[i])
				}
			}
			rate := float64(*iterations*len(pages)) / time.Since(start).Seconds()
			n := len(pages)
			fmt.Printf("| %s | %d/%d | %d/%d | %d/%d | %.3f | %.3f (%s) | %.0f |\n", tl.name, title, n, author, n, day, n, sum/float64(n), least, worst, rate)
		}
		fmt.Println()
	}
}

func load(dir string, keep func(string) bool) ([]page, error) {
	rw, err := extract.LoadRealWorld(dir, keep)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]page, 0, len(rw))
	for _, p := range rw {
		out = append(out, page{name: p.Name, body: p.HTML, want: expected{URL: p.Want.URL, Title: p.Want.Title,
			AuthorName: p.Want.AuthorName, Published: p.Want.Published, BodyParagraphs: p.Want.BodyParagraphs}})
	}
	return out, nil
}
