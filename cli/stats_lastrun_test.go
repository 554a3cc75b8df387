package cli

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"tulieu/internal/fixturesite"
)

// TestStatsLastRunIsTheCrawlsSummary: stats' last_run had the article
// counts of the crawl's --json summary but not its "pages", "requisites"
// and "requisite_errors" (the runs table did not keep them), so a
// morning's check could not tell what share of the pages failed. They are
// recorded now, and the README lists the keys stats --json prints.
func TestStatsLastRunIsTheCrawlsSummary(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	code, out, errOut := run(t, data, "crawl", "--site", srv.URL+"/", "--delay", "0", "--json")
	if code != 0 {
		t.Fatalf("crawl: %d %s", code, errOut)
	}
	var sum map[string]any
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = run(t, data, "stats", "--json")
	if code != 0 {
		t.Fatalf("stats: %d %s", code, errOut)
	}
	var stats map[string]any
	if err := json.Unmarshal([]byte(out), &stats); err != nil {
		t.Fatal(err)
	}
	last, _ := stats["last_run"].(map[string]any)
	for _, k := range []string{"fetched", "new", "errors", "pages", "requisites", "requisite_errors"} {
		if last[k] != sum[k] {
			t.Errorf("last_run.%s = %v, the crawl's summary said %v", k, last[k], sum[k])
		}
	}
	if p, _ := sum["pages"].(float64); p == 0 {
		t.Errorf("the crawl's summary counts no pages: %s", out)
	}

	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)`stats --json` prints `\\{(.*?)\\}`").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README: no list of stats --json keys")
	}
	var documented []string
	for _, k := range regexp.MustCompile(`"([a-z_]+)"`).FindAllSubmatch(m[1], -1) {
		documented = append(documented, string(k[1]))
	}
	for k := range stats {
		if !slices.Contains(documented, k) {
			t.Errorf("stats --json prints %q, which the README does not list (%s)", k, strings.Join(documented, ","))
		}
	}
	for _, k := range documented {
		if _, ok := stats[k]; !ok && k != "index_note" {
			t.Errorf("README lists %q, which stats --json does not print", k)
		}
	}
}
