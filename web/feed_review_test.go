package web

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tulieu/store"
)

// Each test's comment tells what happened before its fix: what a feed
// reader's user saw, and what they should see.

// reviewFeed is what a feed reader keeps of /feed.atom: each entry's id (how
// it tells a new item from one it has shown), title, dates and summary.
type reviewFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Summary string `xml:"summary"`
	} `xml:"entry"`
}

func readReviewFeed(t *testing.T, base string) reviewFeed {
	t.Helper()
	code, body := get(t, base+"/feed.atom")
	var f reviewFeed
	if code != 200 || xml.Unmarshal([]byte(body), &f) != nil {
		t.Fatalf("/feed.atom: %d %.500s", code, body)
	}
	return f
}

// TestFeedRestoredArticleIsNotAnEdit: an article archived two months
// ago (its "new" entry then was urn:tulieu:article:ID:v1), taken down ten
// days ago and back online five days ago with the very same text (what
// Site.Restore does, a page put back from a backup; the crawl counts it
// `changed`, store.recordArticle's revive moves last_changed but adds no
// version).
// What the user sees: /feed.atom announces "… (sửa)", summary "Bài được
// sửa: phiên bản 1", under the id urn:tulieu:article:ID:v1: an edit that
// never happened (the article has one version; `show --versions` and
// `diff` have nothing to show), and under the id of the entry the reader
// was given when the article was new, so a reader that kept it shows
// nothing, or silently rewrites that old entry.
// What they should see: no edit claimed for an article that was not
// edited (README: the feed "announces new versions"; a restoration is
// no new version), and never an id already used for another event.
// Cause: handleFeed (web/feed.go) takes every `changed` with LastChanged
// in the period as an edit and names it ":v"+Versions.
func TestFeedRestoredArticleIsNotAnEdit(t *testing.T) {
	ix, st := openEmptyParts(t)
	ctx := context.Background()
	now := time.Now()
	u := "http://danguykhoithanhhoa.org.vn/tin-tuc/tin-tuc-chung/hoi-nghi-12.html"
	c := store.Content{Kind: store.KindArticle, Title: "Hội nghị tổng kết công tác Đảng năm 2025", Body: "Thân bài của bài viết.",
		BodyHTML: "<p>Thân bài của bài viết.</p>", Category: "Tin tức chung"}
	a := archiveArticle(t, st, ix, u, c, now.AddDate(0, 0, -60))
	if _, err := st.MarkDeleted(ctx, u, now.AddDate(0, 0, -10)); err != nil {
		t.Fatal(err)
	}
	back := archiveArticle(t, st, ix, u, c, now.AddDate(0, 0, -5)) // the same content: no new version
	if back.Versions != 1 {
		t.Fatalf("the restored article has %d versions; the scenario needs 1", back.Versions)
	}
	srv := httptest.NewServer(New(ix, st, Options{}))
	defer srv.Close()
	restored := false
	for _, e := range readReviewFeed(t, srv.URL).Entries {
		if !strings.Contains(e.ID, a.ID) {
			continue
		}
		restored = restored || strings.HasSuffix(e.Title, "(đăng lại)") && strings.Contains(e.ID, ":restored:")
		if strings.HasSuffix(e.Title, "(sửa)") || strings.HasPrefix(e.Summary, "Bài được sửa") {
			t.Errorf("entry %s %q (%s) announces an edit of an article that has one version and was never edited", e.ID, e.Title, e.Summary)
		}
		if e.ID == "urn:tulieu:article:"+a.ID+":v1" {
			t.Errorf("entry %q reuses the id the article's \"new\" entry had when it was first archived", e.ID)
		}
	}
	if !restored {
		t.Errorf("no entry says the article is back online (\"(đăng lại)\", an id of its own)")
	}
}

