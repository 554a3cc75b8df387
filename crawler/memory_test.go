package crawler

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"tulieu/warc"
)

// TestLargeAttachmentBoundedMemory: a 48 MiB attached document is
// archived whole (its record reads back with the right digest) while the
// crawl allocates a small fraction of its size: the tap, the entity, the
// decoded payload and the WARC record all keep it in temporary files, and
// colly never holds it.
func TestLargeAttachmentBoundedMemory(t *testing.T) {
	const size = 48 << 20
	// A temporary folder of its own, to find this crawl's spool files
	// only (a crawl killed elsewhere may leave its own in /tmp).
	t.Setenv("TMPDIR", t.TempDir())
	chunk := bytes.Repeat([]byte("Báo cáo tổng kết công tác Đảng năm 2026. "), 1024)
	srv := attachmentSite(func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Length", strconv.Itoa(size))
		io.WriteString(w, "%PDF-1.4\n")
		left := size - len("%PDF-1.4\n")
		for left > 0 {
			n := min(left, len(chunk))
			w.Write(chunk[:n])
			left -= n
		}
	})
	defer srv.Close()
	// The live heap, sampled while the crawl runs: its peak above the
	// start is what the attachment costs.
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
		}
	}()
	sum, st, err := crawlInto(t, Options{Sites: []string{srv.URL + "/"}, Timeout: 30 * time.Second})
	close(done)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Errors != 0 || sum.New != 1 {
		t.Fatalf("summary %+v", sum)
	}
	grew := int64(peak.Load()) - int64(base)
	t.Logf("a %d MiB attachment: the live heap grew by at most %.1f MiB", size>>20, float64(grew)/(1<<20))
	if grew > 16<<20 {
		t.Errorf("the live heap grew by %.1f MiB for a %d MiB attachment: it is held in memory", float64(grew)/(1<<20), size>>20)
	}
	c, err := st.LastGoodCapture(t.Context(), srv.URL+"/uploads/bao-cao.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if c.Length != size || c.Truncated != "" {
		t.Fatalf("capture %+v", c)
	}
	body, err := warc.OpenBody(st.WARCPath(), c.WARCFile, c.WARCOffset)
	if err != nil {
		t.Fatal(err)
	}
	defer body.Close()
	n, err := io.Copy(io.Discard, body)
	if err != nil || n != size {
		t.Errorf("archived body: %d bytes, %v", n, err)
	}
	// No temporary file is left behind.
	entries, _ := os.ReadDir(os.TempDir())
	for _, e := range entries {
		if len(e.Name()) > 16 && e.Name()[:16] == "tulieu-response-" {
			t.Errorf("a spool file was left: %s", e.Name())
		}
	}
}

// attachmentSite serves a home page linking to an article page that
// attaches /uploads/bao-cao.pdf, whose answer pdf writes.
func attachmentSite(pdf func(w http.ResponseWriter)) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			fmt.Fprint(w, `<html><body><a href="/van-ban-1.html">Văn bản số 1 của Đảng ủy Khối</a></body></html>`)
		case "/van-ban-1.html":
			fmt.Fprint(w, `<html><head><title>Văn bản số 1</title></head><body><h1>Văn bản số 1</h1><div class="content"><p>Ban Thường vụ ban hành báo cáo tổng kết công tác năm, xem toàn văn trong tệp đính kèm.</p><p>Các tổ chức cơ sở đảng nghiên cứu và triển khai thực hiện nghiêm túc.</p><p>Tệp: <a href="/uploads/bao-cao.pdf">bao-cao.pdf</a></p></div></body></html>`)
		case "/uploads/bao-cao.pdf":
			pdf(w)
		}
	}))
}
