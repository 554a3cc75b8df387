package warc

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"io"
	"net/http/httputil"
	"strings"
	"testing"
	"time"
)

// TestSURTMatchesSurtLibrary: SURT keys are the keys pywb computes (python
// surt, DefaultIAURLCanonicalizer) for the lookup URL, else a replay of
// "cat *.cdxj | sort" finds nothing. Vectors after internetarchive/surt's
// tests (test_surt.py) and its IAURLCanonicalizer.
func TestSURTMatchesSurtLibrary(t *testing.T) {
	cases := []struct{ url, want string }{
		// path_strip_trailing_slash_unless_empty (test_surt.py)
		{"http://archive.org/goo/", "org,archive)/goo"},
		{"http://danguykhoithanhhoa.org.vn/tin-tuc/", "vn,org,danguykhoithanhhoa)/tin-tuc"},
		// massageHost: www\d*\. (test_surt.py DefaultIAURLCanonicalizer)
		{"http://www34.archive.org/index.html?b=a&b=b&a=b", "org,archive)/index.html?a=b&b=a&b=b"},
		// query lower-cased before it is sorted
		{"http://example.vn/a?B=1&a=2", "vn,example)/a?a=2&b=1"},
		// sorted as (name, value) pairs, not as strings
		{"http://example.vn/a?a-b=2&a=1", "vn,example)/a?a=1&a-b=2"},
		// session ids stripped (test_surt.py)
		{"http://archive.org/index.php?PHPSESSID=0123456789abcdefghijklemopqrstuv&action=profile;u=4221", "org,archive)/index.php?action=profile;u=4221"},
		// percent-escapes of printable ASCII decoded (GoogleURLCanonicalizer minimalEscape / escapeOnce)
		{"http://example.vn/a%7Eb?url=http%3A%2F%2Fx.vn%2F", "vn,example)/a~b?url=http://x.vn/"},
		// IDN host as punycode (GoogleURLCanonicalizer: host.encode('idna'))
		{"http://bücher.ch/", "ch,xn--bcher-kva)/"},
		// a space in the key splits the CDXJ line (escapeOnce escapes it)
		{"http://example.vn/a?q=thanh hóa", "vn,example)/a?q=thanh%20h%c3%b3a"},
	}
	for _, c := range cases {
		if got := SURT(c.url); got != c.want {
			t.Errorf("SURT(%q) = %q, surt/pywb key %q", c.url, got, c.want)
		}
	}
}

// TestDeflateContentEncodingIsZlib: "Content-Encoding: deflate" is the
// zlib format (RFC 9110 §8.4.1.2), which servers (Apache mod_deflate, PHP,
// IIS) send; the archive's readers read it back, and raw DEFLATE too.
func TestDeflateContentEncodingIsZlib(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Repeat("<p>Đảng bộ Khối các cơ quan tỉnh Thanh Hóa.</p>\n", 30)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte(want))
	zw.Close()
	raw := "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: deflate\r\n\r\n" + z.String()
	loc, err := w.WriteExchange(Exchange{TargetURI: "http://example.vn/d.html", Date: time.Now(), Response: []byte(raw)})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	resp, err := ReadResponse(dir, loc.File, loc.Offset)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := resp.Entity(1 << 20)
	if err != nil || string(got) != want {
		t.Errorf("Entity: %v, %d bytes of %d", err, len(got), len(want))
	}
	b, err := OpenBody(dir, loc.File, loc.Offset)
	if err != nil {
		t.Fatal(err)
	}
	streamed, err := io.ReadAll(b)
	b.Close()
	if err != nil || string(streamed) != want {
		t.Errorf("OpenBody: %v, %d bytes of %d", err, len(streamed), len(want))
	}
	var dst bytes.Buffer
	if _, err := DecodeContentTo(&dst, bytes.NewReader(z.Bytes()), "deflate", 1<<20); err != nil || dst.String() != want {
		t.Errorf("DecodeContentTo: %v, %d bytes of %d", err, dst.Len(), len(want))
	}
	// Raw DEFLATE, as some servers send it, is read too.
	var fl bytes.Buffer
	fw, _ := flate.NewWriter(&fl, flate.DefaultCompression)
	fw.Write([]byte(want))
	fw.Close()
	if got, _, err := DecodeContent(fl.Bytes(), "deflate", 1<<20); err != nil || string(got) != want {
		t.Errorf("raw DEFLATE: %v, %d bytes of %d", err, len(got), len(want))
	}
}

// TestOpenBodyOfTruncatedBody: a response cut short (WARC-Truncated:
// length, as the crawl cuts bodies past its limits) whose body was chunked
// or gzipped streams through OpenBody (tulieu show, /raw, exports) as far
// as it goes, without an error, as Entity reads it.
func TestOpenBodyOfTruncatedBody(t *testing.T) {
	want := strings.Repeat("%PDF-1.4 tư liệu Đảng bộ Khối. ", 400)
	var framed bytes.Buffer
	cw := httputil.NewChunkedWriter(&framed)
	for b := []byte(want); len(b) > 0; b = b[min(len(b), 1000):] {
		cw.Write(b[:min(len(b), 1000)])
	}
	cw.Close()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(want))
	zw.Close()
	cases := []struct{ name, head, body string }{
		{"chunked", "HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nTransfer-Encoding: chunked", framed.String()[:framed.Len()/2]},
		{"gzip", "HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Encoding: gzip", gz.String()[:gz.Len()/2]},
	}
	for _, c := range cases {
		dir := t.TempDir()
		w, _ := NewWriter(dir, WriterOptions{})
		loc, err := w.WriteExchange(Exchange{TargetURI: "http://example.vn/a.pdf", Date: time.Now(), Truncated: "length",
			Response: []byte(c.head + "\r\n\r\n" + c.body)})
		if err != nil {
			t.Fatal(err)
		}
		w.Close()
		resp, err := ReadResponse(dir, loc.File, loc.Offset)
		if err != nil {
			t.Fatal(err)
		}
		whole, _, err := resp.Entity(1 << 20)
		if err != nil || len(whole) == 0 || !strings.HasPrefix(want, string(whole)) {
			t.Fatalf("%s: Entity: %v, %d bytes", c.name, err, len(whole))
		}
		b, err := OpenBody(dir, loc.File, loc.Offset)
		if err != nil {
			t.Fatalf("%s: OpenBody: %v", c.name, err)
		}
		streamed, err := io.ReadAll(b)
		b.Close()
		if err != nil || string(streamed) != string(whole) {
			t.Errorf("%s: OpenBody read: %v, %d bytes; Entity gave %d bytes without error", c.name, err, len(streamed), len(whole))
		}
	}
}
