package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"tulieu/internal/benchcorpus"
)

// Benchmarks run on TULIEU_BENCH_DOCS generated articles (default 2000;
// internal/benchcorpus: realistic Vietnamese text, 300–1500 syllables per
// body). The figures at 100 000 articles, and the comparison with SQLite
// FTS5, come from the command: go run ./index/cmd/searchbench -n 100000.
func benchDocs() int {
	if v, err := strconv.Atoi(os.Getenv("TULIEU_BENCH_DOCS")); err == nil && v > 0 {
		return v
	}
	return 2000
}

var benchGen = sync.OnceValue(func() *benchcorpus.Generator { return benchcorpus.New(1) })

func benchDocument(a benchcorpus.Article) Document {
	return Document{ID: a.ID, URL: a.URL, Title: a.Title, Body: a.Body, Author: a.Author,
		Breadcrumb: a.Breadcrumb, Category: a.Category, Published: a.Published, Captions: a.Captions}
}

func genDocs(n int) []Document {
	g := benchGen()
	docs := make([]Document, n)
	for i := range docs {
		docs[i] = benchDocument(g.Article(i))
	}
	return docs
}

// sharedIndex is built once per test binary for the search benchmarks.
var (
	sharedOnce sync.Once
	sharedIx   *Index
	sharedErr  error
)

func benchIndex(b *testing.B) *Index {
	sharedOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tulieu-bench-")
		if err != nil {
			sharedErr = err
			return
		}
		sharedIx, sharedErr = Open(filepath.Join(dir, "idx"), nil)
		if sharedErr == nil {
			sharedErr = sharedIx.Put(context.Background(), genDocs(benchDocs())...)
		}
	})
	if sharedErr != nil {
		b.Fatal(sharedErr)
	}
	return sharedIx
}

func BenchmarkIndexBuild(b *testing.B) {
	docs := genDocs(benchDocs())
	var bytes int64
	for _, d := range docs {
		bytes += int64(len(d.Title) + len(d.Body))
	}
	b.SetBytes(bytes)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		ix, err := Open(filepath.Join(b.TempDir(), "idx"), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := ix.Put(context.Background(), docs...); err != nil {
			b.Fatal(err)
		}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkUpdate puts 100 revised articles into the built index.
func BenchmarkUpdate(b *testing.B) {
	ix := benchIndex(b)
	n := benchDocs()
	g := benchGen()
	rev := 0
	for b.Loop() {
		rev++
		b.StopTimer()
		docs := make([]Document, 100)
		for k := range docs {
			docs[k] = benchDocument(g.Revision((k*7919+rev)%n, rev))
		}
		b.StartTimer()
		if err := ix.Put(context.Background(), docs...); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(100*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

func benchSearch(b *testing.B, kind benchcorpus.QueryKind) {
	ix := benchIndex(b)
	for _, accented := range []bool{false, true} {
		kind.Accented = accented
		qs := benchGen().Queries(200, kind, 1)
		b.Run(fmt.Sprintf("accented=%v", accented), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := ix.Search(context.Background(), Request{Query: qs[i%len(qs)], Limit: 10}); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func BenchmarkSearch1Syllable(b *testing.B) {
	benchSearch(b, benchcorpus.QueryKind{Syllables: 1})
}

func BenchmarkSearch2Syllables(b *testing.B) {
	benchSearch(b, benchcorpus.QueryKind{Syllables: 2})
}

func BenchmarkSearch4Syllables(b *testing.B) {
	benchSearch(b, benchcorpus.QueryKind{Syllables: 4})
}

func BenchmarkSearchPhrase(b *testing.B) {
	benchSearch(b, benchcorpus.QueryKind{Syllables: 3, Phrase: true})
}

func BenchmarkSearchFilters(b *testing.B) {
	ix := benchIndex(b)
	for _, q := range []string{
		`tieude:đảng OR tacgia:"nguyen van" -nam:2015`,
		`chi bộ nam:2019..2021`,
		``,
	} {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ix.Search(context.Background(), Request{Query: q, Limit: 10}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
