package web

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tulieu/store"
)

// TestAPIArticleVersionsSwitchIsChecked: /api/articles/ID?versions= is a
// switch like deleted= and facets= on /api/search, which answer "must be 1
// or 0" with a 400 for "true" or "yes" (api.Switch). From a review:
// versions=true (what most clients send for a boolean) was answered 200
// with no "history" at all, so the caller could not tell that its request
// was read as "no versions". README: bad parameters are a 4xx {"error"};
// `?versions=1` is `show --json --versions`.
func TestAPIArticleVersionsSwitchIsChecked(t *testing.T) {
	srv, id := newTestServer(t)
	for _, v := range []string{"true", "yes", "maybe"} {
		code, body := get(t, srv.URL+"/api/articles/"+id+"?versions="+v)
		if code == 400 {
			continue
		}
		var doc map[string]json.RawMessage
		if err := json.Unmarshal([]byte(body), &doc); err != nil {
			t.Fatalf("versions=%s: %d %.200s", v, code, body)
		}
		if _, ok := doc["history"]; !ok {
			t.Errorf("GET /api/articles/ID?versions=%s: %d without \"history\"; want a 400 \"versions must be 1 or 0\" (as deleted=%s and facets=%s on /api/search are)",
				v, code, v, v)
		}
	}
}

// TestExportPagesSwitchIsChecked: /export's pages=0 leaves static pages
// out (README). From a review: pages=false or pages=no, which a user
// means as "no pages", were read as "pages in" without a word, and the
// export held the static page, while deleted=false on the same URL was a
// 400. Now every switch is 1 or 0 (api.Switch).
func TestExportPagesSwitchIsChecked(t *testing.T) {
	ix, st := openEmptyParts(t)
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	archiveArticle(t, st, ix, "http://danguykhoithanhhoa.org.vn/tin-tuc/a-1.html", store.Content{Kind: store.KindArticle,
		Title: "Hội nghị tổng kết công tác năm 2020", Body: "Nội dung bài viết về hội nghị tổng kết.", Category: "Tin tức chung",
		Breadcrumb: []string{"Tin tức chung"}, Published: "2020-02-28"}, at)
	archiveArticle(t, st, ix, "http://danguykhoithanhhoa.org.vn/tong-quan/lich-su/22", store.Content{Kind: store.KindPage,
		Title: "Lịch sử hình thành và phát triển", Body: "Đảng bộ Khối được thành lập năm 1960.", Category: "Tổng quan",
		Breadcrumb: []string{"Tổng quan"}}, at)
	srv := httptest.NewServer(New(ix, st, Options{}))
	t.Cleanup(srv.Close)

	if code, body := get(t, srv.URL+"/export?format=jsonl&pages=0"); code != 200 || strings.Contains(body, `"kind":"page"`) {
		t.Fatalf("pages=0: %d %.300s; want 200 without the static page", code, body)
	}
	for _, v := range []string{"false", "no"} {
		code, body := get(t, srv.URL+"/export?format=jsonl&pages="+v)
		if code == 400 {
			continue
		}
		if strings.Contains(body, `"kind":"page"`) {
			t.Errorf("GET /export?format=jsonl&pages=%s: %d, and the export holds the static page; want a 400 (pages must be 1 or 0) or the pages left out",
				v, code)
		}
	}
}

// TestUpperCaseIDIsTheSameArticle: an id typed or pasted in upper case
// names the same article on the API, the article page and its diff, as it
// does for `tulieu show` (from a review: the API answered 404).
func TestUpperCaseIDIsTheSameArticle(t *testing.T) {
	srv, id := newTestServer(t)
	up := strings.ToUpper(id)
	for _, p := range []string{"/api/articles/" + up, "/api/articles/" + up + "/versions", "/article/" + up} {
		if code, body := get(t, srv.URL+p); code != 200 || !strings.Contains(body, id) {
			t.Errorf("GET %s: %d %.200s; want the article %s", p, code, body, id)
		}
	}
	// An id the archive does not have is named in the 404.
	if code, body := get(t, srv.URL+"/api/articles/00000000deadbeef"); code != 404 || !strings.Contains(body, "00000000deadbeef") {
		t.Errorf("GET /api/articles/ of an unknown id: %d %.200s; want a 404 naming it", code, body)
	}
}

// TestChangesSinceSaysWhatItRead: a bad since= names the parameter and
// its value, as `tulieu changes --since` does, and an RFC 3339 time whose
// "+07:00" came through a URL unescaped (a space) is read as meant (from
// a review: a bare "want YYYY-MM-DD…", and a 400 for the time).
func TestChangesSinceSaysWhatItRead(t *testing.T) {
	srv, _ := newTestServer(t)
	code, body := get(t, srv.URL+"/api/changes?since=last+week")
	if code != 400 || !strings.Contains(body, `since \"last week\"`) {
		t.Errorf("GET /api/changes?since=last+week: %d %.300s; want a 400 naming since and its value", code, body)
	}
	code, body = get(t, srv.URL+"/api/changes?since=2020-01-01T00:00:00+07:00")
	if code != 200 || !strings.Contains(body, `"since": "2019-12-31T17:00:00Z"`) {
		t.Errorf("GET /api/changes?since=2020-01-01T00:00:00+07:00 (the + unescaped): %d %.300s", code, body)
	}
}
