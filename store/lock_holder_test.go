package store

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// crawlLockHeld: held while this process holds the lock; not after it
// is released; not for a dead pid; not for a live pid that started after
// the lock file was written (a pid reused after a reboot).
func TestCrawlLockHeld(t *testing.T) {
	dir := t.TempDir()
	unlock, err := LockCrawl(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !crawlLockHeld(dir) {
		t.Errorf("the lock this process holds is not seen as held")
	}
	if started, ok := processStart(os.Getpid()); ok && (started.After(time.Now()) || time.Since(started) > 24*time.Hour) {
		t.Errorf("this process started at %v?", started)
	}
	unlock()
	if crawlLockHeld(dir) {
		t.Errorf("a released lock is seen as held")
	}
	path := filepath.Join(dir, lockFile)
	os.WriteFile(path, []byte("999999999\n"), 0o644)
	if crawlLockHeld(dir) {
		t.Errorf("a dead pid's lock is seen as held")
	}
	// This process's pid, in a file written long before it started.
	os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
	old := time.Now().Add(-48 * time.Hour)
	os.Chtimes(path, old, old)
	if _, ok := processStart(os.Getpid()); ok && crawlLockHeld(dir) {
		t.Errorf("a pid that started after the lock file was written is seen as its holder")
	}
}
