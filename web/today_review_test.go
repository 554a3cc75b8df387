package web

// A review of the day's changes (2026-12-07, night): what a user of the
// page or the API meets. Each test's comment tells what happened before
// its fix: what the user does, what went wrong, and what should happen.

import (
	"io"
	"net/http"
	"testing"
)

// TestExportVersionFieldWithoutAllVersions: `export --fields
// id,version` without `--versions all` is now refused (commit 4cb5b5d:
// "it wrote version 0"), but the same export through the page's /export
// (the README: "the same export of the selection", "through the same
// code as tulieu export") still writes it.
//
// User does: GET /export?format=jsonl&fields=id,version (or a script of
// the API doing what the CLI refuses).
// User sees: 200 and records whose every one says "version": 0 (no
// version has that number) and, with fetched_from, an empty address.
// Should see: 400 saying that version and fetched_from go with
// versions=all, as the CLI says (exit 2).
func TestExportVersionFieldWithoutAllVersions(t *testing.T) {
	srv, _ := newTestServer(t)
	for _, fields := range []string{"id,version", "id,fetched_from"} {
		resp, err := http.Get(srv.URL + "/export?format=jsonl&fields=" + fields)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Errorf("GET /export?format=jsonl&fields=%s (no versions=all): %d: %.160q; want 400, as `tulieu export --fields %s` is refused",
				fields, resp.StatusCode, b, fields)
		}
	}
}
