package export

import (
	"archive/zip"
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"tulieu/warc"
)

// The wacz format: WACZ 1.1.1 (https://specs.webrecorder.net/wacz/1.1.1/),
// the package ReplayWeb.page opens. The zip holds archive/data.warc.gz (the
// warc format's stream), indexes/index.cdxj (its response and revisit
// records, as IndexFile indexes the archive's files), pages/pages.jsonl
// (one entry per record exported), datapackage.json (every other file
// with its size and SHA-256) and datapackage-digest.json (the hash of
// datapackage.json; not signed).
//
// A zip entry's size and checksum come before its bytes in a zip that is
// streamed, and the manifest needs the WARC's hash, so the WARC and the
// pages are spooled to temporary files as they are written and copied
// into the zip at Close. The index lines are kept in memory (a few hundred
// bytes per response, sorted at the end).

const (
	waczVersion  = "1.1.1"
	waczWARCName = "data.warc.gz"
	waczWARCPath = "archive/" + waczWARCName
	waczIndex    = "indexes/index.cdxj"
	waczPages    = "pages/pages.jsonl"
)

// waczWriter is the wacz format.
type waczWriter struct {
	out      io.Writer
	m        *Meta
	warcData *spool
	pages    *spool
	pagesEnc *json.Encoder
	c        *warcCopier
	cdxj     []string
}

// waczPage is a line of pages.jsonl.
type waczPage struct {
	ID    string `json:"id"`
	URL   string `json:"url"`
	TS    string `json:"ts"`
	Title string `json:"title"`
}

func newWACZ(w io.Writer, m *Meta, a Archive) (_ Writer, err error) {
	z := &waczWriter{out: w, m: m}
	defer func() {
		if err != nil {
			z.release()
		}
	}()
	if z.warcData, err = newSpool("tulieu-wacz-*.warc.gz"); err != nil {
		return nil, err
	}
	if z.pages, err = newSpool("tulieu-wacz-*.jsonl"); err != nil {
		return nil, err
	}
	z.pagesEnc = json.NewEncoder(z.pages)
	z.pagesEnc.SetEscapeHTML(false)
	header := struct {
		Format string `json:"format"`
		ID     string `json:"id"`
		Title  string `json:"title"`
	}{"json-pages-1.0", "pages", "All Pages"}
	if err := z.pagesEnc.Encode(header); err != nil {
		return nil, err
	}
	if z.c, err = newWARCCopier(z.warcData, m, a, waczWARCName); err != nil {
		return nil, err
	}
	z.c.index = func(r warc.CDXJRecord) { z.cdxj = append(z.cdxj, r.Line()) }
	return z, nil
}

func (z *waczWriter) Write(ctx context.Context, r *Record) error {
	if err := z.c.record(ctx, r); err != nil {
		return err
	}
	// The page is the URL as it was fetched (what the index has), at the
	// time of the capture the record's content comes from.
	p := waczPage{ID: r.ID, URL: r.URL, TS: r.CapturedAt, Title: r.Title}
	if r.Capture != nil {
		p.URL = r.Capture.URL
	}
	if p.TS == "" {
		p.TS = r.LastSeen
	}
	if r.Version != 0 {
		p.ID = fmt.Sprintf("%s-v%d", r.ID, r.Version) // each version its own page
	}
	return z.pagesEnc.Encode(p)
}

// waczResource is an entry of datapackage.json's resources.
type waczResource struct {
	Name  string `json:"name"`
	Path  string `json:"path"`
	Hash  string `json:"hash"`
	Bytes int64  `json:"bytes"`
}

func (z *waczWriter) Close() error {
	defer z.release()
	if err := z.c.close(); err != nil {
		return err
	}
	zw := zip.NewWriter(z.out)
	var resources []waczResource
	// The WARC is stored as it is, so that a reader can fetch a record by
	// its offset with a range request; its size and CRC are known, so the
	// local header carries them (no data descriptor).
	if err := z.warcData.finish(); err != nil {
		return err
	}
	date, clock := msDosTime(z.m.Created)
	fw, err := zw.CreateRaw(&zip.FileHeader{Name: waczWARCPath, Method: zip.Store, Modified: z.m.Created,
		ModifiedDate: date, ModifiedTime: clock,
		CRC32: z.warcData.crc.Sum32(), CompressedSize64: uint64(z.warcData.n), UncompressedSize64: uint64(z.warcData.n)})
	if err != nil {
		return err
	}
	if err := z.warcData.copyTo(fw); err != nil {
		return err
	}
	resources = append(resources, waczResource{waczWARCName, waczWARCPath, z.warcData.hash(), z.warcData.n})

	// Sorted as IndexFile sorts: by whole line, so by SURT key and then
	// time.
	slices.Sort(z.cdxj)
	var index strings.Builder
	for _, l := range z.cdxj {
		index.WriteString(l)
		index.WriteByte('\n')
	}
	z.cdxj = nil
	res, err := writeSmall(zw, waczIndex, []byte(index.String()), z.m)
	if err != nil {
		return err
	}
	resources = append(resources, res)

	if err := z.pages.finish(); err != nil {
		return err
	}
	fw, err = zw.CreateHeader(&zip.FileHeader{Name: waczPages, Method: zip.Deflate, Modified: z.m.Created})
	if err != nil {
		return err
	}
	if err := z.pages.copyTo(fw); err != nil {
		return err
	}
	resources = append(resources, waczResource{"pages.jsonl", waczPages, z.pages.hash(), z.pages.n})

	pkg, err := json.MarshalIndent(z.datapackage(resources), "", "  ")
	if err != nil {
		return err
	}
	pkgRes, err := writeSmall(zw, "datapackage.json", pkg, z.m)
	if err != nil {
		return err
	}
	digest, err := json.MarshalIndent(struct {
		Path string `json:"path"`
		Hash string `json:"hash"`
	}{pkgRes.Path, pkgRes.Hash}, "", "  ")
	if err != nil {
		return err
	}
	if _, err := writeSmall(zw, "datapackage-digest.json", digest, z.m); err != nil {
		return err
	}
	return zw.Close()
}

