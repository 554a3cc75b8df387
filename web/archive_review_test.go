package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tulieu/store"
	"tulieu/warc"
)

// archAddCapture archives one HTTP response (headers as given, then body)
// for u and records its capture.
func archAddCapture(t testing.TB, st *store.Store, u, contentType, kind string, body []byte) int64 {
	t.Helper()
	ctx := context.Background()
	w, err := warc.NewWriter(st.WARCPath(), warc.WriterOptions{Software: "review"})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	head := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n", contentType, len(body))
	resp := append([]byte(head), body...)
	loc, err := w.WriteExchange(warc.Exchange{TargetURI: u, Date: at,
		Request:  []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
		Response: resp, PayloadDigest: warc.PayloadDigest(body)})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	id, err := st.AddCapture(ctx, &store.Capture{URL: u, FetchedAt: at, Status: 200, ContentType: contentType,
		Length: int64(len(body)), Kind: kind, RecordType: "response", WARCFile: loc.File, WARCOffset: loc.Offset,
		WARCLength: loc.Length, WARCRecordID: loc.RecordID})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func archGet(t testing.TB, u string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// browserMIME is the MIME type a browser takes from a Content-Type header
// (Fetch, "extract a MIME type"): the value is split at commas and the
// last part that parses as type/subtype wins.
func browserMIME(ct string) string {
	got := ""
	for _, part := range strings.Split(ct, ",") {
		ess, _, _ := strings.Cut(part, ";")
		ess = strings.ToLower(strings.TrimSpace(ess))
		if typ, sub, ok := strings.Cut(ess, "/"); ok && typ != "" && sub != "" && ess != "*/*" {
			got = ess
		}
	}
	return got
}

// TestRawContentTypeList: an archived response whose Content-Type names an
// image, then (after a comma) text/html, is offered as a download: a
// browser reads the last type of the list, text/html, and would render the
// archived page's own HTML in the application's origin.
func TestRawContentTypeList(t *testing.T) {
	ix, st := openEmptyParts(t)
	srv := httptest.NewServer(New(ix, st, Options{}))
	defer srv.Close()
	u := "http://live.example/anh.png"
	page := `<html><body><h1>Trang gia mao</h1><a href="http://live.example/phish">tiep</a></body></html>`
	archAddCapture(t, st, u, "image/png; ,text/html", "requisite", []byte(page))
	for _, route := range []string{"/raw", "/archive"} {
		resp, body := archGet(t, srv.URL+route+"?url="+url.QueryEscape(u))
		ct, cd := resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition")
		inline := !strings.HasPrefix(strings.ToLower(cd), "attachment")
		if resp.StatusCode == 200 && inline && (browserMIME(ct) == "text/html" || browserMIME(ct) == "image/svg+xml") {
			t.Errorf("%s: an archived HTML page is served inline as %q (a browser renders it as %s), Content-Disposition %q: %.80s",
				route, ct, browserMIME(ct), cd, body)
		}
	}
}

// TestStalledDownloadsHoldNoSlots: four clients that ask /raw for a large
// attachment and never read the answer do not hold the archive-read slots:
// archived pages, images and stylesheets are still served to others.
func TestStalledDownloadsHoldNoSlots(t *testing.T) {
	ix, st := openEmptyParts(t)
	big := "http://live.example/files/bao-cao.pdf"
	archAddCapture(t, st, big, "application/pdf", "attachment", []byte(strings.Repeat("%PDF-1.4 0123456789abcdef\n", 32<<20/26)))
	small := "http://live.example/trang.html"
	archAddCapture(t, st, small, "text/html; charset=utf-8", store.KindPage, []byte("<html><body><p>Xin chào</p></body></html>"))
	h := New(ix, st, Options{QueueWait: 300 * time.Millisecond})
	ts := httptest.NewUnstartedServer(h)
	ts.Config = HTTPServer(h, slog.New(slog.DiscardHandler))
	ts.Start()
	defer ts.Close()
	addr := strings.TrimPrefix(ts.URL, "http://")
	for range 4 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.(*net.TCPConn).SetReadBuffer(4096)
		fmt.Fprintf(c, "GET /raw?url=%s HTTP/1.1\r\nHost: %s\r\n\r\n", url.QueryEscape(big), addr)
		// ...and never read.
	}
	time.Sleep(1500 * time.Millisecond)
	resp, body := archGet(t, ts.URL+"/archive?url="+url.QueryEscape(small))
	if resp.StatusCode != 200 {
		t.Errorf("an archived page while four downloads stall: %d (Retry-After %q): %.200s", resp.StatusCode,
			resp.Header.Get("Retry-After"), body)
	}
}

// TestArchivedPageMemory: parsing and rewriting an archived page costs
// many times its size (a page of nothing but short tags), so a page larger
// than MaxArchiveRead is offered as a download, not parsed: an 8 MiB page
// must not take hundreds of MiB of heap.
func TestArchivedPageMemory(t *testing.T) {
	ix, st := openEmptyParts(t)
	const size = 8 << 20
	u := "http://live.example/the.html"
	archAddCapture(t, st, u, "text/html; charset=utf-8", store.KindPage, []byte("<html><body>"+strings.Repeat("<p>", size/3)))
	h := New(ix, st, Options{})
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
		}
	}()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/archive?url="+url.QueryEscape(u), nil))
	close(done)
	grew := int64(peak.Load()) - int64(base.HeapInuse)
	t.Logf("status %d, %d bytes out, heap grew %d MiB for an %d MiB page", rec.Code, rec.Body.Len(), grew>>20, size>>20)
	if grew > 8*size {
		t.Errorf("one archived page of %d MiB took %d MiB of heap (more than 8 times its size)", size>>20, grew>>20)
	}
}

