package export

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/textproto"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"
	kgzip "github.com/klauspost/compress/gzip"

	"tulieu/store"
	"tulieu/warc"
)

// The warc format: one .warc.gz stream holding, for each record, the WARC
// records of its page, images and attachments exactly as the archive keeps
// them. Each archived record is one gzip member of a WARC file, so a
// record is copied by copying its member's bytes: nothing is decoded and
// re-encoded, and every digest stays what the crawler wrote.

// warcWriter is the warc format.
type warcWriter struct{ c *warcCopier }

func newWARC(w io.Writer, m *Meta, a Archive) (Writer, error) {
	c, err := newWARCCopier(w, m, a, "")
	if err != nil {
		return nil, err
	}
	return &warcWriter{c: c}, nil
}

func (x *warcWriter) Write(ctx context.Context, r *Record) error { return x.c.record(ctx, r) }

func (x *warcWriter) Close() error { return x.c.close() }

// warcCopier writes a warcinfo record of its own and then copies archived
// records after it, each once.
type warcCopier struct {
	out      *warc.CountingWriter
	a        Archive
	dir      string
	filename string // the stream's name in index lines ("" without an index)
	seen     recordSet
	// infos are the archive's files whose warcinfo record has been
	// copied (or found missing): it goes before the first record copied
	// from its file, so that every WARC-Warcinfo-ID of the stream names a
	// record in it.
	infos map[string]bool
	// src is the archive file read last: an article's records are mostly
	// in one file, so it stays open until another is needed.
	src     *os.File
	srcName string
	// index, if set, is told of each response and revisit record copied,
	// with its place in the stream.
	index func(warc.CDXJRecord)
	buf   []byte // for copying: one buffer, not one per record
	// warn is told of each record left out because it cannot be read;
	// damaged holds where those are, so that each is told once.
	warn    func(string)
	damaged map[string]bool
	zr      *kgzip.Reader // verifies members; reset for each
}

// exportInfoDescription heads the warcinfo record of an export.
const exportInfoDescription = "An export of articles archived by tulieu: the WARC records of each article's page, " +
	"images and attachments (responses or revisits with the records they refer to, and their requests), " +
	"copied byte for byte from the archive, each once, with the warcinfo records of the files they come from."

// newWARCCopier starts a stream on w with a warcinfo record describing the
// export (m); filename names the stream in the warcinfo and in index lines.
func newWARCCopier(w io.Writer, m *Meta, a Archive, filename string) (*warcCopier, error) {
	sel, err := json.Marshal(m.Selection)
	if err != nil {
		return nil, err
	}
	c := &warcCopier{out: &warc.CountingWriter{W: w}, a: a, dir: a.WARCPath(), filename: filename,
		seen: newRecordSet(), infos: map[string]bool{}, warn: m.warn, damaged: map[string]bool{}}
	if c.warn == nil {
		c.warn = func(string) {}
	}
	id, _, err := warc.WriteInfo(c.out, filename, m.Tool, m.Created, []warc.Field{
		{Name: "description", Value: exportInfoDescription},
		{Name: "export-format", Value: m.Format},
		{Name: "export-selection", Value: string(sel)},
		{Name: "export-created", Value: m.Created.UTC().Format(time.RFC3339)},
		{Name: "export-tool", Value: m.Tool},
	})
	if err != nil {
		return nil, err
	}
	c.seen.add(id)
	return c, nil
}

// record copies the records of one exported article: its page, then each
// image and each attachment, as archived nearest to the page's capture
// (the way the web page shows them). What the archive does not have is
// left out: the export holds what was archived.
func (c *warcCopier) record(ctx context.Context, r *Record) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var at time.Time // zero: the latest capture
	if r.Capture != nil {
		at = r.Capture.FetchedAt
		if err := c.capture(ctx, r.Capture, 0); err != nil {
			return fmt.Errorf("%s: %w", r.URL, err)
		}
	}
	urls := make([]string, 0, len(r.Images)+len(r.Attachments))
	for _, im := range r.Images {
		urls = append(urls, im.Src)
	}
	urls = append(urls, r.Attachments...)
	for _, u := range urls {
		if u == "" {
			continue
		}
		if err := c.linked(ctx, u, at); err != nil {
			return fmt.Errorf("%s: %w", u, err)
		}
	}
	return nil
}

