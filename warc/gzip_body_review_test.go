package warc

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
	"time"
)

func openBodyAll(dir string, loc Location) ([]byte, error) {
	rc, err := OpenBody(dir, loc.File, loc.Offset)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// A whole gzip body followed by a stray newline decodes whole: Entity
// (DecodeContent) and the crawler (DecodeContentTo) take it so. OpenBody
// calls the same record Undecodable (gzip's multistream reader fails with
// io.ErrUnexpectedEOF on the one byte after the member).
func TestOpenBodyGzipTrailingNewline(t *testing.T) {
	body := strings.Repeat("Nội dung nén đúng. ", 200)
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte(body))
	zw.Close()
	dir := t.TempDir()
	loc := writeOneExchange(t, dir, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\n\r\n"+z.String()+"\n")
	r, err := ReadResponse(dir, loc.File, loc.Offset)
	if err != nil {
		t.Fatal(err)
	}
	e, _, err := r.Entity(1 << 20)
	if err != nil || string(e) != body {
		t.Fatalf("Entity: %v", err)
	}
	got, err := openBodyAll(dir, loc)
	if err != nil || string(got) != body {
		t.Errorf("OpenBody: %d of %d bytes, err %v (Undecodable %v); Entity reads the same record whole",
			len(got), len(body), err, Undecodable(err))
	}
}

// An empty body with a Content-Encoding header (the crawler skips decoding
// such a body: "A 304 (or 204) has no body to decode, though its headers
// may repeat the Content-Encoding") is not a body the server sent broken.
func TestEmptyEncodedBodyIsNotUndecodable(t *testing.T) {
	dir := t.TempDir()
	loc := writeOneExchange(t, dir, "HTTP/1.1 200 OK\r\nContent-Type: image/gif\r\nContent-Encoding: gzip\r\nContent-Length: 0\r\n\r\n")
	r, err := ReadResponse(dir, loc.File, loc.Offset)
	if err != nil {
		t.Fatal(err)
	}
	if e, _, err := r.Entity(1 << 20); err != nil || len(e) != 0 {
		t.Errorf("Entity of an empty gzip-labelled body: %q, %v (Undecodable %v); want an empty body", e, err, Undecodable(err))
	}
	if got, err := openBodyAll(dir, loc); err != nil || len(got) != 0 {
		t.Errorf("OpenBody of an empty gzip-labelled body: %q, %v (Undecodable %v); want an empty body", got, err, Undecodable(err))
	}
}

// A gzip body is read member after member, as browsers read it: two
// members are one body, bytes after the last member that do not start
// another are not part of it, a member cut short is an error, and a
// record truncated within the gzip header (WARC-Truncated) is an empty
// body, not one the server sent broken.
func TestGzipBodyMembers(t *testing.T) {
	gz := func(s string) string {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write([]byte(s))
		zw.Close()
		return z.String()
	}
	first, second := strings.Repeat("Phần một. ", 300), strings.Repeat("Phần hai. ", 300)
	head := "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\n\r\n"
	cases := []struct {
		name, body, want string
		undecodable      bool
	}{
		{"two members", gz(first) + gz(second), first + second, false},
		{"garbage after the member", gz(first) + "<!-- served by a cache, 20 bytes -->", first, false},
		{"a member cut short", gz(first)[:len(gz(first))/2], "", true},
	}
	for _, c := range cases {
		dir := t.TempDir()
		loc := writeOneExchange(t, dir, head+c.body)
		got, err := openBodyAll(dir, loc)
		if c.undecodable {
			if !Undecodable(err) {
				t.Errorf("%s: OpenBody: %d bytes, %v; want Undecodable", c.name, len(got), err)
			}
		} else if err != nil || string(got) != c.want {
			t.Errorf("%s: OpenBody: %d bytes (want %d), %v", c.name, len(got), len(c.want), err)
		}
		r, err := ReadResponse(dir, loc.File, loc.Offset)
		if err != nil {
			t.Fatal(err)
		}
		if e, _, err := r.Entity(1 << 20); !c.undecodable && (err != nil || string(e) != c.want) {
			t.Errorf("%s: Entity: %d bytes (want %d), %v", c.name, len(e), len(c.want), err)
		}
	}

	// Truncated by the crawler within the gzip header (a time limit hit
	// after 4 bytes of the body).
	dir := t.TempDir()
	w, err := NewWriter(dir, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	loc, err := w.WriteExchange(Exchange{TargetURI: "http://example.vn/cat", Date: time.Now(), Truncated: "time",
		Response: []byte(head + gz(first)[:4])})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got, err := openBodyAll(dir, loc); err != nil || len(got) != 0 {
		t.Errorf("a body truncated within its gzip header: %q, %v; want an empty body", got, err)
	}
}
