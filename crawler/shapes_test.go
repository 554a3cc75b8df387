package crawler

import "testing"

// The shapes' productivity is grounded in pages that were something: two
// shapes that only link each other (a calendar's months and days) are
// barren whatever order their pages came in; a section index that links
// listings that link articles is not.
func TestShapeYieldsGrounded(t *testing.T) {
	s := newShapeYields()
	for i := 0; i < barrenShapeAfter; i++ {
		s.add("day", false, []string{"month"})
		s.add("month", false, []string{"day"})
	}
	if !s.barren("day") || !s.barren("month") {
		t.Errorf("a calendar's shapes, linking only each other: day barren %v, month barren %v; want both", s.barren("day"), s.barren("month"))
	}

	s = newShapeYields()
	for i := 0; i < barrenShapeAfter; i++ {
		s.add("index", false, []string{"listing"})
		s.add("listing", false, []string{"article"})
		s.add("article", true, nil)
	}
	for _, sh := range []string{"index", "listing", "article"} {
		if s.barren(sh) {
			t.Errorf("%s is barren; it leads to articles", sh)
		}
	}

	// A shape linking one whose pages were not fetched yet (documents,
	// pages still to come) is productive; one judged on fewer pages than
	// barrenShapeAfter is never barren.
	s = newShapeYields()
	for i := 0; i < barrenShapeAfter; i++ {
		s.add("docs-list", false, []string{"pdf"})
	}
	s.add("one-page", false, nil)
	if s.barren("docs-list") || s.barren("one-page") {
		t.Errorf("docs-list barren %v, one-page barren %v; want neither", s.barren("docs-list"), s.barren("one-page"))
	}
	// Judged again once its targets turn out barren.
	for i := 0; i < barrenShapeAfter; i++ {
		s.add("pdf", false, nil)
	}
	if !s.barren("docs-list") {
		t.Error("a shape whose only targets turned out barren stays productive")
	}
}
