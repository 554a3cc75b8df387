package cli

import (
	"image"
	"os/exec"
	"strings"
	"testing"

	"tulieu/internal/testdocs"
)

// TestNotADocumentSaysSo: a ".docx" that is a zip of something else (a
// broken upload) and a ".pdf" that is an HTML page served as
// application/pdf were archived, but no record said why their text could
// not be read: show --json gave them an empty reader, text and error,
// exactly as a document not read yet. The README: "a document cut short or
// damaged … is archived with its record saying so".
func TestNotADocumentSaysSo(t *testing.T) {
	s := newDocSite(t, `<a href="/uploads/rac.docx">rac.docx</a>, <a href="/uploads/trang.pdf">trang.pdf</a>`)
	s.set("/uploads/rac.docx", docFile{ct: docxType, body: testdocs.Zip([2]string{"readme.txt", "not a Word document"}, [2]string{"data.bin", "\x00\x01\x02garbage"})})
	s.set("/uploads/trang.pdf", docFile{ct: "application/pdf", body: []byte("<html><body><h1>Không tìm thấy tệp</h1></body></html>")})
	data := t.TempDir()
	docCrawl(t, data, s)
	a := docShow(t, data, s)
	for _, name := range []string{"rac.docx", "trang.pdf"} {
		if f := docFileNamed(t, a, name); f.Error == "" {
			t.Errorf("show --json: %s is not the document its name says, and its record does not say so: %+v", name, f)
		}
	}
}

// TestDamagedCopyKeepsEarlierText: night 1 archives a decision (DOCX)
// and reads it; night 2 the site serves the same URL cut in half (a broken
// re-upload). The new capture's error replaced the text read the night
// before: search no longer found the article by the decision's words and
// show --json gave the file with no text, although the readable copy is
// in the archive. One unreadable night must not take the text out of the
// archive (as a page that reads as nothing one night keeps its article).
func TestDamagedCopyKeepsEarlierText(t *testing.T) {
	s := newDocSite(t, `<a href="/uploads/quyet-dinh-45.docx">quyet-dinh-45.docx</a>`)
	docx := docDecision()
	s.set("/uploads/quyet-dinh-45.docx", docFile{ct: docxType, body: docx})
	data := t.TempDir()
	docCrawl(t, data, s)
	if r := search(t, data, "khuyen nong"); r.Total != 1 {
		t.Fatalf("night 1: %d hits", r.Total)
	}
	s.set("/uploads/quyet-dinh-45.docx", docFile{ct: docxType, body: docx[:len(docx)/2]})
	docCrawl(t, data, s)
	if r := search(t, data, "khuyen nong"); r.Total != 1 {
		t.Errorf("night 2 (the site's copy now damaged): search finds %d articles by the decision's words archived the night before", r.Total)
	}
	if f := docFileNamed(t, docShow(t, data, s), "quyet-dinh-45.docx"); !strings.Contains(f.Text, "khuyến nông") {
		t.Errorf("night 2: show --json lost the text read from the archived copy: %+v", f)
	}
}

// docBlankScan is a PDF that is only an image: no text layer.
func docBlankScan() []byte {
	img := image.NewGray(image.Rect(0, 0, 300, 300))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	return testdocs.ImagePDF(img)
}

// TestScannedPDFWithoutOCRSaysSo: a scanned PDF crawled without --ocr is
// was recorded as read by pdftotext with an empty text and no error: show
// --json (and the page) could not tell a scan waiting for --ocr from an
// empty document, and nothing told the user that `--ocr` would read it.
func TestScannedPDFWithoutOCRSaysSo(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("needs pdftotext (poppler-utils)")
	}
	s := newDocSite(t, `<a href="/uploads/scan-quyet-dinh.pdf">scan-quyet-dinh.pdf</a>`)
	s.set("/uploads/scan-quyet-dinh.pdf", docFile{ct: "application/pdf", body: docBlankScan()})
	data := t.TempDir()
	docCrawl(t, data, s)
	f := docFileNamed(t, docShow(t, data, s), "scan-quyet-dinh.pdf")
	if f.Text == "" && !strings.Contains(strings.ToLower(f.Error), "ocr") {
		t.Errorf("a scanned PDF read without --ocr: its record says nothing of why it has no text nor of --ocr: %+v", f)
	}
}

// TestCrawlOCRReadsScanArchivedBefore: a scan archived by a crawl
// without --ocr was not read when a later crawl ran with --ocr: the crawl
// took the empty pdftotext reading of the same bytes as done. (A missing
// program, by contrast, is tried again every night.)
func TestCrawlOCRReadsScanArchivedBefore(t *testing.T) {
	for _, p := range []string{"pdftotext", "pdftoppm", "tesseract"} {
		if _, err := exec.LookPath(p); err != nil {
			t.Skip("needs poppler-utils and tesseract-ocr-vie")
		}
	}
	s := newDocSite(t, `<a href="/uploads/scan-quyet-dinh.pdf">scan-quyet-dinh.pdf</a>`)
	s.set("/uploads/scan-quyet-dinh.pdf", docFile{ct: "application/pdf", body: docBlankScan()})
	data := t.TempDir()
	docCrawl(t, data, s)
	docCrawl(t, data, s, "--ocr")
	if f := docFileNamed(t, docShow(t, data, s), "scan-quyet-dinh.pdf"); f.Reader != "tesseract" {
		t.Errorf("crawl --ocr did not read the scan archived the night before (no text layer): %+v", f)
	}
}

// TestRestoredAttachmentTextComesBack: night 1 a decision is archived
// and read; night 2 the site serves it damaged (its error is recorded);
// night 3 the site serves the very bytes of night 1 again. The crawl
// skips reading them ("the same bytes as a capture already read") and the
// latest reading by URL was still night 2's error: the decision's text
// stayed out of search and show for good, although the site was fixed.
// The newest reading that gave a text is now the one shown.
func TestRestoredAttachmentTextComesBack(t *testing.T) {
	s := newDocSite(t, `<a href="/uploads/quyet-dinh-45.docx">quyet-dinh-45.docx</a>`)
	docx := docDecision()
	s.set("/uploads/quyet-dinh-45.docx", docFile{ct: docxType, body: docx})
	data := t.TempDir()
	docCrawl(t, data, s)
	s.set("/uploads/quyet-dinh-45.docx", docFile{ct: docxType, body: docx[:len(docx)/2]})
	docCrawl(t, data, s)
	s.set("/uploads/quyet-dinh-45.docx", docFile{ct: docxType, body: docx})
	docCrawl(t, data, s)
	if r := search(t, data, "khuyen nong"); r.Total != 1 {
		t.Errorf("night 3 (the site's copy whole again): search finds %d articles by the decision's words", r.Total)
	}
	if f := docFileNamed(t, docShow(t, data, s), "quyet-dinh-45.docx"); !strings.Contains(f.Text, "khuyến nông") || f.Error != "" {
		t.Errorf("night 3: show --json still gives night 2's error: %+v", f)
	}
}
