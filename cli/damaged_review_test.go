package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tulieu/export"
	"tulieu/internal/fixturesite"
	"tulieu/store"
	"tulieu/warc"
)

// These tests came from a review of damaged WARC records as the nightly
// job's administrator meets them; each comment says what went wrong
// before the fix.

// flipArchiveByte flips the byte at offset off of the (finished) WARC file named
// file in data, as a bad sector would.
func flipArchiveByte(t *testing.T, data, file string, off int64) {
	t.Helper()
	path := warc.Path(filepath.Join(data, "warc"), file)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[off] ^= 0xff
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// damagedArticleCapture is the response capture an article's current content
// came from, for the article at index pick of the live articles.
func damagedArticleCapture(t *testing.T, data string, pick func([]store.Article) store.Article) (store.Article, *store.Capture) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	arts, err := st.Articles(ctx, store.Filter{Kinds: []string{store.KindArticle}})
	if err != nil || len(arts) < 3 {
		t.Fatalf("articles: %d %v", len(arts), err)
	}
	a := pick(arts)
	cp, err := st.CaptureByID(ctx, a.CaptureID)
	if err != nil || cp.RecordType != "response" || cp.WARCLength == 0 {
		t.Fatalf("capture of %s: %+v %v", a.URL, cp, err)
	}
	return a, cp
}

func damagedMiddle(arts []store.Article) store.Article { return arts[len(arts)/2] }

// damagedCheckJSON runs check --json (with args) and decodes its report.
func damagedCheckJSON(t *testing.T, data string, args ...string) (int, checkReport) {
	t.Helper()
	code, out, errOut := run(t, data, append([]string{"check", "--json"}, args...)...)
	var rep checkReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("check %v: %d %q %q", args, code, out, errOut)
	}
	return code, rep
}

