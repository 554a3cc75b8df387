package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tulieu/index"
	"tulieu/internal/fixturesite"
	"tulieu/internal/testdocs"
	"tulieu/store"
)

// TestReextractKeepsAttachmentText: one attached document's record became
// unreadable (a damaged byte). reextract goes on with the others and loses
// nothing: the text read from that document when it was crawled stays, and
// stays searchable.
func TestReextractKeepsAttachmentText(t *testing.T) {
	srv := documentsSite(t)
	data := t.TempDir()
	if code, _, errOut := run(t, data, "crawl", "--site", srv.URL+"/", "--delay", "0", "--json"); code != 0 {
		t.Fatalf("crawl: %d %s", code, errOut)
	}
	if r := search(t, data, "khuyến nông"); r.Total != 1 {
		t.Fatalf("after the crawl: %d hits", r.Total)
	}
	// Damage the document's record.
	st, err := store.Open(context.Background(), data, nil)
	if err != nil {
		t.Fatal(err)
	}
	var file string
	var off, length int64
	err = st.DB().QueryRow("SELECT warc_file, warc_offset, warc_length FROM captures WHERE url LIKE '%.docx' AND record_type = 'response'").Scan(&file, &off, &length)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(data, "warc", file)
	b, _ := os.ReadFile(path)
	b[off+length/2] ^= 0xff
	os.WriteFile(path, b, 0o644)

	code, out, errOut := run(t, data, "reextract")
	t.Logf("reextract: %d %s %s", code, out, errOut)
	if r := search(t, data, "khuyến nông"); r.Total != 1 {
		t.Errorf("after reextract with the document's record unreadable, its text is no longer searchable: %d hits", r.Total)
	}
	st, err = store.Open(context.Background(), data, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var text, errText string
	st.DB().QueryRow("SELECT text, error FROM attachment_texts WHERE url LIKE '%.docx'").Scan(&text, &errText)
	if text == "" {
		t.Errorf("the text read at crawl time was replaced by the error %q", errText)
	}
}

// TestRepairLeavesAnIndexInUse: another tulieu process has the search
// index open (a reindex, an export --query, a search: anything but serve,
// which check finds by its serve.json). check --repair leaves it alone:
// busy is not damaged (Open's ErrInUse), and removing the directory under
// that process would build a second index there.
func TestRepairLeavesAnIndexInUse(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	layoutPath := filepath.Join(data, "index", "tulieu_index.json")
	before, err := os.Stat(layoutPath)
	if err != nil {
		t.Fatal(err)
	}
	// The other process (bolt's flock conflicts within a process too).
	ix, err := index.Open(filepath.Join(data, "index"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	code, out, errOut := run(t, data, "check", "--repair")
	t.Logf("check --repair: %d\n%s%s", code, out, errOut)
	after, err := os.Stat(layoutPath)
	if err != nil || !os.SameFile(before, after) {
		t.Errorf("check --repair removed (and rebuilt) the search index another process holds open (stat after: %v)", err)
	}
}

// TestIndexInUseIsExit3: a command that needs the search index while
// another process holds it (a reindex, an export --query, a search) exits
// 3, as for a data directory another crawl holds: a nightly script can
// tell "try again later" from a failure (it was exit 1).
func TestIndexInUseIsExit3(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	ix, err := index.Open(filepath.Join(data, "index"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, args := range [][]string{{"reindex"}, {"search", "thanh hoa"}} {
		if code, _, errOut := run(t, data, args...); code != ExitLocked || !strings.Contains(errOut, "in use by another tulieu process") {
			t.Errorf("%v while another process holds the index: exit %d, %q; want 3 and why", args, code, errOut)
		}
	}
}

// TestReextractWithoutAReaderProgram: reextract run where pdftotext is not
// installed (the archive moved to another machine) keeps every PDF's text
// read at crawl time, not "program missing".
func TestReextractWithoutAReaderProgram(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("no pdftotext")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", http.NotFound)
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><a href="/van-ban/ke-hoach-trien-khai-102.html">Kế hoạch triển khai chuyên đề</a></body></html>`)
	})
	mux.HandleFunc("/van-ban/ke-hoach-trien-khai-102.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>Kế hoạch triển khai chuyên đề</title></head><body><div class="breadcrumb"><a href="/">Trang chủ</a> / Văn bản</div>
<h1>Kế hoạch triển khai chuyên đề</h1><div class="content"><p>Ban Thường vụ Đảng ủy Khối ban hành Kế hoạch, xem toàn văn trong tệp đính kèm dưới đây.</p>
<p>Các đơn vị nghiên cứu, triển khai thực hiện theo đúng nội dung kế hoạch kèm theo.</p>
<p>Tệp đính kèm: <a href="/uploads/ke-hoach-12.pdf">ke-hoach-12.pdf</a></p></div></body></html>`)
	})
	mux.HandleFunc("/uploads/ke-hoach-12.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write(testdocs.PDF([]string{"Ke hoach trien khai chuyen de nam 2026 xoa doi giam ngheo"}))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	data := t.TempDir()
	if code, _, errOut := run(t, data, "crawl", "--site", srv.URL+"/", "--delay", "0", "--json"); code != 0 {
		t.Fatalf("crawl: %d %s", code, errOut)
	}
	if r := search(t, data, "xoa doi giam ngheo"); r.Total != 1 {
		t.Fatalf("after the crawl: %d hits", r.Total)
	}
	t.Setenv("PATH", t.TempDir())
	code, out, errOut := run(t, data, "reextract")
	t.Logf("reextract: %d %s %s", code, out, errOut)
	if r := search(t, data, "xoa doi giam ngheo"); r.Total != 1 {
		t.Errorf("after reextract without pdftotext, the PDF's text read at crawl time is gone from search: %d hits", r.Total)
	}
}
