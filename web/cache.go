package web

import (
	"container/list"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"tulieu/index"
)

// resultCache keeps the answers to recent searches, as search servers keep
// their request caches: the home page that every visitor opens, a result
// page a researcher goes back to, the next page of the same results. An
// answer is valid while the index's generation is the one it was computed
// at, so a crawl's changes are never hidden by it. The facets of a query
// and its filters are kept apart from its pages, so that paging through
// results does not count them again.
type resultCache struct {
	mu      sync.Mutex
	max     int
	entries map[string]*list.Element
	lru     *list.List // front: most recently used
	hits    atomic.Int64
	misses  atomic.Int64
}

type cacheEntry struct {
	key string
	res *index.Result            // a page of hits (nil for a facets entry)
	fac map[string][]index.Facet // the facets (nil for a page entry)
}

func newResultCache(max int) *resultCache {
	return &resultCache{max: max, entries: map[string]*list.Element{}, lru: list.New()}
}

// pageKey names a request's page of results at a generation.
func pageKey(gen uint64, req index.Request) string {
	return fmt.Sprintf("p|%d|%q|%d|%d|%q|%q|%s|%s|%q|%t", gen, req.Query, req.Limit, req.Offset, req.Category, req.Author,
		day(req.From), day(req.To), req.Sort, req.IncludeDeleted)
}

// facetKey names the facets of a request's matches at a generation: they
// do not depend on the page or the order.
func facetKey(gen uint64, req index.Request) string {
	return fmt.Sprintf("f|%d|%q|%q|%q|%s|%s|%t", gen, req.Query, req.Category, req.Author, day(req.From), day(req.To),
		req.IncludeDeleted)
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func (c *resultCache) get(key string) *cacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		c.misses.Add(1)
		return nil
	}
	c.hits.Add(1)
	c.lru.MoveToFront(el)
	return el.Value.(*cacheEntry)
}

func (c *resultCache) put(e *cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[e.key]; ok {
		el.Value = e
		c.lru.MoveToFront(el)
		return
	}
	c.entries[e.key] = c.lru.PushFront(e)
	for c.lru.Len() > c.max {
		old := c.lru.Back()
		c.lru.Remove(old)
		delete(c.entries, old.Value.(*cacheEntry).key)
	}
}

// search answers req from the cache, or from s and then the cache. The
// cached result is shared: callers must not change it.
func (c *resultCache) search(req index.Request, gen uint64, s func(index.Request) (*index.Result, error)) (*index.Result, error) {
	pk := pageKey(gen, req)
	var facets map[string][]index.Facet
	if req.Facets {
		if e := c.get(facetKey(gen, req)); e != nil {
			facets = e.fac
		}
	}
	if e := c.get(pk); e != nil && (!req.Facets || facets != nil) {
		if !req.Facets {
			return e.res, nil
		}
		res := *e.res
		res.Facets = facets
		return &res, nil
	}
	ask := req
	if facets != nil {
		ask.Facets = false // known already
	}
	res, err := s(ask)
	if err != nil {
		return nil, err
	}
	page := *res
	page.Facets = nil
	c.put(&cacheEntry{key: pk, res: &page})
	if req.Facets {
		if facets == nil {
			facets = res.Facets
			c.put(&cacheEntry{key: facetKey(gen, req), fac: facets})
		}
		out := page
		out.Facets = facets
		return &out, nil
	}
	return &page, nil
}
