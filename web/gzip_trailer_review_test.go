package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"tulieu/store"
	"tulieu/warc"
)

// TestRawGzipWithTrailingNewlineIsNotCut: a server that sends a whole,
// valid gzip body followed by a stray newline (PHP's ob_gzhandler and a
// "?>\n" at the end of a script; every browser reads it) is archived as
// good by the crawler (DecodeContentTo tolerates it) and read whole by
// ReadCapture (Entity). /raw sends every byte of it, then, because
// OpenBody's gzip reader fails looking for a second member
// (io.ErrUnexpectedEOF -> ErrUndecodable), panics with ErrAbortHandler: a
// download that was complete is now cut short.
func TestRawGzipWithTrailingNewlineIsNotCut(t *testing.T) {
	ix, st := openEmptyParts(t)
	w, err := warc.NewWriter(st.WARCPath(), warc.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(3, 4))
	data := make([]byte, 64<<10)
	for i := range data {
		data[i] = byte(rnd.IntN(256))
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(data)
	zw.Close()
	target := "http://danguykhoithanhhoa.org.vn/uploads/quyet-dinh-45.pdf"
	loc, err := w.WriteExchange(warc.Exchange{TargetURI: target, Date: time.Now(),
		Response: []byte("HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Encoding: gzip\r\n\r\n" + z.String() + "\n")})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	c := &store.Capture{URL: target, FetchedAt: time.Now(), Status: 200, ContentType: "application/pdf", Length: int64(len(data)),
		Kind: store.KindRequisite, RecordType: "response", WARCFile: loc.File, WARCOffset: loc.Offset, WARCLength: loc.Length}
	if _, err := st.AddCapture(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	// The bounded read (Entity) takes it as whole.
	if page, _, err := st.ReadCapture(context.Background(), c.ID, 1<<20); err != nil || !bytes.Equal(page.Body, data) {
		t.Fatalf("ReadCapture: err %v", err)
	}
	srv := httptest.NewServer(New(ix, st, Options{}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/raw?capture=" + strconv.FormatInt(c.ID, 10))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || err != nil || !bytes.Equal(b, data) {
		t.Errorf("GET /raw of a whole gzip body followed by a newline: %d, %d of %d bytes, read error %v; want the whole file and a clean end",
			resp.StatusCode, len(b), len(data), err)
	}
}
