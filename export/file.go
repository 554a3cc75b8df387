package export

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// ErrExists is returned by WriteFile for an existing file without force.
var ErrExists = errors.New("the file exists")

// WriteFile writes to path through a temporary file in the same folder,
// synced and renamed into place at the end, so an interrupted or failed
// export never leaves a partial file where a full one was, and never
// one that looks complete; "-" or "" writes to stdout. An existing file is
// replaced only with force.
func WriteFile(path string, stdout io.Writer, force bool, write func(io.Writer) error) error {
	if path == "-" || path == "" {
		bw := bufio.NewWriterSize(stdout, 64<<10)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	exists := func() error { return fmt.Errorf("%s: %w (use --force to replace it)", path, ErrExists) }
	replaced, err := os.Lstat(path)
	if err == nil && !force {
		return exists()
	}
	if replaced != nil {
		if err := Replaceable(path); err != nil {
			return err
		}
	}
	tmp, err := createTemp(filepath.Dir(path), "."+filepath.Base(path)+".", ".tmp")
	if err != nil {
		// Named as the user named it, not by the temporary file.
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: the folder %s does not exist", path, filepath.Dir(path))
		}
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("%s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if replaced != nil && replaced.Mode().IsRegular() {
		// The file keeps the mode of the one it replaces (not a
		// symbolic link's, which is always 0777).
		if err := tmp.Chmod(replaced.Mode().Perm()); err != nil {
			tmp.Close()
			return fmt.Errorf("export: %w", err)
		}
	}
	bw := bufio.NewWriterSize(tmp, 64<<10)
	if err := write(bw); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if !force {
		// Put in place only if nothing took the name meanwhile (another
		// export, say): a hard link fails where a rename would replace.
		err := os.Link(tmp.Name(), path)
		if errors.Is(err, fs.ErrExist) {
			return exists()
		}
		if err == nil {
			return nil // (the deferred Remove drops the temporary name)
		}
		// A file system without hard links: check again, then rename.
		if _, err := os.Lstat(path); err == nil {
			return exists()
		}
	}
	return os.Rename(tmp.Name(), path)
}

// createTemp is os.CreateTemp with the mode of a new file (0666 less the
// umask) rather than 0600: others (a shared folder, a web server) read
// exports.
func createTemp(dir, prefix, suffix string) (*os.File, error) {
	for range 100 {
		name := filepath.Join(dir, prefix+strconv.FormatUint(rand.Uint64(), 36)+suffix)
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, fmt.Errorf("no temporary name free in %s", dir)
}

// Replaceable says why the export may not replace what is at path: --force
// replaces a file (or a link to one) with the export, never a device, a
// pipe or a directory (as root, "-o /dev/stdout --force" replaced the
// system's link with a file). nil when it may, or when nothing is there.
func Replaceable(path string) error {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil
	}
	mode := fi.Mode()
	if mode&fs.ModeSymlink != 0 {
		target, err := os.Stat(path)
		if err != nil {
			return nil // a dangling link: replaced like a file
		}
		mode = target.Mode()
	}
	if !mode.IsRegular() {
		return fmt.Errorf("%s is not a regular file (%s): an export is written to a file, or to standard output with -o -", path, kindOf(mode))
	}
	return nil
}

// kindOf names what a file that is not a regular one is.
func kindOf(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a file"
}
