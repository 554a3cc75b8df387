package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tulieu/internal/fixturesite"
	"tulieu/store"
	"tulieu/warc"
)

// TestBackupWhileACrawlFinishesAFile: a crawl finishes the WARC file it
// was writing (renames it from .open, as at its end or when the file
// reaches its size limit) while backup is copying: the backup still makes
// a consistent copy, on which check is clean.
func TestBackupWhileACrawlFinishesAFile(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	files, _ := warc.Files(filepath.Join(data, "warc"))
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	// The file a running crawl is writing: large enough that reading it
	// takes a moment (the backup reads it through to find where its last
	// whole record ends, some milliseconds for 4 MiB, while the poller
	// below looks every 200µs; 40 MiB took a minute under the race
	// detector, read three times: by backup, its index and check).
	var big []byte
	for len(big) < 4<<20 {
		big = append(big, b...)
	}
	final := filepath.Join(data, "warc", "tulieu-29990101000000-00001-1.warc.gz")
	open := final + ".open"
	if err := os.WriteFile(open, big, 0o644); err != nil {
		t.Fatal(err)
	}
	// The crawl: it finishes the file at some moment during the backup
	// (here: as soon as the backup has started reading it).
	stop := make(chan struct{})
	renamed := make(chan bool, 1)
	go func() {
		defer func() { renamed <- false }()
		for {
			select {
			case <-stop:
				return
			default:
			}
			fds, _ := os.ReadDir("/proc/self/fd")
			for _, fd := range fds {
				if l, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name())); err == nil && l == open {
					os.Rename(open, final)
					renamed <- true
					return
				}
			}
			time.Sleep(200 * time.Microsecond)
		}
	}()
	dst := filepath.Join(t.TempDir(), "bk")
	code, out, errOut := run(t, data, "backup", dst)
	close(stop)
	if !<-renamed {
		t.Skip("the rename did not happen during the backup")
	}
	if code != 0 {
		t.Errorf("backup while a crawl finished a WARC file: exit %d %s %s", code, strings.TrimSpace(out), strings.TrimSpace(errOut))
	}
	// The copy is whole: check is clean on it.
	if code, out, errOut := run(t, dst, "check"); code != 0 {
		t.Errorf("check of the backup: exit %d %s %s", code, out, errOut)
	}
}

// TestBackupInsideTheDataDirectory: backup refuses a directory inside the
// data directory, such as one under spool/, which the next crawl empties.
func TestBackupInsideTheDataDirectory(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	dst := filepath.Join(data, store.SpoolDir, "bk")
	code, _, errOut := run(t, data, "backup", dst)
	if code != ExitUsage || !strings.Contains(errOut, "inside the data directory") {
		t.Errorf("backup into %s: exit %d %q; want it refused (exit %d)", dst, code, errOut, ExitUsage)
	}
	if _, err := os.Stat(dst); !os.IsNotExist(err) {
		t.Errorf("the refused backup left %s: %v", dst, err)
	}
}
