package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tulieu/internal/fixturesite"
)

// These tests came from a review as researchers and staff use search and
// export; each comment says what went wrong before the fix.

// fixtureArchive crawls the bundled fixture site into a new data directory.
func fixtureArchive(t *testing.T) string {
	t.Helper()
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	return data
}

// shellWords splits a command line printed with shellQuote (words
// separated by spaces, single-quoted, a quote inside written as in sh).
func shellWords(s string) []string {
	var out []string
	var cur strings.Builder
	inWord, quoted := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'' && !quoted:
			quoted, inWord = true, true
		case c == '\'' && quoted:
			quoted = false
		case c == '\\' && !quoted && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			inWord = true
		case c == ' ' && !quoted:
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

// TestExactAuthorIgnoresToneMarkPlacement: the author facet shows
// "Nguyễn Thị Thanh Hoà" (old-style tone mark, as the site prints it). A
// researcher who types the name the new way, `--author '"Nguyễn Thị Thanh
// Hòa"'` (what most keyboards produce), gets "No article matches", and the
// export of that author is empty. The README promises that tone-mark
// placement is unified for querying ("hoà" = "hòa"), and unquoted
// `--author "Nguyễn Thị Thanh Hòa"` does find her.
// Cause: index/search.go buildQuery compares the exact author (and the
// category, store.Filter too) through keywordValue = vntext.Whole, which
// only applies NFC and never unifies the tone-mark placement, at index
// time or at query time.
func TestExactAuthorIgnoresToneMarkPlacement(t *testing.T) {
	data := fixtureArchive(t)
	if r := search(t, data, "--author", `"Nguyễn Thị Thanh Hoà"`); r.Total != 1 {
		t.Fatalf("sanity: the facet's own spelling finds %d articles, want 1", r.Total)
	}
	if r := search(t, data, "--author", "Nguyễn Thị Thanh Hòa"); r.Total != 1 {
		t.Fatalf("sanity: the unquoted new-style spelling finds %d articles, want 1", r.Total)
	}
	if r := search(t, data, "--author", `"Nguyễn Thị Thanh Hòa"`); r.Total != 1 {
		t.Errorf(`search --author '"Nguyễn Thị Thanh Hòa"' finds %d articles; want the 1 by "Nguyễn Thị Thanh Hoà" (tone-mark placement is unified)`, r.Total)
	}
	if recs := exportJSONL(t, data, "--author", `"Nguyễn Thị Thanh Hòa"`); len(recs) != 1 {
		t.Errorf(`export --author '"Nguyễn Thị Thanh Hòa"' writes %d records; want 1`, len(recs))
	}
}

// TestSearchFacetsInText: `tulieu search --facets dang` (no --json)
// prints the hits and nothing else: the flag the help describes as "also
// count the matches by category, author and year" is silently ignored on
// a terminal. A researcher who wants to know how the matches spread over
// categories sees no counts at all. Cause: cli/search.go (the text branch
// of the search run function) never prints out.Facets.
func TestSearchFacetsInText(t *testing.T) {
	data := fixtureArchive(t)
	code, out, errOut := run(t, data, "search", "--facets", "--limit", "1", "dang")
	if code != 0 {
		t.Fatalf("search --facets: exit %d: %s", code, errOut)
	}
	for _, cat := range []string{"Tư liệu", "Tin tức chung", "Hoạt động của các tổ chức CSĐ trực thuộc"} {
		if !strings.Contains(out, cat) {
			t.Errorf("search --facets (text) does not name the category %q of its facet counts:\n%s", cat, out)
		}
	}
}

// TestMoreHintForQueryStartingWithExclusion: a query may start with an
// exclusion ("-covid đảng bộ"), typed after `--`. The text output ends
// with "More: tulieu search --offset 10 '-xyz dang'", and that command,
// pasted, fails: "unknown shorthand flag: 'x' in -xyz dang", exit 2.
// Cause: cli/search.go nextPageCommand puts the quoted query last without
// a `--` before it.
func TestMoreHintForQueryStartingWithExclusion(t *testing.T) {
	data := fixtureArchive(t)
	code, out, errOut := run(t, data, "search", "--", "-xyz dang")
	if code != 0 {
		t.Fatalf("search -- '-xyz dang': exit %d: %s", code, errOut)
	}
	_, more, ok := strings.Cut(out, "More: ")
	if !ok {
		t.Fatalf("no 'More:' line (want more than 10 matches) in %q", out)
	}
	words := shellWords(strings.TrimSpace(more))
	if len(words) < 2 || words[0] != "tulieu" {
		t.Fatalf("More: %q is not a tulieu command", more)
	}
	code, _, errOut = run(t, data, words[1:]...)
	if code != 0 {
		t.Errorf("the printed next-page command %q fails: exit %d: %s", strings.TrimSpace(more), code, strings.TrimSpace(errOut))
	}
}

// TestShowingRangePastTheEnd: `tulieu search --offset 50 dang` (21
// matches) prints "21 articles match "dang" (showing 51–50):" and no hit:
// a backwards range, where the web page says that the page is past the
// last result. Cause: cli/search.go prints opts.Offset+1 and
// opts.Offset+len(hits) unconditionally.
func TestShowingRangePastTheEnd(t *testing.T) {
	data := fixtureArchive(t)
	code, out, errOut := run(t, data, "search", "--offset", "50", "dang")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Contains(out, "showing 51–50") {
		t.Errorf("search --offset 50 prints a backwards range: %q; want it to say the offset is past the last of the matches", strings.TrimSpace(out))
	}
}

// TestNoMatchNamesTheFilter: `tulieu search --category "Không có"` (a
// filter, no query, as the README allows) prints `No article matches "".`
// — the user sees an empty query quoted back, not the filter that
// selected nothing. Cause: cli/search.go prints opts.Query alone when
// Total is 0 (selectionText, used for the hits' header, is not used).
func TestNoMatchNamesTheFilter(t *testing.T) {
	data := fixtureArchive(t)
	code, out, errOut := run(t, data, "search", "--category", "Không có")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "Không có") {
		t.Errorf("a filter that selects nothing prints %q; want it named", strings.TrimSpace(out))
	}
}

