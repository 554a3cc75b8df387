package index

import (
	"bufio"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// From a review of the session's changes: each test's comment tells what
// happened before its fix.

// processReadBytes is what this process has read through read(2) so far
// (/proc/self/io rchar); a search reads the index through its mappings,
// so only a whole-file read (verifySegmentFile) moves it.
func processReadBytes(t *testing.T) int64 {
	t.Helper()
	f, err := os.Open("/proc/self/io")
	if err != nil {
		t.Skip("no /proc/self/io:", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "rchar:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n
		}
	}
	t.Skip("no rchar in /proc/self/io")
	return 0
}

// TestQueryTypoDoesNotReadTheWholeIndex: Search runs VerifySegments
// after any failed search that is not ErrCorrupt, errClosed or a cancelled
// context, and a mistyped query (an unclosed quote, an unknown field: a
// *QueryError from compileQuery, inside ix.search) is such a failure. So
// every visitor of `tulieu serve` who types `"hội nghị` without the closing
// quote makes the server read every segment file of the index whole (GBs
// for a large archive), and so does every `tulieu search` typo. A user
// sees searches stall and the disk busy; a query error should be answered
// at once, reading nothing.
func TestQueryTypoDoesNotReadTheWholeIndex(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	ix := openTest(t, dir)
	if err := ix.Put(context.Background(), genDocs(300)...); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	var total int64
	segs, _ := filepath.Glob(filepath.Join(dir, "shard-*", "store", "*.zap"))
	for _, s := range segs {
		if fi, err := os.Stat(s); err == nil {
			total += fi.Size()
		}
	}
	if total < 1<<20 {
		t.Fatalf("index of %d bytes: too small to tell", total)
	}
	ix = openTest(t, dir) // opened after a clean close: Open reads no segment whole
	defer ix.Close()
	for _, q := range []string{`"hội nghị`, `tacgia:`, `OR hội`} {
		before := processReadBytes(t)
		_, err := ix.Search(context.Background(), Request{Query: q, Limit: 10})
		read := processReadBytes(t) - before
		var qe *QueryError
		if !errors.As(err, &qe) {
			t.Fatalf("query %q: %v; want a *QueryError", q, err)
		}
		if read > total/2 {
			t.Errorf("query %q (a typo, %v): the search read %d bytes of an index of %d segment bytes; want none (no verification for a query error)", q, err, read, total)
		}
	}
}
