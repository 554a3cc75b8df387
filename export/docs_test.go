package export_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"tulieu/export"
	"tulieu/store"
)

// docsZipFiles reads every file of a zip into memory (the test's zips are small).
func docsZipFiles(t *testing.T, b []byte) (names []string, files map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	files = map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if _, dup := files[f.Name]; dup {
			t.Errorf("%s is in the zip twice", f.Name)
		}
		names = append(names, f.Name)
		files[f.Name] = data
	}
	return names, files
}

// docsRecords are the records an export of everything writes, in
// its order, as jsonl has them.
func docsRecords(t *testing.T, st *store.Store) []export.Record {
	t.Helper()
	var buf bytes.Buffer
	if _, err := export.Write(context.Background(), &buf, export.Selection{}, export.Options{Format: "jsonl"}, st, nil); err != nil {
		t.Fatal(err)
	}
	var out []export.Record
	sc := bufio.NewScanner(&buf)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var r export.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// docsArchivedBytes are the bytes the archive holds for url.
func docsArchivedBytes(t *testing.T, st *store.Store, url string) []byte {
	t.Helper()
	ctx := context.Background()
	c, err := st.CaptureNear(ctx, url, time.Time{})
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	body, _, err := st.OpenCapture(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer body.Close()
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type docsMeta struct {
	export.Meta
	Records       int `json:"records"`
	Images        int `json:"images"`
	ImagesMissing int `json:"images_missing"`
	Files         int `json:"files"`
}

// docsCheckZip checks what md and html zips share: one page per record,
// the index, the meta, the images, each image once; it returns the files
// and the meta.
func docsCheckZip(t *testing.T, b []byte, ext string, n int) (map[string][]byte, []string, docsMeta) {
	t.Helper()
	names, files := docsZipFiles(t, b)
	var pages, images, docs []string
	seen := map[[32]byte]string{}
	for _, name := range names {
		switch {
		case name == "index"+ext || name == "tulieu-export.json":
		case strings.HasPrefix(name, "files/") && !strings.Contains(name[len("files/"):], "/"):
			// The attached documents, each page linking its own.
			docs = append(docs, name)
			if !bytes.HasPrefix(files[name], []byte("%PDF")) {
				t.Errorf("%s is not the archived PDF: %.40q", name, files[name])
			}
		case strings.HasPrefix(name, "images/") && !strings.Contains(name[len("images/"):], "/"):
			images = append(images, name)
			sum := sha256.Sum256(files[name])
			if other, ok := seen[sum]; ok {
				t.Errorf("%s and %s hold the same bytes", name, other)
			}
			seen[sum] = name
		case strings.HasSuffix(name, ext) && !strings.Contains(name, "/"):
			pages = append(pages, name)
		default:
			t.Errorf("unexpected file %s", name)
		}
	}
	if len(pages) != n || len(names) != n+2+len(images)+len(docs) || len(docs) == 0 {
		t.Errorf("%d files: %d pages for %d records, %d images, %d documents", len(names), len(pages), n, len(images), len(docs))
	}
	for _, doc := range docs {
		linked := false
		for _, p := range pages {
			linked = linked || bytes.Contains(files[p], []byte(doc))
		}
		if !linked {
			t.Errorf("no page links %s", doc)
		}
	}
	var meta docsMeta
	if err := json.Unmarshal(files["tulieu-export.json"], &meta); err != nil {
		t.Fatalf("tulieu-export.json: %v", err)
	}
	if meta.Format != strings.TrimPrefix(ext, ".") || meta.Records != n || meta.Images != len(images) || meta.Files != len(docs) ||
		meta.ImagesMissing < 1 || !strings.HasPrefix(meta.Tool, "tulieu ") || meta.Created.IsZero() {
		t.Errorf("meta %+v (%d images in the zip)", meta, len(images))
	}
	return files, pages, meta
}

func TestHTMLDocs(t *testing.T) {
	st, siteURL := formatsStore(t)
	recs := docsRecords(t, st)
	var buf bytes.Buffer
	n, err := export.Write(context.Background(), &buf, export.Selection{}, export.Options{Format: "html"}, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(recs) || export.Ext("html") != "html.zip" || export.ContentType("html") != "application/zip" {
		t.Fatalf("%d records, jsonl has %d", n, len(recs))
	}
	files, _, _ := docsCheckZip(t, buf.Bytes(), ".html", n)

	// The index links every page, in the export's order.
	index := docsParseHTML(t, files["index.html"])
	var linked []string
	for _, a := range docsFindAll(index, "a") {
		if h := docsAttr(a, "href"); strings.HasSuffix(h, ".html") {
			linked = append(linked, h)
		}
	}
	if len(linked) != n {
		t.Fatalf("index links %d pages, want %d", len(linked), n)
	}
	sharedPaths := map[string]bool{}
	for i, name := range linked {
		data, ok := files[name]
		if !ok {
			t.Fatalf("index links %s, not in the zip", name)
		}
		r := recs[i]
		doc := docsParseHTML(t, data)
		if s := docsFindAll(doc, "script"); len(s) > 0 {
			t.Errorf("%s has a script", name)
		}
		for _, el := range docsFindAll(doc, "") {
			for _, a := range el.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") {
					t.Errorf("%s: <%s %s>", name, el.Data, a.Key)
				}
			}
		}
		if got := docsText(docsFindAll(doc, "title")[0]); got != r.Title {
			t.Errorf("%s: title %q, want %q (record %d)", name, got, r.Title, i)
		}
		if got := docsText(docsFindAll(doc, "h1")[0]); got != r.Title {
			t.Errorf("%s: heading %q", name, got)
		}
		// Every paragraph of the body is on the page, as text.
		shown := map[string]bool{}
		for _, p := range docsFindAll(doc, "p") {
			shown[docsText(p)] = true
		}
		for _, f := range docsFindAll(doc, "figcaption") {
			shown[docsText(f)] = true
		}
		for para := range strings.SplitSeq(r.Body, "\n\n") {
			if para = strings.Join(strings.Fields(para), " "); para != "" && !shown[para] && !docsCaptionShown(shown, para) {
				t.Errorf("%s: paragraph %.60q missing", name, para)
			}
		}
		if !strings.Contains(string(data), r.URL) {
			t.Errorf("%s does not name its source %s", name, r.URL)
		}
		// Images come from the zip, never from the site.
		for _, img := range docsFindAll(doc, "img") {
			src := docsAttr(img, "src")
			if !strings.HasPrefix(src, "images/") || files[src] == nil {
				t.Errorf("%s: <img src=%q> is not a file of the zip", name, src)
			}
			for _, im := range r.Images {
				if im.Src == siteURL+sharedImage {
					sharedPaths[src] = true
				}
			}
		}
		if strings.Contains(r.Body, "Ảnh dùng chung") {
			// The image shared with another article and the one never
			// archived.
			if !strings.Contains(docsText(doc), "Ảnh không được lưu. (ảnh chưa được lưu)") {
				t.Errorf("%s: the missing image is not noted", name)
			}
			if imgs := docsFindAll(doc, "img"); len(imgs) != 1 {
				t.Errorf("%s: %d images, want the archived one only", name, len(imgs))
			} else if src := docsAttr(imgs[0], "src"); !bytes.Equal(files[src], docsArchivedBytes(t, st, siteURL+sharedImage)) {
				t.Errorf("%s: %s is not the archived image", name, src)
			}
			if !strings.Contains(docsText(doc), "<b>không đậm</b>") {
				t.Errorf("%s: markup in the text was not kept as text", name)
			}
		}
	}
	if len(sharedPaths) != 1 {
		t.Errorf("the shared image is stored as %v, want one file", sharedPaths)
	}
}

// docsCaptionShown: an image whose caption is a paragraph shows it in a
// figcaption, perhaps with the not-archived note.
func docsCaptionShown(shown map[string]bool, para string) bool {
	for s := range shown {
		if strings.HasPrefix(s, para+" (ảnh chưa") {
			return true
		}
	}
	return false
}

func TestMDDocs(t *testing.T) {
	st, siteURL := formatsStore(t)
	recs := docsRecords(t, st)
	var buf bytes.Buffer
	n, err := export.Write(context.Background(), &buf, export.Selection{}, export.Options{Format: "md"}, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	files, _, _ := docsCheckZip(t, buf.Bytes(), ".md", n)
	link := regexp.MustCompile(`\]\(([^)<>]+\.md)\)`)
	var linked []string
	for _, m := range link.FindAllStringSubmatch(string(files["index.md"]), -1) {
		linked = append(linked, m[1])
	}
	if len(linked) != n {
		t.Fatalf("index.md links %d pages, want %d", len(linked), n)
	}
	image := regexp.MustCompile(`!\[[^\n]*\]\(([^)]+)\)`)
	for i, name := range linked {
		page := string(files[name])
		r := recs[i]
		// The front matter's strings are JSON (and so YAML).
		var title string
		if _, line, ok := strings.Cut(page, "\ntitle: "); !ok || json.Unmarshal([]byte(line[:strings.IndexByte(line, '\n')]), &title) != nil || title != r.Title {
			t.Errorf("%s: front matter title %q, want %q", name, title, r.Title)
		}
		// The heading is the title, escaped: unescaped, it reads the same.
		_, h, _ := strings.Cut(page, "\n# ")
		h = h[:strings.IndexByte(h, '\n')]
		if got := docsUnescapeMD(h); got != r.Title {
			t.Errorf("%s: heading %q reads %q, want %q", name, h, got, r.Title)
		}
		for _, m := range image.FindAllStringSubmatch(page, -1) {
			if files[m[1]] == nil || strings.Contains(m[1], "://") {
				t.Errorf("%s: image %s is not in the zip", name, m[1])
			}
		}
		if r.Title == trickyTitle {
			if !strings.Contains(page, "\n*Ảnh không được lưu.* (ảnh chưa được lưu)\n") {
				t.Errorf("%s: the missing image is not noted:\n%s", name, page)
			}
			if !strings.Contains(page, `\<b\>không đậm\</b\>, \*không nghiêng\*, \[không phải liên kết\](x) \& =SUM(A1).`) {
				t.Errorf("%s: the markup in the text is not escaped:\n%s", name, page)
			}
			ms := image.FindAllStringSubmatch(page, -1)
			if len(ms) != 1 || !bytes.Equal(files[ms[0][1]], docsArchivedBytes(t, st, siteURL+sharedImage)) {
				t.Errorf("%s: images %q, want the archived shared one", name, ms)
			}
		}
	}
}

// docsUnescapeMD drops the backslash of each Markdown escape.
func docsUnescapeMD(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\\`*_[]<>&#>-+=|~:.)", s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func docsParseHTML(t *testing.T, b []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// docsFindAll are the elements named tag under n ("" for all).
func docsFindAll(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && (tag == "" || d.Data == tag) {
			out = append(out, d)
		}
	}
	return out
}

func docsAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// docsText is n's text, spaces collapsed.
func docsText(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode && (d.Parent == nil || d.Parent.Data != "style") {
			b.WriteString(d.Data)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
