package cli

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tulieu/api"
	"tulieu/internal/fixturesite"
	"tulieu/store"
)

// These tests came from a review of backup, reextract, changes and the
// feed as an administrator and a researcher use them; each comment says
// what went wrong before the fix.

// oneArticleMux serves no robots.txt, a home page linking the article at
// link (a path) and the article's page there; callers add what else the
// site has.
func oneArticleMux(link, page string) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", http.NotFound)
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><body><a href="`+link+`">Hội nghị sơ kết công tác xây dựng Đảng</a></body></html>`)
	})
	mux.HandleFunc(link, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	})
	return mux
}

// arOneArticleSite serves a home page linking one article at link (a path),
// whose page names canonical as its canonical URL and holds an image and an
// attachment given by relative URLs. No validators: every crawl fetches it
// whole.
func arOneArticleSite(t *testing.T, link, canonical string) *httptest.Server {
	t.Helper()
	page := `<html><head><meta charset="utf-8"><title>Hội nghị sơ kết công tác xây dựng Đảng</title>
<link rel="canonical" href="` + canonical + `"></head><body>
<div class="breadcrumb"><a href="/">Trang chủ</a> / <span>Tin tức</span></div>
<h1>Hội nghị sơ kết công tác xây dựng Đảng 6 tháng đầu năm</h1>
<p class="date">Ngày 12/06/2026</p>
<div class="content">
<p>Sáng ngày 12/6, Đảng ủy Khối các cơ quan tỉnh Thanh Hóa tổ chức hội nghị sơ kết công tác xây dựng Đảng sáu tháng đầu năm và triển khai nhiệm vụ sáu tháng cuối năm.</p>
<p><img src="anh/hoi-nghi.jpg" alt="Quang cảnh hội nghị"></p>
<p>Hội nghị thống nhất các giải pháp trọng tâm trong thời gian tới và giao nhiệm vụ cho các tổ chức cơ sở đảng trực thuộc.</p>
<p>Tệp đính kèm: <a href="tep/bao-cao-so-ket.pdf">bao-cao-so-ket.pdf</a></p>
<p>Tác giả: Lê Văn Hà</p>
</div></body></html>`
	mux := oneArticleMux(link, page)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		// The image and the document, wherever they are asked for.
		switch {
		case strings.HasSuffix(r.URL.Path, ".jpg"):
			w.Header().Set("Content-Type", "image/jpeg")
			w.Write([]byte("\xff\xd8\xff\xe0 not really a jpeg"))
		case strings.HasSuffix(r.URL.Path, ".pdf"):
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Write([]byte("binary"))
		default:
			http.NotFound(w, r)
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// TestReextractWithoutBadProfileRestoresArticle: the administrator tries
// `reextract --profiles` with a profile that turns out to be wrong (it
// strips the article text, so the page is taken for something else and
// leaves the articles), then runs `reextract` again without it, as the
// README says ("after an upgrade ... or new --profiles"). The article's
// page, extracted exactly as it was when crawled, is an article again.
//
// User sees: after the second reextract the article is still not an
// article (kind "other"/"listing"): search finds nothing, stats and exports
// lose it, until the site itself edits the page. Should see: the article
// back, as `crawl` does in the same situation (SaveArticle revives a
// row whose kind Reclassify changed).
// Suspected cause: store.Reextracted compares only content_hash, which
// Reclassify never changed; the row's kind column is never restored.
func TestReextractWithoutBadProfileRestoresArticle(t *testing.T) {
	srv := arOneArticleSite(t, "/tin-tuc/hoi-nghi-so-ket-55.html", "/tin-tuc/hoi-nghi-so-ket-55.html")
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	u := srv.URL + "/tin-tuc/hoi-nghi-so-ket-55.html"
	if r := search(t, data, "sơ kết"); r.Total != 1 {
		t.Fatalf("after the crawl: %d hits", r.Total)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"host": "127.0.0.1", "remove": ["p", "div.content"]}`), 0o644)
	code, out, errOut := run(t, data, "reextract", "--profiles", bad, "--json")
	var rep struct{ Reclassified int }
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || rep.Reclassified != 1 {
		t.Fatalf("reextract with the bad profile: %d %s %s", code, out, errOut)
	}
	// The profile was wrong: extract again as before.
	if code, out, errOut := run(t, data, "reextract", "--json"); code != 0 {
		t.Fatalf("reextract without it: %d %s %s", code, out, errOut)
	}
	code, js, _ := run(t, data, "show", "--json", u)
	var a api.Article
	json.Unmarshal([]byte(js), &a)
	if a.Kind != store.KindArticle {
		t.Errorf("after reextract without the bad profile the page is kind %q, not an article again", a.Kind)
	}
	if r := search(t, data, "sơ kết"); r.Total != 1 {
		t.Errorf("after reextract without the bad profile, search finds %d articles, want 1", r.Total)
	}
}

