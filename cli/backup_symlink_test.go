package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tulieu/internal/fixturesite"
	"tulieu/store"
)

// TestBackupIntoSymlinkedEmptyDir: DIR is a symbolic link to an empty
// directory (a backup disk's folder linked from home, say). Backup used to
// write into the directory it names; it now copies into DIR.tulieu-partial
// beside the link and renames that onto the link, which rename(2) refuses
// (ENOTDIR): the whole copy is made, then thrown away.
func TestBackupIntoSymlinkedEmptyDir(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	base := t.TempDir()
	real := filepath.Join(base, "disk", "tulieu-backup")
	if err := os.MkdirAll(real, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(base, "backup")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, data, "backup", link)
	if code != 0 {
		t.Fatalf("backup into a link to an empty directory: exit %d %s %s", code, strings.TrimSpace(out), strings.TrimSpace(errOut))
	}
	if _, err := os.Stat(filepath.Join(real, store.CatalogFile)); err != nil {
		t.Errorf("the directory the link names holds no catalog: %v", err)
	}
}
