package export

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"

	"tulieu/internal/vntime"
	"tulieu/store"
	"tulieu/vntext"
	"tulieu/warc"
)

// The md and html formats are zip files to read, not to process: one page
// per record, named <published date>-<slug>.md|.html (the slug is the last
// segment of the article's URL, without marks; the id when there is
// none; "-vN" for a version of an export of all versions), an index page
// (index.md, index.html) listing them in the export's order, the images
// they show under images/, and tulieu-export.json saying what made the
// file (the Meta, with the counts of records and images).
//
// A page has the title, the byline and source, the date published
// (dd/mm/yyyy), the category, the link to the original, when the archive
// captured it (Vietnam time) and the body's paragraphs. An image is put
// where its caption is among the paragraphs, otherwise after the body. Its
// bytes are copied from the archive, the capture nearest to the article's
// own capture; an image the archive does not hold (or holds cut short)
// keeps its caption and says "(ảnh chưa được lưu)" ("(ảnh chưa được lưu
// đầy đủ)"): the pages never load anything from the live site. Images with
// the same bytes are stored once. Attached documents are copied the same
// way under files/ and linked from the page, with their original address
// and the text read from them. The html pages are escaped throughout,
// have a small inline stylesheet, no script, and a Content-Security-Policy
// that forbids scripts.
//
// The zip is written through to w as it goes; images are streamed from
// the WARC files. What is held in memory is a line per record for the
// index and a name per distinct image.

const (
	docsMetaFile   = "tulieu-export.json"
	docsImageDir   = "images/"
	docsFileDir    = "files/"
	noteNotSaved   = "(ảnh chưa được lưu)"
	noteCutShort   = "(ảnh chưa được lưu đầy đủ)"
	noteDamaged    = "(ảnh bị hỏng trong kho lưu trữ)"
	noteBadlySent  = "(ảnh không giải mã được như máy chủ đã gửi)"
	docsMaxSlugLen = 80
)

func newMarkdownDocs(w io.Writer, m *Meta, a Archive) (Writer, error) {
	return newDocs(w, m, a, false)
}

func newHTMLDocs(w io.Writer, m *Meta, a Archive) (Writer, error) {
	return newDocs(w, m, a, true)
}

type docsWriter struct {
	zw   *zip.Writer
	meta *Meta
	a    Archive
	html bool
	tmpl *template.Template
	loc  *time.Location
	ext  string

	names   map[string]bool // page file names taken
	entries []docEntry      // the index, in order
	// byCapture is what the image capture of an id became; byPayload the
	// file of the bytes of a payload, so that equal bytes are stored once.
	byCapture map[int64]docImageFile
	byPayload map[string]string

	images, missing     int
	files, filesMissing int
}

// docImageFile is where an image's bytes went: a file in the zip, or a
// note saying why there is none.
type docImageFile struct {
	path, note string
}

// docEntry is one line of the index.
type docEntry struct {
	File, Title, Date, Category string
}

// docPage is what a page shows.
type docPage struct {
	Title, ID, URL            string
	Byline, Source, Category  string
	Breadcrumb                string
	Published, Date, Captured string
	CapturedRFC3339, Status   string
	Version                   int
	Blocks                    []docBlock
	Attachments               []docAttachment
	Index                     string
}

// docAttachment is an attached document as a page lists it: its archived
// copy in the zip (Path) or a note saying why there is none, and the text
// read from it.
type docAttachment struct {
	Name, URL, Path, Note, Text string
}

// docBlock is a paragraph, or an image with its caption.
type docBlock struct {
	Text  string
	Image *docImage
}

type docImage struct {
	Path, Caption, Note string
}

func newDocs(w io.Writer, m *Meta, a Archive, asHTML bool) (Writer, error) {
	d := &docsWriter{
		zw: zip.NewWriter(w), meta: m, a: a, html: asHTML, loc: vntime.Zone, ext: ".md",
		names: map[string]bool{}, byCapture: map[int64]docImageFile{}, byPayload: map[string]string{},
	}
	if asHTML {
		d.ext = ".html"
		var err error
		funcs := template.FuncMap{"inc": func(i int) int { return i + 1 }}
		if d.tmpl, err = template.New("").Funcs(funcs).Parse(docsTemplates); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (d *docsWriter) create(name string, method uint16) (io.Writer, error) {
	return d.zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: d.meta.Created})
}

