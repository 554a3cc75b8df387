package store

import (
	"context"
	"errors"

	"tulieu/warc"
)

// ReadCapture reads the body behind a capture (following a revisit to the
// record that holds the payload), content encoding removed, at most limit
// bytes of it: the web server reads archived pages, images and attachments
// with a bound so that no request can make it hold a gigabyte. Truncated
// says the body was longer than limit.
func (s *Store) ReadCapture(ctx context.Context, captureID int64, limit int64) (page *ArchivedPage, truncated bool, err error) {
	if captureID == 0 {
		return nil, false, errors.New("no capture is recorded for this article")
	}
	c, err := s.PayloadCapture(ctx, captureID)
	if err != nil {
		return nil, false, err
	}
	resp, err := warc.ReadResponse(s.WARCPath(), c.WARCFile, c.WARCOffset)
	if err != nil {
		return nil, false, err
	}
	body, truncated, err := resp.Entity(limit)
	if err != nil {
		return nil, false, err
	}
	return &ArchivedPage{Body: body, ContentType: resp.Header.Get("Content-Type"), Capture: c}, truncated, nil
}

// OpenCapture opens the body behind a capture (following a revisit to the
// record that holds the payload) for streaming, content encoding removed:
// the web server sends attachments of any size this way with a buffer's
// worth of memory. The caller closes it.
func (s *Store) OpenCapture(ctx context.Context, captureID int64) (*warc.Body, *Capture, error) {
	c, err := s.PayloadCapture(ctx, captureID)
	if err != nil {
		return nil, nil, err
	}
	b, err := warc.OpenBody(s.WARCPath(), c.WARCFile, c.WARCOffset)
	if err != nil {
		return nil, nil, err
	}
	return b, c, nil
}
