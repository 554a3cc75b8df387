package extract

import (
	"slices"
	"strings"
	"testing"
)

// Pages whose category the reader sees, but not in a trail the extractor
// knew, found when the real-world set's expected files were given their
// breadcrumbs (13 of 18 read right); written again as pages of our own.
// Each comment says what went wrong before the fix.

const scURL = "https://baomau.vn/dang-uy-khoi/hoi-nghi-so-ket-cong-tac-dang-98765.html"

// scPage is an article with HEAD in its <head> and ABOVE just before its
// title, under a site menu that names the section "Xây dựng Đảng".
func scPage(head, above string) string {
	var paras strings.Builder
	for _, p := range rhBody {
		paras.WriteString("<p>" + p + "</p>\n")
	}
	return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Hội nghị sơ kết công tác Đảng - Báo Mẫu</title>
<meta property="og:type" content="article"><meta property="og:site_name" content="Báo Mẫu">
` + head + `
</head><body>
<header><a href="/" class="logo">Báo Mẫu</a>
<nav><a href="/" class="icon-home"></a> <a href="/thoi-su/">Thời sự</a> <a href="/xay-dung-dang/" class="active">Xây dựng Đảng</a> <a href="/kinh-te/">Kinh tế</a> <a href="/van-hoa/">Văn hóa</a></nav></header>
<div class="container"><div class="col-main">
` + above + `
<h1 class="title-detail">Hội nghị sơ kết công tác Đảng</h1>
<div class="meta"><span class="post-time">07/12/2026 09:30</span></div>
<div class="content-detail">
` + paras.String() + `</div>
</div></div>
<footer>Báo Mẫu, số 1 đường Mẫu, Thanh Hóa</footer>
</body></html>`
}

func scExtract(t *testing.T, page string) *Document {
	t.Helper()
	d, err := Extract(scURL, []byte(page), "text/html", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Hội nghị sơ kết công tác Đảng" || len(strings.Split(d.Body, "\n\n")) != len(rhBody) {
		t.Fatalf("title %q, body %q", d.Title, d.Body)
	}
	return d
}

// TestLDBreadcrumbItemsInListsOfTheirOwn: a JSON-LD BreadcrumbList that
// writes each item inside a list of its own ([[{…}],[{…}]], as Dân trí's
// does) gave no breadcrumb at all.
func TestLDBreadcrumbItemsInListsOfTheirOwn(t *testing.T) {
	d := scExtract(t, scPage(`<script type="application/ld+json">{"@context":"https://schema.org","@type":"BreadcrumbList","itemListElement":[
[{"@type":"ListItem","position":1,"item":{"@id":"https://baomau.vn/","name":"Trang chủ"}}],
[{"@type":"ListItem","position":2,"item":{"@id":"https://baomau.vn/dang-uy-khoi/","name":"Đảng ủy Khối"}}],
[{"@type":"ListItem","position":3,"item":{"@id":"https://baomau.vn/dang-uy-khoi/to-chuc-co-so/","name":"Tổ chức cơ sở"}}]]}</script>`, ""))
	if want := []string{"Đảng ủy Khối", "Tổ chức cơ sở"}; !slices.Equal(d.Breadcrumb, want) || d.Category != "Tổ chức cơ sở" {
		t.Errorf("breadcrumb %q, category %q; want %q", d.Breadcrumb, d.Category, want)
	}
}

// TestCategoryLineTheMenuNames: the section's link printed just above the
// title in an element with no telling class ("fs16 text-uppercase") gave
// no breadcrumb; the site's menu names the same section, which makes it
// the category. A link above the title the menu does not name (a tag, a
// "back" link) is not taken for one.
func TestCategoryLineTheMenuNames(t *testing.T) {
	d := scExtract(t, scPage("", `<div class="fs16 text-uppercase"><a href="/xay-dung-dang/">Xây dựng Đảng</a></div>`))
	if want := []string{"Xây dựng Đảng"}; !slices.Equal(d.Breadcrumb, want) || d.Category != "Xây dựng Đảng" {
		t.Errorf("breadcrumb %q, category %q; want %q", d.Breadcrumb, d.Category, want)
	}
	for _, above := range []string{
		`<div class="fs16 text-uppercase"><a href="/tag/hoi-nghi/">Hội nghị</a></div>`,
		`<div class="back"><a href="/">Trang chủ</a></div>`,
	} {
		if d := scExtract(t, scPage("", above)); len(d.Breadcrumb) != 0 || d.Category != "" {
			t.Errorf("%s: breadcrumb %q, category %q; want none", above, d.Breadcrumb, d.Category)
		}
	}
}

// TestSectionTheMetadataStates: a page that prints no trail and no
// category line but states its section (article:section, as WordPress
// writes it, or JSON-LD's articleSection) gave no category. A section a
// CMS writes when nobody chose one ("Uncategorized", "News") or the site's
// own name is no category.
func TestSectionTheMetadataStates(t *testing.T) {
	for head, want := range map[string][]string{
		`<meta property="article:section" content="Tin tức">`: {"Tin tức"},
		`<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Hội nghị sơ kết công tác Đảng","articleSection":["Xây dựng Đảng","Thời sự"]}</script>`: {"Xây dựng Đảng"},
		`<meta property="article:section" content="Uncategorized">`: nil,
		`<meta property="article:section" content="News">`:          nil,
		`<meta property="article:section" content="Báo Mẫu">`:       nil,
	} {
		d := scExtract(t, scPage(head, ""))
		if !slices.Equal(d.Breadcrumb, want) {
			t.Errorf("%s: breadcrumb %q, want %q", head, d.Breadcrumb, want)
		}
	}
}
