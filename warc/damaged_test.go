package warc

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// A record with a damaged byte reads as Damaged, through every way the
// archive is read; a missing file does not.
func TestDamagedRecordReadsAsDamaged(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var locs []Location
	for i := range 3 {
		body := fmt.Sprintf("<html><body><p>Bài viết số %d của Đảng bộ Khối, đủ dài để nén.</p></body></html>", i)
		loc, err := w.WriteExchange(Exchange{TargetURI: fmt.Sprintf("http://example.vn/bai-%d.html", i), Date: time.Now(),
			Response: []byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body)})
		if err != nil {
			t.Fatal(err)
		}
		locs = append(locs, loc)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	path := Path(dir, locs[1].File)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[locs[1].Offset+locs[1].Length/2] ^= 0xff
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadResponse(dir, locs[1].File, locs[1].Offset); err == nil || !Damaged(err) {
		t.Errorf("ReadResponse of the damaged record: %v, Damaged %v", err, Damaged(err))
	}
	body, err := OpenBody(dir, locs[1].File, locs[1].Offset)
	if err == nil {
		_, err = io.ReadAll(body)
		body.Close()
	}
	if err == nil || !Damaged(err) {
		t.Errorf("OpenBody of the damaged record: %v, Damaged %v", err, Damaged(err))
	}
	if _, err := ReadResponse(dir, locs[0].File, locs[0].Offset); err != nil {
		t.Errorf("the record before it: %v", err)
	}
	if _, err := ReadResponse(dir, "nothing.warc.gz", 0); err == nil || Damaged(err) {
		t.Errorf("a missing file: %v, Damaged %v", err, Damaged(err))
	}
}

