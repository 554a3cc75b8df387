package crawler

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tulieu/internal/fixturesite"
	"tulieu/store"
	"tulieu/warc"
)

func TestRequisiteURLs(t *testing.T) {
	page, _ := url.Parse("http://site.test/tin-tuc/bai-1.html")
	body := `<html><head>
<link rel="stylesheet" href="/templates/css/style.css">
<link rel="Alternate StyleSheet" href="alt.css">
<link rel="icon" href="/favicon.ico"><link rel="canonical" href="/tin-tuc/bai-1.html">
</head><body>
<img src="/uploads/images/a.jpg"><img src="anh/b.jpg?w=1&utm_source=x">
<img src="/uploads/images/a.jpg#again">
<img src="data:image/png;base64,AAAA"><img src="javascript:alert(1)"><img src="mailto:a@b.c"><img src="">
<img src="//cdn.example.test/c.jpg" srcset="//cdn.example.test/c-300.jpg 300w, //cdn.example.test/c,800.jpg 800w, //cdn.example.test/c-500.jpg 500w">
<img data-src="/lazy.jpg" src="/placeholder.gif">
<input type="image" src="/nut-gui.png"><input type="text" src="/not-an-image.png">
<a href="/tin-tuc/bai-2.html"><img src="/thumb.jpg"></a>
<script src="/templates/js/main.js"></script>
</body></html>`
	got := requisiteURLs(page, []byte(body))
	want := []string{
		"http://site.test/templates/css/style.css",
		"http://site.test/tin-tuc/alt.css",
		"http://site.test/uploads/images/a.jpg",
		"http://site.test/tin-tuc/anh/b.jpg?w=1",
		"http://cdn.example.test/c.jpg",
		"http://cdn.example.test/c,800.jpg",
		"http://site.test/placeholder.gif",
		"http://site.test/lazy.jpg",
		"http://site.test/nut-gui.png",
		"http://site.test/thumb.jpg",
	}
	if !slices.Equal(got, want) {
		t.Errorf("requisites:\n got %q\nwant %q", got, want)
	}
	// <base href> moves relative URLs.
	got = requisiteURLs(page, []byte(`<head><base href="https://static.example.test/v2/"></head><img src="x.png">`))
	if !slices.Equal(got, []string{"https://static.example.test/v2/x.png"}) {
		t.Errorf("with <base>: %q", got)
	}
}

func TestLargestSrcsetCandidate(t *testing.T) {
	for in, want := range map[string]string{
		"":                              "",
		"a.jpg":                         "a.jpg",
		"a.jpg 1x, b.jpg 2x":            "b.jpg",
		"a.jpg, b.jpg 1.5x":             "b.jpg",
		"a.jpg 2x, b.jpg 100w":          "b.jpg",
		"a.jpg 400w,b.jpg 200w":         "a.jpg",
		"img,w_800.jpg 800w, small.jpg": "img,w_800.jpg",
		"a.jpg bogus, b.jpg 1x":         "b.jpg",
	} {
		if got := largestSrcsetCandidate(in); got != want {
			t.Errorf("srcset %q: got %q, want %q", in, got, want)
		}
	}
}

// cdn is a second host that pages embed images from: its robots.txt keeps
// crawlers out of /private/, its images carry ETags, and one is too big.
type cdn struct {
	hits     sync.Map // path -> *atomic.Int64
	inFlight atomic.Int64
	maxSeen  atomic.Int64
	bigSize  int
	slow     time.Duration
}

func (c *cdn) count(p string) int64 {
	v, _ := c.hits.LoadOrStore(p, new(atomic.Int64))
	return v.(*atomic.Int64).Load()
}

