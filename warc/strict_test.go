package warc

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	nlwarc "github.com/nlnwa/gowarc/v3"
)

// TestRecordsPassStrictValidation writes exchanges of every kind the crawl
// writes (a page, a large body streamed from a file, a revisit) and reads
// the file with nlnwa/gowarc in strict validation: each record's length
// and block digest, which the writer computes as it writes the block, and
// the payload digests, must be what the bytes say; and every record has an
// ID of its own.
func TestRecordsPassStrictValidation(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Repeat("<p>Đảng bộ Khối các cơ quan tỉnh Thanh Hóa.</p>\n", 50)
	page := []byte("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body)
	req := []byte("GET /a.html HTTP/1.1\r\nHost: example.vn\r\n\r\n")
	date := time.Date(2026, 12, 6, 7, 0, 0, 0, time.UTC)
	if _, err := w.WriteExchange(Exchange{TargetURI: "http://example.vn/a.html", Date: date, Request: req, Response: page}); err != nil {
		t.Fatal(err)
	}
	// A 3 MB document: the head in memory, the body from a reader (as
	// the crawl's spooled responses are), past gowarc's 1 MB spooling.
	big := bytes.Repeat([]byte("%PDF-1.4 tư liệu\n"), 3<<20/18)
	head := []byte("HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: " + strconv.Itoa(len(big)) + "\r\n\r\n")
	loc, err := w.WriteExchange(Exchange{TargetURI: "http://example.vn/a.pdf", Date: date, Request: req, Response: head,
		ResponseReader: bytes.NewReader(big), PayloadDigest: PayloadDigest(big)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.WriteExchange(Exchange{TargetURI: "http://example.vn/a.pdf", Date: date.Add(time.Hour), Request: req,
		Response: []byte("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n"),
		Revisit:  &Revisit{Profile: ProfileServerNotModified, RefersToURI: "http://example.vn/a.pdf", RefersToDate: date, RefersToRecord: loc.RecordID}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
	if len(files) != 1 {
		t.Fatalf("files %v", files)
	}
	r, err := nlwarc.NewWarcFileReader(files[0], 0, nlwarc.WithStrictValidation())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var types []string
	ids := map[string]bool{}
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("at %d: %v", rec.Offset, err)
		}
		for _, v := range rec.Validation {
			t.Errorf("%s record at %d: %v", rec.WarcRecord.Type(), rec.Offset, v)
		}
		v, err := rec.WarcRecord.ValidateDigest()
		if err != nil {
			t.Errorf("%s record at %d: %v", rec.WarcRecord.Type(), rec.Offset, err)
		}
		for _, e := range v {
			t.Errorf("%s record at %d: %v", rec.WarcRecord.Type(), rec.Offset, e)
		}
		types = append(types, rec.WarcRecord.Type().String())
		// Each record's ID is its own random (version 4) UUID URN.
		id := rec.WarcRecord.WarcHeader().Get("WARC-Record-ID")
		u, err := uuid.Parse(strings.TrimSuffix(strings.TrimPrefix(id, "<urn:uuid:"), ">"))
		if err != nil || id != "<urn:uuid:"+u.String()+">" || u.Version() != 4 || u.Variant() != uuid.RFC4122 || ids[id] {
			t.Errorf("%s record at %d: WARC-Record-ID %q (%v), or seen before", rec.WarcRecord.Type(), rec.Offset, id, err)
		}
		ids[id] = true
		rec.Close()
	}
	if got := strings.Join(types, " "); got != "warcinfo response request response request revisit request" {
		t.Errorf("records: %s", got)
	}
}
