package cli

import (
	"strings"
	"testing"

	"tulieu/internal/fixturesite"
)

// TestSearchFilterOnlyMoreHint: `tulieu search --category X` (no query,
// new in this change) prints a page of what the filter selects and ends
// with the command for the next page. That command must select the same
// articles: it says `tulieu search --offset 1 ”`, which drops the
// filter (and --limit) and lists every article of the archive.
func TestSearchFilterOnlyMoreHint(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	code, out, errOut := run(t, data, "search", "--category", "Tin tức chung", "--limit", "1")
	if code != 0 {
		t.Fatalf("search: %d %s", code, errOut)
	}
	_, more, ok := strings.Cut(out, "More: ")
	if !ok {
		t.Fatalf("no 'More:' line in %q", out)
	}
	more = strings.TrimSpace(more)
	if !strings.Contains(more, "--category") {
		t.Errorf("the next page's command is %q: it lists every article, not the filter's (want --category 'Tin tức chung' kept)", more)
	}
}

// TestFlagOutOfRangeSaysSo: flagErrorText says "want a whole
// number" for any value of an int flag that does not parse, including a
// whole number too large for it: the message contradicts what was typed.
func TestFlagOutOfRangeSaysSo(t *testing.T) {
	code, _, stderr := run(t, t.TempDir(), "search", "--limit", "99999999999999999999", "x")
	if code != ExitUsage || strings.Contains(stderr, "want a whole number") && !strings.Contains(stderr, "range") {
		t.Errorf("exit %d, %q; want a usage error saying the number is out of range, not that a whole number is wanted", code, strings.TrimSpace(stderr))
	}
}
