package attach

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"

	"tulieu/extract"
	"tulieu/vntext"
)

// Result is the text of one document.
type Result struct {
	Text   string // NFC; paragraphs (rows, slides) separated by a blank line
	Reader string // what read it: "docx", "xlsx", "pptx", "odf", "pdftotext", "antiword", "xls2csv"
	Legacy string // the legacy font encoding repaired ("tcvn3", "vni"), "" for none
}

var (
	// ErrUnsupported: not a document type this package reads (an image,
	// an archive).
	ErrUnsupported = errors.New("not a document type tulieu reads")
	// ErrNoProgram: the type is known, but the program that reads it is
	// not installed; the error says which Debian package provides it.
	ErrNoProgram = errors.New("the program that reads this type is not installed")
	// ErrDamaged: the file is of a type this package reads, but cut
	// short or damaged (a download that stopped, a broken zip).
	ErrDamaged = errors.New("the document is damaged or incomplete")
	// ErrEncrypted: the document is protected by a password.
	ErrEncrypted = errors.New("the document is protected by a password")
	// ErrNoTextLayer: a PDF with no text to read, a scan, read without
	// Options.OCR. Not recorded as read: a run with OCR reads it.
	ErrNoTextLayer = errors.New("the PDF has no text layer (a scan?): crawl or reextract with --ocr to read it")
)

// Limits on what one document may cost.
const (
	maxEntry   = 64 << 20 // bytes of one XML part, decompressed
	maxText    = 16 << 20 // bytes of text kept
	runTimeout = 60 * time.Second
)

// Options change how documents are read.
type Options struct {
	// OCR reads scanned PDFs (no text layer) with Tesseract's
	// Vietnamese model: pdftoppm renders each page, tesseract reads it.
	// Slow (seconds a page), so it is asked for.
	OCR bool
	// TempDir is where a document held in memory is written for the
	// program that reads it, and where OCR renders its pages; "" is the
	// system's temporary directory. The files are removed when the text
	// is read (a crawl passes its spool directory, which it empties
	// after a crash).
	TempDir string
}

// ocrMaxPages bounds the pages OCR reads of one document.
const ocrMaxPages = 50

// Text reads the text of a document. name is its URL or file name (its
// extension is a hint); the bytes decide when they can.
func Text(ctx context.Context, name string, body []byte) (Result, error) {
	return Options{}.Text(ctx, name, body)
}

// TextFile is Text of a document in a file (a large one, kept out of
// memory): zip parts are read from the file, programs are run on it.
func TextFile(ctx context.Context, name, file string) (Result, error) {
	return Options{}.TextFile(ctx, name, file)
}

// Text is the package's Text with these options.
func (o Options) Text(ctx context.Context, name string, body []byte) (Result, error) {
	return o.text(ctx, name, bytes.NewReader(body), int64(len(body)), "")
}

