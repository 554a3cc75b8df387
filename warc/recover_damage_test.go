package warc

import (
	"fmt"
	"os"
	"testing"
	"time"
)

// TestRecoverKeepsRecordsAfterDamage: a file left open by a crash, with a
// damaged byte in a middle record and half a record at its end, is cut
// after its last complete record only; the records after the damaged one
// stay, are indexed and are found by Scan, which reports the damage.
func TestRecoverKeepsRecordsAfterDamage(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var locs []Location
	for i := range 12 {
		body := fmt.Sprintf("<html><body><p>Bài viết số %d của Đảng bộ Khối.</p></body></html>", i)
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
	path := Path(dir, locs[0].File)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	whole := int64(len(b))
	// A byte of the sixth response damaged; half of the first record
	// again at the end, as a crash in the middle of a write leaves it.
	b[locs[5].Offset+40] ^= 0xff
	b = append(b, b[locs[0].Offset:locs[0].Offset+locs[0].Length/2]...)
	os.Remove(path)
	os.Remove(path + CDXJSuffix)
	if err := os.WriteFile(path+openSuffix, b, 0o644); err != nil {
		t.Fatal(err)
	}
	rec, err := Recover(dir)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() != whole || len(rec) != 1 || rec[0].CutBytes != int64(len(b))-whole {
		t.Errorf("recovered %+v, %d bytes; want the half record cut and %d bytes kept", rec, fi.Size(), whole)
	}
	lines, err := indexLines(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 11 {
		t.Errorf("%d index lines, want 11 (12 responses, one damaged)", len(lines))
	}
	recs, findings, err := Scan(path)
	if err != nil {
		t.Fatal(err)
	}
	found := map[int64]bool{}
	for _, r := range recs {
		found[r.Offset] = true
	}
	for i, l := range locs {
		if i != 5 && !found[l.Offset] {
			t.Errorf("response %d at %d not found by Scan", i, l.Offset)
		}
	}
	if len(findings) == 0 || findings[0].Offset != locs[5].Offset {
		t.Errorf("findings %+v; want the damaged record at %d", findings, locs[5].Offset)
	}
}

// TestRecoverTellsDamageFromLeftovers: after the last record that reads,
// what a crash leaves (half a record, or zeros the file system had
// allocated) is cut; a whole last record with a damaged byte is kept, for
// check to report, not cut as if a crash had left it.
func TestRecoverTellsDamageFromLeftovers(t *testing.T) {
	for _, c := range []struct {
		name   string
		mangle func(b []byte, last Location) []byte
		cut    bool
	}{
		{"half a record", func(b []byte, last Location) []byte { return b[:last.Offset+last.Length/2] }, true},
		{"zeros", func(b []byte, last Location) []byte { return append(b, make([]byte, 4096)...) }, true},
		{"a damaged whole record", func(b []byte, last Location) []byte {
			b[last.Offset+last.Length/2] ^= 0xff
			return b
		}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			w, err := NewWriter(dir, WriterOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var last Location
			for i := range 3 {
				body := fmt.Sprintf("<html><body><p>Bài viết số %d về công tác xây dựng Đảng trong Khối.</p></body></html>", i)
				if last, err = w.WriteExchange(Exchange{TargetURI: fmt.Sprintf("http://example.vn/bai-%d.html", i), Date: time.Now(),
					Response: []byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body)}); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			path := Path(dir, last.File)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			b = c.mangle(b, last)
			os.Remove(path)
			os.Remove(path + CDXJSuffix)
			if err := os.WriteFile(path+openSuffix, b, 0o644); err != nil {
				t.Fatal(err)
			}
			rec, err := Recover(dir)
			if err != nil || len(rec) != 1 {
				t.Fatalf("Recover: %+v %v", rec, err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if cut := fi.Size() < int64(len(b)); cut != c.cut || rec[0].Truncated != c.cut || (rec[0].DamagedBytes > 0) == c.cut {
				t.Errorf("recovered %+v, %d of %d bytes kept; want cut=%v", rec[0], fi.Size(), len(b), c.cut)
			}
		})
	}
}
