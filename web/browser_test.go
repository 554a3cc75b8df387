package web

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
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

// TestBrowserSearch drives the page in a real headless browser: type a
// query without accents, submit, see the accented title highlighted in the
// results, open the article.
func TestBrowserSearch(t *testing.T) {
	bin := chromium(t)
	srv, _ := newTestServer(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox,
		chromedp.Flag("headless", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	// Elements are found with Query (present in the DOM) and read with
	// JavaScript: chromedp's visibility wait never settles with the
	// Chromium Debian ships here.
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(`+strconv.Quote(sel)+`).innerText`))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.TrimSpace(v)
	}
	typeAndSubmit := func(q string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"), chromedp.Query(`input[name=q]`)); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.querySelector("input[name=q]").value = `+strconv.Quote(q)+`, true)`)); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Click(`form.search button`, chromedp.NodeReady)); err != nil {
			t.Fatal(err)
		}
	}

	typeAndSubmit("thanh hoa")
	if err := chromedp.Do(ctx, chromedp.Query(`#total`)); err != nil {
		t.Fatal(err)
	}
	total, firstTitle := text(`#total`), text(`.hit h3 a`)
	snippet, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".hit .snippet").innerHTML`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(total, "1 ") || !strings.Contains(firstTitle, "Thanh Hóa") {
		t.Errorf("results: %q, first %q", total, firstTitle)
	}
	if !strings.Contains(snippet, "<mark>") && !strings.Contains(firstTitle, "Thanh") {
		t.Errorf("no highlight in the snippet %q", snippet)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`.hit h3 a`, chromedp.NodeReady), chromedp.Query(`article h1`)); err != nil {
		t.Fatal(err)
	}
	if got := text(`article h1`); got != firstTitle {
		t.Errorf("article page shows %q, want %q", got, firstTitle)
	}

	// A malformed query shows its error on the page.
	typeAndSubmit(`"hòa bình`)
	if err := chromedp.Do(ctx, chromedp.Query(`#error`)); err != nil {
		t.Fatal(err)
	}
	if got := text(`#error`); !strings.Contains(got, "quote") {
		t.Errorf("error shown: %q", got)
	}
}
