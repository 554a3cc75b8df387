package crawler

import (
	"sync"
	"sync/atomic"
	"testing"
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
			f.release()
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
		go func() { defer wg.Done(); f.release() }()
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
