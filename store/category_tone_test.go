package store

import (
	"context"
	"testing"
)

// A category typed with its tone marks placed the other way selects the
// articles filed under either spelling, in Articles and EachArticle, as
// the search index's filter does.
func TestCategoryFilterIgnoresTonePlacement(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	for i, cat := range []string{"Hoà bình", "Hòa bình", "Hòa hợp"} {
		c := content("Đoạn.")
		c.Category = cat
		if _, _, err := s.RecordArticle(ctx, "http://example.test/a-"+string(rune('1'+i))+".html", c, 0, t0); err != nil {
			t.Fatal(err)
		}
	}
	for _, cat := range []string{"Hòa bình", "Hoà bình", "  Hoà   bình "} {
		arts, err := s.Articles(ctx, Filter{Category: cat})
		if err != nil || len(arts) != 2 {
			t.Errorf("Articles(%q): %d %v, want 2", cat, len(arts), err)
		}
		n := 0
		if err := s.EachArticle(ctx, Filter{Category: cat}, func(*Article) error { n++; return nil }); err != nil || n != 2 {
			t.Errorf("EachArticle(%q): %d %v, want 2", cat, n, err)
		}
	}
	if arts, err := s.Articles(ctx, Filter{Category: "Hoa binh"}); err != nil || len(arts) != 0 {
		t.Errorf("Articles(Hoa binh): %d %v, want none (a category is exact but for the tone marks' place)", len(arts), err)
	}
}
