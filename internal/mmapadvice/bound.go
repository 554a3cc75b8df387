package mmapadvice

import (
	"context"
	"sync/atomic"
	"time"
)

// Bound keeps this process's file-backed resident memory near a limit: when
// it finds more resident (Check), it has the mappings released (see
// Release). A server that reads its index through mmap otherwise keeps
// every page it has ever read in its resident set, and a small machine's
// monitoring and out-of-memory killer count those pages as the process's
// own; released, they stay in the page cache, shared and reclaimable, and
// cost a minor fault when read again.
//
// Check is cheap (one read of /proc/self/statm): call it after the work
// that reads the mappings, and let Run call it on a timer as well.
type Bound struct {
	limit     int64
	release   func() error
	released  func(resident int64, err error)
	releasing atomic.Bool
}

// NewBound bounds the file-backed resident memory to limit bytes (0: no
// bound) by calling release above it; released, if not nil, is told the
// resident size each release started from and how it ended.
func NewBound(limit int64, release func() error, released func(resident int64, err error)) *Bound {
	return &Bound{limit: limit, release: release, released: released}
}

// Check releases the mappings if the process holds more than the limit.
// Concurrent calls release once.
func (b *Bound) Check() {
	if b == nil || b.limit <= 0 {
		return
	}
	resident, err := FileResident()
	if err != nil || resident <= b.limit {
		return // not measurable here, or within the bound
	}
	if !b.releasing.CompareAndSwap(false, true) {
		return // another caller is releasing
	}
	defer b.releasing.Store(false)
	err = b.release()
	if b.released != nil {
		b.released(resident, err)
	}
}

// Run calls Check every so often until ctx ends.
func (b *Bound) Run(ctx context.Context, every time.Duration) {
	if b == nil || b.limit <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			b.Check()
		}
	}
}
