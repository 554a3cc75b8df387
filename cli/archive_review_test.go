package cli

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	nlwarc "github.com/nlnwa/gowarc/v3"

	"tulieu/internal/fixturesite"
	"tulieu/store"
	"tulieu/warc"
)

// These tests came from a review of the archive's integrity as its
// administrator checks it; each comment says what went wrong before the
// fix.

// TestCheckMissesWrongRecordLength: the catalog says where each record is
// by file, offset AND length (captures.warc_length); `tulieu export
// --format warc|wacz` copies exactly [offset, offset+length) "byte for
// byte". A capture whose warc_length no longer matches its gzip member (a
// damaged or hand-edited catalog row, one pointing past the end of its
// record) is not looked at by `tulieu check`: the administrator is told
// "all is well", and then `tulieu export --format warc` of that article
// fails ("gzip: invalid header" when copying the request after it), or,
// with a length that ends past its record, copies bytes of the next. check should report the capture
// (it already knows each record's offset and size from its strict scan).
func TestCheckMissesWrongRecordLength(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	if code, out, _ := run(t, data, "check"); code != 0 {
		t.Fatalf("check of a fresh crawl: %d %s", code, out)
	}
	st, err := store.Open(context.Background(), data, nil)
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	var url string
	if err := st.DB().QueryRow(`SELECT c.id, a.url FROM articles a JOIN captures c ON c.id = a.capture_id
		WHERE a.kind = 'article' AND c.record_type = 'response' ORDER BY c.id LIMIT 1`).Scan(&id, &url); err != nil {
		t.Fatal(err)
	}
	// The row now ends 10 bytes before its record does.
	if _, err := st.DB().Exec("UPDATE captures SET warc_length = warc_length - 10 WHERE id = ?", id); err != nil {
		t.Fatal(err)
	}
	st.Close()

	code, out, _ := run(t, data, "check")
	if code == 0 {
		t.Errorf("check says the archive is whole although capture %d's warc_length is not its record's length:\n%s", id, out)
	}
	// What that costs: the export copies the cut record.
	dst := filepath.Join(t.TempDir(), "a.warc.gz")
	listFile := filepath.Join(t.TempDir(), "ids.txt")
	os.WriteFile(listFile, []byte(url+"\n"), 0o644)
	ecode, _, eerr := run(t, data, "export", "--format", "warc", "--ids-from", listFile, "-o", dst)
	if ecode != 0 {
		t.Logf("and then the WARC export of that article fails: %d %s", ecode, eerr)
		return
	}
	r, err := nlwarc.NewWarcFileReader(dst, 0, nlwarc.WithStrictValidation())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Errorf("the exported WARC (export exited 0) cannot be read at %d: %v", rec.Offset, err)
			break
		}
		rec.Close()
	}
}

// TestRepairCutsADamagedLastRecord: a killed crawl leaves its WARC file
// ".open"; its last record is complete (the crawl had finished writing it)
// but one byte of it went bad on the disk. `tulieu check --repair` is
// documented to report a damaged record and never "repair" it away, and
// `Recover` to cut only "a partly written last record, as a crash
// leaves". What the administrator sees: "finished … (… bytes of an
// unfinished record cut)", the whole complete record deleted from the
// archive, and then "all is well": the damage is no longer even reported.
// The member was whole (its gzip stream ends, with a bad checksum or a bad
// block), not cut short by the crash: it should be kept and reported.
func TestRepairCutsADamagedLastRecord(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	files, _ := warc.Files(filepath.Join(data, "warc"))
	if len(files) != 1 {
		t.Fatalf("files: %v", files)
	}
	path := files[0]
	recs, findings, err := warc.Scan(path)
	if err != nil || len(findings) > 0 {
		t.Fatalf("scan: %v %v", err, findings)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	last := recs[len(recs)-1]
	// One byte in the middle of the last (complete) gzip member.
	b[(last.Offset+int64(len(b)))/2] ^= 0xff
	leaveOpen(path, b)

	code, out, errOut := run(t, data, "check", "--repair")
	t.Logf("check --repair: %d\n%s%s", code, out, errOut)
	size := warcSize(path)
	if size != int64(len(b)) {
		t.Errorf("check --repair cut the WARC file from %d to %d bytes: the complete %s record at %d (damaged by one byte) was deleted",
			len(b), size, last.Type, last.Offset)
	}
	// Kept, and recorded as damaged: check lists it from then on.
	if code != 0 || !strings.Contains(out, "known damage: "+filepath.Base(path)+" at "+strconv.FormatInt(last.Offset, 10)) {
		t.Errorf("after --repair check does not list the damaged record (at %d) as known damage: %d\n%s", last.Offset, code, out)
	}
}
