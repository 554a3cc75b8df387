package cli

import (
	"path"
	"strings"
	"testing"
)

// TestDocsZipAttachmentKeepsItsType: a "Văn bản" article attaches its
// decision through a CMS download link (/DownloadFile.aspx?id=12, served
// as a DOCX with Content-Disposition "quyet-dinh-45.docx") and its plan
// through /tai-ve/ke-hoach-45 (served as a PDF). tulieu knows both by
// their bytes (the README: "a document's format is told by its bytes, not
// its name"; show --json gives the first with reader "docx"). Staff
// export the article as an md or html zip to read offline and click the
// attachment under files/: it was saved as files/…-downloadfile.aspx and
// files/…-ke-hoach-45.bin, which neither Word nor a PDF reader opens on
// a double click. The copy now carries the extension of what it is
// (.docx, .pdf).
func TestDocsZipAttachmentKeepsItsType(t *testing.T) {
	s := newDocSite(t, `<a href="/DownloadFile.aspx?id=12">Quyết định 45</a>, <a href="/tai-ve/ke-hoach-45">Kế hoạch</a>`)
	s.set("/DownloadFile.aspx?id=12", docFile{ct: docxType, disp: `attachment; filename="quyet-dinh-45.docx"`, body: docDecision()})
	s.set("/tai-ve/ke-hoach-45", docFile{ct: "application/pdf", body: []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n")})
	data := t.TempDir()
	docCrawl(t, data, s)
	for format, files := range docsZips(t, data) {
		exts := map[string]bool{}
		var names []string
		for name := range files {
			if strings.HasPrefix(name, "files/") {
				names = append(names, name)
				exts[path.Ext(name)] = true
			}
		}
		if len(names) != 2 || !exts[".docx"] || !exts[".pdf"] {
			t.Errorf("the %s zip's files/ holds %v; want the decision as a .docx and the plan as a .pdf, as their bytes say", format, names)
		}
	}
}
