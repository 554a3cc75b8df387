package cli

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"tulieu/internal/fixturesite"
)

// These tests came from a review of the page in a real browser and of
// serve as an office runs it; each comment says what went wrong before
// the fix.

// reviewBrowser starts a headless chromium of the given width and returns a
// context driving it and an eval helper.
func reviewBrowser(t *testing.T, width, height int) (context.Context, func(js string) string) {
	t.Helper()
	ctx := startBrowser(t, width, height, 120*time.Second)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height), chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return strings.TrimSpace(v)
	}
	return ctx, eval
}

// reviewOpen navigates and waits until every image has loaded or failed.
func reviewOpen(t *testing.T, ctx context.Context, eval func(string) string, u string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.Query("body")); err != nil {
		t.Fatalf("open %s: %v", u, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for eval(`String(document.readyState === "complete" && [...document.images].every(i => i.complete))`) != "true" && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
}

// TestPermalinkOfAnArticleReadThroughItsPrintVersion: an article whose
// page names another URL canonical (here the only link to it is its print
// version, /in/bai-1, which says <link rel="canonical" href="/tin/bai-1.html">)
// is stored under the canonical URL, while its capture is of the URL it
// was fetched at. The article page's citation builds its permalink from the
// canonical URL (/archive?url=<canonical>&at=…), which the archive never
// captured: the researcher's citation leads to "Kho lưu trữ không có bản
// lưu này" (404), though "xem trang như lúc lưu" (by capture id) shows it.
func TestPermalinkOfAnArticleReadThroughItsPrintVersion(t *testing.T) {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><body><a href="/in/bai-1">In bài viết</a></body></html>`)
		case "/in/bai-1":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><head><title>Bài 1</title><link rel="canonical" href="/tin/bai-1.html"></head><body>
<h1>Hội nghị lần thứ nhất của Đảng bộ Khối</h1><p>Đảng bộ Khối các cơ quan tỉnh tổ chức hội nghị lần thứ nhất để bàn về công tác xây dựng Đảng.</p>
<p>Hội nghị thống nhất các giải pháp trọng tâm trong thời gian tới và giao nhiệm vụ cho các tổ chức cơ sở đảng.</p></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()
	data := t.TempDir()
	crawl(t, data, site.URL+"/")
	r := search(t, data, "hội nghị lần thứ nhất")
	if r.Total != 1 {
		t.Fatalf("the article: %+v", r)
	}
	addr := startServe(t, data, ServeOptions{})
	code, body := getBody(t, "http://"+addr+"/article/"+r.Hits[0].ID)
	i := strings.Index(body, `id="citation"`)
	if code != 200 || i < 0 {
		t.Fatalf("article page: %d %.300s", code, body)
	}
	cit := html.UnescapeString(body[i:])
	cit = cit[:strings.Index(cit, "</p>")]
	j := strings.Index(cit, "http://"+addr+"/archive?")
	if j < 0 {
		t.Fatalf("no permalink in the citation: %s", cit)
	}
	perm := strings.TrimSuffix(strings.Fields(cit[j:])[0], ".")
	code, pb := getBody(t, perm)
	if code != 200 || !strings.Contains(pb, "tulieu-banner") {
		msg := pb
		if k := strings.Index(pb, `id="error">`); k >= 0 {
			msg = pb[k+len(`id="error">`):]
			msg = msg[:strings.Index(msg, "<")]
		}
		t.Errorf("the citation's permalink %s answers %d (%s); the capture is of %s/in/bai-1", perm, code, msg, site.URL)
	}
}

var (
	rawMu     sync.Mutex
	rawStatus []string // what came of the browser's requests to /raw: a status, or why it failed
	rawReqs   = map[network.RequestID]bool{}
)

// reviewSignIn makes the browser answer the server's basic-auth challenge as a
// person does at the login prompt: for a page (a top-level document) it
// gives user and token; any other challenge gets the browser's default
// (no prompt for a subresource), and its URL is recorded.
func reviewSignIn(t *testing.T, ctx context.Context, user, token string) (challenged func() []string) {
	t.Helper()
	type evt struct{ v any }
	ch := make(chan evt, 1024)
	if err := chromedp.Listen(ctx, func(ev any) {
		rawMu.Lock()
		switch r := ev.(type) {
		case *network.EventRequestWillBeSent:
			if strings.Contains(r.Request.URL, "/raw?") {
				rawReqs[r.RequestID] = true
			}
		case *network.EventResponseReceived:
			if rawReqs[r.RequestID] {
				rawStatus = append(rawStatus, fmt.Sprint(r.Response.Status))
			}
		case *network.EventLoadingFailed:
			if rawReqs[r.RequestID] {
				rawStatus = append(rawStatus, r.ErrorText)
			}
		}
		rawMu.Unlock()
		switch ev.(type) {
		case *fetch.EventRequestPaused, *fetch.EventAuthRequired:
			select {
			case ch <- evt{ev}:
			default:
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var subs []string
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case e := <-ch:
				switch ev := e.v.(type) {
				case *fetch.EventRequestPaused:
					chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
				case *fetch.EventAuthRequired:
					resp := &fetch.AuthChallengeResponse{Response: fetch.AuthChallengeResponseResponseDefault}
					if ev.ResourceType == network.ResourceTypeDocument {
						resp = &fetch.AuthChallengeResponse{Response: fetch.AuthChallengeResponseResponseProvideCredentials, Username: user, Password: token}
					} else {
						mu.Lock()
						subs = append(subs, ev.Request.URL)
						mu.Unlock()
					}
					chromedp.Call(ctx, fetch.ContinueWithAuth, fetch.ContinueWithAuthParams{RequestID: ev.RequestID, AuthChallengeResponse: resp})
				}
			}
		}
	}()
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{HandleAuthRequests: &yes}); err != nil {
		t.Fatal(err)
	}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), subs...)
	}
}

// TestAuthTokenArchivedCopyLoadsItsImages: an office admin shares the
// archive with `tulieu serve --auth-token`; a colleague signs in at the
// browser's prompt (HTTP basic auth, as the README says browsers ask) and
// opens an article, whose images load, then "xem trang như lúc lưu", the
// archived copy. That copy is served under a CSP sandbox (an opaque
// origin); its images and stylesheet are requested from /raw by that
// opaque origin, which the browser does not give the credentials it holds
// for the server: the guard answers 401 (with Cross-Origin-Resource-Policy:
// same-origin, so Chromium reports ERR_BLOCKED_BY_RESPONSE.NotSameOrigin),
// and the archived copy shows broken images and no styles. Without a token
// the same steps load them.
func TestAuthTokenArchivedCopyLoadsItsImages(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	const token = "office-token-0123456789"
	addr := startServe(t, data, ServeOptions{AuthToken: token})
	id := search(t, data, "Chủ tịch Hồ Chí Minh với Thanh Hóa").Hits[0].ID
	ctx, eval := reviewBrowser(t, 1200, 900)
	challenged := reviewSignIn(t, ctx, "dongnghiep", token)
	base := "http://" + addr

	reviewOpen(t, ctx, eval, base+"/article/"+id)
	if got := eval(`String([...document.querySelectorAll("#body img")].filter(i => i.naturalWidth > 0).length)`); got == "0" {
		t.Fatalf("control: the article page's own images did not load after signing in (%s); challenged: %q",
			eval(`document.body.innerText.slice(0, 200)`), challenged())
	}

	reviewOpen(t, ctx, eval, base+"/article/"+id+"/archived")
	if !strings.Contains(eval(`(document.getElementById("tulieu-banner") || {innerText: ""}).innerText`), "Bản lưu của") {
		t.Fatalf("not the archived copy: %.300s", eval(`document.body.innerText`))
	}
	imgs := eval(`[...document.images].map(i => i.naturalWidth + " " + new URL(i.src).pathname).join("; ")`)
	rawMu.Lock()
	statuses := fmt.Sprint(rawStatus)
	rawMu.Unlock()
	loaded := eval(`String([...document.images].filter(i => i.naturalWidth > 0).length)`)
	if loaded == "0" {
		t.Errorf("signed in with the --auth-token, the archived copy's images do not load (naturalWidth, path): %s; "+
			"what came of the browser's /raw requests: %s", imgs, statuses)
	}
}

// TestSecondServeSaysWhoServes: the admin starts `tulieu serve` on a data
// directory that a server already serves (say the systemd unit is running).
// The second one waits for the index lock, then exits with "open search
// index …: index: in use by another process: … (timeout)": it does not say
// that a tulieu serve already serves this directory, nor where (serve.json
// names its address and pid), nor what to do — which the README promises of
// every error ("what is wrong and what to do").
func TestSecondServeSaysWhoServes(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	addr := startServe(t, data, ServeOptions{})
	code, _, errOut := run(t, data, "serve", "--addr", "127.0.0.1:0")
	if code == 0 {
		t.Fatalf("a second serve on the same data directory ran")
	}
	if !strings.Contains(errOut, addr) && !strings.Contains(errOut, strconv.Itoa(os.Getpid())) {
		t.Errorf("a second serve on a served data directory: exit %d, %q: it names neither the running server's address (%s) nor its pid", code, strings.TrimSpace(errOut), addr)
	}
}

// reviewLongSite serves one article of the kind party sites publish: a source
// URL written out in the text, and a table of documents.
func reviewLongSite(t *testing.T) string {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><body><a href="/tin/bai-1.html">bài</a></body></html>`)
		case "/tin/bai-1.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><head><title>Bài 1</title></head><body>
<h1>Danh mục văn bản hướng dẫn công tác xây dựng Đảng năm 2020</h1><p>Ngày 12/03/2020</p><div class="content"><p>Đảng ủy Khối các cơ quan tỉnh tổng hợp danh mục văn bản hướng dẫn công tác xây dựng Đảng năm 2020 để các tổ chức cơ sở đảng nghiên cứu, triển khai thực hiện.</p>
<p>Toàn văn xem tại http://www.thanhhoa.gov.vn/portal/Pages/2020-3-12/Huong-dan-cong-tac-xay-dung-Dang-nam-2020-cua-Dang-uy-Khoi-cac-co-quan-tinh-va-cac-van-ban-lien-quan.aspx và trên cổng thông tin điện tử của tỉnh.</p>
<table border="1"><tr><th>Số TT</th><th>Số, ký hiệu văn bản</th><th>Ngày ban hành</th><th>Trích yếu nội dung văn bản</th><th>Cơ quan ban hành</th><th>Ghi chú</th></tr>
<tr><td>1</td><td>Hướng dẫn số 12-HD/ĐUK</td><td>12/03/2020</td><td>Hướng dẫn công tác kiểm tra, giám sát năm 2020 của Đảng ủy Khối các cơ quan tỉnh</td><td>Đảng ủy Khối các cơ quan tỉnh Thanh Hóa</td><td>Bản chính</td></tr></table>
<p>Các tổ chức cơ sở đảng căn cứ danh mục trên để tổ chức nghiên cứu, quán triệt và triển khai thực hiện nghiêm túc, hiệu quả.</p></div></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(site.Close)
	return site.URL + "/"
}

