package index

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
)

// TestYearFacetListsEveryYear: the year facet returned the 30 most
// frequent years, so an archive with documents of 46 different years
// (its first congresses' records beside this decade's news) hid the
// oldest, rarest years from the facet: a researcher saw 1996–2025 and no
// sign of the 1960s. Every year is listed now, the latest first, by the
// flat searcher's facets and by bleve's alike.
func TestYearFacetListsEveryYear(t *testing.T) {
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	defer ix.Close()
	ctx := context.Background()
	var docs []Document
	for y := 1960; y <= 2025; y++ {
		if y > 1975 && y < 1996 {
			continue // 46 years: 1960–1975 and 1996–2025
		}
		n := 1
		if y >= 1996 {
			n = 3 // the recent years more frequent than the old ones
		}
		for k := range n {
			docs = append(docs, Document{ID: fmt.Sprintf("d%d-%d", y, k), URL: fmt.Sprintf("http://x.vn/%d-%d.html", y, k),
				Title: "Đại hội Đảng bộ năm " + strconv.Itoa(y), Body: "Tư liệu về đại hội đại biểu Đảng bộ Khối.",
				Published: fmt.Sprintf("%d-06-01", y), Status: "live"})
		}
	}
	if err := ix.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"đại hội", `"đại hội đại biểu"`, ""} {
		res, err := ix.Search(ctx, Request{Query: q, Limit: 1, Facets: true})
		if err != nil {
			t.Fatal(err)
		}
		years := res.Facets["year"]
		if len(years) != 46 || years[0].Term != "2025" || years[len(years)-1].Term != "1960" {
			t.Errorf("%q: %d years in the facet, %v … %v; want the 46, 2025 first and 1960 last", q, len(years), years[:min(2, len(years))], years[max(0, len(years)-2):])
		}
		if len(res.Facets["category"]) > facetSize {
			t.Errorf("%q: %d categories", q, len(res.Facets["category"]))
		}
	}
}