// TestReextractThenCrawlMakesNoVersion: an article first reached through
// another URL than its canonical one (a print version, an alias), whose
// page links its image and attachment relatively. `reextract` with the
// very extractor that crawled it must change nothing, and the next crawl
// of the unchanged page must not add a version.
//
// User sees: reextract reports the article "changed" (its image and
// attachment now resolve against the canonical URL instead of the URL the
// page was fetched from, so they point at pages that do not exist), and
// the next night's crawl, reading the same bytes, records version 2 that
// differs from version 1 in nothing but that: a change the site never
// made. Should see: 0 changed, 1 version.
// Suspected cause: crawler.Reextract extracts with a.URL (the canonical
// URL) as the base, while the crawl (crawler/page.go) extracts with the
// URL the page was fetched from (f.finalURL).
func TestReextractThenCrawlMakesNoVersion(t *testing.T) {
	srv := arOneArticleSite(t, "/in/hoi-nghi-so-ket-55", "/tin-tuc/hoi-nghi-so-ket-55.html")
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	u := srv.URL + "/tin-tuc/hoi-nghi-so-ket-55.html"
	code, js, errOut := run(t, data, "show", "--json", u)
	if code != 0 {
		t.Fatalf("show: %d %s", code, errOut)
	}
	var before api.Article
	json.Unmarshal([]byte(js), &before)

	code, out, errOut := run(t, data, "reextract", "--json")
	var rep struct{ Articles, Changed int }
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil {
		t.Fatalf("reextract: %d %s %s", code, out, errOut)
	}
	_, js, _ = run(t, data, "show", "--json", u)
	var after api.Article
	json.Unmarshal([]byte(js), &after)
	if rep.Changed != 0 {
		t.Errorf("reextract with the same extractor changed %d articles: images %v → %v, attachments %v → %v",
			rep.Changed, before.Images, after.Images, before.Attachments, after.Attachments)
	}
	s := crawl(t, data, srv.URL+"/")
	_, js, _ = run(t, data, "show", "--json", u)
	var final api.Article
	json.Unmarshal([]byte(js), &final)
	if s.Changed != 0 || final.Versions != 1 {
		t.Errorf("the crawl after reextract, of the same bytes: changed %d, versions %d; want 0 and 1", s.Changed, final.Versions)
	}
}

// TestChangesListsAnArticleThatWentAndCameBack: one night the site takes
// an article down (404), the next night it is back as it was. A morning
// report since before both nights must say something happened to it: it
// disappeared (and reappeared).
//
// User sees: `changes --since` (and the feed, and export --changed-since)
// lists nothing for it: coming back erased its deleted_at, and its
// last_changed is older; the deletion the archive recorded the night
// before is gone from every report. Should see: the article listed (as
// changed, or deleted and back).
// Suspected cause: store.SaveArticle's revive path (sqlRevive) clears
// deleted_at without recording the return (last_changed untouched), and
// api.NewChanges only looks at first_seen/last_changed/deleted_at.
func TestChangesListsAnArticleThatWentAndCameBack(t *testing.T) {
	site, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	time.Sleep(1100 * time.Millisecond)
	since := time.Now().UTC().Truncate(time.Second).Format(time.RFC3339)
	path := "/tin-tuc/tu-lieu/cac-ky-dai-hoi-dang-bo-khoi-10.html"
	var saved fixturesite.Article
	for _, a := range site.Articles() {
		if a.Path == path {
			saved = a
		}
	}
	site.Remove(path, http.StatusNotFound)
	if s := crawl(t, data, srv.URL+"/"); s.Deleted != 1 {
		t.Fatalf("night 1: %+v", s)
	}
	_, out, _ := run(t, data, "changes", "--since", since, "--json")
	var ch api.Changes
	json.Unmarshal([]byte(out), &ch)
	if len(ch.Deleted) != 1 {
		t.Fatalf("after night 1: %s", out)
	}
	site.Add(saved)
	crawl(t, data, srv.URL+"/")
	code, out, errOut := run(t, data, "changes", "--since", since, "--json")
	ch = api.Changes{}
	if code != 0 || json.Unmarshal([]byte(out), &ch) != nil {
		t.Fatalf("changes: %d %s %s", code, out, errOut)
	}
	n := 0
	for _, l := range [][]api.Change{ch.New, ch.Changed, ch.Deleted} {
		for _, c := range l {
			if strings.HasSuffix(c.URL, path) {
				n++
			}
		}
	}
	if n == 0 {
		t.Errorf("the article taken down and put back since %s is in no list of `changes --since`: %s", since, out)
	}
}

