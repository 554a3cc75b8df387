package index

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"time"
)

// A segment file ends with a CRC-32 (IEEE, big-endian) of every byte before
// it (zapx's footer, written by persistFooter and checked by nothing in
// bleve). A bad sector in a segment otherwise shows only when a search
// reads that part: as an error naming bleve's internals, or as a panic in
// a shard's goroutine. So Open checks the segments it has not seen whole
// (those a clean Close did not list, or whose size or time changed since),
// a failed search checks them all (verifyAfterFailure, at most once in
// reverifyAfter), and so does VerifySegments, for `tulieu check`.

// segmentStamp is what a clean Close notes of a segment file: a file with
// the same size and modification time at the next Open is not read again.
type segmentStamp struct {
	Size int64 `json:"size"`
	Mod  int64 `json:"mod"` // modification time, Unix nanoseconds
}

// segmentStamps lists the segment files of the current snapshots, by path
// relative to the index directory.
func (ix *Index) segmentStamps() (map[string]segmentStamp, error) {
	out := map[string]segmentStamp{}
	err := ix.WithSegmentFiles(func(paths []string) error {
		for _, p := range paths {
			fi, err := os.Stat(p)
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(ix.dir, p)
			if err != nil {
				return err
			}
			out[filepath.ToSlash(rel)] = segmentStamp{fi.Size(), fi.ModTime().UnixNano()}
		}
		return nil
	})
	return out, err
}

// VerifySegments reads every segment file of the index whole and checks
// it against its checksum; an error wrapping ErrCorrupt names the first
// damaged one. (Open checks only the files it has not seen whole.)
func (ix *Index) VerifySegments() error { return ix.verifySegments(nil) }

// verifySegments checks the segment files but those known, as noted by a
// clean Close, unchanged since.
func (ix *Index) verifySegments(known map[string]segmentStamp) error {
	err := ix.withSegmentsChecked(known)
	if errors.Is(err, ErrCorrupt) {
		ix.damaged.Store(true)
	}
	return err
}

func (ix *Index) withSegmentsChecked(known map[string]segmentStamp) error {
	return ix.WithSegmentFiles(func(paths []string) error {
		for _, p := range paths {
			fi, err := os.Stat(p)
			if err != nil {
				return fmt.Errorf("index: %w", err)
			}
			if rel, err := filepath.Rel(ix.dir, p); err == nil {
				if st, ok := known[filepath.ToSlash(rel)]; ok && st == (segmentStamp{fi.Size(), fi.ModTime().UnixNano()}) {
					continue
				}
			}
			if err := verifySegmentFile(p); err != nil {
				return fmt.Errorf("%w: %s: %v", ErrCorrupt, ix.dir, err)
			}
		}
		return nil
	})
}

// reverifyAfter is how long a whole verification that found every segment
// sound stands for the searches that fail after it: a search that fails
// the same way again and again (a request that meets a fault of ours)
// reads the whole index once, not once a request.
const reverifyAfter = 10 * time.Minute

// verifyAfterFailure checks the segments after a read failed: at once
// ErrCorrupt when the index is known damaged, nil when a whole
// verification found it sound less than reverifyAfter ago.
func (ix *Index) verifyAfterFailure() error {
	if ix.damaged.Load() {
		return fmt.Errorf("%w: %s: found damaged by an earlier read", ErrCorrupt, ix.dir)
	}
	if last := ix.verifiedAt.Load(); last != 0 && time.Since(time.Unix(0, last)) < reverifyAfter {
		return nil
	}
	err := ix.VerifySegments()
	if err == nil {
		ix.verifiedAt.Store(time.Now().UnixNano())
	}
	return err
}

// errSegmentChecksum says a segment file's bytes are not those written.
var errSegmentChecksum = errors.New("does not match its checksum")

// verifySegmentFile reads path through a CRC-32 (memory flat, whatever the
// file's size) and compares it with the checksum in its last four bytes.
func verifySegmentFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Size() < 4 {
		return fmt.Errorf("segment %s: %d bytes: %w", filepath.Base(path), fi.Size(), errSegmentChecksum)
	}
	h := crc32.NewIEEE()
	if _, err := io.CopyN(h, f, fi.Size()-4); err != nil {
		return fmt.Errorf("segment %s: %w", filepath.Base(path), err)
	}
	var tail [4]byte
	if _, err := io.ReadFull(f, tail[:]); err != nil {
		return fmt.Errorf("segment %s: %w", filepath.Base(path), err)
	}
	if binary.BigEndian.Uint32(tail[:]) != h.Sum32() {
		return fmt.Errorf("segment %s %w", filepath.Base(path), errSegmentChecksum)
	}
	return nil
}

// recoverDamage, deferred in a shard's goroutine, turns a panic into an
// error in *err: bleve's readers trust a segment's bytes, and a damaged
// one panics (a slice out of range) in a goroutine where nothing else
// would catch it, ending the process. Search then checks the segments.
func recoverDamage(err *error, shard int) {
	if r := recover(); r != nil {
		*err = &panicError{shard: shard, value: r}
	}
}

// panicError is a panic while reading the index (shard -1: outside the
// shards' goroutines).
type panicError struct {
	shard int
	value any
}

func (e *panicError) Error() string {
	if e.shard < 0 {
		return fmt.Sprintf("index: search failed: %v", e.value)
	}
	return fmt.Sprintf("index: shard %d: search failed: %v", e.shard, e.value)
}

// Damaged says whether a read of this index found it damaged (an error
// wrapping ErrCorrupt): it should be removed and rebuilt from the catalog.
func (ix *Index) Damaged() bool { return ix.damaged.Load() }