func (d *docsWriter) Write(ctx context.Context, r *Record) error {
	var at time.Time
	if r.Capture != nil {
		at = r.Capture.FetchedAt
	} else if t, err := time.Parse(time.RFC3339, r.CapturedAt); err == nil {
		at = t
	}
	var imgs []docImage
	for _, im := range r.Images {
		f, err := d.image(ctx, im.Src, at)
		if err != nil {
			return fmt.Errorf("image %s of %s: %w", im.Src, r.URL, err)
		}
		imgs = append(imgs, docImage{Path: f.path, Caption: strings.TrimSpace(im.Caption), Note: f.note})
	}
	var atts []docAttachment
	for _, u := range r.Attachments {
		f, err := d.document(ctx, u, at)
		if err != nil {
			return fmt.Errorf("attachment %s of %s: %w", u, r.URL, err)
		}
		a := docAttachment{Name: r.LinkTexts[u], URL: u, Path: f.path, Note: f.note}
		if a.Name == "" {
			a.Name = store.AttachmentName(u)
		}
		for _, rf := range r.Files {
			if rf.URL == u {
				a.Text = rf.Text
			}
		}
		atts = append(atts, a)
	}
	p := &docPage{
		Title: r.Title, ID: r.ID, URL: r.URL, Byline: r.Author, Source: r.Source,
		Category: r.Category, Breadcrumb: strings.Join(r.Breadcrumb, " › "), Published: r.Published,
		Date: viDate(r.Published, d.loc), CapturedRFC3339: r.CapturedAt, Status: r.Status, Version: r.Version,
		Blocks: docBlocks(r.Body, imgs), Attachments: atts, Index: "index" + d.ext,
	}
	if r.FetchedFrom != "" {
		// A version of an article that moved: the page it was read from
		// then, beside the time it was captured (the file keeps the
		// article's current name, as its other versions do).
		p.URL = r.FetchedFrom
	}
	if !at.IsZero() {
		p.Captured = at.In(d.loc).Format("02/01/2006 15:04:05") + " (giờ Việt Nam)"
	}
	if p.Title == "" {
		p.Title = r.URL
	}
	name := d.fileName(r)
	fw, err := d.create(name, zip.Deflate)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(fw)
	if d.html {
		err = d.tmpl.ExecuteTemplate(bw, "page", p)
	} else {
		err = markdownPage(bw, p)
	}
	if err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	d.entries = append(d.entries, docEntry{File: name, Title: p.Title, Date: p.Date, Category: p.Category})
	return nil
}

// docBlocks are the body's paragraphs with each image put in place of
// the paragraph that is its caption; the images whose caption is not
// there follow the body.
func docBlocks(body string, imgs []docImage) []docBlock {
	used := make([]bool, len(imgs))
	var out []docBlock
	for para := range strings.SplitSeq(body, "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		placed := false
		for i := range imgs {
			if !used[i] && imgs[i].Caption != "" && imgs[i].Caption == para {
				used[i], placed = true, true
				out = append(out, docBlock{Image: &imgs[i]})
				break
			}
		}
		if !placed {
			out = append(out, docBlock{Text: para})
		}
	}
	for i := range imgs {
		if !used[i] {
			out = append(out, docBlock{Image: &imgs[i]})
		}
	}
	return out
}

// docNotes are what a page says of an image or a document the zip does
// not hold, by why.
type docNotes struct{ notSaved, cutShort, damaged, badlySent string }

var (
	imageNotes = docNotes{noteNotSaved, noteCutShort, noteDamaged, noteBadlySent}
	fileNotes  = docNotes{"(tệp chưa được lưu)", "(tệp chưa được lưu đầy đủ)", "(tệp bị hỏng trong kho lưu trữ)",
		"(tệp không giải mã được như máy chủ đã gửi)"}
)

// image copies the archived image src (the capture nearest at) into the
// zip once, and says where it is or why it is not there.
func (d *docsWriter) image(ctx context.Context, src string, at time.Time) (docImageFile, error) {
	return d.copyLinked(ctx, src, at, true)
}

// document copies the archived copy of an attached document (PDF,
// DOCX…) into the zip under files/, as image does an image.
func (d *docsWriter) document(ctx context.Context, src string, at time.Time) (docImageFile, error) {
	return d.copyLinked(ctx, src, at, false)
}