// TestDamagedImageLeftOutOfDocsExport: an article's image whose WARC
// record has a flipped byte, recorded by `check --repair`.
//
// What the operator sees: `tulieu export --format html` (and md) exits 1
// with "tulieu: image … read … at N: gzip: invalid checksum" and writes
// no file, every night from then on — even after the next crawl has
// fetched the image whole again, because the export takes the image
// capture nearest the article's (old) capture.
//
// Expected (README, damaged_records: "from then on exports leave it
// out"; md/html: "one the archive lacks keeps its caption with (ảnh chưa
// được lưu)"): the export completes, the damaged image left out with
// its caption and a note.
//
// Cause: export/docs.go (*docsWriter).image copies d.a.OpenCapture's body
// with io.Copy and returns the read error, which aborts the whole export;
// neither damaged_records nor a read failure is treated as "not saved".
func TestDamagedImageLeftOutOfDocsExport(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	ctx := context.Background()
	st, err := store.Open(ctx, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	var file string
	var off, length int64
	err = st.DB().QueryRow(`SELECT warc_file, warc_offset, warc_length FROM captures
		WHERE kind = 'requisite' AND url LIKE '%/uploads/images/%' AND record_type = 'response' ORDER BY id LIMIT 1`).Scan(&file, &off, &length)
	st.Close()
	if err != nil {
		t.Fatalf("no archived article image: %v", err)
	}
	flipArchiveByte(t, data, file, off+length/2)
	if code, rep := damagedCheckJSON(t, data, "--repair"); code != 0 || len(rep.Damaged) != 1 {
		t.Fatalf("check --repair: %d %+v", code, rep)
	}
	for _, format := range []string{"html", "md"} {
		out := filepath.Join(t.TempDir(), "all."+format+".zip")
		code, _, errOut := run(t, data, "export", "--format", format, "-o", out)
		if code != 0 {
			t.Errorf("export --format %s with one damaged (and recorded) image: exit %d: %s", format, code, errOut)
			continue
		}
		if _, err := os.Stat(out); err != nil {
			t.Errorf("export --format %s wrote no file: %v", format, err)
		}
	}
	// The next crawl fetches the image whole again: the export must
	// then work in any case.
	crawl(t, data, srv.URL+"/")
	out := filepath.Join(t.TempDir(), "after.html.zip")
	if code, _, errOut := run(t, data, "export", "--format", "html", "-o", out); code != 0 {
		t.Errorf("export --format html after the next crawl fetched the image whole: exit %d: %s", code, errOut)
	}
}

// TestDamagedRequestLeftOutOfWARCExport: a flipped byte early in the
// request record written after an article's response (its gzip header or
// WARC header: most of a ~500-byte request record), recorded by `check
// --repair`.
//
// What the operator sees: `tulieu export --format warc` (and wacz) of the
// whole archive exits 1: "tulieu: URL: FILE at N (after the response to
// URL): record header: flate: corrupt input before offset 44" (or "gzip:
// invalid header"); nothing is exported. Only damage late in the request
// (its body's checksum) is left out with a warning.
//
// Expected (README, export warc: "one that cannot be read (a damaged byte
// in the archive) is left out, with a warning naming the page"; check
// --repair: "from then on exports leave it out"): the request is left
// out, the response and every other record exported, exit 0.
//
// Cause: export/warc.go (*warcCopier).exchange returns readHead's error
// for the record after the response instead of leaving it out (only
// m.length()'s error is); damaged_records is never consulted.
func TestDamagedRequestLeftOutOfWARCExport(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	victim, cp := damagedArticleCapture(t, data, damagedMiddle)
	// The request record starts where the response ends.
	flipArchiveByte(t, data, cp.WARCFile, cp.WARCOffset+cp.WARCLength+20)
	code, rep := damagedCheckJSON(t, data, "--repair")
	if code != 0 || len(rep.Damaged) != 1 || rep.Damaged[0].Offset != cp.WARCOffset+cp.WARCLength {
		t.Fatalf("check --repair: %d %+v", code, rep)
	}
	for _, format := range []string{"warc", "wacz"} {
		out := filepath.Join(t.TempDir(), "all."+export.Ext(format))
		code, _, errOut := run(t, data, "export", "--format", format, "-o", out)
		if code != 0 {
			t.Errorf("export --format %s with the damaged request record of %s (recorded by --repair): exit %d: %s", format, victim.URL, code, errOut)
		}
	}
}

// TestDamagedWarcinfoLeftOutOfWARCExport: a flipped byte in the warcinfo
// record that opens a WARC file (the first record every warc export of
// a page in that file copies), recorded by `check --repair`.
//
// What the operator sees: every `tulieu export --format warc` that
// touches that file exits 1 with "tulieu: URL: FILE at 0: record header:
// flate: corrupt input before offset 58"; check says the archive is fine
// apart from the known damage.
//
// Expected: the warcinfo left out with a warning (as the code intends:
// sourceInfo leaves it out when m.length() fails), the pages exported.
//
// Cause: export/warc.go (*warcCopier).sourceInfo returns readHead's error
// ("%s at 0: %w") instead of leaving the record out.
func TestDamagedWarcinfoLeftOutOfWARCExport(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	_, cp := damagedArticleCapture(t, data, damagedMiddle)
	flipArchiveByte(t, data, cp.WARCFile, 40)
	code, rep := damagedCheckJSON(t, data, "--repair")
	if code != 0 || len(rep.Damaged) != 1 || rep.Damaged[0].Offset != 0 {
		t.Fatalf("check --repair: %d %+v", code, rep)
	}
	out := filepath.Join(t.TempDir(), "all.warc.gz")
	if code, _, errOut := run(t, data, "export", "--format", "warc", "-o", out); code != 0 {
		t.Errorf("export --format warc with the file's warcinfo damaged (recorded by --repair): exit %d: %s", code, errOut)
	}
}

// TestRefetchedPageLeavesDamagedCapture: an article's response
// record is damaged; `check --repair` records it; the next crawl fetches
// the page whole (200) and `check` then says "a later crawl archived
// whole: URL".
//
// What the operator sees: the page's content is unchanged (only the
// visitor counter differs), so the article keeps pointing at the damaged
// capture: `tulieu export --format warc` still warns "left out the
// capture of URL … --repair has the next crawl fetch the page again" and
// leaves the page out, night after night; `tulieu show --raw` fails with
// "gzip: invalid checksum"; show --json's captured_at / warc_record_id
// still name the damaged record; reextract reports it "not
// re-extracted". The whole copy the crawl fetched is never used.
//
// Expected: once a whole copy is archived, the article (its provenance,
// raw page, exports) uses it: the damage is healed as the README promises
// ("the next crawl fetches its page whole").
//
// Cause: store/articles.go RecordArticle: an Unchanged outcome only
// touches last_seen (sqlTouch), never moving capture_id off a capture
// recorded in damaged_records.
func TestRefetchedPageLeavesDamagedCapture(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	victim, cp := damagedArticleCapture(t, data, damagedMiddle)
	flipArchiveByte(t, data, cp.WARCFile, cp.WARCOffset+cp.WARCLength/2)
	if code, rep := damagedCheckJSON(t, data, "--repair"); code != 0 || len(rep.Damaged) != 1 {
		t.Fatalf("check --repair: %d %+v", code, rep)
	}
	crawl(t, data, srv.URL+"/")
	if code, rep := damagedCheckJSON(t, data); code != 0 || len(rep.Damaged) != 1 || len(rep.Damaged[0].Refetched) != 1 {
		t.Fatalf("check after the crawl (the page should be refetched): %d %+v", code, rep)
	}

	ids := filepath.Join(t.TempDir(), "ids.txt")
	os.WriteFile(ids, []byte(victim.ID+"\n"), 0o644)
	out := filepath.Join(t.TempDir(), "one.warc.gz")
	code, _, errOut := run(t, data, "export", "--format", "warc", "--ids-from", ids, "-o", out)
	if code != 0 || strings.Contains(errOut, "left out the capture of "+victim.URL) {
		t.Errorf("warc export of %s after a crawl archived it whole again: exit %d, still left out:\n%s", victim.URL, code, errOut)
	}
	if code, _, errOut := run(t, data, "show", "--raw", victim.ID); code != 0 {
		t.Errorf("show --raw %s after a crawl archived it whole again: exit %d: %s", victim.ID, code, errOut)
	}
	_, js, _ := run(t, data, "show", "--json", victim.ID)
	var shown struct {
		WARCRecordID string `json:"warc_record_id"`
	}
	json.Unmarshal([]byte(js), &shown)
	if shown.WARCRecordID == cp.WARCRecordID {
		t.Errorf("show --json still gives the damaged record %s as the article's provenance", cp.WARCRecordID)
	}
}

// TestRevisitOfDamageIsNotAWholeCopy: a record is damaged on
// disk; the nightly crawl runs before anyone ran check (the page answers
// 304, archived as a revisit whose payload is the damaged record); then
// the administrator runs `check --repair`.
//
// What the operator sees: "known damage: … a later crawl archived whole:
// URL" (JSON: "refetched":[URL], "urls":[]), so nothing seems left to do —
// yet no whole copy exists: the only later capture is a revisit pointing
// at the damaged payload.
//
// Expected: the URL listed under "urls" (the next crawl fetches it whole),
// not "refetched".
//
// Cause: cli/check.go checkArchive: wholeSince counts every 200/304
// capture whose own record reads, including revisits whose payload
// (payload_capture_id) is the damaged record.
func TestRevisitOfDamageIsNotAWholeCopy(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	victim, cp := damagedArticleCapture(t, data, damagedMiddle)
	flipArchiveByte(t, data, cp.WARCFile, cp.WARCOffset+cp.WARCLength/2)
	crawl(t, data, srv.URL+"/") // the damage is not known yet: a 304
	code, rep := damagedCheckJSON(t, data, "--repair")
	if code != 0 || len(rep.Damaged) != 1 {
		t.Fatalf("check --repair: %d %+v", code, rep)
	}
	d := rep.Damaged[0]
	if len(d.Refetched) != 0 || len(d.URLs) != 1 || d.URLs[0] != victim.URL {
		t.Errorf("check lists %s as archived whole since (refetched %v, urls %v), but its only later capture is a 304 revisit of the damaged record",
			victim.URL, d.Refetched, d.URLs)
	}
}

// TestAdaptiveRevisitFetchesDamagedPage: with `--revisit adaptive` (the
// schedule the README recommends for a large site), a stable article
// whose record `check --repair` recorded as damaged.
//
// What the operator sees: check --repair says "the next crawl fetches its
// page whole again", but the next crawls leave it "not due" for up to
// --revisit-cycle (a week): the page has no readable copy in the archive
// meanwhile, and check keeps saying "the next crawl fetches … whole
// again".
//
// Expected (README damaged_records: "the next crawl fetches its page
// whole"): a page whose only copy is damaged is due at once.
//
// Cause: crawler/revisit.go (*revisitSchedule).notDue / store's
// RevisitHistories know nothing of damaged_records.
func TestAdaptiveRevisitFetchesDamagedPage(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	ctx := context.Background()
	st, err := store.Open(ctx, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Every article stable for two months: most are not due tonight.
	long := time.Now().UTC().Add(-60 * 24 * time.Hour).Format(time.RFC3339Nano)
	if _, err := st.DB().Exec("UPDATE articles SET first_seen = ?, last_changed = ?", long, long); err != nil {
		t.Fatal(err)
	}
	st.Close()
	adaptive := func() int64 {
		t.Helper()
		code, out, errOut := run(t, data, "crawl", "--site", srv.URL+"/", "--delay", "0", "--parallel", "4", "--json", "--revisit", "adaptive")
		var s crawlSummary
		if code != 0 || json.Unmarshal([]byte(out), &s) != nil {
			t.Fatalf("crawl --revisit adaptive: %d %s %s", code, out, errOut)
		}
		return s.RunID
	}
	run2 := adaptive()
	st, err = store.Open(ctx, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	var notDue []string
	rows, err := st.DB().Query(`SELECT a.id FROM articles a WHERE a.kind = 'article' AND NOT EXISTS
		(SELECT 1 FROM captures c WHERE c.run_id = ? AND c.url = a.url)`, run2)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		notDue = append(notDue, id)
	}
	rows.Close()
	st.Close()
	if len(notDue) == 0 {
		t.Skip("every article came due tonight")
	}
	victim, cp := damagedArticleCapture(t, data, func(as []store.Article) store.Article {
		for _, a := range as {
			if a.ID == notDue[0] {
				return a
			}
		}
		t.Fatalf("article %s not found", notDue[0])
		return store.Article{}
	})
	flipArchiveByte(t, data, cp.WARCFile, cp.WARCOffset+cp.WARCLength/2)
	if code, rep := damagedCheckJSON(t, data, "--repair"); code != 0 || len(rep.Damaged) != 1 {
		t.Fatalf("check --repair: %d %+v", code, rep)
	}
	run3 := adaptive()
	st, err = store.Open(ctx, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var n int
	st.DB().QueryRow("SELECT count(*) FROM captures WHERE run_id = ? AND url = ? AND status = 200", run3, victim.URL).Scan(&n)
	if n == 0 {
		t.Errorf("the crawl after check --repair recorded %s as damaged did not fetch it (--revisit adaptive left it not due)", victim.URL)
	}
}

// TestDamagedRequestNamesItsPage: a damaged request record.
//
// What the operator sees: "damaged_record: FILE at N: cannot be read
// (…); `tulieu check --repair` records it as damaged, so that exports
// leave it out" — no page named, so the administrator cannot tell which
// page's exchange is incomplete; the "known damage" line names nothing
// either.
//
// Expected (README check: "A damaged record … is one problem,
// damaged_record, naming the page it holds"): the page whose request it
// is (the response it is WARC-Concurrent-To, i.e. the capture ending
// where it starts).
//
// Cause: cli/check.go checkArchive attaches URLs only to records a
// capture points at (warc_offset); a request record follows its
// response at warc_offset + warc_length and is never matched.
func TestDamagedRequestNamesItsPage(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	victim, cp := damagedArticleCapture(t, data, damagedMiddle)
	// Late in the request record: its checksum fails, its header reads.
	reqOff := cp.WARCOffset + cp.WARCLength
	path := warc.Path(filepath.Join(data, "warc"), cp.WARCFile)
	recs, _, err := warc.Scan(path)
	if err != nil {
		t.Fatal(err)
	}
	var reqLen int64
	for _, r := range recs {
		if r.Offset == reqOff {
			reqLen = r.Size
		}
	}
	if reqLen == 0 {
		t.Fatalf("no request record at %d", reqOff)
	}
	flipArchiveByte(t, data, cp.WARCFile, reqOff+reqLen-12)
	_, rep := damagedCheckJSON(t, data)
	var found bool
	for _, p := range rep.Problems {
		if p.Kind == "damaged_record" {
			found = true
			if !strings.Contains(p.Detail, victim.URL) {
				t.Errorf("the damaged request record of %s is reported without its page: %s: %s", victim.URL, p.Where, p.Detail)
			}
		}
	}
	if !found {
		t.Fatalf("no damaged_record reported: %+v", rep)
	}
}
