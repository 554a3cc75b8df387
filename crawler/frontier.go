package crawler

import (
	"net/url"
	"sync"
	"sync/atomic"

	"github.com/gocolly/colly/v2"
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
	// start is set by the frontier when it hands out a start URL: true
	// until the page's links are queued or its fetch is over (endStart).
	start *atomic.Bool
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
//
// The start URLs go first, and nothing else of their server until their
// links are queued (or their fetch is over); then the shallowest URLs
// first, each depth in the order queued: what the start pages link is
// fetched before what pages further down link, however the fetches in
// progress happen to finish. A night with a --max-pages budget spends it
// on the article its home page announces before the pages a listing,
// reached first through an older article, leads to, even when the home
// page answers slowly. Another server's pages do not wait for it (a site
// whose home page is down or asks for a pause does not stall the others),
// nor do they wait for the start page's images.
type frontier struct {
	mu          sync.Mutex
	cond        *sync.Cond
	levels      [][]queued     // waiting, by depth
	waitingN    int            // in levels
	starts      map[string]int // start URLs handed out whose links are not queued yet, by server
	outstanding int
	byServer    map[string]int // outstanding, by queued.server
	queuedBy    map[string]int // waiting in queue, by queued.server
	max         int
	stopped     bool
	holds       int // pages queuing their links: see hold
}

func newFrontier(max int) *frontier {
	f := &frontier{max: max, byServer: map[string]int{}, queuedBy: map[string]int{}, starts: map[string]int{}}
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
		d := max(0, q.depth)
		for len(f.levels) <= d {
			f.levels = append(f.levels, nil)
		}
		f.levels[d] = append(f.levels[d], q)
		f.waitingN++
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

// endStart lets the other URLs of server go, once the start URL whose
// queued.start is t has queued its links or is over; only the first call
// for a start URL counts.
func (f *frontier) endStart(t *atomic.Bool, server string) {
	if t == nil || !t.CompareAndSwap(true, false) {
		return
	}
	f.mu.Lock()
	f.startEnded(server)
	f.mu.Unlock()
	f.cond.Broadcast()
}

func (f *frontier) startEnded(server string) {
	if f.starts[server]--; f.starts[server] <= 0 {
		delete(f.starts, server)
	}
}

// endStartOf is endStart for the URL of a request, by what its context
// holds (nothing for a URL that is no start URL).
func endStartOf(f *frontier, c *colly.Context) {
	if t, ok := c.GetAny(ctxStart).(*atomic.Bool); ok {
		f.endStart(t, c.Get(ctxServer))
	}
}

// releaseOf releases the URL of a request, by what its context holds.
func releaseOf(f *frontier, c *colly.Context) {
	endStartOf(f, c)
	f.release(c.Get(ctxServer))
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

// firstLevel is the shallowest depth with URLs waiting; -1 for none.
func (f *frontier) firstLevel() int {
	for d, l := range f.levels {
		if len(l) > 0 {
			return d
		}
	}
	return -1
}

// pick is the depth and index of the next URL to hand out, d < 0 for none
// now: the first, shallowest first, whose server holds less than half the
// window, or, when no other server is waiting or in progress, the first.
func (f *frontier) pick() (d, i int) {
	if f.waitingN == 0 || f.outstanding >= f.max || f.holds > 0 {
		return -1, 0
	}
	d0 := f.firstLevel()
	share := max(1, f.max/2)
	// A server's pages wait for its start URLs' links (not start URLs:
	// depth 0).
	gated := func(d int, server string) bool { return d > 0 && f.starts[server] > 0 }
	first := f.levels[d0][0].server
	if !gated(d0, first) {
		if f.byServer[first] < share {
			return d0, 0
		}
		if len(f.queuedBy) == 1 && (len(f.byServer) == 0 || len(f.byServer) == 1 && f.byServer[first] > 0) {
			return d0, 0 // one server alone: the whole window (and no scan of a long queue)
		}
	}
	for d := d0; d < len(f.levels); d++ {
		for i, q := range f.levels[d] {
			if !gated(d, q.server) && f.byServer[q.server] < share {
				return d, i
			}
		}
	}
	return -1, 0 // the others are in progress, at their share, or waiting for their start URLs: wait
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
		d, i := f.pick()
		for !f.stopped && f.outstanding > 0 && d < 0 {
			f.cond.Wait()
			d, i = f.pick()
		}
		if f.stopped {
			for f.outstanding > 0 {
				f.cond.Wait()
			}
			return
		}
		if f.waitingN == 0 {
			return // and nothing outstanding: done
		}
		if d < 0 {
			d, i = f.firstLevel(), 0 // nothing in progress: whatever waits
		}
		level := f.levels[d]
		q := level[i]
		if f.queuedBy[q.server]--; f.queuedBy[q.server] <= 0 {
			delete(f.queuedBy, q.server)
		}
		if i == 0 {
			level[0] = queued{}
			f.levels[d] = level[1:]
		} else {
			f.levels[d] = append(level[:i], level[i+1:]...)
		}
		f.waitingN--
		f.outstanding++
		f.byServer[q.server]++
		if q.depth <= 0 {
			q.start = new(atomic.Bool)
			q.start.Store(true)
			f.starts[q.server]++
		}
		f.mu.Unlock()
		taken := submit(q)
		f.mu.Lock()
		if !taken {
			f.outstanding--
			f.done(q.server)
			if q.start != nil && q.start.CompareAndSwap(true, false) {
				f.startEnded(q.server)
			}
		}
	}
}

// waiting is how many URLs are queued and not yet handed out.
func (f *frontier) waiting() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.waitingN
}
