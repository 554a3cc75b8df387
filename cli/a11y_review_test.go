package cli

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"tulieu/index"
	"tulieu/store"
	"tulieu/web"
)

// These tests come from a review of the web page in a real browser, for
// everyone: keyboard only, screen readers, Windows' high-contrast mode,
// printing, a phone. Each says what the user does, sees, and should see.
// The comments tell what the page did before its fix (in the present tense
// of the review); the tests hold what it does now.

// a11yArticle is one version of an article the test archive holds.
type a11yArticle struct {
	url string
	c   store.Content
	at  time.Time
}

// a11yServer serves the web page (web.New, as `tulieu serve` does) over a
// real catalog and index holding the given versions, saved in order, and
// returns its base URL and the ids of the articles in the order given.
func a11yServer(t *testing.T, versions ...a11yArticle) (string, []string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ix, err := index.Open(t.TempDir()+"/index", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	var ids []string
	seen := map[string]bool{}
	for _, v := range versions {
		_, a, err := st.SaveArticle(ctx, v.url, v.c, 0, v.at)
		if err != nil {
			t.Fatal(err)
		}
		if err := ix.Put(ctx, index.Document{ID: a.ID, URL: a.URL, Title: a.Title, Body: a.Body, Author: a.Author, AuthorName: a.AuthorName,
			Breadcrumb: a.Breadcrumb, Category: a.Category, Published: a.Published, Status: a.Status}); err != nil {
			t.Fatal(err)
		}
		if !seen[a.ID] {
			seen[a.ID] = true
			ids = append(ids, a.ID)
		}
	}
	srv := httptest.NewServer(web.New(ix, st, web.Options{}))
	t.Cleanup(srv.Close)
	return srv.URL, ids
}

// a11yEditedArticle is an article seen twice, one word of its first
// paragraph changed ("long trọng" became "trang trọng") and a sentence
// added.
func a11yEditedArticle() []a11yArticle {
	u := "http://danguykhoithanhhoa.org.vn/tin-tuc/tin-tuc-chung/le-ky-niem-60-nam-661.html"
	c := store.Content{Kind: store.KindArticle, Title: "Đảng bộ Khối các cơ quan tỉnh Thanh Hóa 60 năm một chặng đường phát triển",
		Category: "Tin tức chung", Breadcrumb: []string{"Tin tức chung"}, Published: "2020-02-28", Author: "BBT",
		Body:     "Ngày 27/02/2020, Đảng ủy Khối các cơ quan tỉnh Thanh Hóa long trọng tổ chức Lễ kỷ niệm 60 năm Ngày thành lập Đảng bộ Khối.\n\nĐảng bộ Khối có 68 tổ chức cơ sở đảng.",
		BodyHTML: "<p>Ngày 27/02/2020, Đảng ủy Khối các cơ quan tỉnh Thanh Hóa long trọng tổ chức Lễ kỷ niệm 60 năm Ngày thành lập Đảng bộ Khối.</p><p>Đảng bộ Khối có 68 tổ chức cơ sở đảng.</p>"}
	c2 := c
	c2.Body = "Ngày 27/02/2020, Đảng ủy Khối các cơ quan tỉnh Thanh Hóa trang trọng tổ chức Lễ kỷ niệm 60 năm Ngày thành lập Đảng bộ Khối.\n\nĐảng bộ Khối có 68 tổ chức cơ sở đảng với hơn 6.800 đảng viên."
	c2.BodyHTML = "<p>Ngày 27/02/2020, Đảng ủy Khối các cơ quan tỉnh Thanh Hóa trang trọng tổ chức Lễ kỷ niệm 60 năm Ngày thành lập Đảng bộ Khối.</p><p>Đảng bộ Khối có 68 tổ chức cơ sở đảng với hơn 6.800 đảng viên.</p>"
	return []a11yArticle{
		{u, c, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
		{u, c2, time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)},
	}
}

// a11yMedia emulates CSS media for the browser's tab: a media type
// ("print", or "" for the screen) and media features (forced-colors…).
func a11yMedia(t *testing.T, ctx context.Context, media string, features ...*emulation.MediaFeature) {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media, Features: features})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
}

// a11yShot saves a full-page screenshot among the artifacts and returns
// its path.
func a11yShot(t *testing.T, ctx context.Context, name string) string {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot: %v", err)
		return ""
	}
	p := filepath.Join(artifactDir(t), name)
	os.WriteFile(p, png, 0o644)
	return p
}

// a11yInsertionMark tells how the first inserted run of the diff stands out
// from the text around it other than by its colours ("" when it does
// not): an underline or other text decoration, a border, an outline, a
// weight, a slant, or a generated marker before or after it.
const a11yInsertionMark = `(() => {
	const i = document.querySelector("#diff ins");
	if (!i) return "no insertion";
	const s = getComputedStyle(i), marks = [];
	if (s.textDecorationLine !== "none") marks.push("text-decoration " + s.textDecorationLine);
	if (s.borderBottomStyle !== "none" && parseFloat(s.borderBottomWidth) > 0) marks.push("border");
	if (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) marks.push("outline");
	if (parseInt(s.fontWeight) >= 600) marks.push("bold");
	if (s.fontStyle !== "normal") marks.push("italic");
	for (const p of ["::before", "::after"]) {
		const c = getComputedStyle(i, p).content;
		if (c && c !== "none" && c !== "normal" && c !== '""') marks.push(p + " " + c);
	}
	return marks.join(", ");
})()`

