package cli

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDownloadLinkWithoutExtension: the README promises that "a
// `download.aspx?id=12` link is read all the same" (the format is told by
// the bytes, not the name). An article whose "Tệp đính kèm" is such a link,
// served as a DOCX with a Content-Disposition file name, must be found by a
// word only the decision holds, and show --json must list the file with
// its text. The document was fetched and read (its text was in
// attachment_texts) but the article did not list it, so neither search
// nor show had it.
func TestDownloadLinkWithoutExtension(t *testing.T) {
	s := newDocSite(t, `<a href="/DownloadFile.aspx?id=12">Quyết định 45</a>`)
	s.set("/DownloadFile.aspx?id=12", docFile{ct: docxType, disp: `attachment; filename="quyet-dinh-45.docx"`, body: docDecision()})
	data := t.TempDir()
	docCrawl(t, data, s)
	for _, q := range []string{"khuyến nông", "khuyen nong", "tep:khuyen"} {
		if r := search(t, data, q); r.Total != 1 || !strings.HasSuffix(r.Hits[0].URL, docArticlePath) {
			t.Errorf("search %s: %d hits %+v; want the article that attaches DownloadFile.aspx?id=12", q, r.Total, r.Hits)
		}
	}
	a := docShow(t, data, s)
	found := false
	for _, f := range a.Files {
		if strings.Contains(f.Text, "khuyến nông") {
			found = true
		}
	}
	if !found {
		t.Errorf("show --json: no file holds the decision's text: attachments %v files %+v", a.Attachments, a.Files)
	}
}

// TestRedirectedAttachment: CMSs link a stable address that redirects
// to the stored file (/tai-ve/quyet-dinh-45.docx → /uploads/2026/07/…).
// The crawler reads the document at the redirect's target and records its
// text under the target URL, while the article lists the link's URL: the
// text was never joined, so search did not find the article by the
// decision's words and show --json gave the file with no text, no
// reader and no error.
func TestRedirectedAttachment(t *testing.T) {
	s := newDocSite(t, `<a href="/tai-ve/quyet-dinh-45.docx">quyet-dinh-45.docx</a>`)
	s.set("/tai-ve/quyet-dinh-45.docx", docFile{redirect: "/uploads/2026/07/a1b2c3.docx"})
	s.set("/uploads/2026/07/a1b2c3.docx", docFile{ct: docxType, body: docDecision()})
	data := t.TempDir()
	docCrawl(t, data, s)
	for _, q := range []string{"khuyến nông", "khuyen nong"} {
		if r := search(t, data, q); r.Total != 1 {
			t.Errorf("search %s: %d hits; want the article whose attachment (reached through a redirect) says it", q, r.Total)
		}
	}
	a := docShow(t, data, s)
	f := docFileNamed(t, a, "quyet-dinh-45.docx")
	if !strings.Contains(f.Text, "khuyến nông") {
		t.Errorf("show --json gives the redirected attachment without its text: %+v", f)
	}
	// The page said the file was not in the archive, which it is.
	addr := startServe(t, data, ServeOptions{})
	if status, body := getBody(t, "http://"+addr+"/article/"+a.ID); status != 200 || strings.Contains(body, "chưa có trong kho lưu trữ") || !strings.Contains(body, "khuyến nông") {
		t.Errorf("the article page calls the redirected attachment not archived, or lacks its text: %d", status)
	}
}

// TestRedirectedAttachmentInWARCExport: `export --format warc` promises
// an article's "page, images and attachments exactly as archived". For an
// attachment reached through a redirect, the export held neither the 302
// nor the document it leads to: the exported WARC had no copy of the
// decision. It now holds both, as the crawl archived them.
func TestRedirectedAttachmentInWARCExport(t *testing.T) {
	s := newDocSite(t, `<a href="/tai-ve/quyet-dinh-45.docx">quyet-dinh-45.docx</a>`)
	s.set("/tai-ve/quyet-dinh-45.docx", docFile{redirect: "/uploads/2026/07/a1b2c3.docx"})
	s.set("/uploads/2026/07/a1b2c3.docx", docFile{ct: docxType, body: docDecision()})
	data := t.TempDir()
	docCrawl(t, data, s)
	out := filepath.Join(t.TempDir(), "van-ban.warc.gz")
	if code, _, errOut := run(t, data, "export", "-o", out); code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	all, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(all, []byte("WARC-Target-URI: "+s.srv.URL+"/uploads/2026/07/a1b2c3.docx")) || !bytes.Contains(all, docDecision()) {
		t.Errorf("the warc export lacks the attached decision (reached through a redirect); it holds only:\n%s", warcURIs(all))
	}
}

func warcURIs(b []byte) string {
	var out []string
	for _, l := range strings.Split(string(b), "\r\n") {
		if strings.HasPrefix(l, "WARC-Target-URI:") || strings.HasPrefix(l, "WARC-Type:") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestAttachmentURLNormalized: the crawler fetches an attachment at its
// normalized URL (tracking parameters dropped, parameters sorted) and
// records the text under it, but the article keeps the link as printed:
// the two did not meet, so the text of
// /download.aspx?id=3&file=ke-hoach.docx and /uploads/bao-cao.docx?utm_source=zalo
// was read and then never found by search nor given by show.
func TestAttachmentURLNormalized(t *testing.T) {
	s := newDocSite(t, `<a href="/download.aspx?id=3&amp;file=ke-hoach.docx">ke-hoach.docx</a>, <a href="/uploads/bao-cao.docx?utm_source=zalo">bao-cao.docx</a>`)
	s.set("/download.aspx", docFile{ct: docxType, body: docDecision()})
	s.set("/uploads/bao-cao.docx", docFile{ct: docxType, body: docReport("Báo cáo tổng kết công tác thủy lợi năm 2026")})
	data := t.TempDir()
	docCrawl(t, data, s)
	for q, want := range map[string]string{"khuyen nong": "download.aspx", "thuy loi": "bao-cao.docx"} {
		if r := search(t, data, q); r.Total != 1 {
			t.Errorf("search %s: %d hits; want the article (its attachment %s says it)", q, r.Total, want)
		}
	}
	a := docShow(t, data, s)
	for _, f := range a.Files {
		if f.Text == "" {
			t.Errorf("show --json gives %s without its text: %+v", f.URL, f)
		}
	}
}
