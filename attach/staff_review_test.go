package attach

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rc4"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tulieu/internal/testdocs"
)

// These tests came from a review of attachments as a researcher searches them; each comment says what
// went wrong before the fix.

// A DOCX whose download was cut short (or whose zip is damaged) is told
// apart from "not a document": the crawler drops ErrUnsupported silently
// (crawler/page.go readAttachment: "an image or an archive: nothing to
// read"), so the researcher sees the attachment with no text and no
// error, as if tulieu did not read Word files. Staff see nothing; they
// should see an error saying the document is damaged.
func TestCorruptDOCXIsNotUnsupported(t *testing.T) {
	full := testdocs.DOCX("Quyết định số 45-QĐ/ĐUK về việc kiện toàn Ban Chỉ đạo")
	cut := full[:len(full)-30] // the end of central directory is gone
	_, err := Text(context.Background(), "quyet-dinh-45.docx", cut)
	if err == nil || errors.Is(err, ErrUnsupported) {
		t.Errorf("a damaged .docx gives err %v; want an error saying the document is damaged, not ErrUnsupported (which the crawl records as nothing at all)", err)
	}
}

// A password-protected XLSX (or DOCX) is an OLE2 compound file holding
// EncryptionInfo and EncryptedPackage streams. detect finds neither a
// WordDocument nor a Workbook stream and, the name ending in .xlsx,
// returns "": ErrUnsupported, which the crawl records as nothing. Staff
// see an attachment with no text and no reason; they should see an error
// saying the file is password-protected.
func TestPasswordProtectedXLSX(t *testing.T) {
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "Danh sách đảng viên")
	var buf bytes.Buffer
	if err := f.Write(&buf, excelize.Options{Password: "matkhau"}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xD0\xCF\x11\xE0")) {
		t.Fatalf("excelize did not write an encrypted (OLE2) package")
	}
	_, err := Text(context.Background(), "danh-sach.xlsx", buf.Bytes())
	if err == nil || errors.Is(err, ErrUnsupported) || !strings.Contains(strings.ToLower(err.Error()), "password") && !strings.Contains(strings.ToLower(err.Error()), "encrypt") && !strings.Contains(err.Error(), "mật khẩu") {
		t.Errorf("a password-protected .xlsx gives err %v; want an error saying it is password-protected (ErrUnsupported is recorded as nothing)", err)
	}
}

// pdfPad is the padding string of the PDF standard security handler.
var pdfPad = []byte{0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
	0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A}

func rc4Of(key, data []byte) []byte {
	c, _ := rc4.NewCipher(key)
	out := make([]byte, len(data))
	c.XORKeyStream(out, data)
	return out
}

// encryptedPDF is a one-page PDF encrypted with the standard security
// handler (revision 2, 40-bit RC4) under a user password: it does not
// open without the password.
func encryptedPDF(user, owner, text string) []byte {
	pad := func(p string) []byte { return append([]byte(p), pdfPad...)[:32] }
	oh := md5.Sum(pad(owner))
	o := rc4Of(oh[:5], pad(user))
	id := []byte("0123456789abcdef")
	p := int32(-4)
	h := md5.New()
	h.Write(pad(user))
	h.Write(o)
	h.Write([]byte{byte(p), byte(p >> 8), byte(p >> 16), byte(p >> 24)})
	h.Write(id)
	key := h.Sum(nil)[:5]
	u := rc4Of(key, pdfPad)
	objKey := func(n int) []byte {
		s := md5.Sum(append(append([]byte{}, key...), byte(n), byte(n>>8), byte(n>>16), 0, 0))
		return s[:10]
	}
	content := "BT /F1 12 Tf 50 750 Td (" + text + ") Tj ET"
	enc := rc4Of(objKey(4), []byte(content))
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(enc), enc),
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 3 0 R >> >> >>",
		fmt.Sprintf("<< /Filter /Standard /V 1 /R 2 /O <%x> /U <%x> /P %d >>", o, u, p),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	var offs []int
	for i, ob := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, ob)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Encrypt 6 0 R /ID [<%x> <%x>] >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, id, id, x)
	return b.Bytes()
}