// linked copies what the archive holds for a link nearest to at: the
// redirects archived for it, if any, and the capture they lead to, so
// that a replay of the page follows the link as the browser did.
func (c *warcCopier) linked(ctx context.Context, u string, at time.Time) error {
	cp, redirects, err := followArchived(ctx, c.a, u, at)
	if err != nil {
		return err
	}
	for _, rd := range redirects {
		if err := c.capture(ctx, rd, 0); err != nil {
			return err
		}
	}
	if cp == nil {
		return nil
	}
	return c.capture(ctx, cp, 0)
}

// maxRevisitChain bounds how many revisits deep the references of a
// revisit are followed (each step goes to an earlier capture, so the chain
// ends anyway; this keeps a damaged catalog from costing much).
const maxRevisitChain = 16

// capture copies the exchange of a capture; for a revisit, what it refers
// to comes first, so that a reader of the stream meets the payload before
// the records that point at it.
func (c *warcCopier) capture(ctx context.Context, cp *store.Capture, depth int) error {
	if cp.WARCFile == "" {
		return nil // a failed fetch: nothing was archived
	}
	if cp.WARCRecordID != "" && c.seen.has(cp.WARCRecordID) {
		return nil
	}
	if whole, err := c.whole(cp); err != nil || !whole {
		return err
	}
	if cp.RecordType == "revisit" && depth < maxRevisitChain {
		if err := c.referents(ctx, cp, depth); err != nil {
			return err
		}
	}
	return c.exchange(cp)
}

