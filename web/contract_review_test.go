package web

// A review of README promises no other test checked (2026-12-07). Each
// test's comment tells what happened before its fix: what the user does,
// what went wrong, and what the README says.

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestExportLinksLabelTheirOrder: the README says the search page's
// "Tải kết quả về" links are the export of the selection on screen,
// "newest first, or oldest first when the page shows "Cũ nhất"". A user
// sorts the results "Cũ nhất" (sort=oldest) and reads above the download
// links "Tải kết quả về (bài mới nhất trước)" — "download the results
// (newest first)" — while the links carry sort=oldest and the file they
// give is oldest first. The label must say the order the file has
// ("cũ nhất trước"), not the opposite one.
func TestExportLinksLabelTheirOrder(t *testing.T) {
	srv, _ := newTestServer(t)
	code, body := get(t, srv.URL+"/search?q=&sort=oldest")
	if code != 200 {
		t.Fatalf("/search?q=&sort=oldest: %d", code)
	}
	para := regexp.MustCompile(`(?s)<p class="exports"[^>]*>.*?</p>`).FindString(body)
	if para == "" {
		t.Fatalf("the page sorted oldest first has no export links:\n%s", body)
	}
	m := regexp.MustCompile(`href="(/export\?[^"]*format=jsonl[^"]*)"`).FindStringSubmatch(para)
	if m == nil {
		t.Fatalf("no jsonl export link in %s", para)
	}
	// What the link gives: oldest first.
	_, jsonl := get(t, srv.URL+html.UnescapeString(m[1]))
	var dates []string
	for _, line := range strings.Split(strings.TrimSpace(jsonl), "\n") {
		var r struct{ Published string }
		if json.Unmarshal([]byte(line), &r) == nil {
			dates = append(dates, r.Published)
		}
	}
	if len(dates) != 2 || dates[0] > dates[1] {
		t.Fatalf("the jsonl link of the page sorted oldest first gives the dates %v", dates)
	}
	text := html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(para, ""))
	if strings.Contains(text, "mới nhất trước") || !strings.Contains(text, "cũ nhất trước") {
		t.Errorf("the page sorted \"Cũ nhất\" labels its downloads %q, yet they are oldest first (%v): want \"cũ nhất trước\"", strings.TrimSpace(text), dates)
	}
}

// TestAddressPastedWithoutItsScheme: the README says an article's
// address pasted in the search box opens it. One copied without its
// "http://" (as a browser's address bar shows it), or with its scheme in
// capitals, gave "Không có kết quả nào"; show takes both.
func TestAddressPastedWithoutItsScheme(t *testing.T) {
	srv, id := newTestServer(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, q := range []string{"danguykhoithanhhoa.org.vn/a-1.html", "HTTP://danguykhoithanhhoa.org.vn/a-1.html", "http://danguykhoithanhhoa.org.vn/a-1.html"} {
		resp, err := client.Get(srv.URL + "/?q=" + url.QueryEscape(q))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || loc != "/article/"+id {
			t.Errorf("the address %q pasted in the box: %d to %q, want 302 to /article/%s", q, resp.StatusCode, loc, id)
		}
	}
}
