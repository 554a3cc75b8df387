package warc

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"strings"
)

// DecodeContent removes a gzip or deflate content encoding, reading at most
// limit decoded bytes: a small compressed body that inflates to gigabytes
// (a gzip bomb) is cut off there without the process growing. It reports
// whether the decoded body was cut.
func DecodeContent(entity []byte, encoding string, limit int64) ([]byte, bool, error) {
	if len(entity) == 0 {
		return entity, false, nil // nothing to decode, whatever the headers say
	}
	r, closeR, err := decoder(bytes.NewReader(entity), encoding)
	if err != nil || r == nil {
		return entity, false, err // identity, or an encoding that cannot be read
	}
	defer closeR()
	out, err := io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(out)) > limit {
		return out[:limit], true, nil
	}
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return out, false, err
	}
	return out, false, nil
}

// ErrCutStream: a gzip or deflate stream that ends before its end. What
// came before is written all the same; the caller decides whether a
// stream cut short is expected (the transfer itself was cut) or not (a
// server that sent its page compressed and cut).
var ErrCutStream = fmt.Errorf("the compressed stream ends before its end: %w", io.ErrUnexpectedEOF)

// DecodeContentTo is DecodeContent for bodies too large to hold: it reads
// the entity from src and writes the decoded body to dst, at most limit
// bytes (plus one, to tell), and reports whether it was cut. A stream cut
// short is ErrCutStream, after what it held is written.
func DecodeContentTo(dst io.Writer, src io.Reader, encoding string, limit int64) (bool, error) {
	r, closeR, err := decoder(src, encoding)
	if err != nil {
		return false, err
	}
	if r == nil {
		r = src
	} else {
		defer closeR()
	}
	n, err := io.Copy(dst, io.LimitReader(r, limit+1))
	if n > limit {
		return true, nil
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return false, ErrCutStream
	}
	return false, err
}

// decoder reads src with its content encoding removed; nil for no
// encoding (identity).
func decoder(src io.Reader, encoding string) (io.Reader, func(), error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
		return nil, nil, nil
	case "gzip", "x-gzip":
		zr, err := newGzipBody(src)
		if err != nil {
			return nil, nil, err
		}
		return zr, func() { zr.Close() }, nil
	case "deflate":
		dr, err := inflater(src)
		if err != nil {
			return nil, nil, err
		}
		return dr, func() { dr.Close() }, nil
	}
	return nil, nil, fmt.Errorf("unsupported content encoding %q", encoding)
}

// inflater reads a body sent with Content-Encoding: deflate. HTTP's
// deflate is the zlib format (RFC 9110, 8.4.1.2), which Apache, PHP and
// IIS send; some servers send raw DEFLATE instead, and browsers read both.
// So does this: a body that starts with a zlib header is read as zlib.
func inflater(src io.Reader) (io.ReadCloser, error) {
	br := bufio.NewReader(src)
	if head, err := br.Peek(2); err == nil && head[0]&0x0f == 8 && head[0]>>4 <= 7 && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 {
		return zlib.NewReader(br)
	}
	return flate.NewReader(br), nil
}

// gzipBody reads a gzip-encoded body member after member, as browsers do,
// and ends at the first bytes after a member that do not start another:
// a stray newline that a script printed after its compressed output, say,
// is not part of the body (a multistream gzip.Reader fails on it, with
// io.ErrUnexpectedEOF or ErrHeader). An empty body is empty. A member cut
// short, or one whose checksum fails, is an error.
type gzipBody struct {
	br *bufio.Reader
	zr *gzip.Reader // nil for an empty body
}

func newGzipBody(src io.Reader) (*gzipBody, error) {
	br := bufio.NewReader(src)
	if _, err := br.Peek(1); err == io.EOF {
		return &gzipBody{br: br}, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, err
	}
	zr.Multistream(false)
	return &gzipBody{br: br, zr: zr}, nil
}

func (g *gzipBody) Read(p []byte) (int, error) {
	if g.zr == nil {
		return 0, io.EOF
	}
	for {
		n, err := g.zr.Read(p)
		if err != io.EOF {
			return n, err
		}
		// The member ended whole (its checksum held): another member
		// follows only if its magic number does.
		if head, _ := g.br.Peek(2); len(head) < 2 || head[0] != 0x1f || head[1] != 0x8b {
			return n, io.EOF
		}
		if err := g.zr.Reset(g.br); err != nil {
			return n, err
		}
		g.zr.Multistream(false)
		if n > 0 {
			return n, nil
		}
	}
}

func (g *gzipBody) Close() error {
	if g.zr == nil {
		return nil
	}
	return g.zr.Close()
}
