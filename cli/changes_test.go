package cli

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"tulieu/api"
	"tulieu/internal/fixturesite"
)

// TestChangesAndFeed: after a night in which one article was added, one
// edited and one removed, `tulieu changes` lists exactly those, the API
// gives the same document, and the Atom feed has them first.
func TestChangesAndFeed(t *testing.T) {
	site, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	time.Sleep(1100 * time.Millisecond) // --since takes whole seconds
	mid := time.Now().UTC().Truncate(time.Second)

	edited := editArticle(site)
	removed := "/tin-tuc/tu-lieu/cac-ky-dai-hoi-dang-bo-khoi-10.html"
	site.Remove(removed, http.StatusNotFound)
	added := "/tin-tuc/tin-tuc-chung/hoi-thao-ve-kinh-te-tuan-hoan-3001.html"
	site.Add(fixturesite.Article{Path: added, Title: "Hội thảo về kinh tế tuần hoàn", DateLine: "Ngày 21/11/2026",
		Expected: fixturesite.Expected{BodyParagraphs: []string{
			"Đảng ủy Khối tổ chức hội thảo về kinh tế tuần hoàn với sự tham gia của nhiều chuyên gia và đại diện các cơ quan, đơn vị trong tỉnh.",
			"Các ý kiến tập trung vào giải pháp giảm chất thải, tái sử dụng tài nguyên và phát triển bền vững trong thời gian tới."}}})
	crawl(t, data, srv.URL+"/")

	since := mid.Format(time.RFC3339)
	code, out, errOut := run(t, data, "changes", "--since", since, "--json")
	var ch api.Changes
	if code != 0 || json.Unmarshal([]byte(out), &ch) != nil {
		t.Fatalf("changes: %d %s %s", code, out, errOut)
	}
	one := func(list []api.Change, path string) bool {
		return len(list) == 1 && strings.HasSuffix(list[0].URL, path)
	}
	if !one(ch.New, added) || !one(ch.Changed, edited) || !one(ch.Deleted, removed) || ch.Deleted[0].DeletedAt == "" {
		t.Errorf("changes since %s: %+v", since, ch)
	}
	if code, text, _ := run(t, data, "changes", "--since", since); code != 0 || !strings.Contains(text, "1 new, 1 changed, 1 deleted") {
		t.Errorf("changes as text: %d %s", code, text)
	}
	// show says when a deleted article was found taken down, in Vietnam's
	// time as the text shows every time.
	if len(ch.Deleted) == 1 {
		if code, text, _ := run(t, data, "show", ch.Deleted[0].ID); code != 0 || !strings.Contains(text, "Taken down:  "+api.ReadableTime(ch.Deleted[0].DeletedAt)) {
			t.Errorf("show of the deleted article: %d %s", code, text)
		}
	}
	if code, _, _ := run(t, data, "changes", "--since", "last week"); code != ExitUsage {
		t.Errorf("a bad --since: %d", code)
	}

	addr := startServe(t, data, ServeOptions{})
	status, body := getBody(t, "http://"+addr+"/api/changes?since="+url.QueryEscape(since))
	var fromAPI api.Changes
	if status != 200 || json.Unmarshal([]byte(body), &fromAPI) != nil {
		t.Fatalf("/api/changes: %d %s", status, body)
	}
	fromAPI.Until = ch.Until // the time of each report
	if a, b := mustJSON(t, fromAPI), mustJSON(t, ch); a != b {
		t.Errorf("/api/changes differs from changes --json:\n%s\n%s", a, b)
	}

	status, body = getBody(t, "http://"+addr+"/feed.atom")
	var feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Title   string   `xml:"title"`
		Updated string   `xml:"updated"`
		Author  struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Links []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Entries []struct {
			ID      string `xml:"id"`
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
			Link    struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if status != 200 || xml.Unmarshal([]byte(body), &feed) != nil || feed.ID == "" || feed.Title == "" || feed.Author.Name == "" {
		t.Fatalf("feed: %d %.500s", status, body)
	}
	if _, err := time.Parse(time.RFC3339, feed.Updated); err != nil {
		t.Errorf("feed updated %q", feed.Updated)
	}
	self := false
	for _, l := range feed.Links {
		self = self || l.Rel == "self" && strings.HasPrefix(l.Href, "http://"+addr+"/feed.atom")
	}
	seen := map[string]bool{}
	for i, e := range feed.Entries {
		if seen[e.ID] || e.Title == "" || !strings.HasPrefix(e.Link.Href, "http://"+addr+"/article/") {
			t.Errorf("entry %d: %+v", i, e)
		}
		seen[e.ID] = true
		if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
			t.Errorf("entry %d updated %q", i, e.Updated)
		}
	}
	if !self || len(feed.Entries) < 3 || !strings.Contains(feed.Entries[0].Title+feed.Entries[1].Title+feed.Entries[2].Title, "(đã gỡ)") ||
		!strings.Contains(feed.Entries[0].Title+feed.Entries[1].Title+feed.Entries[2].Title, "(sửa)") {
		t.Errorf("feed: self link %v, %d entries, first %+v", self, len(feed.Entries), feed.Entries[:min(3, len(feed.Entries))])
	}
	// Per category.
	status, body = getBody(t, "http://"+addr+"/feed.atom?category="+url.QueryEscape("Tư liệu"))
	if status != 200 || strings.Contains(body, "kinh tế tuần hoàn") || !strings.Contains(body, "(đã gỡ)") {
		t.Errorf("feed of a category: %d %.300s", status, body)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
