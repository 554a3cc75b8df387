//go:build knowndefects

package cli

// Known defects, kept as failing tests until they are mended: built only
// with -tags knowndefects (go test -tags knowndefects ./cli -run TestMoved),
// so that the suite stays green meanwhile. They come from the same review
// as moved_review_test.go, whose site and helpers they use: an article
// whose old address answers 404 once its title, and with it its slug,
// changed, while the listing links the new address. Nothing relates the
// tombstone and the new article of the same text.

import (
	"encoding/json"
	"strings"
	"testing"

	"tulieu/api"
)

// TestMovedNotFoundReportedAsTakenDown (case 3: the old address
// answers 404 and the listing links the new one).
//
// A documented rule (README, crawl: "a 404 or 410 turns the article into
// a tombstone") applied where it misleads: on a party committee's site
// an article taken down is news, and the morning report says one was.
//
// User sees: night 2's summary says deleted 1, new 1; `changes --since`
// lists article 661 under "Deleted" (and again under "New" with its new
// title, another id), `search` finds it once (live, new title) and with
// --include-deleted twice; `diff` of either has nothing to compare. Yet
// on that same night the same article (same id 661 in its address, same
// date, same author, same text) was fetched at its new address.
//
// Should see: the article listed as changed (its title), not deleted:
// one article whose two versions show the retitling.
//
// Where: crawler/page.go gone() tombstones at once, and record() saves
// the new address as a new article; the run could instead, at its end
// (as takeDownRedirected does), match tonight's tombstones with
// tonight's new articles of the same site whose addresses carry the
// same trailing id, or whose content differs only in title, and record
// the move as a version.
func TestMovedNotFoundReportedAsTakenDown(t *testing.T) {
	s := newMovedSite(t, movedNotFound)
	data := t.TempDir()
	s2, since := movedNights(t, s, data)
	if s2.Deleted != 0 || s2.New != 0 || s2.Changed != 1 {
		t.Errorf("night 2 (one article retitled, its old address now 404): new %d, changed %d, deleted %d; want 0, 1, 0",
			s2.New, s2.Changed, s2.Deleted)
	}
	code, out, errOut := run(t, data, "changes", "--since", since, "--json")
	var ch api.Changes
	if code != 0 || json.Unmarshal([]byte(out), &ch) != nil {
		t.Fatalf("changes: %d %s %s", code, out, errOut)
	}
	for _, d := range ch.Deleted {
		t.Errorf("changes --since %s reports as taken down %q (%s), live on the site at its new address with the same text", since, d.Title, d.URL)
	}
	if hits := movedHits(t, data, "--include-deleted"); len(hits) != 1 {
		t.Errorf("search --include-deleted finds article 661 %d times, want once:\n%s", len(hits), strings.Join(hits, "\n"))
	}
}
