package index

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	bindex "github.com/blevesearch/bleve_index_api"
)

// reviewCatch runs fn and returns what it panicked with, nil if it did not.
func reviewCatch(fn func()) (p any) {
	defer func() { p = recover() }()
	fn()
	return nil
}

// reviewHookedShard is a shard whose Advanced runs hook first (to force an
// interleaving of MergeAll with Close or with its own bound).
type reviewShard = bleve.Index

type reviewHookedShard struct {
	reviewShard
	hook func()
}

func (s *reviewHookedShard) Advanced() (bindex.Index, error) {
	if s.hook != nil {
		s.hook()
	}
	return s.reviewShard.Advanced()
}

func reviewFromBound() bool {
	buf := make([]byte, 1<<16)
	return strings.Contains(string(buf[:runtime.Stack(buf, false)]), "mmapadvice.(*Bound)")
}

// reviewBoundRunning reports whether a goroutine is in mmapadvice's Bound.Run.
func reviewBoundRunning() bool {
	buf := make([]byte, 1<<22)
	return strings.Contains(string(buf[:runtime.Stack(buf, true)]), "mmapadvice.(*Bound).Run")
}

// TestSegmentsAfterClose: Segments and WithSegmentFiles (which
// MergeAll's bound calls) on a closed index answer an error: scorch
// hands out a nil snapshot, and no error, once a shard is closed, and
// reading it panicked.
func TestSegmentsAfterClose(t *testing.T) {
	ix, _ := newTestIndex(t)
	ix.Close()
	if p := reviewCatch(func() { _, err := ix.Segments(); t.Logf("Segments: %v", err) }); p != nil {
		t.Errorf("Segments on a closed index panicked: %v (want an error)", p)
	}
	if p := reviewCatch(func() { ix.WithSegmentFiles(func([]string) error { return nil }) }); p != nil {
		t.Errorf("WithSegmentFiles on a closed index panicked: %v (want an error)", p)
	}
}

// TestMergeAllCloseMidway: an index closed while MergeAll runs (a shard
// merged, the next one not yet looked at) makes MergeAll return an
// error, not panic on the closed shard's nil snapshot.
func TestMergeAllCloseMidway(t *testing.T) {
	ix, _ := newTestIndex(t)
	var hooked, closedUnder atomic.Bool
	closeDone := make(chan struct{})
	last := len(ix.shards) - 1
	ix.shards[last] = &reviewHookedShard{reviewShard: ix.shards[last], hook: func() {
		if !hooked.CompareAndSwap(false, true) {
			return
		}
		// What a concurrent Close does between two shards. (Bounded: a
		// Close that waits for the merge is a fix, not a hang.)
		go func() { ix.Close(); close(closeDone) }()
		select {
		case <-closeDone:
			closedUnder.Store(true)
		case <-time.After(500 * time.Millisecond):
		}
	}}
	var err error
	p := reviewCatch(func() { err = ix.MergeAll(context.Background(), 0) })
	if hooked.Load() {
		<-closeDone
	}
	if p != nil {
		t.Fatalf("MergeAll with the index closed under it panicked: %v (want an error)", p)
	}
	if closedUnder.Load() && err == nil {
		t.Errorf("MergeAll with the index closed under it: no error")
	}
	t.Logf("MergeAll: %v", err)
}

// TestMergeAllBoundOutlivesIt: MergeAll returns only once its resident
// bound has stopped: a release still running afterwards reads every
// shard, after serve or a command may have closed the index, in a
// goroutine nobody recovers.
func TestMergeAllBoundOutlivesIt(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the bound measures /proc/self/statm")
	}
	ix, _ := newTestIndex(t)
	boundIn := make(chan struct{})
	unblock := make(chan struct{})
	var inRelease atomic.Int32
	var once atomic.Bool
	ix.shards[0] = &reviewHookedShard{reviewShard: ix.shards[0], hook: func() {
		if reviewFromBound() {
			if !once.CompareAndSwap(false, true) {
				return
			}
			inRelease.Add(1)
			defer inRelease.Add(-1)
			close(boundIn)
			select { // (bounded, so that a MergeAll that waits for it ends)
			case <-unblock:
			case <-time.After(time.Second):
			}
			return
		}
		// MergeAll's own look at the shard: let the bound release first.
		select {
		case <-boundIn:
		case <-time.After(2 * time.Second):
		}
	}}
	err := ix.MergeAll(context.Background(), 1) // a bound of 1 byte: releases at its first look
	busy := inRelease.Load() > 0
	close(unblock)
	// Let the bound goroutine end before the index closes (else it panics).
	for deadline := time.Now().Add(2 * time.Second); reviewBoundRunning() && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	if !once.Load() {
		t.Skip("the bound never released during MergeAll")
	}
	if busy {
		t.Errorf("MergeAll returned while its bound goroutine was still releasing the index's mappings (reading its shards)")
	}
}

// TestNumbersFoundAndMarked pins the number words end to end: the index,
// the query's analysis and the highlighter agree on "99,8", "1.000.000",
// "12.500,75" in plain words, phrases, field filters, exclusions and
// beside a year range.
func TestNumbersFoundAndMarked(t *testing.T) {
	ctx := context.Background()
	ix, _ := newTestIndex(t)
	docs := []Document{
		{ID: "num-a", URL: "https://x.vn/num-a", Title: "Tỷ lệ 99,8 phần trăm", Body: "Tỷ lệ tốt nghiệp đạt 99,8%, tăng 1.000.000 đồng; doanh thu 12.500,75 tỷ", Published: "2020-01-02", Status: "live"},
		{ID: "num-b", URL: "https://x.vn/num-b", Title: "Khác", Body: "Tỷ lệ đạt 99 phần trăm, còn 8 điểm; giá 1.000 đồng, ngày 6.12.2026", Published: "2021-01-02", Status: "live"},
	}
	if err := ix.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ q, want, mark string }{
		{"99,8", "num-a", "<mark>99,8</mark>%"},
		{`"99,8"`, "num-a", "<mark>99,8</mark>%"},
		{"tieude:99,8", "num-a", ""},
		{"99,8 nam:2019..2021", "num-a", "<mark>99,8</mark>%"},
		{"1.000.000", "num-a", "<mark>1.000.000</mark>"},
		{"1.000", "num-b", "<mark>1.000</mark>"},
		{"12.500,75", "num-a", "<mark>12.500,75</mark>"},
		{"2026", "num-b", "<mark>2026</mark>"},
		{"phần trăm -99,8", "num-b", ""},
	} {
		res, err := ix.Search(ctx, Request{Query: c.q, Limit: 10})
		if err != nil {
			t.Errorf("%s: %v", c.q, err)
			continue
		}
		var got []string
		for _, h := range res.Hits {
			if strings.HasPrefix(h.ID, "num-") {
				got = append(got, h.ID)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint([]string{c.want}) {
			t.Errorf("%s: found %v, want [%s]", c.q, got, c.want)
			continue
		}
		for _, h := range res.Hits {
			if h.ID == c.want && !strings.Contains(h.SnippetHTML, c.mark) {
				t.Errorf("%s: snippet %q, want %q in it", c.q, h.SnippetHTML, c.mark)
			}
		}
	}
	for _, s := range []string{"1.", ".1", "1,", ",", "1.2.", "1.000.", "1.0000", "0,0,0", "9.99", "9.999", "9,"} {
		if p := reviewCatch(func() { exactAnalyzer.Analyze([]byte(s)); termSpans(s, map[string]bool{"1": true}) }); p != nil {
			t.Errorf("%q: %v", s, p)
		}
	}
}
