package warc

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base32"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	iawarc "github.com/internetarchive/gowarc"
	"github.com/klauspost/compress/gzip"
)

// Revisit profiles (WARC 1.1, section 6.7).
const (
	ProfileServerNotModified      = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
	ProfileIdenticalPayloadDigest = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
)

// openSuffix marks a file that is still being written.
const openSuffix = ".open"

// Exchange is one HTTP request and its response as they crossed the wire.
type Exchange struct {
	TargetURI string
	Date      time.Time
	IP        string // the server's address, if known
	Request   []byte // the request bytes as sent
	Response  []byte // the response bytes as received: status line, headers, body as sent
	// PayloadDigest is the digest of the payload as WARC 1.1 (6.3.2)
	// defines it: the entity body with any transfer encoding removed
	// (chunked framing is not part of it), content encoding kept;
	// "sha1:BASE32" (see ResponsePayloadDigest). Empty: computed here
	// from Response.
	PayloadDigest string
	// Truncated is the WARC-Truncated reason ("length", "time",
	// "disconnect") when the response was cut short.
	Truncated string
	// ResponseReader, when set, is read for the response record instead
	// of Response (a large body kept in a file rather than in memory);
	// PayloadDigest must then be given, unless the record is truncated.
	ResponseReader io.Reader
	// Revisit, when set, makes the response a revisit record: Response then
	// holds what is worth keeping of the answer (the headers, or the whole
	// 304 answer) and the payload lives in the record referred to.
	Revisit *Revisit
}

// Revisit says which earlier capture a revisit record stands for.
type Revisit struct {
	Profile        string
	RefersToURI    string
	RefersToDate   time.Time
	RefersToRecord string // WARC-Record-ID of the original, if known
}

// Location says where a record was written.
type Location struct {
	File     string // file name under the WARC folder, without ".open"
	Offset   int64  // offset of the record's gzip member
	Length   int64  // compressed length of the record
	RecordID string
}

// WriterOptions configure a Writer.
type WriterOptions struct {
	Prefix   string            // file name prefix, e.g. "tulieu"
	MaxSize  int64             // start a new file past this many bytes; 0 means 1 GiB
	Software string            // for the warcinfo record
	Info     map[string]string // more warcinfo fields (operator, robots policy, user agent...)
}

// Writer appends records to WARC files in one folder, rotating by size.
// It is safe for concurrent use; each exchange's records are written
// together.
type Writer struct {
	dir  string
	opts WriterOptions

	mu     sync.Mutex
	f      *os.File
	name   string // without .open
	size   int64
	infoID string
	serial int

	// The compressor and buffer every record is written through, reset
	// for each: a new gzip writer per record (what gowarc's NewWriter
	// makes) allocated 1.2 MB of compressor state each time, two records
	// a page, and the crawl spent its time collecting them
	// (BenchmarkWriteExchange: 2.4 MB and 3.4 ms per page before).
	gz *gzip.Writer
	bw *bufio.Writer
	// fb gathers the gzip members of one exchange, written to the file
	// in one system call when the exchange is complete (at the end of
	// WriteExchange, and of open for the warcinfo record): the
	// compressor wrote each member in four (header, data, end block,
	// trailer), eight calls for the two records of a 304, and a re-crawl
	// spent 3 % of its CPU in them. Empty between calls; rollback drops
	// what it holds.
	fb *bufio.Writer

	// The CDXJ lines of the current file's responses and revisits, made
	// as they are written, so that closing a file need not read it all
	// back (IndexFile: 7 % of a re-crawl's CPU). linesOK is false once a
	// record's HTTP head was not plain enough to be sure of its line:
	// the file is then indexed by reading it back, as before.
	lines   []string
	linesOK bool

	random *bufio.Reader // crypto/rand, buffered: see recordID
}

// NewWriter returns a writer into dir. No file is created until the first
// record is written.
func NewWriter(dir string, opts WriterOptions) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if opts.Prefix == "" {
		opts.Prefix = "tulieu"
	}
	if opts.MaxSize <= 0 {
		opts.MaxSize = 1 << 30
	}
	return &Writer{dir: dir, opts: opts}, nil
}