func (c *cdn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v, _ := c.hits.LoadOrStore(r.URL.Path, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
	n := c.inFlight.Add(1)
	defer c.inFlight.Add(-1)
	for m := c.maxSeen.Load(); n > m && !c.maxSeen.CompareAndSwap(m, n); m = c.maxSeen.Load() {
	}
	time.Sleep(c.slow)
	switch {
	case r.URL.Path == "/robots.txt":
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	case r.URL.Path == "/big.jpg":
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(bytes.Repeat([]byte{0xff}, c.bigSize))
	case strings.HasPrefix(r.URL.Path, "/img/") || strings.HasPrefix(r.URL.Path, "/private/"):
		etag := `"` + r.URL.Path + `"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "image/png")
		fmt.Fprintf(w, "\x89PNG fake image %s", r.URL.Path)
	default:
		http.NotFound(w, r)
	}
}

// openStore opens the data directory of a finished crawl for a test to read.
func openStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// archived reads back the bytes archived for url (at: as with CaptureNear),
// following a revisit to the record that holds them.
func archived(t *testing.T, st *store.Store, u string, at time.Time) (*store.Capture, []byte) {
	t.Helper()
	ctx := context.Background()
	c, err := st.CaptureNear(ctx, u, at)
	if err != nil {
		t.Errorf("%s: no capture: %v", u, err)
		return nil, nil
	}
	p, err := st.PayloadCapture(ctx, c.ID)
	if err != nil {
		t.Errorf("%s: payload of capture %d: %v", u, c.ID, err)
		return c, nil
	}
	resp, err := warc.ReadResponse(st.WARCPath(), p.WARCFile, p.WARCOffset)
	if err != nil {
		t.Errorf("%s: WARC record unreadable: %v", u, err)
		return c, nil
	}
	body, _, err := warc.DecodeContent(resp.Payload, resp.Header.Get("Content-Encoding"), 1<<30)
	if err != nil {
		t.Errorf("%s: %v", u, err)
	}
	return c, body
}

func fetchDirect(t *testing.T, u string) []byte {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return b
}

// TestRequisitesOfFixtureSite crawls the fixture site (with validators) and
// a second host serving images, three times: the images of every article
// and static page are archived and found again; the CDN's robots.txt is
// obeyed; an oversize image is cut; listing thumbnails wait for
// ListingImages; a re-crawl asks conditionally and archives revisits; and
// none of it counts as articles.
func TestRequisitesOfFixtureSite(t *testing.T) {
	site, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	_, twin := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	const limit = 64 << 10
	images := &cdn{bigSize: 3 * limit}
	cdnSrv := httptest.NewServer(images)
	t.Cleanup(cdnSrv.Close)
	const cdnPage = "/tin-tuc/tu-lieu/anh-tu-lieu-tren-cdn-990.html"
	site.Add(fixturesite.Article{
		Path: cdnPage, Title: "Ảnh tư liệu về Đảng bộ Khối lưu trên máy chủ khác", DateLine: "Ngày 19/05/2019",
		Time: time.Date(2019, 5, 19, 8, 0, 0, 0, time.UTC),
		BodyHTML: `<p style="text-align: justify;">Ban Thường vụ Đảng ủy Khối giới thiệu bộ ảnh tư liệu về các kỳ đại hội, các hội nghị quan trọng và những hoạt động tiêu biểu của các tổ chức cơ sở đảng trực thuộc trong những năm qua.</p>
<p style="text-align: center;"><img src="` + cdnSrv.URL + `/img/dai-hoi.png" alt="alt" srcset="` + cdnSrv.URL + `/img/dai-hoi-800.png 800w, ` + cdnSrv.URL + `/img/dai-hoi-300.png 300w" /></p>
<p style="text-align: center;"><img src="` + cdnSrv.URL + `/private/ho-so.png" alt="alt" /></p>
<p style="text-align: center;"><img src="` + cdnSrv.URL + `/big.jpg" alt="alt" /></p>
<p style="text-align: justify;">Các bức ảnh được lưu giữ tại Văn phòng Đảng ủy Khối, phục vụ công tác tuyên truyền, giáo dục truyền thống cho cán bộ, đảng viên trong Khối.</p>
`,
	})
	var pages, withImages int
	for _, a := range site.Articles() {
		pages++
		if len(a.Expected.Images) > 0 {
			withImages++
		}
	}
	if withImages == 0 || withImages == pages {
		t.Fatalf("the fixture needs articles with and without images: %d of %d", withImages, pages)
	}
	ctx := context.Background()
	dir := t.TempDir()
	opts := Options{MaxRequisiteSize: limit}

	// First crawl: everything fetched whole.
	sum := crawlOnce(t, dir, srv.URL+"/", opts)
	if sum.New+sum.PagesNew != int64(pages) || sum.PagesNew == 0 || sum.Changed != 0 || sum.Requisites == 0 {
		t.Fatalf("first crawl: %+v; want %d new pages and articles (apart), requisites not among them", sum, pages)
	}
	between := time.Now().UTC()
	st := openStore(t, dir)
	var want []string
	for _, a := range site.Articles() {
		for _, im := range a.Expected.Images {
			want = append(want, srv.URL+im.Src)
		}
	}
	want = append(want, srv.URL+"/templates/images/banner.jpg", srv.URL+"/templates/css/style.css",
		cdnSrv.URL+"/img/dai-hoi.png", cdnSrv.URL+"/img/dai-hoi-800.png")
	for _, u := range want {
		c, body := archived(t, st, u, time.Time{})
		if c == nil {
			continue
		}
		if c.Kind != store.KindRequisite || c.Status != 200 || c.RecordType != "response" || c.Truncated != "" {
			t.Errorf("%s: capture %+v", u, c)
		}
		// The same bytes as the server sends, asked of a twin of the site
		// so that the site's own hit counts stay the crawler's.
		if direct := fetchDirect(t, strings.Replace(u, srv.URL, twin.URL, 1)); len(body) == 0 || !bytes.Equal(body, direct) {
			t.Errorf("%s: archived %d bytes, the server sends %d", u, len(body), len(direct))
		}
		if _, err := st.Article(ctx, u); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s became an article: %v", u, err)
		}
	}
	if n := site.Hits("/templates/images/banner.jpg"); n != 1 {
		t.Errorf("the banner of every page was fetched %d times in one run, want once", n)

	}
	if n := images.count("/robots.txt"); n != 1 {
		t.Errorf("the CDN's robots.txt was fetched %d times, want once", n)
	}
	if n := images.count("/private/ho-so.png"); n != 0 {
		t.Errorf("robots.txt of the CDN disallows /private/, but it was fetched %d times", n)
	}
	if n := images.count("/img/dai-hoi-300.png"); n != 0 {
		t.Errorf("the smaller srcset candidate was fetched too (%d)", n)
	}
	if n := site.Hits("/templates/images/no-image.jpg"); n != 0 {
		t.Errorf("a listing thumbnail was fetched %d times without ListingImages", n)
	}
	big, _ := st.Captures(ctx, cdnSrv.URL+"/big.jpg")
	if len(big) != 1 || big[0].Truncated != "length" || big[0].Length != limit || big[0].Kind != store.KindRequisite {
		t.Errorf("oversize image: %+v", big)
	}
	// The record keeps what came off the wire before the cut: the limit,
	// and perhaps the rest of the last read.
	if c, body := archived(t, st, cdnSrv.URL+"/big.jpg", time.Time{}); c != nil && (len(body) < limit || len(body) >= images.bigSize) {
		t.Errorf("oversize image: %d bytes archived, want about the first %d", len(body), limit)
	}
	if stats, err := st.Stats(ctx); err != nil || stats.Articles+stats.Pages != int64(pages) {
		t.Errorf("catalog stats: %v %+v, want %d articles and pages", err, stats, pages)
	}
	firstRun := len(site.Requests())

	// The requisites of every page were recorded with its capture. Those
	// of half the pages are forgotten, as for pages captured before they
	// were recorded: the second crawl reads those pages back from the
	// archive to find them (and records them), and uses the record for
	// the others.
	raw, err := sql.Open("sqlite", filepath.Join(dir, store.CatalogFile))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var recorded, forgotten int64
	if err := raw.QueryRow("SELECT COUNT(*) FROM page_requisites").Scan(&recorded); err != nil || recorded < int64(pages) {
		t.Fatalf("requisites recorded for %d captures (%v), want one per article and page (%d)", recorded, err, pages)
	}
	res, err := raw.Exec("DELETE FROM page_requisites WHERE capture_id % 2 = 0")
	if err != nil {
		t.Fatal(err)
	}
	if forgotten, _ = res.RowsAffected(); forgotten == 0 || forgotten == recorded {
		t.Fatalf("forgot the requisites of %d captures of %d: the test means some", forgotten, recorded)
	}

	// Second crawl: the pages answer 304, their images are asked again
	// conditionally (found in the record or the archived copies) and
	// answer 304 too.
	sum2 := crawlOnce(t, dir, srv.URL+"/", opts)
	var again int64
	if err := raw.QueryRow("SELECT COUNT(*) FROM page_requisites").Scan(&again); err != nil || again != recorded {
		t.Errorf("after the second crawl, requisites recorded for %d captures (%v), want %d again", again, err, recorded)
	}
	if sum2.New != 0 || sum2.Changed != 0 || sum2.Requisites == 0 {
		t.Fatalf("second crawl: %+v", sum2)
	}
	asked := map[string]fixturesite.RequestLog{}
	for _, r := range site.Requests()[firstRun:] {
		asked[r.Path] = r
	}
	for _, u := range want {
		if !strings.HasPrefix(u, srv.URL) {
			continue
		}
		p := strings.TrimPrefix(u, srv.URL)
		r, ok := asked[p]
		if !ok {
			t.Errorf("%s not asked again on the second crawl", p)
			continue
		}
		if r.Header.Get("If-None-Match") == "" || r.Header.Get("If-Modified-Since") == "" || r.Status != 304 {
			t.Errorf("%s re-asked without validators or not answered 304: %d %v", p, r.Status, r.Header)
		}
	}
	if n := site.Hits("/templates/images/banner.jpg"); n != 2 {
		t.Errorf("banner fetched %d times in two runs, want 2", n)
	}
	for _, u := range want {
		caps, _ := st.Captures(ctx, u)
		if len(caps) != 2 {
			t.Errorf("%s: %d captures after two runs: %+v", u, len(caps), caps)
			continue
		}
		last := caps[1]
		if last.Status != 304 || last.RecordType != "revisit" || last.Kind != store.KindRequisite {
			t.Errorf("%s: second capture %+v, want a 304 revisit", u, last)
			continue
		}
		if rv, err := warc.ReadResponse(st.WARCPath(), last.WARCFile, last.WARCOffset); err != nil || rv.RecordType != "revisit" || rv.Status != 304 {
			t.Errorf("%s: revisit record: %v %+v", u, err, rv)
		}
		// The latest is the revisit, whose bytes are the first capture's;
		// asked for a time between the runs, the first capture itself.
		if c, body := archived(t, st, u, time.Time{}); c != nil && (c.ID != last.ID || len(body) == 0) {
			t.Errorf("%s: latest capture %d (%d bytes), want %d", u, c.ID, len(body), last.ID)
		}
		if c, _ := st.CaptureNear(ctx, u, between); c == nil || c.ID != caps[0].ID {
			t.Errorf("%s: capture near the first run: %+v, want %d", u, c, caps[0].ID)
		}
	}
	// A cut capture is never the base of a conditional request.
	if big, _ := st.Captures(ctx, cdnSrv.URL+"/big.jpg"); len(big) != 2 || big[1].Status != 200 || big[1].Truncated != "length" {
		t.Errorf("oversize image, second run: %+v", big)
	}

	// Third crawl, with ListingImages: the thumbnails of listings too.
	opts.ListingImages = true
	crawlOnce(t, dir, srv.URL+"/", opts)
	// The pages' 304s now revisit the second crawl's revisits: their
	// requisites are checked all the same, through the response capture
	// each revisit names.
	if n := site.Hits("/templates/images/banner.jpg"); n != 3 {
		t.Errorf("banner fetched %d times in three runs, want 3", n)
	}
	var unnamed, named int64
	if err := raw.QueryRow(`SELECT COUNT(*) FILTER (WHERE payload_capture_id IS NULL), COUNT(*) FILTER (WHERE payload_capture_id IS NOT NULL)
		FROM captures WHERE record_type = 'revisit' AND kind IN ('article', 'page')`).Scan(&unnamed, &named); err != nil || unnamed != 0 || named == 0 {
		t.Errorf("revisits of pages: %d without their payload capture, %d with (%v)", unnamed, named, err)
	}
	var wrong int64
	if err := raw.QueryRow(`SELECT COUNT(*) FROM captures r JOIN captures p ON p.id = r.payload_capture_id
		WHERE p.record_type != 'response' OR p.url != r.url`).Scan(&wrong); err != nil || wrong != 0 {
		t.Errorf("%d revisits name a payload capture that is not a response of their URL (%v)", wrong, err)
	}
	if n := site.Hits("/templates/images/no-image.jpg"); n != 1 {
		t.Errorf("with ListingImages the listing thumbnail was fetched %d times, want once", n)
	}
	if c, body := archived(t, st, srv.URL+"/templates/images/no-image.jpg", time.Time{}); c != nil && (c.Kind != store.KindRequisite || len(body) == 0) {
		t.Errorf("listing thumbnail: %+v", c)
	}
	files, _ := warc.Files(st.WARCPath())
	for _, f := range files {
		if n, findings, err := warc.Check(f); err != nil || len(findings) > 0 || n == 0 {
			t.Errorf("%s: %d records, %v, %v", f, n, findings, err)
		}
	}
}

// TestRequisitesArePolite: requisites on another host obey its delay and
// are never more in flight there than Parallel; a transient failure is
// retried, and a requisite that keeps failing counts apart from page
// errors.
func TestRequisitesArePolite(t *testing.T) {
	images := &cdn{slow: 30 * time.Millisecond}
	var flaky atomic.Int64
	cdnMux := http.NewServeMux()
	cdnMux.Handle("/", images)
	cdnMux.HandleFunc("/img/flaky.png", func(w http.ResponseWriter, r *http.Request) {
		images.ServeHTTP(httptest.NewRecorder(), r) // counted and timed like the rest
		if flaky.Add(1) == 1 {
			http.Error(w, "busy", http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG flaky"))
	})
	cdnMux.HandleFunc("/img/gone.png", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	cdnSrv := httptest.NewServer(cdnMux)
	defer cdnSrv.Close()
	var imgs strings.Builder
	for i := range 6 {
		fmt.Fprintf(&imgs, `<img src="%s/img/anh-%d.png">`, cdnSrv.URL, i)
	}
	fmt.Fprintf(&imgs, `<img src="%[1]s/img/flaky.png"><img src="%[1]s/img/gone.png">`, cdnSrv.URL)
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/bai-co-anh.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><title>Bài có ảnh</title></head><body><div class="breadcrumb">Trang chủ / Tin tức / Bài có ảnh</div>
<h1>Bài có ảnh</h1><div class="date">Ngày 28/02/2020</div><div class="content"><p>%[1]s</p>%[2]s<p>%[1]s</p></div></body></html>`,
			"Hội nghị Ban Chấp hành Đảng bộ Khối đã diễn ra tại Thanh Hóa với sự tham dự của đông đủ các đồng chí ủy viên và đại biểu khách mời.", imgs.String())
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	const delay = 100 * time.Millisecond
	sum, st := runCrawl(t, srv.URL+"/bai-co-anh.html", Options{Delay: delay, Parallel: 2, RetryBase: 10 * time.Millisecond, MaxRetries: 2})
	if sum.New != 1 || sum.Errors != 0 || sum.Requisites != 7 || sum.RequisiteErrors != 1 {
		t.Fatalf("summary: %+v; want 1 new article, 7 requisites, 1 requisite error, no page error", sum)
	}
	if m := images.maxSeen.Load(); m > 2 {
		t.Errorf("%d requests in flight at the CDN, want at most Parallel (2)", m)
	}
	// Every request to the CDN (robots.txt, images, the retry) started
	// the delay after the one before.
	var starts []time.Time
	for _, c := range mustCaptures(t, st, cdnSrv.URL+"/") {
		starts = append(starts, c.FetchedAt)
	}
	slices.SortFunc(starts, func(a, b time.Time) int { return a.Compare(b) })
	if len(starts) != 10 { // robots.txt, 6 images, flaky twice, gone once
		t.Fatalf("%d requests to the CDN, want 10", len(starts))
	}
	// Start times are booked the delay apart; a busy machine may wake one
	// a little late, so the gaps are checked loosely and the whole span
	// strictly, as in TestCrawlDelayFromRobots.
	for i := 1; i < len(starts); i++ {
		if gap := starts[i].Sub(starts[i-1]); gap < delay/2 {
			t.Errorf("requests %d and %d to the CDN only %v apart, want %v", i-1, i, gap, delay)
		}
	}
	if span := starts[len(starts)-1].Sub(starts[0]); span < time.Duration(len(starts)-1)*delay-20*time.Millisecond {
		t.Errorf("%d requests to the CDN in %v: the delay of %v was not kept", len(starts), span, delay)
	}
}

// mustCaptures lists every capture of URLs that start with prefix.
func mustCaptures(t *testing.T, st *store.Store, prefix string) []store.Capture {
	t.Helper()
	rows, err := st.DB().Query("SELECT id FROM captures WHERE url LIKE ? || '%' ORDER BY id", prefix)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	var out []store.Capture
	for _, id := range ids {
		c, err := st.CaptureByID(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, *c)
	}
	return out
}
