package warc

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	iawarc "github.com/internetarchive/gowarc"
)

// TestRecordFieldsInAFixedOrder: every record's fields come in one order,
// the type, ID, date and target first, the content's type and length
// last, the rest by name, so that the same exchange is archived the same
// way every time (gowarc wrote them in the order of a Go map).
func TestRecordFieldsInAFixedOrder(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, WriterOptions{Software: "tulieu-test", Info: map[string]string{"operator": "test"}})
	if err != nil {
		t.Fatal(err)
	}
	date := time.Date(2026, 12, 8, 3, 0, 0, 0, time.UTC)
	resp := []byte("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n")
	req := []byte("GET /a.html HTTP/1.1\r\nHost: example.vn\r\n\r\n")
	for range 3 {
		if _, err := w.WriteExchange(Exchange{TargetURI: "http://example.vn/a.html", Date: date, IP: "127.0.0.1", Request: req, Response: resp,
			Revisit: &Revisit{Profile: ProfileServerNotModified, RefersToURI: "http://example.vn/a.html", RefersToDate: date, RefersToRecord: "<urn:uuid:x>"}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := Files(dir)
	if err != nil || len(files) != 1 {
		t.Fatalf("files %v, %v", files, err)
	}
	raw := gunzipAll(t, files[0])
	heads := 0
	var orders [][]string
	for _, block := range strings.Split(raw, "WARC/1.1\r\n")[1:] {
		head, _, _ := strings.Cut(block, "\r\n\r\n")
		var names []string
		for line := range strings.SplitSeq(head, "\r\n") {
			name, _, _ := strings.Cut(line, ":")
			names = append(names, name)
		}
		heads++
		if names[0] != "WARC-Type" || names[1] != "WARC-Record-ID" || names[2] != "WARC-Date" {
			t.Errorf("record %d begins %v", heads, names[:3])
		}
		n := len(names)
		if names[n-2] != "Content-Type" || names[n-1] != "Content-Length" {
			t.Errorf("record %d ends %v", heads, names[n-2:])
		}
		middle := names[3 : n-2]
		if names[3] == "WARC-Target-URI" {
			middle = names[4 : n-2]
		}
		if !slices.IsSorted(middle) {
			t.Errorf("record %d: fields between not by name: %v", heads, middle)
		}
		orders = append(orders, names)
	}
	if heads != 7 { // warcinfo, then a revisit and a request three times
		t.Fatalf("%d records, want 7", heads)
	}
	for i := 3; i < len(orders); i++ {
		if !slices.Equal(orders[i], orders[i-2]) {
			t.Errorf("the same exchange's records in other orders:\n%v\n%v", orders[i-2], orders[i])
		}
	}
}

// TestRecordAsGowarcWritesIt: writeRecord writes the fields and block
// gowarc's Writer.WriteRecord writes for the same record, in another
// order only.
func TestRecordAsGowarcWritesIt(t *testing.T) {
	content := []byte("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Thanh Hóa</p>")
	record := func() *iawarc.Record {
		rec, err := newRecordFrom("response", "<urn:uuid:0b5d8c1e-8b0a-4a0e-9e5a-3f1c2d4e5f60>", content[:20], bytes.NewReader(content[20:]))
		if err != nil {
			t.Fatal(err)
		}
		rec.Header.Set("WARC-Date", formatDate(time.Date(2026, 12, 8, 3, 0, 0, 0, time.UTC)))
		rec.Header.Set("WARC-Target-URI", "http://example.vn/a.html")
		rec.Header.Set("WARC-Payload-Digest", PayloadDigest(content[57:]))
		rec.Header.Set("Content-Type", "application/http;msgtype=response")
		return rec
	}
	var ours bytes.Buffer
	bw := bufio.NewWriter(&ours)
	if err := writeRecord(bw, record()); err != nil {
		t.Fatal(err)
	}
	var theirs bytes.Buffer
	gw := &iawarc.Writer{FileWriter: bufio.NewWriter(&theirs), DigestAlgorithm: iawarc.SHA1}
	if _, err := gw.WriteRecord(record()); err != nil {
		t.Fatal(err)
	}
	split := func(b []byte) ([]string, string) {
		head, block, ok := strings.Cut(string(b), "\r\n\r\n")
		if !ok {
			t.Fatalf("no end of fields in %q", b)
		}
		lines := strings.Split(head, "\r\n")
		slices.Sort(lines)
		return lines, block
	}
	oursFields, oursBlock := split(ours.Bytes())
	theirFields, theirBlock := split(theirs.Bytes())
	if !slices.Equal(oursFields, theirFields) {
		t.Errorf("fields:\n%q\ngowarc:\n%q", oursFields, theirFields)
	}
	if oursBlock != theirBlock {
		t.Errorf("block %q, gowarc %q", oursBlock, theirBlock)
	}
}

// gunzipAll reads every gzip member of the file, one after another.
func gunzipAll(t *testing.T, path string) string {
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
	b, err := io.ReadAll(zr) // multistream: every member
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
