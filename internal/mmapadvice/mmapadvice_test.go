package mmapadvice

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// TestRandom: a file mapped under the folder is advised; one elsewhere is
// not.
func TestRandom(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux only")
	}
	dir, other := t.TempDir(), t.TempDir()
	mapFile := func(d string) []byte {
		t.Helper()
		p := filepath.Join(d, "seg.zap")
		if err := os.WriteFile(p, make([]byte, 1<<16), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		b, err := syscall.Mmap(int(f.Fd()), 0, 1<<16, syscall.PROT_READ, syscall.MAP_SHARED)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { syscall.Munmap(b) })
		return b
	}
	mapFile(dir)
	mapFile(other)
	n, err := Random(dir)
	if err != nil || n != 1 {
		t.Errorf("Random(%s) = %d, %v; want 1 mapping", dir, n, err)
	}
	if n, _ := Random(filepath.Join(dir, "none")); n != 0 {
		t.Errorf("a folder with no mapping: %d", n)
	}
}

// TestRelease: the pages of a file mapped under the folder leave the
// process's resident set and read back the same; a writable mapping is
// left alone (dropping it would lose what was written).
func TestRelease(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux only")
	}
	const size = 16 << 20
	dir := t.TempDir()
	p := filepath.Join(dir, "seg.zap")
	want := make([]byte, size)
	for i := range want {
		want[i] = byte(i*7 + i>>12)
	}
	if err := os.WriteFile(p, want, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ro, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(ro)
	rw, err := syscall.Mmap(int(f.Fd()), 0, 1<<16, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(rw)
	rw[0] = want[0] + 1 // a private copy of the first page

	before, err := FileResident()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for i := 0; i < size; i += 4096 {
		sum += int(ro[i])
	}
	touched, _ := FileResident()
	if sum == 0 {
		t.Fatal("the file reads as zeros")
	}
	if touched-before < size*3/4 {
		t.Fatalf("reading %d bytes of the mapping: file-backed resident %d → %d", size, before, touched)
	}
	n, err := Release([]string{p, filepath.Join(dir, "not-mapped.zap")})
	if err != nil || n != 1 {
		t.Fatalf("Release = %d, %v; want the one read-only mapping", n, err)
	}
	released, _ := FileResident()
	if touched-released < size*3/4 {
		t.Errorf("after Release: file-backed resident %d → %d, want %d bytes less", touched, released, size)
	}
	for i := 0; i < size; i += 4096 {
		if ro[i] != want[i] {
			t.Fatalf("byte %d reads %d after Release, want %d", i, ro[i], want[i])
		}
	}
	if rw[0] != want[0]+1 {
		t.Errorf("the writable mapping lost what was written: %d", rw[0])
	}
}

// TestBound: above the limit, the mappings under the folder are released
// within a few looks; Run returns when its context ends.
func TestBound(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux only")
	}
	const size = 8 << 20
	p := filepath.Join(t.TempDir(), "seg.zap")
	m := mapFile(t, p, size)
	base, err := FileResident()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	released := make(chan int64, 100)
	done := make(chan struct{})
	release := func() error { _, err := Release([]string{p}); return err }
	b := NewBound(base+size/2, release, func(resident int64, err error) {
		if err != nil {
			t.Errorf("release: %v", err)
		}
		released <- resident
	})
	go func() {
		b.Run(ctx, time.Millisecond)
		close(done)
	}()
	touch(t, m)
	select {
	case r := <-released:
		if r <= base+size/2 {
			t.Errorf("released at %d, within the limit %d", r, base+size/2)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("8 MiB mapped above a limit of 4: not released")
	}
	cancel()
	<-done
}

// TestBoundCheck: Check releases at once when over the limit, and does
// nothing within it or with no limit.
func TestBoundCheck(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux only")
	}
	const size = 8 << 20
	p := filepath.Join(t.TempDir(), "seg.zap")
	m := mapFile(t, p, size)
	base, _ := FileResident()
	touch(t, m)
	n := 0
	release := func() error { _, err := Release([]string{p}); return err }
	NewBound(0, release, func(int64, error) { n++ }).Check()
	NewBound(base+2*size, release, func(int64, error) { n++ }).Check()
	if n != 0 {
		t.Fatalf("released %d times within the bound or with none", n)
	}
	NewBound(base+size/2, release, func(int64, error) { n++ }).Check()
	if after, _ := FileResident(); n != 1 || after > base+size/2 {
		t.Errorf("over the bound: %d releases, resident %d (limit %d)", n, after, base+size/2)
	}
	var nilBound *Bound
	nilBound.Check() // no bound at all: nothing, no panic
}

// mapFile maps the file at p, made of size zero bytes, read-only and
// shared, as bleve maps its segments, until the test ends.
func mapFile(t *testing.T, p string, size int) []byte {
	t.Helper()
	if err := os.WriteFile(p, make([]byte, size), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Munmap(m) })
	return m
}

// touch reads every page of m, which makes them resident.
func touch(t *testing.T, m []byte) {
	t.Helper()
	sum := 0
	for i := 0; i < len(m); i += 4096 {
		sum += int(m[i])
	}
	if sum != 0 {
		t.Fatal("not zeros")
	}
}

