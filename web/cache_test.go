package web

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"
	"time"

	"tulieu/api"
	"tulieu/index"
	"tulieu/store"
)

// countingSearcher records the requests that reach the index.
type countingSearcher struct {
	*index.Index
	mu   sync.Mutex
	reqs []index.Request
}

func (c *countingSearcher) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	c.mu.Lock()
	c.reqs = append(c.reqs, req)
	c.mu.Unlock()
	return c.Index.Search(ctx, req)
}

// TestResultCache: a repeated search is answered from the cache, the next
// page of a query reuses its facets, the answers are those of the index,
// and a change to the index is seen at once.
func TestResultCache(t *testing.T) {
	ix, st := openTestParts(t)
	cs := &countingSearcher{Index: ix}
	srv := httptest.NewServer(New(cs, st, Options{}))
	defer srv.Close()
	uncached := httptest.NewServer(New(ix, st, Options{CacheSize: -1}))
	defer uncached.Close()
	apiSearch := func(base, q string) api.Search {
		t.Helper()
		code, body := get(t, base+"/api/search?"+q)
		var res api.Search
		if code != 200 || json.Unmarshal([]byte(body), &res) != nil {
			t.Fatalf("%s: %d %s", q, code, body)
		}
		return res
	}
	q := "q=thanh+hoa&facets=1"
	first, second := apiSearch(srv.URL, q), apiSearch(srv.URL, q)
	if !reflect.DeepEqual(first, second) || !reflect.DeepEqual(first, apiSearch(uncached.URL, q)) {
		t.Fatalf("cached answers differ: %+v / %+v", first, second)
	}
	if len(cs.reqs) != 1 {
		t.Fatalf("%d searches reached the index for one repeated request", len(cs.reqs))
	}
	// Another page: the facets are known; only the page is searched.
	next := apiSearch(srv.URL, q+"&offset=1&limit=1")
	if len(cs.reqs) != 2 || cs.reqs[1].Facets || !reflect.DeepEqual(next.Facets, first.Facets) {
		t.Fatalf("next page: %d searches, last %+v, facets %v", len(cs.reqs), cs.reqs[len(cs.reqs)-1], next.Facets)
	}
	// The index changes: the answer follows at once.
	archiveArticle(t, st, ix, "http://danguykhoithanhhoa.org.vn/x-2.html", store.Content{Kind: store.KindArticle,
		Title: "Thanh Hóa mới", Body: "Tin mới ở Thanh Hóa.", Category: "Tin mới"}, time.Now())
	after := apiSearch(srv.URL, q)
	if after.Total != first.Total+1 || len(after.Facets["category"]) != len(first.Facets["category"])+1 {
		t.Errorf("after a change: total %d (was %d), categories %v", after.Total, first.Total, after.Facets["category"])
	}
}
