package store

import (
	"context"
)

// ArchivedPage is a page as it was archived: the body the server sent
// (content encoding removed, charset untouched) and its Content-Type.
type ArchivedPage struct {
	Body        []byte
	ContentType string
	Capture     *Capture // the capture whose record holds the body
}

// maxArchivedPage bounds ArchivedPage: a page is cut at the crawler's
// body limit long before this; the bound is for a damaged record.
const maxArchivedPage = 1 << 30

// ArchivedPage reads the page behind a capture from the WARC files,
// following a revisit to the record that holds the payload.
func (s *Store) ArchivedPage(ctx context.Context, captureID int64) (*ArchivedPage, error) {
	page, _, err := s.ReadCapture(ctx, captureID, maxArchivedPage)
	return page, err
}
