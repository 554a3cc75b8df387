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