// waczPackage is datapackage.json.
type waczPackage struct {
	Profile     string         `json:"profile"`
	WACZVersion string         `json:"wacz_version"`
	Title       string         `json:"title"`
	Description string         `json:"description"`
	Created     string         `json:"created"`
	Modified    string         `json:"modified"`
	Software    string         `json:"software"`
	Selection   Selection      `json:"tulieu_selection"` // a custom property, as the spec allows
	Resources   []waczResource `json:"resources"`
}

func (z *waczWriter) datapackage(resources []waczResource) waczPackage {
	created := z.m.Created.UTC().Format(time.RFC3339)
	sel, _ := json.Marshal(z.m.Selection)
	return waczPackage{
		Profile: "data-package", WACZVersion: waczVersion,
		Title: "tulieu export " + z.m.Created.UTC().Format("2006-01-02"),
		Description: "Articles archived by tulieu, with the images and attachments archived with them, " +
			"as the crawler recorded them. Selection: `" + string(sel) + "`.",
		Created: created, Modified: created, Software: z.m.Tool, Selection: z.m.Selection, Resources: resources,
	}
}

// writeSmall writes a file held in memory to the zip, deflated, and
// returns its resource entry.
func writeSmall(zw *zip.Writer, path string, data []byte, m *Meta) (waczResource, error) {
	fw, err := zw.CreateHeader(&zip.FileHeader{Name: path, Method: zip.Deflate, Modified: m.Created})
	if err != nil {
		return waczResource{}, err
	}
	if _, err := fw.Write(data); err != nil {
		return waczResource{}, err
	}
	sum := sha256.Sum256(data)
	name := path[strings.LastIndexByte(path, '/')+1:]
	return waczResource{name, path, "sha256:" + hex.EncodeToString(sum[:]), int64(len(data))}, nil
}

// release removes the temporary files.
func (z *waczWriter) release() {
	if z.c != nil {
		z.c.close()
	}
	for _, s := range []*spool{z.warcData, z.pages} {
		if s != nil {
			s.close()
		}
	}
}

// spool is a temporary file that hashes what is written to it (SHA-256
// for the manifest, CRC-32 for the zip) and counts it.
type spool struct {
	f    *os.File
	name string // the path still to remove at close, "" once removed
	bw   *bufio.Writer
	sha  hash.Hash
	crc  hash.Hash32
	n    int64
}

func newSpool(pattern string) (*spool, error) {
	f, err := os.CreateTemp("", pattern)
	if err != nil {
		return nil, fmt.Errorf("export: temporary file: %w", err)
	}
	s := &spool{f: f, name: f.Name(), bw: bufio.NewWriterSize(f, 256<<10), sha: sha256.New(), crc: crc32.NewIEEE()}
	// Where the system allows it the file loses its name at once and lives
	// on as long as it is open: an export that fails is abandoned without
	// Close, and must leave nothing behind.
	if os.Remove(f.Name()) == nil {
		s.name = ""
	}
	return s, nil
}

func (s *spool) Write(p []byte) (int, error) {
	n, err := s.bw.Write(p)
	s.sha.Write(p[:n])
	s.crc.Write(p[:n])
	s.n += int64(n)
	return n, err
}

// finish flushes what is buffered and rewinds the file for reading.
func (s *spool) finish() error {
	if err := s.bw.Flush(); err != nil {
		return err
	}
	_, err := s.f.Seek(0, io.SeekStart)
	return err
}

func (s *spool) copyTo(w io.Writer) error {
	n, err := io.Copy(w, s.f)
	if err != nil {
		return err
	}
	if n != s.n {
		return fmt.Errorf("export: temporary file: read back %d of %d bytes", n, s.n)
	}
	return nil
}

func (s *spool) hash() string { return "sha256:" + hex.EncodeToString(s.sha.Sum(nil)) }

func (s *spool) close() {
	s.f.Close()
	if s.name != "" {
		os.Remove(s.name)
		s.name = ""
	}
}

// msDosTime is t in the MS-DOS date and time fields of a zip header,
// which CreateHeader fills from Modified and CreateRaw leaves as given
// (zeros read as "1980-00-00"). Seconds are kept to two.
func msDosTime(t time.Time) (date, clock uint16) {
	if t.Year() < 1980 {
		return 1<<5 | 1, 0 // 1980-01-01, the format's first day
	}
	date = uint16(t.Day() + int(t.Month())<<5 + (t.Year()-1980)<<9)
	clock = uint16(t.Second()/2 + t.Minute()<<5 + t.Hour()<<11)
	return date, clock
}
