// Package testdocs makes small real documents for tests and benchmarks:
// PDFs whose text pdftotext reads, and zips of named parts (the Office
// Open XML and OpenDocument formats). They are built, not stored, so that
// a test says what its document holds.
package testdocs

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	"strings"
)

// PDF is a PDF of pages, each page a list of lines of Helvetica text
// (ASCII: the standard fonts have no Vietnamese letters).
func PDF(pages ...[]string) []byte {
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
	var kids []string
	for _, lines := range pages {
		var s strings.Builder
		s.WriteString("BT /F1 10 Tf 50 750 Td 12 TL ")
		for _, l := range lines {
			fmt.Fprintf(&s, "(%s) '", l)
		}
		s.WriteString(" ET")
		objs = append(objs, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", s.Len(), s.String()))
		content := len(objs)
		objs = append(objs, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources << /Font << /F1 3 0 R >> >> >>", content))
		kids = append(kids, fmt.Sprintf("%d 0 R", len(objs)))
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages))
	return pdfFile(objs)
}

// Zip is a zip of the named parts, in the order given: {name, content}.
func Zip(parts ...[2]string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, p := range parts {
		w, err := zw.Create(p[0])
		if err != nil {
			panic(err) // a name zip refuses: a bug in the test
		}
		w.Write([]byte(p[1]))
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// WordNS is the WordprocessingML namespace declaration of a w: prefix.
const WordNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`

// DOCX is a Word document of the paragraphs.
func DOCX(paras ...string) []byte {
	var body strings.Builder
	for _, p := range paras {
		fmt.Fprintf(&body, "<w:p><w:r><w:t>%s</w:t></w:r></w:p>", p)
	}
	return Zip([2]string{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		[2]string{"word/document.xml", `<w:document ` + WordNS + `><w:body>` + body.String() + `</w:body></w:document>`})
}

// ImagePDF is a one-page PDF that is nothing but a gray image, as a
// scanner makes them: no text layer.
func ImagePDF(img *image.Gray) []byte {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		zw.Write(img.Pix[(y-img.Rect.Min.Y)*img.Stride : (y-img.Rect.Min.Y)*img.Stride+w])
	}
	zw.Close()
	// The page is the image at 150 dpi.
	pw, ph := float64(w)*72/150, float64(h)*72/150
	content := fmt.Sprintf("q %.2f 0 0 %.2f 0 0 cm /Im1 Do Q", pw, ph)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>", pw, ph),
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream", w, h, z.Len(), z.String()),
	}
	return pdfFile(objs)
}

// pdfFile writes objects (object 1 the catalog) as a PDF file with its
// cross-reference table.
func pdfFile(objs []string) []byte {
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
