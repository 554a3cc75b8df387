package cli

import (
	"bytes"
	"testing"
)

// TestMarkdownExportCarriesAttachments: the md (and html) export is "a
// zip to read offline or print", and nothing in it loads from the live
// site — but an article's attachments were only listed as links to the
// live site: neither the archived copy of the decision nor the text
// tulieu read from it was in the zip. A "Văn bản" article whose body says
// "see the attached file" exported as two lines and a dead link once the
// site removed the file.
func TestMarkdownExportCarriesAttachments(t *testing.T) {
	s := newDocSite(t, `<a href="/uploads/quyet-dinh-45.docx">quyet-dinh-45.docx</a>`)
	s.set("/uploads/quyet-dinh-45.docx", docFile{ct: docxType, body: docDecision()})
	data := t.TempDir()
	docCrawl(t, data, s)
	for format, files := range docsZips(t, data) {
		carried := false
		var names []string
		for name, b := range files {
			names = append(names, name)
			if bytes.Equal(b, docDecision()) || bytes.Contains(b, []byte("khuyến nông")) {
				carried = true
			}
		}
		if !carried {
			t.Errorf("the %s export holds neither the archived decision nor its text (only a link to the live site): %v", format, names)
		}
	}
}
