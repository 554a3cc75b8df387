package warc

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"tulieu/internal/diskfull"
	"tulieu/internal/smalldisk"
)

// A disk that fills up mid-record: the failed exchange is cut away, so the
// records written after space is freed sit where their locations say and
// the file reads strictly, with no half record inside it.
func TestWriterOnAFullDisk(t *testing.T) {
	disk := smalldisk.New(t, 256<<10)
	w, err := NewWriter(disk.Dir, WriterOptions{Software: "tulieu-test"})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	exchange := func(i int) (Exchange, string) {
		body := make([]byte, 24<<10) // incompressible, so gzip cannot hide it
		for j := range body {
			body[j] = byte(rng.Uint32())
		}
		raw := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
		return Exchange{
			TargetURI: fmt.Sprintf("http://example.test/%d", i),
			Date:      time.Date(2026, 12, 6, 1, 0, i, 0, time.UTC),
			Request:   []byte(fmt.Sprintf("GET /%d HTTP/1.1\r\nHost: example.test\r\n\r\n", i)),
			Response:  []byte(raw),
		}, string(body)
	}
	type written struct {
		loc  Location
		body string
	}
	var kept []written
	var fullErr error
	for i := 0; i < 100; i++ {
		ex, body := exchange(i)
		loc, err := w.WriteExchange(ex)
		if err != nil {
			fullErr = err
			break
		}
		kept = append(kept, written{loc, body})
	}
	if fullErr == nil {
		t.Fatal("100 exchanges of 24 KiB fit on a 256 KiB disk")
	}
	if !diskfull.Is(fullErr) {
		t.Fatalf("the error does not say the disk is full: %v", fullErr)
	}
	// Still full: another try fails the same way and damages nothing.
	ex, _ := exchange(100)
	if _, err := w.WriteExchange(ex); !diskfull.Is(err) {
		t.Fatalf("second write on a full disk: %v", err)
	}
	disk.Resize(4 << 20)
	for i := 101; i < 104; i++ {
		ex, body := exchange(i)
		loc, err := w.WriteExchange(ex)
		if err != nil {
			t.Fatalf("write after space was freed: %v", err)
		}
		kept = append(kept, written{loc, body})
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := Files(disk.Dir)
	if err != nil {
		t.Fatal(err)
	}
	records := 0
	for _, f := range files {
		if strings.HasSuffix(f, openSuffix) {
			t.Fatalf("a file left open after Close: %s", f)
		}
		n, findings, err := Check(f)
		if err != nil || len(findings) > 0 {
			t.Fatalf("strict check of %s: %v %v", f, err, findings)
		}
		records += n
	}
	if want := len(files) + 2*len(kept); records != want {
		t.Fatalf("%d records in %d files, want %d (warcinfo + a pair per kept exchange)", records, len(files), want)
	}
	for _, k := range kept {
		r, err := ReadResponse(disk.Dir, k.loc.File, k.loc.Offset)
		if err != nil {
			t.Fatalf("read %s at %d: %v", k.loc.File, k.loc.Offset, err)
		}
		if !bytes.Equal(r.Payload, []byte(k.body)) {
			t.Fatalf("record at %s:%d holds another body", k.loc.File, k.loc.Offset)
		}
	}
}
