package index

import (
	"strings"
	"testing"
)

// (From a review of a researcher's day; the comment tells what the
// snippets did before the fix: the window now shows the most of the
// query's different words, then the most marks.)
//
// TestSnippetShowsTheQueryWordsTogether: a researcher searches
// "thanh hoa" (no accents, as README's first example) and skims the
// snippets to decide what to open. An article that says "tại tỉnh Thanh
// Hóa" once and, further on, lists "văn hóa, hóa học, hóa chất…" gets a
// snippet of that list: six marks on "hóa", none on "Thanh", and the
// passage about Thanh Hóa (the one place where both words of the query
// stand together) is not shown. In the demo archive the article
// "Nhận diện và đấu tranh với âm mưu “diễn biến hoà bình”…" is shown
// for "thanh hoa" as "…văn hoá … văn hoá … thoái hoá … thanh niên…"
// although it says "Đảng bộ Khối các cơ quan tỉnh Thanh Hoá". A snippet
// should show where the query's words are found (all of them, and
// together when they are), not where one of them repeats most.
// Cause: makeSnippet picks the window with the most marked spans,
// counting repeats of one word (index/snippet.go).
func TestSnippetShowsTheQueryWordsTogether(t *testing.T) {
	filler := "Hội nghị đã nghe báo cáo tình hình thực hiện nhiệm vụ chính trị, công tác xây dựng Đảng trong năm qua và thảo luận phương hướng nhiệm vụ năm tới với nhiều ý kiến tâm huyết, trách nhiệm. "
	ix := reviewIndex(t, Document{ID: "a", Title: "Tin hoạt động", Published: "2021-01-01",
		Body: "Hôm nay tại tỉnh Thanh Hóa diễn ra hội nghị. " + filler + filler +
			"Công tác văn hóa, hóa học, hóa chất, thoái hóa, chuyển hóa, hóa đơn đã được bàn."})
	for _, q := range []string{"thanh hoa", "Thanh Hóa", "tinh thanh hoa"} {
		r := doSearch(t, ix, Request{Query: q})
		if len(r.Hits) != 1 {
			t.Fatalf("%q: %d hits", q, len(r.Hits))
		}
		h := r.Hits[0]
		if !strings.Contains(h.SnippetHTML, "<mark>Thanh</mark> <mark>Hóa</mark>") {
			t.Errorf("%q: the snippet does not show the words together where the text has them (\"tỉnh Thanh Hóa\"):\n%s", q, h.SnippetHTML)
		}
	}
}