// CountingWriter counts the bytes written through it: where the next
// record starts, without asking the file (the WARC writer, and exports that
// copy records into a stream).
type CountingWriter struct {
	W io.Writer
	N int64
}

func (c *CountingWriter) Write(p []byte) (int, error) {
	n, err := c.W.Write(p)
	c.N += int64(n)
	return n, err
}

// open starts a new file with its warcinfo record. Called with mu held.
func (w *Writer) open(now time.Time) error {
	for {
		w.serial++
		w.name = fmt.Sprintf("%s-%s-%05d-%d.warc.gz", w.opts.Prefix, now.UTC().Format("20060102150405"), w.serial, os.Getpid())
		// A finished file of that name must not be overwritten when this
		// one is renamed at close: files are never rewritten.
		if _, err := os.Lstat(filepath.Join(w.dir, w.name)); err == nil {
			continue
		}
		f, err := os.OpenFile(filepath.Join(w.dir, w.name+openSuffix), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if os.IsExist(err) {
			continue
		}
		if err != nil {
			return err
		}
		w.f, w.size = f, 0
		if w.fb == nil {
			w.fb = bufio.NewWriterSize(f, 64<<10)
		} else {
			w.fb.Reset(f)
		}
		w.lines, w.linesOK = w.lines[:0], true
		break
	}
	var fields bytes.Buffer
	fmt.Fprintf(&fields, "software: %s\r\n", w.opts.Software)
	fmt.Fprintf(&fields, "format: WARC File Format 1.1\r\n")
	fmt.Fprintf(&fields, "conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n")
	if host, err := os.Hostname(); err == nil {
		fmt.Fprintf(&fields, "hostname: %s\r\n", host)
	}
	keys := make([]string, 0, len(w.opts.Info))
	for k := range w.opts.Info {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&fields, "%s: %s\r\n", k, strings.ReplaceAll(w.opts.Info[k], "\n", " "))
	}
	rec := newRecord("warcinfo", w.recordID(), fields.Bytes())
	rec.Header.Set("WARC-Date", formatDate(now))
	rec.Header.Set("WARC-Filename", w.name)
	rec.Header.Set("Content-Type", "application/warc-fields")
	loc, err := w.write(rec)
	if err == nil {
		err = w.fb.Flush()
	}
	if err != nil {
		// A file without its warcinfo holds nothing worth keeping.
		f := w.f
		w.f = nil
		f.Close()
		os.Remove(f.Name())
		return err
	}
	w.infoID = loc.RecordID
	return nil
}

// rollback cuts the current file back to where the exchange that failed
// began, so that the next record starts at the offset the writer counts
// (a disk that filled up mid-record leaves part of it written). When the
// file cannot be cut, it is left ".open" for Recover, which drops a
// partial last record, and the next exchange starts a new file. Called
// with mu held; it returns cause.
func (w *Writer) rollback(to int64, cause error) error {
	// What the buffer holds of the exchange is dropped with the rest.
	w.fb.Reset(w.f)
	err := w.f.Truncate(to)
	if err == nil {
		_, err = w.f.Seek(to, io.SeekStart)
	}
	if err == nil {
		w.size = to
		return cause
	}
	f := w.f
	w.f = nil
	f.Close()
	return cause
}

func formatDate(t time.Time) string {
	t = t.UTC()
	year := t.Year()
	if year < 0 || year > 9999 {
		return t.Format(warcDateLayout)
	}
	// By hand: three dates a record, and time.Format was 2 % of a
	// re-crawl's CPU (TestFormatDateIsTheLayout keeps it the layout's).
	_, month, day := t.Date()
	hour, minute, sec := t.Clock()
	var b [27]byte
	put := func(at, v, digits int) {
		for i := at + digits - 1; i >= at; i-- {
			b[i] = byte('0' + v%10)
			v /= 10
		}
	}
	put(0, year, 4)
	b[4] = '-'
	put(5, int(month), 2)
	b[7] = '-'
	put(8, day, 2)
	b[10] = 'T'
	put(11, hour, 2)
	b[13] = ':'
	put(14, minute, 2)
	b[16] = ':'
	put(17, sec, 2)
	b[19] = '.'
	put(20, t.Nanosecond()/1000, 6)
	b[26] = 'Z'
	return string(b[:])
}

