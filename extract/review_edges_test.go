package extract

import (
	"strings"
	"testing"
)

// These tests came from a review of the extractor; each comment says
// what went wrong before the fix.

// zzPage is a plain party-committee article page; TITLE, DATE, MID (a block
// after the first paragraph) and TAIL (blocks after the last one) vary.
const zzPage = `<html><head><meta charset="utf-8"><title>TITLE - Đảng ủy Khối</title></head><body>
<div class="header"><a href="/">Đảng ủy Khối các cơ quan tỉnh</a></div>
<div class="breadcrumb"><a href="/">Trang chủ</a> » <a href="/tin-tuc">Tin tức</a> » <a href="/tin-tuc/hoat-dong">Hoạt động</a></div>
<h1 class="title">TITLE</h1>
<div class="date">DATE</div>
<div class="content">
<p>Sáng nay, Đảng ủy Khối tổ chức hội nghị sơ kết công tác xây dựng Đảng quý I, đánh giá kết quả và đề ra nhiệm vụ trọng tâm quý II năm 2022.</p>
MID
<p>Hội nghị thống nhất các giải pháp nâng cao chất lượng sinh hoạt chi bộ, đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.</p>
<p>Các đại biểu đã thảo luận, đóng góp nhiều ý kiến tâm huyết, trách nhiệm vào dự thảo kế hoạch của Ban Thường vụ, thống nhất cao.</p>
TAIL
</div>
<div class="footer">Đảng ủy Khối các cơ quan tỉnh, 1 đường Lê Lợi</div></body></html>`

const zzTitle = "Hội nghị sơ kết công tác xây dựng Đảng quý I"

func edgeMake(date, mid, tail string) string {
	return strings.NewReplacer("TITLE", zzTitle, "DATE", date, "MID", mid, "TAIL", tail).Replace(zzPage)
}

func edgeExtract(t *testing.T, page string) *Document {
	t.Helper()
	doc, err := Extract("https://dukcq.thanhhoa.gov.vn/tin-tuc/hoi-nghi-so-ket-123.html", []byte(page), "text/html; charset=utf-8", Options{})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// A time printed before the date, "HH:MM - DD/MM/YYYY", is read as a date
// with a two-digit year: "09:15 - 07/03/2022" gives 15 July 2003.
func TestTimeDashDate(t *testing.T) {
	for in, want := range map[string]string{
		"09:15 - 07/03/2022":              "2022-03-07T09:15:00+07:00",
		"Cập nhật lúc 10:30 - 07/03/2022": "2022-03-07T10:30:00+07:00",
		"09:15:30 - 07-03-2022":           "2022-03-07T09:15:30+07:00",
	} {
		got := ""
		if tm, hasTime, ok := ParseDate(in); ok {
			got = formatDate(tm, hasTime)
		}
		if got != want {
			t.Errorf("ParseDate(%q) = %q, want %q", in, got, want)
		}
	}
	doc := edgeExtract(t, edgeMake("09:15 - 07/03/2022", "", ""))
	if doc.Published != "2022-03-07T09:15:00+07:00" {
		t.Errorf("date line %q: Published = %q", "09:15 - 07/03/2022", doc.Published)
	}
}

// The place-and-date line of a notice ("Thanh Hóa, ngày 07 tháng 3 năm
// 2022") is taken for a byline: the province becomes the author.
func TestPlaceDateLineIsNoByline(t *testing.T) {
	line := `<p style="text-align:right"><i>Thanh Hóa, ngày 07 tháng 3 năm 2022</i></p>`
	for name, page := range map[string]string{
		"last line":  edgeMake("", "", line),
		"first line": strings.Replace(edgeMake("", "", ""), `<div class="content">`, `<div class="content">`+line, 1),
	} {
		doc := edgeExtract(t, page)
		if doc.Author != "" || doc.AuthorName != "" {
			t.Errorf("%s: Author = %q, AuthorName = %q; want none (a place, not a person)", name, doc.Author, doc.AuthorName)
		}
		if doc.Published != "2022-03-07" {
			t.Errorf("%s: Published = %q", name, doc.Published)
		}
	}
}

// "Nguồn:baochinhphu.vn" (no space after the colon, as often typed) is
// neither the Source nor removed from the body.
func TestSourceWithoutSpace(t *testing.T) {
	doc := edgeExtract(t, edgeMake("07/03/2022", "", "<p>Nguồn:baochinhphu.vn</p>"))
	if doc.Source != "baochinhphu.vn" || strings.Contains(doc.Body, "Nguồn") {
		t.Errorf("Source = %q, body ends %q", doc.Source, doc.Body[len(doc.Body)-40:])
	}
}

// A download link naming the file in its query is an attachment only
// when the file name is the last thing in the query.
func TestAttachmentInQuery(t *testing.T) {
	for _, u := range []string{
		"https://x.gov.vn/Download.aspx?file=KeHoach.pdf&id=3",
		"https://x.gov.vn/download.php?f=QD12.docx&t=1646620800",
	} {
		if !IsAttachmentURL(u) {
			t.Errorf("IsAttachmentURL(%q) = false", u)
		}
	}
	doc := edgeExtract(t, edgeMake("07/03/2022", `<p>Tải về: <a href="/Download.aspx?file=KeHoach.pdf&amp;id=3">Kế hoạch số 5</a></p>`, ""))
	if len(doc.Attachments) != 1 {
		t.Errorf("Attachments = %+v, want the Kế hoạch link", doc.Attachments)
	}
}