// TestExportFormatByFileName: staff write `tulieu export -o ket-qua.xlsx`
// (or `-o 2020.csv`) and get exit 0 and a file of JSON lines under that
// name: Excel refuses the .xlsx ("file format or extension is not valid")
// and shows the .csv as one column of JSON. Nothing warns. Expected: the
// format follows a known extension, or the mismatch is refused (exit 2).
// Cause: cli/export.go takes --format's default "jsonl" whatever -o says.
func TestExportFormatByFileName(t *testing.T) {
	data := fixtureArchive(t)
	for _, name := range []string{"ket-qua.xlsx", "2020.csv"} {
		out := filepath.Join(t.TempDir(), name)
		code, _, errOut := run(t, data, "export", "-o", out)
		if code == ExitUsage {
			continue // refused: fine
		}
		if code != 0 {
			t.Fatalf("export -o %s: exit %d: %s", name, code, errOut)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(string(b), "{") {
			t.Errorf("export -o %s (no --format) wrote JSON lines into %s (%q…): want the format its name says, or exit 2", name, name, string(b[:min(40, len(b))]))
		}
	}
	// A file named for one format while --format asks another: refused.
	out := filepath.Join(t.TempDir(), "ket-qua.xlsx")
	if code, _, errOut := run(t, data, "export", "--format", "csv", "-o", out); code != ExitUsage || !strings.Contains(errOut, "xlsx") {
		t.Errorf("export --format csv -o ket-qua.xlsx: exit %d: %s; want exit 2 naming the mismatch", code, errOut)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("the refused export wrote %s", out)
	}
}

// TestShowFindsAnIdAsTyped: an id pasted with a space around it or in
// upper case, or an article's URL copied without its scheme, finds the
// article (they gave "no article" before).
func TestShowFindsAnIdAsTyped(t *testing.T) {
	data := fixtureArchive(t)
	r := search(t, data, "thanh hoa")
	if len(r.Hits) == 0 {
		t.Fatal("no hit")
	}
	h := r.Hits[0]
	for _, ref := range []string{" " + h.ID + " ", strings.ToUpper(h.ID), strings.TrimPrefix(strings.TrimPrefix(h.URL, "http://"), "https://")} {
		if code, _, errOut := run(t, data, "show", ref); code != 0 {
			t.Errorf("show %q: exit %d: %s", ref, code, errOut)
		}
	}
	if code, _, _ := run(t, data, "show", "0000000000000000"); code == 0 {
		t.Errorf("show of an unknown id: exit 0")
	}
}

// TestShowRefusesFlagsItCannotHonour: --raw prints the archived page as it
// is, so --raw --json and --raw --versions are refused rather than printing
// HTML to a script that asked for JSON; --version counts from 1 (0 was
// read as the latest). Each is a usage error (exit 2).
func TestShowRefusesFlagsItCannotHonour(t *testing.T) {
	data := fixtureArchive(t)
	r := search(t, data, "thanh hoa")
	if len(r.Hits) == 0 {
		t.Fatal("no hit")
	}
	id := r.Hits[0].ID
	for _, args := range [][]string{{"--raw", "--json"}, {"--raw", "--versions"}, {"--raw", "--version", "0"}, {"--raw", "--version", "-1"}} {
		code, out, errOut := run(t, data, append(append([]string{"show"}, args...), id)...)
		if code != ExitUsage || out != "" || errOut == "" {
			t.Errorf("show %v: exit %d, %d bytes out, stderr %q; want a usage error", args, code, len(out), errOut)
		}
	}
	if code, out, _ := run(t, data, "show", "--raw", "--version", "1", id); code != 0 || !strings.Contains(out, "<") {
		t.Errorf("show --raw --version 1: exit %d", code)
	}
}

// TestIDsFromNamesUnknownIDs: an --ids-from list with a line the archive
// does not know exports the others and says which line it skipped.
func TestIDsFromNamesUnknownIDs(t *testing.T) {
	data := fixtureArchive(t)
	r := search(t, data, "thanh hoa")
	list := filepath.Join(t.TempDir(), "ids.txt")
	os.WriteFile(list, []byte(strings.ToUpper(r.Hits[1].ID)+"\n"+r.Hits[0].ID+"\nnope123\nhttp://x.vn/khong-co.html\n"), 0o644)
	code, out, errOut := run(t, data, "export", "--ids-from", list)
	if code != 0 || strings.Count(out, "\n") != 2 || !strings.Contains(errOut, `"nope123"`) || !strings.Contains(errOut, `"http://x.vn/khong-co.html"`) {
		t.Errorf("export --ids-from (two known ids, one in upper case; an unknown id and URL): exit %d, %d records, stderr %q", code, strings.Count(out, "\n"), errOut)
	}
}