// reviewOverflow is how far the page is wider than a phone's screen, and the
// elements that stick out.
func reviewOverflow(eval func(string) string) (int, string) {
	n, _ := strconv.Atoi(eval(`String(document.documentElement.scrollWidth - document.documentElement.clientWidth)`))
	wide := eval(`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 6).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : "") + " to " + Math.round(e.getBoundingClientRect().right) + "px").join(", ")`)
	return n, wide
}

// TestPhoneSearchResultsWithALongURL: on a 400 px phone, a result whose
// snippet holds a URL (articles often cite their source that way) makes
// the results column and the facets wider than the screen: the grid's 1fr
// column grows to the URL's unbreakable run (grid items keep min-width:
// auto), so the page scrolls sideways and the right edge of every result,
// the counts of the facets included, is cut off.
func TestPhoneSearchResultsWithALongURL(t *testing.T) {
	data := t.TempDir()
	crawl(t, data, reviewLongSite(t))
	addr := startServe(t, data, ServeOptions{})
	ctx, eval := reviewBrowser(t, 400, 900)
	reviewOpen(t, ctx, eval, "http://"+addr+"/search?q=portal")
	if eval(`String(document.querySelectorAll(".hit").length)`) != "1" {
		t.Fatalf("the search found no result: %.300s", eval(`document.body.innerText`))
	}
	checkFitsPhone(t, ctx, eval, "the results page", "phone-search-long-url.png")
}

