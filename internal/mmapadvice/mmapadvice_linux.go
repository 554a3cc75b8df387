package mmapadvice

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Random advises random access (MADV_RANDOM) for every mapping of a file
// under dir in this process, and returns how many it advised. Mappings
// made later (new segments) need another call.
func Random(dir string) (int, error) {
	return advise(dir, syscall.MADV_RANDOM)
}

// Release drops this process's resident pages of every file mapped under
// dir (MADV_DONTNEED) and returns how many mappings it released. The
// pages stay in the kernel's page cache: the next read of one maps it
// again without reading the disk (a minor fault). Only for read-only
// mappings of files, such as the index's segments: a private mapping
// written to would lose what was written.
func Release(dir string) (int, error) {
	return advise(dir, syscall.MADV_DONTNEED)
}

func advise(dir string, advice int) (int, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return 0, err
	}
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		// address perms offset dev inode path
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || !strings.HasPrefix(fields[5], dir+string(filepath.Separator)) {
			continue
		}
		if advice == syscall.MADV_DONTNEED && strings.Contains(fields[1], "w") {
			continue // never a mapping this process may have written to
		}
		lo, hi, ok := strings.Cut(fields[0], "-")
		if !ok {
			continue
		}
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil || end <= start {
			continue
		}
		// The addresses are the kernel's own, read just now; a mapping
		// gone since makes madvise fail with ENOMEM, which is harmless.
		if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, uintptr(start), uintptr(end-start), uintptr(advice)); errno == 0 {
			n++
		}
	}
	return n, sc.Err()
}

// FileResident is this process's resident memory backed by files and
// shared memory, in bytes (the third field of /proc/self/statm: the
// mapped index's pages, and the program's own code).
func FileResident() (int64, error) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, err
	}
	fields := bytes.Fields(b)
	if len(fields) < 3 {
		return 0, os.ErrInvalid
	}
	pages, err := strconv.ParseInt(string(fields[2]), 10, 64)
	if err != nil {
		return 0, err
	}
	return pages * int64(os.Getpagesize()), nil
}