// warcDateLayout is how WARC-Date is written: UTC, to the microsecond.
const warcDateLayout = "2006-01-02T15:04:05.000000Z"

func newRecord(typ, id string, content []byte) *iawarc.Record {
	rec, _ := newRecordFrom(typ, id, content, nil)
	return rec
}

// newRecordID is a WARC-Record-ID of its own (a random UUID URN).
func newRecordID() string { return "<urn:uuid:" + uuid.NewString() + ">" }

// recordID is a new WARC-Record-ID for the writer's next record. Its
// random bits are read through a buffer of crypto/rand: a getrandom call
// for each record (uuid.NewString), two records a page, was 1 % of a
// crawl's CPU. Called with mu held.
func (w *Writer) recordID() string {
	if w.random == nil {
		w.random = bufio.NewReaderSize(rand.Reader, 4<<10)
	}
	u, err := uuid.NewRandomFromReader(w.random)
	if err != nil {
		return newRecordID()
	}
	return "<urn:uuid:" + u.String() + ">"
}

// newRecordFrom makes a record whose block is content followed by what
// more yields (nil: nothing). Its length and block digest are set as the
// block is written: left to gowarc, they were read again from the
// record's spooled content, the length through a copy of the whole block
// (BenchmarkWriteExchange: 204 KB allocated per page for a 40 KB page).
func newRecordFrom(typ, id string, content []byte, more io.Reader) (*iawarc.Record, error) {
	rec := iawarc.NewRecord("", false)
	rec.Header.Set("WARC-Type", typ)
	rec.Header.Set("WARC-Record-ID", id)
	h := sha1.New()
	rec.Content.Write(content)
	h.Write(content)
	n := int64(len(content))
	if more != nil {
		// gowarc spools a record's content to a temporary file past its
		// threshold, so the copy costs a buffer.
		m, err := io.Copy(io.MultiWriter(rec.Content, h), more)
		if err != nil {
			rec.Content.Close()
			return nil, err
		}
		n += m
	}
	rec.Header.Set("Content-Length", strconv.FormatInt(n, 10))
	rec.Header.Set("WARC-Block-Digest", sha1Digest(h.Sum(nil)))
	return rec, nil
}

// write writes one record as its own gzip member. Called with mu held.
func (w *Writer) write(rec *iawarc.Record) (Location, error) {
	cw := &CountingWriter{W: w.fb}
	if w.gz == nil {
		w.gz = gzip.NewWriter(cw)
		w.bw = bufio.NewWriterSize(w.gz, 32<<10)
	} else {
		w.gz.Reset(cw)
		w.bw.Reset(w.gz)
	}
	id := rec.Header["WARC-Record-ID"]
	// gowarc keeps a record's content past 1 MB in a temporary file of
	// its own: closing the content removes it.
	defer rec.Content.Close()
	if err := writeRecord(w.bw, rec); err != nil {
		return Location{}, fmt.Errorf("write WARC record: %w", err)
	}
	if err := w.gz.Close(); err != nil {
		return Location{}, fmt.Errorf("write WARC record: %w", err)
	}
	loc := Location{File: w.name, Offset: w.size, Length: cw.N, RecordID: id}
	w.size += cw.N
	return loc, nil
}

