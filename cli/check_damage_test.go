package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tulieu/internal/fixturesite"
	"tulieu/store"
	"tulieu/warc"
)

// TestRepairKeepsRecordsAfterDamage: a WARC file left ".open" by a killed
// crawl with one damaged record in its middle (a bad sector) keeps the
// complete records after it: check --repair finishes the file, reports
// the damaged record, and deletes no archive data.
func TestRepairKeepsRecordsAfterDamage(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	files, _ := warc.Files(filepath.Join(data, "warc"))
	if len(files) != 1 {
		t.Fatalf("files: %v", files)
	}
	path := files[0]
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recsBefore, _, _ := warc.Scan(path)
	// As a killed crawl leaves it: still .open, no index. One byte of a
	// record in the middle is damaged.
	b[len(b)/2] ^= 0xff
	leaveOpen(path, b)

	code, out, errOut := run(t, data, "check", "--repair")
	t.Logf("check --repair: %d\n%s\n%s", code, out, errOut)
	size := warcSize(path)
	if size != int64(len(b)) {
		t.Errorf("check --repair cut the WARC file from %d to %d bytes (%d records were in it): the complete records after the damaged one are gone",
			len(b), size, len(recsBefore))
	}
	st, err := store.Open(context.Background(), data, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var past int
	st.DB().QueryRow("SELECT count(*) FROM captures WHERE warc_offset >= ?", size).Scan(&past)
	if past > 0 {
		t.Errorf("%d captures of the catalog now point past the end of the repaired file", past)
	}
}

// leaveOpen writes b as the WARC file at path, as a killed crawl leaves
// it: still .open, with no CDXJ index.
func leaveOpen(path string, b []byte) {
	os.WriteFile(path+".open", b, 0o644)
	os.Remove(path)
	os.Remove(path + warc.CDXJSuffix)
}

// warcSize is the size of the WARC file at path, open or finished; -1
// when there is neither.
func warcSize(path string) int64 {
	for _, p := range []string{path, path + ".open"} {
		if fi, err := os.Stat(p); err == nil {
			return fi.Size()
		}
	}
	return -1
}

// TestCheckAdvice: check's last line sends the administrator to --repair
// only for what it mends (open WARC files, CDXJ indexes, the search
// index), and to a backup for what it never repairs away (a damaged
// record, a capture or article the archive cannot back).
func TestCheckAdvice(t *testing.T) {
	report := func(kinds ...string) *checkReport {
		rep := &checkReport{}
		for _, k := range kinds {
			rep.Problems = append(rep.Problems, checkProblem{Kind: k})
		}
		return rep
	}
	for _, c := range []struct {
		kinds    []string
		repaired bool
		want     string
	}{
		{[]string{"cdxj", "warc"}, false, "tulieu check --repair` fixes"},
		{[]string{"warc"}, false, "--repair cannot fix these"},
		{[]string{"damaged_record"}, false, "tulieu check --repair` fixes"},
		{[]string{"capture", "article"}, false, "--repair cannot fix these"},
		{[]string{"index"}, true, "could not fix them all"},
	} {
		if got := checkAdvice(report(c.kinds...), c.repaired); !strings.Contains(got, c.want) || !strings.Contains(got, "backup") {
			t.Errorf("%v (after --repair: %v): %q, want %q and a backup", c.kinds, c.repaired, got, c.want)
		}
	}
}
