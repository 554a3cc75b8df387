package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// damageSegment flips one byte in the middle of the largest segment file
// of the index in dir, keeping the file's time when keepTime (a bad
// sector), and returns its path.
func damageSegment(t *testing.T, dir string, keepTime bool) string {
	t.Helper()
	segs, _ := filepath.Glob(filepath.Join(dir, "shard-*", "store", "*.zap"))
	var path string
	var size int64
	for _, s := range segs {
		if fi, err := os.Stat(s); err == nil && fi.Size() > size {
			path, size = s, fi.Size()
		}
	}
	if path == "" {
		t.Fatal("no segment file")
	}
	fi, _ := os.Stat(path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x5a
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if keepTime {
		if err := os.Chtimes(path, fi.ModTime(), fi.ModTime()); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func builtIndex(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	ix := openTest(t, dir)
	if err := ix.Put(context.Background(), genDocs(60)...); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestOpenFindsAChangedSegmentDamaged: a segment file changed since the
// last clean close (its time moved) is read whole against its checksum by
// Open: damaged, Open says ErrCorrupt (and the CLI rebuilds the index).
func TestOpenFindsAChangedSegmentDamaged(t *testing.T) {
	dir := builtIndex(t)
	ix := openTest(t, dir)
	err := ix.VerifySegments()
	ix.Close()
	if err != nil {
		t.Fatalf("a whole index fails its checksums: %v", err)
	}
	damageSegment(t, dir, false)
	ix, err = Open(dir, nil)
	if err == nil {
		ix.Close()
	}
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Open of an index with a rewritten, damaged segment: %v; want ErrCorrupt", err)
	}
}

// TestBadSectorUnderATrustedSegment: a segment Open trusts (unchanged,
// to its size and time, since the clean close that noted it) goes bad.
// VerifySegments finds it; the index then counts as damaged, so that its
// Close notes nothing and the next Open reads every segment again.
func TestBadSectorUnderATrustedSegment(t *testing.T) {
	dir := builtIndex(t)
	openTest(t, dir).Close() // every segment noted as seen whole
	damageSegment(t, dir, true)
	ix := openTest(t, dir)
	if err := ix.VerifySegments(); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("VerifySegments on a bad sector: %v; want ErrCorrupt", err)
	}
	if !ix.Damaged() {
		t.Error("the index does not say it is damaged")
	}
	ix.Close()
	ix, err := Open(dir, nil)
	if err == nil {
		ix.Close()
	}
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("Open after a damaged index was closed: %v; want ErrCorrupt", err)
	}
}

// TestVerifySegmentFileReadsTheChecksum: zapx's footer ends with the CRC
// of the bytes before it; a file cut short or changed anywhere fails.
func TestVerifySegmentFileReadsTheChecksum(t *testing.T) {
	dir := builtIndex(t)
	segs, _ := filepath.Glob(filepath.Join(dir, "shard-*", "store", "*.zap"))
	if len(segs) == 0 {
		t.Fatal("no segment")
	}
	for _, s := range segs {
		if err := verifySegmentFile(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	b, _ := os.ReadFile(segs[0])
	for name, bad := range map[string][]byte{"cut": b[:len(b)-100], "first byte": append([]byte{b[0] ^ 1}, b[1:]...), "empty": nil} {
		p := filepath.Join(t.TempDir(), "x.zap")
		os.WriteFile(p, bad, 0o644)
		if err := verifySegmentFile(p); !errors.Is(err, errSegmentChecksum) {
			t.Errorf("%s: %v; want a checksum error", name, err)
		}
	}
}

// TestVerifyAfterFailureReadsTheIndexOnce: a search that fails again and
// again for a reason that is no damage must not read the whole index each
// time; a sound verification stands for reverifyAfter, and damage found
// once is known without reading again.
func TestVerifyAfterFailureReadsTheIndexOnce(t *testing.T) {
	dir := builtIndex(t)
	openTest(t, dir).Close()
	ix := openTest(t, dir)
	defer ix.Close()
	if err := ix.verifyAfterFailure(); err != nil {
		t.Fatalf("a sound index: %v", err)
	}
	damageSegment(t, dir, true)
	if err := ix.verifyAfterFailure(); err != nil {
		t.Errorf("within %v of a sound verification: %v; want it to stand", reverifyAfter, err)
	}
	ix.verifiedAt.Store(time.Now().Add(-2 * reverifyAfter).UnixNano())
	if err := ix.verifyAfterFailure(); !errors.Is(err, ErrCorrupt) {
		t.Errorf("after %v: %v; want the damage found", 2*reverifyAfter, err)
	}
	if err := ix.verifyAfterFailure(); !errors.Is(err, ErrCorrupt) || !ix.Damaged() {
		t.Errorf("once damaged: %v (damaged %v)", err, ix.Damaged())
	}
}
