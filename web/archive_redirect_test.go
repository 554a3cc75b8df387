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

// archAddRedirect archives a 301 from u to location, fetched at at, and
// records its capture.
func archAddRedirect(t testing.TB, st *store.Store, u, location string, at time.Time) {
	t.Helper()
	w, err := warc.NewWriter(st.WARCPath(), warc.WriterOptions{Software: "review"})
	if err != nil {
		t.Fatal(err)
	}
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

// archTime is when archAddCapture's captures were fetched.
var archTime = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)

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
	archAddRedirect(t, st, section+"/", "/tin-tuc/tu-lieu", archTime)
	archAddRedirect(t, st, "http://live.example/vong", "http://live.example/vong", archTime)
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

// TestArchivedRedirectLoop: the crawl met a redirect loop (A → B → A:
// the crawler stops it, errRedirectLoop, but both hops are archived) and
// the archive holds no page for either URL. A link to A in an archived
// copy must end on "the archive has no copy" (404), as a redirect to
// itself does; archivedRedirect only guards against a redirect to the
// same URL, so the server sends the reader A → B → A → … until the
// browser gives up (ERR_TOO_MANY_REDIRECTS).
func TestArchivedRedirectLoop(t *testing.T) {
	ix, st := openEmptyParts(t)
	srv := httptest.NewServer(New(ix, st, Options{}))
	defer srv.Close()
	at := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	const a, b = "http://live.example/tin-tuc/a", "http://live.example/tin-tuc/b"
	archAddRedirect(t, st, a, b, at)
	archAddRedirect(t, st, b, a, at.Add(time.Millisecond))

	hops := 0
	client := &http.Client{CheckRedirect: func(_ *http.Request, via []*http.Request) error {
		hops = len(via)
		if len(via) >= 10 {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	resp, err := client.Get(srv.URL + "/archive?url=" + url.QueryEscape(a))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("a link into an archived redirect loop: %d after %d redirects (last Location %q); want 404 (the archive has no copy), not an endless chain of redirects",
			resp.StatusCode, hops, resp.Header.Get("Location"))
	}
}

// TestArchivedRedirectAtWholeSecond: at= written to the second names
// that whole second (findCapture: "the capture a permalink names is a
// fraction of a second after its whole second"). The redirect a link
// follows must be chosen the same way: the redirect captured at
// 09:00:00.4 is the one at=09:00:00Z names, not the one of an earlier
// night. archivedRedirect parses at= without that rounding and follows
// the older redirect, to another target.
func TestArchivedRedirectAtWholeSecond(t *testing.T) {
	ix, st := openEmptyParts(t)
	srv := httptest.NewServer(New(ix, st, Options{}))
	defer srv.Close()
	const u = "http://live.example/tin-tuc/cu"
	night1 := time.Date(2026, 9, 30, 9, 0, 0, 300e6, time.UTC)
	night2 := time.Date(2026, 10, 1, 9, 0, 0, 400e6, time.UTC)
	archAddRedirect(t, st, u, "http://live.example/tin-tuc/dich-1", night1)
	archAddRedirect(t, st, u, "http://live.example/tin-tuc/dich-2", night2)
	for _, target := range []string{"http://live.example/tin-tuc/dich-1", "http://live.example/tin-tuc/dich-2"} {
		archAddCapture(t, st, target, "text/html; charset=utf-8", "article", []byte("<html><body><p>Bài đích</p></body></html>"))
	}
	sameAs := func(at time.Time) *store.Capture {
		c, err := st.RedirectNear(context.Background(), u, at)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if got := sameAs(night2.Add(time.Second - time.Nanosecond)); got.Location != "http://live.example/tin-tuc/dich-2" {
		t.Fatalf("setup: the second of night 2 holds %q", got.Location)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	at := night2.Truncate(time.Second).Format(time.RFC3339) // "2026-10-01T09:00:00Z"
	resp, err := noFollow.Get(srv.URL + "/archive?url=" + url.QueryEscape(u) + "&at=" + url.QueryEscape(at))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || loc == nil || loc.Query().Get("url") != "http://live.example/tin-tuc/dich-2" {
		t.Errorf("at=%s (the second of night 2's redirect): %d, Location %q; want the redirect of that second, to dich-2",
			at, resp.StatusCode, resp.Header.Get("Location"))
	}
}
