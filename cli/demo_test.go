package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"tulieu/internal/fixturesite"
	"tulieu/store"
)

// syncBuffer is a bytes.Buffer the demo writes to from its goroutine while
// the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestDemo runs the demo in-process as a user would start it, with the
// default address taken by something else: it must pick a free port, crawl
// the sample into its own directory, answer searches on the page and the
// API, and stop cleanly when cancelled.
func TestDemo(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()

	cache := t.TempDir()
	var out, errOut syncBuffer
	f := &Factory{IO: IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
		Getenv: func(string) string { return "" }, DataDir: DefaultDataDir, LogLevel: "warn", LogFormat: "text"}
	ready := make(chan string, 1)
	opts := &DemoOptions{Addr: busy.Addr().String(), Ready: func(u string) { ready <- u },
		cacheDir: func() (string, error) { return cache, nil }}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- runDemo(ctx, f, opts) }()

	var base string
	select {
	case base = <-ready:
	case err := <-done:
		t.Fatalf("demo returned before serving: %v\nstdout: %s\nstderr: %s", err, out.String(), errOut.String())
	case <-time.After(2 * time.Minute):
		t.Fatalf("demo did not serve within 2 minutes\nstdout: %s\nstderr: %s", out.String(), errOut.String())
	}
	if strings.Contains(base, busy.Addr().String()) {
		t.Errorf("demo serves on %s, the busy address", base)
	}

	page := get(t, base+"search?q=thanh+hoa")
	if !strings.Contains(page, "/article/") {
		t.Errorf("/search?q=thanh+hoa shows no article link:\n%.2000s", page)
	}
	var api struct {
		Total int `json:"total"`
		Hits  []struct {
			URL string `json:"url"`
		} `json:"hits"`
	}
	if err := json.Unmarshal([]byte(get(t, base+"api/search?q=thanh+hoa")), &api); err != nil {
		t.Fatalf("/api/search: %v", err)
	}
	if api.Total < 5 || len(api.Hits) == 0 || !strings.HasPrefix(api.Hits[0].URL, "http://127.0.0.1:") {
		t.Errorf("/api/search?q=thanh+hoa: total %d, hits %+v", api.Total, api.Hits)
	}
	// The revised article has two versions to compare, and its diff shows
	// the change.
	var changes struct {
		New, Changed []struct {
			ID       string `json:"id"`
			Versions int    `json:"versions"`
		}
	}
	if err := json.Unmarshal([]byte(get(t, base+"api/changes?since=1h")), &changes); err != nil {
		t.Fatalf("/api/changes: %v", err)
	}
	var revised string
	for _, c := range append(changes.New, changes.Changed...) {
		if c.Versions == 2 {
			revised = c.ID
		}
	}
	if revised == "" {
		t.Errorf("no article of the demo has two versions: %+v", changes)
	} else if diff := get(t, base+"article/"+revised+"/diff"); !strings.Contains(diff, "bổ sung danh sách") {
		t.Errorf("the revised article's diff does not show the edit:\n%.1500s", diff)
	}
	// The feed announces the edit too, though the demo's two crawls run
	// within a second (it did not: the edit's time equalled the first
	// sight's, to the second).
	if feed := get(t, base+"feed.atom"); revised != "" && !strings.Contains(feed, "urn:tulieu:article:"+revised+":v2") {
		t.Errorf("the feed does not announce the demo's edit of %s:\n%.2000s", revised, feed)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("demo returned %v after cancel", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("demo did not stop within 30 s of cancel")
	}

	own := filepath.Join(cache, "tulieu", "demo")
	stdout := out.String()
	for _, want := range []string{own, "in use", "archived", "1 changed", "2 versions", "Mở " + base + " trong trình duyệt"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if f.DataDir != own {
		t.Errorf("data directory %s, want the demo's own %s", f.DataDir, own)
	}
	if _, err := os.Stat(filepath.Join(own, store.CatalogFile)); err != nil {
		t.Errorf("no catalog in the demo's directory: %v", err)
	}
	if _, err := os.Stat(DefaultDataDir); err == nil {
		t.Errorf("the demo wrote the default data directory %s", DefaultDataDir)
	}
}

func get(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%.500s", u, resp.Status, b)
	}
	return string(b)
}

