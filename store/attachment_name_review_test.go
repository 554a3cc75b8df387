package store

import "testing"

// TestAttachmentNameFromFileParameter: the crawler and the extractor
// take download.aspx?file=ke-hoach.pdf&id=3 for an attached document
// because of the file name in its query (extract.IsAttachmentURL), but
// the name shown for it (the snippet's "[Tệp …]", show --json's "name",
// the web page, the csv "[name]") was "download.aspx": every document of
// such a site got the same name, and a researcher could not tell which
// file matched.
func TestAttachmentNameFromFileParameter(t *testing.T) {
	for u, want := range map[string]string{
		"http://danguykhoithanhhoa.org.vn/download.aspx?file=ke-hoach-12.pdf&id=3":               "ke-hoach-12.pdf",
		"http://danguykhoithanhhoa.org.vn/DownloadFile.aspx?id=7&filename=Quy%E1%BA%BFt+45.docx": "Quyết 45.docx",
	} {
		if got := AttachmentName(u); got != want {
			t.Errorf("AttachmentName(%s) = %q, want %q", u, got, want)
		}
	}
}