// A password-protected PDF (common for official documents) fails in
// pdftotext, which is run with -q: its "Incorrect password" is never
// printed, so the record says only "pdftotext: exit status 1". Staff see
// an unexplained exit status; they should see that the PDF needs a
// password.
func TestPasswordProtectedPDFError(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	pdf := encryptedPDF("matkhau", "chu", "Nghi quyet so 12")
	// The file is a real encrypted PDF: with its password it reads.
	cmd := exec.Command("sh", "-c", "f=$(mktemp) && cat > $f && pdftotext -upw matkhau $f - ; rm -f $f")
	cmd.Stdin = bytes.NewReader(pdf)
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "Nghi quyet so 12") {
		t.Fatalf("the test PDF does not read with its password: %v %q", err, out)
	}
	_, err := Text(context.Background(), "nghi-quyet-12.pdf", pdf)
	if err == nil {
		t.Fatal("an encrypted PDF read without its password")
	}
	msg := strings.ToLower(err.Error())
	if !strings.Contains(msg, "password") && !strings.Contains(msg, "encrypt") && !strings.Contains(msg, "mật khẩu") {
		t.Errorf("a password-protected PDF gives %q; want an error that says it needs a password", err)
	}
}

// The XLSX reader never looks at the caller's deadline (README: the
// Office formats are read "bounded against zip bombs, deep nesting and
// the caller's deadline"; PPTX, DOCX and ODF do look): a 1 MB workbook of
// 12 sheets, each 57 MB of empty rows, keeps a crawl's worker busy for
// tens of seconds after its 1 s deadline. Staff see a crawl stuck on one
// attachment; they should see it stopped at the deadline.
func TestXLSXIgnoresDeadline(t *testing.T) {
	checkStopsAtDeadline(t, "bom.xlsx", rawOf("xl/workbook.xml", "<workbook/>"), "xl/worksheets/sheet%d.xml",
		rawOf("", `<worksheet><sheetData>`+strings.Repeat("<row/>", 9_500_000)+`</sheetData></worksheet>`))
}

// A DOCX's footnotes and its page header are parts of their own
// (word/footnotes.xml, word/header1.xml); readZip reads only
// word/document.xml. The legal basis of a decision ("Căn cứ Điều lệ
// Đảng…") and the issuing body in the header are not searchable: a
// researcher's `tep:` search for them finds nothing.
func TestDOCXFootnotesAndHeader(t *testing.T) {
	doc := testdocs.Zip(
		[2]string{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		[2]string{"word/document.xml", `<w:document ` + wNS + `><w:body>` +
			`<w:p><w:r><w:t>Điều 1. Kiện toàn Ban Chỉ đạo</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>` +
			`<w:sectPr><w:headerReference w:type="default" r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></w:sectPr>` +
			`</w:body></w:document>`},
		[2]string{"word/footnotes.xml", `<w:footnotes ` + wNS + `><w:footnote w:id="1"><w:p><w:r><w:t>Căn cứ Quy định số 24-QĐ/TW về thi hành Điều lệ Đảng</w:t></w:r></w:p></w:footnote></w:footnotes>`},
		[2]string{"word/header1.xml", `<w:hdr ` + wNS + `><w:p><w:r><w:t>ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH THANH HÓA</w:t></w:r></w:p></w:hdr>`},
	)
	r, err := Text(context.Background(), "quyet-dinh.docx", doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Điều 1. Kiện toàn Ban Chỉ đạo", "Căn cứ Quy định số 24-QĐ/TW", "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH THANH HÓA"} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("the DOCX's text %q lacks %q", r.Text, want)
		}
	}
}