// referents copies what a revisit stands for: the response holding its
// payload (found by the catalog by URL and payload digest), and the record
// its WARC-Refers-To names when that is another one (a 304 answered to a
// request built from an earlier 304 refers to that earlier revisit), found
// in the catalog by its WARC-Refers-To-Target-URI and -Date. What the
// catalog does not have is left out; the revisit still says what was seen
// when.
func (c *warcCopier) referents(ctx context.Context, cp *store.Capture, depth int) error {
	orig, err := c.a.PayloadCapture(ctx, cp.ID)
	switch {
	case err == nil:
		if err := c.capture(ctx, orig, depth+1); err != nil {
			return err
		}
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	h, err := c.head(cp)
	if err != nil {
		return err
	}
	if h.refersTo == "" || c.seen.has(h.refersTo) {
		return nil
	}
	at, err := time.Parse(time.RFC3339Nano, h.refersToDate)
	if err != nil || h.refersToURI == "" {
		return nil
	}
	ref, err := c.a.CaptureNear(ctx, h.refersToURI, at)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if ref.WARCRecordID != h.refersTo {
		return nil // the catalog does not know the record by that time
	}
	return c.capture(ctx, ref, depth+1)
}

// head opens the file of a capture's record and reads the record's
// header, which must be the one the catalog names.
func (c *warcCopier) head(cp *store.Capture) (*recordHead, error) {
	if err := c.open(cp.WARCFile); err != nil {
		return nil, err
	}
	h, _, err := readHead(c.src, cp.WARCOffset)
	if err != nil {
		return nil, fmt.Errorf("%s at %d: %w", cp.WARCFile, cp.WARCOffset, err)
	}
	if (h.typ != "response" && h.typ != "revisit") || h.id == "" || (cp.WARCRecordID != "" && h.id != cp.WARCRecordID) {
		return nil, fmt.Errorf("%s at %d is the %s record %s, but the catalog says %s record %s of %s: the catalog and the WARC file disagree",
			cp.WARCFile, cp.WARCOffset, h.typ, h.id, cp.RecordType, cp.WARCRecordID, cp.URL)
	}
	return h, nil
}

// exchange copies a capture's response or revisit record and the request
// record written with it. The catalog records where the response is, not
// the request: warc.Writer.WriteExchange writes the request right after
// its response, in the same file, under one lock, so the request is the
// gzip member that starts where the response's ends. It is taken only if
// its header says so (a request, WARC-Concurrent-To the response); a
// response written without a request has none.
func (c *warcCopier) exchange(cp *store.Capture) error {
	h, err := c.head(cp)
	if err != nil {
		return err
	}
	if c.seen.has(h.id) {
		return nil
	}
	if err := c.sourceInfo(cp.WARCFile); err != nil {
		return err
	}
	if err := c.copy(h, cp.WARCOffset, cp.WARCLength); err != nil {
		return fmt.Errorf("%s at %d: %w", cp.WARCFile, cp.WARCOffset, err)
	}
	next := cp.WARCOffset + cp.WARCLength
	req, m, err := readHead(c.src, next)
	if errors.Is(err, errNoRecord) {
		return nil // the response is the file's last record
	}
	if err != nil {
		// What follows the response cannot be read: its request,
		// damaged, is left out; the response stays.
		c.leaveOut(cp.WARCFile, next, "the request for "+cp.URL, err)
		return nil
	}
	if req.typ != "request" || req.concurrentTo != h.id || c.seen.has(req.id) {
		return nil
	}
	n, err := m.length()
	if err != nil {
		// The request cannot be read: left out, the response stays.
		c.leaveOut(cp.WARCFile, next, "the request for "+cp.URL, err)
		return nil
	}
	if err := c.copy(req, next, n); err != nil {
		return fmt.Errorf("%s at %d: %w", cp.WARCFile, next, err)
	}
	return nil
}

// whole opens the file of a capture's record and reads the record through
// (its gzip member's checksum and length) before anything of it is
// copied. A record that does not read whole is left out and told to warn:
// a copy would hand its damage on to whatever reads the export.
func (c *warcCopier) whole(cp *store.Capture) (bool, error) {
	if err := c.open(cp.WARCFile); err != nil {
		return false, err
	}
	if c.damaged[recordKey(cp.WARCFile, cp.WARCOffset)] {
		return false, nil
	}
	err := c.verify(cp.WARCOffset, cp.WARCLength)
	switch {
	case warc.Damaged(err):
		c.leaveOut(cp.WARCFile, cp.WARCOffset, "the capture of "+cp.URL, err)
		return false, nil
	case err != nil:
		// Not damage (a read error, the catalog and the file
		// disagreeing): the export fails, as for any other read.
		return false, fmt.Errorf("%s at %d: %w", cp.WARCFile, cp.WARCOffset, err)
	}
	return true, nil
}

// verify reads the gzip member at off to its end (its checksum), and
// checks that it takes the length bytes the catalog gives (when it gives
// one). The member is read through a byte counter that the decompressor
// reads byte by byte (a flate.Reader), so that nothing past the member is
// consumed and the count is exact.
func (c *warcCopier) verify(off, length int64) error {
	bounded := length > 0
	if !bounded {
		length = math.MaxInt64 - off // not in the catalog: to the member's end
	}
	bc := &byteCounter{r: bufio.NewReaderSize(io.NewSectionReader(c.src, off, length), 32<<10)}
	var err error
	if c.zr == nil {
		c.zr, err = kgzip.NewReader(bc)
	} else {
		err = c.zr.Reset(bc)
	}
	if err != nil {
		return warc.MemberDamage(err)
	}
	c.zr.Multistream(false)
	if c.buf == nil {
		c.buf = make([]byte, 64<<10)
	}
	if _, err := io.CopyBuffer(io.Discard, c.zr, c.buf); err != nil {
		return warc.MemberDamage(err)
	}
	if bounded && bc.n != length {
		return fmt.Errorf("the record's gzip member takes %d bytes, the catalog says %d", bc.n, length)
	}
	return nil
}

// leaveOut tells of a record left out because it cannot be read.
func (c *warcCopier) leaveOut(file string, off int64, what string, err error) {
	c.damaged[recordKey(file, off)] = true
	c.warn(fmt.Sprintf("left out %s: its record (%s at %d) cannot be read (%v); `tulieu check` reports it, and `tulieu check --repair` has the next crawl fetch the page again",
		what, file, off, err))
}

func recordKey(file string, off int64) string { return fmt.Sprintf("%s@%d", file, off) }

// sourceInfo copies the warcinfo record that starts an archive file, the
// first time a record of that file is copied.
func (c *warcCopier) sourceInfo(file string) error {
	if c.infos[file] {
		return nil
	}
	c.infos[file] = true
	h, m, err := readHead(c.src, 0)
	if errors.Is(err, errNoRecord) {
		return nil
	}
	if err != nil {
		c.leaveOut(file, 0, "the warcinfo record of "+file, err)
		return nil
	}
	if h.typ != "warcinfo" || c.seen.has(h.id) {
		return nil
	}
	n, err := m.length()
	if err != nil {
		c.leaveOut(file, 0, "the warcinfo record of "+file, err)
		return nil
	}
	return c.copy(h, 0, n)
}

// open makes file the source file.
func (c *warcCopier) open(file string) error {
	if c.src != nil && c.srcName == file {
		return nil
	}
	if c.src != nil {
		c.src.Close()
		c.src = nil
	}
	// A file still being written ends in .open; it is renamed, never
	// rewritten, so what is read through this descriptor stays valid.
	f, err := os.Open(warc.Path(c.dir, file))
	if err != nil {
		return err
	}
	c.src, c.srcName = f, file
	return nil
}

// copy copies the gzip member at off, length bytes, from the source file
// to the stream, and tells the index of a response or revisit.
func (c *warcCopier) copy(h *recordHead, off, length int64) error {
	start := c.out.N
	if c.buf == nil {
		c.buf = make([]byte, 64<<10)
	}
	n, err := io.CopyBuffer(c.out, io.NewSectionReader(c.src, off, length), c.buf)
	if err != nil {
		return err
	}
	if n != length {
		return fmt.Errorf("record %s: the file ends after %d of its %d bytes", h.id, n, length)
	}
	c.seen.add(h.id)
	if c.index != nil && (h.typ == "response" || h.typ == "revisit") {
		date, _ := time.Parse(time.RFC3339Nano, h.date)
		c.index(warc.CDXJRecord{TargetURI: h.target, Date: date, Revisit: h.typ == "revisit", Status: h.status,
			ContentType: h.contentType, Digest: h.digest, Offset: start, Length: length, Filename: c.filename})
	}
	return nil
}

func (c *warcCopier) close() error {
	if c.src != nil {
		err := c.src.Close()
		c.src = nil
		return err
	}
	return nil
}

// recordHead is what the start of a record says: its WARC header, and for
// a response or revisit the status and Content-Type of the HTTP answer.
type recordHead struct {
	typ, id, target, date, digest, concurrentTo string
	refersTo, refersToURI, refersToDate         string
	status, contentType                         string
}

// errNoRecord: no record starts at that offset (the end of the file).
var errNoRecord = errors.New("no record here")

// maxHead bounds how much of a record is read to parse its headers.
const maxHead = 256 << 10

// byteCounter counts the compressed bytes the gzip reader takes. It is an
// io.ByteReader, so neither gzip nor flate buffers ahead of it: once the
// member is read to its end, n is exactly the member's length.
type byteCounter struct {
	r *bufio.Reader
	n int64
}

func (b *byteCounter) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.n += int64(n)
	return n, err
}