// TestBannerCannotBeHidden (it could, before every declaration of its style
// was !important): the banner is an element of the archived
// page's own document, styled by a style attribute without !important,
// and its id is fixed. The archived page keeps its stylesheets (inline
// <style> is allowed), and in the cascade an author rule with !important
// beats a style attribute's normal declarations: a page holding
// "#tulieu-banner{display:none!important}" is shown without any banner,
// looking like the live site or like the application itself.
func TestBannerCannotBeHidden(t *testing.T) {
	ix, st := openEmptyParts(t)
	srv := httptest.NewServer(New(ix, st, Options{}))
	defer srv.Close()
	u := "http://live.example/an-banner.html"
	archAddCapture(t, st, u, "text/html; charset=utf-8", store.KindPage,
		[]byte(`<html><head><style>#tulieu-banner{display:none!important}</style></head><body><p>Không có biểu ngữ</p></body></html>`))
	resp, body := archGet(t, srv.URL+"/archive?url="+url.QueryEscape(u))
	if resp.StatusCode != 200 || !strings.Contains(body, `id="tulieu-banner"`) {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	i := strings.Index(body, `id="tulieu-banner"`)
	tag := body[i : i+strings.Index(body[i:], ">")]
	if strings.Contains(body, "#tulieu-banner{display:none!important}") && !strings.Contains(tag, "display:block!important") &&
		!strings.Contains(tag, "display:block !important") {
		t.Errorf("the archived page's stylesheet hides the banner: its rule is kept and the banner's style has no !important: %s", tag)
	}
}

// TestBusySearchPageRetryAfter: past the search queue the API answers 503
// with Retry-After, and so do the search page and the home page (they
// answered 503 without it (pages.go: the error is rendered with
// requestStatus's status only). The README promises Retry-After with
// every such 503.
func TestBusySearchPageRetryAfter(t *testing.T) {
	ix, st := openTestParts(t)
	bs := &blockingSearcher{Searcher: ix, started: make(chan struct{}, 10), release: make(chan struct{})}
	srv := httptest.NewServer(New(bs, st, Options{MaxSearches: 1, SearchQueue: 1, QueueWait: 5 * time.Second, CacheSize: -1}))
	defer srv.Close()
	done := make(chan struct{}, 2)
	for range 2 { // one runs, one waits
		go func() {
			defer func() { done <- struct{}{} }()
			resp, err := http.Get(srv.URL + "/api/search?q=x")
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	<-bs.started
	time.Sleep(200 * time.Millisecond)
	for _, p := range []string{"/search?q=y", "/", "/api/search?q=y"} {
		resp, _ := archGet(t, srv.URL+p)
		if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
			t.Errorf("GET %s with every search slot and the queue taken: %d, Retry-After %q", p, resp.StatusCode,
				resp.Header.Get("Retry-After"))
		}
	}
	close(bs.release)
	<-done
	<-done
}

// TestIsHTMLMalformedParameters: a page whose Content-Type parameters do
// not parse is still a page (shown rewritten, in its sandbox); a list of
// types never is.
func TestIsHTMLMalformedParameters(t *testing.T) {
	for ct, want := range map[string]bool{
		"text/html":           true,
		"text/html; charset=": true,
		"Text/HTML; Charset=utf-8; charset=UTF-8": true,
		"application/xhtml+xml; charset=utf-8":    true,
		"image/png; ,text/html":                   false,
		"text/html, image/png":                    false,
		"image/png":                               false,
	} {
		if got := isHTML(ct); got != want {
			t.Errorf("isHTML(%q) = %v, want %v", ct, got, want)
		}
	}
}
