package cli

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"tulieu/internal/fixturesite"
)

// TestArticleBackOnlineWithItsOldValidators: an article taken down (404)
// comes back as it was, restored with the same ETag and Last-Modified, as
// a page restored from a backup is. The next crawl must find it live again
// and say so; asked with its old validators, the server answered 304,
// which confirmed no live article, and the article stayed a tombstone
// (unsearchable, in no count of the summary) night after night.
func TestArticleBackOnlineWithItsOldValidators(t *testing.T) {
	site, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	first := crawl(t, data, srv.URL+"/")
	path := "/tin-tuc/tu-lieu/cac-ky-dai-hoi-dang-bo-khoi-10.html"
	site.Remove(path, http.StatusNotFound)
	if s := crawl(t, data, srv.URL+"/"); s.Deleted != 1 {
		t.Fatalf("taken down: %+v", s)
	}
	site.Restore(path)
	back := crawl(t, data, srv.URL+"/")
	if back.Changed != 1 || back.Deleted != 0 || back.Changed+back.Unchanged != first.New {
		t.Errorf("back online: changed %d, unchanged %d, deleted %d; want the article counted as changed and all %d counted",
			back.Changed, back.Unchanged, back.Deleted, first.New)
	}
	if again := crawl(t, data, srv.URL+"/"); again.Unchanged != first.New || again.Changed != 0 {
		t.Errorf("the night after: unchanged %d, changed %d; want all %d unchanged", again.Unchanged, again.Changed, first.New)
	}
	code, out, errOut := run(t, data, "search", "--json", `tieude:"Các kỳ Đại hội"`)
	var res struct {
		Total int `json:"total"`
		Hits  []struct {
			URL    string `json:"url"`
			Status string `json:"status"`
		} `json:"hits"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil {
		t.Fatalf("search: %d %s %s", code, out, errOut)
	}
	if res.Total != 1 || !strings.HasSuffix(res.Hits[0].URL, path) {
		t.Errorf("search for the article back online: %s", out)
	}
}
