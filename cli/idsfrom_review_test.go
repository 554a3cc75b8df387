package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tulieu/internal/fixturesite"
)

// TestIDsFromStaticPageNotSilentlyDropped: a researcher copies the ids of
// what the search page listed into chon.txt; the page lists static pages
// (Tổng quan) among the articles. `tulieu export --ids-from chon.txt`
// (without --include-pages) exports it: what the file lists is what is
// asked for. From a review: it left such a line out of the file and said
// nothing (the warning names only lines the archive does not have). A
// line the user wrote ends up either in the file or in the warning.
func TestIDsFromStaticPageNotSilentlyDropped(t *testing.T) {
	site, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	var article, page string
	for _, a := range site.Articles() {
		switch {
		case article == "" && strings.HasPrefix(a.Path, "/tin-tuc/"):
			article = srv.URL + a.Path
		case page == "" && strings.HasPrefix(a.Path, "/tong-quan/"):
			page = srv.URL + a.Path
		}
	}
	if article == "" || page == "" {
		t.Fatalf("fixture: article %q, static page %q", article, page)
	}
	list := filepath.Join(t.TempDir(), "chon.txt")
	os.WriteFile(list, []byte(article+"\n"+page+"\n"), 0o644)
	code, stdout, errOut := run(t, data, "export", "--ids-from", list, "--fields", "url", "-o", "-")
	if code != 0 {
		t.Fatalf("export --ids-from: exit %d: %s", code, errOut)
	}
	if !strings.Contains(stdout, page) && !strings.Contains(errOut, page) {
		t.Errorf("--ids-from listing an article and the static page %s: the page is neither exported nor named on stderr\nstdout: %s\nstderr: %q",
			page, strings.TrimSpace(stdout), errOut)
	}
}
