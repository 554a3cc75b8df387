package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tulieu/internal/fixturesite"
	"tulieu/store"
)

// TestFlagErrorsSayWhatIsWanted: a flag value that does not parse, or a
// flag that does not exist, is one line naming the flag and what it
// wants, with one pointer to the help, and never the parser's own words.
func TestFlagErrorsSayWhatIsWanted(t *testing.T) {
	data := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"search", "--limit", "abc", "x"}, `--limit "abc": want a whole number`},
		{[]string{"crawl", "--delay", "abc"}, `--delay "abc": want a duration`},
		{[]string{"crawl", "--revisit", "adaptive", "--revisit-cycle", "abc"}, `--revisit-cycle "abc": want a duration`},
		{[]string{"serve", "--recrawl-every", "xd"}, `--recrawl-every "xd": want a duration such as 24h, or days such as 7d`},
		{[]string{"crawl", "--max-body-size", "1e9"}, `--max-body-size "1e9": want a whole number`},
		{[]string{"search", "--json=maybe", "x"}, `--json "maybe": want true or false`},
		{[]string{"search", "--bogus", "x"}, "unknown flag: --bogus"},
		{[]string{"bogus"}, `unknown command "bogus"`},
	} {
		code, _, stderr := run(t, data, c.args...)
		line := strings.TrimSpace(stderr)
		if code != ExitUsage || !strings.Contains(line, c.want) || strings.Contains(line, "\n") ||
			strings.Count(line, "--help`") != 1 || strings.Contains(line, "strconv") || strings.Contains(line, "time: ") {
			t.Errorf("tulieu %s: exit %d, %q; want exit 2 and one line with %q and one pointer to the help",
				strings.Join(c.args, " "), code, line, c.want)
		}
	}
}

// TestSearchWithAFilterAndNoQuery: `search --category X` lists what the
// filter selects, as `search --category X ""` and the API without q do.
func TestSearchWithAFilterAndNoQuery(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	code, withEmpty, errOut := run(t, data, "search", "--json", "--category", "Tin tức chung", "")
	if code != 0 {
		t.Fatalf("search with an empty query: %d %s", code, errOut)
	}
	code, without, errOut := run(t, data, "search", "--json", "--category", "Tin tức chung")
	if code != 0 || without != withEmpty || !strings.Contains(without, `"total":`) || strings.Contains(without, `"total":0`) {
		t.Errorf("search --category without a query: exit %d, %s %s; want what the empty query gives: %s", code, without, errOut, withEmpty)
	}
}

// TestDamagedCatalogSaysWhatToDo: a catalog damaged on disk is reported
// as the catalog, named, with the way back (a backup), not as SQLite's
// "database disk image is malformed (11)" alone.
func TestDamagedCatalogSaysWhatToDo(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	path := filepath.Join(data, store.CatalogFile)
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(bytes.Repeat([]byte("hỏng"), 40000), 4096); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, _, stderr := run(t, data, "stats")
	line := strings.TrimSpace(stderr)
	if code == 0 {
		t.Skipf("the damage went unnoticed: %s", line)
	}
	if !strings.Contains(line, path) || !strings.Contains(line, "backup") || strings.Contains(line, "\n") {
		t.Errorf("stats on a damaged catalog: exit %d, %q; want one line naming %s and a backup", code, line, path)
	}
}

// TestDurationsInDays: `--since` takes "7d", and so, before, `crawl
// --revisit-cycle 7d` and `serve --recrawl-every 1d` were refused ("want
// a duration"). Days are read alike by every flag of a time span.
func TestDurationsInDays(t *testing.T) {
	f := &Factory{IO: IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}, Getenv: func(string) string { return "" }}
	var crawlOpts *CrawlOptions
	cmd := NewCmdCrawl(f, func(_ context.Context, o *CrawlOptions) error { crawlOpts = o; return nil })
	cmd.SetArgs([]string{"--revisit", "adaptive", "--revisit-cycle", "7d"})
	if err := cmd.Execute(); err != nil || crawlOpts == nil || crawlOpts.RevisitCycle != 7*24*time.Hour {
		t.Errorf("crawl --revisit-cycle 7d: %v, %+v", err, crawlOpts)
	}
	var serveOpts *ServeOptions
	cmd = NewCmdServe(f, func(_ context.Context, o *ServeOptions) error { serveOpts = o; return nil })
	cmd.SetArgs([]string{"--recrawl-every", "1d"})
	if err := cmd.Execute(); err != nil || serveOpts == nil || serveOpts.RecrawlEvery != 24*time.Hour {
		t.Errorf("serve --recrawl-every 1d: %v, %+v", err, serveOpts)
	}
	cmd = NewCmdServe(f, func(_ context.Context, o *ServeOptions) error { serveOpts = o; return nil })
	cmd.SetArgs([]string{"--recrawl-every", "36h"})
	if err := cmd.Execute(); err != nil || serveOpts.RecrawlEvery != 36*time.Hour {
		t.Errorf("serve --recrawl-every 36h: %v", err)
	}
}