// copyLinked copies what the archive holds for a link (through the
// redirects archived for it) nearest to at into the zip once: an image
// under images/, a document under files/.
func (d *docsWriter) copyLinked(ctx context.Context, src string, at time.Time, isImage bool) (docImageFile, error) {
	notes, missed, what := fileNotes, &d.filesMissing, "document"
	if isImage {
		notes, missed, what = imageNotes, &d.missing, "image"
	}
	missing := func(note string) (docImageFile, error) {
		*missed++
		return docImageFile{note: note}, nil
	}
	if d.a == nil { // no archive to copy from
		return missing(notes.notSaved)
	}
	c, _, err := followArchived(ctx, d.a, src, at)
	if err != nil {
		return docImageFile{}, err
	}
	if c == nil {
		return missing(notes.notSaved)
	}
	if f, ok := d.byCapture[c.ID]; ok {
		if f.path == "" {
			*missed++
		}
		return f, nil
	}
	// A revisit's bytes are in the record it refers to.
	p, err := d.a.PayloadCapture(ctx, c.ID)
	if errors.Is(err, store.ErrNotFound) {
		d.byCapture[c.ID] = docImageFile{note: notes.notSaved}
		return missing(notes.notSaved)
	}
	if err != nil {
		return docImageFile{}, err
	}
	if p.Truncated != "" {
		d.byCapture[c.ID] = docImageFile{note: notes.cutShort}
		return missing(notes.cutShort)
	}

	key := p.PayloadDigest
	if key == "" {
		key = "capture:" + strconv.FormatInt(p.ID, 10)
	}
	if name, ok := d.byPayload[key]; ok {
		d.byCapture[c.ID] = docImageFile{path: name}
		return d.byCapture[c.ID], nil
	}
	// Read through before any of it goes into the zip: a damaged record
	// found halfway would leave half a file in a zip that cannot take it
	// back.
	switch err := d.readThrough(ctx, c.ID); {
	case warc.Damaged(err):
		d.meta.warn(fmt.Sprintf("left out the %s %s: its record (%s at %d) cannot be read (%v); `tulieu check` reports it",
			what, src, p.WARCFile, p.WARCOffset, err))
		d.byCapture[c.ID] = docImageFile{note: notes.damaged}
		return missing(notes.damaged)
	case warc.Undecodable(err):
		// The server's fault, not the archive's: the record is whole
		// and keeps the bytes as they were sent.
		d.meta.warn(fmt.Sprintf("left out the %s %s: the server sent it in a form that cannot be decoded (%v); its record (%s at %d) keeps it as sent",
			what, src, err, p.WARCFile, p.WARCOffset))
		d.byCapture[c.ID] = docImageFile{note: notes.badlySent}
		return missing(notes.badlySent)
	case err != nil:
		return docImageFile{}, err
	}
	rc, _, err := d.a.OpenCapture(ctx, c.ID)
	if err != nil {
		return docImageFile{}, err
	}
	defer rc.Close()
	body := bufio.NewReader(rc)
	ct := strings.ToLower(strings.TrimSpace(strings.SplitN(p.ContentType, ";", 2)[0]))
	head, _ := body.Peek(512)
	sniffed := http.DetectContentType(head)
	if isImage && !strings.HasPrefix(ct, "image/") && !strings.HasPrefix(sniffed, "image/") ||
		!isImage && strings.HasPrefix(sniffed, "text/html") {
		// Served as something else: an image all the same if its bytes
		// say so (old servers send application/octet-stream); but a
		// "not found" page the site answered 200 with is no copy of it.
		d.byCapture[c.ID] = docImageFile{note: notes.notSaved}
		return missing(notes.notSaved)
	}
	name := imageName(src, key, p.ContentType)
	if !isImage {
		name = documentName(src, key, p.ContentType, head)
	}
	// Images and most documents are compressed already: stored, not
	// deflated again.
	fw, err := d.create(name, zip.Store)
	if err != nil {
		return docImageFile{}, err
	}
	if _, err := io.Copy(fw, body); err != nil {
		return docImageFile{}, err
	}
	if isImage {
		d.images++
	} else {
		d.files++
	}
	d.byPayload[key] = name
	d.byCapture[c.ID] = docImageFile{path: name}
	return d.byCapture[c.ID], nil
}

// documentExts are the extensions of the documents an article attaches.
var documentExts = map[string]bool{".pdf": true, ".doc": true, ".docx": true, ".xls": true, ".xlsx": true, ".ppt": true,
	".pptx": true, ".odt": true, ".ods": true, ".odp": true, ".rtf": true, ".zip": true, ".rar": true, ".7z": true, ".txt": true}

