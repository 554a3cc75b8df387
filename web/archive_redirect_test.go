package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"tulieu/store"
	"tulieu/warc"
)

// archAddRedirect archives a 301 from u to location and records its capture.
func archAddRedirect(t testing.TB, st *store.Store, u, location string) {
	t.Helper()
	w, err := warc.NewWriter(st.WARCPath(), warc.WriterOptions{Software: "review"})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	loc, err := w.WriteExchange(warc.Exchange{TargetURI: u, Date: at,
		Request:  []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
		Response: []byte("HTTP/1.1 301 Moved Permanently\r\nLocation: " + location + "\r\nContent-Length: 0\r\n\r\n")})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddCapture(context.Background(), &store.Capture{URL: u, FetchedAt: at, Status: 301, Location: location,
		RecordType: "response", WARCFile: loc.File, WARCOffset: loc.Offset, WARCLength: loc.Length, WARCRecordID: loc.RecordID}); err != nil {
		t.Fatal(err)
	}
}

// TestArchivedLinkThroughARedirect: an archived page links to a URL the
// crawl was answered with a redirect for (a section's address with a
// final slash, which the site sends on to the one without). Following the
// link in the archive leads to the target's copy, as the site led the
// crawler; it used to end on "the archive has no copy of this".
func TestArchivedLinkThroughARedirect(t *testing.T) {
	ix, st := openEmptyParts(t)
	srv := httptest.NewServer(New(ix, st, Options{}))
	defer srv.Close()
	const section = "http://live.example/tin-tuc/tu-lieu"
	archAddCapture(t, st, section, "text/html; charset=utf-8", "listing",
		[]byte(`<html><head><title>Tư liệu</title></head><body><p>Danh sách bài viết tư liệu</p></body></html>`))
	archAddRedirect(t, st, section+"/", "/tin-tuc/tu-lieu")
	archAddRedirect(t, st, "http://live.example/vong", "http://live.example/vong")
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	at := "2026-10-01T07:00:00+07:00"
	resp, err := noFollow.Get(srv.URL + "/archive?url=" + url.QueryEscape(section+"/") + "&at=" + url.QueryEscape(at))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || loc == nil || loc.Path != "/archive" || loc.Query().Get("url") != section || loc.Query().Get("at") != at {
		t.Fatalf("link to a redirect: %d, Location %q; want 302 to the target's archived copy at the same time", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, body := archGet(t, srv.URL+"/archive?url="+url.QueryEscape(section+"/")); resp.StatusCode != 200 || !strings.Contains(body, "Danh sách bài viết tư liệu") {
		t.Errorf("followed: %d %s", resp.StatusCode, body)
	}
	// A redirect to itself leads nowhere: the archive has no copy.
	if resp, _ := archGet(t, srv.URL+"/archive?url="+url.QueryEscape("http://live.example/vong")); resp.StatusCode != http.StatusNotFound {
		t.Errorf("redirect to itself: %d, want 404", resp.StatusCode)
	}
}
