package cli

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"tulieu/internal/fixturesite"
)

// These tests came from following the README on a fresh clone; each
// comment says what went wrong before the fix.

// The terminal's progress line ended on "45/34 pages": requests (robots.txt
// and images too) over queued pages. It now names each count.
func TestProgressLineNamesItsCounts(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	var out, errOut bytes.Buffer
	f := &Factory{IO: IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, IsTerminal: true},
		Getenv: func(string) string { return "" }}
	code := Execute(context.Background(), f, []string{"--data", t.TempDir(), "--log-level", "warn",
		"crawl", "--site", srv.URL + "/", "--delay", "0", "--parallel", "4"})
	if code != 0 {
		t.Fatalf("crawl exited %d: %s", code, errOut.String())
	}
	if !regexp.MustCompile(`\d+ requests, \d+ pages queued`).MatchString(errOut.String()) {
		t.Errorf("the progress line: %q", errOut.String())
	}
}

// The demo's summary left out changed and deleted articles: "42 requests,
// 0 new, 20 unchanged, 0 errors" after a run that changed one.
func TestDemoSummaryCountsChanges(t *testing.T) {
	site, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	dir := t.TempDir()
	crawl(t, dir, srv.URL+"/")
	a := site.Articles()[0]
	site.Edit(a.Path, []string{"Một đoạn văn mới thay cho cả bài."})
	if s := crawl(t, dir, srv.URL+"/"); s.Changed != 1 {
		t.Fatalf("second crawl changed %d, want 1", s.Changed)
	}
	var out bytes.Buffer
	f := &Factory{IO: IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &bytes.Buffer{}},
		Getenv: func(string) string { return "" }, DataDir: dir}
	if err := printDemoSummary(context.Background(), f, srv.URL+"/", time.Second); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "1 changed") {
		t.Errorf("the demo's summary does not count the changed article: %q", out.String())
	}
}

// An export named for what it is not ("out.html" holding a zip, "out.warc"
// holding gzip) wrote the file all the same; it is refused with the name
// to give.
func TestExportRefusesMisleadingNames(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	dir := t.TempDir()
	for _, c := range []struct{ format, name, want string }{
		{"html", "out.html", ".html.zip"}, {"md", "out.md", ".md.zip"}, {"warc", "out.warc", ".warc.gz"}, {"", "out.zip", "zip"},
		// Without --format: the name it was meant to have, not only
		// the jsonl default's.
		{"", "out.md", "name it ….md.zip"}, {"", "out.gz", "only a warc export is gzip-compressed"},
		{"", "out.jsonl.gz", "only a warc export is gzip-compressed"},
	} {
		args := []string{"export", "-o", dir + "/" + c.name}
		if c.format != "" {
			args = append(args, "--format", c.format)
		}
		if code, _, errOut := run(t, data, args...); code != ExitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("export %v: exit %d: %s; want exit 2 naming %s", args, code, errOut, c.want)
		}
	}
	if code, _, errOut := run(t, data, "export", "--format", "html", "-o", dir+"/out.html.zip"); code != 0 {
		t.Errorf("export --format html -o out.html.zip: exit %d: %s", code, errOut)
	}
}

// There was no `tulieu --version`: exports name the version they were
// made with, and a user could not ask the binary for it.
func TestVersionFlag(t *testing.T) {
	code, out, errOut := run(t, t.TempDir(), "--version")
	if code != 0 || !strings.HasPrefix(out, "tulieu ") {
		t.Errorf("tulieu --version: exit %d, %q %q", code, out, errOut)
	}
}
