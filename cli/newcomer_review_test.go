package cli

// A newcomer's review: README.md followed literally, top to bottom, on a
// fresh machine, then every command's --help read. Each test names what the
// newcomer did, what happened, and what the README says. Each fails until
// the program (or the README) is mended.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tulieu/internal/fixturesite"
)

// These tests come from a review by a newcomer following the README and
// every --help. Each test's comment tells what happened before its fix (in
// the present tense of the review) and what the README says, which the
// test holds.

// newcomerArchive is one crawl of the bundled fixture site.
func newcomerArchive(t *testing.T) string {
	t.Helper()
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	return data
}

// newcomerErrLines returns the non-empty lines of a command's standard error.
func newcomerErrLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// TestNewcomerJSONLogMistypedCommand
//
// The newcomer sets up the nightly job with `--log-format json` (the
// contrib files do) and mistypes the command: `tulieu --log-format json
// crwal`. Standard error gets a plain text line, `tulieu: unknown command
// "crwal" for "tulieu" (see `tulieu --help`)`, exit 2.
//
// README (Exit codes): "Every error is one line on standard error saying
// what is wrong and what to do; with `--log-format json` that line is a JSON
// record too (`"level":"ERROR"`, the message, `exit_code`)". An unknown flag
// (`tulieu --log-format json --bogus`) is printed as JSON; an unknown command
// is not. Cause: cli/root.go Execute prints JSON only when f.LogFormat is
// "json", which the root's PersistentPreRun sets, and cobra never runs it
// for an unknown command.
func TestNewcomerJSONLogMistypedCommand(t *testing.T) {
	code, _, errOut := run(t, t.TempDir(), "--log-format", "json", "crwal")
	if code != ExitUsage {
		t.Errorf("tulieu --log-format json crwal: exit %d, want %d", code, ExitUsage)
	}
	lines := newcomerErrLines(errOut)
	if len(lines) == 0 {
		t.Fatal("nothing on standard error")
	}
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil || rec["level"] != "ERROR" || rec["exit_code"] == nil {
			t.Errorf("with --log-format json, a line of standard error is not a JSON record with level ERROR and exit_code: %q", l)
		}
	}
}

// TestNewcomerMistypedCommandIsOneLine
//
// The newcomer types `tulieu serach thanh hoa`. Standard error gets five
// lines, the hint dangling on a line of its own after cobra's suggestion:
//
//	tulieu: unknown command "serach" for "tulieu"
//
//	Did you mean this?
//		search
//	 (see `tulieu --help`)
//
// README (Exit codes): "Every error is one line on standard error saying
// what is wrong and what to do". Cause: cli/root.go Execute appends
// " (see `tulieu --help`)" to cobra's multi-line "unknown command" error
// (its "Did you mean this?" suggestions) as if it were one line.
func TestNewcomerMistypedCommandIsOneLine(t *testing.T) {
	code, _, errOut := run(t, t.TempDir(), "serach", "thanh", "hoa")
	if code != ExitUsage {
		t.Errorf("tulieu serach thanh hoa: exit %d, want %d", code, ExitUsage)
	}
	if lines := newcomerErrLines(errOut); len(lines) != 1 || !strings.HasPrefix(lines[0], "tulieu: ") {
		t.Errorf("tulieu serach thanh hoa: %d lines on standard error, want one \"tulieu: …\" line:\n%s", len(lines), errOut)
	}
}

// TestNewcomerExclusionTypedAsAWord
//
// The newcomer reads the query syntax (README and `tulieu search --help`:
// "-từ   -"cụm từ"   exclude a word or a phrase") and types
// `tulieu search thanh hoa -covid`. The answer is
// `tulieu: unknown shorthand flag: 'c' in -covid (see `tulieu search
// --help`)`, and that help never says how to type an exclusion on the
// command line (after `--`, or inside the quoted query).
//
// README (search): "A malformed query ... is answered with a one-line error
// and exit code 2" saying "what is wrong and what to do". The error should
// say to put `--` before the query (as it now does for '-covid thanh hoa'
// typed as one argument, TestBadInputQueryStartingWithAnExclusion), or the
// query should run. Cause: cli/errors.go dashArgument only rewrites the
// error for an argument with a space or a quote in it.
func TestNewcomerExclusionTypedAsAWord(t *testing.T) {
	data := newcomerArchive(t)
	code, want, errOut := run(t, data, "search", "--json", "--", "thanh", "hoa", "-covid")
	if code != ExitOK {
		t.Fatalf("search -- thanh hoa -covid: exit %d %s", code, errOut)
	}
	code, out, errOut := run(t, data, "search", "--json", "thanh", "hoa", "-covid")
	ok := code == ExitOK && out == want ||
		code == ExitUsage && strings.Contains(errOut, "--") && !strings.Contains(errOut, "shorthand flag")
	if !ok {
		t.Errorf("search thanh hoa -covid: exit %d, %q; want the query's results, or an error saying to put -- before the query",
			code, strings.TrimSpace(errOut))
	}
}

