package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tulieu/store"
)

// These tests came from a second review of the turn-taking and the
// nightly runs (after politeness_review_test.go's fixes); each comment
// says what went wrong before the fix.

// TestFailedResumedRunSkipsEverything: run 1 interrupted; run 2 (with
// --ignore-robots) continues it while the site drops every connection:
// it fails, but gave up on (handled) every URL. Resumable now continues
// that failed run, whose frontier marks every page handled, so run 3 with
// the site back fetches nothing.
func TestFailedResumedRunSkipsEverything(t *testing.T) {
	var down atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			c, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				c.Close()
			}
			return
		}
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			fmt.Fprint(w, `<html><body><a href="/tin-tuc/bai-1.html">Bài viết thứ nhất về công tác Đảng</a> <a href="/tin-tuc/bai-2.html">Bài viết thứ hai về công tác Đảng</a></body></html>`)
		default:
			article(w, "Bài "+r.URL.Path)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := Options{IgnoreRobots: true, MaxRetries: -1, RetryBase: time.Millisecond}
	sum, err := crawlWithHook(t, ctx, dir, srv.URL+"/", opts, func(c *store.Capture) {
		if strings.HasSuffix(c.URL, "/bai-1.html") {
			cancel()
		}
	})
	if err != nil || sum.Status != store.RunInterrupted {
		t.Fatalf("run 1: %v %+v", err, sum)
	}
	down.Store(true)
	sum, _ = crawlWithHook(t, context.Background(), dir, srv.URL+"/", opts, nil)
	if sum == nil || sum.Status != store.RunFailed || sum.ResumedFrom == 0 {
		t.Fatalf("run 2 (site down): %+v", sum)
	}
	down.Store(false)
	sum, err = crawlWithHook(t, context.Background(), dir, srv.URL+"/", opts, nil)
	if sum == nil {
		t.Fatalf("run 3: %v", err)
	}
	if sum.Fetched == 0 {
		t.Errorf("run 3, the site back up: nothing fetched (status %q, note %q, resumed from %d, err %v)", sum.Status, sum.Note, sum.ResumedFrom, err)
	}
}

// TestRobotsRedirectRetryAfterPausesWhoAnswered: robots.txt redirected
// to another server that answers 429 Retry-After: politeness.load pauses
// the server asked (u), not the one that answered, as the requisite
// fetcher did before its fix.
func TestRobotsRedirectRetryAfterPausesWhoAnswered(t *testing.T) {
	const pauseSecs = 2
	var b reviewServer
	srvB := httptest.NewServer(b.handler(func(w http.ResponseWriter, r *http.Request, hit int) int {
		if r.URL.Path == "/robots.txt" {
			if hit == 1 {
				w.Header().Set("Retry-After", fmt.Sprint(pauseSecs))
				http.Error(w, "quá nhiều yêu cầu", http.StatusTooManyRequests)
				return 429
			}
			http.NotFound(w, r)
			return 404
		}
		article(w, "Khối B "+r.URL.Path)
		return 200
	}))
	defer srvB.Close()
	var a reviewServer
	srvA := httptest.NewServer(a.handler(func(w http.ResponseWriter, r *http.Request, hit int) int {
		if r.URL.Path == "/robots.txt" {
			http.Redirect(w, r, srvB.URL+"/robots.txt", http.StatusMovedPermanently)
			return 301
		}
		article(w, "Khối A "+r.URL.Path)
		return 200
	}))
	defer srvA.Close()
	_, _, err := crawlInto(t, Options{Sites: []string{srvA.URL + "/", srvB.URL + "/"}, Parallel: 1,
		Delay: 100 * time.Millisecond, Timeout: 2 * time.Second, RetryBase: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	b.checkLeftAlone(t, http.StatusTooManyRequests, pauseSecs*time.Second)
}

// TestPausedSiteFillsFrontierWindow: the colly limit was removed so
// that one site's pause does not stall the others, but the frontier
// window (64 at --parallel 1) is shared the same way: with 64 of site A's
// pages handed out and waiting out A's Retry-After, site B's pages are
// not handed to colly until A's pause ends.
func TestPausedSiteFillsFrontierWindow(t *testing.T) {
	checkPausedSiteLeavesOthers(t, 70, 3, 20*time.Millisecond)
}