// TestPhoneFilterPanelOpen: with a filter or a sort chosen, the search
// page opens its "Lọc và sắp xếp" panel; on a 390 px phone the sort list,
// as wide as its longest choice, and the date fields stuck out of the
// screen and the page scrolled sideways.
func TestPhoneFilterPanelOpen(t *testing.T) {
	data := t.TempDir()
	crawl(t, data, reviewLongSite(t))
	addr := startServe(t, data, ServeOptions{})
	ctx, eval := reviewBrowser(t, 390, 844)
	reviewOpen(t, ctx, eval, "http://"+addr+"/search?q=portal&sort=newest&from=2020-01-01")
	if eval(`String(document.querySelector("form.search details").open)`) != "true" {
		t.Fatalf("the filter panel is not open: %.300s", eval(`document.body.innerText`))
	}
	checkFitsPhone(t, ctx, eval, "the search page with its filter panel open", "phone-filters-open.png")
}

// TestPhoneArticleWithATable: an article holding a table of documents
// (a common shape on these sites) is wider than a 400 px phone: the
// stylesheet's table{max-width:100%} cannot shrink a table below its
// content, and nothing lets the table scroll on its own, so the whole
// article page scrolls sideways.
func TestPhoneArticleWithATable(t *testing.T) {
	data := t.TempDir()
	crawl(t, data, reviewLongSite(t))
	r := search(t, data, "")
	addr := startServe(t, data, ServeOptions{})
	ctx, eval := reviewBrowser(t, 400, 900)
	reviewOpen(t, ctx, eval, "http://"+addr+"/article/"+r.Hits[0].ID)
	if eval(`String(document.querySelectorAll("#body table").length)`) != "1" {
		t.Fatalf("the article page has no table: %.300s", eval(`document.getElementById("body").innerHTML`))
	}
	checkFitsPhone(t, ctx, eval, "the article page", "phone-article-table.png")
}

