package warc

import (
	"fmt"
	"io"
	"os"
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
