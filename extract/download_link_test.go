package extract

import "testing"

// A CMS's download address names no type (DownloadFile.aspx?id=12,
// /tai-ve/quyet-dinh-45): it is an attachment, read by its bytes; a page
// under a download folder is a page.
func TestDownloadAddressesAreAttachments(t *testing.T) {
	for u, want := range map[string]bool{
		"http://x.vn/DownloadFile.aspx?id=12":             true,
		"http://x.vn/download.aspx?id=12":                 true,
		"http://x.vn/tai-ve/quyet-dinh-45":                true,
		"http://x.vn/Download.ashx?f=3":                   true,
		"http://x.vn/downloads/":                          false,
		"http://x.vn/tai-ve/huong-dan.html":               false,
		"http://x.vn/tin-tuc/download-app-ve-may-12.html": false,
		"http://x.vn/tin-tuc/bai-1.html":                  false,
		"http://x.vn/tai-ve/quyet-dinh.pdf":               true,
	} {
		if isAttachment(u) != want {
			t.Errorf("%s: %v", u, !want)
		}
	}
}
