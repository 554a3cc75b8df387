package crawler

import (
	"net/url"
	"slices"
	"sync"
)

// barrenShapeAfter is how many pages of one shape (urlPattern) a run
// fetches before it judges the shape: a shape whose pages, that many of
// them, led to nothing productive is barren, and links to it then bring
// nothing new to the page that holds them (see pageHandler.links), and
// are not followed from pages.
//
// A chain of same-shape pages stops once it brings nothing new (see
// maxBarren), and a link of another shape not seen before counted as
// new. A calendar made of two shapes defeated that: every month page
// links thirty day pages never seen, so the month chain never ran dry,
// and the days' own chains each cost five more pages: a night's whole
// budget for pages without a word of text.
const barrenShapeAfter = 10

// shapeYields records, for each shape of URL, the pages a run fetched,
// whether one of them was something (an article, a static page), and the
// shapes of the new links its pages gave. A shape is productive when its
// pages were something, or linked new pages of a productive shape, or of
// a shape no page of which was fetched yet (documents, pages still to
// come). Productivity must be grounded so: a calendar's month pages link
// new day pages and its day pages new month pages, and counting any new
// link as a yield made each shape productive through the other, or not,
// depending on which pages the crawl reached first (the calendar then
// took the night's budget, or not). A shape is judged once it has had
// barrenShapeAfter pages fetched; the shapes it links, on what their
// pages fetched so far did.
type shapeYields struct {
	mu         sync.Mutex
	fetched    map[string]int
	something  map[string]bool
	links      map[string]map[string]bool // shape → shapes its pages linked anew
	productive map[string]bool            // worked out from the above when stale
	stale      bool
}

func newShapeYields() *shapeYields {
	return &shapeYields{fetched: map[string]int{}, something: map[string]bool{}, links: map[string]map[string]bool{}}
}

// add records a page of shape fetched, whether it was something, and the
// shapes of the new links it gave.
func (s *shapeYields) add(shape string, something bool, linked []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fetched[shape]++
	if s.fetched[shape] == barrenShapeAfter {
		s.stale = true // judged from now on
	}
	if something && !s.something[shape] {
		s.something[shape], s.stale = true, true
	}
	for _, t := range linked {
		m := s.links[shape]
		if m == nil {
			m = map[string]bool{}
			s.links[shape] = m
		}
		if !m[t] {
			m[t], s.stale = true, true
		}
	}
}

// barren says whether shape has had barrenShapeAfter pages fetched and is
// not productive.
func (s *shapeYields) barren(shape string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fetched[shape] < barrenShapeAfter {
		return false
	}
	if s.stale || s.productive == nil {
		s.judge()
	}
	return !s.productive[shape]
}

// judge works out which shapes are productive: those that were something,
// then, until nothing changes, those linking one or a shape not fetched
// yet.
func (s *shapeYields) judge() {
	p := map[string]bool{}
	known := func(t string) bool { return p[t] || s.fetched[t] == 0 }
	for sh := range s.fetched {
		if s.something[sh] {
			p[sh] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for sh, targets := range s.links {
			if p[sh] {
				continue
			}
			for t := range targets {
				if known(t) {
					p[sh], changed = true, true
					break
				}
			}
		}
	}
	s.productive, s.stale = p, false
}

// barrenURL says whether u's shape is barren (shapeYields.barren).
func (p *pageHandler) barrenURL(u string) bool {
	pu, err := url.Parse(u)
	return err == nil && p.shapes.barren(urlPattern(pu))
}

// addShape adds shape to shapes unless it is there: a page's new links
// are of a few shapes.
func addShape(shapes []string, shape string) []string {
	if slices.Contains(shapes, shape) {
		return shapes
	}
	return append(shapes, shape)
}
