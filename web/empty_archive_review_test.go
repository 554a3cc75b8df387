package web

import (
	"net/http/httptest"
	"testing"
)

// TestEmptyArchivePages: a server over an archive that holds no article
// yet (a first crawl that archived only listings, e.g. `tulieu crawl
// --max-pages 1`) answers its home page and an empty search with a 200
// listing nothing (the README: "/" shows the newest articles and the
// search box; an empty query lists every article). From a review: they
// were a 500 "internal error" ("field stat for bm25 not present status"),
// because index/bm25stats.go bm25Stats left every field out of the
// per-shard figures when the index had no document.
func TestEmptyArchivePages(t *testing.T) {
	ix, st := openEmptyParts(t)
	srv := httptest.NewServer(New(ix, st, Options{}))
	t.Cleanup(srv.Close)
	for _, p := range []string{"/", "/search?q=", "/api/search?q=", "/api/search?category=T%C6%B0+li%E1%BB%87u"} {
		if code, body := get(t, srv.URL+p); code != 200 {
			t.Errorf("GET %s on an archive with no article: %d %.120q; want 200 with no result", p, code, body)
		}
	}
}
