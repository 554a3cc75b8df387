package warc

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http/httputil"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

const rawResponse = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 26\r\n\r\n<p>Đảng ủy Khối</p>\n"

func TestWriteThenReadStrictly(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, WriterOptions{Software: "tulieu-test", Info: map[string]string{"robots": "obey"}})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 29, 1, 2, 3, 0, time.UTC)
	body := rawResponse[strings.Index(rawResponse, "\r\n\r\n")+4:]
	loc, err := w.WriteExchange(Exchange{
		TargetURI:     "http://example.test/a.html",
		Date:          at,
		Request:       []byte("GET /a.html HTTP/1.1\r\nHost: example.test\r\n\r\n"),
		Response:      []byte(rawResponse),
		PayloadDigest: PayloadDigest([]byte(body)),
	})
	if err != nil {
		t.Fatal(err)
	}
	if loc.Offset == 0 {
		t.Fatalf("the response record should come after the warcinfo record, got offset 0")
	}
	// A 304 stands as a revisit record.
	loc2, err := w.WriteExchange(Exchange{
		TargetURI: "http://example.test/a.html",
		Date:      at.Add(time.Hour),
		Request:   []byte("GET /a.html HTTP/1.1\r\nHost: example.test\r\nIf-None-Match: \"x\"\r\n\r\n"),
		Response:  []byte("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n"),
		Revisit:   &Revisit{Profile: ProfileServerNotModified, RefersToURI: "http://example.test/a.html", RefersToDate: at, RefersToRecord: loc.RecordID},
	})
	if err != nil {
		t.Fatal(err)
	}
	// Before Close the file is still .open and readable.
	if _, err := os.Stat(filepath.Join(dir, loc.File+".open")); err != nil {
		t.Fatalf("open file missing: %v", err)
	}
	got, err := ReadResponse(dir, loc.File, loc.Offset)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != 200 || string(got.Payload) != body || got.TargetURI != "http://example.test/a.html" || !got.Date.Equal(at) {
		t.Fatalf("read back %+v", got)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rv, err := ReadResponse(dir, loc2.File, loc2.Offset)
	if err != nil {
		t.Fatal(err)
	}
	if rv.RecordType != "revisit" || rv.Status != 304 {
		t.Fatalf("revisit read back as %s %d", rv.RecordType, rv.Status)
	}
	files, _ := Files(dir)
	if len(files) != 1 || strings.HasSuffix(files[0], ".open") {
		t.Fatalf("files after close: %v", files)
	}
	n, findings, err := Check(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) > 0 || n != 5 {
		t.Fatalf("strict check: %d records, findings %v", n, findings)
	}
}

