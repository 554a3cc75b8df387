package cli

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// Staff exporting a year for a report want it in the order it happened:
// --sort oldest (and the page's export link with sort=oldest) gives the
// articles oldest published first (the undated last, as the page lists
// them), with a selection or without, and
// --sort oldest with --ids-from alone is refused (the file's order is
// the one asked for).
func TestExportSortOldest(t *testing.T) {
	data, _ := biCrawledFixture(t)
	published := func(out string) []string {
		var got []string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var r struct {
				Published string `json:"published"`
			}
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatalf("%q: %v", line, err)
			}
			got = append(got, r.Published)
		}
		return got
	}
	for _, args := range [][]string{{}, {"--query", "đảng"}, {"--category", "Tin tức chung"}} {
		code, newest, errOut := run(t, data, append([]string{"export", "-o", "-"}, args...)...)
		if code != 0 {
			t.Fatalf("export %v: %d %s", args, code, errOut)
		}
		code, oldest, errOut := run(t, data, append([]string{"export", "-o", "-", "--sort", "oldest"}, args...)...)
		if code != 0 {
			t.Fatalf("export --sort oldest %v: %d %s", args, code, errOut)
		}
		n, o := published(newest), published(oldest)
		if len(o) < 3 || len(o) != len(n) || !datedThenUndated(o, false) || slices.Equal(o, n) {
			t.Errorf("export --sort oldest %v: %d records %v; want the %d of the default export, oldest first, the undated last", args, len(o), o, len(n))
		}
		if !datedThenUndated(n, true) {
			t.Errorf("export %v: %v, want newest first, the undated last", args, n)
		}
	}
	addr := startServe(t, data, ServeOptions{})
	code, body := getBody(t, "http://"+addr+"/export?format=jsonl&sort=oldest&pages=0")
	_, cli, _ := run(t, data, "export", "-o", "-", "--sort", "oldest")
	if got, want := published(body), published(cli); code != 200 || !slices.Equal(got, want) {
		t.Errorf("/export?sort=oldest: %d %v; want the CLI's order %v", code, got, want)
	}
	if code, _, errOut := run(t, data, "export", "-o", "-", "--sort", "oldest", "--ids-from", "-"); code != ExitUsage {
		t.Errorf("--sort oldest --ids-from alone: exit %d %s; want 2", code, errOut)
	}
	if code, _, errOut := run(t, data, "export", "-o", "-", "--sort", "sideways"); code != ExitUsage {
		t.Errorf("--sort sideways: exit %d %s; want 2", code, errOut)
	}
}

// datedThenUndated says whether dates are in order (newest first when
// desc), with the undated ("") after every dated one, as the search page
// lists them either way.
func datedThenUndated(dates []string, desc bool) bool {
	i := slices.Index(dates, "")
	if i < 0 {
		i = len(dates)
	}
	dated := slices.Clone(dates[:i])
	if desc {
		slices.Reverse(dated)
	}
	return slices.IsSorted(dated) && !slices.ContainsFunc(dates[i:], func(d string) bool { return d != "" })
}
