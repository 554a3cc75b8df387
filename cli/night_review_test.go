package cli

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"tulieu/internal/testdocs"
)

// These tests came from a review of the nightly job as its administrator
// reads it; each comment tells what a night did before its fix.
//
// A small imitation of the party site for the nightly review tests: a
// home page that is the site's chrome and a link to its one listing, a
// listing of articles, articles with a date, a byline and attachments, all
// served with ETags and answering If-None-Match with 304, as a CMS behind
// a cache does. The test changes it between nights.

type znSite struct {
	mu        sync.Mutex
	articles  []znArticle
	files     map[string][]byte // attachments by path
	mode      string            // "", "maintenance" (every page a 200 maintenance page), "503" (every page but robots.txt)
	gone      map[string]int    // pages taken down: their status (404, 410), whether listed or not
	homeWhole bool              // the home page ignores If-None-Match (always sent whole)
	reqs      []znReq
	srv       *httptest.Server
}

type znArticle struct{ path, title, date, body, links string }

type znReq struct {
	path        string
	conditional bool
	status      int
}

const znChromeTop = `<html><head><meta charset="utf-8"><title>%s - Đảng ủy Khối các cơ quan tỉnh Thanh Hóa</title></head><body>
<div id="menu"><a href="/">Trang chủ</a> <a href="/tin-tuc/tin-tuc-chung/">Tin tức chung</a> <a href="/gioi-thieu/tong-quan.html">Tổng quan</a></div>
<div id="sidebar">Liên kết: <a href="http://thanhhoa.gov.vn/">Cổng TTĐT</a></div>
`

const znFoot = `<div id="footer">Bản quyền thuộc Đảng ủy Khối các cơ quan tỉnh Thanh Hóa. Địa chỉ: 35 Hạc Thành.</div></body></html>`

func znPara(i, k int) string {
	return fmt.Sprintf("Đoạn %d của bài %d: Đảng ủy Khối các cơ quan tỉnh tổ chức hội nghị quán triệt nghị quyết, các đồng chí đảng viên thảo luận sôi nổi về nhiệm vụ trọng tâm năm %d.", k, i, 2020+i)
}

func znArticleN(i int) znArticle {
	return znArticle{
		path:  fmt.Sprintf("/tin-tuc/tin-tuc-chung/bai-viet-%d.html", i),
		title: fmt.Sprintf("Hội nghị quán triệt nghị quyết số %d của Ban Thường vụ", i),
		date:  fmt.Sprintf("Ngày %02d/10/2026", i),
		body:  "<p>" + znPara(i, 1) + "</p><p>" + znPara(i, 2) + "</p><p>" + znPara(i, 3) + "</p>",
	}
}

func newZNSite(t *testing.T, n int) *znSite {
	t.Helper()
	s := &znSite{files: map[string][]byte{}}
	for i := 1; i <= n; i++ {
		s.articles = append(s.articles, znArticleN(i))
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *znSite) set(f func(s *znSite)) { s.mu.Lock(); f(s); s.mu.Unlock() }

func (s *znSite) requests() []znReq {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]znReq(nil), s.reqs...)
}

