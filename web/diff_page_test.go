package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"tulieu/store"
)

// These tests came from a review of the diff page; each comment says
// what went wrong before the fix.

// getVersionsDiff saves each body as a version of the article at u (an hour
// apart), serves the archive and gets the article's diff page with query.
func getVersionsDiff(t *testing.T, u, title, query string, bodies ...string) (int, string) {
	t.Helper()
	ix, st := openEmptyParts(t)
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var id string
	for i, body := range bodies {
		_, a, err := st.SaveArticle(context.Background(), u, store.Content{Kind: store.KindArticle, Title: title, Body: body,
			BodyHTML: "<p>x</p>"}, 0, at.Add(time.Duration(i)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		id = a.ID
	}
	srv := httptest.NewServer(New(ix, st, Options{}))
	defer srv.Close()
	return get(t, srv.URL+"/article/"+id+"/diff?"+query)
}

// TestDiffPageShowsParagraphMerge: two paragraphs joined into one
// (A¶B → A B) is a change of the body; the diff page must mark it. It
// drops the deleted break and shows only an invisible <ins> </ins>, so the
// page looks exactly as if nothing had changed.
func TestDiffPageShowsParagraphMerge(t *testing.T) {
	code, body := getVersionsDiff(t, "http://danguykhoithanhhoa.org.vn/tin-tuc/bai-2.html", "Hội nghị", "a=1&b=2", "Đảng bộ Khối tổ chức hội nghị.\n\nHội nghị thành công tốt đẹp.",
		"Đảng bộ Khối tổ chức hội nghị. Hội nghị thành công tốt đẹp.")
	if code != 200 {
		t.Fatalf("diff page: %d", code)
	}
	sec := body[strings.Index(body, `id="diff"`):]
	sec = sec[:strings.Index(sec, "</section>")]
	// What a screen reader hears of each change ("[thêm: …]") is not
	// what the page shows.
	sec = regexp.MustCompile(`<span class="visually-hidden">[^<]*</span>`).ReplaceAllString(sec, "")
	visible := regexp.MustCompile(`<(ins|del)>[^<]*\S[^<]*</(ins|del)>`)
	if !visible.MatchString(sec) {
		t.Errorf("the diff page shows no visible change for a paragraph merge:\n%s", sec)
	}
}

// TestDiffPageKeepsRewrittenParagraphsApart: diffParagraphs
// promises that "an added paragraph is a paragraph of its own, marked
// inserted, and never runs into the text before it". When an article's
// paragraphs are rewritten wholesale (past textdiff's cost cap, so the
// region comes out as one Delete and one Insert, both spanning breaks), the
// last deleted paragraph and the first inserted one are rendered in the
// same <p>. textdiff.Paragraphs handles this case; the page does not use it.
func TestDiffPageKeepsRewrittenParagraphsApart(t *testing.T) {
	para := func(prefix string, n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = fmt.Sprintf("%s%d", prefix, i)
		}
		return strings.Join(ws, " ") + "."
	}
	old := "Mở đầu.\n\n" + para("cũ", 600) + "\n\n" + para("xưa", 600)
	neu := "Mở đầu.\n\n" + para("mới", 600) + "\n\n" + para("khác", 600) + "\n\n" + para("thêm", 600)
	code, body := getVersionsDiff(t, "http://danguykhoithanhhoa.org.vn/tin-tuc/bai-3.html", "Bài", "a=1&b=2", old, neu)
	if code != 200 {
		t.Fatalf("diff page: %d", code)
	}
	for _, p := range regexp.MustCompile(`(?s)<p>(.*?)</p>`).FindAllStringSubmatch(body, -1) {
		// The old last paragraph (xưa…) was removed, the new first one
		// (mới…) added: they are different paragraphs.
		if strings.Contains(p[1], "<del>xưa0") && strings.Contains(p[1], "<ins>mới0") {
			t.Errorf("a deleted paragraph and an inserted paragraph share one <p>:\n%.300s", p[1])
		}
	}
}

// TestDiffPageSameVersion: /article/ID/diff?a=2&b=2 (or the default
// diff of an article with one version, a=b=1) fills page.From and leaves
// page.To the zero Version (web/article.go handleDiff: a switch with
// case d.From before case d.To), so the page reads "So sánh phiên bản 2
// và 0", with no capture time for the "to" side and no "to" version
// selected in the form.
func TestDiffPageSameVersion(t *testing.T) {
	code, body := getVersionsDiff(t, "http://danguykhoithanhhoa.org.vn/tin-tuc/bai-4.html", "Bài", "a=2&b=2", "Bản một.", "Bản hai.")
	if code != 200 {
		t.Fatalf("diff page: %d", code)
	}
	if !strings.Contains(body, "So sánh phiên bản 2 và 2") {
		i := strings.Index(body, "<h1>")
		t.Errorf("a=2&b=2: heading and summary name another version:\n%.400s", body[i:])
	}
}
