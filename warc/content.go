package warc

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
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
	var r io.Reader
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
		return entity, false, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(entity))
		if err != nil {
			return entity, false, err
		}
		defer zr.Close()
		r = zr
	case "deflate":
		fr := flate.NewReader(bytes.NewReader(entity))
		defer fr.Close()
		r = fr
	default:
		return entity, false, fmt.Errorf("unsupported content encoding %q", encoding)
	}
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
// bytes, and reports whether it was cut.
func DecodeContentTo(dst io.Writer, src io.Reader, encoding string, limit int64) (bool, error) {
	var r io.Reader
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
		r = src
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(src)
		if err != nil {
			return false, err
		}
		defer zr.Close()
		r = zr
	case "deflate":
		fr := flate.NewReader(src)
		defer fr.Close()
		r = fr
	default:
		return false, fmt.Errorf("unsupported content encoding %q", encoding)
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
