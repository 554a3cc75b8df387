package mmapadvice

import (
	"context"
	"time"
)

// Bound keeps this process's file-backed resident memory near limit until
// ctx ends: every so often it reads how much is resident and, above the
// limit, releases the mappings under dir (Release), telling released how
// much was resident. A server that reads its index through mmap otherwise
// keeps every page it has ever read in its resident set, and a small
// machine's monitoring and out-of-memory killer count those pages as the
// process's own; released, they stay in the page cache, shared and
// reclaimable, and cost a minor fault when read again.
func Bound(ctx context.Context, dir string, limit int64, every time.Duration, released func(resident int64, err error)) {
	if limit <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		resident, err := FileResident()
		if err != nil {
			return // not measurable here: nothing to bound
		}
		if resident <= limit {
			continue
		}
		_, err = Release(dir)
		if released != nil {
			released(resident, err)
		}
	}
}
