package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"

	"tulieu/api"
	"tulieu/internal/testdocs"
)

// TestAttachmentsAreSearchable: a two-line "Văn bản" article links a
// decision (DOCX) and a plan (PDF). A search for what only the decision
// says finds the article, with accents or without, and its snippet names
// the file; tep: searches the documents alone; show --json and the API
// give each file with its text.
func TestAttachmentsAreSearchable(t *testing.T) {
	srv := documentsSite(t)
	data := t.TempDir()
	// A PDF that cannot be read is one warning; the crawl goes on.
	code, out, errOut := run(t, data, "crawl", "--site", srv.URL+"/", "--delay", "0", "--json")
	if code != 0 {
		t.Fatalf("crawl: %d %s", code, errOut)
	}
	if _, pdfMissing := exec.LookPath("pdftotext"); pdfMissing == nil && strings.Count(errOut, "hong.pdf") != 1 {
		t.Errorf("the unreadable PDF should be one warning:\n%s", errOut)
	}
	_ = out

	found := func(when string) {
		t.Helper()
		for q, file := range map[string]string{"khuyến nông": "quyet-dinh-45.docx", "khuyen nong": "quyet-dinh-45.docx", `tep:"khuyến nông"`: "quyet-dinh-45.docx",
			"thủy sản": "bang-tong-hop.xlsx", "lâm nghiệp": "bao-cao.odt"} {
			r := search(t, data, q)
			if r.Total != 1 || !strings.HasSuffix(r.Hits[0].URL, "-101.html") || !strings.HasPrefix(r.Hits[0].Snippet, "[Tệp "+file+"]") {
				t.Errorf("%s: search %s: %d hits, %+v", when, q, r.Total, r.Hits)
			}
		}
	}
	found("after the crawl")
	// tep: looks in the documents only: the article's own words are not there.
	if r := search(t, data, "tep:nghiên"); r.Total != 0 {
		t.Errorf("tep: found a word of the article's own text: %+v", r.Hits)
	}
	_, pdfOK := exec.LookPath("pdftotext")
	if pdfOK == nil {
		if r := search(t, data, "trien khai chuyen de"); r.Total != 1 || !strings.Contains(r.Hits[0].Snippet, "ke-hoach-12.pdf") {
			t.Errorf("a word of the PDF: %+v", r)
		}
	}

	code, out, errOut = run(t, data, "show", "--json", srv.URL+"/van-ban/quyet-dinh-thanh-lap-to-cong-tac-101.html")
	var a api.Article
	if code != 0 || json.Unmarshal([]byte(out), &a) != nil {
		t.Fatalf("show: %d %s %s", code, out, errOut)
	}
	if len(a.Files) != 5 || a.Files[0].Name != "quyet-dinh-45.docx" || a.Files[0].Reader != "docx" || !strings.Contains(a.Files[0].Text, "Tổ công tác khuyến nông") {
		t.Fatalf("show --json files: %+v", a.Files)
	}
	if pdfOK == nil && (a.Files[1].Reader != "pdftotext" || !strings.Contains(a.Files[1].Text, "Ke hoach trien khai")) {
		t.Errorf("the PDF: %+v", a.Files[1])
	}
	// Exports carry the files' text too.
	if code, jsonl, _ := run(t, data, "export", "--format", "jsonl"); code != 0 || !strings.Contains(jsonl, `"files":[{"url":`) || !strings.Contains(jsonl, "Tổ công tác khuyến nông") {
		t.Errorf("the jsonl export lacks the files' text: %d %.300s", code, jsonl)
	}
	if code, csvOut, _ := run(t, data, "export", "--format", "csv", "--fields", "id,files"); code != 0 || !strings.Contains(csvOut, "[quyet-dinh-45.docx]") {
		t.Errorf("the csv export's files column: %d %.300s", code, csvOut)
	}
	// reextract reads the documents again from the archive.
	code, out2, errOut := run(t, data, "reextract", "--json")
	var rep struct{ Attachments, AttachmentErrors int }
	if code != 0 || json.Unmarshal([]byte(out2), &rep) != nil {
		t.Fatalf("reextract: %d %s %s", code, out2, errOut)
	}
	wantRead := 3
	if pdfOK == nil {
		wantRead = 4
	}
	if rep.Attachments != wantRead {
		t.Errorf("reextract read %d attachments (%d errors), want %d", rep.Attachments, rep.AttachmentErrors, wantRead)
	}
	found("after reextract")
	addr := startServe(t, data, ServeOptions{})
	// The page shows what was read of each file, and why not for the broken one.
	if status, body := getBody(t, "http://"+addr+"/article/"+a.ID); status != 200 || !strings.Contains(body, "Tổ công tác khuyến nông") ||
		!strings.Contains(body, "Nội dung tệp") || pdfOK == nil && !strings.Contains(body, "không đọc được nội dung") {
		t.Errorf("the article page does not show the files' text: %d", status)
	}
	if status, body := getBody(t, "http://"+addr+"/api/search?q=l%C3%A2m+nghi%E1%BB%87p"); status != 200 || !strings.Contains(body, "-101.html") || !strings.Contains(body, "[Tệp bao-cao.odt]") {
		t.Errorf("/api/search for a word of the ODT: %d %.300s", status, body)
	}
	status, body := getBody(t, "http://"+addr+"/api/articles/"+a.ID)
	var fromAPI api.Article
	if status != 200 || json.Unmarshal([]byte(body), &fromAPI) != nil || mustJSON(t, fromAPI) != mustJSON(t, a) {
		t.Errorf("/api/articles/%s differs from show --json: %d\n%s\n%s", a.ID, status, body, out)
	}
}

