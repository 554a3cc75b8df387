package index

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestTitleHTML(t *testing.T) {
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	defer ix.Close()
	ctx := context.Background()
	docs := []Document{
		{ID: "1", Title: "Đẩy mạnh chuyển đổi số <trong> công tác", Body: "Chuyển đổi số là nhiệm vụ.", Published: "2021-03-01"},
		{ID: "2", Title: nfd("Giữ gìn hoà bình"), Body: "Hoà bình và phát triển.", Published: "2019-12-31"},
		{ID: "3", Title: "Hội nghị", Body: "Bàn về chuyển đổi số.", Published: "2020-01-01"},
	}
	if err := ix.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	get := func(q, id string) Hit {
		t.Helper()
		r, err := ix.Search(ctx, Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range r.Hits {
			if h.ID == id {
				return h
			}
		}
		t.Fatalf("%q: %s not found in %v", q, id, ids(r))
		return Hit{}
	}
	if h := get("chuyen doi so", "1"); h.TitleHTML != "Đẩy mạnh <mark>chuyển</mark> <mark>đổi</mark> <mark>số</mark> &lt;trong&gt; công tác" {
		t.Errorf("TitleHTML %q", h.TitleHTML)
	}
	if h := get("chuyen doi so", "3"); h.TitleHTML != "Hội nghị" {
		t.Errorf("no match in title: %q", h.TitleHTML)
	}
	// Decomposed, old-style title; a new-style query.
	if h := get("hòa bình", "2"); h.TitleHTML != "Giữ gìn <mark>hoà</mark> <mark>bình</mark>" {
		t.Errorf("NFD title: %q", h.TitleHTML)
	}
	// tieude: marks the title only; an author filter marks nothing.
	h := get("tieude:hội chuyển", "3")
	if h.TitleHTML != "<mark>Hội</mark> nghị" || !strings.Contains(h.SnippetHTML, "<mark>chuyển</mark>") || strings.Contains(h.SnippetHTML, "<mark>Bàn") {
		t.Errorf("tieude: %q / %q", h.TitleHTML, h.SnippetHTML)
	}
	// Excluded words are not marked.
	if h := get("chuyển -hội", "1"); strings.Contains(h.TitleHTML, "<mark>công") {
		t.Errorf("exclusion marked: %q", h.TitleHTML)
	}
}

func TestYearRanges(t *testing.T) {
	ix, _ := newTestIndex(t)
	cases := []struct {
		q    string
		want []string
	}{
		{"nam:2019..2020", []string{"a1", "a4", "a6", "a11", "a13"}},
		{"nam:2019-2020", []string{"a1", "a4", "a6", "a11", "a13"}},
		{"year:2020..2020", []string{"a1", "a6", "a11"}},
		{"đảng nam:2021..2023", []string{"a2", "a14"}},
		{"nam:2018..2019 OR nam:2023", []string{"a4", "a7", "a12", "a13"}},
		{"hòa bình -nam:2019..2020", []string{"a5"}},
	}
	for _, c := range cases {
		r := doSearch(t, ix, Request{Query: c.q})
		if !sameSet(ids(r), c.want) {
			t.Errorf("%q: got %v, want %v", c.q, ids(r), c.want)
		}
	}
	for _, q := range []string{"nam:2021..2019", "nam:20..2021", "nam:2019..", "nam:..2020", "nam:2019...2021", "nam:abcd-efgh"} {
		_, err := ix.Search(context.Background(), Request{Query: q})
		var qe *QueryError
		if !errors.As(err, &qe) {
			t.Errorf("%q: error %v, want a QueryError", q, err)
		}
	}
}