func TestRotationAndTruncatedTail(t *testing.T) {
	dir := t.TempDir()
	w, _ := NewWriter(dir, WriterOptions{MaxSize: 1}) // every exchange starts a new file
	for i := 0; i < 3; i++ {
		if _, err := w.WriteExchange(Exchange{TargetURI: "http://example.test/", Date: time.Now(), Response: []byte(rawResponse)}); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	files, _ := Files(dir)
	if len(files) != 3 {
		t.Fatalf("want 3 files after rotation, got %d", len(files))
	}
	// A crash in the middle of a record leaves a partial gzip member: the
	// strict reader must report it, and keep the records before it.
	b, _ := os.ReadFile(files[0])
	b = append(b, b[len(b)/2:len(b)-10]...)
	os.WriteFile(files[0], b, 0o644)
	n, findings, err := Check(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 || len(findings) == 0 {
		t.Fatalf("truncated tail: %d records, findings %v", n, findings)
	}
	_ = bytes.MinRead
}

// Two writers started in the same second (two quick runs) must not pick the
// same file name: the second would replace the first at close.
func TestNoOverwrite(t *testing.T) {
	dir := t.TempDir()
	at := time.Now()
	for i := 0; i < 2; i++ {
		w, _ := NewWriter(dir, WriterOptions{})
		if _, err := w.WriteExchange(Exchange{TargetURI: "http://example.test/", Date: at, Response: []byte(rawResponse)}); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := Files(dir)
	if len(files) != 2 {
		t.Fatalf("want 2 files, got %v", files)
	}
}

// A crash leaves a ".open" file whose last record is half written:
// Recover keeps the complete records, cuts the rest and finishes the file.
func TestRecover(t *testing.T) {
	dir := t.TempDir()
	w, _ := NewWriter(dir, WriterOptions{})
	var locs []Location
	for i := 0; i < 3; i++ {
		loc, err := w.WriteExchange(Exchange{TargetURI: "http://example.test/", Date: time.Now(), Request: []byte("GET / HTTP/1.1\r\nHost: example.test\r\n\r\n"), Response: []byte(rawResponse)})
		if err != nil {
			t.Fatal(err)
		}
		locs = append(locs, loc)
	}
	// Simulate kill -9: no Close; then half of a fourth record.
	open := filepath.Join(dir, locs[0].File+".open")
	b, _ := os.ReadFile(open)
	size := len(b)
	f, _ := os.OpenFile(open, os.O_APPEND|os.O_WRONLY, 0)
	f.Write(b[locs[2].Offset : locs[2].Offset+locs[2].Length/2])
	f.Close()

	got, err := Recover(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[0].Truncated || got[0].Records != 7 {
		t.Fatalf("recovered %+v", got)
	}
	fi, err := os.Stat(filepath.Join(dir, locs[0].File))
	if err != nil || fi.Size() != int64(size) {
		t.Fatalf("finished file: %v, size %d want %d", err, fi.Size(), size)
	}
	n, findings, err := Check(filepath.Join(dir, locs[0].File))
	if err != nil || len(findings) > 0 || n != 7 {
		t.Fatalf("after recovery: %d records, %v, %v", n, findings, err)
	}
	if r, err := ReadResponse(dir, locs[2].File, locs[2].Offset); err != nil || r.Status != 200 {
		t.Fatalf("last complete record unreadable: %v", err)
	}
}

func TestCDXJ(t *testing.T) {
	if got := SURT("http://www.DangUyKhoiThanhHoa.org.vn:80/Tin-Tuc/a.html?b=2&a=1"); got != "vn,org,danguykhoithanhhoa)/tin-tuc/a.html?a=1&b=2" {
		t.Errorf("SURT = %s", got)
	}
	if got := SURT("http://127.0.0.1:8081/"); got != "1,0,0,127:8081)/" {
		t.Errorf("SURT with port = %s", got)
	}
	dir := t.TempDir()
	w, _ := NewWriter(dir, WriterOptions{})
	at := time.Date(2026, 11, 29, 1, 2, 3, 0, time.UTC)
	loc, _ := w.WriteExchange(Exchange{TargetURI: "http://example.test/b.html", Date: at, Request: []byte("GET /b.html HTTP/1.1\r\n\r\n"), Response: []byte(rawResponse)})
	w.WriteExchange(Exchange{TargetURI: "http://example.test/a.html", Date: at, Response: []byte("HTTP/1.1 304 Not Modified\r\n\r\n"),
		Revisit: &Revisit{Profile: ProfileServerNotModified, RefersToURI: "http://example.test/a.html", RefersToDate: at}})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, loc.File+CDXJSuffix))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 2 {
		t.Fatalf("cdxj: %q", b)
	}
	want0 := `test,example)/a.html 20261129010203 {"url":"http://example.test/a.html","mime":"warc/revisit","status":"304",`
	if !strings.HasPrefix(lines[0], want0) {
		t.Errorf("revisit line %s", lines[0])
	}
	want1 := fmt.Sprintf(`test,example)/b.html 20261129010203 {"url":"http://example.test/b.html","mime":"text/html","status":"200","digest":"sha1:`)
	if !strings.HasPrefix(lines[1], want1) || !strings.Contains(lines[1], fmt.Sprintf(`"offset":"%d","filename":"%s"}`, loc.Offset, loc.File)) {
		t.Errorf("response line %s", lines[1])
	}
}

// TestChunkedBody: a body sent chunked (and gzipped) is stored as sent;
// reading it back, whole or streamed, gives the body the application sent.
func TestChunkedBody(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Repeat("Đảng bộ Khối các cơ quan tỉnh Thanh Hóa. ", 500)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(want))
	zw.Close()
	var framed bytes.Buffer
	cw := httputil.NewChunkedWriter(&framed)
	for b := gz.Bytes(); len(b) > 0; b = b[min(len(b), 700):] {
		cw.Write(b[:min(len(b), 700)])
	}
	cw.Close()
	framed.WriteString("\r\n")
	raw := "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n" + framed.String()
	loc, err := w.WriteExchange(Exchange{TargetURI: "http://example.test/c.html", Date: time.Now(), Response: []byte(raw),
		PayloadDigest: PayloadDigest(framed.Bytes())})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	resp, err := ReadResponse(dir, loc.File, loc.Offset)
	if err != nil {
		t.Fatal(err)
	}
	got, cut, err := resp.Entity(1 << 20)
	if err != nil || cut || string(got) != want {
		t.Errorf("Entity: %v, cut %v, %d bytes of %d", err, cut, len(got), len(want))
	}
	if got, cut, _ := resp.Entity(100); !cut || string(got) != want[:100] {
		t.Errorf("Entity(100): cut %v, %q", cut, got)
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
}

// BenchmarkWriteExchange writes the records of one 40 KB HTML page
// (response and request, each its own gzip member), as a crawl does for
// every page.
func BenchmarkWriteExchange(b *testing.B) {
	body := strings.Repeat("<p>Đảng bộ Khối các cơ quan tỉnh Thanh Hóa tổ chức hội nghị.</p>\n", 600)
	resp := []byte("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body)
	req := []byte("GET /tin-tuc/bai-1.html HTTP/1.1\r\nHost: example.vn\r\nUser-Agent: tulieu\r\n\r\n")
	w, err := NewWriter(b.TempDir(), WriterOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	b.SetBytes(int64(len(resp)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := w.WriteExchange(Exchange{TargetURI: "http://example.vn/tin-tuc/bai-1.html", Date: time.Now(), Request: req, Response: resp}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteExchange304 writes the records of a revalidation answered
// 304 (two small records), as a re-crawl does for every unchanged page.
func BenchmarkWriteExchange304(b *testing.B) {
	resp := []byte("HTTP/1.1 304 Not Modified\r\nDate: Tue, 08 Dec 2026 02:51:31 GMT\r\nEtag: \"5f3c-12345\"\r\nLast-Modified: Mon, 07 Dec 2026 10:00:00 GMT\r\n\r\n")
	req := []byte("GET /tin-tuc/bai-1.html HTTP/1.1\r\nHost: example.vn\r\nUser-Agent: tulieu\r\nIf-None-Match: \"5f3c-12345\"\r\nIf-Modified-Since: Mon, 07 Dec 2026 10:00:00 GMT\r\n\r\n")
	w, err := NewWriter(b.TempDir(), WriterOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	revisit := &Revisit{Profile: ProfileServerNotModified, RefersToURI: "http://example.vn/tin-tuc/bai-1.html", RefersToDate: time.Now(), RefersToRecord: "<urn:uuid:0b5d8c1e-8b0a-4a0e-9e5a-3f1c2d4e5f60>"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := w.WriteExchange(Exchange{TargetURI: "http://example.vn/tin-tuc/bai-1.html", Date: time.Now(), Request: req, Response: resp, Revisit: revisit}); err != nil {
			b.Fatal(err)
		}
	}
}
