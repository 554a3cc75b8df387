package export_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	nlwarc "github.com/nlnwa/gowarc/v3"

	"tulieu/export"
	"tulieu/store"
	"tulieu/warc"
)

// TestWACZExport exports the same articles as TestWARCExport as a WACZ
// and opens it as a replay tool does: the zip's entries; datapackage.json
// with the size and SHA-256 of every other file, and the digest file with
// that of datapackage.json; archive/data.warc.gz stored uncompressed and
// passing the WARC export's checks; every CDXJ line pointing at a record
// of it with its URL and time, and the index equal to the one IndexFile
// makes of it; pages.jsonl with its header and one page per record.
func TestWACZExport(t *testing.T) {
	f := buildWARCFixture(t)
	data := exportWARCFormat(t, f, "wacz")
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	var names []string
	for _, zf := range zr.File {
		names = append(names, zf.Name)
		if strings.HasPrefix(zf.Name, "archive/") && zf.Method != zip.Store {
			t.Errorf("%s is compressed in the zip (method %d): a replay tool cannot read its records by offset", zf.Name, zf.Method)
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc) // checks the CRC-32 too
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", zf.Name, err)
		}
		files[zf.Name] = b
	}
	wantNames := []string{"archive/data.warc.gz", "indexes/index.cdxj", "pages/pages.jsonl", "datapackage.json", "datapackage-digest.json"}
	if !slices.Equal(names, wantNames) {
		t.Fatalf("entries %q, want %q", names, wantNames)
	}

	// datapackage.json and its digest.
	var pkg struct {
		Profile     string `json:"profile"`
		WACZVersion string `json:"wacz_version"`
		Title       string `json:"title"`
		Created     string `json:"created"`
		Software    string `json:"software"`
		Resources   []struct {
			Name, Path, Hash string
			Bytes            int64
		} `json:"resources"`
	}
	if err := json.Unmarshal(files["datapackage.json"], &pkg); err != nil {
		t.Fatal(err)
	}
	if pkg.Profile != "data-package" || pkg.WACZVersion != "1.1.1" || pkg.Title == "" || pkg.Software != export.Tool() {
		t.Errorf("datapackage.json: %+v", pkg)
	}
	if _, err := time.Parse(time.RFC3339, pkg.Created); err != nil {
		t.Errorf("created %q: %v", pkg.Created, err)
	}
	described := map[string]bool{}
	for _, r := range pkg.Resources {
		described[r.Path] = true
		b, ok := files[r.Path]
		if !ok {
			t.Errorf("resource %s is not in the zip", r.Path)
			continue
		}
		if r.Name != filepath.Base(r.Path) {
			t.Errorf("resource %s is named %q", r.Path, r.Name)
		}
		if r.Hash != sha256Of(b) || r.Bytes != int64(len(b)) {
			t.Errorf("resource %s: %s, %d bytes in datapackage.json; the file's are %s, %d bytes", r.Path, r.Hash, r.Bytes, sha256Of(b), len(b))
		}
	}
	for _, n := range wantNames[:3] {
		if !described[n] {
			t.Errorf("%s is not among the resources of datapackage.json", n)
		}
	}
	var digest map[string]any
	if err := json.Unmarshal(files["datapackage-digest.json"], &digest); err != nil {
		t.Fatal(err)
	}
	if len(digest) != 2 || digest["path"] != "datapackage.json" || digest["hash"] != sha256Of(files["datapackage.json"]) {
		t.Errorf("datapackage-digest.json: %v, want the path and hash %s of datapackage.json", digest, sha256Of(files["datapackage.json"]))
	}

	// The WARC: what the warc format writes, records and all.
	warcData := files["archive/data.warc.gz"]
	got := checkExportedWARC(t, f, warcData, "wacz")
	plain := readWARCBytes(t, exportWARCFormat(t, f, "warc"))
	if len(plain) != len(got) {
		t.Errorf("the WACZ has %d WARC records, the warc format %d", len(got), len(plain))
	}
	for i := 1; i < min(len(plain), len(got)); i++ {
		if plain[i].id != got[i].id {
			t.Errorf("record %d: %s in the WACZ, %s in the warc format", i, got[i].id, plain[i].id)
		}
	}

	// The index: a line per response and revisit, each pointing at its
	// record, and the very lines the archive's indexer makes of the file.
	index := files["indexes/index.cdxj"]
	lines := strings.Split(strings.TrimSuffix(string(index), "\n"), "\n")
	if !slices.IsSorted(lines) {
		t.Errorf("the index is not sorted:\n%s", index)
	}
	records := 0
	for _, r := range got {
		if r.typ == "response" || r.typ == "revisit" {
			records++
		}
	}
	if len(lines) != records {
		t.Errorf("%d index lines for %d responses and revisits", len(lines), records)
	}
	for _, l := range lines {
		checkCDXJLine(t, l, warcData)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "data.warc.gz")
	if err := os.WriteFile(path, warcData, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := warc.IndexFile(path); err != nil {
		t.Fatal(err)
	}
	if own, err := os.ReadFile(path + warc.CDXJSuffix); err != nil || !bytes.Equal(own, index) {
		t.Errorf("the index differs from IndexFile's (%v):\n%s\nIndexFile:\n%s", err, index, own)
	}

	// The pages: the header, then a page per exported record.
	pages := strings.Split(strings.TrimSuffix(string(files["pages/pages.jsonl"]), "\n"), "\n")
	var header map[string]any
	if err := json.Unmarshal([]byte(pages[0]), &header); err != nil {
		t.Fatal(err)
	}
	if header["format"] != "json-pages-1.0" || header["id"] != "pages" || header["title"] == "" {
		t.Errorf("pages.jsonl header: %s", pages[0])
	}
	want := f.edited.Versions + f.withAttachments.Versions + f.plain.Versions
	if len(pages)-1 != want {
		t.Fatalf("pages.jsonl has %d pages, want %d", len(pages)-1, want)
	}
	ids := map[string]bool{}
	for _, l := range pages[1:] {
		var p struct{ ID, URL, TS, Title string }
		if err := json.Unmarshal([]byte(l), &p); err != nil {
			t.Fatal(err)
		}
		ts, err := time.Parse(time.RFC3339, p.TS)
		if err != nil || p.URL == "" || p.Title == "" || p.ID == "" || ids[p.ID] {
			t.Errorf("page %s (%v)", l, err)
		}
		ids[p.ID] = true
		// A replay tool opens the page at the index's capture of its URL
		// at that time.
		key := warc.SURT(p.URL) + " " + ts.UTC().Format("20060102150405") + " "
		if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, key) }) {
			t.Errorf("page %s is not in the index", l)
		}
	}
}

