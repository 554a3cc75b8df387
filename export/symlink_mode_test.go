package export

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestForceOverSymlinkMode: --force over a symbolic link takes the
// link's Lstat mode (always 0777 on Linux) for the new file: the export
// becomes world-writable and executable.
func TestForceOverSymlinkMode(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target.csv")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "out.csv")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(link, nil, true, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err })
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(link)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm()&0o022 != 0 || fi.Mode().Perm()&0o111 != 0 {
		t.Errorf("export over a symlink with --force has mode %v: writable by all, executable", fi.Mode().Perm())
	}
}