// TestNewcomerProfileMistakeNamesItsLine
//
// The newcomer writes a profiles file of a few lines, as the README's example
// (a list of objects, one key a line), with one mistake on line 3: the
// profile has no "host", or its "title" selector does not parse. They get
// `--profiles p.json: profile 1 has no "host": the site it is for` and
// `--profiles p.json: profile for x: "title" "h1[" is not a CSS selector
// (…)`: no line number (an unknown key does get "line 3").
//
// README (crawl, Per-site selectors): "A key it does not know, a profile
// without `host` and a selector that does not parse are refused (exit 2),
// with the line of the mistake." Cause: the host and selector checks run
// after decoding, on the decoded profiles (extract's profile loading), which
// no longer know where each came from.
func TestNewcomerProfileMistakeNamesItsLine(t *testing.T) {
	data := newcomerArchive(t)
	dir := t.TempDir()
	for name, text := range map[string]string{
		"no-host.json":      "[\n  {\"host\": \"127.0.0.1\", \"title\": \"h1\"},\n  {\"title\": \"h1.news-title\"}\n]\n",
		"bad-selector.json": "[\n  {\"host\": \"127.0.0.1\",\n   \"title\": \"h1.title[[[\"}\n]\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, errOut := run(t, data, "reextract", "--profiles", p)
		if code != ExitUsage || !strings.Contains(errOut, "line 3") {
			t.Errorf("reextract --profiles %s (its mistake on line 3): exit %d, %q; README: refused (exit 2) \"with the line of the mistake\"",
				name, code, strings.TrimSpace(errOut))
		}
	}
}

// TestNewcomerReindexHelpAfterAnUpgrade
//
// The newcomer upgrades tulieu and reads `tulieu reindex --help`: "Needed
// only after an upgrade that changes how text is analyzed; a damaged index
// is rebuilt automatically." So they plan a reindex after every upgrade.
//
// README (Catalog schema, last paragraph): an index "written by a version of
// tulieu with another index schema (after an upgrade, the first command that
// opens it logs a warning and rebuilds it ...)": an upgrade never needs a
// manual reindex. The help of cli/reindex.go says the opposite.
func TestNewcomerReindexHelpAfterAnUpgrade(t *testing.T) {
	help := readmeHelp(t, "reindex")
	if strings.Contains(strings.Join(strings.Fields(help), " "), "Needed only after an upgrade") {
		t.Errorf("reindex --help says a reindex is needed after an upgrade that changes the analysis; the README says the first command after such an upgrade rebuilds the index itself:\n%s", help)
	}
}

// TestNewcomerSearchCategoryHelpBreadcrumb
//
// `tulieu search --help` documents "--category string  only this category
// (as in the breadcrumb)". The newcomer, whose article's breadcrumb reads
// "Trang chủ / Tin tức / Tư liệu", types `--category "Tin tức"`, as in the
// breadcrumb, and finds nothing.
//
// README (search, Filters): "`--category` is one whole category, exactly as
// the facet shows it" (the breadcrumb's last item: `category` "its last
// item"). Either the help says so, or --category matches any item of the
// breadcrumb as the help promises (cli/search.go, the --category usage).
func TestNewcomerSearchCategoryHelpBreadcrumb(t *testing.T) {
	line := readmeFlagLine(readmeHelp(t, "search"), "category")
	if !strings.Contains(line, "breadcrumb") {
		return
	}
	srv := readmeCrumbSite(t)
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	code, out, _ := run(t, data, "show", "--json", srv.URL+"/tin-tuc/tu-lieu/hoi-nghi-so-ket-123.html")
	if code != 0 {
		t.Fatalf("the article was not archived: %s", out)
	}
	var a struct {
		Category   string
		Breadcrumb []string
	}
	json.Unmarshal([]byte(out), &a)
	if len(a.Breadcrumb) < 2 || a.Breadcrumb[0] != "Tin tức" {
		t.Skipf("the page was not read with a two-level breadcrumb (category %q, breadcrumb %q)", a.Category, a.Breadcrumb)
	}
	if r := search(t, data, "--category", "Tin tức"); r.Total != 1 {
		t.Errorf("search --help says %q, but --category \"Tin tức\" (in the breadcrumb %q) finds %d article(s): the README's meaning is the last item only",
			strings.TrimSpace(line), a.Breadcrumb, r.Total)
	}
}

// TestNewcomerHelpForAMistypedCommand
//
// The newcomer reads "`tulieu COMMAND --help` documents every flag" and
// types `tulieu help serach`. Standard output gets "Unknown help topic
// [`serach`]" and the whole root usage; the exit code is 0, and nothing is
// on standard error.
//
// README (Exit codes): 2 is "bad flags, arguments or query syntax", and
// "Every error is one line on standard error saying what is wrong and what
// to do" (as `tulieu serach` itself exits 2). Cause: cobra's default help
// command, which cli/root.go keeps, treats an unknown topic as success.
func TestNewcomerHelpForAMistypedCommand(t *testing.T) {
	code, _, errOut := run(t, t.TempDir(), "help", "serach")
	if code != ExitUsage || len(newcomerErrLines(errOut)) != 1 {
		t.Errorf("tulieu help serach: exit %d, standard error %q; want exit 2 and one line saying there is no command serach", code, errOut)
	}
}
