package web

import (
	"encoding/json"
	"testing"
	"time"

	"tulieu/api"
)

// TestExportRefusesUnknownVersions: /export takes versions= as `tulieu
// export --versions` does: current or all, anything else a 400 (the flag
// exits 2), not a silent export of the current versions.
func TestExportRefusesUnknownVersions(t *testing.T) {
	srv, _ := newTestServer(t)
	code, body := get(t, srv.URL+"/export?format=jsonl&versions=bogus")
	if code != 400 {
		t.Errorf("GET /export?versions=bogus: %d %.200s; want 400 {\"error\"} as --versions bogus is exit 2", code, body)
	}
}

// TestExportFieldsReadAsTheFlag: /export?fields=id,%20title is read as
// `tulieu export --fields "id, title"` is, spaces around names ignored.
func TestExportFieldsReadAsTheFlag(t *testing.T) {
	srv, _ := newTestServer(t)
	code, body := get(t, srv.URL+"/export?format=csv&fields=id,%20title")
	if code != 200 {
		t.Errorf("GET /export?fields=id,%%20title: %d %.200s; tulieu export --fields \"id, title\" accepts it", code, body)
	}
}

// TestChangesSinceBounded: a since of more days than api.ParseSince takes
// is a 400, not a "since" after "until" or one with no RFC 3339 form (the
// day count overflowed). The same function reads `changes --since` and
// `export --changed-since`.
func TestChangesSinceBounded(t *testing.T) {
	srv, _ := newTestServer(t)
	for _, since := range []string{"9223372036854775807d", "99999999999d"} {
		code, body := get(t, srv.URL+"/api/changes?since="+since)
		if code >= 400 && code < 500 {
			continue
		}
		var ch api.Changes
		if err := json.Unmarshal([]byte(body), &ch); err != nil {
			t.Fatalf("since=%s: %d %s", since, code, body)
		}
		s, err1 := time.Parse(time.RFC3339, ch.Since)
		u, err2 := time.Parse(time.RFC3339, ch.Until)
		if err1 != nil || err2 != nil || s.After(u) {
			t.Errorf("GET /api/changes?since=%s: %d, since %q until %q (not RFC 3339, or since after until); want a 400",
				since, code, ch.Since, ch.Until)
		}
	}
}
