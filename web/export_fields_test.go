package web

import (
	"io"
	"net/http"
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
