package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tulieu/internal/fixturesite"
)

// TestRulesServeRecrawlUndoesProfiles: an archive crawled with
// --profiles (the site's own selectors: here, a line of chrome removed
// from every article), then kept up to date by `tulieu serve
// --recrawl-every 24h`, as the README offers. serve has no --profiles
// flag, so its crawls run with the built-in profiles only; extract.Setup
// differs from the one recorded, and reextractIfStale reads the whole
// archive again with the built-in profiles before the crawl: every
// article's fields, current and past versions, lose what the profiles
// gave, silently. A nightly `crawl --profiles` beside it turns them back,
// re-reading the whole archive each time the two alternate. Now serve
// takes --profiles for its crawls, as crawl does (README, "serve").
func TestRulesServeRecrawlKeepsProfiles(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	seed := srv.URL + "/"
	profiles := filepath.Join(t.TempDir(), "profiles.json")
	host := strings.Split(strings.TrimPrefix(srv.URL, "http://"), ":")[0]
	if err := os.WriteFile(profiles, []byte(`{"host": "`+host+`", "remove": ["p:last-child"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run(t, data, "crawl", "--site", seed, "--delay", "0", "--parallel", "4", "--json", "--profiles", profiles); code != 0 {
		t.Fatalf("crawl --profiles: %d %s %s", code, out, errOut)
	}
	before := exportJSONL(t, data)
	if len(before) == 0 {
		t.Fatal("nothing archived")
	}

	// What `tulieu serve --recrawl-every 24h --site SEED --delay 0
	// --profiles FILE` runs each turn (recrawl): runCrawl with
	// recrawlOptions.
	f := &Factory{IO: IOStreams{In: strings.NewReader(""), Out: &strings.Builder{}, ErrOut: &strings.Builder{}},
		Getenv: func(string) string { return "" }, DataDir: data, DataDirSet: true, LogLevel: "warn"}
	co := recrawlOptions(&ServeOptions{Crawl: CrawlOptions{Sites: []string{seed}, Delay: 0, UserAgent: "tulieu-test", ProfileFile: profiles}})
	if err := runCrawl(context.Background(), f, &co); err != nil {
		t.Fatalf("serve's recrawl: %v", err)
	}
	after := exportJSONL(t, data)
	var undone []string
	for u, b := range before {
		if a, ok := after[u]; ok && a.Body != b.Body {
			undone = append(undone, u)
		}
	}
	if len(undone) > 0 {
		t.Errorf("after one crawl of serve --recrawl-every, %d of %d articles read with --profiles were read again without them (the site did not change), e.g. %s",
			len(undone), len(before), undone[0])
	}
}

// serve --recrawl-every with a --profiles file that does not read stops
// at once with a usage error, as crawl does, not at its first crawl.
func TestServeProfilesCheckedAtStart(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "profiles.json")
	if err := os.WriteFile(bad, []byte(`{"host": "x.vn", "titel": "h1"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, t.TempDir(), "serve", "--addr", "127.0.0.1:0", "--recrawl-every", "24h", "--profiles", bad)
	if code != ExitUsage || !strings.Contains(errOut, "--profiles") {
		t.Errorf("serve with a profiles file that does not read: exit %d, %q; want a usage error naming --profiles", code, errOut)
	}
}
