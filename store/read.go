package store

import (
	"context"
	"errors"
	"fmt"

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
	body, truncated, err := warc.DecodeContent(resp.Payload, resp.Header.Get("Content-Encoding"), limit)
	if err != nil {
		return nil, false, fmt.Errorf("decode archived body: %w", err)
	}
	if int64(len(body)) > limit {
		body, truncated = body[:limit], true
	}
	return &ArchivedPage{Body: body, ContentType: resp.Header.Get("Content-Type"), Capture: c}, truncated, nil
}