// documentTypes are their extensions by media type.
var documentTypes = map[string]string{
	"application/pdf": ".pdf", "application/msword": ".doc", "application/vnd.ms-excel": ".xls",
	"application/vnd.ms-powerpoint":                                             ".ppt",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   ".docx",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         ".xlsx",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
	"application/vnd.oasis.opendocument.text":                                   ".odt",
	"application/vnd.oasis.opendocument.spreadsheet":                            ".ods",
	"application/vnd.oasis.opendocument.presentation":                           ".odp",
	"application/rtf": ".rtf", "application/zip": ".zip", "text/plain": ".txt",
}

// passiveExts are the extensions, besides documentExts, a document copied
// into an export keeps: files a click opens in a viewer, never one that
// runs or renders a script. Any other (the name of the program that served
// it, .aspx; or an active one, .html, .svg, .js) becomes .bin.
var passiveExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true, ".bmp": true,
	".tif": true, ".tiff": true, ".mp3": true, ".mp4": true, ".wav": true, ".wma": true, ".wmv": true, ".avi": true,
	".mov": true, ".csv": true, ".odg": true, ".epub": true}

// rasterExts are the extensions an image copied into an export may keep
// from its URL when its type does not say (served as text/html, or as
// nothing): never .html or .svg, which a browser opening the file runs.
var rasterExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true, ".bmp": true,
	".avif": true, ".ico": true, ".tif": true, ".tiff": true}

// documentName is files/<12 hex digits of the payload's key>-<the name
// the link gives the document>.
func documentName(src, key, contentType string, head []byte) string {
	sum := sha256.Sum256([]byte(key))
	base := store.AttachmentName(src)
	ext := strings.ToLower(path.Ext(base))
	if !documentExts[ext] {
		// A download address (DownloadFile.aspx?id=12, /tai-ve/ke-hoach-45)
		// names no type: the one it was served as, or its bytes', so
		// that the file opens in the program it is for.
		mt, _, _ := mime.ParseMediaType(contentType)
		switch {
		case documentTypes[mt] != "":
			ext = documentTypes[mt]
		case bytes.HasPrefix(head, []byte("%PDF")):
			ext = ".pdf"
		case !passiveExts[ext]:
			// Never a name a click runs or renders with scripts
			// (.html, .svg, .js, .hta…): the site chose it, and a
			// staff member opens what the exported page links.
			ext = ".bin"
		}
	}
	name := docsFileDir + hex.EncodeToString(sum[:6])
	if stem := slug(strings.TrimSuffix(base, path.Ext(base)), 40); stem != "" {
		name += "-" + stem
	}
	return name + ext
}

// readThrough reads the body of a capture to its end, checking its
// record's checksum.
func (d *docsWriter) readThrough(ctx context.Context, captureID int64) error {
	rc, _, err := d.a.OpenCapture(ctx, captureID)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, rc)
	if cerr := rc.Close(); err == nil {
		err = cerr
	}
	return err
}

// imageName is images/<12 hex digits of the payload's key>-<name>.<ext>:
// distinct per payload, and still recognizable.
func imageName(src, key, contentType string) string {
	sum := sha256.Sum256([]byte(key))
	name := docsImageDir + hex.EncodeToString(sum[:6])
	base := ""
	if u, err := url.Parse(src); err == nil {
		base = path.Base(u.Path)
	}
	ext := strings.ToLower(path.Ext(base))
	if stem := slug(strings.TrimSuffix(base, path.Ext(base)), 40); stem != "" {
		name += "-" + stem
	}
	if e := imageExt(contentType); e != "" {
		ext = e
	} else if !rasterExts[ext] {
		ext = ".bin"
	}
	return name + ext
}

// imageExt is the file extension of an image media type, "" for one not
// known here (the URL's then serves).
func imageExt(contentType string) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "image/jpeg", "image/pjpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	case "image/gif":
		return ".gif"
	case "image/webp":
		return ".webp"
	case "image/svg+xml":
		return ".svg"
	case "image/bmp":
		return ".bmp"
	case "image/avif":
		return ".avif"
	case "image/x-icon", "image/vnd.microsoft.icon":
		return ".ico"
	}
	return ""
}

