package cli

import (
	"strings"
	"testing"
)

// TestShowTextGivesFiles: `tulieu show ID` (the researcher's way to read
// an article at the terminal) printed each attachment as "[tệp] name URL"
// and nothing of what was read of it: not the decision's text the web
// page shows under "Nội dung tệp", nor why a damaged file has none. The
// reader had to switch to --json to learn either.
func TestShowTextGivesFiles(t *testing.T) {
	s := newDocSite(t, `<a href="/uploads/quyet-dinh-45.docx">quyet-dinh-45.docx</a>, <a href="/uploads/hong.docx">hong.docx</a>`)
	d := docDecision()
	s.set("/uploads/quyet-dinh-45.docx", docFile{ct: docxType, body: d})
	s.set("/uploads/hong.docx", docFile{ct: docxType, body: d[:len(d)/2]})
	data := t.TempDir()
	docCrawl(t, data, s)
	code, out, errOut := run(t, data, "show", s.article())
	if code != 0 {
		t.Fatalf("show: %d %s", code, errOut)
	}
	if !strings.Contains(out, "khuyến nông") {
		t.Errorf("show prints nothing of the attached decision's text:\n%s", out)
	}
	if why := docFileNamed(t, docShow(t, data, s), "hong.docx").Error; why == "" || !strings.Contains(out, why) && !strings.Contains(out, "không đọc được") {
		t.Errorf("show does not say why hong.docx has no text:\n%s", out)
	}
}

// TestArticlePageFileNoteInVietnamese: the web page is in Vietnamese,
// but the note of a file whose text could not be read printed the
// reader's English error: "(không đọc được nội dung: the document is
// damaged or incomplete)".
func TestArticlePageFileNoteInVietnamese(t *testing.T) {
	s := newDocSite(t, `<a href="/uploads/hong.docx">hong.docx</a>`)
	d := docDecision()
	s.set("/uploads/hong.docx", docFile{ct: docxType, body: d[:len(d)/2]})
	data := t.TempDir()
	docCrawl(t, data, s)
	a := docShow(t, data, s)
	addr := startServe(t, data, ServeOptions{})
	status, body := getBody(t, "http://"+addr+"/article/"+a.ID)
	if status != 200 || !strings.Contains(body, "không đọc được nội dung") {
		t.Fatalf("the page does not say the file could not be read: %d", status)
	}
	if strings.Contains(body, "the document is damaged or incomplete") {
		t.Errorf("the Vietnamese page explains an unreadable file in English")
	}
}
