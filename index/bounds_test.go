package index

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestSearchBounds: whatever a request holds, Search answers with an error
// of the caller's kind, never a panic or an unbounded collection. An
// offset at the int64 edge once overflowed offset+limit inside bleve,
// whose panic in its own goroutine ended the whole server.
func TestSearchBounds(t *testing.T) {
	ix, _ := newTestIndex(t)
	ctx := context.Background()
	for _, req := range []Request{
		{Query: "đảng", Offset: math.MaxInt64 - 8},
		{Query: "đảng", Offset: math.MaxInt64, Limit: math.MaxInt64},
		{Query: "đảng", Offset: MaxOffset + 1},
		{Query: "đảng", Offset: -1},
		{Query: "đảng", Limit: MaxLimit + 1},
		{Query: "đảng", Limit: -5},
		{Query: strings.Repeat("đảng ", 20000)},
		{Query: "đảng", Sort: "score desc"},
		{Query: "", Offset: math.MaxInt64 - 1},
	} {
		_, err := ix.Search(ctx, req)
		var re *RequestError
		if !errors.As(err, &re) {
			t.Errorf("Search(offset %d, limit %d, query of %d bytes, sort %q) = %v, want a *RequestError",
				req.Offset, req.Limit, len(req.Query), req.Sort, err)
		}
	}
	// The edges themselves are answered.
	for _, req := range []Request{
		{Query: "đảng", Offset: MaxOffset, Limit: MaxLimit},
		{Query: strings.TrimSpace(strings.Repeat("đảng ", MaxQueryLength/len("đảng ")))},
	} {
		if _, err := ix.Search(ctx, req); err != nil {
			t.Errorf("Search(offset %d, query of %d bytes): %v", req.Offset, len(req.Query), err)
		}
	}
}

// TestMatchIDs walks every match in pages: the same set as a search, each
// once, newest first, undated last, over more matches than one page.
func TestMatchIDs(t *testing.T) {
	dir := t.TempDir()
	ix := openTest(t, dir)
	defer ix.Close()
	var docs []Document
	for i := range 2*MaxLimit + 100 {
		d := Document{ID: fmt.Sprintf("d%05d", i), Title: "Tin đảng bộ", Body: "Đảng bộ tỉnh Thanh Hóa họp.",
			Category: "Tin tức"}
		switch i % 3 {
		case 0:
			d.Published = fmt.Sprintf("20%02d-01-01", i%20) // many share a day
		case 1:
			d.Published = fmt.Sprintf("2021-%02d-%02dT08:00:00+07:00", i%12+1, i%28+1)
		}
		if i%50 == 0 {
			d.Status = "deleted"
		}
		docs = append(docs, d)
	}
	docs = append(docs, Document{ID: "other", Title: "Hoa mai", Body: "Hoa nở."})
	if err := ix.Put(context.Background(), docs...); err != nil {
		t.Fatal(err)
	}
	var got []string
	pages := 0
	err := ix.MatchIDs(context.Background(), Request{Query: "thanh hoa", Offset: math.MaxInt64}, func(ids []string) error {
		pages++
		got = append(got, ids...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, d := range docs {
		if d.ID != "other" && d.Status != "deleted" {
			want = append(want, d.ID)
		}
	}
	if len(got) != len(want) || !sameSet(got, want) {
		t.Fatalf("MatchIDs gave %d ids (%d distinct), want %d", len(got), len(slices.Compact(slices.Sorted(slices.Values(got)))), len(want))
	}
	if pages < 3 {
		t.Errorf("%d pages for %d matches", pages, len(want))
	}
	day := map[string]string{}
	for _, d := range docs {
		day[d.ID] = d.Published
	}
	for i := 1; i < len(got); i++ {
		a, b := day[got[i-1]], day[got[i]]
		if a == "" && b != "" || a != "" && b != "" && a[:10] < b[:10] {
			t.Fatalf("not newest first at %d: %s (%q) before %s (%q)", i, got[i-1], a, got[i], b)
		}
	}
	// The caller's error stops the walk.
	stop := errors.New("stop")
	if err := ix.MatchIDs(context.Background(), Request{Query: "đảng"}, func([]string) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("MatchIDs after fn's error: %v", err)
	}
	var qe *QueryError
	if err := ix.MatchIDs(context.Background(), Request{Query: `"unclosed`}, func([]string) error { return nil }); !errors.As(err, &qe) {
		t.Errorf("MatchIDs of a bad query: %v", err)
	}
}

// TestHighlightCombiningMark: text is normalized before its HTML is built.
// Normalizing finished HTML composed a combining mark that follows a tag
// with the tag's '>' (U+226F "≯"), which broke the markup.
func TestHighlightCombiningMark(t *testing.T) {
	dir := t.TempDir()
	ix := openTest(t, dir)
	defer ix.Close()
	// U+0338 (combining long solidus overlay) composes with '>' under NFC.
	// A word that starts with one is highlighted from the mark on.
	doc := Document{ID: "m1", Title: "Tin \u0338Đảng\u0338 bộ <b>Thanh Hóa</b>", Body: "Sáng nay \u0338Đảng\u0338 bộ họp; x > y.", Published: "2020-01-01"}
	if err := ix.Put(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	res := doSearch(t, ix, Request{Query: "đảng"})
	if len(res.Hits) != 1 {
		t.Fatalf("%d hits", len(res.Hits))
	}
	h := res.Hits[0]
	for name, frag := range map[string]string{"TitleHTML": h.TitleHTML, "SnippetHTML": h.SnippetHTML} {
		if strings.ContainsRune(frag, '\u226F') || strings.ContainsRune(frag, '\u226E') {
			t.Errorf("%s %q: a tag fused with a combining mark", name, frag)
		}
		if n := strings.Count(frag, "<mark>"); n == 0 || n != strings.Count(frag, "</mark>") {
			t.Errorf("%s %q: unbalanced marks", name, frag)
		}
		// Only <mark> elements: the title's own "<b>" is text.
		z := html.NewTokenizer(strings.NewReader(frag))
		for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
			if tt == html.StartTagToken || tt == html.EndTagToken {
				if tag, _ := z.TagName(); string(tag) != "mark" {
					t.Errorf("%s %q: element <%s>", name, frag, tag)
				}
			}
		}
	}
}