// slug is s without marks, lower case, runs of anything but letters and
// digits made one "-", at most max bytes.
func slug(s string, max int) string {
	s = strings.ToLower(vntext.Fold(s))
	var b strings.Builder
	dash := false
	for _, r := range s {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			if b.Len() >= max {
				break
			}
			continue
		}
		dash = true
	}
	return b.String()
}

// fileName is a record's page: <published date>-<slug>[-vN].ext, unique in
// the zip.
func (d *docsWriter) fileName(r *Record) string {
	s := ""
	if u, err := url.Parse(r.URL); err == nil {
		base := strings.TrimSuffix(path.Base(u.Path), path.Ext(path.Base(u.Path)))
		s = shorten(slug(base, 4*docsMaxSlugLen), docsMaxSlugLen)
		if n := slug(base, 20); !strings.ContainsFunc(base, unicode.IsLetter) && n != "" {
			// A page named by a number (/tong-quan/chuc-nang-nhiem-vu/21):
			// its title names the file, the number keeps it apart.
			if t := shorten(slug(r.Title, 4*docsMaxSlugLen), docsMaxSlugLen-len(n)-1); t != "" {
				s = t + "-" + n
			}
		}
	}
	if s == "" {
		s = slug(r.ID, docsMaxSlugLen)
	}
	if s == "" {
		s = "bai-viet"
	}
	if len(r.Published) >= 10 {
		if _, err := time.Parse(time.DateOnly, r.Published[:10]); err == nil {
			s = r.Published[:10] + "-" + s
		}
	}
	if r.Version > 0 {
		s += "-v" + strconv.Itoa(r.Version)
	}
	name := s + d.ext
	if d.names[name] || name == "index"+d.ext {
		name = s + "-" + slug(r.ID, 16) + d.ext
	}
	for i := 2; d.names[name]; i++ {
		name = s + "-" + strconv.Itoa(i) + d.ext
	}
	d.names[name] = true
	return name
}

// shorten cuts a slug longer than max at a dash, keeping a trailing
// number (the site's article number, which tells apart two articles with
// the same long title).
func shorten(s string, max int) string {
	if len(s) <= max {
		return s
	}
	tail := ""
	if i := strings.LastIndexByte(s, '-'); i >= 0 && leadingDigits(s[i+1:]) == len(s)-i-1 && len(s)-i <= 12 {
		tail = s[i:]
	}
	head := s[:max-len(tail)]
	if j := strings.LastIndexByte(head, '-'); j > 0 {
		head = head[:j]
	}
	return head + tail
}

// viDate is published as a Vietnamese reader writes it: dd/mm/yyyy, and
// "lúc hh:mm" when it has a time; "" for none, the value itself when it
// does not parse.
func viDate(published string, loc *time.Location) string {
	if published == "" {
		return ""
	}
	if t, err := time.Parse(time.DateOnly, published); err == nil {
		return t.Format("02/01/2006")
	}
	if t, err := time.Parse(time.RFC3339, published); err == nil {
		return t.In(loc).Format("02/01/2006 lúc 15:04")
	}
	return published
}

func (d *docsWriter) Close() error {
	fw, err := d.create("index"+d.ext, zip.Deflate)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(fw)
	idx := &docIndex{
		Created: d.meta.Created.In(d.loc).Format("02/01/2006 15:04:05") + " (giờ Việt Nam)",
		Tool:    d.meta.Tool, Selection: selectionText(d.meta.Selection), Entries: d.entries,
		Images: d.images, Missing: d.missing, Files: d.files, FilesMissing: d.filesMissing, Meta: docsMetaFile,
	}
	if d.html {
		err = d.tmpl.ExecuteTemplate(bw, "index", idx)
	} else {
		err = markdownIndex(bw, idx)
	}
	if err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	fw, err = d.create(docsMetaFile, zip.Deflate)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(fw)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(struct {
		*Meta
		Records       int `json:"records"`
		Images        int `json:"images"`         // files under images/
		ImagesMissing int `json:"images_missing"` // images shown by a note, not archived (whole)
		Files         int `json:"files"`          // attached documents under files/
		FilesMissing  int `json:"files_missing"`  // attached documents listed with a note, not archived (whole)
	}{d.meta, len(d.entries), d.images, d.missing, d.files, d.filesMissing}); err != nil {
		return err
	}
	return d.zw.Close()
}

