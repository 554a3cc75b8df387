package cli

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tulieu/internal/fixturesite"
)

// chromium finds the headless browser the suite uses (Debian's chromium,
// which .ci/run installs).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("TULIEU_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no chromium on a CI machine: .ci/run installs it")
	}
	t.Skip("no chromium here; install Debian's chromium to run the browser tests")
	return ""
}

// startBrowser starts a headless chromium with a window of the given size
// and returns a context driving it, cancelled (the browser stopped) when
// the test ends or after timeout. Chromium now and then dies as it
// starts on a loaded machine ("browser process exited: signal:
// segmentation fault"): a start that fails is tried again, twice.
func startBrowser(t *testing.T, width, height int, timeout time.Duration) context.Context {
	t.Helper()
	bin := chromium(t)
	var err error
	for attempt := 1; attempt <= 3; attempt++ {
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(bin),
			chromedp.NoSandbox,
			chromedp.Flag("headless", true),
			chromedp.Flag("disable-gpu", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("no-first-run", true),
			chromedp.WindowSize(width, height),
			chromedp.UserDataDir(t.TempDir()),
		)
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelBrowser := chromedp.NewContext(actx)
		ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
		cancel := func() { cancelTimeout(); cancelBrowser(); cancelAlloc() }
		if _, err = chromedp.Run(ctx, chromedp.Evaluate[string](`"started"`)); err == nil {
			t.Cleanup(cancel)
			return ctx
		}
		cancel()
		t.Logf("chromium did not start (attempt %d): %v", attempt, err)
	}
	t.Fatalf("chromium did not start: %v", err)
	return nil
}

