package cli

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"fmt"
	"hash/crc32"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tulieu/attach"
)

// These tests come from a security review (archived content is hostile:
// the site is not ours). Each test's comment tells the attack and what
// happened before its fix (in the present tense of the review), and what
// should happen, which the test holds.

// secReviewHeaderBombDOCX is a small DOCX (a few hundred KB) with n header
// parts, each a paragraph of 17 MiB of text: every part is within the
// 64 MiB a part may decompress to, and each reads to the 16 MiB of text
// a part may give.
func secReviewHeaderBombDOCX(t *testing.T, n int) []byte {
	t.Helper()
	const ns = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, s string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	add("[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
	add("word/document.xml", `<w:document `+ns+`><w:body><w:p><w:r><w:t>Quyết định số 45</w:t></w:r></w:p></w:body></w:document>`)
	// Every header part is the same: compressed once, and copied raw into
	// each entry (compressing 17 MiB n times took most of a minute under
	// the race detector).
	part := []byte(`<w:hdr ` + ns + `><w:p><w:r><w:t>` + strings.Repeat("A", 17<<20) + `</w:t></w:r></w:p></w:hdr>`)
	var packed bytes.Buffer
	fw, err := flate.NewWriter(&packed, flate.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(part)
	fw.Close()
	for i := 1; i <= n; i++ {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: fmt.Sprintf("word/header%d.xml", i), Method: zip.Deflate,
			CRC32: crc32.ChecksumIEEE(part), CompressedSize64: uint64(packed.Len()), UncompressedSize64: uint64(len(part))})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(packed.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSecurityDOCXHeaderPartsBombTheCrawl
//
// Attack: a compromised site attaches quyet-dinh.docx, a zip of a few
// hundred KB whose word/ folder holds many header parts (word/header1.xml
// … headerN.xml), each 17 MiB of text once decompressed: within the
// 64 MiB bound of one part, and each read to the 16 MiB of text
// (maxText) a part may give.
//
// What happens: the crawl reads it (crawler.readAttachment →
// attach.Text, with the crawl's own context and no deadline of its own)
// and readZip's "docx" case appends the text of every header part to
// `texts` with no running total (the pptx case stops at maxText; docx
// does not), then joins them: memory grows by 16 MiB per header part, 32
// parts take ~1 GiB of heap, and a few hundred take the machine (the crawl
// runs under a 120 MiB soft limit). The text kept in the end is cut to
// 16 MiB anyway.
//
// What should happen: the docx reading stops at maxText of text in all,
// as pptx and xlsx do, so a document's reading costs a bounded heap.
func TestSecurityDOCXHeaderPartsBombTheCrawl(t *testing.T) {
	docx := secReviewHeaderBombDOCX(t, 32)
	t.Logf("the docx is %d KiB", len(docx)>>10)
	// Keep garbage out of the measure: what is counted is what is held.
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	res, err := attach.Text(context.Background(), "http://x.vn/tai-ve/quyet-dinh.docx", docx)
	close(done)
	<-sampled
	if err != nil {
		t.Logf("read: %v", err)
	}
	grew := int64(peak.Load()) - int64(base.HeapAlloc)
	t.Logf("text kept: %d MiB; heap grew by %d MiB while reading", len(res.Text)>>20, grew>>20)
	if grew > 300<<20 {
		t.Errorf("reading one %d KiB DOCX took %d MiB of heap (32 header parts of 16 MiB of text each, all kept, then joined): "+
			"the docx case of readZip has no running total of text, as pptx has; a site's attachment can exhaust the crawl's memory",
			len(docx)>>10, grew>>20)
	}
}
