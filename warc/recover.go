package warc

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	nlwarc "github.com/nlnwa/gowarc/v3"
)

// Recovered says what Recover did to one file left open by a crash.
type Recovered struct {
	File      string // final name
	Records   int    // complete records kept
	CutBytes  int64  // bytes of a partly written last record removed
	Truncated bool
	// DamagedBytes follow the last record that reads, kept: a whole
	// record that does not decode (a flipped byte) is damage to the
	// archive, for check to report, not a crash's leftover to cut.
	DamagedBytes int64
}

// Recover finishes the files a crashed crawl left ".open": each is cut
// after its last complete record (a record half written when the process
// died is dropped: no catalog entry points into it, since captures are
// recorded only after their records are written) and renamed to its final
// name. It must run only while no writer has the folder (under the crawl
// lock).
func Recover(dir string) ([]Recovered, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil
		}
		return nil, err
	}
	var out []Recovered
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), openSuffix) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		r, err := recoverFile(path)
		if err != nil {
			return out, fmt.Errorf("recover %s: %w", e.Name(), err)
		}
		out = append(out, r)
	}
	return out, nil
}

func recoverFile(path string) (Recovered, error) {
	final := strings.TrimSuffix(path, openSuffix)
	rec := Recovered{File: filepath.Base(final)}
	fi, err := os.Stat(path)
	if err != nil {
		return rec, err
	}
	end, n, err := lastGoodOffset(path)
	if err != nil {
		return rec, err
	}
	rec.Records = n
	if end < fi.Size() {
		leftover, err := crashLeftover(path, end, fi.Size())
		if err != nil {
			return rec, err
		}
		if leftover {
			if err := os.Truncate(path, end); err != nil {
				return rec, err
			}
			rec.CutBytes, rec.Truncated = fi.Size()-end, true
		} else {
			rec.DamagedBytes = fi.Size() - end
		}
	}
	if _, err := os.Stat(final); err == nil {
		return rec, fmt.Errorf("%s already exists", filepath.Base(final))
	}
	if n == 0 {
		// Nothing complete in it: not even its warcinfo record.
		return rec, os.Remove(path)
	}
	if err := os.Rename(path, final); err != nil {
		return rec, err
	}
	_, err = IndexFile(final)
	return rec, err
}

// crashLeftover says whether what follows the last record that reads,
// [from, size) of the file, is what a crash leaves: zero bytes only (space
// the file system had given the file and the process had not written), or
// the start of a gzip member cut short (each record is its own member). A
// whole member that does not decode (a flipped byte, a bad checksum) or
// bytes that are no gzip member at all are damage to what was archived.
func crashLeftover(path string, from, size int64) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	tail := io.NewSectionReader(f, from, size-from)
	zeros := true
	buf := make([]byte, 64<<10)
	for off := int64(0); zeros && off < tail.Size(); {
		n, err := tail.ReadAt(buf, off)
		if n == 0 && err != nil {
			return false, err
		}
		zeros = !slices.ContainsFunc(buf[:n], func(b byte) bool { return b != 0 })
		off += int64(n)
	}
	if zeros {
		return true, nil
	}
	zr, err := gzip.NewReader(io.NewSectionReader(f, from, size-from))
	if err != nil {
		return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF), nil
	}
	zr.Multistream(false)
	_, err = io.Copy(io.Discard, zr)
	return errors.Is(err, io.ErrUnexpectedEOF), nil
}

// lastGoodOffset returns where the last complete record of a file ends
// and how many complete records it holds. A record that does not parse is
// not the end of the file: a damaged byte in the middle (a disk error, a
// stray write) must not make everything after it look like the half
// record a crash leaves at the end, to be cut. So past a record that does
// not parse, the file is searched for the next gzip member that starts a
// record which does (each record is its own member), and reading goes on
// from there; what a crash left is only what follows the last good record.
func lastGoodOffset(path string) (end int64, records int, err error) {
	err = readPastDamage(path, func(from int64) (int64, error) {
		last, n, err := readRecordsFrom(path, from)
		if n > 0 {
			end, records = last, records+n
		}
		// Where reading stopped (or the start, if nothing parsed there):
		// the next member is looked for past it.
		return max(last, from), err
	})
	if err != nil {
		return 0, 0, err
	}
	return end, records, nil
}

// readPastDamage calls read with the start of the file and, each time read
// stops at a record that does not parse (stopped is where), with the start
// of the next record that does (nextRecordStart); it ends when read reaches
// the end of the file (stopped < 0), or when no record follows.
func readPastDamage(path string, read func(from int64) (stopped int64, err error)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	for from := int64(0); from < fi.Size(); {
		stopped, err := read(from)
		if err != nil || stopped < 0 {
			return err
		}
		if from, err = nextRecordStart(f, path, stopped+1, fi.Size()); err != nil || from < 0 {
			return err
		}
	}
	return nil
}

// readRecordsFrom reads records from offset until one does not parse or
// the file ends, and returns where the last good one ends (offset when
// none does) and how many there were.
func readRecordsFrom(path string, offset int64) (end int64, records int, err error) {
	r, err := newFileReader(path, offset, nlwarc.WithSyntaxErrorPolicy(nlwarc.ErrFail),
		nlwarc.WithSpecViolationPolicy(nlwarc.ErrWarn))
	if err != nil {
		return 0, 0, err
	}
	defer r.Close()
	end = offset
	for {
		rec, err := r.Next()
		if err != nil || rec.WarcRecord == nil {
			return end, records, nil
		}
		end = rec.Offset + rec.Size
		records++
		rec.Close()
	}
}

// nextRecordStart finds, at or after from, the offset of the next gzip
// member that starts a record which parses; -1 if there is none.
func nextRecordStart(f *os.File, path string, from, size int64) (int64, error) {
	magic := []byte{0x1f, 0x8b, 0x08}
	buf := make([]byte, 64<<10)
	for pos := from; pos < size; {
		n, err := f.ReadAt(buf, pos)
		if n == 0 {
			if err != nil && !errors.Is(err, io.EOF) {
				return -1, err
			}
			return -1, nil
		}
		chunk := buf[:n]
		for i := 0; i+len(magic) <= len(chunk); {
			j := bytes.Index(chunk[i:], magic)
			if j < 0 {
				break
			}
			at := pos + int64(i+j)
			if _, k, err := readRecordsFrom(path, at); err == nil && k > 0 {
				return at, nil
			}
			i += j + 1
		}
		if n < len(buf) {
			return -1, nil
		}
		pos += int64(n - len(magic) + 1) // a header may straddle two reads
	}
	return -1, nil
}

// CompleteLength is where the last complete record of a WARC file ends:
// a file still being written may end in part of a record, which a copy
// leaves out.
func CompleteLength(path string) (int64, error) {
	end, _, err := lastGoodOffset(path)
	return end, err
}

// IndexMissing writes the CDXJ index of every finished WARC file that has
// none (a crawl that stopped on a full disk may have finished a file with
// no room left for its index) and returns their names. Existing indexes
// are not read: `tulieu check` compares them with their files.
func IndexMissing(dir string) ([]string, error) {
	files, err := Files(dir)
	if err != nil {
		return nil, err
	}
	var done []string
	for _, f := range files {
		if strings.HasSuffix(f, openSuffix) {
			continue
		}
		if _, err := os.Stat(f + CDXJSuffix); !errors.Is(err, os.ErrNotExist) {
			continue
		}
		if _, err := IndexFile(f); err != nil {
			return done, fmt.Errorf("index %s: %w", filepath.Base(f), err)
		}
		done = append(done, filepath.Base(f))
	}
	return done, nil
}