// archiveWithSeed makes a catalog in dir with one crawl run of seed.
func archiveWithSeed(t *testing.T, dir, seed string, articles ...string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.StartRun(ctx, []string{seed}, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, u := range articles {
		c := store.Content{Kind: store.KindArticle, Title: "Bài", Body: "Đoạn một."}
		if _, _, err := st.SaveArticle(ctx, u, c, 0, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDemoOwnDirectory: the demo's own directory starts empty at each run
// when it holds an earlier demo, and is left alone when it somehow holds a
// real archive.
func TestDemoOwnDirectory(t *testing.T) {
	cache := t.TempDir()
	cacheDir := func() (string, error) { return cache, nil }
	own := filepath.Join(cache, "tulieu", "demo")
	archiveWithSeed(t, own, "http://127.0.0.1:41234/")
	os.WriteFile(filepath.Join(own, "leftover"), []byte("x"), 0o644)

	dir, unlock, err := ownDemoDir(context.Background(), cacheDir)
	if err != nil {
		t.Fatal(err)
	}
	if dir != own {
		t.Errorf("own directory %s, want %s", dir, own)
	}
	if _, err := os.Stat(own); !os.IsNotExist(err) {
		t.Errorf("an earlier demo's directory was not emptied: %v", err)
	}
	// A second demo at the same time must not empty it under the first.
	if _, _, err := ownDemoDir(context.Background(), cacheDir); err == nil || !strings.Contains(err.Error(), "another tulieu demo") {
		t.Errorf("second demo: %v, want refusal", err)
	}
	unlock()

	archiveWithSeed(t, own, "http://danguykhoithanhhoa.org.vn/")
	if _, _, err := ownDemoDir(context.Background(), cacheDir); ExitCode(err) != ExitUsage {
		t.Errorf("own directory holding a real archive: %v, want a refusal", err)
	}
	if _, err := os.Stat(filepath.Join(own, store.CatalogFile)); err != nil {
		t.Errorf("a real archive was removed: %v", err)
	}
}

// TestDemoRefusesARealArchive: with --data, a directory holding an archive of
// another site, or other files, is refused before anything is served or
// written; an earlier demo's archive or an empty directory is accepted.
func TestDemoRefusesARealArchive(t *testing.T) {
	realDir := t.TempDir()
	archiveWithSeed(t, realDir, "http://danguykhoithanhhoa.org.vn/")
	before, _ := os.ReadFile(filepath.Join(realDir, store.CatalogFile))
	code, stdout, stderr := run(t, realDir, "demo", "--addr", "127.0.0.1:0")
	if code != ExitUsage || !strings.Contains(stderr, "real archive") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Errorf("demo on a real archive: exit %d, stderr %q, want 2 and one line", code, stderr)
	}
	if strings.Contains(stdout, "Mở ") {
		t.Errorf("demo on a real archive served: %s", stdout)
	}
	if after, _ := os.ReadFile(filepath.Join(realDir, store.CatalogFile)); !bytes.Equal(before, after) {
		t.Errorf("the real archive's catalog was modified")
	}

	// TULIEU_DATA is as explicit as --data.
	var out, errOut bytes.Buffer
	f := &Factory{IO: IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
		Getenv: func(k string) string {
			if k == "TULIEU_DATA" {
				return realDir
			}
			return ""
		}}
	if code := Execute(context.Background(), f, []string{"--log-level", "warn", "demo", "--addr", "127.0.0.1:0"}); code != ExitUsage || !strings.Contains(errOut.String(), "real archive") {
		t.Errorf("demo with TULIEU_DATA on a real archive: exit %d, stderr %q", code, errOut.String())
	}

	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644)
	if code, _, stderr := run(t, other, "demo", "--addr", "127.0.0.1:0"); code != ExitUsage {
		t.Errorf("demo on a directory of other files: exit %d, %s", code, stderr)
	}

	for _, dir := range []string{t.TempDir(), filepath.Join(t.TempDir(), "new")} {
		if _, err := checkDemoDir(context.Background(), dir); err != nil {
			t.Errorf("empty or new directory refused: %v", err)
		}
	}
	earlier := t.TempDir()
	archiveWithSeed(t, earlier, "http://127.0.0.1:41234/", "http://127.0.0.1:41234"+fixturesite.New(fixturesite.Options{}).Articles()[0].Path)
	if addr, err := checkDemoDir(context.Background(), earlier); err != nil || addr != "127.0.0.1:41234" {
		t.Errorf("earlier demo's archive: %q, %v; want its sample address", addr, err)
	}

	// A local crawl of another site, on this machine, is another site's
	// archive all the same.
	local := t.TempDir()
	archiveWithSeed(t, local, "http://127.0.0.1:18093/", "http://127.0.0.1:18093/bao-cao/tong-ket-2026.html")
	if _, err := checkDemoDir(context.Background(), local); ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "tong-ket-2026") {
		t.Errorf("archive of another loopback site: %v, want a refusal naming its article", err)
	}
}

// TestDemoBusyAddress: a port given with --addr that is taken is an error
// (exit 1) that says so, before any crawl.
func TestDemoBusyAddress(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	data := t.TempDir()
	code, _, stderr := run(t, data, "demo", "--addr", busy.Addr().String())
	if code != ExitError || !strings.Contains(stderr, "--addr") {
		t.Errorf("busy --addr: exit %d, stderr %q", code, stderr)
	}
	if entries, _ := os.ReadDir(data); len(entries) != 0 {
		t.Errorf("busy --addr still wrote the data directory: %v", entries)
	}
}

// TestBrowseURL: the address logged and printed is one a browser on this
// machine opens; a server listening on every address is reached on
// loopback.
func TestBrowseURL(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:8080":  "http://127.0.0.1:8080/",
		"0.0.0.0:8080":    "http://127.0.0.1:8080/",
		"[::]:8080":       "http://127.0.0.1:8080/",
		"[::1]:8080":      "http://[::1]:8080/",
		"192.0.2.10:8080": "http://192.0.2.10:8080/",
	} {
		if got := browseURL(addr); got != want {
			t.Errorf("browseURL(%q) = %q, want %q", addr, got, want)
		}
	}
}
