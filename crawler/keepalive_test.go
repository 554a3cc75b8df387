package crawler

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"tulieu/warc"
)

// Connections are kept alive, and every exchange over one is archived
// apart: each request record holds its own request and no other, each
// response record its own response (plain, chunked or gzip), and the
// records pass strict validation, digests included.
func TestKeepAliveExchangesArchivedApart(t *testing.T) {
	const articles = 30
	var conns atomic.Int64
	var requests atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
		case r.URL.Path == "/":
			var b strings.Builder
			for i := range articles {
				fmt.Fprintf(&b, `<li><a href="/tin-tuc/bai-%d.html">Bài %d</a></li>`, i, i)
			}
			fmt.Fprintf(w, `<html><body><ul>%s</ul></body></html>`, b.String())
		case strings.HasPrefix(r.URL.Path, "/tin-tuc/bai-"):
			var n int
			fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/tin-tuc/bai-"), "%d.html", &n)
			page := fmt.Sprintf(`<html><head><title>Bài số %d</title></head><body><h1>Bài số %d</h1>
<p>Dấu hiệu riêng MARK-%d-END của bài này. Đảng bộ Khối tổ chức hội nghị quán triệt nghị quyết của Ban Chấp hành.</p>
<p>%s</p></body></html>`, n, n, n, strings.Repeat("Nội dung tiếp theo của bài viết. ", 20+n))
			switch n % 3 {
			case 0: // Content-Length
				io.WriteString(w, page)
			case 1: // chunked
				half := len(page) / 2
				io.WriteString(w, page[:half])
				w.(http.Flusher).Flush()
				io.WriteString(w, page[half:])
			case 2: // gzip
				w.Header().Set("Content-Encoding", "gzip")
				zw := gzip.NewWriter(w)
				io.WriteString(zw, page)
				zw.Close()
			}
		default:
			http.NotFound(w, r)
		}
	}))
	srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	dir := t.TempDir()
	sum := crawlOnce(t, dir, srv.URL+"/", Options{Parallel: 2})
	if sum.New != articles || sum.Errors != 0 {
		t.Fatalf("summary %+v", sum)
	}
	if c, r := conns.Load(), requests.Load(); c*4 > r {
		t.Errorf("%d connections for %d requests: not kept alive", c, r)
	}

	files, err := warc.Files(dir + "/warc")
	if err != nil || len(files) != 1 {
		t.Fatalf("WARC files %v %v", files, err)
	}
	if n, findings, err := warc.Check(files[0]); err != nil || len(findings) > 0 {
		t.Fatalf("%d records: %v %v", n, findings, err)
	}
	records := readRecords(t, files[0])
	seen := 0
	for _, rec := range records {
		target, _ := url.Parse(rec.header("WARC-Target-URI"))
		switch rec.header("WARC-Type") {
		case "request":
			want := "GET " + target.RequestURI() + " HTTP/1.1\r\n"
			if !bytes.HasPrefix(rec.block, []byte(want)) || bytes.Count(rec.block, []byte(" HTTP/1.1\r\n")) != 1 {
				t.Errorf("request record of %s holds %q", target, rec.block)
			}
		case "response":
			if !bytes.HasPrefix(rec.block, []byte("HTTP/1.1 ")) || bytes.Count(rec.block, []byte("HTTP/1.1 ")) != 1 {
				t.Errorf("response record of %s holds more or less than one response: %q", target, rec.block[:min(len(rec.block), 300)])
			}
			var n int
			if _, err := fmt.Sscanf(target.Path, "/tin-tuc/bai-%d.html", &n); err != nil {
				continue
			}
			seen++
			body := rec.block[bytes.Index(rec.block, []byte("\r\n\r\n"))+4:]
			if n%3 == 2 {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Errorf("%s: %v", target, err)
					continue
				}
				body, _ = io.ReadAll(zr)
			}
			if mark := fmt.Sprintf("MARK-%d-END", n); bytes.Count(body, []byte(mark)) != 1 || bytes.Count(body, []byte("MARK-")) != 1 {
				t.Errorf("response record of %s does not hold its page alone", target)
			}
		}
	}
	if seen != articles {
		t.Errorf("%d article responses archived, want %d", seen, articles)
	}
}

type rawRecord struct {
	headers string
	block   []byte
}

func (r rawRecord) header(name string) string {
	for _, line := range strings.Split(r.headers, "\r\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(k, name) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// readRecords reads a .warc.gz with nothing but gzip and Content-Length:
// a reader of its own, apart from the ones under test.
func readRecords(t *testing.T, path string) []rawRecord {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	all, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var out []rawRecord
	for len(all) > 0 {
		end := bytes.Index(all, []byte("\r\n\r\n"))
		if end < 0 {
			t.Fatalf("a record without the end of its headers: %q", all[:min(len(all), 200)])
		}
		rec := rawRecord{headers: string(all[:end])}
		var length int
		if _, err := fmt.Sscanf(rec.header("Content-Length"), "%d", &length); err != nil {
			t.Fatalf("record without Content-Length: %q", rec.headers)
		}
		rec.block = all[end+4 : end+4+length]
		out = append(out, rec)
		all = all[end+4+length:]
		all = bytes.TrimPrefix(all, []byte("\r\n\r\n"))
	}
	return out
}

// The next request on a connection may be written before the previous
// exchange is taken (the transport reuses a connection as soon as a body
// is read): each exchange keeps its own bytes all the same.
func TestTapConnExchangesTakenLate(t *testing.T) {
	client, server := net.Pipe()
	defer server.Close()
	tap := &tapConn{Conn: client}
	defer tap.Close()
	go func() {
		buf := make([]byte, 64)
		for i := 1; ; i++ {
			if _, err := server.Read(buf); err != nil {
				return
			}
			fmt.Fprintf(server, "RESPONSE %d", i)
		}
	}()
	var exchanges []int
	for i := 1; i <= 3; i++ {
		exchanges = append(exchanges, tap.next())
		fmt.Fprintf(tap, "REQUEST %d", i)
		buf := make([]byte, 64)
		n, err := tap.Read(buf)
		if err != nil || string(buf[:n]) != fmt.Sprintf("RESPONSE %d", i) {
			t.Fatalf("exchange %d: %q %v", i, buf[:n], err)
		}
	}
	// Taken out of order, after all three.
	for _, i := range []int{1, 0, 2} {
		sent, received := tap.take(exchanges[i])
		got, _ := received.Bytes()
		received.Close()
		if string(sent) != fmt.Sprintf("REQUEST %d", i+1) || string(got) != fmt.Sprintf("RESPONSE %d", i+1) {
			t.Errorf("exchange %d: sent %q, received %q", i+1, sent, got)
		}
	}
	if len(tap.exchanges) != 0 {
		t.Errorf("%d exchanges kept after all were taken", len(tap.exchanges))
	}
	// Taking one again gives nothing.
	if sent, _ := tap.take(exchanges[0]); sent != nil {
		t.Errorf("taken twice: %q", sent)
	}
}
