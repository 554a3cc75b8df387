package cli

import (
	"bufio"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"tulieu/internal/fixturesite"
)

// buildBinary builds tulieu for the tests that run it as a process.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "tulieu")
	if out, err := exec.Command("go", "build", "-o", bin, "tulieu/cmd/tulieu").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// killAfter starts bin with args and kills it with SIGKILL after d (or lets
// it finish first). It reports whether the kill came before the end.
func killAfter(t *testing.T, bin string, d time.Duration, args ...string) bool {
	t.Helper()
	cmd := exec.Command(bin, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
		return false
	case <-time.After(d):
		cmd.Process.Signal(syscall.SIGKILL)
		<-done
		return true
	}
}

// TestKillAtRandomPoints kills a real crawl, a reindex and an export with
// SIGKILL at seeded random moments. After each, running the command again
// loses nothing and doubles nothing, `tulieu check` is clean, and no file
// that looks complete is half written.
func TestKillAtRandomPoints(t *testing.T) {
	bin := buildBinary(t)
	rng := rand.New(rand.NewPCG(20261206, 1))
	site, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	want := len(site.Articles())
	checkClean := func(data, when string) {
		t.Helper()
		out, err := exec.Command(bin, "--data", data, "check").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "all is well") {
			t.Errorf("%s: check: %v\n%s", when, err, out)
		}
	}
	killed := 0
	for i := range 10 {
		data := t.TempDir()
		d := time.Duration(30+rng.IntN(900)) * time.Millisecond
		if killAfter(t, bin, d, "--data", data, "--log-level", "error", "crawl", "--site", srv.URL+"/", "--delay", "15ms", "--parallel", "2") {
			killed++
		}
		out, err := exec.Command(bin, "--data", data, "--log-level", "error", "crawl", "--site", srv.URL+"/", "--delay", "0", "--json").Output()
		if err != nil {
			t.Fatalf("crawl %d after a kill at %v: %v %s", i, d, err, out)
		}
		// Nothing lost, nothing doubled: every article once, one version.
		exp, err := exec.Command(bin, "--data", data, "export", "--include-pages", "--fields", "url,versions").Output()
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(exp)), "\n")
		if len(lines) != want || strings.Contains(string(exp), `"versions":2`) {
			t.Errorf("kill %d at %v: %d articles and pages after the resumed crawl, want %d, each once:\n%s", i, d, len(lines), want, exp)
		}
		checkClean(data, "crawl killed at "+d.String())
	}
	if killed < 5 {
		t.Errorf("only %d of 10 crawls were killed before they ended: the points are too late", killed)
	}

	// Reindex, killed and run again; then search and check.
	data := t.TempDir()
	if out, err := exec.Command(bin, "--data", data, "crawl", "--site", srv.URL+"/", "--delay", "0").CombinedOutput(); err != nil {
		t.Fatalf("crawl: %v %s", err, out)
	}
	for range 10 {
		d := time.Duration(5+rng.IntN(300)) * time.Millisecond
		killAfter(t, bin, d, "--data", data, "--log-level", "error", "reindex")
		// Whatever the kill left, the next command opens a usable index.
		if out, err := exec.Command(bin, "--data", data, "search", "--json", "thanh hoa").Output(); err != nil || !strings.Contains(string(out), `"total"`) {
			t.Errorf("reindex killed at %v: search: %v %s", d, err, out)
		}
		checkClean(data, "reindex killed at "+d.String())
	}

	// Export: the file is whole or absent, never partial.
	out := filepath.Join(t.TempDir(), "bai-viet.jsonl")
	for range 10 {
		d := time.Duration(rng.IntN(60)) * time.Millisecond
		os.Remove(out)
		killAfter(t, bin, d, "--data", data, "export", "--versions", "all", "--include-pages", "-o", out)
		f, err := os.Open(out)
		if err != nil {
			continue // killed before the rename: nothing there, as it should
		}
		n := 0
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<22)
		for sc.Scan() {
			n++
		}
		f.Close()
		if n != want {
			t.Errorf("export killed at %v left %s with %d records of %d", d, out, n, want)
		}
	}
	// No temporary file is taken for an export: they are hidden (".name.*.tmp").
	entries, _ := os.ReadDir(filepath.Dir(out))
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") && !strings.HasPrefix(e.Name(), "bai-viet.jsonl") {
			t.Errorf("a file that looks like an export: %s", e.Name())
		}
	}
}
