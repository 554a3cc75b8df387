package cli

import (
	"context"
	"encoding/json"
	"net"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestDemoRanksTheSameEachRun: two demos, one after the other, serve the
// sample site at the same address, so its articles keep their ids (an id
// comes from the URL, port included), fall in the same shards of the
// index, and the same search lists them in the same order. On a port of
// its own each time, the sample ranked "thanh hoa" otherwise from one
// demo to the next.
func TestDemoRanksTheSameEachRun(t *testing.T) {
	run := func() (hits []string, sample string) {
		t.Helper()
		cache := t.TempDir()
		var out, errOut syncBuffer
		f := &Factory{IO: IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
			Getenv: func(string) string { return "" }, DataDir: DefaultDataDir, LogLevel: "warn", LogFormat: "text"}
		ready := make(chan string, 1)
		opts := &DemoOptions{Addr: "127.0.0.1:0", addrSet: true, Ready: func(u string) { ready <- u },
			cacheDir: func() (string, error) { return cache, nil }}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- runDemo(ctx, f, opts) }()
		defer func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("demo returned %v after cancel", err)
			}
		}()
		var base string
		select {
		case base = <-ready:
		case err := <-done:
			t.Fatalf("demo returned before serving: %v\n%s%s", err, out.String(), errOut.String())
		case <-time.After(2 * time.Minute):
			t.Fatalf("demo did not serve within 2 minutes\n%s%s", out.String(), errOut.String())
		}
		var api struct {
			Hits []struct {
				ID, URL string
			} `json:"hits"`
		}
		if err := json.Unmarshal([]byte(get(t, base+"api/search?q=thanh+hoa&limit=50")), &api); err != nil {
			t.Fatalf("/api/search: %v", err)
		}
		for _, h := range api.Hits {
			hits = append(hits, h.ID)
			sample = h.URL[:strings.Index(h.URL[len("http://"):], "/")+len("http://")]
		}
		return hits, sample
	}
	if ln, err := net.Listen("tcp", demoSiteAddr); err != nil {
		t.Skipf("%s is taken here: %v", demoSiteAddr, err)
	} else {
		ln.Close()
	}
	first, at := run()
	second, again := run()
	if at != "http://"+demoSiteAddr || again != at {
		t.Errorf("the sample site was served at %s, then at %s; want %s both times", at, again, demoSiteAddr)
	}
	if len(first) < 5 || !slices.Equal(first, second) {
		t.Errorf("\"thanh hoa\" ranked otherwise by two demos:\n%q\n%q", first, second)
	}
}
