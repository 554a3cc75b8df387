package web

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// A review of how the product handles dates and times, as a Vietnamese
// researcher or staff member meets them. Each test's comment tells what
// happened before its fix: what a user does, what they got, and what they
// should get.

// TestArchiveAtInVietnamTimeTypedInTheAddressBar: a researcher cites an
// archived copy in Vietnam time, as the page itself asks for it. The
// capture was taken at 07:00 on 1 October 2026 in Vietnam (00:00 UTC).
//
// User does: types into the browser's address bar
// /archive?url=…&at=2026-10-01T07:00:00+07:00 (or /raw?…&at=…), the very
// form the page's own error message names ("cần dạng
// 2020-02-28T08:30:00+07:00").
// User gets: 400 "Thời điểm không hợp lệ: cần dạng
// 2020-02-28T08:30:00+07:00." — the '+' of the offset arrives as a space
// (a query string's '+'), archiveAt parses the value as RFC 3339 and
// refuses it. The same value works as since= on /api/changes and as
// changed_since= on /export (api.ParseSince reads " 07:00" back as
// "+07:00"); only at= refuses it.
// Should get: the copy at that time (README: "/archive?url=U[&at=RFC3339]
// … the latest, or the nearest before at"), 200, as with the escaped
// %2B07:00 or with Z.
func TestArchiveAtInVietnamTimeTypedInTheAddressBar(t *testing.T) {
	ix, st := openEmptyParts(t)
	srv := httptest.NewServer(New(ix, st, Options{}))
	defer srv.Close()
	u := "http://danguykhoithanhhoa.org.vn/tin-tuc/tin-tuc-chung/hoi-nghi-101.html"
	archAddCapture(t, st, u, "text/html; charset=utf-8", "article",
		[]byte(`<html><head><meta charset="utf-8"><title>Hội nghị</title></head><body><h1>Hội nghị tổng kết</h1><p>Nội dung.</p></body></html>`))

	// The control: the same moment, escaped, is served.
	for _, route := range []string{"/archive", "/raw"} {
		resp, _ := archGet(t, srv.URL+route+"?url="+url.QueryEscape(u)+"&at="+url.QueryEscape("2026-10-01T07:00:00+07:00"))
		if resp.StatusCode != 200 {
			t.Fatalf("%s with at=%s escaped: status %d, want 200 (the test's own premise)", route, "2026-10-01T07:00:00+07:00", resp.StatusCode)
		}
	}
	// As typed in an address bar, or pasted from a citation written in
	// Vietnam time: the '+' unescaped.
	for _, route := range []string{"/archive", "/raw"} {
		resp, body := archGet(t, srv.URL+route+"?url="+url.QueryEscape(u)+"&at=2026-10-01T07:00:00+07:00")
		if resp.StatusCode != 200 {
			msg := body
			if i := strings.Index(body, "Thời điểm"); i >= 0 {
				msg = body[i:min(len(body), i+120)]
			}
			t.Errorf("%s?url=…&at=2026-10-01T07:00:00+07:00 (typed as the page's message asks): status %d (%q); want 200, the copy captured at that moment",
				route, resp.StatusCode, msg)
		}
	}
}
