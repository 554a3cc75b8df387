package cli

import (
	"encoding/json"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestExportLinkKeepsOldestSort: a staff member lists a category on the
// search page sorted "Cũ nhất" (sort=oldest) to prepare a chronological
// report, then clicks "Tải kết quả về" CSV/XLSX/JSONL. The README says the
// page's export link keeps the page's "cũ nhất" sort as sort=oldest (and
// /export honours sort=oldest); but the links dropped the sort, so the
// file came newest first, in the opposite order of the page the staff
// member was looking at.
func TestExportLinkKeepsOldestSort(t *testing.T) {
	data, _ := biCrawledFixture(t)
	addr := startServe(t, data, ServeOptions{})
	code, page := getBody(t, "http://"+addr+"/search?q=&category=T%C6%B0+li%E1%BB%87u&sort=oldest")
	if code != 200 {
		t.Fatalf("/search: %d", code)
	}
	links := regexp.MustCompile(`href="(/export\?[^"]*)"`).FindAllStringSubmatch(page, -1)
	if len(links) == 0 {
		t.Fatalf("the search page has no export link")
	}
	for _, l := range links {
		href := html.UnescapeString(l[1])
		if !strings.Contains(href, "sort=oldest") {
			t.Errorf("the export link of a page sorted oldest first is %s: it drops sort=oldest, so the file is newest first", href)
		}
	}
	// What the jsonl link downloads is in the page's order.
	var jsonl string
	for _, l := range links {
		if href := html.UnescapeString(l[1]); strings.Contains(href, "format=jsonl") {
			_, jsonl = getBody(t, "http://"+addr+href)
		}
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(jsonl), "\n") {
		var r struct{ Published string }
		if json.Unmarshal([]byte(line), &r) == nil {
			got = append(got, r.Published)
		}
	}
	if len(got) < 2 || !slices.IsSorted(got) {
		t.Errorf("the page's jsonl export link gives the dates %v; want them oldest first, as the page shows them", got)
	}
}
