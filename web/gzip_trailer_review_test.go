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

	"tulieu/store"
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
	rnd := rand.New(rand.NewPCG(3, 4))
	data := make([]byte, 64<<10)
	for i := range data {
		data[i] = byte(rnd.IntN(256))
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(data)
	zw.Close()
	_, ids := archiveResponses(t, st, []archivedResponse{{url: "http://danguykhoithanhhoa.org.vn/uploads/quyet-dinh-45.pdf",
		contentType: "application/pdf", headers: "Content-Encoding: gzip\r\n", payload: z.String() + "\n"}})
	c := &store.Capture{ID: ids[0]}
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
