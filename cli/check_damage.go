package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tulieu/store"
	"tulieu/warc"
)

// This file is check's account of damaged WARC records: those a scan
// could not read, the captures they hold, whether a later capture holds
// each page whole, and what --repair records of them (store.MarkDamaged).

// recordAt is where a WARC record is: its file's name and its offset.
type recordAt struct {
	file   string
	offset int64
}

// damagedFinding is a record check could not read.
type damagedFinding struct {
	msg  string
	urls []string    // of the captures it holds
	at   []time.Time // when each was fetched
}

// unmarkedDamage is a damaged record check found that the catalog does
// not know of yet.
type unmarkedDamage struct {
	at  recordAt
	msg string
}

// damageLedger gathers, as checkArchive reads the files and then the
// captures, what it needs to report damaged records.
type damageLedger struct {
	found map[recordAt]*damagedFinding
	order []recordAt
	// wholeSince is each URL's newest capture in a record that reads.
	wholeSince map[string]time.Time
	damagedIDs map[int64]bool // captures in a damaged record
	// responseEndsAt: where each capture's record ends, the request
	// record written with it starts.
	responseEndsAt map[recordAt]string
}

func newDamageLedger() *damageLedger {
	return &damageLedger{found: map[recordAt]*damagedFinding{}, wholeSince: map[string]time.Time{},
		damagedIDs: map[int64]bool{}, responseEndsAt: map[recordAt]string{}}
}

// finding notes a record the scan could not read (its first finding).
func (l *damageLedger) finding(at recordAt, msg string) {
	if l.found[at] == nil {
		l.found[at] = &damagedFinding{msg: msg}
		l.order = append(l.order, at)
	}
}

// capture notes a capture of the catalog, in id order; true when its
// record is a damaged one (it is reported with the record).
func (l *damageLedger) capture(c *store.Capture) bool {
	if d := l.found[recordAt{c.WARCFile, c.WARCOffset}]; d != nil {
		d.urls = append(d.urls, c.URL)
		d.at = append(d.at, c.FetchedAt)
		l.damagedIDs[c.ID] = true
		return true
	}
	if c.WARCLength > 0 {
		l.responseEndsAt[recordAt{c.WARCFile, c.WARCOffset + c.WARCLength}] = c.URL
	}
	// A whole copy: a 200 response, or a revisit whose payload's record
	// reads (in id order, its payload, older, was seen already).
	whole := c.RecordType == "response" && c.Status == 200 ||
		c.RecordType == "revisit" && c.PayloadCaptureID != 0 && !l.damagedIDs[c.PayloadCaptureID]
	if whole && c.FetchedAt.After(l.wholeSince[c.URL]) {
		l.wholeSince[c.URL] = c.FetchedAt
	}
	return false
}

// report adds to rep the damaged records: those the catalog records as
// damaged under Damaged (known, no longer problems), the others as
// problems for --repair to record, and the recorded ones that read whole
// again (records: what the scan read of each file) under Restored.
func (l *damageLedger) report(ctx context.Context, st *store.Store, rep *checkReport,
	records map[string]map[int64]warc.RecordInfo, problem func(kind, where, format string, args ...any)) error {
	marks, err := st.DamagedRecords(ctx)
	if err != nil {
		return err
	}
	marked := map[recordAt]store.DamagedRecord{}
	for _, m := range marks {
		marked[recordAt{m.WARCFile, m.WARCOffset}] = m
	}
	for _, at := range l.order {
		d := l.found[at]
		if m, ok := marked[at]; ok {
			k := checkDamaged{File: at.file, Offset: at.offset, Reason: m.Reason, URLs: []string{}, Refetched: []string{}, MarkedAt: m.MarkedAt}
			if len(d.urls) == 0 {
				k.RequestFor = l.responseEndsAt[at]
			}
			for i, u := range d.urls {
				if l.wholeSince[u].After(d.at[i]) {
					k.Refetched = append(k.Refetched, u)
				} else {
					k.URLs = append(k.URLs, u)
				}
			}
			rep.Damaged = append(rep.Damaged, k)
			continue
		}
		held := heldURLs(d.urls, "; it holds the capture of ", "")
		if u, ok := l.responseEndsAt[at]; ok && len(d.urls) == 0 {
			held = "; it is the request for " + u + " (its response reads)"
		}
		rep.unmarked = append(rep.unmarked, unmarkedDamage{at, d.msg})
		advice := "; `tulieu check --repair` records it as damaged, so that exports leave it out"
		if len(d.urls) > 0 {
			advice += " and the next crawl fetches the page whole again (a backup restores the archived copy)"
		}
		problem("damaged_record", fmt.Sprintf("%s at %d", at.file, at.offset), "cannot be read (%s)%s%s", d.msg, held, advice)
	}
	for _, m := range marks {
		// Restored only if its file was read and holds, at that offset,
		// a record that reads whole (not a file gone or unreadable).
		at := recordAt{m.WARCFile, m.WARCOffset}
		if _, whole := records[m.WARCFile][m.WARCOffset]; whole && l.found[at] == nil {
			rep.stale = append(rep.stale, at)
			rep.Restored = append(rep.Restored, fmt.Sprintf("%s at %d", at.file, at.offset))
		}
	}
	return nil
}

// heldURLs says which URLs a damaged record held, between before and
// after; nothing when it held none.
func heldURLs(urls []string, before, after string) string {
	if len(urls) == 0 {
		return ""
	}
	return before + strings.Join(urls, ", ") + after
}

// markDamaged records every damaged record rep found and no mark holds
// yet (store.MarkDamaged), and drops the marks of records that read whole
// again (restored from a backup); it says what it did.
func markDamaged(ctx context.Context, st *store.Store, rep *checkReport) ([]string, error) {
	var done []string
	now := time.Now().UTC()
	for _, u := range rep.unmarked {
		if err := st.MarkDamaged(ctx, u.at.file, u.at.offset, u.msg, now); err != nil {
			return done, err
		}
		done = append(done, fmt.Sprintf("recorded the damaged record %s at %d: exports leave it out, and the next crawl fetches its page whole again", u.at.file, u.at.offset))
	}
	for _, at := range rep.stale {
		if err := st.UnmarkDamaged(ctx, at.file, at.offset); err != nil {
			return done, err
		}
		done = append(done, fmt.Sprintf("%s at %d reads whole again: no longer recorded as damaged", at.file, at.offset))
	}
	return done, nil
}
