package attach

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"tulieu/internal/testdocs"
)

// zipOf builds a zip of the named parts, in a fixed order.
func zipOf(t *testing.T, parts map[string]string) []byte {
	t.Helper()
	var ordered [][2]string
	for _, name := range []string{"[Content_Types].xml", "mimetype", "word/document.xml", "xl/workbook.xml", "xl/sharedStrings.xml",
		"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "ppt/presentation.xml", "ppt/slides/slide1.xml", "ppt/slides/slide2.xml",
		"ppt/slides/slide10.xml", "content.xml"} {
		if body, ok := parts[name]; ok {
			ordered = append(ordered, [2]string{name, body})
		}
	}
	return testdocs.Zip(ordered...)
}

const (
	wNS = testdocs.WordNS
	aNS = `xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"`
)

func TestOfficeAndOpenDocument(t *testing.T) {
	// NFD in the source, as some editors write it: the text comes back NFC.
	nfd := norm.NFD.String("Quyết định về việc kiện toàn Ban Chỉ đạo")
	docx := zipOf(t, map[string]string{
		"[Content_Types].xml": "<Types/>",
		"word/document.xml": `<?xml version="1.0"?><w:document ` + wNS + `><w:body>` +
			`<w:p><w:r><w:t>` + nfd + `</w:t></w:r></w:p>` +
			`<w:p><w:r><w:t xml:space="preserve">Điều 1. </w:t></w:r><w:r><w:t>Kiện toàn</w:t></w:r><w:r><w:tab/><w:t>Ban</w:t></w:r></w:p>` +
			`<w:p><w:r><w:delText>đã xóa</w:delText><w:instrText>PAGE</w:instrText></w:r></w:p>` +
			`</w:body></w:document>`,
	})
	xlsx := zipOf(t, map[string]string{
		"xl/workbook.xml":      "<workbook/>",
		"xl/sharedStrings.xml": `<sst><si><t>Đơn vị</t></si><si><t>Số đảng viên</t></si><si><r><t>Chi bộ </t></r><r><t>Văn phòng</t></r></si></sst>`,
		"xl/worksheets/sheet1.xml": `<worksheet><sheetData><row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>` +
			`<row><c t="s"><v>2</v></c><c><v>27</v></c></row><row><c t="inlineStr"><is><t>Tổng cộng</t></is></c></row></sheetData></worksheet>`,
	})
	pptx := zipOf(t, map[string]string{
		"ppt/presentation.xml":   "<p/>",
		"ppt/slides/slide10.xml": `<p:sld xmlns:p="p" ` + aNS + `><a:p><a:r><a:t>Trang mười</a:t></a:r></a:p></p:sld>`,
		"ppt/slides/slide2.xml":  `<p:sld xmlns:p="p" ` + aNS + `><a:p><a:r><a:t>Trang hai</a:t></a:r></a:p></p:sld>`,
		"ppt/slides/slide1.xml":  `<p:sld xmlns:p="p" ` + aNS + `><a:p><a:r><a:t>Trang một</a:t></a:r></a:p></p:sld>`,
	})
	odt := zipOf(t, map[string]string{
		"mimetype": "application/vnd.oasis.opendocument.text",
		"content.xml": `<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">` +
			`<office:body><office:text><text:h>Kế hoạch năm 2026</text:h><text:p>Tổ chức<text:s text:c="2"/>học tập <text:span>nghị quyết</text:span>.</text:p></office:text></office:body></office:document-content>`,
	})
	for _, tc := range []struct {
		name   string
		body   []byte
		reader string
		want   []string
		absent []string
	}{
		{"quyet-dinh.docx", docx, "docx", []string{"Quyết định về việc kiện toàn Ban Chỉ đạo\n\nĐiều 1. Kiện toàn Ban"}, []string{"đã xóa", "PAGE"}},
		{"danh-sach.xlsx", xlsx, "xlsx", []string{"Đơn vị Số đảng viên\nChi bộ Văn phòng 27\nTổng cộng"}, nil},
		{"bai-giang.pptx", pptx, "pptx", []string{"Trang một\n\nTrang hai\n\nTrang mười"}, nil},
		{"ke-hoach.odt?download=1", odt, "odf", []string{"Kế hoạch năm 2026\n\nTổ chức học tập nghị quyết."}, nil},
	} {
		r, err := Text(context.Background(), tc.name, tc.body)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if r.Reader != tc.reader {
			t.Errorf("%s: read by %q, want %q", tc.name, r.Reader, tc.reader)
		}
		if !norm.NFC.IsNormalString(r.Text) {
			t.Errorf("%s: text not in NFC", tc.name)
		}
		for _, w := range tc.want {
			if !strings.Contains(r.Text, w) {
				t.Errorf("%s: text %q lacks %q", tc.name, r.Text, w)
			}
		}
		for _, a := range tc.absent {
			if strings.Contains(r.Text, a) {
				t.Errorf("%s: text %q holds %q", tc.name, r.Text, a)
			}
		}
	}
}

