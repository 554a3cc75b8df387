package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// ErrLocked is returned by LockCrawl when another crawl holds the data
// directory.
var ErrLocked = errors.New("data directory is locked by another crawl")

// LockError says who holds the lock.
type LockError struct {
	Path string
	PID  int
}

func (e *LockError) Error() string {
	if e.PID > 0 {
		return fmt.Sprintf("%s: another tulieu crawl (pid %d) is writing this data directory; wait for it to finish or stop it", e.Path, e.PID)
	}
	return fmt.Sprintf("%s: another tulieu crawl is writing this data directory; wait for it to finish or stop it", e.Path)
}

func (e *LockError) Unwrap() error { return ErrLocked }

// LockCrawl takes the data directory's crawl lock, so that only one crawl
// writes the archive at a time. The lock is an flock(2) on crawl.lock: the
// kernel drops it when the holder dies, even by kill -9, so a stale lock
// file never blocks the next crawl. The file holds the holder's pid for the
// error message. Call the returned function to release it.
func LockCrawl(dir string) (unlock func() error, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, lockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b, _ := os.ReadFile(path)
		pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, &LockError{Path: path, PID: pid}
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	// The lock is ours; whatever pid the file held was a dead holder's.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return func() error {
		f.Truncate(0)
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		return f.Close()
	}, nil
}
