package extract

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// notFoundPhrases are what the title of a "soft 404" says: the page a
// site sends, with a 200, for an address it has no page for (DNN, Joomla
// with friendly URLs and most hand-made ASP.NET portals do).
var notFoundPhrases = []string{
	"không tìm thấy trang", "không tìm thấy nội dung", "không tìm thấy bài viết", "không tìm thấy tin",
	"trang không tồn tại", "trang bạn yêu cầu không tồn tại", "trang bạn tìm không tồn tại",
	"bài viết không tồn tại", "nội dung không tồn tại", "tin bài không tồn tại",
	"page not found", "404 not found", "lỗi 404", "error 404",
}

// notFoundMaxBody is the longest body a soft 404 has: its notice and a
// line or two of advice. An article about something not found is longer.
const notFoundMaxBody = 800

// NotFoundPage says whether d is a site's "page not found" notice sent as
// a page (a soft 404): its title says so, and its text is no more than a
// notice. A crawl takes it as it takes a 404: a broken link, never an
// article or a static page of the archive, nor a new version of one.
func NotFoundPage(d *Document) bool {
	if utf8.RuneCountInString(d.Body) > notFoundMaxBody {
		return false
	}
	title := strings.ToLower(norm.NFC.String(d.Title))
	if strings.HasPrefix(strings.TrimSpace(title), "404") {
		return true
	}
	for _, p := range notFoundPhrases {
		if strings.Contains(title, p) {
			return true
		}
	}
	return false
}