func (b *byteCounter) ReadByte() (byte, error) {
	c, err := b.r.ReadByte()
	if err == nil {
		b.n++
	}
	return c, err
}

// member is a record's gzip member being read.
type member struct {
	bc *byteCounter
	zr *gzip.Reader
}

// length reads the member to its end (which checks its CRC) and returns
// its compressed length. That reads the whole record: it is for requests
// and warcinfo records, which are small; a response's length is in the
// catalog.
func (m *member) length() (int64, error) {
	if _, err := io.Copy(io.Discard, m.zr); err != nil {
		return 0, err
	}
	return m.bc.n, nil
}

// readHead parses the headers of the record whose gzip member starts at
// off, reading no more of it than that.
func readHead(f io.ReaderAt, off int64) (*recordHead, *member, error) {
	bc := &byteCounter{r: bufio.NewReaderSize(io.NewSectionReader(f, off, math.MaxInt64-off), 16<<10)}
	zr, err := gzip.NewReader(bc)
	if errors.Is(err, io.EOF) {
		return nil, nil, errNoRecord
	}
	if err != nil {
		return nil, nil, err
	}
	zr.Multistream(false)
	tp := textproto.NewReader(bufio.NewReader(io.LimitReader(zr, maxHead)))
	version, err := tp.ReadLine()
	if err != nil {
		return nil, nil, fmt.Errorf("record header: %w", err)
	}
	if !strings.HasPrefix(version, "WARC/") {
		return nil, nil, fmt.Errorf("no WARC record starts here (%.20q)", version)
	}
	wh, err := tp.ReadMIMEHeader()
	if err != nil {
		return nil, nil, fmt.Errorf("record header: %w", err)
	}
	h := &recordHead{typ: wh.Get("WARC-Type"), id: wh.Get("WARC-Record-ID"), target: wh.Get("WARC-Target-URI"),
		date: wh.Get("WARC-Date"), digest: wh.Get("WARC-Payload-Digest"), concurrentTo: wh.Get("WARC-Concurrent-To"),
		refersTo: wh.Get("WARC-Refers-To"), refersToURI: wh.Get("WARC-Refers-To-Target-URI"), refersToDate: wh.Get("WARC-Refers-To-Date")}
	if h.typ == "response" || h.typ == "revisit" {
		// The block starts with the answer's status line and headers;
		// what cannot be parsed is left unknown, as IndexFile leaves it.
		if line, err := tp.ReadLine(); err == nil {
			if f := strings.Fields(line); len(f) > 1 {
				h.status = f[1]
			}
			if hh, err := tp.ReadMIMEHeader(); err == nil || len(hh) > 0 {
				h.contentType = hh.Get("Content-Type")
			}
		}
	}
	return h, &member{bc: bc, zr: zr}, nil
}