// TestArchivedCopyBannerLeadsBack: the citation's permalink opens the
// archived copy; its banner names the URL and time but links nowhere, and
// every other link on the page leads to more archived pages of the site.
// A reader who arrives from a citation has no way to the article's record
// (versions, attachments, citation) or to the search page but editing the
// address: the banner's "tulieu" is plain text.
func TestArchivedCopyBannerLeadsBack(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	id := search(t, data, "Chủ tịch Hồ Chí Minh với Thanh Hóa").Hits[0].ID
	addr := startServe(t, data, ServeOptions{})
	code, body := getBody(t, "http://"+addr+"/article/"+id+"/archived")
	i := strings.Index(body, `id="tulieu-banner"`)
	if code != 200 || i < 0 {
		t.Fatalf("archived copy: %d %.200s", code, body)
	}
	banner := body[i:]
	banner = banner[:strings.Index(banner, "</div>")]
	if !strings.Contains(banner, "<a ") {
		t.Errorf("the archived copy's banner has no link back to tulieu (the article's record or the search page): %s", banner)
	}
}

// checkFitsPhone fails t, with a screenshot as an artifact, when the
// page open in the 400 px browser is wider than its screen.
func checkFitsPhone(t *testing.T, ctx context.Context, eval func(string) string, what, shot string) {
	t.Helper()
	if n, wide := reviewOverflow(eval); n > 0 {
		png, _ := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		p := artifactDir(t) + "/" + shot
		os.WriteFile(p, png, 0o644)
		t.Errorf("at 400 px %s is %d px wider than the screen (%s); screenshot %s", what, n, wide, p)
	}
}
