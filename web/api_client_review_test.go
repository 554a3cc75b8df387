package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// These tests come from a review by a developer who scripts the JSON API
// and the CLI's --json. Each test's comment tells what happened before its
// fix (in the present tense of the review) and what should happen, which
// the test holds.

// apiClientGet fetches u and returns the response (body read and closed) and
// its body.
func apiClientGet(t *testing.T, u string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

// apiClientFreshFor is how many seconds a Cache-Control header lets a cache
// reuse the answer without asking the server again (0: it must ask).
func apiClientFreshFor(cc string) int {
	fresh := 0
	for _, d := range strings.Split(cc, ",") {
		d = strings.ToLower(strings.TrimSpace(d))
		switch {
		case d == "no-cache" || d == "no-store":
			return 0
		case strings.HasPrefix(d, "max-age="):
			fresh, _ = strconv.Atoi(strings.TrimPrefix(d, "max-age="))
		}
	}
	return fresh
}

// TestAPIClientLatestCopyIsNotCachedAsIfFixed: a script (Python with
// requests-cache, a browser, any HTTP cache in between) fetches the latest
// archived copy of an address, /raw?url=U and /archive?url=U, the forms the
// README documents for "the latest" capture. After the next night's crawl
// archives a new copy, the same URL answers with other bytes. What
// happens: the first answers said "Cache-Control: private, max-age=86400"
// (/raw) and "max-age=3600" (/archive), so every cache keeps serving
// yesterday's copy for a day (an hour) without asking; the answers carry
// no validator either. What should happen: an answer that names no
// capture (no capture=N) and changes whenever the archive does is not
// declared fresh for a fixed time (no-cache, or max-age=0, or a redirect
// to the immutable capture=N form); only capture=N is immutable. The
// cause is rawHeaders and handleArchive (web/archive.go), which set the
// same Cache-Control for every way of naming a capture.
func TestAPIClientLatestCopyIsNotCachedAsIfFixed(t *testing.T) {
	ix, st := openEmptyParts(t)
	img := "http://danguykhoithanhhoa.org.vn/uploads/anh-hoi-nghi.png"
	page := "http://danguykhoithanhhoa.org.vn/tin-tuc/hoi-nghi-9.html"
	archiveResponses(t, st, []archivedResponse{
		{url: img, contentType: "image/png", payload: "PNG bản thứ nhất"},
		{url: page, contentType: "text/html; charset=utf-8", payload: "<html><body><p>Nội dung bản thứ nhất</p></body></html>"},
	})
	srv := httptest.NewServer(New(ix, st, Options{}))
	defer srv.Close()

	type seen struct {
		cc, body string
	}
	first := map[string]seen{}
	paths := []string{"/raw?url=" + url.QueryEscape(img), "/archive?url=" + url.QueryEscape(page)}
	for _, p := range paths {
		resp, body := apiClientGet(t, srv.URL+p)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %.300s", p, resp.StatusCode, body)
		}
		first[p] = seen{resp.Header.Get("Cache-Control"), body}
	}

	// The next night: a new copy of both.
	time.Sleep(20 * time.Millisecond)
	archiveResponses(t, st, []archivedResponse{
		{url: img, contentType: "image/png", payload: "PNG bản thứ hai"},
		{url: page, contentType: "text/html; charset=utf-8", payload: "<html><body><p>Nội dung bản thứ hai</p></body></html>"},
	})
	for _, p := range paths {
		resp, body := apiClientGet(t, srv.URL+p)
		if resp.StatusCode != 200 || body == first[p].body {
			t.Fatalf("GET %s after a new copy: %d, the same bytes; the test expects the latest copy", p, resp.StatusCode)
		}
		if n := apiClientFreshFor(first[p].cc); n > 0 {
			t.Errorf("GET %s (the latest copy, which the next crawl replaces) was sent with Cache-Control %q: "+
				"a cache serves the old copy for %d s more without asking; want no-cache / max-age=0 (or a redirect to capture=N)",
				p, first[p].cc, n)
		}
	}
}
