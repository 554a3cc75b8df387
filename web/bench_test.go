package web

import (
	"context"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"tulieu/index"
	"tulieu/internal/benchcorpus"
	"tulieu/store"
)

// BenchmarkSearchPage renders /search (with its facets) in process, one
// request at a time, with the cache of recent answers off: the CPU of a
// page. Over a data directory of the load benchmark's:
//
//	TULIEU_BENCH_DATA=/tmp/tulieu-loadbench-50000-seed1 go test ./web -run '^$' -bench SearchPage -benchtime 800x
//
// (made by `go run ./web/cmd/loadbench -n 50000`); without it, over 3 000
// generated articles indexed here.
func BenchmarkSearchPage(b *testing.B) {
	ctx := context.Background()
	dir := os.Getenv("TULIEU_BENCH_DATA")
	var ix *index.Index
	var st *store.Store
	var err error
	gen := benchcorpus.New(1)
	if dir != "" {
		if st, err = store.Open(ctx, dir, nil); err != nil {
			b.Fatal(err)
		}
		if ix, err = index.Open(st.IndexPath(), nil); err != nil {
			b.Fatal(err)
		}
	} else {
		if st, err = store.Open(ctx, b.TempDir(), nil); err != nil {
			b.Fatal(err)
		}
		if ix, err = index.Open(filepath.Join(b.TempDir(), "index"), nil); err != nil {
			b.Fatal(err)
		}
		var docs []index.Document
		for i := range 3000 {
			a := gen.Article(i)
			docs = append(docs, index.Document{ID: a.ID, URL: a.URL, Title: a.Title, Body: a.Body, Author: a.Author,
				Breadcrumb: a.Breadcrumb, Category: a.Category, Published: a.Published, Captions: a.Captions})
		}
		if err := ix.Put(ctx, docs...); err != nil {
			b.Fatal(err)
		}
	}
	defer st.Close()
	defer ix.Close()
	h := New(ix, st, Options{CacheSize: -1})
	qs := gen.Queries(200, benchcorpus.QueryKind{Syllables: 1}, 7)
	qs = append(qs, gen.Queries(200, benchcorpus.QueryKind{Syllables: 2, Accented: true}, 7)...)
	b.ResetTimer()
	for i := range b.N {
		r := httptest.NewRequest("GET", "/search?q="+url.QueryEscape(qs[i%len(qs)]), nil)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatalf("%s: %d", r.URL, w.Code)
		}
	}
}
