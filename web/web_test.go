package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"tulieu/api"
	"tulieu/store"
)

// newTestServer builds the web page over a real catalog and a real index
// holding the same two articles.
func newTestServer(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	ix, st := openEmptyParts(t)
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	arts := []store.Content{
		{Kind: store.KindArticle, Title: "Đảng bộ Khối các cơ quan tỉnh Thanh Hóa 60 năm", Body: "Chặng đường phát triển của Đảng bộ Khối.\n\nNhiều thành tựu <script>alert(1)</script>.",
			BodyHTML: "<p>Chặng đường phát triển của Đảng bộ Khối.</p>", Category: "Tin tức chung", Breadcrumb: []string{"Tin tức chung"}, Published: "2020-02-28", Author: "BBT"},
		{Kind: store.KindArticle, Title: "Nhận diện âm mưu diễn biến hoà bình <script>alert(2)</script>", Body: "Đấu tranh với âm mưu \"diễn biến hoà bình\" trên không gian mạng.",
			BodyHTML: "<p>Đấu tranh với âm mưu.</p>", Category: "Tư liệu", Breadcrumb: []string{"Tư liệu"}, Published: "2019-08-20"},
	}
	var id string
	for i, c := range arts {
		u := "http://danguykhoithanhhoa.org.vn/a-" + string(rune('1'+i)) + ".html"
		a := archiveArticle(t, st, ix, u, c, at)
		if i == 0 {
			id = a.ID
		}
	}
	srv := httptest.NewServer(New(ix, st, Options{}))
	t.Cleanup(srv.Close)
	return srv, id
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// getAs is a GET of u sent under the host name host (the Host header), as
// a browser that reached the server by another name would send it; it
// returns the response, its body read and closed.
func getAs(t *testing.T, u, host string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestSearchPage(t *testing.T) {
	srv, id := newTestServer(t)
	code, body := get(t, srv.URL+"/")
	if code != 200 || !strings.Contains(body, `name="q"`) || !strings.Contains(body, "tieude:") {
		t.Fatalf("home: %d %s", code, body)
	}
	code, body = get(t, srv.URL+"/search?q="+url.QueryEscape("thanh hoa"))
	if code != 200 || !strings.Contains(body, "/article/"+id) || !strings.Contains(body, "Thanh Hóa") {
		t.Fatalf("results: %d %s", code, body)
	}
	if strings.Contains(body, "<script>alert") {
		t.Fatal("text from the archive must be escaped")
	}
	// Titles come highlighted, and escaped too.
	_, body = get(t, srv.URL+"/search?q="+url.QueryEscape("hoa binh"))
	if !strings.Contains(body, "<mark>hoà</mark>") || strings.Contains(body, "<script>alert(2)") {
		t.Fatalf("highlighted title: %s", body)
	}
	code, body = get(t, srv.URL+"/search?q="+url.QueryEscape(`"hòa bình`))
	if code != 400 || !strings.Contains(body, `id="error"`) {
		t.Fatalf("bad query: %d %s", code, body)
	}
	code, _ = get(t, srv.URL+"/search?q=x&from=28-02-2020")
	if code != 400 {
		t.Fatalf("bad date: %d", code)
	}
}

func TestArticlePage(t *testing.T) {
	srv, id := newTestServer(t)
	code, body := get(t, srv.URL+"/article/"+id)
	if code != 200 || !strings.Contains(body, "<h1>Đảng bộ Khối các cơ quan tỉnh Thanh Hóa 60 năm</h1>") || !strings.Contains(body, "<p>Chặng đường") {
		t.Fatalf("article: %d %s", code, body)
	}
	// One version: nothing to compare, so no comparison controls.
	if strings.Contains(body, `type="radio"`) || strings.Contains(body, `id="compare"`) {
		t.Errorf("a single version shows comparison controls")
	}
	if code, _ := get(t, srv.URL+"/article/nope"); code != 404 {
		t.Fatalf("missing article: %d", code)
	}
}

func TestAPISearch(t *testing.T) {
	srv, _ := newTestServer(t)
	code, body := get(t, srv.URL+"/api/search?q="+url.QueryEscape("hòa bình"))
	var res api.Search
	if code != 200 || json.Unmarshal([]byte(body), &res) != nil || res.Total != 1 || res.Hits[0].Category != "Tư liệu" {
		t.Fatalf("api: %d %s", code, body)
	}
	// Without a query, the newest articles, as the CLI lists them.
	code, body = get(t, srv.URL+"/api/search")
	if code != 200 || json.Unmarshal([]byte(body), &res) != nil || res.Total != 2 {
		t.Fatalf("api without q: %d %s", code, body)
	}
}

// TestAPIIDs: every match of a search, one id a line, newest first, and
// the end line that tells a whole answer from a cut one.
func TestAPIIDs(t *testing.T) {
	srv, id := newTestServer(t)
	code, body := get(t, srv.URL+"/api/ids?q="+url.QueryEscape("đảng"))
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if code != 200 || len(lines) != 2 || lines[0] != id || lines[1] != IDsEnd {
		t.Errorf("ids: %d %q", code, body)
	}
	code, body = get(t, srv.URL+"/api/ids")
	if lines := strings.Split(strings.TrimSpace(body), "\n"); code != 200 || len(lines) != 3 {
		t.Errorf("ids of everything: %d %q", code, body)
	}
	if code, body := get(t, srv.URL+"/api/ids?q=%22open"); code != 400 || !strings.Contains(body, `"error"`) {
		t.Errorf("a bad query: %d %s", code, body)
	}
}
