package attach

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"tulieu/internal/testdocs"
)

// These tests came from a review of the package; each comment says what
// went wrong before the fix.

type rawPart struct {
	name string
	comp []byte
	size int
	crc  uint32
}

// rawZip writes parts whose content is already deflated, so a test can
// repeat one large compressed part cheaply.
func rawZip(t *testing.T, parts []rawPart) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, p := range parts {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: p.name, Method: zip.Deflate, CompressedSize64: uint64(len(p.comp)), UncompressedSize64: uint64(p.size), CRC32: p.crc})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(p.comp)
	}
	zw.Close()
	return b.Bytes()
}

func rawOf(name, s string) rawPart {
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.BestCompression)
	w.Write([]byte(s))
	w.Close()
	return rawPart{name, b.Bytes(), len(s), crc32.ChecksumIEEE([]byte(s))}
}

// peakHeap runs fn and samples the heap in use meanwhile.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	done := make(chan struct{})
	stopped := make(chan uint64)
	go func() {
		var peak uint64
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-done:
				stopped <- peak
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	fn()
	close(done)
	return <-stopped
}

// A DOCX of ~40 KB whose document.xml (under the 64 MiB part limit) is
// 10 million nested elements: encoding/xml keeps a stack entry per open
// element, so reading it costs gigabytes of heap.
func TestDeepXMLNestingMemory(t *testing.T) {
	doc := `<w:document ` + wNS + `><w:body>` + strings.Repeat("<a>", 10_000_000) + `<w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>`
	z := rawZip(t, []rawPart{rawOf("word/document.xml", doc)})
	doc = ""
	var err error
	peak := peakHeap(func() { _, err = Text(context.Background(), "bom.docx", z) })
	t.Logf("a %d KB docx: peak heap %d MB, err %v", len(z)>>10, peak>>20, err)
	if peak > 512<<20 {
		t.Errorf("a %d KB DOCX of deeply nested elements took %d MB of heap; want a bounded cost or an error", len(z)>>10, peak>>20)
	}
}

// XLSX: one shared string of 4 MB referenced by 100 cells of one row is
// joined into a 400 MB line before the maxText check runs.
func TestXLSXSharedStringRowMemory(t *testing.T) {
	big := strings.Repeat("a", 4<<20)
	row := strings.Repeat(`<c t="s"><v>0</v></c>`, 100)
	z := rawZip(t, []rawPart{
		rawOf("xl/workbook.xml", "<workbook/>"),
		rawOf("xl/sharedStrings.xml", `<sst><si><t>`+big+`</t></si></sst>`),
		rawOf("xl/worksheets/sheet1.xml", `<worksheet><sheetData><row>`+row+`</row></sheetData></worksheet>`),
	})
	big = ""
	var err error
	peak := peakHeap(func() { _, err = Text(context.Background(), "bom.xlsx", z) })
	t.Logf("a %d KB xlsx: peak heap %d MB, err %v", len(z)>>10, peak>>20, err)
	if peak > 256<<20 {
		t.Errorf("a %d KB XLSX took %d MB of heap (text kept is at most %d MB)", len(z)>>10, peak>>20, maxText>>20)
	}
}

// The zip formats are read without looking at the context: a 1 MB PPTX
// of 12 slides, each 57 MB of empty paragraphs, keeps the reader busy
// about 40 s after its 1 s deadline has passed.
func TestZipReadIgnoresContext(t *testing.T) {
	checkStopsAtDeadline(t, "bom.pptx", rawOf("ppt/presentation.xml", "<p/>"), "ppt/slides/slide%d.xml",
		rawOf("", `<p:sld xmlns:p="p" `+aNS+`>`+strings.Repeat("<a:p/>", 10_000_000)+`</p:sld>`))
}

// checkStopsAtDeadline reads, with a 1 s deadline, a zip document of
// file's type made of root and 12 copies of part (named by the pattern
// partName): a megabyte that decompresses to hundreds. The reading must
// stop at the deadline, with an error.
func checkStopsAtDeadline(t *testing.T, file string, root rawPart, partName string, part rawPart) {
	t.Helper()
	parts := []rawPart{root}
	for i := 1; i <= 12; i++ {
		p := part
		p.name = fmt.Sprintf(partName, i)
		parts = append(parts, p)
	}
	z := rawZip(t, parts)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	start := time.Now()
	_, err := Text(ctx, file, z)
	took := time.Since(start)
	t.Logf("a %d KB %s: %v, err %v", len(z)>>10, file, took, err)
	if took > 10*time.Second || err == nil {
		t.Errorf("a %d KB %s with a 1 s deadline took %v and returned err %v; want it stopped at the deadline", len(z)>>10, file, took, err)
	}
}

// fakeProgram puts a shell script named name, running script, first on
// the PATH for the rest of the test.
func fakeProgram(t *testing.T, name, script string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+script+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// A PDF with a BOM and a line break before %PDF- (what a PHP download
// script with a stray BOM sends) is read by pdftotext, but detect calls
// it unsupported, and the crawler records nothing for it.
func TestPDFWithLeadingBytes(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("no pdftotext")
	}
	pdf := append([]byte("\xEF\xBB\xBF\r\n"), testdocs.PDF([]string{"Quyet dinh so 45"})...)
	r, err := Text(context.Background(), "quyet-dinh-45.pdf", pdf)
	if err != nil || !strings.Contains(r.Text, "Quyet dinh so 45") {
		t.Errorf("a PDF with leading bytes pdftotext reads: %q, %v", r.Text, err)
	}
}

// A Word text box is written twice (mc:Choice for new Word, mc:Fallback
// VML for old), and its paragraph is glued to the word before it.
func TestDOCXTextBox(t *testing.T) {
	docx := zipOf(t, map[string]string{"word/document.xml": `<w:document ` + wNS + ` xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>` +
		`<w:p><w:r><w:t>Trước</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>Hộp chữ</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>` +
		`<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Hộp chữ</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p></w:body></w:document>`})
	r, err := Text(context.Background(), "a.docx", docx)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(r.Text, "Hộp chữ") != 1 || strings.Contains(r.Text, "TrướcHộp") {
		t.Errorf("text box read as %q: want it once, apart from the word before", r.Text)
	}
}

// The reader's children are not killed and Wait has no WaitDelay: a
// child that keeps the stdout pipe open holds Text past its deadline
// until the child ends by itself.
func TestChildKeepsReaderAlive(t *testing.T) {
	fakeProgram(t, "pdftotext", "sleep 15 &\nwait")
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := Text(ctx, "a.pdf", testdocs.PDF([]string{"x"}))
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the reader's child kept Text running %v past a 0.5 s deadline (err %v)", took, err)
	}
}

// A cancelled context is reported as "took longer than 1m0s" and does
// not wrap context.Canceled, so a caller cannot tell a shutdown from a
// document that hangs its reader.
func TestCancelReportedAsTimeout(t *testing.T) {
	fakeProgram(t, "pdftotext", "exec sleep 15")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	_, err := Text(ctx, "a.pdf", testdocs.PDF([]string{"x"}))
	if err == nil || !errors.Is(err, context.Canceled) || strings.Contains(err.Error(), "took longer") {
		t.Errorf("cancelled after 0.2 s: %v; want an error that wraps context.Canceled", err)
	}
}
