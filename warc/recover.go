package warc

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	nlwarc "github.com/nlnwa/gowarc/v3"
)

// Recovered says what Recover did to one file left open by a crash.
type Recovered struct {
	File      string // final name
	Records   int    // complete records kept
	CutBytes  int64  // bytes of a partly written last record removed
	Truncated bool
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
		if err := os.Truncate(path, end); err != nil {
			return rec, err
		}
		rec.CutBytes, rec.Truncated = fi.Size()-end, true
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

// lastGoodOffset reads records until the first one that does not parse and
// returns where the last good one ends.
func lastGoodOffset(path string) (end int64, records int, err error) {
	r, err := newFileReader(path, 0, nlwarc.WithSyntaxErrorPolicy(nlwarc.ErrFail),
		nlwarc.WithSpecViolationPolicy(nlwarc.ErrWarn))
	if err != nil {
		return 0, 0, err
	}
	defer r.Close()
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return end, records, nil
		}
		if err != nil || rec.WarcRecord == nil {
			return end, records, nil
		}
		end = rec.Offset + rec.Size
		records++
		rec.Close()
	}
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