func TestNotADocument(t *testing.T) {
	for name, body := range map[string][]byte{
		"anh.jpg":      {0xFF, 0xD8, 0xFF, 0xE0},
		"tai-lieu.zip": zipOf(t, map[string]string{"mimetype": "x"}),
		"hong.zip":     []byte("PK\x03\x04 not really a zip"),
	} {
		if _, err := Text(context.Background(), name, body); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: %v, want ErrUnsupported", name, err)
		}
	}
	// A .docx that is no zip is a damaged document, not a file of
	// another type (TestCorruptDOCXIsNotUnsupported).
	if _, err := Text(context.Background(), "hong.docx", []byte("PK\x03\x04 not really a zip")); !errors.Is(err, ErrDamaged) {
		t.Errorf("hong.docx: %v, want ErrDamaged", err)
	}
	// A part that decompresses past the limit is an error, not a stall.
	huge := zipOf(t, map[string]string{"word/document.xml": strings.Repeat("<w:p/>", maxEntry/6+10)})
	if _, err := Text(context.Background(), "bom.docx", huge); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("a zip bomb: %v", err)
	}
}

// minimalPDF is a one-page PDF with one line of Helvetica text.
func minimalPDF(text string) []byte { return testdocs.PDF([]string{text}) }

func TestPDF(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("no pdftotext on a CI machine: .ci/run installs poppler-utils")
		}
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	r, err := Text(context.Background(), "http://x/uploads/quyet-dinh-123.pdf", minimalPDF("Quyet dinh so 123 ve cong tac dang"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Reader != "pdftotext" || !strings.Contains(r.Text, "Quyet dinh so 123 ve cong tac dang") {
		t.Errorf("pdf read by %q as %q", r.Reader, r.Text)
	}
	// A broken PDF is an error that names the reader.
	if _, err := Text(context.Background(), "hong.pdf", []byte("%PDF-1.4\nnot a pdf")); err == nil || !strings.Contains(err.Error(), "pdftotext") {
		t.Errorf("a broken PDF: %v", err)
	}
}

func TestMissingProgram(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Text(context.Background(), "a.pdf", minimalPDF("x"))
	if !errors.Is(err, ErrNoProgram) || !strings.Contains(err.Error(), "poppler-utils") {
		t.Errorf("without pdftotext: %v", err)
	}
}

// TestLegacyFontDocument: a Word document typed in a .VnTime font reads as
// Latin-1 letters; its text is repaired to Unicode as pages are.
func TestLegacyFontDocument(t *testing.T) {
	docx := testdocs.DOCX("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "§éc lËp - Tù do - H¹nh phóc",
		"§¶ng bé tØnh Thanh Ho¸ tæ chøc héi nghÞ tæng kÕt c«ng t¸c n¨m.")
	r, err := Text(context.Background(), "cong-van.docx", docx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Legacy != "tcvn3" || !strings.Contains(r.Text, "Cộng hoà xã hội chủ nghĩa Việt Nam") || !strings.Contains(r.Text, "Đảng bộ tỉnh Thanh Hoá") {
		t.Errorf("legacy %q, text %q", r.Legacy, r.Text)
	}
}

// TestMixedLegacyDocument: a .VnTime form filled in with Unicode text
// keeps the Unicode lines as typed and repairs the others.
func TestMixedLegacyDocument(t *testing.T) {
	docx := testdocs.DOCX("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Kính gửi: Đảng ủy Khối các cơ quan tỉnh Thanh Hóa",
		"§¶ng bé tØnh Thanh Ho¸ tæ chøc héi nghÞ tæng kÕt c«ng t¸c n¨m.", "Thanh Hóa, ngày 05 tháng 11 năm 2024")
	r, err := Text(context.Background(), "cong-van.docx", docx)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Cộng hoà xã hội chủ nghĩa Việt Nam", "Kính gửi: Đảng ủy Khối các cơ quan tỉnh Thanh Hóa",
		"Đảng bộ tỉnh Thanh Hoá tổ chức hội nghị", "Thanh Hóa, ngày 05 tháng 11 năm 2024"} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("legacy %q, text %q: no %q", r.Legacy, r.Text, want)
		}
	}
}
