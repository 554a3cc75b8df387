package warc

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	nlwarc "github.com/nlnwa/gowarc/v3"
)

// Path is where a file named in the catalog is: its final name, or the
// ".open" name while (or if, after a crash) it is still being written.
func Path(dir, file string) string {
	p := filepath.Join(dir, file)
	if _, err := os.Stat(p); err != nil {
		if _, err2 := os.Stat(p + openSuffix); err2 == nil {
			return p + openSuffix
		}
	}
	return p
}

// Response is an archived HTTP response read back from a record.
type Response struct {
	RecordType string // response or revisit
	TargetURI  string
	Date       time.Time
	Status     int
	Header     http.Header
	Payload    []byte // the entity body as sent (still content-encoded); empty for revisits
	Chunked    bool   // Payload has chunked framing (see Entity)
}

// openReaderMu serializes the opening of WARC readers. nlnwa/gowarc's
// default record options switch on google/uuid's random pool (a write to
// that package's global) each time a reader is made, so readers opened at
// once, as a web server's requests do, race on it. It is the one package
// variable here, guarding a third party's.
var openReaderMu sync.Mutex

func newFileReader(path string, offset int64, opts ...nlwarc.WarcRecordOption) (*nlwarc.WarcFileReader, error) {
	openReaderMu.Lock()
	defer openReaderMu.Unlock()
	return nlwarc.NewWarcFileReader(path, offset, opts...)
}

// ReadResponse reads the response or revisit record at offset in file.
// An error that comes of the record's damage says so (Damaged).
func ReadResponse(dir, file string, offset int64) (*Response, error) {
	path := Path(dir, file)
	resp, err := readResponse(path, file, offset)
	return resp, readError(path, offset, err)
}

func readResponse(path, file string, offset int64) (*Response, error) {
	r, err := newFileReader(path, offset, nlwarc.WithSpecViolationPolicy(nlwarc.ErrWarn), nlwarc.WithSyntaxErrorPolicy(nlwarc.ErrWarn))
	if err != nil {
		return nil, err
	}
	defer r.Close()
	rec, err := r.Next()
	if err != nil {
		return nil, fmt.Errorf("read %s at %d: %w", file, offset, err)
	}
	defer rec.Close()
	wr := rec.WarcRecord
	out := &Response{RecordType: wr.Type().String(), TargetURI: wr.WarcHeader().Get(nlwarc.WarcTargetURI)}
	out.Date, _ = wr.Date()
	switch block := wr.Block().(type) {
	case nlwarc.HttpResponseBlock:
		out.Status = block.HttpStatusCode()
		if h := block.HttpHeader(); h != nil {
			out.Header = h.Clone()
		}
		pr, err := block.PayloadBytes()
		if err != nil {
			return nil, err
		}
		if out.Payload, err = io.ReadAll(pr); err != nil {
			return nil, err
		}
		out.Chunked = chunked(block.ProtocolHeaderBytes())
	case nlwarc.ProtocolHeaderBlock:
		// A revisit keeps only the answer's status line and headers.
		resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(block.ProtocolHeaderBytes())), nil)
		if err != nil {
			return nil, fmt.Errorf("%s at %d: revisit headers: %w", file, offset, err)
		}
		resp.Body.Close()
		out.Status, out.Header = resp.StatusCode, resp.Header
	default:
		return nil, fmt.Errorf("%s at %d is a %s record, not an HTTP response", file, offset, out.RecordType)
	}
	return out, nil
}

// Finding is a problem a strict reading found in a WARC file.
type Finding struct {
	Offset int64
	Msg    string
}

// Check reads every record of a WARC file with strict validation (syntax,
// WARC 1.1 rules, block and payload digests) and reports what it found and
// how many records it read. A partly written last record, as a crash
// leaves, is reported as a finding at its offset.
func Check(path string) (records int, findings []Finding, err error) {
	recs, findings, err := Scan(path)
	return len(recs), findings, err
}

// Files lists the WARC files in dir, finished and open, in name order.
func Files(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil
		}
		return nil, err
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if strings.HasSuffix(n, ".warc.gz") || strings.HasSuffix(n, ".warc.gz"+openSuffix) {
			out = append(out, filepath.Join(dir, n))
		}
	}
	return out, nil
}

// Body is the entity body of an archived response, read from its record as
// it is copied out: chunked framing and content encoding removed, nothing held in memory but a
// buffer. (Checking the record's digests spills its block to a temporary
// file past 1 MiB, which the reader then reads.) Close releases the file.
type Body struct {
	io.Reader
	Status  int
	Header  http.Header
	closers []io.Closer
}

