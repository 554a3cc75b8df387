package crawler

import "sync"

// queued is a URL waiting to be handed to colly.
type queued struct {
	url   string
	depth int
	chain int // same-shape pages that led here (see Options.MaxPerPattern)
	// barren is how many of those, in a row up to here, brought nothing
	// new (see maxBarren).
	barren int
}

// frontier feeds colly at the pace it fetches. Colly's asynchronous mode
// starts a goroutine (with its request, headers and context) for every URL
// it is given; handing it all of a big site at once costs hundreds of
// megabytes. The frontier holds the waiting URLs as plain strings and gives
// colly at most max at a time; each given URL is released once its fetch
// is over (handled, given up, or aborted).
type frontier struct {
	mu          sync.Mutex
	cond        *sync.Cond
	queue       []queued
	outstanding int
	max         int
	stopped     bool
}

func newFrontier(max int) *frontier {
	f := &frontier{max: max}
	f.cond = sync.NewCond(&f.mu)
	return f
}

func (f *frontier) push(q queued) {
	f.mu.Lock()
	if !f.stopped {
		f.queue = append(f.queue, q)
	}
	f.mu.Unlock()
	f.cond.Broadcast()
}

// release ends one fetch that run handed out.
func (f *frontier) release() {
	f.mu.Lock()
	f.outstanding--
	f.mu.Unlock()
	f.cond.Broadcast()
}

// stop hands out nothing more; what is still queued stays in the catalog's
// frontier for the next run.
func (f *frontier) stop() {
	f.mu.Lock()
	f.stopped = true
	f.mu.Unlock()
	f.cond.Broadcast()
}

// run hands queued URLs to submit, at most max at a time, until nothing is
// queued or in progress (the crawl is over), or until stop and the fetches
// in progress have ended. submit reports false when the URL was not taken,
// which releases it at once.
func (f *frontier) run(submit func(queued) bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for {
		for !f.stopped && f.outstanding > 0 && (len(f.queue) == 0 || f.outstanding >= f.max) {
			f.cond.Wait()
		}
		if f.stopped {
			for f.outstanding > 0 {
				f.cond.Wait()
			}
			return
		}
		if len(f.queue) == 0 {
			return // and nothing outstanding: done
		}
		q := f.queue[0]
		f.queue[0] = queued{}
		f.queue = f.queue[1:]
		f.outstanding++
		f.mu.Unlock()
		taken := submit(q)
		f.mu.Lock()
		if !taken {
			f.outstanding--
		}
	}
}

// waiting is how many URLs are queued and not yet handed out.
func (f *frontier) waiting() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.queue)
}
