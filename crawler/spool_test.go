package crawler

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// TestLargeResponseSpoolsInSpoolDir: a response past the spool's memory
// threshold waits in Options.SpoolDir, not in the system's temporary
// directory, and nothing is left in either when the crawl ends. The
// server sends the first 1.5 MiB of an attachment, then holds the rest
// until it sees the crawler's file appear in the spool directory.
func TestLargeResponseSpoolsInSpoolDir(t *testing.T) {
	const size = 3 << 20
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	spoolDir := filepath.Join(t.TempDir(), "spool")
	if _, err := PrepareSpoolDir(spoolDir); err != nil {
		t.Fatal(err)
	}
	var seen atomic.Bool
	chunk := bytes.Repeat([]byte("Báo cáo tổng kết công tác Đảng năm 2026. "), 1024)
	srv := attachmentSite(func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Length", strconv.Itoa(size))
		sent := 0
		for sent < size {
			n := min(size-sent, len(chunk))
			w.Write(chunk[:n])
			sent += n
			if sent >= 3<<19 && !seen.Load() {
				w.(http.Flusher).Flush()
				for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
					if entries, _ := os.ReadDir(spoolDir); len(entries) > 0 {
						seen.Store(true)
						break
					}
				}
				if !seen.Load() {
					return // cut short: the crawl records an error
				}
			}
		}
	})
	defer srv.Close()
	sum, st, err := crawlInto(t, Options{Sites: []string{srv.URL + "/"}, Timeout: 30 * time.Second, SpoolDir: spoolDir})
	if err != nil {
		t.Fatal(err)
	}
	if !seen.Load() {
		t.Fatalf("no file appeared in the spool directory while 1.5 MiB of a response were in flight")
	}
	if sum.Errors != 0 || sum.New != 1 {
		t.Fatalf("summary %+v", sum)
	}
	c, err := st.LastGoodCapture(t.Context(), srv.URL+"/uploads/bao-cao.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if c.Length != size || c.Truncated != "" {
		t.Fatalf("capture %+v", c)
	}
	for _, dir := range []string{spoolDir, tmp} {
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			t.Errorf("%s keeps %d entries after the crawl, first %s", dir, len(entries), entries[0].Name())
		}
	}
}

// TestPrepareSpoolDir: the directory is made when missing, and whatever a
// killed crawl left in it (files, OCR's folders) is removed and counted.
func TestPrepareSpoolDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "spool")
	if n, err := PrepareSpoolDir(dir); err != nil || n != 0 {
		t.Fatalf("a new directory: %d removed, %v", n, err)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Fatalf("not made: %v", err)
	}
	f, err := os.CreateTemp(dir, spoolPattern)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(f, "half a response")
	f.Close()
	if err := os.MkdirAll(filepath.Join(dir, "tulieu-ocr-123"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tulieu-ocr-123", "page-01.png"), []byte("png"), 0o600); err != nil {
		t.Fatal(err)
	}
	if n, err := PrepareSpoolDir(dir); err != nil || n != 2 {
		t.Fatalf("%d removed, %v; want 2", n, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("%d entries left", len(entries))
	}
}
