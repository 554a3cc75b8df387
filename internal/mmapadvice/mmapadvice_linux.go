package mmapadvice

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// Random advises random access (MADV_RANDOM) for every mapping of a file
// under dir in this process, and returns how many it advised. Mappings
// made later (new segments) need another call. The advice loses nothing,
// whatever is mapped at those addresses by the time it is given.
func Random(dir string) (int, error) {
	dir, err := resolved(dir)
	if err != nil {
		return 0, err
	}
	prefix := dir + string(filepath.Separator)
	return advise(func(path string) bool { return strings.HasPrefix(path, prefix) }, syscall.MADV_RANDOM)
}

// Release drops this process's resident pages of the read-only mappings of
// the files named (MADV_DONTNEED) and returns how many mappings it
// released. The pages stay in the kernel's page cache: the next read of
// one maps it again without reading the disk (a minor fault).
//
// The caller must hold those mappings for the whole call (see
// index.WithSegmentFiles): the advice is given to the addresses
// /proc/self/maps lists, and memory mapped there after a file was unmapped
// would lose its contents.
func Release(files []string) (int, error) {
	want := make(map[string]bool, len(files))
	for _, f := range files {
		p, err := resolved(f)
		if err != nil {
			continue // its folder is gone: not mapped either
		}
		want[p] = true
	}
	if len(want) == 0 {
		return 0, nil
	}
	return advise(func(path string) bool { return want[path] }, syscall.MADV_DONTNEED)
}

// resolved is p absolute with the symbolic links of its folder resolved,
// as the kernel names mapped files (the file itself may be gone: a merged
// segment still mapped).
func resolved(p string) (string, error) {
	p, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(p))
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, filepath.Base(p)), nil
}

// advise gives advice to the read-only mappings of the files match takes.
func advise(match func(path string) bool, advice int) (int, error) {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		start, end, perms, path, ok := mapsLine(sc.Text())
		if !ok || !match(path) || strings.Contains(perms, "w") {
			continue // never a mapping this process may have written to
		}
		// The addresses are the kernel's own, read just now.
		if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, uintptr(start), uintptr(end-start), uintptr(advice)); errno == 0 {
			n++
		}
	}
	return n, sc.Err()
}

// mapsLine reads a line of /proc/self/maps: "start-end perms offset dev
// inode path", the path being the rest of the line (it may hold spaces),
// less the " (deleted)" of a file removed since it was mapped.
func mapsLine(line string) (start, end uint64, perms, path string, ok bool) {
	rest := line
	var fields [5]string
	for i := range fields {
		rest = strings.TrimLeft(rest, " \t")
		j := strings.IndexAny(rest, " \t")
		if j < 0 {
			return 0, 0, "", "", false // no path: anonymous memory
		}
		fields[i], rest = rest[:j], rest[j:]
	}
	path = strings.TrimSuffix(strings.TrimLeft(rest, " \t"), " (deleted)")
	lo, hi, found := strings.Cut(fields[0], "-")
	if !found || path == "" {
		return 0, 0, "", "", false
	}
	start, err1 := strconv.ParseUint(lo, 16, 64)
	end, err2 := strconv.ParseUint(hi, 16, 64)
	if err1 != nil || err2 != nil || end <= start {
		return 0, 0, "", "", false
	}
	return start, end, fields[1], path, true
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

// Evict drops the kernel's cached pages of every file under dir, but for
// the pages a process has mapped (POSIX_FADV_DONTNEED; the data stays on
// disk), and returns how many files it advised.
//
// Why a server does it before it maps its index: pages that were read in
// sequence (a merge or a reindex reading segments, a backup, cp) or
// written in large runs sit in the page cache in large folios, and Linux
// 6.x maps a whole folio, up to 2 MiB, on a fault where it maps at most
// 64 KiB of single pages. A search then maps several times the memory
// (25 MiB instead of 7 at 50 000 articles), and the server's resident set
// outgrows a Bound. Read again through a mapping advised MADV_RANDOM
// (Random), the pages come back one by one.
func Evict(dir string) (int, error) {
	// The folder may be a link (an index moved to a larger disk); WalkDir
	// does not follow one at its root.
	dir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return 0, err
	}
	n := 0
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return nil // gone since it was listed (a merge): nothing cached
		}
		defer f.Close()
		if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
			return fmt.Errorf("evict %s: %w", p, err)
		}
		n++
		return nil
	})
	return n, err
}
