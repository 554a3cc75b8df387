package web

import (
	"encoding/json"
	"strings"
	"testing"

	"tulieu/api"
)

// TestBadInputMalformedQueryString: a query string Go cannot parse
// whole: a raw semicolon (`?q=hòa;bình`, as a script that does not escape
// its query sends it) or a broken percent-escape (`?q=%ZZ`). Go's
// URL.Query() drops such pairs without a word, so the handlers see no q
// at all.
//
// User saw: 200 and every article of the archive ("query": "",
// "total": 2), as if nothing had been asked; /export streams the whole
// archive; while `tulieu search 'hòa;bình'` searches what was typed.
// They now see: a 400 {"error": …} saying the query string is malformed
// (or the query searched as sent), never every article.
func TestBadInputMalformedQueryString(t *testing.T) {
	srv, _ := newTestServer(t)
	for _, p := range []string{"/api/search?q=h%C3%B2a;b%C3%ACnh", "/api/search?q=%ZZ", "/api/ids?q=%ZZ"} {
		code, body := get(t, srv.URL+p)
		var res api.Search
		if code == 200 && (strings.HasPrefix(p, "/api/ids") && strings.Count(body, "\n") > 2 ||
			json.Unmarshal([]byte(body), &res) == nil && res.Query == "" && res.Total == 2) {
			t.Errorf("GET %s: 200, every article of the archive:\n%.200s\nwant a 400 saying the query string is malformed", p, body)
		} else if code != 200 && code != 400 {
			t.Errorf("GET %s: %d %s; want 400", p, code, body)
		}
	}
	code, body := get(t, srv.URL+"/export?format=jsonl&q=h%C3%B2a;b%C3%ACnh")
	if code == 200 && strings.Count(strings.TrimSpace(body), "\n") >= 1 {
		t.Errorf("GET /export?format=jsonl&q=hòa;bình: 200 with %d records: the whole archive; want a 400", strings.Count(strings.TrimSpace(body), "\n")+1)
	}
}
