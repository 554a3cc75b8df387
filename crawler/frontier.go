package crawler

import (
	"net/url"
	"sync"
)

// queued is a URL waiting to be handed to colly.
type queued struct {
	url   string
	depth int
	chain int // same-shape pages that led here (see Options.MaxPerPattern)
	// barren is how many of those, in a row up to here, brought nothing
	// new (see maxBarren).
	barren int
	server string // serverKey of url
}

// frontier feeds colly at the pace it fetches. Colly's asynchronous mode
// starts a goroutine (with its request, headers and context) for every URL
// it is given; handing it all of a big site at once costs hundreds of
// megabytes. The frontier holds the waiting URLs as plain strings and gives
// colly at most max at a time; each given URL is released once its fetch
// is over (handled, given up, or aborted).
//
// While other servers have URLs waiting or in progress, no server holds
// more than half the window: the pages of a server that asked for a pause
// (Retry-After) wait for their turn in the recorder, and must not take
// every place from the other sites of the crawl. A crawl of one server
// uses the whole window.
type frontier struct {
	mu          sync.Mutex
	cond        *sync.Cond
	queue       []queued
	outstanding int
	byServer    map[string]int // outstanding, by queued.server
	queuedBy    map[string]int // waiting in queue, by queued.server
	max         int
	stopped     bool
	holds       int // pages queuing their links: see hold
}

func newFrontier(max int) *frontier {
	f := &frontier{max: max, byServer: map[string]int{}, queuedBy: map[string]int{}}
	f.cond = sync.NewCond(&f.mu)
	return f
}

// frontierServer is the server a queued URL is counted under.
func frontierServer(u string) string {
	if pu, err := url.Parse(u); err == nil {
		return serverKey(pu)
	}
	return ""
}

func (f *frontier) push(q queued) {
	q.server = frontierServer(q.url)
	f.mu.Lock()
	if !f.stopped {
		f.queue = append(f.queue, q)
		f.queuedBy[q.server]++
	}
	f.mu.Unlock()
	f.cond.Broadcast()
}

// release ends the fetch that run handed out of a URL of server (its
// queued.server, kept with the request: no parse of the URL again).
func (f *frontier) release(server string) {
	f.mu.Lock()
	f.outstanding--
	f.done(server)
	f.mu.Unlock()
	f.cond.Broadcast()
}

func (f *frontier) done(server string) {
	if f.byServer[server]--; f.byServer[server] <= 0 {
		delete(f.byServer, server)
	}
}

// hold keeps the frontier from handing out URLs until the matching
// unhold, while a page queues its links: all of them are queued before
// any is fetched, so that the decision on each (queued already under
// another spelling, the path trap of a relative link, the spelling to try
// when another fails) sees the page's other links whatever the machine's
// scheduling. Handed out at once, the first link's page could be fetched
// and read before the page's later links were queued: under load, an
// article's relative link went unrecognized as a trap, and a link's
// other spelling was not yet met when the first failed (flaky tests).
// A page holds only while its own fetch is in progress, so the frontier
// is never held with nothing in progress.
func (f *frontier) hold() {
	f.mu.Lock()
	f.holds++
	f.mu.Unlock()
}

func (f *frontier) unhold() {
	f.mu.Lock()
	f.holds--
	f.mu.Unlock()
	f.cond.Broadcast()
}

// pick is the index of the next URL to hand out, -1 for none now: the
// first whose server holds less than half the window, or, when no other
// server is waiting or in progress, the first.
func (f *frontier) pick() int {
	if len(f.queue) == 0 || f.outstanding >= f.max || f.holds > 0 {
		return -1
	}
	share := max(1, f.max/2)
	first := f.queue[0].server
	if f.byServer[first] < share {
		return 0
	}
	if len(f.queuedBy) == 1 && (len(f.byServer) == 0 || len(f.byServer) == 1 && f.byServer[first] > 0) {
		return 0 // one server alone: the whole window (and no scan of a long queue)
	}
	for i, q := range f.queue {
		if f.byServer[q.server] < share {
			return i
		}
	}
	return -1 // the others are in progress, or at their share too: wait for places
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
		i := f.pick()
		for !f.stopped && f.outstanding > 0 && i < 0 {
			f.cond.Wait()
			i = f.pick()
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
		if i < 0 {
			i = 0 // nothing in progress: whatever waits
		}
		q := f.queue[i]
		if f.queuedBy[q.server]--; f.queuedBy[q.server] <= 0 {
			delete(f.queuedBy, q.server)
		}
		if i == 0 {
			f.queue[0] = queued{}
			f.queue = f.queue[1:]
		} else {
			f.queue = append(f.queue[:i], f.queue[i+1:]...)
		}
		f.outstanding++
		f.byServer[q.server]++
		f.mu.Unlock()
		taken := submit(q)
		f.mu.Lock()
		if !taken {
			f.outstanding--
			f.done(q.server)
		}
	}
}

// waiting is how many URLs are queued and not yet handed out.
func (f *frontier) waiting() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.queue)
}
