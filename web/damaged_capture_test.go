package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"html"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"tulieu/store"
	"tulieu/warc"
)

// TestDamagedCaptureSaysSo: a capture whose WARC record has a damaged
// byte (a bad sector) is shown as that, with what the administrator can
// do, not as an unexplained server error; so is an image or attachment
// (/raw) whose record is damaged.
func TestDamagedCaptureSaysSo(t *testing.T) {
	ix, st := openEmptyParts(t)
	u := "http://danguykhoithanhhoa.org.vn/tin-tuc/bai-hong-7.html"
	body := "<html><body><h1>Bài bị hỏng</h1><p>" + strings.Repeat("Nội dung của Đảng bộ Khối. ", 40) + "</p></body></html>"
	locs, ids := archiveResponses(t, st, []archivedResponse{
		{url: u, contentType: "text/html; charset=utf-8", payload: body},
		{url: u + ".pdf", contentType: "application/pdf", payload: body},
	})
	path := warc.Path(st.WARCPath(), locs[0].File)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, loc := range locs {
		b[loc.Offset+loc.Length/2] ^= 0xff
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(ix, st, Options{}))
	defer srv.Close()
	for i, p := range []string{"/archive?capture=", "/raw?capture="} {
		code, page := get(t, srv.URL+p+strconv.FormatInt(ids[i], 10))
		if code != 500 || !strings.Contains(html.UnescapeString(page), "bị hỏng trong kho lưu trữ") ||
			!strings.Contains(html.UnescapeString(page), "tulieu check --repair") {
			t.Errorf("GET %s%d (its record damaged): %d, does not say the copy is damaged and what to do:\n%.600s", p, ids[i], code, page)
		}
	}
}

// TestBadlySentCaptureSaysSo: a capture whose body its server sent with a
// broken gzip Content-Encoding (the record whole) is shown as that, on the
// archived page's view and on /raw, not as the archive's damage.
func TestBadlySentCaptureSaysSo(t *testing.T) {
	ix, st := openEmptyParts(t)
	u := "http://danguykhoithanhhoa.org.vn/tin-tuc/bai-nen-hong-8.html"
	// The third is a large attachment whose gzip stream breaks off
	// halfway: its first bytes decode, so its answer has begun.
	var zbody bytes.Buffer
	zw := gzip.NewWriter(&zbody)
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 200 << 10 {
		zw.Write([]byte{byte(rnd.IntN(256))})
	}
	zw.Close()
	cutStream := zbody.String()[:zbody.Len()/2]
	gzipped := "Content-Encoding: gzip\r\n"
	_, ids := archiveResponses(t, st, []archivedResponse{
		{url: u, contentType: "text/html; charset=utf-8", headers: gzipped, payload: "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xffnot deflate at all"},
		{url: u + ".jpg", contentType: "image/jpeg", headers: gzipped, payload: "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xffnot deflate at all"},
		{url: u + ".pdf", contentType: "application/pdf", headers: gzipped, payload: cutStream},
	})
	srv := httptest.NewServer(New(ix, st, Options{}))
	defer srv.Close()
	for i, p := range []string{"/archive?capture=", "/raw?capture="} {
		code, page := get(t, srv.URL+p+strconv.FormatInt(ids[i], 10))
		text := html.UnescapeString(page)
		if code != 500 || !strings.Contains(text, "máy chủ của trang đã gửi nó ở dạng nén hoặc đóng gói bị lỗi") ||
			strings.Contains(text, "bị hỏng trong kho lưu trữ") {
			t.Errorf("GET %s%d (its body sent broken): %d, does not say the server sent it broken:\n%.600s", p, ids[i], code, page)
		}
	}
	// Broken off halfway: the answer is cut short, never a complete-looking file.
	resp, err := http.Get(srv.URL + "/raw?capture=" + strconv.FormatInt(ids[2], 10))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err == nil {
		t.Errorf("GET /raw of a body whose gzip stream breaks off: %d, %d bytes read and a clean end; want the answer cut short", resp.StatusCode, len(b))
	}
}

// archivedResponse is a 200 response to archive: its extra header lines
// (each ending in CRLF) and its payload as sent.
type archivedResponse struct{ url, contentType, headers, payload string }

// archiveResponses writes the responses into a new WARC file of st, each
// with its capture, and returns their locations and capture ids.
func archiveResponses(t *testing.T, st *store.Store, responses []archivedResponse) ([]warc.Location, []int64) {
	t.Helper()
	w, err := warc.NewWriter(st.WARCPath(), warc.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var locs []warc.Location
	var ids []int64
	for _, r := range responses {
		loc, err := w.WriteExchange(warc.Exchange{TargetURI: r.url, Date: time.Now(),
			Response: []byte("HTTP/1.1 200 OK\r\nContent-Type: " + r.contentType + "\r\n" + r.headers + "\r\n" + r.payload)})
		if err != nil {
			t.Fatal(err)
		}
		c := &store.Capture{URL: r.url, FetchedAt: time.Now(), Status: 200, ContentType: r.contentType, Length: int64(len(r.payload)),
			Kind: store.KindArticle, RecordType: "response", WARCFile: loc.File, WARCOffset: loc.Offset, WARCLength: loc.Length}
		if _, err := st.AddCapture(context.Background(), c); err != nil {
			t.Fatal(err)
		}
		locs, ids = append(locs, loc), append(ids, c.ID)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return locs, ids
}
