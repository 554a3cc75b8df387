package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// memoryCgroup is a memory cgroup the server runs in (-memory-max): the
// kernel keeps the server's memory, heap and the index pages it maps in
// alike, under the limit, reclaiming file pages as it would on a machine
// with that much RAM. Both cgroup hierarchies are handled: v2 (memory.max)
// and v1 (memory.limit_in_bytes).
type memoryCgroup struct {
	dir   string
	procs string // the file a process writes its pid to, to join
	peak  string // the file that tells the peak usage ("" when none)
}

// newMemoryCgroup makes a cgroup limited to limit bytes.
func newMemoryCgroup(limit int64) (*memoryCgroup, error) {
	name := fmt.Sprintf("tulieu-loadbench-%d", os.Getpid())
	// v2: the memory controller must be enabled in the parent.
	for _, root := range []string{"/sys/fs/cgroup", "/sys/fs/cgroup/unified"} {
		ctl, err := os.ReadFile(filepath.Join(root, "cgroup.subtree_control"))
		if err != nil || !strings.Contains(string(ctl), "memory") {
			continue
		}
		return makeCgroup(filepath.Join(root, name), "memory.max", "memory.peak", limit)
	}
	root := "/sys/fs/cgroup/memory"
	if _, err := os.Stat(filepath.Join(root, "memory.limit_in_bytes")); err != nil {
		return nil, errors.New("no memory cgroup controller is available (needs root and cgroup v1 or v2 with memory)")
	}
	return makeCgroup(filepath.Join(root, name), "memory.limit_in_bytes", "memory.max_usage_in_bytes", limit)
}

// makeCgroup creates the cgroup dir and writes limit to its limitFile;
// peakFile is where the kernel reports its peak use (v1 and v2 name both
// differently).
func makeCgroup(dir, limitFile, peakFile string, limit int64) (*memoryCgroup, error) {
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, limitFile), []byte(strconv.FormatInt(limit, 10)), 0o644); err != nil {
		os.Remove(dir)
		return nil, err
	}
	return &memoryCgroup{dir: dir, procs: filepath.Join(dir, "cgroup.procs"), peak: filepath.Join(dir, peakFile)}, nil
}

// peakUsage is the cgroup's peak memory use as the kernel counts it
// (process memory and the page cache it charged), 0 if unknown.
func (c *memoryCgroup) peakUsage() int64 {
	b, err := os.ReadFile(c.peak)
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return n
}

// remove deletes the cgroup once its processes are gone.
func (c *memoryCgroup) remove() error { return os.Remove(c.dir) }

// parseSize reads "300M", "1G", "300MiB" or a number of bytes.
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(s, "iB"), "B"))
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, strings.TrimSuffix(s, "K")
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, strings.TrimSuffix(s, "M")
	case strings.HasSuffix(s, "G"):
		mult, s = 1<<30, strings.TrimSuffix(s, "G")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a size (e.g. 300M)", s)
	}
	return n * mult, nil
}

// dropPageCache writes dirty pages out and drops the clean ones from the
// page cache, so that what the server reads next is charged to it.
func dropPageCache() error {
	syscall.Sync()
	if err := os.WriteFile("/proc/sys/vm/drop_caches", []byte("1"), 0o200); err != nil {
		return fmt.Errorf("drop the page cache (needs root): %w", err)
	}
	return nil
}