// documentsSite serves a "Văn bản" article that attaches a decision
// (DOCX), a plan (PDF), a table (XLSX), a report (ODT) and a PDF that
// cannot be read; closed when the test ends.
func documentsSite(t *testing.T) *httptest.Server {
	t.Helper()
	docx := testdocs.DOCX("QUYẾT ĐỊNH về việc thành lập Tổ công tác khuyến nông",
		"Điều 1. Thành lập Tổ công tác khuyến nông của Đảng ủy Khối, gồm các đồng chí có tên sau.")
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", http.NotFound)
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><a href="/van-ban/quyet-dinh-thanh-lap-to-cong-tac-101.html">Quyết định thành lập Tổ công tác của Đảng ủy Khối</a></body></html>`)
	})
	mux.HandleFunc("/van-ban/quyet-dinh-thanh-lap-to-cong-tac-101.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>Quyết định thành lập Tổ công tác</title></head><body><div class="breadcrumb"><a href="/">Trang chủ</a> / Văn bản</div>
<h1>Quyết định thành lập Tổ công tác</h1><div class="content"><p>Ban Thường vụ Đảng ủy Khối ban hành Quyết định thành lập Tổ công tác, xem toàn văn trong tệp đính kèm dưới đây.</p>
<p>Các đơn vị nghiên cứu, triển khai thực hiện theo đúng nội dung quyết định và kế hoạch kèm theo.</p>
<p>Tệp đính kèm: <a href="/uploads/quyet-dinh-45.docx">quyet-dinh-45.docx</a>, <a href="/uploads/ke-hoach-12.pdf">ke-hoach-12.pdf</a>,
<a href="/uploads/bang-tong-hop.xlsx">bang-tong-hop.xlsx</a>, <a href="/uploads/bao-cao.odt">bao-cao.odt</a>, <a href="/uploads/hong.pdf">hong.pdf</a></p></div></body></html>`)
	})
	mux.HandleFunc("/uploads/quyet-dinh-45.docx", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
		w.Write(docx)
	})
	xlsx := testdocs.Zip([2]string{"xl/workbook.xml", "<workbook/>"},
		[2]string{"xl/sharedStrings.xml", `<sst><si><t>Chi bộ</t></si><si><t>Số đảng viên thủy sản</t></si></sst>`},
		[2]string{"xl/worksheets/sheet1.xml", `<worksheet><sheetData><row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row><row><c t="inlineStr"><is><t>Văn phòng</t></is></c><c><v>27</v></c></row></sheetData></worksheet>`})
	odt := testdocs.Zip([2]string{"mimetype", "application/vnd.oasis.opendocument.text"},
		[2]string{"content.xml", `<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>Báo cáo công tác lâm nghiệp năm 2026 của Đảng bộ.</text:p></office:text></office:body></office:document-content>`})
	for path, body := range map[string][]byte{"/uploads/bang-tong-hop.xlsx": xlsx, "/uploads/bao-cao.odt": odt, "/uploads/hong.pdf": []byte("%PDF-1.4\nnot a pdf at all")} {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) { w.Write(body) })
	}
	mux.HandleFunc("/uploads/ke-hoach-12.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write(testdocs.PDF([]string{"Ke hoach trien khai chuyen de nam 2026"}))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}
