// Package smalldisk gives tests a real file system that fills up: a tmpfs
// of a chosen size, mounted for the test and unmounted after it. Writes
// past its size fail with ENOSPC exactly as on a full disk, through every
// layer (gowarc's gzip writer, SQLite's WAL), which no fake writer can
// promise. Mounting needs root (or CAP_SYS_ADMIN); without it the test is
// skipped, unless TULIEU_REQUIRE_SMALLDISK is set, as .ci/run sets it
// where it can mount.
package smalldisk

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// Disk is a mounted tmpfs.
type Disk struct {
	Dir string
	t   testing.TB
}

// New mounts a tmpfs of size bytes (rounded up to pages) and returns it.
func New(t testing.TB, size int64) *Disk {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d,mode=0755", size), "tmpfs", dir).CombinedOutput()
	if err != nil {
		msg := fmt.Sprintf("cannot mount a small tmpfs (needs root or CAP_SYS_ADMIN): %v %s", err, out)
		if os.Getenv("TULIEU_REQUIRE_SMALLDISK") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	return &Disk{Dir: dir, t: t}
}

// Resize changes the size of the disk; growing it is freeing space.
func (d *Disk) Resize(size int64) {
	d.t.Helper()
	if out, err := exec.Command("mount", "-o", fmt.Sprintf("remount,size=%d", size), d.Dir).CombinedOutput(); err != nil {
		d.t.Fatalf("resize %s: %v %s", d.Dir, err, out)
	}
}

// Fill writes a file that takes all but keep bytes of the free space, and
// returns a function that removes it.
func (d *Disk) Fill(keep int64) (free func()) {
	d.t.Helper()
	path := d.Dir + "/.fill"
	f, err := os.Create(path)
	if err != nil {
		d.t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 4096)
	for {
		var st syscallStatfs
		if err := statfs(d.Dir, &st); err != nil {
			d.t.Fatal(err)
		}
		avail := int64(st.Bavail) * int64(st.Bsize)
		if avail <= keep {
			break
		}
		n := min(int64(len(buf)), avail-keep)
		if _, err := f.Write(buf[:n]); err != nil {
			break
		}
	}
	return func() {
		if err := os.Remove(path); err != nil {
			d.t.Fatal(err)
		}
	}
}
