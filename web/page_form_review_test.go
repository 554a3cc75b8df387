package web

import (
	"strings"
	"testing"
)

// TestFormKeepsPageSizeAndBrowseSaysRange: a page size from a link that
// the menu does not offer (limit=7) stays selected in the form, so that
// submitting it again keeps it; and browsing without a query says which
// range a later page shows, as a search does (from a review: the form
// reset the size to 10, and page 2 of browsing did not say "11–20").
func TestFormKeepsPageSizeAndBrowseSaysRange(t *testing.T) {
	srv, _ := newTestServer(t)
	code, body := get(t, srv.URL+"/search?limit=7")
	if code != 200 || !strings.Contains(body, `<option value="7" selected>7</option>`) {
		t.Errorf("GET /search?limit=7: %d; the form's page size does not keep 7", code)
	}
	code, body = get(t, srv.URL+"/search?limit=1&offset=1")
	if h := firstMatch(body, `id="total">[^<]*`); code != 200 || !strings.Contains(h, "hiển thị 2–2") {
		t.Errorf("GET /search?limit=1&offset=1 (browsing, second page): %d, heading %q; want it to say 2–2", code, h)
	}
}
