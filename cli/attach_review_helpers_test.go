package cli

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"tulieu/api"
	"tulieu/internal/testdocs"
)

// Helpers of the attachments review tests (attach_*review_test.go): a
// tiny site with one "Văn bản" article whose attachment block the test
// writes, and files the test can change between nights.

const docArticlePath = "/van-ban/quyet-dinh-thanh-lap-to-cong-tac-101.html"

type docFile struct {
	ct, disp string
	body     []byte
	status   int
	redirect string
}

type docSite struct {
	t     *testing.T
	mu    sync.Mutex
	files map[string]docFile // by path, or by path?query
	links string             // the article's attachment block (HTML)
	extra string             // a paragraph added to the article's body
	srv   *httptest.Server
}

func (s *docSite) set(p string, f docFile) { s.mu.Lock(); s.files[p] = f; s.mu.Unlock() }
func (s *docSite) setBody(extra string)    { s.mu.Lock(); s.extra = extra; s.mu.Unlock() }
func (s *docSite) article() string         { return s.srv.URL + docArticlePath }

func newDocSite(t *testing.T, links string) *docSite {
	t.Helper()
	s := &docSite{t: t, files: map[string]docFile{}, links: links}
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", http.NotFound)
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><a href="`+docArticlePath+`">Quyết định thành lập Tổ công tác của Đảng ủy Khối</a></body></html>`)
	})
	mux.HandleFunc(docArticlePath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		s.mu.Lock()
		defer s.mu.Unlock()
		fmt.Fprint(w, `<html><head><title>Quyết định thành lập Tổ công tác</title></head><body><div class="breadcrumb"><a href="/">Trang chủ</a> / Văn bản</div>
<h1>Quyết định thành lập Tổ công tác</h1><div class="content"><p>Ban Thường vụ Đảng ủy Khối ban hành Quyết định thành lập Tổ công tác, xem toàn văn trong tệp đính kèm dưới đây.</p>
<p>Các đơn vị nghiên cứu, triển khai thực hiện theo đúng nội dung quyết định và kế hoạch kèm theo.</p>`+s.extra+`
<p>Tệp đính kèm: `+s.links+`</p></div></body></html>`)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		f, ok := s.files[r.URL.RequestURI()]
		if !ok {
			f, ok = s.files[r.URL.Path]
		}
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		if f.redirect != "" {
			http.Redirect(w, r, f.redirect, http.StatusFound)
			return
		}
		if f.ct != "" {
			w.Header().Set("Content-Type", f.ct)
		}
		if f.disp != "" {
			w.Header().Set("Content-Disposition", f.disp)
		}
		if f.status != 0 {
			w.WriteHeader(f.status)
		}
		w.Write(f.body)
	})
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// docDecision is a decision as a DOCX whose text holds "khuyến nông".
func docDecision() []byte {
	return testdocs.DOCX("QUYẾT ĐỊNH về việc thành lập Tổ công tác khuyến nông",
		"Điều 1. Thành lập Tổ công tác khuyến nông của Đảng ủy Khối, gồm các đồng chí có tên sau.")
}

// docCrawl crawls the site into data; a crawl that stops on the error rate
// (exit 5) still archived what it fetched.
func docCrawl(t *testing.T, data string, s *docSite, extra ...string) string {
	t.Helper()
	code, out, errOut := run(t, data, append([]string{"crawl", "--site", s.srv.URL + "/", "--delay", "0", "--json", "--max-error-rate", "1"}, extra...)...)
	if code != 0 {
		t.Fatalf("crawl: exit %d\n%s\n%s", code, out, errOut)
	}
	return errOut
}

// docShow is show --json of the site's article.
func docShow(t *testing.T, data string, s *docSite) api.Article {
	t.Helper()
	code, out, errOut := run(t, data, "show", "--json", s.article())
	var a api.Article
	if code != 0 || json.Unmarshal([]byte(out), &a) != nil {
		t.Fatalf("show --json: %d %s %s", code, out, errOut)
	}
	return a
}

// docFileNamed is the file of a whose URL ends with suffix.
func docFileNamed(t *testing.T, a api.Article, suffix string) api.File {
	t.Helper()
	for _, f := range a.Files {
		if strings.HasSuffix(f.URL, suffix) {
			return f
		}
	}
	t.Fatalf("show --json lists no file whose URL ends with %q: %+v", suffix, a.Files)
	return api.File{}
}

// docReport is a DOCX of one paragraph.
func docReport(text string) []byte { return testdocs.DOCX(text) }

// docsZips exports the archive in data as md and html zips and returns
// each zip's files (name: bytes), by format.
func docsZips(t *testing.T, data string) map[string]map[string][]byte {
	t.Helper()
	out := map[string]map[string][]byte{}
	for _, format := range []string{"md", "html"} {
		file := filepath.Join(t.TempDir(), "van-ban."+format+".zip")
		if code, _, errOut := run(t, data, "export", "-o", file); code != 0 {
			t.Fatalf("export %s: %d %s", format, code, errOut)
		}
		zr, err := zip.OpenReader(file)
		if err != nil {
			t.Fatal(err)
		}
		files := map[string][]byte{}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			files[f.Name], err = io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
		}
		zr.Close()
		out[format] = files
	}
	return out
}
