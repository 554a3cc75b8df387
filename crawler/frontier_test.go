package crawler

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestFrontierBoundsAndFinishes(t *testing.T) {
	f := newFrontier(4)
	for i := 0; i < 10; i++ {
		f.push(queued{url: "seed", depth: 0})
	}
	var inFlight, peak, total atomic.Int64
	var wg sync.WaitGroup
	f.run(func(q queued) bool {
		if n := inFlight.Add(1); n > peak.Load() {
			peak.Store(n)
		}
		total.Add(1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each seed discovers two more pages, down to depth 3.
			if q.depth < 3 {
				f.push(queued{url: "child", depth: q.depth + 1})
				f.push(queued{url: "child", depth: q.depth + 1})
			}
			inFlight.Add(-1)
			f.release(q.server)
		}()
		return true
	})
	wg.Wait()
	if want := int64(10 * (1 + 2 + 4 + 8)); total.Load() != want {
		t.Errorf("handed out %d, want %d", total.Load(), want)
	}
	if peak.Load() > 4 {
		t.Errorf("%d in flight at once, want at most 4", peak.Load())
	}
}

func TestFrontierStop(t *testing.T) {
	f := newFrontier(2)
	for i := 0; i < 100; i++ {
		f.push(queued{url: "u"})
	}
	var handed atomic.Int64
	var wg sync.WaitGroup
	f.run(func(q queued) bool {
		if handed.Add(1) == 3 {
			f.stop()
		}
		wg.Add(1)
		go func() { defer wg.Done(); f.release(q.server) }()
		return true
	})
	wg.Wait()
	if handed.Load() > 4 || f.waiting() == 0 {
		t.Errorf("after stop: %d handed out, %d still waiting", handed.Load(), f.waiting())
	}
	// Refused submissions release at once.
	g := newFrontier(1)
	g.push(queued{url: "a"})
	g.push(queued{url: "b"})
	n := 0
	g.run(func(queued) bool { n++; return false })
	if n != 2 {
		t.Errorf("refused: %d submissions", n)
	}
}

// TestFrontierShareBetweenServers: while another server has URLs waiting,
// no server holds more than half the window, so a server whose requests
// all wait (a Retry-After pause) leaves room for the others; one server
// alone uses the whole window.
func TestFrontierShareBetweenServers(t *testing.T) {
	f := newFrontier(8)
	for i := range 20 {
		f.push(queued{url: "http://a.vn/" + string(rune('a'+i))})
	}
	for i := range 3 {
		f.push(queued{url: "http://b.vn/" + string(rune('a'+i))})
	}
	var mu sync.Mutex
	held := map[string]int{} // a.vn's pages never end until b.vn's are done
	bLeft := 3
	var bDone sync.WaitGroup
	bDone.Add(3)
	var wg sync.WaitGroup
	f.run(func(q queued) bool {
		server := frontierServer(q.url)
		mu.Lock()
		held[server]++
		if server == "a.vn" && held[server] > 4 && bLeft > 0 {
			t.Errorf("a.vn holds %d of 8 places while b.vn waits", held[server])
		}
		mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			if server == "a.vn" {
				bDone.Wait() // paused until b.vn is through
			} else {
				defer bDone.Done()
			}
			mu.Lock()
			held[server]--
			if server == "b.vn" {
				bLeft--
			}
			mu.Unlock()
			f.release(q.server)
		}()
		return true
	})
	wg.Wait()

	// One server alone: the whole window.
	g := newFrontier(8)
	for i := range 20 {
		g.push(queued{url: "http://a.vn/x" + string(rune('a'+i))})
	}
	var inFlight, peak atomic.Int64
	var release sync.WaitGroup
	release.Add(1)
	var wg2 sync.WaitGroup
	g.run(func(q queued) bool {
		if n := inFlight.Add(1); n > peak.Load() {
			peak.Store(n)
			if n == 8 {
				release.Done()
			}
		}
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			release.Wait()
			inFlight.Add(-1)
			g.release(q.server)
		}()
		return true
	})
	wg2.Wait()
	if peak.Load() != 8 {
		t.Errorf("one server: %d in flight at most, want the whole window (8)", peak.Load())
	}
}

// TestFrontierHoldsWhileAPageQueuesItsLinks: the links a page queues
// between hold and unhold are handed out only after unhold, all of them
// queued by then (see frontier.hold).
func TestFrontierHoldsWhileAPageQueuesItsLinks(t *testing.T) {
	f := newFrontier(4)
	f.push(queued{url: "http://a.test/"})
	var queuedAll atomic.Bool
	var early atomic.Int64
	var wg sync.WaitGroup
	f.run(func(q queued) bool {
		if q.url != "http://a.test/" && !queuedAll.Load() {
			early.Add(1)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if q.url == "http://a.test/" {
				f.hold()
				for _, u := range []string{"http://a.test/1", "http://a.test/2", "http://a.test/3"} {
					f.push(queued{url: u, depth: 1})
					time.Sleep(5 * time.Millisecond) // a page's links take a while
				}
				queuedAll.Store(true)
				f.unhold()
			}
			f.release(q.server)
		}()
		return true
	})
	wg.Wait()
	if early.Load() != 0 {
		t.Errorf("%d links handed out before their page had queued them all", early.Load())
	}
}

// TestFrontierStartsThenShallowestFirst: the start URLs are handed out
// first and nothing else until they are released; then the shallowest
// waiting URLs go first, each depth in the order queued, whatever order
// they were queued in.
func TestFrontierStartsThenShallowestFirst(t *testing.T) {
	f := newFrontier(4)
	f.push(queued{url: "deep", depth: 3})
	f.push(queued{url: "known", depth: 1})
	f.push(queued{url: "start", depth: 0})
	var order []string
	f.run(func(q queued) bool {
		order = append(order, q.url)
		switch q.url {
		case "start":
			// Its links come while nothing else may start.
			go func() {
				time.Sleep(50 * time.Millisecond)
				f.push(queued{url: "fresh", depth: 1})
				f.push(queued{url: "listing", depth: 2})
				f.endStart(q.start, q.server)
				f.release(q.server)
			}()
		default:
			go f.release(q.server)
		}
		return true
	})
	want := []string{"start", "known", "fresh", "listing", "deep"}
	if len(order) != len(want) {
		t.Fatalf("handed out %v, want %v", order, want)
	}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("handed out %v, want %v", order, want)
		}
	}
}