// checkCDXJLine checks that an index line points at a response or revisit
// record of data with the line's URL, key and time.
func checkCDXJLine(t *testing.T, line string, data []byte) {
	t.Helper()
	key, rest, _ := strings.Cut(line, " ")
	ts, js, _ := strings.Cut(rest, " ")
	var e struct{ URL, Offset, Length, Filename, Mime, Status string }
	if err := json.Unmarshal([]byte(js), &e); err != nil {
		t.Errorf("%s: %v", line, err)
		return
	}
	off, err1 := strconv.ParseInt(e.Offset, 10, 64)
	n, err2 := strconv.ParseInt(e.Length, 10, 64)
	if err1 != nil || err2 != nil || off < 0 || n <= 0 || off+n > int64(len(data)) {
		t.Errorf("%s: offset and length outside the WARC (%d bytes)", line, len(data))
		return
	}
	if e.Filename != "data.warc.gz" || key != warc.SURT(e.URL) {
		t.Errorf("%s: filename or key wrong", line)
	}
	// The bytes at offset, length are one whole record on their own.
	recs := readWARCBytes(t, data[off:off+n])
	if len(recs) != 1 {
		t.Errorf("%s: %d records at that place", line, len(recs))
		return
	}
	r := recs[0]
	date, _ := time.Parse(time.RFC3339Nano, r.date)
	if (r.typ != "response" && r.typ != "revisit") || r.target != e.URL || date.UTC().Format("20060102150405") != ts {
		t.Errorf("%s: the record there is the %s of %s at %s", line, r.typ, r.target, r.date)
	}
	if (r.typ == "revisit") != (e.Mime == "warc/revisit") || e.Status == "" {
		t.Errorf("%s: mime or status wrong for a %s", line, r.typ)
	}
}

// readWARCBytes reads WARC records from memory with nlnwa/gowarc,
// strictly.
func readWARCBytes(t *testing.T, data []byte) []warcRecord {
	t.Helper()
	r, err := nlwarc.NewWarcFileReaderFromStream(bufio.NewReader(bytes.NewReader(data)), 0, nlwarc.WithStrictValidation())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []warcRecord
	for rec, err := range r.Records() {
		if err != nil {
			t.Errorf("%v", err)
			break
		}
		for _, v := range rec.Validation {
			t.Errorf("at %d: %v", rec.Offset, v)
		}
		h := rec.WarcRecord.WarcHeader()
		out = append(out, warcRecord{id: rec.WarcRecord.RecordId(), typ: rec.WarcRecord.Type().String(),
			target: h.Get(nlwarc.WarcTargetURI), date: h.Get(nlwarc.WarcDate), offset: rec.Offset, size: rec.Size})
		rec.Close()
	}
	return out
}

func sha256Of(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// failingCatalog fails when asked for the articles, after the export
// has been opened.
type failingCatalog struct{ *store.Store }

func (failingCatalog) EachArticle(context.Context, store.Filter, func(*store.Article) error) error {
	return errors.New("the catalog failed")
}

// A WACZ export abandoned without Close, as a failed export is, leaves no
// temporary file behind.
func TestWACZAbandonedLeavesNoFile(t *testing.T) {
	st, err := store.Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	if _, err := export.Write(context.Background(), io.Discard, export.Selection{}, export.Options{Format: "wacz"}, failingCatalog{st}, nil); err == nil {
		t.Fatal("the export succeeded")
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

// Every entry of a WACZ carries the export's time, the WARC written
// raw included (its MS-DOS date was 0: "1980-00-00" in unzip -l).
func TestWACZEntriesHaveTheirTime(t *testing.T) {
	f := buildWARCFixture(t)
	data := exportWARCFormat(t, f, "wacz")
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if zf.ModifiedDate == 0 || zf.Modified.Year() < 2000 {
			t.Errorf("%s: MS-DOS date %d, Modified %v", zf.Name, zf.ModifiedDate, zf.Modified)
		}
	}
}
