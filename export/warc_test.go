package export_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha1"
	"encoding/base32"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	nlwarc "github.com/nlnwa/gowarc/v3"

	"tulieu/crawler"
	"tulieu/export"
	"tulieu/internal/fixturesite"
	"tulieu/store"
	"tulieu/warc"
)

// warcFixture is a data directory made by crawling the fixture site
// four times, with an article edited before the fourth crawl.
type warcFixture struct {
	st *store.Store
	// edited has images and was edited before the fourth crawl: its
	// second version's images are the third crawl's revisits.
	edited *store.Article
	// withAttachments and plain are two more articles, with attachments
	// and without images.
	withAttachments, plain *store.Article
}

// crawlForWARC crawls site into the data directory dir once, as `tulieu
// crawl` does, politeness off.
func crawlForWARC(t *testing.T, dir, site string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	crawlStore(t, st, site, nil)
}

// crawlStore crawls site into st's archive once, politeness off, and
// finishes its WARC file.
func crawlStore(t *testing.T, st *store.Store, site string, log *slog.Logger) {
	t.Helper()
	w, err := warc.NewWriter(st.WARCPath(), warc.WriterOptions{Software: "tulieu-test"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := crawler.New(st, w, log).Run(context.Background(), crawler.Options{Sites: []string{site}, Parallel: 4, Timeout: 10 * time.Second}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// buildWARCFixture crawls the fixture site (with validators) three times,
// so that the later crawls' answers are 304s archived as revisits (the
// third crawl's referring to the second's, which refer to the first
// crawl's responses), then edits an article with images (its images stay)
// and crawls a fourth time: the new version's page is a response of the
// fourth crawl, and its images, as archived nearest before it, are the
// third crawl's revisits.
func buildWARCFixture(t *testing.T) *warcFixture {
	t.Helper()
	site, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	dir := t.TempDir()
	for range 3 {
		crawlForWARC(t, dir, srv.URL+"/")
	}
	var edited, withAttachments, plain *fixturesite.Article
	for _, a := range site.Articles() {
		switch {
		case a.Static:
		case edited == nil && len(a.Expected.Images) > 0:
			edited = &a
		case withAttachments == nil && len(a.Expected.Attachments) > 0 && len(a.Expected.Images) == 0:
			withAttachments = &a
		case plain == nil && len(a.Expected.Images) == 0 && len(a.Expected.Attachments) == 0:
			plain = &a
		}
	}
	if edited == nil || withAttachments == nil || plain == nil {
		t.Fatal("the fixture site needs articles with images, with attachments and with neither")
	}
	changed := *edited
	changed.BodyHTML += "\n<p>Bài viết được bổ sung thông tin sau khi đăng, để kiểm tra việc lưu phiên bản mới.</p>\n"
	site.Add(changed)
	crawlForWARC(t, dir, srv.URL+"/")

	st, err := store.Open(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &warcFixture{st: st}
	for _, x := range []struct {
		dst **store.Article
		a   *fixturesite.Article
	}{{&f.edited, edited}, {&f.withAttachments, withAttachments}, {&f.plain, plain}} {
		if *x.dst, err = st.Article(context.Background(), srv.URL+x.a.Path); err != nil {
			t.Fatalf("%s: %v", x.a.Path, err)
		}
	}
	if f.edited.Versions != 2 {
		t.Fatalf("the edited article has %d versions, want 2", f.edited.Versions)
	}
	return f
}

// selection is the articles the tests export, every version of each.
func (f *warcFixture) selection() export.Selection {
	return export.Selection{IDs: []string{f.edited.ID, f.withAttachments.ID, f.plain.ID}, AllVersions: true}
}

// warcRecord is a record as nlnwa/gowarc reads it.
type warcRecord struct {
	id, typ, target, date, digest      string
	concurrentTo, refersTo, warcinfoID string
	offset, size                       int64
}

// readWARCFile reads every record of a WARC file with nlnwa/gowarc in
// strict validation (syntax, WARC 1.1 rules, block and payload digests),
// failing the test on any finding.
func readWARCFile(t *testing.T, path string) []warcRecord {
	t.Helper()
	r, err := nlwarc.NewWarcFileReader(path, 0, nlwarc.WithStrictValidation())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []warcRecord
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("%s at %d: %v", filepath.Base(path), rec.Offset, err)
		}
		for _, v := range rec.Validation {
			t.Errorf("%s at %d: %v", filepath.Base(path), rec.Offset, v)
		}
		h := rec.WarcRecord.WarcHeader()
		out = append(out, warcRecord{id: rec.WarcRecord.RecordId(), typ: rec.WarcRecord.Type().String(),
			target: h.Get(nlwarc.WarcTargetURI), date: h.Get(nlwarc.WarcDate), digest: h.Get(nlwarc.WarcPayloadDigest),
			concurrentTo: h.GetId(nlwarc.WarcConcurrentTo), refersTo: h.GetId(nlwarc.WarcRefersTo),
			warcinfoID: h.GetId(nlwarc.WarcWarcinfoID), offset: rec.Offset, size: rec.Size})
		rec.Close()
	}
}

// archivedRecord is a record of the archive and the file it is in.
type archivedRecord struct {
	warcRecord
	path string
}

// archivedRecords reads every record of the archive's files.
func archivedRecords(t *testing.T, st *store.Store) map[string]archivedRecord {
	t.Helper()
	files, err := warc.Files(st.WARCPath())
	if err != nil || len(files) == 0 {
		t.Fatalf("archive files: %v %v", files, err)
	}
	out := map[string]archivedRecord{}
	for _, p := range files {
		for _, r := range readWARCFile(t, p) {
			out[r.id] = archivedRecord{r, p}
		}
	}
	return out
}

// expectedWARCRecords is what an export of sel must hold besides its own
// warcinfo, found from the catalog's articles and captures and the
// archive's record headers, not the way the exporter finds it: the
// record of each version's capture and of the capture nearest to it of
// each of its images and attachments; with each response or revisit, the
// request concurrent to it; with each revisit, the record its
// WARC-Refers-To names (and so on, down to a response); with each record,
// the warcinfo of its file. kinds counts the pages, images, attachments
// and revisits met, so that a test can tell it was not vacuous.
func expectedWARCRecords(t *testing.T, f *warcFixture, src map[string]archivedRecord) (want map[string]bool, kinds map[string]int) {
	t.Helper()
	ctx := context.Background()
	requestOf := map[string]string{}
	for id, r := range src {
		if r.typ == "request" && r.concurrentTo != "" {
			requestOf[r.concurrentTo] = id
		}
	}
	want, kinds = map[string]bool{}, map[string]int{}
	var add func(id string)
	add = func(id string) {
		id = strings.Trim(id, "<>") // as nlnwa/gowarc gives ids
		if want[id] {
			if src[id].typ != "warcinfo" {
				kinds["again"]++ // a record two exported things need
			}
			return
		}
		r, ok := src[id]
		if !ok {
			t.Errorf("record %s is not in the archive", id)
			return
		}
		want[id] = true
		if r.warcinfoID != "" {
			add(r.warcinfoID)
		}
		if req := requestOf[id]; req != "" {
			add(req)
		}
		if r.typ == "revisit" {
			kinds["revisit"]++
			if src[strings.Trim(r.refersTo, "<>")].typ == "revisit" {
				kinds["chain"]++ // a revisit of a revisit
			}
			if r.refersTo == "" {
				t.Errorf("revisit %s of %s names no record", id, r.target)
			} else {
				add(r.refersTo)
			}
		}
	}
	lookups := 0
	for _, a := range []*store.Article{f.edited, f.withAttachments, f.plain} {
		versions, err := f.st.Versions(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range versions {
			page, err := f.st.CaptureByID(ctx, v.CaptureID)
			if err != nil {
				t.Fatal(err)
			}
			kinds["page"]++
			add(page.WARCRecordID)
			var urls []string
			for _, im := range v.Images {
				urls = append(urls, im.Src)
				kinds["image"]++
			}
			for _, at := range v.Attachments {
				urls = append(urls, at.URL)
				kinds["attachment"]++
			}
			for _, u := range urls {
				c, err := f.st.CaptureNear(ctx, u, page.FetchedAt)
				if err != nil {
					t.Errorf("%s (of %s) was not archived: %v", u, a.URL, err)
					continue
				}
				lookups++
				add(c.WARCRecordID)
			}
		}
	}
	kinds["lookups"] = lookups
	return want, kinds
}

// exportWARCFormat runs an export of the fixture's selection in format and
// returns the bytes.
func exportWARCFormat(t *testing.T, f *warcFixture, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	n, err := export.Write(context.Background(), &buf, f.selection(), export.Options{Format: format}, f.st, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := f.edited.Versions + f.withAttachments.Versions + f.plain.Versions; n != want {
		t.Fatalf("%d records exported, want %d", n, want)
	}
	return buf.Bytes()
}

// checkExportedWARC checks a WARC stream exported from f: strictly valid;
// its own warcinfo first, with a right block digest; then exactly the
// records expectedWARCRecords names, each once, byte for byte as archived,
// each after the records it refers to.
func checkExportedWARC(t *testing.T, f *warcFixture, data []byte, format string) []warcRecord {
	t.Helper()
	path := filepath.Join(t.TempDir(), "export.warc.gz")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	n, findings, err := warc.Check(path)
	if err != nil || len(findings) > 0 {
		t.Fatalf("warc.Check: %v %v", findings, err)
	}
	got := readWARCFile(t, path)
	if len(got) != n {
		t.Fatalf("warc.Check read %d records, the reader %d", n, len(got))
	}
	// The sizes the reader gives are those of the gzip members: they
	// tile the file.
	var end int64
	for _, r := range got {
		if r.offset != end {
			t.Fatalf("record %s at %d, want %d", r.id, r.offset, end)
		}
		end += r.size
	}
	if end != int64(len(data)) {
		t.Fatalf("the records end at %d, the file at %d", end, len(data))
	}

	checkExportInfo(t, data[:got[0].size], got[0], f, format)

	src := archivedRecords(t, f.st)
	want, kinds := expectedWARCRecords(t, f, src)
	// (A revisit of a revisit, "chain", is in archives of an older
	// tulieu only: a revisit now refers to the record holding the
	// payload. The export follows such chains all the same.)
	for _, k := range []string{"page", "image", "attachment", "revisit", "again"} {
		if kinds[k] == 0 {
			t.Fatalf("the selection has no %s: the test proves nothing (%v)", k, kinds)
		}
	}
	pos := map[string]int{}
	files := map[string][]byte{}
	for i, r := range got[1:] {
		if _, dup := pos[r.id]; dup {
			t.Errorf("record %s (%s %s) exported twice", r.id, r.typ, r.target)
		}
		pos[r.id] = i
		s, ok := src[r.id]
		if !ok {
			t.Errorf("exported record %s (%s %s) is not in the archive", r.id, r.typ, r.target)
			continue
		}
		if !want[r.id] {
			t.Errorf("exported record %s (%s %s) was not asked for", r.id, r.typ, r.target)
		}
		if files[s.path] == nil {
			b, err := os.ReadFile(s.path)
			if err != nil {
				t.Fatal(err)
			}
			files[s.path] = b
		}
		if s.size != r.size || !bytes.Equal(files[s.path][s.offset:s.offset+s.size], data[r.offset:r.offset+r.size]) {
			t.Errorf("record %s (%s %s) differs from the archive's", r.id, r.typ, r.target)
		}
	}
	for id := range want {
		if _, ok := pos[id]; !ok {
			s := src[id]
			t.Errorf("record %s (%s %s) is missing from the export", id, s.typ, s.target)
		}
	}
	// Each record comes after what it refers to: its file's warcinfo,
	// the record a revisit stands for, the response a request goes with.
	for _, r := range got[1:] {
		for _, ref := range []string{r.warcinfoID, r.refersTo, r.concurrentTo} {
			if ref != "" && pos[ref] >= pos[r.id] {
				t.Errorf("%s record %s comes before %s, which it refers to", r.typ, r.id, ref)
			}
		}
		if r.typ == "revisit" {
			found := false
			for _, o := range got {
				found = found || (o.typ == "response" && o.target == r.target && o.digest == r.digest)
			}
			if !found {
				t.Errorf("revisit %s of %s comes without a response with its payload %s", r.id, r.target, r.digest)
			}
		}
	}
	t.Logf("%d records exported (%v)", len(got), kinds)
	return got
}

// checkExportInfo checks the export's own warcinfo record: its fields say
// what was exported, and its block digest, computed here from the bytes,
// is the one in its header.
func checkExportInfo(t *testing.T, member []byte, r warcRecord, f *warcFixture, format string) {
	t.Helper()
	if r.typ != "warcinfo" {
		t.Fatalf("the first record is a %s, want warcinfo", r.typ)
	}
	zr, err := gzip.NewReader(bytes.NewReader(member))
	if err != nil {
		t.Fatal(err)
	}
	zr.Multistream(false)
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(raw)))
	if v, _ := tp.ReadLine(); v != "WARC/1.1" {
		t.Errorf("version line %q", v)
	}
	h, err := tp.ReadMIMEHeader()
	if err != nil {
		t.Fatal(err)
	}
	length, _ := strconv.Atoi(h.Get("Content-Length"))
	headEnd := bytes.Index(raw, []byte("\r\n\r\n")) + 4
	block := raw[headEnd : headEnd+length]
	if !bytes.Equal(raw[headEnd+length:], []byte("\r\n\r\n")) {
		t.Errorf("the record does not end right after its block")
	}
	sum := sha1.Sum(block)
	if d := "sha1:" + base32.StdEncoding.EncodeToString(sum[:]); h.Get("WARC-Block-Digest") != d {
		t.Errorf("WARC-Block-Digest %q, the block's is %q", h.Get("WARC-Block-Digest"), d)
	}
	if h.Get("Content-Type") != "application/warc-fields" {
		t.Errorf("Content-Type %q", h.Get("Content-Type"))
	}
	sel, _ := json.Marshal(f.selection())
	for _, line := range []string{"software: " + export.Tool(), "format: WARC File Format 1.1", "export-format: " + format,
		"export-selection: " + string(sel), "export-tool: " + export.Tool()} {
		if !bytes.Contains(block, []byte(line+"\r\n")) {
			t.Errorf("the warcinfo has no line %q:\n%s", line, block)
		}
	}
	if !strings.Contains(string(block), "export-created: ") {
		t.Errorf("the warcinfo does not say when the export was made:\n%s", block)
	}
}

// TestWARCExport exports articles of a crawled archive, with every
// version, as a WARC stream and reads it back with nlnwa/gowarc: see
// checkExportedWARC.
func TestWARCExport(t *testing.T) {
	f := buildWARCFixture(t)
	checkExportedWARC(t, f, exportWARCFormat(t, f, "warc"), "warc")
}
