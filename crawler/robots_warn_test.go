package crawler

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tulieu/store"
	"tulieu/warc"
)

// TestUnreadableRobotsWarnedOncePerHost: when a host's robots.txt cannot
// be read, the log says so once for the host, not once for every URL left
// unfetched (every known article of a site that is down, each night).
func TestUnreadableRobotsWarnedOncePerHost(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w, err := warc.NewWriter(st.WARCPath(), warc.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	sites := []string{srv.URL + "/", srv.URL + "/tin-tuc/", srv.URL + "/tong-quan/"}
	sum, _ := New(st, w, log).Run(ctx, Options{Sites: sites, RetryBase: 10 * time.Millisecond})
	if sum == nil || sum.Status != store.RunFailed {
		t.Fatalf("summary %+v", sum)
	}
	if n := strings.Count(logs.String(), "robots.txt could not be read"); n != 1 {
		t.Errorf("%d warnings about the unreadable robots.txt of one host, want 1:\n%s", n, logs.String())
	}
}
