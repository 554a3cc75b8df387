package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tulieu/internal/fixturesite"
	"tulieu/warc"
)

// TestBackup: a backup taken while serve holds the index and a WARC file
// is still open (a crawl writing it) checks clean and answers searches.
func TestBackup(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	crawl(t, data, srv.URL+"/")
	files, _ := warc.Files(filepath.Join(data, "warc"))
	last := files[len(files)-1]
	// As a crawl still writing leaves it: open, and ending in part of a record.
	b, _ := os.ReadFile(last)
	os.WriteFile(last+".open", append(b, b[:100]...), 0o644)
	os.Remove(last)
	startServe(t, data, ServeOptions{})

	dst := filepath.Join(t.TempDir(), "backup")
	code, out, errOut := run(t, data, "backup", dst)
	if code != 0 || !strings.Contains(out, "backed up") {
		t.Fatalf("backup: %d %s %s", code, out, errOut)
	}
	if code, out, _ := run(t, dst, "check"); code != 0 || !strings.Contains(out, "all is well") {
		t.Errorf("check of the backup: %d %s", code, out)
	}
	if r := search(t, dst, "thanh hoa"); r.Total < 5 {
		t.Errorf("search in the backup found %d", r.Total)
	}
	if code, _, errOut := run(t, data, "backup", dst); code != ExitUsage {
		t.Errorf("backup into a non-empty directory: %d %s", code, errOut)
	}
}
