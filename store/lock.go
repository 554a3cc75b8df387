package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrLocked is returned by LockCrawl when another crawl holds the data
// directory.
var ErrLocked = errors.New("data directory is locked by another crawl")

// LockError says who holds the lock.
type LockError struct {
	Path string
	PID  int
	// What the holder does ("crawl", "reextract", "check"), as it said
	// when it took the lock; "crawl" for a holder that did not say.
	What string
}

func (e *LockError) Error() string {
	what := e.What
	if what == "" {
		what = "crawl"
	}
	if e.PID > 0 {
		return fmt.Sprintf("%s: another tulieu %s (pid %d) is writing this data directory; wait for it to finish or stop it", e.Path, what, e.PID)
	}
	return fmt.Sprintf("%s: another tulieu %s is writing this data directory; wait for it to finish or stop it", e.Path, what)
}

func (e *LockError) Unwrap() error { return ErrLocked }

// LockCrawl takes the data directory's crawl lock, so that only one crawl
// writes the archive at a time. The lock is an flock(2) on crawl.lock: the
// kernel drops it when the holder dies, even by kill -9, so a stale lock
// file never blocks the next crawl. The file holds the holder's pid for the
// error message. Call the returned function to release it.
func LockCrawl(dir string) (unlock func() error, err error) { return LockFor(dir, "crawl") }

// LockFor is LockCrawl for a command that writes the archive, named what
// in the error another one gets ("reextract", "check").
func LockFor(dir, what string) (unlock func() error, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, lockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		pid, what, _ := lockHolder(path)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, &LockError{Path: path, PID: pid, What: what}
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	// The lock is ours; whatever pid the file held was a dead holder's.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"+strings.Map(func(r rune) rune {
			if r < ' ' {
				return -1
			}
			return r
		}, what)+"\n"), 0)
	}
	return func() error {
		f.Truncate(0)
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		return f.Close()
	}, nil
}

// lockHolder is the pid the lock file at path names (0: none; a crawl
// that ends cleanly empties it), what the holder said it does (its second
// line, "" if it said nothing) and when it was written.
func lockHolder(path string) (pid int, what string, written time.Time) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, "", time.Time{}
	}
	first, rest, _ := strings.Cut(string(b), "\n")
	pid, _ = strconv.Atoi(strings.TrimSpace(first))
	second, _, _ := strings.Cut(rest, "\n")
	if fi, err := os.Stat(path); err == nil {
		written = fi.ModTime()
	}
	return pid, strings.TrimSpace(second), written
}

// crawlLockHeld says whether a live process holds the data directory's
// crawl lock: the pid the lock file names exists, and started before the
// file was written (after a reboot the pid may be another process's).
// Taking the lock to find out could make a crawl starting at that moment
// fail.
func crawlLockHeld(dir string) bool {
	pid, _, written := lockHolder(filepath.Join(dir, lockFile))
	if pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	if started, ok := processStart(pid); ok && started.After(written.Add(2*time.Second)) {
		return false // a process that started after the lock was taken
	}
	return true
}

// processStart is when process pid started, from Linux's /proc (its
// start in clock ticks after boot, and the boot time); false elsewhere.
func processStart(pid int) (time.Time, bool) {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return time.Time{}, false
	}
	// The fields after the command's closing parenthesis, from the
	// third (state): the start time is the 22nd.
	i := strings.LastIndexByte(string(stat), ')')
	fields := strings.Fields(string(stat[i+1:]))
	if i < 0 || len(fields) < 20 {
		return time.Time{}, false
	}
	ticks, err := strconv.ParseInt(fields[19], 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	all, err := os.ReadFile("/proc/stat")
	if err != nil {
		return time.Time{}, false
	}
	for _, line := range strings.Split(string(all), "\n") {
		if v, ok := strings.CutPrefix(line, "btime "); ok {
			boot, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return time.Time{}, false
			}
			const clockTicks = 100 // USER_HZ, 100 on every Linux port
			return time.Unix(boot, 0).Add(time.Duration(ticks) * time.Second / clockTicks), true
		}
	}
	return time.Time{}, false
}
