package store

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
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

// TestLockSaysWhatHoldsIt: a crawl refused while a reextract (or a check)
// writes the data directory said "another tulieu crawl (pid N)"; it names
// the command that holds the lock, and the holder is still seen as held.
func TestLockSaysWhatHoldsIt(t *testing.T) {
	dir := t.TempDir()
	unlock, err := LockFor(dir, "reextract")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	if !crawlLockHeld(dir) {
		t.Error("the lock a reextract holds is not seen as held")
	}
	_, err = LockCrawl(dir)
	want := "another tulieu reextract (pid " + strconv.Itoa(os.Getpid()) + ")"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("a crawl while a reextract holds the lock: %v; want it to say %q", err, want)
	}
}