func (s *znSite) page(p string) (body []byte, ct string, ok bool) {
	switch {
	case p == "/":
		return []byte(fmt.Sprintf(znChromeTop, "Trang chủ") + `<a href="/tin-tuc/tin-tuc-chung/">Tin tức chung</a>` + znFoot), "text/html; charset=utf-8", true
	case p == "/gioi-thieu/tong-quan.html":
		return []byte(fmt.Sprintf(znChromeTop, "Tổng quan") + `<div class="breadcrumb"><a href="/">Trang chủ</a> » Giới thiệu</div><h1 class="title">Tổng quan về Đảng bộ Khối</h1><div class="content"><p>Đảng bộ Khối các cơ quan tỉnh Thanh Hóa được thành lập năm 1990, hiện có nhiều tổ chức cơ sở đảng trực thuộc với hàng nghìn đảng viên.</p><p>Đảng bộ Khối luôn hoàn thành tốt nhiệm vụ chính trị được giao.</p></div>` + znFoot), "text/html; charset=utf-8", true
	case p == "/tin-tuc/tin-tuc-chung/":
		var b strings.Builder
		b.WriteString(fmt.Sprintf(znChromeTop, "Tin tức chung") + `<div class="list">`)
		for _, a := range s.articles {
			fmt.Fprintf(&b, `<div class="item"><a href="%s">%s</a></div>`, a.path, a.title)
		}
		b.WriteString(`</div>` + znFoot)
		return []byte(b.String()), "text/html; charset=utf-8", true
	}
	for _, a := range s.articles {
		if a.path == p {
			h := fmt.Sprintf(znChromeTop, a.title) +
				`<div class="breadcrumb"><a href="/">Trang chủ</a> » <a href="/tin-tuc/tin-tuc-chung/">Tin tức chung</a></div>` +
				`<div class="news-detail"><h1 class="title">` + a.title + `</h1><div class="date">` + a.date + `</div><div class="content">` +
				a.body + a.links + `<p style="text-align:right"><strong>Nguyễn Văn An</strong></p></div></div>` + znFoot
			return []byte(h), "text/html; charset=utf-8", true
		}
	}
	if b, ok := s.files[p]; ok {
		ct := "application/pdf"
		if strings.HasSuffix(p, ".docx") {
			ct = docxType
		}
		return b, ct, true
	}
	return nil, "", false
}

