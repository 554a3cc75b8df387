package warc

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"
)

// FuzzGzipBody: whatever bytes follow a whole gzip member, unless they
// start another member, the body is the member's text and nothing else;
// and no input makes the reader panic or loop.
func FuzzGzipBody(f *testing.F) {
	f.Add([]byte("Nội dung"), []byte("\n"))
	f.Add([]byte(""), []byte("<!-- cache -->"))
	f.Add([]byte("abc"), []byte{0x1f})
	f.Add([]byte("abc"), []byte{0x1f, 0x8b, 0x08, 0, 0})
	f.Fuzz(func(t *testing.T, text, trailer []byte) {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write(text)
		zw.Close()
		member := z.Len()
		z.Write(trailer)
		r, err := newGzipBody(bytes.NewReader(z.Bytes()))
		if err != nil {
			t.Fatalf("a whole member: %v", err)
		}
		got, err := io.ReadAll(r)
		if len(trailer) >= 2 && trailer[0] == 0x1f && trailer[1] == 0x8b {
			// Another member begins: it is read (or fails) as one.
			if !bytes.HasPrefix(got, text) {
				t.Fatalf("the first member's text is not first: %q", got)
			}
			return
		}
		if err != nil || !bytes.Equal(got, text) {
			t.Fatalf("member of %d bytes and %d bytes after it: %q, %v; want %q", member, len(trailer), got, err, text)
		}
		// Any bytes at all: an error or a body, never a panic.
		if r, err := newGzipBody(bytes.NewReader(trailer)); err == nil {
			io.Copy(io.Discard, io.LimitReader(r, 1<<20)) // (deflate expands a thousandfold)
		}
	})
}
