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

// A record recorded as damaged whose WARC file is then lost (deleted, or
// a disk replaced without it) does not "read whole again": check must not
// list it under restored, and --repair must not forget the damage (which
// would have LastGoodCapture take the capture for a whole copy again).
// checkArchive calls every mark absent from the findings stale, and a
// file that is missing (or that Scan cannot read at all) has no findings.
func TestMissingFileIsNotRestored(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	_, cp := damagedArticleCapture(t, data, damagedMiddle)
	flipArchiveByte(t, data, cp.WARCFile, cp.WARCOffset+cp.WARCLength/2)
	if code, rep := damagedCheckJSON(t, data, "--repair"); code != 0 || len(rep.Damaged) != 1 {
		t.Fatalf("check --repair: %d %+v", code, rep)
	}
	// The file is lost.
	path := warc.Path(filepath.Join(data, "warc"), cp.WARCFile)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	os.Remove(strings.TrimSuffix(path, ".open") + warc.CDXJSuffix)

	_, rep := damagedCheckJSON(t, data)
	for _, r := range rep.Restored {
		if strings.HasPrefix(r, cp.WARCFile+" ") {
			t.Errorf("check lists %q as restored (reads whole again), but its file %s is gone", r, cp.WARCFile)
		}
	}
	damagedCheckJSON(t, data, "--repair")
	ctx := context.Background()
	st, err := store.Open(ctx, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	marks, err := st.DamagedRecords(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range marks {
		found = found || (m.WARCFile == cp.WARCFile && m.WARCOffset == cp.WARCOffset)
	}
	if !found {
		t.Errorf("check --repair forgot the damage of %s at %d after its file was lost: %+v", cp.WARCFile, cp.WARCOffset, marks)
	}
}
