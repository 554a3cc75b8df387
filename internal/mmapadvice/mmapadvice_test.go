package mmapadvice

import (
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
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
