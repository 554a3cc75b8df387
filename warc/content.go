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

// DecodeContentTo is DecodeContent for bodies too large to hold: it reads
// the entity from src and writes the decoded body to dst, at most limit
// bytes (plus one, to tell), and reports whether it was cut.
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
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return false, err
	}
	return false, nil
}

// decoder reads src with its content encoding removed; nil for no
// encoding (identity).
func decoder(src io.Reader, encoding string) (io.Reader, func(), error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
		return nil, nil, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(src)
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