// recordSet is the set of WARC-Record-IDs written: ids of the form
// <urn:uuid:…>, which are all the archive's, kept as 16 bytes each, since
// an export of the whole archive remembers every record it wrote.
type recordSet struct {
	uuids  map[uuid.UUID]struct{}
	others map[string]struct{}
}

func newRecordSet() recordSet {
	return recordSet{uuids: map[uuid.UUID]struct{}{}, others: map[string]struct{}{}}
}

func recordUUID(id string) (uuid.UUID, bool) {
	inner, ok := strings.CutPrefix(id, "<urn:uuid:")
	if !ok {
		return uuid.UUID{}, false
	}
	inner, ok = strings.CutSuffix(inner, ">")
	if !ok {
		return uuid.UUID{}, false
	}
	u, err := uuid.Parse(inner)
	// Parse accepts other spellings too; only the canonical one may be
	// folded, or two spellings of one id would count as one record.
	if err != nil || u.String() != inner {
		return uuid.UUID{}, false
	}
	return u, true
}

func (s recordSet) add(id string) {
	if u, ok := recordUUID(id); ok {
		s.uuids[u] = struct{}{}
	} else {
		s.others[id] = struct{}{}
	}
}

func (s recordSet) has(id string) bool {
	if u, ok := recordUUID(id); ok {
		_, found := s.uuids[u]
		return found
	}
	_, found := s.others[id]
	return found
}
