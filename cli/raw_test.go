package cli

import (
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"testing"
)

// TestLargeAttachmentStreams: an archived attachment larger than the
// server's cap on bytes held per request is served whole, byte for byte,
// streamed from the WARC file: the server's allocations while sending it
// stay far below its size.
func TestLargeAttachmentStreams(t *testing.T) {
	const size = 48 << 20
	big := make([]byte, size)
	for i := range big {
		big[i] = byte(i*7 + i>>12)
	}
	want := sha256.Sum256(big)
	para := strings.Repeat("Đảng ủy Khối các cơ quan tỉnh ban hành kế hoạch thực hiện nhiệm vụ năm 2020 với nhiều nội dung quan trọng. ", 3)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/files/ke-hoach.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Write(big)
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><body><a href="/van-ban/ke-hoach-1.html">Kế hoạch</a></body></html>`)
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<html><head><title>Kế hoạch số 12</title></head><body><div class="content"><h1>Kế hoạch số 12-KH/ĐUK</h1>
<p>%s</p><p>%s</p><p>%s</p><p>Tệp đính kèm: <a href="/files/ke-hoach.pdf">ke-hoach.pdf</a></p></div></body></html>`, para, para, para)
		}
	}))
	defer site.Close()
	data := t.TempDir()
	if code, _, errOut := run(t, data, "crawl", "--site", site.URL+"/", "--delay", "0"); code != 0 {
		t.Fatalf("crawl: %d %s", code, errOut)
	}
	addr := startServe(t, data, ServeOptions{})
	u := "http://" + addr + "/raw?url=" + url.QueryEscape(site.URL+"/files/ke-hoach.pdf")

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	n, err := io.Copy(h, resp.Body)
	resp.Body.Close()
	runtime.ReadMemStats(&after)
	if err != nil || resp.StatusCode != 200 || n != size || [32]byte(h.Sum(nil)) != want {
		t.Fatalf("GET the attachment: %d, %d bytes of %d, %v, same bytes: %v", resp.StatusCode, n, size, err, [32]byte(h.Sum(nil)) == want)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, "ke-hoach.pdf") {
		t.Errorf("Content-Disposition %q", cd)
	}
	// Everything this process allocated while the file went through it:
	// the server reading and sending, and this client reading.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > size/3 {
		t.Errorf("sending a %d MiB attachment allocated %d MiB: it was held in memory, not streamed", size>>20, alloc>>20)
	}
}