func (s *znSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	status := http.StatusOK
	defer func() {
		s.reqs = append(s.reqs, znReq{path: r.URL.Path, conditional: r.Header.Get("If-None-Match") != "", status: status})
	}()
	if r.URL.Path == "/robots.txt" {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "User-agent: *\nDisallow: /admin/\n")
		return
	}
	switch s.mode {
	case "maintenance":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>Bảo trì</title></head><body><p>Hệ thống đang bảo trì.</p></body></html>`)
		return
	case "503":
		status = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", "1")
		http.Error(w, "Service Unavailable", status)
		return
	}
	if st := s.gone[r.URL.Path]; st != 0 {
		status = st
		http.Error(w, "Không tìm thấy", st)
		return
	}
	body, ct, ok := s.page(r.URL.Path)
	if !ok {
		status = http.StatusNotFound
		http.NotFound(w, r)
		return
	}
	etag := fmt.Sprintf(`"%x"`, sha1.Sum(body))
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag && !(s.homeWhole && r.URL.Path == "/") {
		status = http.StatusNotModified
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Write(body)
}

// znNight crawls the site as the systemd unit does (JSON summary), with
// politeness off, and returns the summary, the exit code and the requests
// the night made.
func znNight(t *testing.T, data string, s *znSite, extra ...string) (crawlSummary, int, []znReq, string) {
	t.Helper()
	before := len(s.requests())
	args := append([]string{"crawl", "--site", s.srv.URL + "/", "--delay", "0", "--parallel", "2", "--retries", "0", "--json"}, extra...)
	code, out, errOut := run(t, data, args...)
	var sum crawlSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("crawl exited %d and printed %q (%v); stderr %s", code, out, err, errOut)
	}
	return sum, code, s.requests()[before:], errOut
}

// TestNightNewArticleOnListingFoundWhenHomeUnchanged: the site's home page
// is its chrome and a link to the news listing (the CMS prints no article
// on it), and the site answers If-None-Match with 304. Night 1 archives
// everything. During the day one article is added to the listing, nothing
// else changes. Night 2 asks the start URL "/" conditionally (it was
// recorded as a static page), gets a 304, follows none of its links, every
// known article answers 304 too, so the listing is never fetched and the
// new article is not found: the summary says new 0, night after night, for
// as long as the home page's bytes stay the same. The README: "Listings and
// start URLs are always fetched (they are how new articles are found)".
func TestNightNewArticleOnListingFoundWhenHomeUnchanged(t *testing.T) {
	s := newZNSite(t, 4)
	data := t.TempDir()
	s1, code, _, errOut := znNight(t, data, s)
	if code != ExitOK || s1.New != 4 {
		t.Fatalf("night 1: exit %d, %+v (%s)", code, s1, errOut)
	}
	s.set(func(s *znSite) {
		a := znArticleN(5)
		a.title = "Bài thứ năm về công tác dân vận khéo"
		a.body = "<p>Công tác dân vận khéo được các chi bộ triển khai sâu rộng trong toàn Đảng bộ Khối, đạt nhiều kết quả nổi bật trong năm.</p><p>Đoạn thứ hai của bài thứ năm nói về kết quả đạt được và phương hướng năm tới.</p>"
		s.articles = append(s.articles, a)
	})
	s2, code, reqs, errOut := znNight(t, data, s)
	listing := false
	for _, r := range reqs {
		if r.path == "/tin-tuc/tin-tuc-chung/" {
			listing = true
		}
	}
	if code != ExitOK || s2.New != 1 || !listing {
		var start []string
		for _, r := range reqs {
			if r.path == "/" {
				start = append(start, fmt.Sprintf("conditional=%v status=%d", r.conditional, r.status))
			}
		}
		t.Errorf("night 2 (one article added to the listing): exit %d, new %d, listing fetched %v; start URL asked %v; want the listing fetched and new 1 (%s)",
			code, s2.New, listing, start, errOut)
	}
	if r := search(t, data, "dân vận khéo"); r.Total != 1 {
		t.Errorf("night 2: search for the added article finds %d", r.Total)
	}
}

// TestNightReplacedAttachmentOfUnchangedArticle: an article attaches a
// plan as a DOCX; during the day the site replaces the file at the same
// address with an amended plan, the article's page itself unchanged
// (answering 304). The next night never asks for the document again (it
// is asked only when its article is fetched whole), so the archive has no
// copy of the amended plan and search does not find what it says, while
// the same site served without validators would have had it re-fetched.
// The admin is told "unchanged" and the archive silently keeps the old
// plan for as long as the page's bytes stay the same.
func TestNightReplacedAttachmentOfUnchangedArticle(t *testing.T) {
	s := newZNSite(t, 2)
	const doc = "/uploads/ke-hoach-7.docx"
	s.set(func(s *znSite) {
		s.articles[0].links = `<p>Tệp đính kèm: <a href="` + doc + `">Kế hoạch số 7</a></p>`
		s.files[doc] = testdocs.DOCX("KẾ HOẠCH số 7 về công tác tuyên truyền khuyến nông")
	})
	data := t.TempDir()
	if s1, code, _, errOut := znNight(t, data, s); code != ExitOK || s1.New != 2 {
		t.Fatalf("night 1: exit %d, %+v (%s)", code, s1, errOut)
	}
	if r := search(t, data, "khuyến nông"); r.Total != 1 {
		t.Fatalf("night 1: the plan's text is not searchable (%d hits)", r.Total)
	}
	s.set(func(s *znSite) {
		s.files[doc] = testdocs.DOCX("KẾ HOẠCH số 7 sửa đổi về công tác tuyên truyền chuyển đổi số nông nghiệp")
	})
	_, code, reqs, errOut := znNight(t, data, s)
	asked := false
	for _, r := range reqs {
		if r.path == doc {
			asked = true
		}
	}
	if code != ExitOK || !asked {
		t.Errorf("night 2 (the attachment replaced at its address): exit %d, the document asked again: %v (%s)", code, asked, errOut)
	}
	if r := search(t, data, "tep:sửa đổi"); r.Total != 1 {
		t.Errorf("night 2: search finds %d articles by the amended plan's words", r.Total)
	}
}

// TestNightAfterMaintenanceNightStaysConditional: one night the site
// sends its maintenance page as a 200 for every address (the crawl rightly
// keeps every article and exits 5). The night after, the site is back,
// unchanged: every article should answer 304 as on any night with no
// change. But the maintenance captures were taken for the articles' last
// good copies (kind "other", no validators), so every article is fetched
// whole again: a night with no change fetches the whole site.
func TestNightAfterMaintenanceNightStaysConditional(t *testing.T) {
	s := newZNSite(t, 4)
	data := t.TempDir()
	if s1, code, _, errOut := znNight(t, data, s); code != ExitOK || s1.New != 4 {
		t.Fatalf("night 1: exit %d, %+v (%s)", code, s1, errOut)
	}
	s.set(func(s *znSite) { s.mode = "maintenance" })
	if s2, code, _, _ := znNight(t, data, s); code != ExitErrorRate || s2.Changed+s2.Deleted != 0 {
		t.Fatalf("night 2 (maintenance page): exit %d, %+v", code, s2)
	}
	s.set(func(s *znSite) { s.mode = "" })
	s3, code, reqs, errOut := znNight(t, data, s)
	if code != ExitOK || s3.Unchanged != 4 || s3.Changed+s3.New != 0 {
		t.Errorf("night 3 (back, unchanged): exit %d, %+v (%s)", code, s3, errOut)
	}
	var whole []string
	for _, r := range reqs {
		if strings.HasPrefix(r.path, "/tin-tuc/tin-tuc-chung/bai-viet-") && r.status == http.StatusOK {
			whole = append(whole, fmt.Sprintf("%s (conditional %v)", r.path, r.conditional))
		}
	}
	if len(whole) > 0 {
		t.Errorf("night 3 (no change since night 1): %d articles fetched whole instead of answering 304: %v", len(whole), whole)
	}
}

// TestNightSiteAnswering503IsUnreachable: the site is down behind its
// proxy, which answers 503 with Retry-After to every page (robots.txt
// still served from a cache). Not one page could be fetched, as on a night
// the connection is refused, but the summary says status "completed" and
// the exit code is 5 (too many errors), not 4 "a crawl reached none of its
// start URLs (site unreachable…)" with status "failed" and a note saying
// why, as the connection-refused night gets.
func TestNightSiteAnswering503IsUnreachable(t *testing.T) {
	s := newZNSite(t, 3)
	data := t.TempDir()
	if s1, code, _, errOut := znNight(t, data, s); code != ExitOK || s1.New != 3 {
		t.Fatalf("night 1: exit %d, %+v (%s)", code, s1, errOut)
	}
	s.set(func(s *znSite) { s.mode = "503" })
	s2, code, _, errOut := znNight(t, data, s)
	if code != ExitUnreachable || s2.Status != "failed" || s2.Note == "" || s2.Deleted != 0 {
		t.Errorf("night 2 (every page 503): exit %d, status %q, note %q, deleted %d; want exit %d, failed, a note (%s)",
			code, s2.Status, s2.Note, s2.Deleted, ExitUnreachable, errOut)
	}
}

// TestNightTombstoneStillLinkedIsNoError: an article is taken down (404)
// but the CMS's listing still links to it, as listings often do for weeks.
// Night 2 rightly counts it deleted. Night 3, nothing changed: the
// tombstone is asked again through the listing's link, answers 404 as the
// night before, and is counted in `errors` with a "broken link" warning,
// every night from then on, pushing the error rate towards exit 5 though
// nothing failed: the archive already knows the article is gone.
func TestNightTombstoneStillLinkedIsNoError(t *testing.T) {
	s := newZNSite(t, 5)
	data := t.TempDir()
	if s1, code, _, errOut := znNight(t, data, s); code != ExitOK || s1.New != 5 {
		t.Fatalf("night 1: exit %d, %+v (%s)", code, s1, errOut)
	}
	// Taken down: the page answers 404, the listing still lists it, and
	// the home page changes so that the listing is fetched (see
	// TestNightNewArticleOnListingFoundWhenHomeUnchanged).
	gone := s.articles[2].path
	s.set(func(s *znSite) { s.gone = map[string]int{gone: http.StatusNotFound}; s.homeWhole = true })
	s2, code, _, errOut := znNight(t, data, s)
	if code != ExitOK || s2.Deleted != 1 || s2.Errors != 0 {
		t.Fatalf("night 2 (one article 404, still listed): exit %d, %+v (%s)", code, s2, errOut)
	}
	s3, code, reqs, errOut := znNight(t, data, s)
	asked := false
	for _, r := range reqs {
		asked = asked || r.path == gone
	}
	if !asked {
		t.Fatalf("night 3: the listed tombstone was not asked; the test does not show what it means to")
	}
	if code != ExitOK || s3.Deleted != 0 || s3.Errors != 0 {
		t.Errorf("night 3 (nothing changed since night 2): exit %d, deleted %d, errors %d; want 0 errors: the tombstone still answering 404 is no failure (%s)",
			code, s3.Deleted, s3.Errors, errOut)
	}
}
