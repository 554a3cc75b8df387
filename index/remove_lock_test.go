package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestRemoveRefusesAnIndexInUse: reindex asked Open whether another
// process had the index open, and Open read every segment after a crash
// only to learn it, for an index about to be removed. RemoveUnused takes
// the shards' locks itself: an index held open is left whole (ErrInUse),
// and once closed it is removed.
func TestRemoveRefusesAnIndexInUse(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	ix := openTest(t, dir)
	if err := ix.Put(context.Background(), Document{ID: "a", URL: "http://x.vn/a.html", Title: "Đại hội", Body: "Đại hội Đảng bộ", Status: "live"}); err != nil {
		t.Fatal(err)
	}
	if err := remove(dir, true, 100*time.Millisecond); !errors.Is(err, ErrInUse) {
		t.Errorf("RemoveUnused of an index held open: %v, want ErrInUse", err)
	}
	if _, err := os.Stat(filepath.Join(dir, layoutFile)); err != nil {
		t.Errorf("after the refusal: %v", err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := remove(dir, true, 100*time.Millisecond); err != nil {
		t.Fatalf("RemoveUnused of a closed index: %v", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the index is still there: %v", err)
	}
}