// TestFeedSecondDeletionIsANewEntry: an article taken down (the feed
// says "… (đã gỡ)" under urn:tulieu:article:ID:deleted), back online, and
// taken down again a week later.
// What the user sees: the second removal comes under the same id as the
// first, urn:tulieu:article:ID:deleted; a feed reader has shown that
// entry already and shows nothing (at most it updates the old item), so
// the second removal from the site is never announced.
// What they should see: one entry per event, as the feed does for edits
// ("a new id at each edit"): the second deletion with an id of its own.
// Cause: handleFeed names every deletion ":deleted" (web/feed.go).
func TestFeedSecondDeletionIsANewEntry(t *testing.T) {
	ix, st := openEmptyParts(t)
	ctx := context.Background()
	now := time.Now()
	u := "http://danguykhoithanhhoa.org.vn/tin-tuc/tu-lieu/cac-ky-dai-hoi-10.html"
	c := store.Content{Kind: store.KindArticle, Title: "Các kỳ Đại hội Đảng bộ Khối", Body: "Thân bài.",
		BodyHTML: "<p>Thân bài.</p>", Category: "Tư liệu"}
	a := archiveArticle(t, st, ix, u, c, now.AddDate(0, 0, -60))
	srv := httptest.NewServer(New(ix, st, Options{}))
	defer srv.Close()
	deletion := func() (id, updated string) {
		for _, e := range readReviewFeed(t, srv.URL).Entries {
			if strings.Contains(e.ID, a.ID) && strings.HasSuffix(e.Title, "(đã gỡ)") {
				return e.ID, e.Updated
			}
		}
		t.Fatalf("no deletion entry for %s in the feed", a.ID)
		return "", ""
	}
	if _, err := st.MarkDeleted(ctx, u, now.AddDate(0, 0, -10)); err != nil {
		t.Fatal(err)
	}
	first, firstAt := deletion()
	archiveArticle(t, st, ix, u, c, now.AddDate(0, 0, -8)) // back online
	if _, err := st.MarkDeleted(ctx, u, now.AddDate(0, 0, -1)); err != nil {
		t.Fatal(err)
	}
	second, secondAt := deletion()
	if secondAt == firstAt {
		t.Fatalf("the second deletion is dated as the first (%s): the scenario did not happen", firstAt)
	}
	if second == first {
		t.Errorf("the second deletion (%s) has the id of the first (%s): %q; a reader that showed the first never shows it", secondAt, firstAt, second)
	}
}

// TestFeedConditionalGet: a feed reader polls /feed.atom every hour or so;
// the whole feed came every time (no ETag, no 304). Now the second poll
// with the ETag is answered 304 with no body, and a new entry changes the
// tag.
func TestFeedConditionalGet(t *testing.T) {
	ix, st := openEmptyParts(t)
	now := time.Now()
	c := store.Content{Kind: store.KindArticle, Title: "Hội nghị tổng kết", Body: "Thân bài.", BodyHTML: "<p>Thân bài.</p>", Category: "Tin tức chung"}
	archiveArticle(t, st, ix, "http://danguykhoithanhhoa.org.vn/tin-tuc/tin-tuc-chung/hoi-nghi-21.html", c, now.AddDate(0, 0, -3))
	srv := httptest.NewServer(New(ix, st, Options{}))
	defer srv.Close()
	poll := func(etag string) (int, string, int) {
		req, _ := http.NewRequest("GET", srv.URL+"/feed.atom", nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("ETag"), len(b)
	}
	code, etag, n := poll("")
	if code != 200 || etag == "" || n == 0 {
		t.Fatalf("first poll: %d, ETag %q, %d bytes", code, etag, n)
	}
	if code, _, n := poll(etag); code != http.StatusNotModified || n != 0 {
		t.Errorf("second poll with If-None-Match %s: %d, %d bytes; want 304 and no body", etag, code, n)
	}
	c.Title = "Kế hoạch học tập"
	archiveArticle(t, st, ix, "http://danguykhoithanhhoa.org.vn/tin-tuc/tin-tuc-chung/ke-hoach-22.html", c, now.AddDate(0, 0, -1))
	if code, etag2, _ := poll(etag); code != 200 || etag2 == etag {
		t.Errorf("after a new article: %d, ETag %q (was %q); want the new feed", code, etag2, etag)
	}
}

// TestFeedNamesAStaticPage: a static page first archived ("Chức năng,
// nhiệm vụ", kind page) was announced as "Bài mới", a new article; the
// changes it comes from now carry each entry's kind, and the feed says
// "Trang mới".
func TestFeedNamesAStaticPage(t *testing.T) {
	ix, st := openEmptyParts(t)
	c := store.Content{Kind: store.KindPage, Title: "Chức năng, nhiệm vụ", Body: "Đảng ủy Khối có chức năng tham mưu.", BodyHTML: "<p>Đảng ủy Khối có chức năng tham mưu.</p>"}
	archiveArticle(t, st, ix, "http://danguykhoithanhhoa.org.vn/tong-quan/chuc-nang-nhiem-vu/21", c, time.Now().AddDate(0, 0, -1))
	srv := httptest.NewServer(New(ix, st, Options{}))
	defer srv.Close()
	f := readReviewFeed(t, srv.URL)
	if len(f.Entries) != 1 || !strings.HasPrefix(f.Entries[0].Summary, "Trang mới") {
		t.Errorf("the feed of one new static page: %+v; want its entry summarised \"Trang mới\"", f.Entries)
	}
}