// TestBrowserDiffInsertionsShowWithoutColour: a researcher compares two
// versions of an article (/article/ID/diff). Deleted words are struck
// through, but inserted words differ from the unchanged text only by a
// pale green background (".diff ins{background:#d4f5d0;
// text-decoration:none}" in web/static/style.css). Where that background
// is not drawn they look exactly like the text around them: in Windows'
// high-contrast mode (forced-colors, which replaces every background),
// and on paper, since browsers print without background colours unless
// asked (there is no print stylesheet either). A reader then sees "long"
// struck out and cannot tell that "trang" and "với hơn 6.800 đảng viên"
// are the new text; a colour-blind reader has only a faint hue to go by.
// Inserted words should carry a mark that is not a colour (underline, as
// <ins> has by default, or a border or a marker), in every mode.
func TestBrowserDiffInsertionsShowWithoutColour(t *testing.T) {
	chromium(t)
	base, ids := a11yServer(t, a11yEditedArticle()...)
	ctx, eval := reviewBrowser(t, 1280, 900)
	for _, mode := range []struct {
		name     string
		shot     string
		media    string
		features []*emulation.MediaFeature
	}{
		{"on the screen", "screen", "", nil},
		{"in high-contrast mode (forced-colors: active)", "forced-colors", "", []*emulation.MediaFeature{{Name: "forced-colors", Value: "active"}}},
		{"when printed", "print", "print", nil},
	} {
		a11yMedia(t, ctx, mode.media, mode.features...)
		reviewOpen(t, ctx, eval, base+"/article/"+ids[0]+"/diff")
		if got := eval(`String(document.querySelectorAll("#diff ins").length)`); got == "0" {
			t.Fatalf("the diff shows no insertion: %.400s", eval(`document.body.innerText`))
		}
		if mark := eval(a11yInsertionMark); mark == "" {
			shot := a11yShot(t, ctx, "a11y-diff-"+mode.shot+".png")
			t.Errorf("%s, the inserted words of the diff look like the unchanged text but for a background (%s on %s); want a mark that is not a colour; screenshot %s",
				mode.name, eval(`getComputedStyle(document.querySelector("#diff ins")).color`),
				eval(`getComputedStyle(document.querySelector("#diff ins")).backgroundColor`), shot)
		}
	}
}

// TestBrowserPhoneAttachmentNameFits: on a phone (390 px) a researcher
// opens an article that attaches a decision, its link text the file name
// as these sites print it, with underscores
// ("QD_45_QD_DUK_ban_hanh_quy_che_lam_viec_cua_Ban_Chap_hanh_Dang_bo_Khoi_nhiem_ky_2020_2025.pdf").
// The attachment list ("Tệp đính kèm") does not wrap it: the name runs
// off the right edge and the whole article page scrolls sideways. Every
// other long run on the page wraps (.body, .meta, dl.facts dd, the
// citation); the attachment's name should too.
// Cause: the <li> of #attachments has no overflow-wrap (only the
// span.meta beside it has); web/static/style.css, web/templates/article.html.
func TestBrowserPhoneAttachmentNameFits(t *testing.T) {
	chromium(t)
	name := "QD_45_QD_DUK_ban_hanh_quy_che_lam_viec_cua_Ban_Chap_hanh_Dang_bo_Khoi_nhiem_ky_2020_2025.pdf"
	base, ids := a11yServer(t, a11yArticle{"http://danguykhoithanhhoa.org.vn/tin-tuc/van-ban/quy-che-lam-viec-45.html", store.Content{
		Kind: store.KindArticle, Title: "Ban hành Quy chế làm việc của Ban Chấp hành Đảng bộ Khối nhiệm kỳ 2020 - 2025",
		Category: "Văn bản", Breadcrumb: []string{"Văn bản"}, Published: "2020-10-20",
		Body:        "Ban Chấp hành Đảng bộ Khối ban hành Quy chế làm việc nhiệm kỳ 2020 - 2025.",
		BodyHTML:    "<p>Ban Chấp hành Đảng bộ Khối ban hành Quy chế làm việc nhiệm kỳ 2020 - 2025.</p>",
		Attachments: []store.Attachment{{URL: "http://danguykhoithanhhoa.org.vn/uploads/files/" + name, Text: name}},
	}, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	ctx, eval := reviewBrowser(t, 390, 844)
	reviewOpen(t, ctx, eval, base+"/article/"+ids[0])
	if !strings.Contains(eval(`(document.getElementById("attachments") || {innerText: ""}).innerText`), name) {
		t.Fatalf("the article page lists no attachment %s: %.500s", name, eval(`document.body.innerText`))
	}
	if n, wide := reviewOverflow(eval); n > 0 {
		t.Errorf("at 390 px the article page is %d px wider than the screen (%s), the attachment's name not wrapped; screenshot %s",
			n, wide, a11yShot(t, ctx, "a11y-phone-attachment.png"))
	}
}
