package extract

import (
	"strings"
	"testing"
)

// A box of opinions set in the text (a table or a blockquote: a
// quotation, then who said it, again and again), found on a real 2012
// news page that cannot be kept here, written again as a page of our
// own. Before the fix the last speaker of the box, the line just above
// the source, was taken for the article's author.

// opPage is an article whose text ends with BOX, then a source line.
func opPage(box string) string {
	return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Học sinh viết văn theo bài mẫu - Báo Mẫu</title></head><body>
<header><a href="/">Báo Mẫu</a></header>
<main><article>
<h1>Học sinh viết văn theo bài mẫu</h1>
<p class="date">Thứ Sáu, 30/11/2012 16:00</p>
<div class="content">
<p>Nhiều phụ huynh phản ánh con em mình được giao học thuộc các bài văn mẫu để đi thi, thay vì được hướng dẫn cách quan sát và diễn đạt bằng lời văn của chính mình.</p>
<p>Theo các giáo viên, việc dạy theo dàn ý cố định giúp học sinh yếu đạt điểm trung bình, nhưng lại khiến nhiều em viết giống hệt nhau, thiếu cảm xúc và sáng tạo.</p>
<p>Ngành giáo dục thành phố cho biết sẽ tăng cường kiểm tra việc dạy học môn Tiếng Việt ở các trường tiểu học trong học kỳ tới.</p>
` + box + `
<p class="source">Theo Báo Thanh Hóa</p>
</div>
</article></main>
<footer>Báo Mẫu, số 1 đường Mẫu, Thanh Hóa</footer>
</body></html>`
}

// TestSpeakersOfAnOpinionsBoxAreNoByline: the box's last speaker ("Cô Lê
// Thị Hoa - Trưởng phòng Giáo dục tiểu học") was the article's author.
// They are its text; the source line stays the source.
func TestSpeakersOfAnOpinionsBoxAreNoByline(t *testing.T) {
	box := `<table width="500" bgcolor="#e8eefa" align="center"><tbody><tr><td>
<p><strong>Một số ý kiến khác</strong></p>
<p>“Nếu quá gò theo dàn ý sẽ mất đi tính sáng tạo của học sinh. Cần để các em được phá cách khi phân tích một vấn đề”.</p>
<p><em>Ông Nguyễn Văn Minh - Nguyên Phó Giám đốc Sở Giáo dục và Đào tạo</em></p>
<p><strong>Lệch lạc</strong></p>
<p>“Giáo viên dạy học sinh làm bài rập khuôn theo văn mẫu là đi ngược lại hướng dẫn của ngành”.</p>
<p><em>Cô Lê Thị Hoa - Trưởng phòng Giáo dục tiểu học</em></p>
</td></tr></tbody></table>`
	for name, b := range map[string]string{"table": box, "blockquote": strings.NewReplacer(`<table width="500" bgcolor="#e8eefa" align="center"><tbody><tr><td>`, "<blockquote>", "</td></tr></tbody></table>", "</blockquote>").Replace(box)} {
		d, err := Extract("https://baomau.vn/giao-duc/hoc-sinh-viet-van-theo-bai-mau-2841.html", []byte(opPage(b)), "text/html", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if d.Author != "" || d.AuthorName != "" || d.Source != "Báo Thanh Hóa" {
			t.Errorf("%s: author %q (%q), source %q; want no author, the source Báo Thanh Hóa", name, d.Author, d.AuthorName, d.Source)
		}
		if !strings.Contains(d.Body, "Cô Lê Thị Hoa - Trưởng phòng Giáo dục tiểu học") || !strings.Contains(d.Body, "Ông Nguyễn Văn Minh") {
			t.Errorf("%s: the speakers are not in the text: %q", name, d.Body)
		}
	}
}

// TestQuotationAboveTheWritersName: an article that ends on one
// quotation, with its writer's name under it, keeps that name as its
// author: one quotation and a name is no box of opinions.
func TestQuotationAboveTheWritersName(t *testing.T) {
	for name, end := range map[string]string{
		"in the text": `<p>“Chúng tôi sẽ tiếp tục đồng hành cùng các trường để đổi mới cách dạy môn Tiếng Việt”.</p>
<p><em>Nguyễn Thị Mai</em></p>`,
		"in a box": `<blockquote><p>“Chúng tôi sẽ tiếp tục đồng hành cùng các trường để đổi mới cách dạy môn Tiếng Việt”.</p>
<p><em>Nguyễn Thị Mai</em></p></blockquote>`,
	} {
		page := strings.Replace(opPage(end), `<p class="source">Theo Báo Thanh Hóa</p>`, "", 1)
		d, err := Extract("https://baomau.vn/giao-duc/hoc-sinh-viet-van-theo-bai-mau-2841.html", []byte(page), "text/html", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if d.AuthorName != "Nguyễn Thị Mai" {
			t.Errorf("%s: author %q (%q), want Nguyễn Thị Mai", name, d.Author, d.AuthorName)
		}
	}
}
