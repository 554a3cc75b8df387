package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"tulieu/internal/diskfull"
	"tulieu/store"
	"tulieu/warc"
)

// ErrDiskFull ends a crawl whose archive or catalog found no room to
// write. What was recorded before stays whole (a WARC record cut short is
// removed, a catalog transaction that failed is rolled back), the pages in
// flight stay queued, and the next run continues once space is freed.
var ErrDiskFull = errors.New("no space left on the disk")

// fullDisk stops a crawl at the first write that found the disk full:
// going on would only fail page after page and fill the log.
type fullDisk struct {
	stop func(error)
	once sync.Once
}

// check passes err through, stopping the crawl first when it says the
// disk is full.
func (f *fullDisk) check(err error) error {
	if diskfull.Is(err) {
		f.once.Do(func() { f.stop(fmt.Errorf("%w: %v", ErrDiskFull, err)) })
	}
	return err
}

// stoppingOnFullDisk is the crawler with its archive and catalog watched
// for a full disk, which calls stop, and its log quiet about the writes
// that fail once it is full.
func (cr *Crawler) stoppingOnFullDisk(stop context.CancelCauseFunc) *Crawler {
	full := &fullDisk{stop: stop}
	return &Crawler{catalog: fullDiskCatalog{Catalog: cr.catalog, f: full}, archive: fullDiskArchive{Archive: cr.archive, f: full},
		log: slog.New(quietDiskFull{cr.log.Handler()})}
}

// fullDiskArchive watches the archive's writes.
type fullDiskArchive struct {
	Archive
	f *fullDisk
}

func (a fullDiskArchive) WriteExchange(ex warc.Exchange) (warc.Location, error) {
	loc, err := a.Archive.WriteExchange(ex)
	return loc, a.f.check(err)
}

// fullDiskCatalog watches the catalog's writes; reads pass through.
type fullDiskCatalog struct {
	Catalog
	f *fullDisk
}

func (c fullDiskCatalog) AddCapture(ctx context.Context, cp *store.Capture) (int64, error) {
	id, err := c.Catalog.AddCapture(ctx, cp)
	return id, c.f.check(err)
}

func (c fullDiskCatalog) SetCaptureKind(ctx context.Context, id int64, kind string) error {
	return c.f.check(c.Catalog.SetCaptureKind(ctx, id, kind))
}

func (c fullDiskCatalog) RecordArticle(ctx context.Context, canonicalURL string, content store.Content, captureID int64, at time.Time) (store.Outcome, string, error) {
	o, id, err := c.Catalog.RecordArticle(ctx, canonicalURL, content, captureID, at)
	return o, id, c.f.check(err)
}

func (c fullDiskCatalog) MoveArticle(ctx context.Context, fromURL, toURL string, onlyMerge bool, since, at time.Time) (store.Move, error) {
	m, err := c.Catalog.MoveArticle(ctx, fromURL, toURL, onlyMerge, since, at)
	return m, c.f.check(err)
}

func (c fullDiskCatalog) MarkUnchanged(ctx context.Context, canonicalURL string, at time.Time) (store.Confirmed, error) {
	u, err := c.Catalog.MarkUnchanged(ctx, canonicalURL, at)
	return u, c.f.check(err)
}

func (c fullDiskCatalog) MarkDeleted(ctx context.Context, canonicalURL string, at time.Time) (string, error) {
	kind, err := c.Catalog.MarkDeleted(ctx, canonicalURL, at)
	return kind, c.f.check(err)
}

func (c fullDiskCatalog) AddOutlinks(ctx context.Context, captureID int64, urls []string) error {
	return c.f.check(c.Catalog.AddOutlinks(ctx, captureID, urls))
}

func (c fullDiskCatalog) Reclassify(ctx context.Context, canonicalURL, kind string) (bool, error) {
	ok, err := c.Catalog.Reclassify(ctx, canonicalURL, kind)
	return ok, c.f.check(err)
}

// quietDiskFull drops log records that carry a disk-full error: once the
// disk is full every write in flight fails the same way, and the one line
// that matters is the error Run returns.
type quietDiskFull struct{ slog.Handler }

func (h quietDiskFull) Handle(ctx context.Context, r slog.Record) error {
	full := false
	r.Attrs(func(a slog.Attr) bool {
		if err, ok := a.Value.Any().(error); ok && diskfull.Is(err) {
			full = true
			return false
		}
		return true
	})
	if full {
		return nil
	}
	return h.Handler.Handle(ctx, r)
}

func (h quietDiskFull) WithAttrs(attrs []slog.Attr) slog.Handler {
	return quietDiskFull{h.Handler.WithAttrs(attrs)}
}

func (h quietDiskFull) WithGroup(name string) slog.Handler {
	return quietDiskFull{h.Handler.WithGroup(name)}
}

func (c fullDiskCatalog) SaveAttachmentText(ctx context.Context, t store.AttachmentText) error {
	return c.f.check(c.Catalog.SaveAttachmentText(ctx, t))
}
