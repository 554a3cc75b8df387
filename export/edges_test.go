package export_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"tulieu/export"
	"tulieu/store"
)

func reviewStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestCSVInvalidUTF8: the CSV says it is UTF-8 (byte order mark), so
// invalid bytes in the catalog's text become U+FFFD, as jsonl and xlsx do.
func TestCSVInvalidUTF8(t *testing.T) {
	ctx := context.Background()
	st := reviewStore(t)
	if _, _, err := st.SaveArticle(ctx, "http://x.vn/a.html", store.Content{Kind: store.KindArticle,
		Title: "Tiêu đề lỗi \xff\xfe mã", Body: "Nội dung \xc3 hỏng.", Published: "2020-01-01"}, 0, time.Now()); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := export.Write(ctx, &buf, export.Selection{}, export.Options{Format: "csv", Fields: []string{"id", "title", "body"}}, st, nil); err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(buf.Bytes()) {
		t.Errorf("the csv export (UTF-8 with a BOM) is not valid UTF-8: %q", buf.String())
	}
}

// TestWriteFileMode: an exported file has the mode of any new file
// (0644 under umask 022), not the temporary file's 0600: other users and
// services (a shared folder, a web server) read the files staff hand on.
func TestWriteFileMode(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	p := filepath.Join(t.TempDir(), "out.csv")
	if err := export.WriteFile(p, nil, false, func(w io.Writer) error { _, err := io.WriteString(w, "a"); return err }); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o644 {
		t.Errorf("exported file mode %v, want -rw-r--r-- (0644 under umask 022)", got)
	}
}

// TestWriteFileNoForceRace: without force, a file that appears under
// the name while the export runs (another export to the same name) is not
// replaced at the end: the export fails with ErrExists.
func TestWriteFileNoForceRace(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out.csv")
	err := export.WriteFile(p, nil, false, func(w io.Writer) error {
		if err := os.WriteFile(p, []byte("other export"), 0o644); err != nil {
			return err
		}
		_, err := io.WriteString(w, "mine")
		return err
	})
	b, _ := os.ReadFile(p)
	if string(b) != "other export" || !errors.Is(err, export.ErrExists) {
		t.Errorf("without force, a file created meanwhile was replaced: err %v, file %q", err, b)
	}
}

// TestVersionsAllKeepsFiles: with --versions all every record keeps
// the text of its attached documents (files), as the same export without
// --versions all does.
func TestVersionsAllKeepsFiles(t *testing.T) {
	ctx := context.Background()
	st := reviewStore(t)
	doc := "http://x.vn/files/quyet-dinh-45.pdf"
	if _, _, err := st.SaveArticle(ctx, "http://x.vn/a.html", store.Content{Kind: store.KindArticle, Title: "Quyết định",
		Body: "Bài có tệp.", Published: "2020-01-01", Attachments: []store.Attachment{{URL: doc, Text: "Quyết định 45"}}}, 0, time.Now()); err != nil {
		t.Fatal(err)
	}
	capID, err := st.AddCapture(ctx, &store.Capture{URL: doc, FetchedAt: time.Now(), Status: 200, ContentType: "application/pdf",
		Kind: "attachment", RecordType: "response"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SaveAttachmentText(ctx, store.AttachmentText{CaptureID: capID, URL: doc, Reader: "pdftotext",
		Text: "Điều 1. Nội dung quyết định.", ExtractedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	get := func(sel export.Selection) []string {
		var buf bytes.Buffer
		if _, err := export.Write(ctx, &buf, sel, export.Options{Format: "csv", Fields: []string{"id", "files"}}, st, nil); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF"))).ReadAll()
		if err != nil || len(rows) != 2 {
			t.Fatalf("%v %v", rows, err)
		}
		return rows[1]
	}
	cur := get(export.Selection{})
	if !strings.Contains(cur[1], "Điều 1") {
		t.Fatalf("the current export has no file text: %q", cur)
	}
	all := get(export.Selection{AllVersions: true})
	if all[1] != cur[1] {
		t.Errorf("--versions all: files %q, the same export of the current state: %q", all[1], cur[1])
	}
}

// TestMarkdownStrikethrough: "~~…~~" in a body or title reads as
// written, not struck through as GitHub-flavoured Markdown (and most
// viewers) would show it unescaped.
func TestMarkdownStrikethrough(t *testing.T) {
	ctx := context.Background()
	st := reviewStore(t)
	if _, _, err := st.SaveArticle(ctx, "http://x.vn/gia.html", store.Content{Kind: store.KindArticle, Title: "Giá ~~tăng~~ giảm",
		Body: "Giá lúa ~~tăng~~ giảm 5%.", Published: "2020-01-01"}, 0, time.Now()); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := export.Write(ctx, &buf, export.Selection{}, export.Options{Format: "md"}, st, nil); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".md") {
			continue
		}
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		body := string(b)
		if i := strings.Index(body, "\n---\n"); i >= 0 { // past the front matter
			body = body[i+5:]
		}
		if strings.Contains(body, "~~tăng~~") {
			t.Errorf("%s: unescaped strikethrough markup:\n%s", f.Name, body)
		}
	}
}