// writeRecord writes rec as a WARC/1.1 record: what gowarc's
// Writer.WriteRecord does for a record whose fields are all set (as
// newRecordFrom and the callers set them), with the fields in a fixed
// order, conventional for WARC: the type, the ID, the date and the target
// first, the content's type and length last, the rest by name. gowarc
// writes them in the order of a Go map, so two copies of one exchange
// differed byte for byte, and it looks each of five fields up by
// lowering every name (strings.ToLower: 15 % of the time of a 304's
// records, BenchmarkWriteExchange304). It reports the buffer's failure,
// which gowarc's final Flush left unchecked.
func writeRecord(bw *bufio.Writer, rec *iawarc.Record) error {
	bw.WriteString("WARC/1.1\r\n")
	field := func(name, value string) {
		bw.WriteString(name)
		bw.WriteString(": ")
		bw.WriteString(value)
		bw.WriteString("\r\n")
	}
	names := make([]string, 0, len(rec.Header))
	for name := range rec.Header {
		if !slices.Contains(leadingFields, name) && !slices.Contains(trailingFields, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range leadingFields {
		if v, ok := rec.Header[name]; ok {
			field(name, v)
		}
	}
	for _, name := range names {
		field(name, rec.Header[name])
	}
	for _, name := range trailingFields {
		if v, ok := rec.Header[name]; ok {
			field(name, v)
		}
	}
	bw.WriteString("\r\n")
	if _, err := rec.Content.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if _, err := io.Copy(bw, rec.Content); err != nil {
		return err
	}
	bw.WriteString("\r\n\r\n")
	return bw.Flush()
}

// The fields writeRecord writes first and last, in this order.
var (
	leadingFields  = []string{"WARC-Type", "WARC-Record-ID", "WARC-Date", "WARC-Target-URI"}
	trailingFields = []string{"Content-Type", "Content-Length"}
)

// sha1Digest writes a SHA-1 sum as WARC digests are written: "sha1:BASE32".
func sha1Digest(sum []byte) string {
	return "sha1:" + base32.StdEncoding.EncodeToString(sum)
}

// PayloadDigest computes a WARC payload digest ("sha1:BASE32").
func PayloadDigest(payload []byte) string {
	sum := sha1.Sum(payload)
	return sha1Digest(sum[:])
}

// ResponsePayloadDigest is the payload digest of a raw HTTP response
// (status line, headers, body as sent): its body with the chunked framing
// removed when it was sent chunked (WARC 1.1 6.3.2). ok is false when the
// response has no end of headers or its framing is broken.
func ResponsePayloadDigest(raw []byte) (digest string, ok bool) {
	i := bytes.Index(raw, []byte("\r\n\r\n"))
	if i < 0 {
		return "", false
	}
	body := raw[i+4:]
	if chunked(raw[:i+4]) {
		dechunked, err := dechunk(body)
		if err != nil {
			return "", false
		}
		body = dechunked
	}
	return PayloadDigest(body), true
}

// PayloadDigestOf is PayloadDigest of what r holds, read as it streams.
func PayloadDigestOf(r io.Reader) (string, error) {
	h := sha1.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return sha1Digest(h.Sum(nil)), nil
}

// WriteExchange writes the response (or revisit) record and then the request
// record of one exchange, and returns where the response record is.
func (w *Writer) WriteExchange(ex Exchange) (Location, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil || w.size >= w.opts.MaxSize {
		if err := w.closeFile(); err != nil {
			return Location{}, err
		}
		if err := w.open(ex.Date); err != nil {
			return Location{}, fmt.Errorf("start WARC file: %w", err)
		}
	}
	typ := "response"
	if ex.Revisit != nil {
		typ = "revisit"
	}
	var more io.Reader
	var headOfMore prefixBuffer // for the CDXJ line, when the head is in more
	if ex.Revisit == nil && ex.ResponseReader != nil {
		headOfMore.max = maxIndexedHead
		more = io.TeeReader(ex.ResponseReader, &headOfMore)
	}
	resp, err := newRecordFrom(typ, w.recordID(), ex.Response, more)
	if err != nil {
		return Location{}, fmt.Errorf("read the response to archive: %w", err)
	}
	resp.Header.Set("WARC-Date", formatDate(ex.Date))
	resp.Header.Set("WARC-Target-URI", ex.TargetURI)
	resp.Header.Set("WARC-Warcinfo-ID", w.infoID)
	resp.Header.Set("Content-Type", "application/http;msgtype=response")
	if ex.IP != "" {
		resp.Header.Set("WARC-IP-Address", ex.IP)
	}
	if ex.PayloadDigest == "" && ex.Revisit == nil && ex.Truncated == "" && ex.ResponseReader == nil {
		if d, ok := ResponsePayloadDigest(ex.Response); ok {
			ex.PayloadDigest = d
		}
	}
	if ex.PayloadDigest != "" {
		resp.Header.Set("WARC-Payload-Digest", ex.PayloadDigest)
	}
	if ex.Truncated != "" {
		resp.Header.Set("WARC-Truncated", ex.Truncated)
	}
	if r := ex.Revisit; r != nil {
		resp.Header.Set("WARC-Profile", r.Profile)
		resp.Header.Set("WARC-Refers-To-Target-URI", r.RefersToURI)
		resp.Header.Set("WARC-Refers-To-Date", formatDate(r.RefersToDate))
		if r.RefersToRecord != "" {
			resp.Header.Set("WARC-Refers-To", r.RefersToRecord)
		}
		if r.Profile == ProfileIdenticalPayloadDigest {
			// Only the headers are kept: say so, as the spec asks.
			resp.Header.Set("WARC-Truncated", "length")
		}
	}
	start := w.size
	loc, err := w.write(resp)
	if err != nil {
		return Location{}, w.rollback(start, err)
	}
	if len(ex.Request) > 0 {
		req := newRecord("request", w.recordID(), ex.Request)
		req.Header.Set("WARC-Date", formatDate(ex.Date))
		req.Header.Set("WARC-Target-URI", ex.TargetURI)
		req.Header.Set("WARC-Warcinfo-ID", w.infoID)
		req.Header.Set("WARC-Concurrent-To", loc.RecordID)
		req.Header.Set("Content-Type", "application/http;msgtype=request")
		if ex.IP != "" {
			req.Header.Set("WARC-IP-Address", ex.IP)
		}
		if _, err := w.write(req); err != nil {
			// The pair goes together or not at all: a response whose
			// capture is never recorded would be a record nobody cites.
			return Location{}, w.rollback(start, err)
		}
	}
	if err := w.fb.Flush(); err != nil {
		return Location{}, w.rollback(start, fmt.Errorf("write WARC record: %w", err))
	}
	if w.linesOK {
		head := ex.Response
		if len(headOfMore.b) > 0 {
			head = append(slices.Clip(head), headOfMore.b...)
		}
		if line, ok := cdxjLine(ex.TargetURI, ex.Date, typ, head, ex.PayloadDigest, loc); ok {
			w.lines = append(w.lines, line)
		} else {
			w.linesOK = false
		}
	}
	return loc, nil
}

// maxIndexedHead is how much of a streamed response is kept to find its
// HTTP head for the CDXJ line; a longer head sends the file to IndexFile.
const maxIndexedHead = 64 << 10

// prefixBuffer keeps the first max bytes written to it.
type prefixBuffer struct {
	b   []byte
	max int
}

func (p *prefixBuffer) Write(b []byte) (int, error) {
	if room := p.max - len(p.b); room > 0 {
		p.b = append(p.b, b[:min(room, len(b))]...)
	}
	return len(b), nil
}

// closeFile finishes the current file: sync, close, drop ".open". Called
// with mu held.
func (w *Writer) closeFile() error {
	if w.f == nil {
		return nil
	}
	f := w.f
	w.f = nil
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	final := filepath.Join(w.dir, w.name)
	if err := os.Rename(final+openSuffix, final); err != nil {
		return err
	}
	if w.linesOK {
		slices.Sort(w.lines)
		return writeLines(final+CDXJSuffix, w.lines)
	}
	_, err := IndexFile(final)
	return err
}

// Close finishes the current file.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	err := w.closeFile()
	// The file's CDXJ lines (about 360 bytes a page) are written: a
	// crawl keeps its writer until it has indexed its articles, and they
	// were 18 MB of its live heap then at 50 000 pages, which the index
	// batches need (the crawl's soft heap limit).
	w.lines = nil
	return err
}
