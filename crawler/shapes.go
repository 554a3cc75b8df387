package crawler

import "sync"

// barrenShapeAfter is how many pages of one shape (urlPattern) a run
// fetches, none of them yielding anything, before the shape counts as
// barren: links to it then bring nothing new to the page that holds them
// (see pageHandler.links), and are not followed from pages.
//
// A chain of same-shape pages stops once it brings nothing new (see
// maxBarren), and a link of another shape not seen before counted as
// new. A calendar made of two shapes defeated that: every month page
// links thirty day pages never seen, so the month chain never ran dry,
// and the days' own chains each cost five more pages: a night's whole
// budget for pages without a word of text. A shape whose pages, ten of
// them, were neither articles, static pages nor documents, and brought
// no new link either, is such a calendar's days.
const barrenShapeAfter = 10

// shapeYields counts, for each shape of URL, the pages a run fetched and
// how many of them yielded something: an article, a static page, a
// document, or a link to something new.
type shapeYields struct {
	mu      sync.Mutex
	fetched map[string]int
	yielded map[string]int
}

func newShapeYields() *shapeYields {
	return &shapeYields{fetched: map[string]int{}, yielded: map[string]int{}}
}

// add records a page of shape fetched, and whether it yielded anything.
func (s *shapeYields) add(shape string, yielded bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fetched[shape]++
	if yielded {
		s.yielded[shape]++
	}
}

// barren says whether shape has had barrenShapeAfter pages fetched and
// none yielded anything.
func (s *shapeYields) barren(shape string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fetched[shape] >= barrenShapeAfter && s.yielded[shape] == 0
}
