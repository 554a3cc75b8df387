package attach

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
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
	docx := zipOfB(map[string]string{"word/document.xml": `<w:document ` + wNS + `><w:body>` + doc.String() + `</w:body></w:document>`})
	pdf := multiPagePDF(10, 40)
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

func zipOfB(parts map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range parts {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	zw.Close()
	return buf.Bytes()
}

// multiPagePDF is a PDF of pages pages of lines lines of Helvetica text.
func multiPagePDF(pages, lines int) []byte {
	var objs []string
	objs = append(objs, "<< /Type /Catalog /Pages 2 0 R >>", "") // 2: pages, filled below
	objs = append(objs, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	var kids []string
	for p := range pages {
		var s strings.Builder
		s.WriteString("BT /F1 10 Tf 50 750 Td 12 TL ")
		for l := range lines {
			fmt.Fprintf(&s, "(Trang %d dong %d: ke hoach hoc tap quan triet nghi quyet cua Dang uy Khoi) '", p+1, l+1)
		}
		s.WriteString(" ET")
		objs = append(objs, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", s.Len(), s.String()))
		content := len(objs)
		objs = append(objs, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources << /Font << /F1 3 0 R >> >> >>", content))
		kids = append(kids, fmt.Sprintf("%d 0 R", len(objs)))
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), pages)
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	var offs []int
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
