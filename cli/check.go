package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"tulieu/api"
	"tulieu/index"
	"tulieu/store"
	"tulieu/warc"
)

// CheckOptions are the flags of `tulieu check`.
type CheckOptions struct {
	Repair bool
	JSON   bool
}

// NewCmdCheck builds `tulieu check`.
func NewCmdCheck(f *Factory, runF func(context.Context, *CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{}
	cmd := &cobra.Command{
		Use:   "check [--repair] [--json]",
		Short: "Check that the archive is whole: WARC records, catalog, CDXJ indexes, search index",
		Long: `Check the data directory: every WARC record reads strictly with its digests right; every
capture in the catalog points at the record it names (type, WARC-Record-ID, payload digest, length); every
article and version points at a capture the catalog has; each finished WARC file's CDXJ index says
what the file holds; no WARC file is left open; the search index holds exactly the catalog's
articles and static pages.

Exit 0 when all is well, 1 with the list of problems. --repair fixes what can be fixed without
losing anything: it finishes WARC files left open by a killed crawl, rewrites CDXJ indexes, and
rebuilds the search index from the catalog; a WARC record that cannot be read stays in its file and
is recorded as damaged, so that the next crawl fetches its page whole again and exports leave it out
(check then lists it, and no longer counts it as a problem); then it checks again. It takes the crawl lock, so it
waits for no crawl and no crawl starts meanwhile (exit 3 if one runs).`,
		Example: "  tulieu check\n  tulieu check --repair --json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runCheck(cmd.Context(), f, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Repair, "repair", false, "fix what can be fixed (open WARC files, CDXJ indexes, the search index; damaged records are recorded as such), then check again")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the report as JSON")
	return cmd
}

// checkReport is what `tulieu check --json` prints.
type checkReport struct {
	DataDir  string         `json:"data_dir"`
	OK       bool           `json:"ok"`
	Checked  map[string]int `json:"checked"`
	Problems []checkProblem `json:"problems"`
	Repaired []string       `json:"repaired"`
	// Damaged lists the records --repair recorded as damaged: known, no
	// longer problems.
	Damaged []checkDamaged `json:"damaged"`
	// Restored lists the records recorded as damaged that read whole
	// again ("FILE at OFFSET": a backup restored them); the next --repair
	// forgets them.
	Restored  []string `json:"restored"`
	IndexNote string   `json:"index_note,omitempty"`

	unmarked []unmarkedDamage // damaged records not yet recorded as such
	stale    []recordAt       // records recorded as damaged that read whole again
}

type checkProblem struct {
	Kind   string `json:"kind"` // warc, damaged_record, open_warc, cdxj, capture, article, version, index
	Where  string `json:"where"`
	Detail string `json:"detail"`
}

// checkDamaged is a WARC record recorded as damaged (store.MarkDamaged).
type checkDamaged struct {
	File      string   `json:"file"`
	Offset    int64    `json:"offset"`
	Reason    string   `json:"reason"`
	URLs      []string `json:"urls"`      // the captures it held that the next crawl fetches whole again
	Refetched []string `json:"refetched"` // those it held that a later capture holds whole
	// RequestFor is the page whose request record it is (a request
	// holds no capture; its response reads).
	RequestFor string    `json:"request_for,omitempty"`
	MarkedAt   time.Time `json:"marked_at"`
}

// errProblems marks a check that found problems (exit 1).
var errProblems = errors.New("the archive has problems")

func runCheck(ctx context.Context, f *Factory, opts *CheckOptions) error {
	st, done, err := f.OpenStoreForWriting(ctx, true, "check")
	if err != nil {
		return err
	}
	defer done()
	rep, err := checkArchive(ctx, f, st)
	if err != nil {
		return err
	}
	if opts.Repair && (!rep.OK || len(rep.stale) > 0) {
		repaired, err := repairArchive(ctx, f, st, rep)
		if err != nil {
			return fmt.Errorf("repair: %w", err)
		}
		if rep, err = checkArchive(ctx, f, st); err != nil {
			return err
		}
		// The damaged records, as found once the files are finished
		// (a crash's half record is cut, not a damaged record).
		marked, err := markDamaged(ctx, st, rep)
		if err != nil {
			return fmt.Errorf("repair: %w", err)
		}
		if len(marked) > 0 {
			if rep, err = checkArchive(ctx, f, st); err != nil {
				return err
			}
		}
		rep.Repaired = append(repaired, marked...)
	}
	if opts.JSON {
		if err := api.Encode(f.IO.Out, rep); err != nil {
			return err
		}
	} else {
		w := f.IO.Out
		for _, r := range rep.Repaired {
			fmt.Fprintf(w, "repaired: %s\n", r)
		}
		for _, p := range rep.Problems {
			fmt.Fprintf(w, "%s: %s: %s\n", p.Kind, p.Where, p.Detail)
		}
		for _, r := range rep.Restored {
			fmt.Fprintf(w, "restored: %s was recorded as damaged and reads whole again; `tulieu check --repair` forgets the damage\n", r)
		}
		for _, d := range rep.Damaged {
			request := ""
			if d.RequestFor != "" {
				request = "; the request for " + d.RequestFor
			}
			fmt.Fprintf(w, "known damage: %s at %d: %s (recorded %s)%s%s%s\n", d.File, d.Offset, d.Reason,
				api.ReadableTime(api.RFC3339(d.MarkedAt)), heldURLs(d.URLs, "; the next crawl fetches ", " whole again"),
				heldURLs(d.Refetched, "; a later crawl archived whole: ", ""), request)
		}
		keys := make([]string, 0, len(rep.Checked))
		for k := range rep.Checked {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%d %s", rep.Checked[k], k))
		}
		status := "all is well"
		if n := len(rep.Damaged); n == 1 {
			status = "no problems besides the damaged record listed above, known since --repair recorded it"
		} else if n > 1 {
			status = fmt.Sprintf("no problems besides the %d damaged records listed above, known since --repair recorded them", n)
		}
		if !rep.OK {
			status = count(len(rep.Problems), "problem", "problems")
		}
		fmt.Fprintf(w, "checked %s: %s\n", strings.Join(parts, ", "), status)
		if rep.IndexNote != "" {
			fmt.Fprintf(w, "search index: %s\n", rep.IndexNote)
		}
	}
	if !rep.OK {
		return fmt.Errorf("%w: %d found (see above; %s)", errProblems, len(rep.Problems), checkAdvice(rep, opts.Repair))
	}
	return nil
}

// repairableKinds are the problems check --repair mends (a damaged
// record by recording it as such).
var repairableKinds = map[string]bool{"open_warc": true, "cdxj": true, "index": true, "damaged_record": true}

// checkAdvice says what to do about the problems left in rep: --repair for
// those it mends, a backup for the others (a damaged WARC record or
// catalog row is reported, never repaired away).
func checkAdvice(rep *checkReport, repaired bool) string {
	mendable := slices.ContainsFunc(rep.Problems, func(p checkProblem) bool { return repairableKinds[p.Kind] })
	switch {
	case mendable && !repaired:
		return "`tulieu check --repair` fixes the open WARC files, CDXJ indexes and the search index, and records damaged WARC records so that the next crawl fetches their pages again; what it cannot fix, a backup restores"
	case mendable:
		return "--repair could not fix them all; restore what it could not from a backup"
	}
	return "--repair cannot fix these: restore the damaged files from a backup (tulieu backup makes one)"
}

// checkArchive checks everything; it changes nothing.
func checkArchive(ctx context.Context, f *Factory, st *store.Store) (*checkReport, error) {
	rep := &checkReport{DataDir: st.Dir(), Checked: map[string]int{}, Problems: []checkProblem{}, Repaired: []string{},
		Damaged: []checkDamaged{}, Restored: []string{}}
	problem := func(kind, where, format string, args ...any) {
		rep.Problems = append(rep.Problems, checkProblem{Kind: kind, Where: where, Detail: fmt.Sprintf(format, args...)})
	}
	damage := newDamageLedger()
	// The WARC files: every record strictly, and where each is.
	files, err := warc.Files(st.WARCPath())
	if err != nil {
		return nil, err
	}
	records := map[string]map[int64]warc.RecordInfo{} // file name → offset → record
	sizes := map[string]int64{}                       // file name → its size
	for _, path := range files {
		name := filepath.Base(path)
		if strings.HasSuffix(name, ".open") {
			// The crawl lock is ours: no crawl is writing it.
			problem("open_warc", name, "left open by a crawl that did not finish")
			name = strings.TrimSuffix(name, ".open")
		}
		recs, findings, err := warc.Scan(path)
		if err != nil {
			problem("warc", name, "cannot be read: %v", err)
			continue
		}
		if fi, err := os.Stat(path); err == nil {
			sizes[name] = fi.Size()
		}
		rep.Checked["WARC records"] += len(recs)
		for _, fd := range findings {
			damage.finding(recordAt{name, fd.Offset}, fd.Msg)
		}
		byOffset := make(map[int64]warc.RecordInfo, len(recs))
		for _, r := range recs {
			byOffset[r.Offset] = r
		}
		records[name] = byOffset
		if !strings.HasSuffix(path, ".open") {
			rep.Checked["CDXJ indexes"]++
			if ok, err := warc.CDXJCurrent(path); err != nil {
				problem("cdxj", name, "cannot be compared: %v", err)
			} else if !ok && len(findings) > 0 {
				problem("cdxj", name+warc.CDXJSuffix, "missing, or not what the WARC file holds: it should leave out the records that cannot be read, which no replay tool can serve")
			} else if !ok {
				problem("cdxj", name+warc.CDXJSuffix, "missing, or not what the WARC file holds")
			}
		}
	}
	rep.Checked["WARC files"] = len(files)
	// Every capture points at its record.
	err = st.EachCapture(ctx, func(c *store.Capture) error {
		rep.Checked["captures"]++
		where := fmt.Sprintf("capture %d (%s)", c.ID, c.URL)
		if size, ok := sizes[c.WARCFile]; ok && c.WARCOffset >= size {
			// Its file ends before it: lost with the file's end (a
			// power cut, see store.MarkLost), damage like a record
			// that does not read.
			damage.finding(recordAt{c.WARCFile, c.WARCOffset}, store.LostReason(size))
		}
		if damage.capture(c) {
			return nil // in a damaged record: reported with it
		}
		recs, ok := records[c.WARCFile]
		if !ok {
			problem("capture", where, "its WARC file %s is missing", c.WARCFile)
			return nil
		}
		r, ok := recs[c.WARCOffset]
		switch {
		case !ok:
			problem("capture", where, "no record at offset %d of %s", c.WARCOffset, c.WARCFile)
		case c.RecordType != "" && r.Type != c.RecordType:
			problem("capture", where, "the record at %s:%d is a %s, not a %s", c.WARCFile, c.WARCOffset, r.Type, c.RecordType)
		case c.WARCRecordID != "" && r.ID != c.WARCRecordID:
			problem("capture", where, "the record at %s:%d is %s, not %s", c.WARCFile, c.WARCOffset, r.ID, c.WARCRecordID)
		case c.WARCLength > 0 && r.Size > 0 && c.WARCLength != r.Size:
			// What the WARC export copies and the replay reads is the
			// catalog's range: cut short it breaks, too long it takes
			// the next record's bytes.
			problem("capture", where, "the record at %s:%d takes %d bytes, the catalog says %d", c.WARCFile, c.WARCOffset, r.Size, c.WARCLength)
		case c.PayloadDigest != "" && r.PayloadDigest != "" && r.PayloadDigest != c.PayloadDigest:
			problem("capture", where, "payload digest %s in the record, %s in the catalog", r.PayloadDigest, c.PayloadDigest)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := damage.report(ctx, st, rep, records, problem); err != nil {
		return nil, err
	}
	// Every article and version points at a capture the catalog has.
	dangling, err := st.DanglingCaptures(ctx)
	if err != nil {
		return nil, err
	}
	for _, d := range dangling {
		problem("article", d, "points at a capture the catalog does not have")
	}
	// Every packed version can be read back.
	badVersions, err := st.CheckVersions(ctx)
	if err != nil {
		return nil, err
	}
	for _, b := range badVersions {
		problem("version", b.Where, "cannot be read back: %v", b.Err)
	}
	want, err := st.IndexedIDs(ctx)
	if err != nil {
		return nil, err
	}
	rep.Checked["articles and pages"] = len(want)
	// The search index holds exactly those.
	if f.runningServer(ctx, st.Dir()) != nil {
		rep.IndexNote = "not checked: a running tulieu serve holds it"
	} else if ix, err := index.Open(st.IndexPath(), f.Logger()); errors.Is(err, index.ErrInUse) {
		// Busy, not damaged (a search, an export or a reindex has it
		// open): nothing to report, and nothing for --repair to remove.
		rep.IndexNote = "not checked: another tulieu command has it open; run check again when it is done"
	} else if errors.Is(err, index.ErrOtherVersion) {
		problem("index", st.IndexPath(), "was built by another version of tulieu (%v); the next crawl, search or serve rebuilds it from the catalog, or check --repair now", err)
	} else if err != nil {
		problem("index", st.IndexPath(), "cannot be opened: %v", err)
	} else if verr := ix.VerifySegments(); verr != nil {
		// Every segment file read whole against its checksum (Open
		// reads only those it has not seen before); a damaged one is
		// not read further.
		ix.Close()
		if !errors.Is(verr, index.ErrCorrupt) {
			return nil, verr
		}
		problem("index", st.IndexPath(), "is damaged: %v", verr)
	} else {
		// Opened as it is, without catching up: a check reports, it
		// does not repair.
		have, err := indexDocumentIDs(ctx, ix)
		seq, serr := ix.Seq()
		ix.Close()
		if err != nil {
			return nil, err
		}
		rep.Checked["index documents"] = len(have)
		missing, extra := sortedDiff(want, have)
		for _, id := range missing {
			problem("index", id, "in the catalog, not in the search index")
		}
		for _, id := range extra {
			problem("index", id, "in the search index, not in the catalog")
		}
		if cseq, err := st.Seq(ctx); serr == nil && err == nil && seq != cseq {
			problem("index", st.IndexPath(), "has applied the catalog's changes up to %d of %d", seq, cseq)
		}
	}
	rep.OK = len(rep.Problems) == 0
	return rep, nil
}

// sortedDiff returns what only a has and what only b has, of two sorted
// lists.
func sortedDiff(a, b []string) (onlyA, onlyB []string) {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i] < b[j]:
			onlyA = append(onlyA, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			onlyB = append(onlyB, b[j])
			j++
		default:
			i, j = i+1, j+1
		}
	}
	return onlyA, onlyB
}

// repairArchive fixes what a check found and can be fixed without losing
// anything, and says what it did.
func repairArchive(ctx context.Context, f *Factory, st *store.Store, rep *checkReport) ([]string, error) {
	var done []string
	kinds := map[string]bool{}
	for _, p := range rep.Problems {
		kinds[p.Kind] = true
	}
	if kinds["open_warc"] {
		recovered, err := warc.Recover(st.WARCPath())
		if err != nil {
			return done, err
		}
		for _, r := range recovered {
			if r.DamagedBytes > 0 {
				done = append(done, fmt.Sprintf("finished %s (%d records; the %d bytes after them hold a damaged record, kept and reported)", r.File, r.Records, r.DamagedBytes))
			} else {
				done = append(done, fmt.Sprintf("finished %s (%d records, %d bytes of an unfinished record cut)", r.File, r.Records, r.CutBytes))
			}
		}
	}
	if kinds["cdxj"] || kinds["open_warc"] {
		files, err := warc.Files(st.WARCPath())
		if err != nil {
			return done, err
		}
		for _, path := range files {
			if strings.HasSuffix(path, ".open") {
				continue
			}
			if ok, err := warc.CDXJCurrent(path); err == nil && ok {
				continue
			}
			if _, err := warc.IndexFile(path); err != nil {
				// The file itself is damaged: reported as such, and its
				// old index (if any) left as it is.
				done = append(done, "could not rewrite the CDXJ index of "+filepath.Base(path)+": "+err.Error())
				continue
			}
			done = append(done, "rewrote the CDXJ index of "+filepath.Base(path))
		}
	}
	if kinds["index"] && rep.IndexNote == "" {
		ix, err := f.RebuildIndex(ctx, st)
		if err != nil {
			return done, err
		}
		n, _ := ix.Count()
		ix.Close()
		done = append(done, fmt.Sprintf("rebuilt the search index from the catalog (%d documents)", n))
	}
	return done, nil
}
