package index

import (
	"context"
	"strings"
	"testing"
)

// A category or an exact author typed with its tone marks placed the
// other way ("Hòa" for the site's "Hoà") finds what the index files
// under either spelling, as plain words do; each spelling stays as the
// site printed it in the facets.
func TestKeywordFiltersIgnoreTonePlacement(t *testing.T) {
	ix, _ := newTestIndex(t)
	ctx := context.Background()
	docs := []Document{
		{ID: "a1", URL: "http://x.vn/a1", Title: "Hội nghị một", Body: "Nội dung.", Category: "Hoà bình", AuthorName: "Nguyễn Thị Thanh Hoà", Published: "2020-01-02"},
		{ID: "a2", URL: "http://x.vn/a2", Title: "Hội nghị hai", Body: "Nội dung.", Category: "Hòa bình", AuthorName: "Nguyễn Thị Thanh Hòa", Published: "2020-01-03"},
		{ID: "a3", URL: "http://x.vn/a3", Title: "Hội nghị ba", Body: "Nội dung.", Category: "Hòa hợp", AuthorName: "Lê Hà", Published: "2020-01-04"},
	}
	if err := ix.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		req  Request
		want int
	}{
		{Request{Category: "Hòa bình"}, 2},
		{Request{Category: "Hoà bình"}, 2},
		{Request{Category: "Hòa bình", Query: "hội nghị"}, 2},
		{Request{Author: `"Nguyễn Thị Thanh Hòa"`}, 2},
		{Request{Author: `"Nguyễn Thị Thanh Hoà"`, Query: "nội dung"}, 2},
		{Request{Category: "Hoa binh"}, 0}, // exact: accents are not optional here
		{Request{Category: "Không có"}, 0},
	} {
		res, err := ix.Search(ctx, c.req)
		if err != nil {
			t.Fatal(err)
		}
		if int(res.Total) != c.want {
			t.Errorf("%+v: %d matches, want %d", c.req, res.Total, c.want)
		}
		var ids []string
		if err := ix.MatchIDs(ctx, c.req, func(page []string) error { ids = append(ids, page...); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(ids) != c.want {
			t.Errorf("MatchIDs %+v: %d ids, want %d", c.req, len(ids), c.want)
		}
	}
	// A spelling indexed after the first filtered searches is found too.
	if err := ix.Put(ctx, Document{ID: "a4", URL: "http://x.vn/a4", Title: "Hội nghị bốn", Body: "Nội dung.", Category: "Hoà hợp", Published: "2020-01-05"}); err != nil {
		t.Fatal(err)
	}
	if res, err := ix.Search(ctx, Request{Category: "Hòa hợp"}); err != nil || res.Total != 2 {
		t.Errorf("Hòa hợp after a4 (Hoà hợp) was indexed: %v matches, %v; want 2", res.Total, err)
	}
	res, err := ix.Search(ctx, Request{Facets: true, Category: "Hòa bình"})
	if err != nil {
		t.Fatal(err)
	}
	cats := map[string]int{}
	for _, f := range res.Facets["category"] {
		cats[f.Term] = f.Count
	}
	if cats["Hoà bình"] != 1 || cats["Hòa bình"] != 1 {
		t.Errorf("category facets %v: want each spelling as printed, once", cats)
	}
}

// Facet values shown with equal counts come in the order a Vietnamese
// reader looks them up: "Đào" with the D's, not after "Trần".
func TestFacetsInVietnameseOrder(t *testing.T) {
	fs := []Facet{{"Trần Quốc Khánh", 1}, {"Đào Thị Thủy", 1}, {"BBT", 3}, {"Lê Hà", 1}, {"Bùi Văn An", 1}, {"Dương Lan", 1}}
	sortFacets(fs)
	var got []string
	for _, f := range fs {
		got = append(got, f.Term)
	}
	want := []string{"BBT", "Bùi Văn An", "Dương Lan", "Đào Thị Thủy", "Lê Hà", "Trần Quốc Khánh"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("facets in the order %q, want %q", got, want)
	}
}