// artifactDir is where the browser tests leave their screenshots:
// $TULIEU_ARTIFACTS (CI sets it), else a folder in the system's temp dir.
func artifactDir(t *testing.T) string {
	dir := os.Getenv("TULIEU_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "tulieu-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// hostilePage is a page that tries everything an archived page must not
// do when shown: run a script, refresh itself away, load from the live
// web, submit a form.
const hostilePage = `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="refresh" content="0;url=http://refresh.invalid/">
<title>Trang thử</title><link rel="stylesheet" href="/s.css">
<script>document.title = "PWNED"; document.documentElement.setAttribute("data-pwned", "1");</script>
</head><body><div class="content"><h1 id="h">Hội nghị sơ kết công tác xây dựng Đảng sáu tháng đầu năm</h1>
<p>Sáng nay, Đảng ủy Khối các cơ quan tỉnh tổ chức hội nghị sơ kết công tác xây dựng Đảng sáu tháng đầu năm và triển khai nhiệm vụ sáu tháng cuối năm.</p>
<p><img id="pic" src="/pic.jpg" alt="ảnh" width="300" height="200" onload="document.title='PWNED2'"></p>
<p>Hội nghị đã đánh giá kết quả thực hiện các nhiệm vụ trọng tâm, chỉ ra những hạn chế, khuyết điểm và đề ra giải pháp khắc phục trong thời gian tới.</p>
<p>Phát biểu kết luận hội nghị, đồng chí Bí thư Đảng ủy Khối đề nghị các tổ chức cơ sở đảng tiếp tục nâng cao chất lượng sinh hoạt chi bộ.</p>
<p><img id="live" src="http://live.invalid/x.jpg" width="300" height="200"></p><form action="http://live.invalid/post"><input name="a"></form>
<a id="link" href="/">về trang chủ</a></div></body></html>`

// TestBrowserEndToEnd drives the page in a real headless browser over a
// crawled archive of the fixture site, as a researcher would: search with
// and without accents, add a facet and remove it, go to page 2, open an
// article and see its image come from the archive, compare two versions,
// open an archived copy whose script must not run, and take the CSV.
func TestBrowserEndToEnd(t *testing.T) {
	chromium(t) // skips at once where there is none (before the crawl)
	site, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	// A second version of an article, for the diff.
	editArticle(site)
	crawl(t, data, srv.URL+"/")
	// A hostile page on another site, archived too.
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/pic.jpg":
			w.Header().Set("Content-Type", "image/jpeg")
			w.Write(tinyJPEG)
		case "/s.css":
			w.Header().Set("Content-Type", "text/css")
			w.Write([]byte("h1{color:rgb(1, 2, 3)}"))
		case "/robots.txt":
			http.NotFound(w, r)
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(hostilePage))
		}
	}))
	defer evil.Close()
	if code, _, errOut := run(t, data, "crawl", "--site", evil.URL+"/", "--delay", "0", "--max-pages", "3"); code != 0 {
		t.Fatalf("crawl of the hostile page: %d %s", code, errOut)
	}
	addr := startServe(t, data, ServeOptions{})
	base := "http://" + addr

	ctx := startBrowser(t, 1200, 900, 90*time.Second)
	artifacts := artifactDir(t)

	// Elements are found with Query (present in the DOM) and read with
	// JavaScript: chromedp's visibility wait never settles with the
	// Chromium Debian ships here.
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return strings.TrimSpace(v)
	}
	text := func(sel string) string {
		t.Helper()
		return eval(`(document.querySelector(` + strconv.Quote(sel) + `) || {innerText: ""}).innerText`)
	}
	open := func(u, waitFor string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.Query(waitFor)); err != nil {
			t.Fatalf("open %s: %v", u, err)
		}
	}
	screenshot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		p := filepath.Join(artifacts, name)
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", p)
	}
	// waitNav waits until the browser has left the page it was on (marked
	// before the click) and the new one has loaded.
	mark := func() { eval(`(window.__old = true, "")`) }
	waitNav := func(what string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			// Asked while the page changes, the question may fail
			// ("Inspected target navigated or closed", "Execution
			// context was destroyed"): ask again.
			v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`String(window.__old !== true && document.readyState === "complete")`))
			if err == nil && strings.TrimSpace(v) == "true" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the page did not change", what)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	clickNav := func(sel string) {
		t.Helper()
		mark()
		if err := chromedp.Do(ctx, chromedp.Click(sel, chromedp.NodeReady)); err != nil {
			t.Fatalf("click %s: %v", sel, err)
		}
		waitNav("click " + sel)
	}
	search := func(q string) {
		t.Helper()
		open(base+"/", `input[name=q]`)
		eval(`(document.querySelector("input[name=q]").value = ` + strconv.Quote(q) + `, "")`)
		clickNav(`form.search button`)
	}
	count := func() int {
		t.Helper()
		n, _ := strconv.Atoi(eval(`String(document.querySelectorAll(".hit").length)`))
		return n
	}
	total := func() string { return strings.Fields(text("#total") + " ?")[0] }

	// The home page lists the newest articles with the categories.
	open(base+"/", `#total`)
	if !strings.Contains(text("#total"), "Kho lưu trữ có") || count() == 0 || !strings.Contains(text("#facets"), "Tư liệu") {
		t.Errorf("home: %q, %d hits, facets %q", text("#total"), count(), text("#facets"))
	}
	screenshot("home.png")

	// With and without accents, the same results.
	search("thanh hoa")
	plain, first := total(), text(".hit h2 a")
	if !strings.Contains(first, "Thanh Hóa") || eval(`String(document.querySelectorAll(".hit mark").length > 0)`) != "true" {
		t.Errorf("unaccented search: %q, first %q", text("#total"), first)
	}
	screenshot("results.png")
	search("Thanh Hóa")
	if total() != plain {
		t.Errorf("accented search: %s results, unaccented %s", total(), plain)
	}

	// A facet filters; its chip removes the filter again.
	clickNav(`#facets a[href*="category="]`)
	chip := text("#active-filters")
	filtered := total()
	if !strings.HasPrefix(chip, "Chuyên mục:") || filtered == plain {
		t.Errorf("after a facet: chip %q, %s results (before %s)", chip, filtered, plain)
	}
	cat := strings.TrimSpace(strings.TrimPrefix(strings.TrimSuffix(chip, "×"), "Chuyên mục:"))
	if n := eval(`String([...document.querySelectorAll(".hit .meta")].filter(m => !m.innerText.includes(` + strconv.Quote(cat) + `)).length)`); n != "0" {
		t.Errorf("%s hits outside the category %q", n, cat)
	}
	clickNav(`#active-filters a`)
	if total() != plain || text("#active-filters") != "" {
		t.Errorf("after removing the filter: %s results, chips %q", total(), text("#active-filters"))
	}

	// Page 2 keeps the query, the sort and the page size.
	open(base+"/search?q="+strings.ReplaceAll("đảng", " ", "+")+"&sort=newest&limit=5", `#next`)
	clickNav(`#next`)
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(loc, "offset=5") || !strings.Contains(loc, "sort=newest") || !strings.Contains(loc, "limit=5") ||
		eval(`document.querySelector("ol.hits").getAttribute("start")`) != "6" {
		t.Errorf("page 2: %s, start %s", loc, eval(`document.querySelector("ol.hits").getAttribute("start")`))
	}

	// An article with images: they come from the archive.
	search("Chủ tịch Hồ Chí Minh với Thanh Hóa")
	clickNav(`.hit h2 a`)
	// Wait for the images to load (or fail).
	deadline := time.Now().Add(10 * time.Second)
	for eval(`String([...document.images].every(i => i.complete))`) != "true" && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	imgs := eval(`[...document.querySelectorAll("#body img")].map(i => i.naturalWidth + " " + new URL(i.src).pathname).join("; ")`)
	if imgs == "" || strings.Contains(imgs, "0 /") || strings.Count(imgs, "/raw") != strings.Count(imgs, ";")+1 {
		t.Errorf("article images (naturalWidth, path): %q", imgs)
	}
	if !strings.Contains(text("#citation"), "Bản lưu lúc") {
		t.Errorf("citation %q", text("#citation"))
	}
	screenshot("article.png")

	// The edited article: two versions, a diff.
	search("60 năm một chặng đường")
	clickNav(`.hit h2 a`)
	if !strings.Contains(text("#versions"), "(2)") {
		t.Errorf("versions %q", text("#versions"))
	}
	clickNav(`#compare`)
	if eval(`String(document.querySelectorAll("#diff ins").length > 0 && document.querySelectorAll("#diff del").length > 0)`) != "true" ||
		!strings.Contains(text("#diff"), "đoạn văn mới") {
		t.Errorf("diff: %q", text("#diff"))
	}
	screenshot("diff.png")

	// The hostile page as archived: no script ran, no refresh, nothing
	// from the live web; its own image and stylesheet came from the archive.
	open(base+"/archive?url="+evil.URL+"/", `#tulieu-banner`)
	time.Sleep(1500 * time.Millisecond) // a refresh of 0 s would have happened by now
	loc, _ = chromedp.Run(ctx, chromedp.Location())
	if eval(`document.title`) != "Trang thử" || eval(`String(document.documentElement.hasAttribute("data-pwned"))`) != "false" ||
		!strings.HasPrefix(loc, base+"/archive") {
		t.Errorf("archived hostile page: title %q, at %s", eval(`document.title`), loc)
	}
	if w := eval(`String(document.getElementById("pic").naturalWidth)`); w == "0" {
		t.Errorf("the archived page's image did not load from the archive (%s)", eval(`document.getElementById("pic").src`))
	}
	if c := eval(`getComputedStyle(document.getElementById("h")).color`); c != "rgb(1, 2, 3)" {
		t.Errorf("the archived page's stylesheet did not load from the archive: color %s", c)
	}
	if src := eval(`document.getElementById("live").getAttribute("src") || ""`); strings.Contains(src, "live.invalid") && !strings.HasPrefix(src, "/raw") {
		t.Errorf("an image still points at the live web: %s", src)
	}
	if !strings.Contains(text("#tulieu-banner"), "Bản lưu của") {
		t.Errorf("banner: %q", text("#tulieu-banner"))
	}
	screenshot("archived.png")

	// The CSV of the current results, as the page links it.
	search("thanh hoa")
	href := eval(`document.querySelector("#exports a[href*='format=csv']").href`)
	resp, err := http.Get(href)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	rows, err := csv.NewReader(resp.Body).ReadAll()
	if err != nil || resp.Header.Get("Content-Disposition") == "" || strconv.Itoa(len(rows)-1) != plain {
		t.Errorf("CSV export %s: %v, %d rows for %s results, %q", href, err, len(rows)-1, plain, resp.Header.Get("Content-Disposition"))
	}
}

// tinyJPEG is a 1×1 JPEG.
var tinyJPEG = []byte{
	0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
	0xff, 0xdb, 0x00, 0x43, 0x00, 0x08, 0x06, 0x06, 0x07, 0x06, 0x05, 0x08, 0x07, 0x07, 0x07, 0x09, 0x09, 0x08, 0x0a, 0x0c,
	0x14, 0x0d, 0x0c, 0x0b, 0x0b, 0x0c, 0x19, 0x12, 0x13, 0x0f, 0x14, 0x1d, 0x1a, 0x1f, 0x1e, 0x1d, 0x1a, 0x1c, 0x1c, 0x20,
	0x24, 0x2e, 0x27, 0x20, 0x22, 0x2c, 0x23, 0x1c, 0x1c, 0x28, 0x37, 0x29, 0x2c, 0x30, 0x31, 0x34, 0x34, 0x34, 0x1f, 0x27,
	0x39, 0x3d, 0x38, 0x32, 0x3c, 0x2e, 0x33, 0x34, 0x32, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01,
	0x11, 0x00, 0xff, 0xc4, 0x00, 0x14, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0xff, 0xc4, 0x00, 0x14, 0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x2a, 0x9f,
	0xff, 0xd9,
}
