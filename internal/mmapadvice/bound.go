package mmapadvice

import (
	"context"
	"sync/atomic"
	"time"
)

// Bound keeps this process's file-backed resident memory near a limit: when
// it finds more resident (Check), it releases the mappings under a folder
// (Release). A server that reads its index through mmap otherwise keeps
// every page it has ever read in its resident set, and a small machine's
// monitoring and out-of-memory killer count those pages as the process's
// own; released, they stay in the page cache, shared and reclaimable, and
// cost a minor fault when read again.
//
// Check is cheap (one read of /proc/self/statm): call it after the work
// that reads the mappings, and let Run call it on a timer as well.
type Bound struct {
	dir       string
	limit     int64
	released  func(resident int64, err error)
	releasing atomic.Bool
}

// NewBound bounds the mappings of files under dir to limit bytes of
// file-backed resident memory (0: no bound); released, if not nil, is told
// the resident size each release started from.
func NewBound(dir string, limit int64, released func(resident int64, err error)) *Bound {
	return &Bound{dir: dir, limit: limit, released: released}
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
	_, err = Release(b.dir)
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
