package index

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRemoveRefusesAStrayDirectory: an index directory holding only a file
// of someone else's is not removed; the refusal said "not a search index
// directory" and nothing of what to do. It names the file and says to move
// it away.
func TestRemoveRefusesAStrayDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Remove(dir)
	if err == nil || !strings.Contains(err.Error(), "notes.txt") || !strings.Contains(err.Error(), "move") {
		t.Errorf("Remove of a directory holding notes.txt: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "notes.txt")); err != nil {
		t.Errorf("the stray file is gone: %v", err)
	}
}
