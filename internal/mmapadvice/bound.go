package mmapadvice

import (
	"context"
	"sync"
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
//
// The limit is a peak, not a trigger: what the process maps between two
// looks lands on top of what the last look saw. That growth is small when
// the page cache holds the files in single pages (a fault maps at most
// 64 KiB), and large when it holds them in large folios, as Linux 6.x does
// for files just written or read in sequence (a reindex, a merge, a
// copy): one fault then maps a whole folio, up to 2 MiB, and a search of
// the load benchmark mapped 25 MiB. So Check releases once the resident
// size plus the largest recent growth between two looks would pass the
// limit.
type Bound struct {
	limit     int64
	release   func() error
	released  func(resident int64, err error)
	releasing atomic.Bool
	resident  func() (int64, error) // FileResident; another in tests

	mu     sync.Mutex
	last   int64 // the resident size the last look saw
	looked bool  // whether last is set
	growth int64 // the largest growth between two looks lately (decaying)
	floor  int64 // the least resident size a release has left (0: none yet)
}

// NewBound bounds the file-backed resident memory to limit bytes (0: no
// bound) by calling release above it; released, if not nil, is told the
// resident size each release started from and how it ended.
func NewBound(limit int64, release func() error, released func(resident int64, err error)) *Bound {
	return &Bound{limit: limit, release: release, released: released, resident: FileResident}
}

// growthDecay makes the remembered growth fade by 1/growthDecay per look,
// so that one burst does not make the bound release early for long.
const growthDecay = 256

// Check releases the mappings if the process holds more than the limit.
// Concurrent calls release once.
//
// Each look reads the resident size under the lock, so that looks are
// compared in the order they were made, and none spans a release (a look
// read before another caller's release and compared after it would take
// the release itself for growth).
func (b *Bound) Check() {
	if b == nil || b.limit <= 0 {
		return
	}
	b.mu.Lock()
	resident, err := b.resident()
	if err != nil {
		b.mu.Unlock()
		return // not measurable here
	}
	if d := resident - b.last; b.looked && d > b.growth {
		b.growth = d
	} else {
		b.growth -= b.growth / growthDecay
	}
	b.last, b.looked = resident, true
	// What no release gives back (the program's own code: the least a
	// release has left) is not worth releasing for: under a limit below
	// it, only the mappings above half the limit are.
	within := resident+b.growth <= max(b.limit, b.floor+b.limit/2)
	b.mu.Unlock()
	if within {
		return
	}
	if !b.releasing.CompareAndSwap(false, true) {
		return // another caller is releasing
	}
	defer b.releasing.Store(false)
	err = b.release()
	b.mu.Lock()
	if after, rerr := b.resident(); rerr == nil {
		// The next growth counts from here; looks made during the
		// release saw more.
		b.last = after
		// The floor is the least any release has left: searches that
		// mapped pages during one, or a release that failed, must not
		// raise it.
		if err == nil && (b.floor == 0 || after < b.floor) {
			b.floor = after
		}
	}
	b.mu.Unlock()
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