// Close closes the record and its file.
func (b *Body) Close() error {
	var first error
	for i := len(b.closers) - 1; i >= 0; i-- {
		if err := b.closers[i].Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// OpenBody opens the entity body of the response record at offset in file,
// for streaming: an attachment of hundreds of megabytes costs a buffer, not
// its size. A revisit record has no body: use the record it refers to.
// An error, in opening or in reading, that comes of the record's damage
// says so (Damaged).
func OpenBody(dir, file string, offset int64) (*Body, error) {
	path := Path(dir, file)
	b, src, err := openBody(path, file, offset)
	if err != nil {
		return nil, readError(path, offset, err)
	}
	b.Reader = &bodyReader{r: b.Reader, src: src, path: path, offset: offset}
	return b, nil
}

// bodyReader says of an error in reading a record's body what it comes
// of: the record's damage (Damaged), the body as the server encoded it
// (Undecodable: its chunked framing or compression broken), or else the
// file (a read error of the disk, as it is).
type bodyReader struct {
	r      io.Reader
	src    *sourceReader
	path   string
	offset int64
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == nil || err == io.EOF {
		return n, err
	}
	if err = readError(b.path, b.offset, err); Damaged(err) || b.src.gave(err) {
		return n, err
	}
	return n, fmt.Errorf("%w: %w", ErrUndecodable, err)
}

// sourceReader is the record's payload as the file gives it, under the
// body's decoding; it keeps the last error the file gave, so that an error
// the decoding makes of its own can be told from it.
type sourceReader struct {
	r   io.Reader
	err error
}

func (s *sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
	}
	return n, err
}

// gave says whether err is (or wraps) the error the file gave: not one
// the decoding above it made of its own.
func (s *sourceReader) gave(err error) bool { return s.err != nil && errors.Is(err, s.err) }

func openBody(path, file string, offset int64) (*Body, *sourceReader, error) {
	r, err := newFileReader(path, offset, nlwarc.WithSpecViolationPolicy(nlwarc.ErrWarn), nlwarc.WithSyntaxErrorPolicy(nlwarc.ErrWarn))
	if err != nil {
		return nil, nil, err
	}
	rec, err := r.Next()
	if err != nil {
		r.Close()
		return nil, nil, fmt.Errorf("read %s at %d: %w", file, offset, err)
	}
	b := &Body{closers: []io.Closer{r, rec}}
	block, ok := rec.WarcRecord.Block().(nlwarc.HttpResponseBlock)
	if !ok {
		b.Close()
		return nil, nil, fmt.Errorf("%s at %d is a %s record, not an HTTP response with a body", file, offset, rec.WarcRecord.Type())
	}
	b.Status = block.HttpStatusCode()
	if h := block.HttpHeader(); h != nil {
		b.Header = h.Clone()
	}
	raw, err := block.PayloadBytes()
	if err != nil {
		b.Close()
		return nil, nil, err
	}
	src := &sourceReader{r: raw}
	var payload io.Reader = src
	undecodable := func(err error) error {
		if src.gave(err) {
			return err // the file's, not the encoding's
		}
		return fmt.Errorf("decode archived body: %w: %w", ErrUndecodable, err)
	}
	if chunked(block.ProtocolHeaderBytes()) {
		payload = httputil.NewChunkedReader(payload)
	}
	truncated := rec.WarcRecord.WarcHeader().Get(nlwarc.WarcTruncated) != ""
	pb := bufio.NewReader(payload)
	enc := strings.ToLower(strings.TrimSpace(b.Header.Get("Content-Encoding")))
	if _, err := pb.Peek(1); err == io.EOF {
		enc = "" // an empty body has nothing to decode, whatever its headers say
	}
	switch enc {
	case "", "identity":
		b.Reader = pb
	case "gzip", "x-gzip":
		zr, err := newGzipBody(pb)
		if truncated && errors.Is(err, io.ErrUnexpectedEOF) {
			break // cut within the gzip header: nothing of the body was archived
		}
		if err != nil {
			b.Close()
			return nil, nil, undecodable(err)
		}
		b.Reader, b.closers = zr, append(b.closers, zr)
	case "deflate":
		dr, err := inflater(pb)
		if err != nil {
			b.Close()
			return nil, nil, undecodable(err)
		}
		b.Reader, b.closers = dr, append(b.closers, dr)
	default:
		b.Close()
		return nil, nil, fmt.Errorf("%w: unsupported content encoding %q", ErrUndecodable, enc)
	}
	if b.Reader == nil {
		b.Reader = strings.NewReader("")
	}
	if truncated {
		// The body was cut (a size or time limit, a dropped connection):
		// its chunked framing or compressed stream ends early, and what
		// is there is what the archive has, as Entity reads it.
		b.Reader = cutReader{b.Reader}
	}
	return b, src, nil
}

// cutReader ends at the end of a truncated body without an error.
type cutReader struct{ r io.Reader }

func (c cutReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF
	}
	return n, err
}

// chunked says whether a response's body was sent with chunked transfer
// coding, whose framing the record keeps (as Heritrix and wget do), from
// the response's header bytes: the parsed header has no Transfer-Encoding.
func chunked(headerBytes []byte) bool {
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(headerBytes)), nil)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return slices.Contains(resp.TransferEncoding, "chunked")
}

// dechunk is body without its chunked framing: what the framing holds,
// and its error (io.ErrUnexpectedEOF for a body cut short).
func dechunk(body []byte) ([]byte, error) {
	return io.ReadAll(httputil.NewChunkedReader(bytes.NewReader(body)))
}

// Entity is the response's body as the application sent it: chunked
// framing removed, then the content encoding, at most limit bytes of it;
// cut says it was longer.
func (r *Response) Entity(limit int64) (body []byte, cut bool, err error) {
	payload := r.Payload
	if r.Chunked {
		dechunked, err := dechunk(payload)
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, false, fmt.Errorf("%w: archived body's chunked framing: %w", ErrUndecodable, err)
		}
		payload = dechunked
	}
	body, cut, err = DecodeContent(payload, r.Header.Get("Content-Encoding"), limit)
	if err != nil {
		return nil, false, fmt.Errorf("decode archived body: %w: %w", ErrUndecodable, err)
	}
	if int64(len(body)) > limit {
		body, cut = body[:limit], true
	}
	return body, cut, nil
}