// docIndex is what the index page shows.
type docIndex struct {
	Created, Tool, Selection, Meta string
	Entries                        []docEntry
	Images, Missing                int
	Files, FilesMissing            int
}

// selectionText says in Vietnamese what an export selected, for the
// index a reader opens (the provenance file keeps the JSON).
func selectionText(s Selection) string {
	var parts []string
	add := func(ok bool, text string) {
		if ok {
			parts = append(parts, text)
		}
	}
	day := func(t time.Time) string { return t.In(vntime.Zone).Format("02/01/2006") }
	add(s.Query != "", "tìm “"+s.Query+"”")
	add(s.Category != "", "chuyên mục “"+s.Category+"”")
	add(s.Author != "", "tác giả “"+s.Author+"”")
	add(!s.From.IsZero(), "đăng từ ngày "+day(s.From))
	add(!s.To.IsZero(), "đăng đến ngày "+day(s.To))
	add(!s.ChangedSince.IsZero(), "mới, sửa hoặc gỡ từ "+s.ChangedSince.In(vntime.Zone).Format("15:04 02/01/2006"))
	add(s.IDsFrom != "", "các bài liệt kê trong "+s.IDsFrom)
	add(s.IncludeDeleted, "gồm cả bài đã gỡ")
	add(s.IncludePages, "gồm cả trang tĩnh")
	add(s.AllVersions, "mọi phiên bản của mỗi bài")
	if len(parts) == 0 {
		return "tất cả bài viết"
	}
	return strings.Join(parts, "; ")
}

// markdownPage writes p as Markdown: a YAML front matter (JSON strings
// are YAML) for tools, then the page for people. All text is escaped so
// that it reads as written, never as markup.
func markdownPage(w *bufio.Writer, p *docPage) error {
	q := func(s string) string {
		b, _ := json.Marshal(s)
		return string(b)
	}
	fmt.Fprintf(w, "---\ntitle: %s\nid: %s\nurl: %s\npublished: %s\ncaptured_at: %s\n", q(p.Title), q(p.ID), q(p.URL),
		q(p.Published), q(p.CapturedRFC3339))
	if p.Version > 0 {
		fmt.Fprintf(w, "version: %d\n", p.Version)
	}
	fmt.Fprintf(w, "---\n\n[← Mục lục](%s)\n\n", p.Index)
	if p.Breadcrumb != "" {
		fmt.Fprintf(w, "%s\n\n", mdEscape(p.Breadcrumb))
	}
	fmt.Fprintf(w, "# %s\n\n", mdEscape(oneLine(p.Title)))
	var meta []string
	if p.Byline != "" {
		meta = append(meta, "Tác giả: "+mdEscape(oneLine(p.Byline)))
	}
	if p.Source != "" {
		meta = append(meta, "Nguồn: "+mdEscape(oneLine(p.Source)))
	}
	if p.Date != "" {
		meta = append(meta, "Ngày đăng: "+mdEscape(p.Date))
	}
	if p.Version > 0 {
		meta = append(meta, "Phiên bản "+strconv.Itoa(p.Version))
	}
	if p.Status == store.StatusDeleted {
		meta = append(meta, "Bài đã bị gỡ khỏi trang gốc")
	}
	for _, m := range meta {
		fmt.Fprintf(w, "- %s\n", m)
	}
	fmt.Fprintf(w, "- Bản gốc: %s\n", mdLink(p.URL, p.URL))
	if p.Captured != "" {
		fmt.Fprintf(w, "- Lưu lúc: %s\n", mdEscape(p.Captured))
	}
	w.WriteString("\n")
	for _, b := range p.Blocks {
		if b.Image == nil {
			fmt.Fprintf(w, "%s\n\n", mdEscape(b.Text))
			continue
		}
		im := b.Image
		if im.Path != "" {
			fmt.Fprintf(w, "![%s](%s)\n\n", mdEscape(oneLine(im.Caption)), im.Path)
		}
		var caption []string
		if im.Caption != "" {
			caption = append(caption, "*"+mdEscape(im.Caption)+"*")
		}
		if im.Note != "" {
			caption = append(caption, mdEscape(im.Note))
		}
		if len(caption) > 0 {
			fmt.Fprintf(w, "%s\n\n", strings.Join(caption, " "))
		}
	}
	if len(p.Attachments) > 0 {
		w.WriteString("## Tệp đính kèm\n\n")
		for _, a := range p.Attachments {
			if a.Path != "" {
				fmt.Fprintf(w, "- %s (bản lưu; địa chỉ gốc: %s)\n", mdLink(a.Name, a.Path), mdEscape(a.URL))
			} else {
				fmt.Fprintf(w, "- %s %s (địa chỉ gốc: %s)\n", mdEscape(a.Name), mdEscape(a.Note), mdEscape(a.URL))
			}
		}
		w.WriteString("\n")
		for _, a := range p.Attachments {
			if a.Text == "" {
				continue
			}
			fmt.Fprintf(w, "### Nội dung tệp %s\n\n", mdEscape(a.Name))
			// Indented: the document's text as read, never markup.
			for line := range strings.SplitSeq(a.Text, "\n") {
				if line = strings.TrimRight(line, " \t"); line != "" {
					line = "    " + line
				}
				fmt.Fprintf(w, "%s\n", line)
			}
			w.WriteString("\n")
		}
	}
	return w.Flush()
}

