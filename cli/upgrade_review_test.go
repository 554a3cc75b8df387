package cli

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// A review as an archivist who runs tulieu every night and upgrades it
// from time to time. Each test's comment tells what happened before its
// fix. testdata/upgrade/home-page-617fe1a.tar.gz is the
// data directory (catalog and WARC files; the search index left out, it
// is rebuilt) that tulieu built from commit 617fe1a (2026-12-07, before
// 997ed74 "a site's home page that reads as a static page is recorded as
// the listing it is") wrote in two nights of crawling the nightly
// review's small party site (znSite, 4 articles) at
// http://127.0.0.1:18474/. The
// tests reach the same site at that address through a local proxy
// (crawl --proxy), so no fixed port is needed.

// upgradeUnpack unpacks a data directory an older tulieu wrote
// (testdata/upgrade/NAME.tar.gz) into a new temporary directory.
func upgradeUnpack(t *testing.T, name string) string {
	t.Helper()
	data := t.TempDir()
	f, err := os.Open(filepath.Join("testdata", "upgrade", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(data, filepath.FromSlash(h.Name))
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return data
}

// upgradeProxy serves h as an HTTP proxy: the old archives name the
// address their site had (http://127.0.0.1:18474/), and a crawl through
// this proxy reaches the same site at that address without the port.
func upgradeProxy(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

const upgradeSite = "http://127.0.0.1:18474/"

// TestUpgradeLeavesHomePageNoStaticPage: tulieu 617fe1a (a day old)
// recorded the small party site's home page (its chrome and a link to
// the news listing) as a static page, two nights. The site does not
// change. The first night of the current tulieu must find nothing
// changed, and the home page, which a fresh archive of the same site
// never records as a static page ("a site's home page is never a static
// page"), must leave the static pages. Instead the night reports
// pages_changed 1: the home page, read now without its footer, reads as
// too little to be a page, is taken for the recorded static page "cut
// short" and gets a second version ("Liên kết: Cổng TTĐT"), and stays a
// live static page for good (in stats, search and exports). Now the crawl
// reads the archive again first when the extraction changed (extract.Setup,
// reextractIfStale), and a start URL's home page that reads as too little
// to be a page is the listing it is.
func TestUpgradeLeavesHomePageNoStaticPage(t *testing.T) {
	data := upgradeUnpack(t, "home-page-617fe1a.tar.gz")
	s := &znSite{files: map[string][]byte{}}
	for i := 1; i <= 4; i++ {
		s.articles = append(s.articles, znArticleN(i))
	}
	proxy := upgradeProxy(t, http.HandlerFunc(s.serve))
	home := upgradeSite
	before := upgradeShow(t, data, home)
	if before.Kind != "page" || before.Versions != 1 {
		t.Fatalf("the old archive: the home page is %+v", before)
	}
	var sum crawlSummary
	for night := 1; night <= 2; night++ {
		code, out, errOut := run(t, data, "crawl", "--site", home, "--proxy", proxy, "--delay", "0", "--parallel", "2", "--retries", "0", "--json")
		if err := json.Unmarshal([]byte(out), &sum); err != nil || code != ExitOK {
			t.Fatalf("night %d after the upgrade: exit %d %q: %s", night, code, out, errOut)
		}
		if sum.Unchanged != 4 || sum.Fetched == 0 {
			t.Fatalf("night %d after the upgrade did not reach the site: %+v", night, sum)
		}
		if sum.Changed != 0 || sum.PagesChanged != 0 || sum.New != 0 || sum.PagesNew != 0 {
			t.Errorf("night %d after the upgrade, nothing changed on the site, yet the summary says changed %d, pages_changed %d, new %d, pages_new %d",
				night, sum.Changed, sum.PagesChanged, sum.New, sum.PagesNew)
		}
	}
	after := upgradeShow(t, data, home)
	if after.Versions != 1 {
		t.Errorf("the home page has %d versions after two nights of an unchanged site; body now %q (was %q)", after.Versions, after.Body, before.Body)
	}
	// What a fresh archive of the same site holds.
	fresh := t.TempDir()
	code, out, errOut := run(t, fresh, "crawl", "--site", home, "--proxy", proxy, "--delay", "0", "--parallel", "2", "--retries", "0", "--json")
	if code != ExitOK {
		t.Fatalf("fresh crawl: %d %s %s", code, out, errOut)
	}
	if c, _, _ := run(t, fresh, "show", home); c == ExitOK {
		t.Fatalf("the current tulieu records the home page as a page in a fresh archive too: the premise is wrong")
	}
	if after.Kind == "page" && after.Status == "live" {
		t.Errorf("after the upgrade the home page stays a live static page (%d versions, body %q), though the current tulieu never records a home page as one", after.Versions, after.Body)
	}
}

type upgradeArticle struct {
	Kind, Status, Body string
	Versions           int
}

func upgradeShow(t *testing.T, data, ref string) upgradeArticle {
	t.Helper()
	code, out, errOut := run(t, data, "show", "--json", ref)
	if code != ExitOK {
		t.Fatalf("show %s: exit %d %s", ref, code, errOut)
	}
	var a upgradeArticle
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	return a
}
