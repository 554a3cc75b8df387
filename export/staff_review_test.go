package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tulieu/export"
	"tulieu/internal/fixturesite"
	"tulieu/store"
)

// These tests came from a review of the exports as staff open them; each comment says what
// went wrong before the fix.

// An attached document whose file name is Vietnamese ("Quyết định
// 45.pdf") is linked, and kept in the catalog, percent-encoded, and the
// export's files[].name is that encoded form: staff reading the jsonl, or
// the "[name]" headings of the csv/xlsx files column, see
// "Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%2045.pdf" where they should see
// "Quyết định 45.pdf".
func TestFileNamesDecoded(t *testing.T) {
	ctx := context.Background()
	st := reviewStore(t)
	u := "http://x.vn/upload/Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%2045.pdf"
	if _, _, err := st.SaveArticle(ctx, "http://x.vn/tin-1.html", store.Content{Kind: store.KindArticle, Title: "Quyết định kiện toàn",
		Body: "Xem tệp đính kèm.", Published: "2026-01-02", Attachments: []store.Attachment{{URL: u, Text: "Quyết định 45"}}},
		0, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := export.Write(ctx, &buf, export.Selection{}, export.Options{Format: "jsonl"}, st, nil); err != nil {
		t.Fatal(err)
	}
	recs := readJSONL(t, buf.String())
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	files, _ := recs[0]["files"].([]any)
	if len(files) != 1 {
		t.Fatalf("files %v", recs[0]["files"])
	}
	name, _ := files[0].(map[string]any)["name"].(string)
	if name != "Quyết định 45.pdf" {
		t.Errorf("files[0].name is %q; want the file's name as people read it, %q", name, "Quyết định 45.pdf")
	}
}

// Article ids are 16 hex digits; about one in 800 is all digits (or
// digits around one "e"). The csv, made "so that Excel shows Vietnamese
// correctly", writes them as bare text, and a spreadsheet reads such an
// id as a number: "0…" loses its leading zero, and a 16-digit one is
// rounded to 15 significant digits, so the id column no longer names the
// article (and cannot be fed back to --ids-from). Staff opening the file
// in LibreOffice see 12345678901234 where the id is 0012345678901234;
// they should see the id.
func TestCSVIdStaysTextInSpreadsheet(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice not installed")
	}
	ctx := context.Background()
	st := reviewStore(t)
	// A URL whose id a spreadsheet takes for a number.
	var u, id string
	for i := 0; ; i++ {
		u = fmt.Sprintf("http://x.vn/tin-tuc/bai-%d.html", i)
		id = store.ArticleID(u)
		if strings.Trim(id, "0123456789") == "" && id[0] == '0' {
			break
		}
	}
	if _, _, err := st.SaveArticle(ctx, u, store.Content{Kind: store.KindArticle, Title: "Hội nghị", Body: "Nội dung.",
		Published: "2026-01-02"}, 0, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "bai.csv")
	if err := export.WriteFile(file, nil, false, func(w io.Writer) error {
		_, err := export.Write(ctx, w, export.Selection{}, export.Options{Format: "csv", Fields: []string{"id", "title"}}, st, nil)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// LibreOffice opens the csv as a user does (double-click: the
	// default import) and saves what its cells hold.
	out := filepath.Join(dir, "out")
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--convert-to",
		"csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false", "--outdir", out, file)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v %s", err, b)
	}
	b, err := os.ReadFile(filepath.Join(out, "bai.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("read back %q: %v", b, err)
	}
	if got := strings.TrimPrefix(rows[1][0], "'"); got != id {
		t.Errorf("the spreadsheet's id cell holds %q; want the article's id %q", rows[1][0], id)
	}
}

// A CMS answers a missing image with its "page not found" HTML and a 200
// (a soft 404), which the crawl archives as the image's capture. The md
// and html exports copy those bytes into images/ as if they were the
// picture (CaptureNear takes any 200, imageName keeps the URL's .jpg), so
// the reader of the zip gets a broken-image icon and a .jpg file that is
// an HTML page; the README promises that an image the archive lacks
// "keeps its caption with (ảnh chưa được lưu)". Staff see a broken image;
// they should see the caption and the note.
func TestDocsSoft404Image(t *testing.T) {
	site := fixturesite.New(fixturesite.Options{})
	var art *fixturesite.Article
	for _, a := range site.Articles() {
		if !a.Static && len(a.Expected.Images) > 0 {
			art = &a
			break
		}
	}
	if art == nil {
		t.Fatal("no fixture article with images")
	}
	bad := art.Expected.Images[0].Src
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == bad {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, "<!DOCTYPE html><html><head><title>Không tìm thấy trang</title></head><body><h1>Trang bạn tìm không tồn tại</h1></body></html>")
			return
		}
		site.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	st := reviewStore(t)
	crawlStore(t, st, srv.URL+"/", nil)
	a, err := st.Article(context.Background(), srv.URL+art.Path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := export.Write(context.Background(), &buf, export.Selection{IDs: []string{a.ID}}, export.Options{Format: "html"}, st, nil); err != nil {
		t.Fatal(err)
	}
	_, files := docsZipFiles(t, buf.Bytes())
	for name, b := range files {
		if strings.HasPrefix(name, "images/") && !strings.HasPrefix(http.DetectContentType(b), "image/") {
			t.Errorf("%s in the zip is %s (%.60q), not an image", name, http.DetectContentType(b), b)
		}
	}
}