// TextFile is the package's TextFile with these options.
func (o Options) TextFile(ctx context.Context, name, file string) (Result, error) {
	f, err := os.Open(file)
	if err != nil {
		return Result{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Result{}, err
	}
	return o.text(ctx, name, f, st.Size(), file)
}

// text reads a document from r (size bytes); file, when set, is where
// those bytes are, for the programs.
func (o Options) text(ctx context.Context, name string, r io.ReaderAt, size int64, file string) (Result, error) {
	kind := detect(name, r, size)
	var res Result
	var err error
	run := func(program, pkg, suffix string, args func(file string) []string) (Result, error) {
		if file != "" {
			return runOn(ctx, program, pkg, file, args)
		}
		return runProgram(ctx, o.TempDir, program, pkg, io.NewSectionReader(r, 0, size), suffix, args)
	}
	switch kind {
	case "damaged":
		return Result{}, ErrDamaged
	case "mislabelled":
		return Result{}, fmt.Errorf("%w: its name says %s, its bytes are %s", ErrDamaged, path.Ext(strings.SplitN(name, "?", 2)[0]), describeBytes(r, size))
	case "encrypted":
		return Result{}, ErrEncrypted
	case "docx", "xlsx", "pptx", "odf":
		res, err = readZip(ctx, kind, r, size)
	case "pdf":
		res, err = run("pdftotext", "poppler-utils", "pdf", func(file string) []string {
			return []string{"-q", "-enc", "UTF-8", "-nopgbrk", file, "-"}
		})
		if err != nil && ctx.Err() == nil && pdfEncrypted(r, size) {
			// pdftotext -q says nothing of why; a PDF whose trailer
			// names an /Encrypt dictionary and cannot be read needs a
			// password.
			err = fmt.Errorf("pdf: %w", ErrEncrypted)
		}
		if err == nil && !o.OCR && !strings.ContainsFunc(res.Text, unicode.IsLetter) {
			return Result{}, fmt.Errorf("pdf: %w", ErrNoTextLayer)
		}
		if err == nil && o.OCR && len(strings.Fields(res.Text)) < 20 {
			// No text layer to speak of: a scan.
			if file == "" {
				res, err = withTempFile(o.TempDir, io.NewSectionReader(r, 0, size), "pdf", func(f string) (Result, error) { return ocrPDF(ctx, o.TempDir, f) })
			} else {
				res, err = ocrPDF(ctx, o.TempDir, file)
			}
		}
	case "doc":
		res, err = run("antiword", "antiword", "doc", func(file string) []string {
			return []string{"-m", "UTF-8.txt", "-w", "0", file}
		})
	case "xls":
		res, err = run("xls2csv", "catdoc", "xls", func(file string) []string {
			return []string{"-d", "utf-8", "-q", "0", file}
		})
	default:
		return Result{}, ErrUnsupported
	}
	if err != nil {
		return Result{}, err
	}
	res.Text = clean(res.Text)
	// Documents typed in the pre-Unicode Vietnamese fonts (.VnTime: TCVN3;
	// VNI-Times) come out as Latin-1 letters ("§¶ng bé tØnh"): repaired
	// as pages are, their Unicode lines, if any, left alone.
	res.Text, res.Legacy = extract.RepairLegacy(res.Text)
	return res, nil
}

// detect names the reader a document needs.
func detect(name string, r io.ReaderAt, size int64) string {
	ext := strings.ToLower(path.Ext(strings.SplitN(strings.SplitN(name, "?", 2)[0], "#", 2)[0]))
	head := make([]byte, 8)
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	// A PDF may have a few bytes before its header (a byte order mark and
	// a line break that a download script printed): readers look for it
	// in the first kilobyte.
	lead := make([]byte, 1024)
	ln, _ := r.ReadAt(lead, 0)
	switch {
	case pdfStart(lead[:ln]):
		return "pdf"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		zr, err := zip.NewReader(r, size)
		if err != nil {
			if officeZipExt[ext] {
				return "damaged" // a .docx cut short is not an archive to pass over
			}
			return ""
		}
		for _, f := range zr.File {
			switch f.Name {
			case "word/document.xml":
				return "docx"
			case "xl/workbook.xml":
				return "xlsx"
			case "ppt/presentation.xml":
				return "pptx"
			case "content.xml":
				return "odf"
			}
		}
		if officeZipExt[ext] {
			return "mislabelled" // a zip of other files under a document's name
		}
		return ""
	case bytes.HasPrefix(head, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")): // OLE2: the legacy Office formats
		// The streams it holds say what it is; a file served as
		// download.aspx?id=12 has no extension to tell.
		if kind := oleKind(r, size); kind != "" {
			return kind
		}
		switch ext {
		case ".xls":
			return "xls"
		case ".doc", "":
			return "doc"
		}
	}
	if officeZipExt[ext] || ext == ".pdf" || ext == ".doc" || ext == ".xls" {
		// Named as a document this package reads, and not one: an error
		// page sent in its place, a broken upload.
		return "mislabelled"
	}
	return ""
}

// pdfEncrypted says whether a PDF's trailer (its last 64 KiB, where the
// trailer or the cross-reference stream is) names an /Encrypt dictionary.
func pdfEncrypted(r io.ReaderAt, size int64) bool {
	n := min(size, 64<<10)
	tail := make([]byte, n)
	if m, _ := r.ReadAt(tail, size-n); m > 0 {
		return bytes.Contains(tail[:m], []byte("/Encrypt"))
	}
	return false
}

// officeZipExt are the extensions of the Office and OpenDocument formats,
// which are zip files.
var officeZipExt = map[string]bool{".docx": true, ".xlsx": true, ".pptx": true, ".odt": true, ".ods": true, ".odp": true,
	".docm": true, ".xlsm": true, ".pptm": true}

// oleKind tells a legacy Word document ("doc") from an Excel workbook
// ("xls") by the names of the streams in the first sector of its
// compound file's directory (MS-CFB: the sector size at offset 30, the
// directory's first sector at 48, entries of 128 bytes whose names are
// UTF-16). "" when it cannot tell.
func oleKind(r io.ReaderAt, size int64) string {
	hdr := make([]byte, 512)
	if n, _ := r.ReadAt(hdr, 0); n < 512 {
		return ""
	}
	shift := binary.LittleEndian.Uint16(hdr[30:32])
	if shift < 7 || shift > 16 {
		return ""
	}
	sector := int64(1) << shift
	first := int64(binary.LittleEndian.Uint32(hdr[48:52]))
	off := (first + 1) * sector
	if first >= 0xFFFFFFFA || off+sector > size {
		return ""
	}
	dir := make([]byte, sector)
	if n, _ := r.ReadAt(dir, off); int64(n) < sector {
		return ""
	}
	for e := 0; e+128 <= len(dir); e += 128 {
		nameLen := int(binary.LittleEndian.Uint16(dir[e+64 : e+66]))
		if nameLen < 2 || nameLen > 64 {
			continue
		}
		units := make([]uint16, (nameLen-2)/2)
		for i := range units {
			units[i] = binary.LittleEndian.Uint16(dir[e+2*i : e+2*i+2])
		}
		switch string(utf16.Decode(units)) {
		case "WordDocument":
			return "doc"
		case "Workbook", "Book":
			return "xls"
		case "EncryptedPackage", "EncryptionInfo":
			// A .docx or .xlsx saved with a password is an OLE file
			// holding the encrypted package (MS-OFFCRYPTO).
			return "encrypted"
		}
	}
	return ""
}

// clean puts text in NFC and collapses its blank lines.
func clean(s string) string {
	s = vntext.NFC(strings.ToValidUTF8(s, "\uFFFD"))
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\f", "\n")
	var out []string
	for _, para := range blankLines.Split(s, -1) {
		lines := strings.Split(para, "\n")
		for i, l := range lines {
			lines[i] = strings.Join(strings.Fields(l), " ")
		}
		if p := strings.TrimSpace(strings.Join(lines, "\n")); p != "" {
			out = append(out, p)
		}
	}
	t := strings.Join(out, "\n\n")
	if len(t) > maxText {
		t = strings.ToValidUTF8(t[:maxText], "")
	}
	return t
}

var blankLines = regexp.MustCompile(`\n[ \t]*\n+`)

// runProgram writes body to a temporary file in dir and runs program on it.
func runProgram(ctx context.Context, dir, program, pkg string, body io.Reader, suffix string, args func(file string) []string) (Result, error) {
	if _, err := exec.LookPath(program); err != nil {
		return Result{}, fmt.Errorf("%w: %s (Debian package %s)", ErrNoProgram, program, pkg)
	}
	return withTempFile(dir, body, suffix, func(file string) (Result, error) { return runOn(ctx, program, pkg, file, args) })
}

// withTempFile writes body to a temporary file in dir for fn.
func withTempFile(dir string, body io.Reader, suffix string, fn func(file string) (Result, error)) (Result, error) {
	f, err := os.CreateTemp(dir, "tulieu-attach-*."+suffix)
	if err != nil {
		return Result{}, err
	}
	defer os.Remove(f.Name())
	if _, err := io.Copy(f, body); err != nil {
		f.Close()
		return Result{}, err
	}
	if err := f.Close(); err != nil {
		return Result{}, err
	}
	return fn(f.Name())
}

// ocrPDF renders the pages of a scanned PDF (pdftoppm, 300 dpi, gray)
// into a folder made in tempDir and reads each with Tesseract's
// Vietnamese model.
func ocrPDF(ctx context.Context, tempDir, file string) (Result, error) {
	for _, p := range [][2]string{{"pdftoppm", "poppler-utils"}, {"tesseract", "tesseract-ocr and tesseract-ocr-vie"}} {
		if _, err := exec.LookPath(p[0]); err != nil {
			return Result{}, fmt.Errorf("%w: %s (Debian package %s)", ErrNoProgram, p[0], p[1])
		}
	}
	dir, err := os.MkdirTemp(tempDir, "tulieu-ocr-")
	if err != nil {
		return Result{}, err
	}
	defer os.RemoveAll(dir)
	if _, err := runOn(ctx, "pdftoppm", "poppler-utils", file, func(f string) []string {
		return []string{"-r", "300", "-gray", "-png", "-l", strconv.Itoa(ocrMaxPages), f, filepath.Join(dir, "page")}
	}); err != nil {
		return Result{}, err
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	sort.Strings(pages) // pdftoppm pads the numbers
	var parts []string
	for _, p := range pages {
		r, err := runOn(ctx, "tesseract", "tesseract-ocr", p, func(f string) []string {
			return []string{f, "stdout", "-l", "vie", "--psm", "3"}
		})
		if err != nil {
			return Result{}, err
		}
		parts = append(parts, r.Text)
	}
	return Result{Text: strings.Join(parts, "\n\n"), Reader: "tesseract"}, nil
}

// runOn runs program on a file and returns what it printed.
func runOn(ctx context.Context, program, pkg, file string, args func(file string) []string) (Result, error) {
	bin, err := exec.LookPath(program)
	if err != nil {
		return Result{}, fmt.Errorf("%w: %s (Debian package %s)", ErrNoProgram, program, pkg)
	}
	ctx, cancel := context.WithTimeout(ctx, runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args(file)...)
	// Killed at the deadline, the program may have left a child holding
	// its output open: stop waiting for the output a moment later.
	cmd.WaitDelay = 2 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &limitedBuffer{b: &stdout, max: maxText}
	cmd.Stderr = &limitedBuffer{b: &stderr, max: 4096}
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		switch {
		case errors.Is(context.Cause(ctx), context.Canceled):
			// Stopped by the caller (a crawl interrupted), not a
			// document that hangs its reader.
			return Result{}, fmt.Errorf("%s: %w", program, context.Canceled)
		case ctx.Err() != nil:
			msg = "took longer than " + runTimeout.String()
		}
		return Result{}, fmt.Errorf("%s: %v %s", program, err, msg)
	}
	return Result{Text: stdout.String(), Reader: program}, nil
}

// limitedBuffer keeps the first max bytes written and drops the rest.
type limitedBuffer struct {
	b   *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.b.Len(); room > 0 {
		l.b.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// readZip reads the XML parts of an Office Open XML or OpenDocument file.
func readZip(ctx context.Context, kind string, r io.ReaderAt, size int64) (Result, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return Result{}, fmt.Errorf("%s: %w (%v)", kind, ErrDamaged, err)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	part := func(name string) ([]byte, error) {
		f := files[name]
		if f == nil {
			return nil, nil
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, maxEntry+1))
		if err != nil {
			return nil, err
		}
		if len(b) > maxEntry {
			return nil, fmt.Errorf("%s: %s is larger than %d MiB decompressed", kind, name, maxEntry>>20)
		}
		return b, nil
	}
	var text string
	switch kind {
	case "docx":
		// The body, then what a reader also sees on the pages: headers
		// and footers (the issuing body, the document's number), and the
		// footnotes and endnotes (a decision's legal basis).
		// The text stops at maxText in all, as pptx's does: a small file
		// of many large header parts was read whole, part after part
		// (a 549 KiB file took a gigabyte).
		var texts []string
		total := 0
		for _, name := range docxParts(files) {
			if total >= maxText {
				break
			}
			b, err := part(name)
			if err != nil {
				return Result{}, err
			}
			if b == nil {
				continue
			}
			t, err := paragraphs(ctx, b, map[string]string{"p": "para", "t": "text", "tab": "tab", "br": "line", "cr": "line"}, "w")
			if err != nil {
				return Result{}, fmt.Errorf("docx: %w", err)
			}
			if t = strings.TrimSpace(t); t != "" {
				texts = append(texts, t)
				total += len(t)
			}
		}
		text = strings.Join(texts, "\n\n")
	case "pptx":
		var slides []string
		for name := range files {
			if strings.HasPrefix(name, "ppt/slides/slide") && strings.HasSuffix(name, ".xml") {
				slides = append(slides, name)
			}
		}
		sort.Slice(slides, func(i, j int) bool { return slideNumber(slides[i]) < slideNumber(slides[j]) })
		var parts []string
		total := 0
		for _, name := range slides {
			// Each slide may take seconds to read: the caller's deadline
			// is looked at between them, and the text stops at maxText.
			if err := ctx.Err(); err != nil {
				return Result{}, fmt.Errorf("pptx: %w", err)
			}
			if total > maxText {
				break
			}
			b, err := part(name)
			if err != nil {
				return Result{}, err
			}
			t, err := paragraphs(ctx, b, map[string]string{"p": "para", "t": "text", "br": "line"}, "a")
			if err != nil {
				return Result{}, fmt.Errorf("pptx: %s: %w", name, err)
			}
			parts = append(parts, t)
			total += len(t)
		}
		text = strings.Join(parts, "\n\n")
	case "xlsx":
		text, err = xlsxText(ctx, part, files)
		if err != nil {
			return Result{}, fmt.Errorf("xlsx: %w", err)
		}
	case "odf":
		b, err := part("content.xml")
		if err != nil {
			return Result{}, err
		}
		text, err = paragraphs(ctx, b, map[string]string{"p": "para", "h": "para", "tab": "tab", "line-break": "line", "s": "space", "table-cell": "cell", "table-row": "para"}, "text", "table")
		if err != nil {
			return Result{}, fmt.Errorf("odf: %w", err)
		}
	}
	return Result{Text: text, Reader: kind}, nil
}

var slideNumRe = regexp.MustCompile(`(\d+)\.xml$`)

func slideNumber(name string) int {
	m := slideNumRe.FindStringSubmatch(name)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// paragraphs walks an XML part and writes the character data of its
// text elements, with the breaks its structural elements mean. roles maps
// local element names (in the namespaces whose prefixes are given, by
// the namespace's conventional prefix found in its URI's last part or the
// prefix itself) to "para", "line", "tab", "space", "cell" or "text".
func paragraphs(ctx context.Context, b []byte, roles map[string]string, spaces ...string) (string, error) {
	var out strings.Builder
	inText := 0
	fallback := 0 // inside mc:Fallback: the same content again, for old readers
	inCell := 0   // inside a spreadsheet cell (ODF)
	tokens := 0
	var stopped error
	err := eachXMLToken(b, false, func(tok xml.Token) bool {
		// A part of millions of elements takes seconds: the caller's
		// deadline is looked at as it is read.
		if tokens++; tokens%(1<<14) == 0 {
			if stopped = ctx.Err(); stopped != nil {
				return false
			}
		}
		if fallback > 0 {
			switch t := tok.(type) {
			case xml.StartElement:
				if t.Name.Local == "Fallback" {
					fallback++
				}
			case xml.EndElement:
				if t.Name.Local == "Fallback" {
					fallback--
				}
			}
			return true
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "Fallback" && strings.Contains(t.Name.Space, "markup-compatibility") {
				// Word writes a text box twice: mc:Choice for today's
				// readers, mc:Fallback for old ones. The choice is read.
				fallback = 1
				return true
			}
			role := roles[t.Name.Local]
			if !inSpaces(t.Name.Space, spaces) {
				role = ""
			}
			switch role {
			case "text":
				inText++
			case "tab":
				out.WriteByte('\t')
			case "cell":
				// A spreadsheet's row is one line, its cells apart (as
				// XLSX's): the paragraphs in a cell do not break it.
				if s := out.String(); s != "" && !strings.HasSuffix(s, "\n") {
					out.WriteByte('\t')
				}
				inCell++
			case "line":
				out.WriteByte('\n')
			case "space":
				n := 1
				for _, a := range t.Attr {
					if a.Name.Local == "c" {
						n, _ = strconv.Atoi(a.Value)
					}
				}
				out.WriteString(strings.Repeat(" ", max(1, min(n, 100))))
			case "para":
				// A paragraph within one (a text box's) starts apart.
				if s := out.String(); inCell == 0 && s != "" && !strings.HasSuffix(s, "\n") {
					out.WriteString("\n\n")
				}
				if roles["t"] == "" {
					inText++ // ODF: the text is the paragraph's own character data
				}
			}
		case xml.EndElement:
			role := roles[t.Name.Local]
			if !inSpaces(t.Name.Space, spaces) {
				role = ""
			}
			switch role {
			case "text":
				inText--
			case "para":
				if roles["t"] == "" {
					inText--
				}
				if inCell > 0 {
					out.WriteByte(' ') // paragraphs of one cell, on its line
				} else {
					out.WriteString("\n\n")
				}
			case "cell":
				inCell--
			}
		case xml.CharData:
			if inText > 0 {
				out.Write(t)
			}
		}
		return out.Len() <= maxText
	})
	if err == nil {
		err = stopped
	}
	if err != nil {
		return "", err
	}
	return out.String(), nil
}

// eachXMLToken calls fn with each token of the XML document b in order,
// until fn returns false or the document ends, and returns the decoder's
// first error. strict is the decoder's Strict mode.
// Elements nested deeper than maxXMLDepth end the reading with an error:
// the decoder keeps an entry for every open element, and a small part of
// millions of nested elements took gigabytes. Real documents nest a few
// dozen deep.
func eachXMLToken(b []byte, strict bool, fn func(xml.Token) bool) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = strict
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxXMLDepth {
				return fmt.Errorf("XML nested more than %d elements deep", maxXMLDepth)
			}
		case xml.EndElement:
			depth--
		}
		if !fn(tok) {
			return nil
		}
	}
}

const maxXMLDepth = 1000

// inSpaces says whether a namespace URI is one of the given kinds: the
// WordprocessingML and DrawingML namespaces end in "/main", the
// OpenDocument ones name their kind ("…:text:1.0", "…:table:1.0").
func inSpaces(uri string, spaces []string) bool {
	for _, s := range spaces {
		switch s {
		case "w":
			if strings.Contains(uri, "wordprocessingml") {
				return true
			}
		case "a":
			if strings.Contains(uri, "drawingml") {
				return true
			}
		default:
			if strings.Contains(uri, ":"+s+":") {
				return true
			}
		}
	}
	return false
}

// xlsxText reads every sheet, a row a line, cells separated by tabs.
// docxParts are the parts of a DOCX with text, in reading order: the
// document, its headers and footers, footnotes, endnotes.
func docxParts(files map[string]*zip.File) []string {
	out := []string{"word/document.xml"}
	for _, prefix := range []string{"word/header", "word/footer"} {
		var ps []string
		for name := range files {
			if strings.HasPrefix(name, prefix) && strings.HasSuffix(name, ".xml") {
				ps = append(ps, name)
			}
		}
		sort.Slice(ps, func(i, j int) bool { return slideNumber(ps[i]) < slideNumber(ps[j]) })
		out = append(out, ps...)
	}
	return append(out, "word/footnotes.xml", "word/endnotes.xml")
}

func xlsxText(ctx context.Context, part func(string) ([]byte, error), files map[string]*zip.File) (string, error) {
	var shared []string
	if b, err := part("xl/sharedStrings.xml"); err != nil {
		return "", err
	} else if b != nil {
		var cur strings.Builder
		inT := false
		err := eachXMLToken(b, true, func(tok xml.Token) bool {
			switch t := tok.(type) {
			case xml.StartElement:
				if t.Name.Local == "si" {
					cur.Reset()
				}
				inT = t.Name.Local == "t"
			case xml.EndElement:
				if t.Name.Local == "si" {
					shared = append(shared, cur.String())
				}
				if t.Name.Local == "t" {
					inT = false
				}
			case xml.CharData:
				if inT {
					cur.Write(t)
				}
			}
			return true
		})
		if err != nil {
			return "", err
		}
	}
	var sheets []string
	for name := range files {
		if strings.HasPrefix(name, "xl/worksheets/sheet") && strings.HasSuffix(name, ".xml") {
			sheets = append(sheets, name)
		}
	}
	sort.Slice(sheets, func(i, j int) bool { return slideNumber(sheets[i]) < slideNumber(sheets[j]) })
	var out strings.Builder
	for _, name := range sheets {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		b, err := part(name)
		if err != nil {
			return "", err
		}
		var cellType string
		tokens := 0
		var inV, inIs bool
		var row []string
		rowLen := 0 // bytes of row: a row is cut where the text would pass maxText
		var cell strings.Builder
		err = eachXMLToken(b, true, func(tok xml.Token) bool {
			switch t := tok.(type) {
			case xml.StartElement:
				switch t.Name.Local {
				case "c":
					cellType = ""
					for _, a := range t.Attr {
						if a.Name.Local == "t" {
							cellType = a.Value
						}
					}
					cell.Reset()
				case "v":
					inV = true
				case "is":
					inIs = true
				}
			case xml.EndElement:
				switch t.Name.Local {
				case "v":
					inV = false
				case "is":
					inIs = false
				case "c":
					v := cell.String()
					if cellType == "s" {
						if i, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && i >= 0 && i < len(shared) {
							v = shared[i]
						}
					}
					// (A shared string used by many cells is one string
					// here, many copies once the row is joined.)
					if out.Len()+rowLen+len(v) <= maxText {
						row = append(row, v)
						rowLen += len(v) + 1
					}
				case "row":
					if line := strings.TrimSpace(strings.Join(row, "\t")); line != "" {
						out.WriteString(line)
						out.WriteByte('\n')
					}
					row, rowLen = row[:0], 0
				}
			case xml.CharData:
				if inV || inIs {
					cell.Write(t)
				}
			}
			// The caller's deadline, looked at now and then: a sheet of
			// a million empty rows takes seconds.
			if tokens++; tokens%4096 == 0 && ctx.Err() != nil {
				return false
			}
			return out.Len() <= maxText
		})
		if err == nil {
			err = ctx.Err()
		}
		if err != nil {
			return "", err
		}
		out.WriteString("\n")
	}
	return out.String(), nil
}

// pdfStart says whether b starts with a PDF header, after at most a byte
// order mark and white space.
func pdfStart(b []byte) bool {
	i := bytes.Index(b, []byte("%PDF-"))
	if i < 0 {
		return false
	}
	return len(bytes.TrimLeft(bytes.TrimPrefix(b[:i], []byte("\xef\xbb\xbf")), " \t\r\n\x00")) == 0
}

// describeBytes says what a file's first bytes look like, for an error:
// a web page sent in a document's place is the usual case.
func describeBytes(r io.ReaderAt, size int64) string {
	head := make([]byte, min(size, 512))
	n, _ := r.ReadAt(head, 0)
	t := strings.ToLower(strings.TrimSpace(string(head[:n])))
	switch {
	case n == 0:
		return "empty"
	case strings.HasPrefix(t, "<!doctype html") || strings.HasPrefix(t, "<html") || strings.Contains(t, "<body"):
		return "a web page"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return "a zip archive of other files"
	}
	return "not such a document"
}