// TestReleaseNamesAsTheKernelDoes: a file under a folder whose name has
// spaces ("Tư liệu Đảng ủy"), reached through a symbolic link (--data
// ~/tulieu → a larger disk), or removed since it was mapped (a merged
// segment still held) is found in /proc/self/maps; each was missed by a
// reading that split the line on spaces and compared unresolved paths.
func TestReleaseNamesAsTheKernelDoes(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux only")
	}
	spaced := filepath.Join(t.TempDir(), "Tư liệu Đảng ủy", "index")
	real := filepath.Join(t.TempDir(), "disk", "tulieu")
	link := filepath.Join(t.TempDir(), "tulieu")
	for _, d := range []string{spaced, real} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	removed := filepath.Join(spaced, "000000000003.zap")
	files := []string{filepath.Join(spaced, "000000000001.zap"), filepath.Join(link, "000000000002.zap"), removed}
	for _, f := range files {
		touch(t, mapFile(t, f, 1<<20))
	}
	if err := os.Remove(removed); err != nil {
		t.Fatal(err)
	}
	if n, err := Release(files); err != nil || n != 3 {
		t.Errorf("Release = %d, %v; want the 3 mappings", n, err)
	}
}

// TestMapsLine reads the lines /proc/self/maps writes.
func TestMapsLine(t *testing.T) {
	for line, want := range map[string]string{
		"7f80b8200000-7f80ba71d000 r--s 00000000 fe:00 10257939                   /srv/Tư liệu/index/shard-01/store/000000000103.zap": "/srv/Tư liệu/index/shard-01/store/000000000103.zap",
		"7f80b8200000-7f80ba71d000 r--s 00000000 fe:00 10257939    /srv/x/000000000103.zap (deleted)":                                 "/srv/x/000000000103.zap",
		"7ffd5c3a1000-7ffd5c3c2000 rw-p 00000000 00:00 0                          [stack]":                                            "[stack]",
		"7f80c0000000-7f80c0021000 rw-p 00000000 00:00 0 ":                                                                            "",
		"7f80c0000000-7f80c0021000 rw-p 00000000 00:00 0":                                                                             "",
		"garbage": "",
	} {
		_, _, _, path, ok := mapsLine(line)
		if path != want || ok != (want != "") {
			t.Errorf("mapsLine(%q) = %q, %v; want %q", line, path, ok, want)
		}
	}
}

// TestBoundKeepsRoomForGrowth: the limit is a peak. When the mappings grow
// in large steps between looks (files in large folios), the bound
// releases before the next step would pass the limit, not after; a burst
// is forgotten slowly, and small steps do not release early.
func TestBoundKeepsRoomForGrowth(t *testing.T) {
	const MiB = 1 << 20
	var resident int64
	releases := 0
	b := NewBound(160*MiB, func() error { releases++; resident = 10 * MiB; return nil }, nil)
	b.resident = func() (int64, error) { return resident, nil }
	peak := int64(0)
	look := func(step int64) {
		resident += step
		peak = max(peak, resident)
		b.Check()
	}
	// Steps of 1 MiB: released only near the limit.
	for range 200 {
		look(MiB)
	}
	if releases == 0 || peak > 160*MiB {
		t.Fatalf("steps of 1 MiB: %d releases, peak %d MiB (limit 160)", releases, peak/MiB)
	}
	if peak < 150*MiB {
		t.Errorf("steps of 1 MiB: peak %d MiB, released long before the limit of 160", peak/MiB)
	}
	// Steps of 25 MiB: the peak stays under the limit (after the first
	// step shows how large they are).
	look(25 * MiB)
	peak = 0
	for range 100 {
		look(25 * MiB)
	}
	if peak > 160*MiB {
		t.Errorf("steps of 25 MiB: peak %d MiB, over the limit of 160", peak/MiB)
	}
	// Back to small steps: the margin fades, the bound is used again.
	for range 3000 {
		look(MiB / 4)
	}
	peak = 0
	for range 2000 {
		look(MiB / 4)
	}
	if peak < 140*MiB {
		t.Errorf("small steps long after a burst: peak %d MiB, the margin has not faded", peak/MiB)
	}
}

// TestEvict: the cached pages of the files under the folder leave the page
// cache (and read back the same from disk); a file mapped and read by
// this process keeps its pages while it is mapped.
func TestEvict(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux only")
	}
	dir := t.TempDir()
	const size = 4 << 20
	want := make([]byte, size)
	for i := range want {
		want[i] = byte(i / 4096)
	}
	p := filepath.Join(dir, "store", "seg.zap")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, want, 0o644); err != nil {
		t.Fatal(err)
	}
	cached := func() int { return pagesCached(t, p, size) }
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Sync(); err != nil { // written back: clean pages can be dropped
		t.Fatal(err)
	}
	f.Close()
	if _, err := os.ReadFile(p); err != nil {
		t.Fatal(err)
	}
	before := cached()
	n, err := Evict(dir)
	if err != nil || n != 1 {
		t.Fatalf("Evict = %d, %v; want the one file", n, err)
	}
	after := cached()
	t.Logf("pages cached: %d before, %d after (of %d)", before, after, size/4096)
	if before < size/4096/2 || after > before/8 {
		t.Errorf("pages cached: %d before Evict, %d after (of %d)", before, after, size/4096)
	}
	if got, err := os.ReadFile(p); err != nil || !bytes.Equal(got, want) {
		t.Errorf("the file reads back differently after Evict (%v)", err)
	}
}

// pagesCached counts the pages of the file p (size bytes) in the page
// cache: mincore on a mapping that is not read.
func pagesCached(t *testing.T, p string, size int) int {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(m)
	vec := make([]byte, (size+4095)/4096)
	if _, _, errno := syscall.Syscall(syscall.SYS_MINCORE, uintptr(unsafe.Pointer(&m[0])), uintptr(len(m)),
		uintptr(unsafe.Pointer(&vec[0]))); errno != 0 {
		t.Fatal(errno)
	}
	n := 0
	for _, v := range vec {
		n += int(v & 1)
	}
	return n
}
