package web

import (
	"io"
	"net/http"
	"net/url"
	"testing"
)

// TestExportFieldsWithDocFormat: /export?format=md&fields=id is a bad
// request (fields are chosen for csv, xlsx and jsonl only), answered 400
// with what is wrong before the download starts, not an aborted
// connection.
func TestExportFieldsWithDocFormat(t *testing.T) {
	srv, _ := newTestServer(t)
	for _, format := range []string{"md", "html", "warc", "wacz"} {
		resp, err := http.Get(srv.URL + "/export?format=" + format + "&fields=id")
		if err != nil {
			t.Errorf("GET /export?format=%s&fields=id: %v; want 400 {\"error\"}", format, err)
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Errorf("GET /export?format=%s&fields=id: %d %.200s; want 400", format, resp.StatusCode, b)
		}
	}
}

// TestExportChangedSinceAsTheFlag: /export?changed_since= reads what
// --changed-since reads (24h, 7d, a date, an RFC 3339 time); anything
// else is a 400 that says so.
func TestExportChangedSinceAsTheFlag(t *testing.T) {
	srv, _ := newTestServer(t)
	for v, want := range map[string]int{"24h": 200, "7d": 200, "2020-01-01": 200, "2020-01-01T00:00:00Z": 200, "hôm qua": 400} {
		resp, err := http.Get(srv.URL + "/export?format=csv&changed_since=" + url.QueryEscape(v))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET /export?changed_since=%s: %d %.200s; want %d", v, resp.StatusCode, b, want)
		}
	}
}

// TestSwitchParamsAreOneOrZero: deleted= and facets= take 1 or 0; any
// other value is a 400 that says so ("facets=yes" was read as off).
func TestSwitchParamsAreOneOrZero(t *testing.T) {
	srv, _ := newTestServer(t)
	for q, want := range map[string]int{"facets=1": 200, "facets=0": 200, "deleted=1": 200, "facets=yes": 400, "deleted=2": 400} {
		resp, err := http.Get(srv.URL + "/api/search?q=thanh&" + q)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET /api/search?%s: %d %.200s; want %d", q, resp.StatusCode, b, want)
		}
	}
}
