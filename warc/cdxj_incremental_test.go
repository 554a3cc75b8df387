package warc

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The CDXJ lines the writer makes as it writes are the lines IndexFile
// reads back from the finished file, for every shape of answer the crawl
// archives; an answer whose head is not plain enough makes the writer
// index the file by reading it back instead.
func TestCDXJLinesWhileWritingMatchIndexFile(t *testing.T) {
	date := time.Date(2026, 12, 6, 7, 0, 0, 123456000, time.UTC)
	req := []byte("GET / HTTP/1.1\r\nHost: example.vn\r\n\r\n")
	html := strings.Repeat("<p>Đảng bộ Khối các cơ quan tỉnh Thanh Hóa.</p>\n", 30)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(html))
	zw.Close()
	big := bytes.Repeat([]byte("%PDF-1.4 tư liệu\n"), 2<<20/18)
	resp := func(head, body string) []byte { return []byte(head + "\r\n\r\n" + body) }
	cases := []struct {
		name  string
		ex    Exchange
		plain bool // the writer is sure of its line
	}{
		{"page", Exchange{Response: resp("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "+strconv.Itoa(len(html)), html)}, true},
		{"lower-case header, no reason", Exchange{Response: resp("HTTP/1.1 200\r\ncontent-type:  text/HTML ;charset=UTF-8", html)}, true},
		{"two content types", Exchange{Response: resp("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Type: text/html", html)}, true},
		{"no content type", Exchange{Response: resp("HTTP/1.0 404 Not Found\r\nServer: x", "gone")}, true},
		{"chunked", Exchange{Response: resp("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked", "5\r\nhello\r\n0\r\n\r\n")}, true},
		{"gzip", Exchange{Response: resp("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip", gz.String())}, true},
		{"redirect", Exchange{Response: resp("HTTP/1.1 301 Moved Permanently\r\nLocation: /b\r\nContent-Length: 0", "")}, true},
		{"streamed", Exchange{Response: []byte("HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n"),
			ResponseReader: bytes.NewReader(append([]byte("Content-Length: "+strconv.Itoa(len(big))+"\r\n\r\n"), big...)), PayloadDigest: PayloadDigest(big)}, true},
		{"streamed whole", Exchange{ResponseReader: bytes.NewReader(resp("HTTP/1.1 200 OK\r\nContent-Type: application/pdf", string(big))), PayloadDigest: PayloadDigest(big)}, true},
		{"truncated", Exchange{Response: resp("HTTP/1.1 200 OK\r\nContent-Type: text/html", html[:100]), Truncated: "length"}, true},
		{"not modified", Exchange{Response: resp("HTTP/1.1 304 Not Modified\r\nETag: \"x\"", ""), PayloadDigest: "sha1:AAAA",
			Revisit: &Revisit{Profile: ProfileServerNotModified, RefersToURI: "http://example.vn/x", RefersToDate: date}}, true},
		{"same payload", Exchange{Response: []byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"), PayloadDigest: PayloadDigest([]byte(html)),
			Revisit: &Revisit{Profile: ProfileIdenticalPayloadDigest, RefersToURI: "http://example.vn/x", RefersToDate: date}}, true},
		{"folded header", Exchange{Response: resp("HTTP/1.1 200 OK\r\nContent-Type: text/html;\r\n charset=utf-8", html)}, false},
		{"space before colon", Exchange{Response: resp("HTTP/1.1 200 OK\r\nContent-Type : text/html", html)}, false},
		{"not HTTP", Exchange{Response: []byte("%PDF-1.4 garbage without a head")}, false},
		{"HTTP/0.9-like", Exchange{Response: resp("200 OK\r\nContent-Type: text/html", html)}, false},
		{"odd status", Exchange{Response: resp("HTTP/1.1 2000 OK\r\nContent-Type: text/html", html)}, false},
		{"head past the limit", Exchange{ResponseReader: bytes.NewReader(resp("HTTP/1.1 200 OK\r\nX-Long: "+strings.Repeat("a", maxIndexedHead), "x"))}, false},
	}
	check := func(t *testing.T, exs []Exchange, wantPlain bool) {
		t.Helper()
		dir := t.TempDir()
		w, err := NewWriter(dir, WriterOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for i, ex := range exs {
			ex.TargetURI = "http://example.vn/tin-tuc/bai-" + strconv.Itoa(len(exs)-i) + ".html?b=2&a=1"
			ex.Date = date.Add(time.Duration(i) * time.Minute)
			ex.Request = req
			if _, err := w.WriteExchange(ex); err != nil {
				t.Fatal(err)
			}
		}
		if w.linesOK != wantPlain {
			t.Errorf("writer sure of its lines: %v, want %v", w.linesOK, wantPlain)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
		if len(files) != 1 {
			t.Fatalf("files %v", files)
		}
		want, err := indexLines(files[0])
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(files[0] + CDXJSuffix)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := string(got), strings.Join(want, "\n")+"\n"; g != w || len(want) != len(exs) {
			t.Errorf("index written:\n%s\nread back (%d lines):\n%s", g, len(want), w)
		}
	}
	var all []Exchange
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			check(t, []Exchange{c.ex}, c.plain)
		})
		if c.plain {
			all = append(all, c.ex)
		}
	}
	t.Run("all plain ones in one file, sorted", func(t *testing.T) {
		// The streamed readers were read: make them again.
		for i := range all {
			if all[i].ResponseReader != nil {
				if i == 7 {
					all[i].ResponseReader = bytes.NewReader(append([]byte("Content-Length: "+strconv.Itoa(len(big))+"\r\n\r\n"), big...))
				} else {
					all[i].ResponseReader = bytes.NewReader(resp("HTTP/1.1 200 OK\r\nContent-Type: application/pdf", string(big)))
				}
			}
		}
		check(t, all, true)
	})
}
