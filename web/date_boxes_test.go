package web

import (
	"encoding/json"
	"strings"
	"testing"

	"tulieu/api"
)

// The page's date boxes were <input type="date">, shown in the browser's
// language: mm/dd/yyyy in an English browser, where a Vietnamese reader
// writes 28/02/2020. They are text boxes now, taking a day as Vietnamese
// write it or as YYYY-MM-DD, as the API's from and to (and the CLI's
// --from and --to) take it; a day that does not exist is refused.
func TestDateBoxesTakeVietnameseDays(t *testing.T) {
	srv, _ := newTestServer(t)
	total := func(q string) uint64 {
		t.Helper()
		code, body := get(t, srv.URL+"/api/search?"+q)
		var r api.Search
		if code != 200 || json.Unmarshal([]byte(body), &r) != nil {
			t.Fatalf("/api/search?%s: %d %s", q, code, body)
		}
		return r.Total
	}
	iso, vi := total("from=2020-01-01&to=2020-12-31"), total("from=1/1/2020&to=31%2F12%2F2020")
	if iso != vi || iso == total("") {
		t.Errorf("from/to as YYYY-MM-DD: %d, as DD/MM/YYYY: %d (all: %d); want the same, a part of all", iso, vi, total(""))
	}
	if code, body := get(t, srv.URL+"/api/search?from=31/02/2020"); code != 400 || !strings.Contains(body, "DD/MM/YYYY") {
		t.Errorf("from=31/02/2020: %d %s; want a 400 naming both forms", code, body)
	}
	code, body := get(t, srv.URL+"/search?from=2020-01-01")
	if code != 200 || !strings.Contains(body, `name="from" value="01/01/2020"`) || strings.Contains(body, `type="date"`) {
		t.Errorf("the page's date box: %d %s", code, firstMatch(body, `<label>Từ ngày[^\n]*`))
	}
}
