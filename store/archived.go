package store

import (
	"context"
	"errors"

	"tulieu/warc"
)

// ArchivedPage is a page as it was archived: the body the server sent
// (content encoding removed, charset untouched) and its Content-Type.
type ArchivedPage struct {
	Body        []byte
	ContentType string
	Capture     *Capture // the capture whose record holds the body
}

// ArchivedPage reads the page behind a capture from the WARC files,
// following a revisit to the record that holds the payload.
func (s *Store) ArchivedPage(ctx context.Context, captureID int64) (*ArchivedPage, error) {
	if captureID == 0 {
		return nil, errors.New("no capture is recorded for this article")
	}
	c, err := s.PayloadCapture(ctx, captureID)
	if err != nil {
		return nil, err
	}
	resp, err := warc.ReadResponse(s.WARCPath(), c.WARCFile, c.WARCOffset)
	if err != nil {
		return nil, err
	}
	body, _, err := resp.Entity(1 << 30)
	if err != nil {
		return nil, err
	}
	return &ArchivedPage{Body: body, ContentType: resp.Header.Get("Content-Type"), Capture: c}, nil
}
