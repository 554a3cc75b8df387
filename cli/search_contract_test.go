package cli

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"tulieu/api"
	"tulieu/internal/fixturesite"
)

// TestLongQueryIsAUsageError: a query longer than index.MaxQueryLength is
// refused with exit 2 ("bad flags, arguments or query syntax", README),
// whether the CLI opens the index itself or asks a running server.
func TestLongQueryIsAUsageError(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	long := strings.TrimSpace(strings.Repeat("đảng ", 500)) // 3999 bytes
	code, out, errOut := run(t, data, "search", "--json", long)
	if code != ExitUsage || out != "" || !strings.Contains(errOut, "2000") {
		t.Errorf("tulieu search with a %d-byte query (no server): exit %d, stderr %q; want exit %d (as through a server)",
			len(long), code, errOut, ExitUsage)
	}
	startServe(t, data, ServeOptions{})
	code, _, errOut = run(t, data, "search", "--json", long)
	if code != ExitUsage {
		t.Errorf("through the server: exit %d %q", code, errOut)
	}
}

// TestSearchQueryTrimmedAsTheAPI: `tulieu search --json Q` and GET
// /api/search?q=Q are the same bytes for a query with spaces around it,
// and the CLI prints the same document whether or not a server holds the
// index.
func TestSearchQueryTrimmedAsTheAPI(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	q := " thanh hoa "
	code, local, errOut := run(t, data, "search", "--json", q)
	if code != 0 {
		t.Fatalf("exit %d %s", code, errOut)
	}
	addr := startServe(t, data, ServeOptions{})
	status, body := getBody(t, "http://"+addr+"/api/search?q="+url.QueryEscape(q))
	if status != 200 || body != local {
		var a, b api.Search
		json.Unmarshal([]byte(local), &a)
		json.Unmarshal([]byte(body), &b)
		t.Errorf("GET /api/search?q=%q: query %q; tulieu search --json %q: query %q", q, b.Query, q, a.Query)
	}
	_, viaServer, _ := run(t, data, "search", "--json", q)
	if viaServer != local {
		t.Errorf("tulieu search --json %q prints a different document while a server runs", q)
	}
}
