package attach

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"tulieu/internal/testdocs"
)

// BenchmarkText reads a 10-page report as DOCX (200 paragraphs of
// Vietnamese text, ~60 KB of text) and as PDF (10 pages of 40 lines):
// documents/s on one core, pdftotext's process start included.
func BenchmarkText(b *testing.B) {
	para := "Đảng ủy Khối các cơ quan tỉnh Thanh Hóa triển khai kế hoạch học tập, quán triệt nghị quyết, nâng cao chất lượng sinh hoạt chi bộ và công tác kiểm tra, giám sát trong năm 2026."
	var doc strings.Builder
	for i := range 200 {
		fmt.Fprintf(&doc, "<w:p><w:r><w:t>%d. %s</w:t></w:r></w:p>", i+1, para)
	}
	docx := testdocs.Zip([2]string{"word/document.xml", `<w:document ` + wNS + `><w:body>` + doc.String() + `</w:body></w:document>`})
	var pages [][]string
	for p := range 10 {
		var lines []string
		for l := range 40 {
			lines = append(lines, fmt.Sprintf("Trang %d dong %d: ke hoach hoc tap quan triet nghi quyet cua Dang uy Khoi", p+1, l+1))
		}
		pages = append(pages, lines)
	}
	pdf := testdocs.PDF(pages...)
	cases := []struct {
		name string
		body []byte
	}{{"docx", docx}, {"pdf", pdf}}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			if c.name == "pdf" {
				if _, err := exec.LookPath("pdftotext"); err != nil {
					b.Skip("pdftotext not installed")
				}
			}
			b.SetBytes(int64(len(c.body)))
			for b.Loop() {
				r, err := Text(context.Background(), "a."+c.name, c.body)
				if err != nil || len(r.Text) < 1000 {
					b.Fatalf("%v (%d bytes of text)", err, len(r.Text))
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}
