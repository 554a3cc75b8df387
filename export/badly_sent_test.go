package export_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"tulieu/export"
	"tulieu/store"
	"tulieu/warc"
)

// TestBadlySentImageLeftOut: an article's image whose archived body
// cannot be decoded as its server sent it (a gzip Content-Encoding that is
// not gzip; an archive written before the crawler refused such bodies,
// or by another tool) is left out of an md or html export with a note
// and a warning (Options.Warn) that say so, not reported as the archive's damage, and
// the export goes on.
func TestBadlySentImageLeftOut(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w, err := warc.NewWriter(st.WARCPath(), warc.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	const img = "http://danguykhoithanhhoa.org.vn/uploads/images/hoi-nghi.jpg"
	const page = "http://danguykhoithanhhoa.org.vn/tin-tuc/hoi-nghi-12.html"
	at := time.Date(2026, 5, 12, 8, 0, 0, 0, time.UTC)
	loc, err := w.WriteExchange(warc.Exchange{TargetURI: img, Date: at,
		Response: []byte("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Encoding: gzip\r\n\r\n\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xffnot deflate at all")})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	c := &store.Capture{URL: img, FetchedAt: at, Status: 200, ContentType: "image/jpeg", Length: 40, Kind: store.KindRequisite,
		RecordType: "response", WARCFile: loc.File, WARCOffset: loc.Offset, WARCLength: loc.Length}
	if _, err := st.AddCapture(ctx, c); err != nil {
		t.Fatal(err)
	}
	body := strings.Repeat("Đảng ủy Khối các cơ quan tỉnh Thanh Hóa tổ chức hội nghị. ", 10)
	if _, _, err := st.RecordArticle(ctx, page, store.Content{Kind: store.KindArticle, Title: "Hội nghị quán triệt nghị quyết",
		Body: body, BodyHTML: "<p>" + body + "</p>", Published: "2026-05-12",
		Images: []store.Image{{Src: img, Caption: "Quang cảnh hội nghị"}}}, 0, at); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"html", "md"} {
		var buf bytes.Buffer
		var warnings []string
		_, err := export.Write(ctx, &buf, export.Selection{}, export.Options{Format: format, Warn: func(m string) { warnings = append(warnings, m) }}, st, nil)
		if err != nil {
			t.Errorf("%s export with a badly sent image: %v", format, err)
			continue
		}
		_, files := docsZipFiles(t, buf.Bytes())
		var pageText string
		for name, b := range files {
			if strings.HasSuffix(name, "."+format) && !strings.HasPrefix(name, "index.") {
				pageText = string(b)
			}
			if strings.HasPrefix(name, "images/") {
				t.Errorf("%s export: %s is in the zip", format, name)
			}
		}
		if !strings.Contains(pageText, "Quang cảnh hội nghị") || !strings.Contains(pageText, "không giải mã được như máy chủ đã gửi") ||
			strings.Contains(pageText, "bị hỏng trong kho lưu trữ") {
			t.Errorf("%s export: the page does not keep the caption with a note that the server sent the image broken:\n%s", format, pageText)
		}
		if len(warnings) != 1 || !strings.Contains(warnings[0], "cannot be decoded") || strings.Contains(warnings[0], "tulieu check") {
			t.Errorf("%s export: warnings %q; want one that says the image cannot be decoded as sent", format, warnings)
		}
	}
}