// A damaged gzip member decompresses to whatever it decompresses to
// before its checksum is reached, so the WARC parser can fail first, on
// garbage, with an error of its own ("not a http block"). Whichever byte
// of a record is damaged, reading it either gives the record as written
// (a byte the gzip header does not check, such as its time) or fails
// with an error that says it is damaged.
//
// The same holds of a body the server sent compressed (Content-Encoding:
// gzip), whose own decoding may fail first: it is not Undecodable.
func TestEveryDamagedByteReadsAsDamaged(t *testing.T) {
	body := "<html><body><h1>Bài bị hỏng</h1><p>" + strings.Repeat("Nội dung của Đảng bộ Khối. ", 40) + "</p></body></html>"
	var zbody bytes.Buffer
	zw := gzip.NewWriter(&zbody)
	zw.Write([]byte(body))
	zw.Close()
	t.Run("identity", func(t *testing.T) {
		everyDamagedByte(t, body, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"+body)
	})
	t.Run("gzip", func(t *testing.T) {
		everyDamagedByte(t, body, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"+zbody.String())
	})
}

func everyDamagedByte(t *testing.T, body, response string) {
	dir := t.TempDir()
	loc := writeOneExchange(t, dir, response)
	path := Path(dir, loc.File)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	damaged := 0
	for i := loc.Offset; i < loc.Offset+loc.Length; i++ {
		b := slices.Clone(orig)
		b[i] ^= 0xff
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		resp, err := ReadResponse(dir, loc.File, loc.Offset)
		switch {
		case err == nil && string(resp.Payload) != response[strings.Index(response, "\r\n\r\n")+4:]:
			t.Errorf("byte %d of the record damaged: ReadResponse gives another body and no error", i-loc.Offset)
		case err != nil && !Damaged(err):
			t.Errorf("byte %d of the record damaged: ReadResponse: %v, not Damaged", i-loc.Offset, err)
		case err != nil:
			damaged++
		}
		var got []byte
		rc, err := OpenBody(dir, loc.File, loc.Offset)
		if err == nil {
			got, err = io.ReadAll(rc)
			rc.Close()
		}
		switch {
		case err == nil && string(got) != body:
			t.Errorf("byte %d of the record damaged: OpenBody gives another body and no error", i-loc.Offset)
		case err != nil && (!Damaged(err) || Undecodable(err)):
			t.Errorf("byte %d of the record damaged: OpenBody: %v, Damaged %v, Undecodable %v", i-loc.Offset, err, Damaged(err), Undecodable(err))
		}
	}
	if damaged < int(loc.Length)*9/10 {
		t.Errorf("only %d of the record's %d bytes, damaged, made an error", damaged, loc.Length)
	}
}

// A body the server sent with a broken content encoding, or one this
// reader does not know, is not the archive's damage: its record reads
// whole, and the error says the body cannot be decoded (Undecodable).
func TestBadContentEncodingIsNotDamage(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var good bytes.Buffer
	zw := gzip.NewWriter(&good)
	zw.Write([]byte(strings.Repeat("Nội dung nén đúng. ", 50)))
	zw.Close()
	cut := good.Bytes()[:good.Len()/2]
	bodies := map[string]string{
		"not deflate at all":       "Content-Encoding: gzip\r\n\r\n\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xffnot deflate at all",
		"no gzip header":           "Content-Encoding: gzip\r\n\r\nplain text sent as gzip",
		"a gzip stream cut short":  "Content-Encoding: gzip\r\n\r\n" + string(cut),
		"an encoding nobody reads": "Content-Encoding: br\r\n\r\n\x0b\x02\x80abc\x03",
		"broken chunked framing":   "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
	}
	for name, rest := range bodies {
		loc, err := w.WriteExchange(Exchange{TargetURI: "http://example.vn/" + strings.ReplaceAll(name, " ", "-"), Date: time.Now(),
			Response: []byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + rest)})
		if err != nil {
			t.Fatal(err)
		}
		rc, err := OpenBody(dir, loc.File, loc.Offset)
		if err == nil {
			_, err = io.ReadAll(rc)
			rc.Close()
		}
		if err == nil || Damaged(err) || !Undecodable(err) {
			t.Errorf("a body with %s: %v (Damaged %v, Undecodable %v); want an error that says it cannot be decoded, not the archive's damage",
				name, err, Damaged(err), Undecodable(err))
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// writeOneExchange archives one HTTP response in a new WARC file of dir.
func writeOneExchange(t *testing.T, dir string, response string) Location {
	t.Helper()
	w, err := NewWriter(dir, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	loc, err := w.WriteExchange(Exchange{TargetURI: "http://example.vn/tep", Date: time.Now(), Response: []byte(response)})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return loc
}

// A damaged byte anywhere in the file's last record is reported by Scan,
// wherever it falls: the reader takes some such members (a deflate stream
// that ends early) for the file's end, and the bytes after the last record
// read went unreported ("all is well" after check --repair kept them).
func TestScanReportsDamagedLastRecordAnywhere(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var last Location
	for i := range 2 {
		body := strings.Repeat(fmt.Sprintf("<p>Bài viết số %d của Đảng bộ Khối các cơ quan tỉnh Thanh Hóa.</p>", i), 20)
		last, err = w.WriteExchange(Exchange{TargetURI: fmt.Sprintf("http://example.vn/bai-%d.html", i), Date: time.Now(),
			Response: []byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body)})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	path := Path(dir, last.File)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	damaged := filepath.Join(t.TempDir(), "d.warc.gz")
	for at := last.Offset + 10; at < int64(len(orig)); at += 3 {
		b := slices.Clone(orig)
		b[at] ^= 0xff
		if err := os.WriteFile(damaged, b, 0o644); err != nil {
			t.Fatal(err)
		}
		recs, findings, err := Scan(damaged)
		if err != nil {
			t.Fatal(err)
		}
		if len(findings) == 0 {
			t.Errorf("a byte damaged at %d of %d (the last record starts at %d): %d records read, no finding", at, len(orig), last.Offset, len(recs))
		}
	}
}
