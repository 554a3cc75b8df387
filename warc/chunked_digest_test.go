package warc

import (
	"bytes"
	"net/http/httputil"
	"strings"
	"testing"
	"time"
)

// TestChunkedPayloadDigest: the payload digest of a chunked response is
// the digest of its body without the framing (WARC 1.1 6.3.2), which the
// writer computes when not given one; Scan (what check reads) accepts it,
// and the framed one older tulieu wrote, and still reports a digest that
// is neither.
func TestChunkedPayloadDigest(t *testing.T) {
	body := strings.Repeat("Đảng bộ Khối các cơ quan tỉnh Thanh Hóa. ", 200)
	var framed bytes.Buffer
	cw := httputil.NewChunkedWriter(&framed)
	for b := []byte(body); len(b) > 0; b = b[min(len(b), 999):] {
		cw.Write(b[:min(len(b), 999)])
	}
	cw.Close()
	framed.WriteString("\r\n")
	raw := "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n" + framed.String()

	if d, ok := ResponsePayloadDigest([]byte(raw)); !ok || d != PayloadDigest([]byte(body)) {
		t.Fatalf("ResponsePayloadDigest = %s, %v; want the digest of the body without its framing", d, ok)
	}
	dir := t.TempDir()
	w, err := NewWriter(dir, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC)
	write := func(u, digest string) Location {
		t.Helper()
		loc, err := w.WriteExchange(Exchange{TargetURI: u, Date: at, Response: []byte(raw), PayloadDigest: digest})
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	computed := write("http://example.test/computed.html", "")
	write("http://example.test/old.html", PayloadDigest(framed.Bytes()))
	wrong := write("http://example.test/wrong.html", PayloadDigest([]byte("something else")))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := Files(dir)
	if err != nil || len(files) != 1 {
		t.Fatalf("files %v, %v", files, err)
	}
	recs, findings, err := Scan(files[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.Offset == computed.Offset && r.PayloadDigest != PayloadDigest([]byte(body)) {
			t.Errorf("the writer's own digest: %s", r.PayloadDigest)
		}
	}
	if len(findings) != 1 || findings[0].Offset != wrong.Offset {
		t.Fatalf("findings %+v; want one, on the record with a wrong digest (at %d)", findings, wrong.Offset)
	}
}