func markdownIndex(w *bufio.Writer, x *docIndex) error {
	fmt.Fprintf(w, "# Mục lục\n\n- Tạo lúc: %s\n- Công cụ: %s\n- Tiêu chí: %s\n- Số bài: %d\n- Ảnh đã lưu: %d",
		mdEscape(x.Created), mdEscape(x.Tool), mdEscape(x.Selection), len(x.Entries), x.Images)
	if x.Missing > 0 {
		fmt.Fprintf(w, "; ảnh chưa được lưu: %d", x.Missing)
	}
	if x.Files+x.FilesMissing > 0 {
		fmt.Fprintf(w, "\n- Tệp đính kèm đã lưu: %d", x.Files)
		if x.FilesMissing > 0 {
			fmt.Fprintf(w, "; tệp chưa được lưu: %d", x.FilesMissing)
		}
	}
	fmt.Fprintf(w, "\n- Thông tin xuất: [%s](%s)\n\n", x.Meta, x.Meta)
	for i, e := range x.Entries {
		fmt.Fprintf(w, "%d. ", i+1)
		if e.Date != "" {
			fmt.Fprintf(w, "%s — ", mdEscape(e.Date))
		}
		fmt.Fprintf(w, "[%s](%s)", mdEscape(oneLine(e.Title)), e.File)
		if e.Category != "" {
			fmt.Fprintf(w, " · %s", mdEscape(oneLine(e.Category)))
		}
		w.WriteString("\n")
	}
	return w.Flush()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// mdLink is a link to u with text t, or t alone when u cannot be a link
// destination as it is.
func mdLink(t, u string) string {
	if u == "" || strings.ContainsAny(u, " <>\n\r\t") {
		return mdEscape(t)
	}
	return "[" + mdEscape(oneLine(t)) + "](<" + u + ">)"
}

// mdEscape makes text read as itself in Markdown: the characters that
// mark up inline text are backslash-escaped, and so is what would start a
// heading, quote, list or code block at the start of a line; a line break
// inside a paragraph stays one.
func mdEscape(s string) string {
	var b strings.Builder
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteString("\\\n")
		}
		line = strings.TrimLeft(line, " \t") // four spaces would start code
		if line != "" && strings.ContainsRune("#>-+=|~:", rune(line[0])) {
			b.WriteByte('\\')
		} else if n := leadingDigits(line); n > 0 && n < len(line) && (line[n] == '.' || line[n] == ')') {
			b.WriteString(line[:n])
			b.WriteByte('\\')
			line = line[n:]
		}
		for _, r := range line {
			if strings.ContainsRune("\\`*_[]<>&~", r) { // ~ strikes through in GitHub's Markdown
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

func leadingDigits(s string) int {
	n := 0
	for n < len(s) && n < 10 && '0' <= s[n] && s[n] <= '9' {
		n++
	}
	return n
}

// docsTemplates are the html pages. html/template escapes every value
// for where it goes; the pages run no script, and say so to the browser.
const docsTemplates = `
{{- define "head" -}}
<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'">
<style>
body{font:17px/1.6 Georgia,"Times New Roman",serif;color:#222;background:#fdfdfb;max-width:46rem;margin:0 auto;padding:1rem 1.25rem 3rem}
h1{font-size:1.7rem;line-height:1.3;margin:.4rem 0 .8rem}
nav,.crumb,.meta,footer{font:14px/1.5 system-ui,sans-serif;color:#555}
.meta{list-style:none;padding:0;margin:0 0 1.5rem;border-bottom:1px solid #ddd;padding-bottom:.8rem}
a{color:#1a4f8b}
p{text-align:justify}
figure{margin:1.5rem 0;text-align:center}
figure img{max-width:100%;height:auto}
figcaption{font-style:italic;font-size:.95rem;color:#444}
.missing{font-style:normal;color:#a33}
table{border-collapse:collapse;width:100%;font:15px/1.4 system-ui,sans-serif}
td,th{border-bottom:1px solid #e3e3e3;padding:.35rem .4rem;text-align:left;vertical-align:top}
td.date{white-space:nowrap;color:#555}
code{font-size:.85rem;word-break:break-all}
</style>
{{- end -}}

{{- define "page" -}}
{{template "head"}}
<title>{{.Title}}</title>
</head>
<body>
<nav><a href="{{.Index}}">← Mục lục</a></nav>
<article>
{{- if .Breadcrumb}}
<p class="crumb">{{.Breadcrumb}}</p>
{{- end}}
<h1>{{.Title}}</h1>
<ul class="meta">
{{- if .Byline}}
<li>Tác giả: {{.Byline}}</li>
{{- end}}
{{- if .Source}}
<li>Nguồn: {{.Source}}</li>
{{- end}}
{{- if .Date}}
<li>Ngày đăng: <time datetime="{{.Published}}">{{.Date}}</time></li>
{{- end}}
{{- if .Version}}
<li>Phiên bản {{.Version}}</li>
{{- end}}
{{- if eq .Status "deleted"}}
<li>Bài đã bị gỡ khỏi trang gốc</li>
{{- end}}
<li>Bản gốc: <a href="{{.URL}}">{{.URL}}</a></li>
{{- if .Captured}}
<li>Lưu lúc: <time datetime="{{.CapturedRFC3339}}">{{.Captured}}</time></li>
{{- end}}
</ul>
{{- range .Blocks}}
{{- if .Image}}
<figure>
{{- if .Image.Path}}
<img src="{{.Image.Path}}" alt="{{.Image.Caption}}">
{{- end}}
{{- if or .Image.Caption .Image.Note}}
<figcaption>{{.Image.Caption}}{{if .Image.Note}} <span class="missing">{{.Image.Note}}</span>{{end}}</figcaption>
{{- end}}
</figure>
{{- else}}
<p>{{.Text}}</p>
{{- end}}
{{- end}}
{{- if .Attachments}}
<h2>Tệp đính kèm</h2>
<ul>
{{- range .Attachments}}
<li>{{if .Path}}<a href="{{.Path}}">{{.Name}}</a> (bản lưu; địa chỉ gốc: {{.URL}}){{else}}{{.Name}} {{.Note}} (địa chỉ gốc: {{.URL}}){{end}}
{{- if .Text}}<details><summary>Nội dung tệp</summary><pre>{{.Text}}</pre></details>{{end}}</li>
{{- end}}
</ul>
{{- end}}
</article>
</body>
</html>
{{end -}}

{{- define "index" -}}
{{template "head"}}
<title>Mục lục</title>
</head>
<body>
<h1>Mục lục</h1>
<ul class="meta">
<li>Tạo lúc: {{.Created}}</li>
<li>Công cụ: {{.Tool}}</li>
<li>Tiêu chí: {{.Selection}}</li>
<li>Số bài: {{len .Entries}}</li>
<li>Ảnh đã lưu: {{.Images}}{{if .Missing}}; ảnh chưa được lưu: {{.Missing}}{{end}}</li>
{{- if or .Files .FilesMissing}}
<li>Tệp đính kèm đã lưu: {{.Files}}{{if .FilesMissing}}; tệp chưa được lưu: {{.FilesMissing}}{{end}}</li>
{{- end}}
<li>Thông tin xuất: <a href="{{.Meta}}">{{.Meta}}</a></li>
</ul>
<table>
<thead><tr><th>#</th><th>Ngày đăng</th><th>Tiêu đề</th><th>Chuyên mục</th></tr></thead>
<tbody>
{{- range $i, $e := .Entries}}
<tr><td>{{inc $i}}</td><td class="date">{{$e.Date}}</td><td><a href="{{$e.File}}">{{$e.Title}}</a></td><td>{{$e.Category}}</td></tr>
{{- end}}
</tbody>
</table>
</body>
</html>
{{end -}}
`