// TestBackupIntoDirWithHash: the administrator backs up to a disk
// folder whose name holds a "#" ("/mnt/usb/Sao lưu #2"), then opens the
// backup (`tulieu --data DIR stats`, `check`, `search`), as a restore does.
//
// User sees: backup "succeeds" with "search index of 0 documents"; `check`
// of the copy says "all is well" with 0 articles and 0 captures; stats and
// search in it find nothing; and an empty SQLite file named after the part
// of the path before "#" appears beside the backup. The copied catalog is
// there but never opened. Should see: the backup's 21 articles.
// Suspected cause: store.Open builds the SQLite DSN as "file:" + path
// without escaping it, so "#" (a URI fragment), "?" (a query) and "%XX"
// (an escape) in the data directory's path open another file, or none.
func TestBackupIntoDirWithHash(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	parent := t.TempDir()
	dst := filepath.Join(parent, "Sao lưu #2")
	code, out, errOut := run(t, data, "backup", dst)
	if code != 0 {
		t.Fatalf("backup: %d %s %s", code, out, errOut)
	}
	if !strings.Contains(out, "search index of 21 documents") {
		t.Errorf("backup into %q: %s", dst, strings.TrimSpace(out))
	}
	code, js, errOut := run(t, dst, "stats", "--json")
	var st api.Stats
	if code != 0 || json.Unmarshal([]byte(js), &st) != nil {
		t.Fatalf("stats of the backup: %d %s %s", code, js, errOut)
	}
	if st.Articles == 0 || st.Captures == 0 {
		t.Errorf("opened, the backup in %q holds %d articles and %d captures (the data directory's index had 21 articles and pages)", dst, st.Articles, st.Captures)
	}
	if _, err := os.Stat(filepath.Join(parent, "Sao lưu ")); err == nil {
		t.Errorf("a stray file %q was created outside the backup", filepath.Join(parent, "Sao lưu "))
	}
}

// TestFeedEditEntryDates: an article archived weeks ago is edited
// today. Its feed entry "(sửa)" is a new entry of its own (its id ends in
// the new version), and it is dated today.
//
// User sees: the entry's <published> is when the article was first
// archived, before the entry (the edit) existed; feed readers that show
// and sort by <published> list today's edit as old news, after entries
// really older than it. Should see: <published> no earlier than the
// version it announces (RFC 4287 4.2.9: an instant early in the life of
// *the entry*), e.g. the edit's time, or no <published>.
// Suspected cause: web/feed.go:handleFeed sets Published: c.FirstSeen for
// every kind of entry.
func TestFeedEditEntryDates(t *testing.T) {
	site, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	time.Sleep(1100 * time.Millisecond)
	mid := time.Now().UTC().Truncate(time.Second)
	editArticle(site)
	crawl(t, data, srv.URL+"/")
	addr := startServe(t, data, ServeOptions{})
	status, body := getBody(t, "http://"+addr+"/feed.atom")
	var feed struct {
		Entries []struct {
			ID        string `xml:"id"`
			Title     string `xml:"title"`
			Updated   string `xml:"updated"`
			Published string `xml:"published"`
		} `xml:"entry"`
	}
	if status != 200 || xml.Unmarshal([]byte(body), &feed) != nil {
		t.Fatalf("feed: %d %.300s", status, body)
	}
	found := false
	for _, e := range feed.Entries {
		if !strings.HasSuffix(e.Title, "(sửa)") {
			continue
		}
		found = true
		if e.Published == "" {
			continue
		}
		p, err := time.Parse(time.RFC3339, e.Published)
		if err != nil || p.Before(mid) {
			t.Errorf("the entry of today's edit %s (updated %s) is published %s, before the edit existed", e.ID, e.Updated, e.Published)
		}
	}
	if !found {
		t.Fatalf("no edit entry in the feed: %.500s", body)
	}
}

// TestShowJSONHasProvenance: `show --json` (and GET /api/articles/ID,
// the same bytes) names the capture the article's text came from, as the
// export record does: when it was fetched and its WARC record.
func TestShowJSONHasProvenance(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	id := search(t, data, "Chủ tịch Hồ Chí Minh với Thanh Hóa").Hits[0].ID
	code, out, errOut := run(t, data, "show", "--json", id)
	if code != 0 {
		t.Fatalf("show --json: %d %s", code, errOut)
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(out), &rec); err != nil {
		t.Fatal(err)
	}
	at, _ := rec["captured_at"].(string)
	wid, _ := rec["warc_record_id"].(string)
	if _, err := time.Parse(time.RFC3339, at); err != nil || !strings.HasPrefix(wid, "<urn:uuid:") {
		t.Errorf("show --json: captured_at %q, warc_record_id %q; want the capture's time and record", at, wid)
	}
}
