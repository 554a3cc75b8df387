package cli

// A review of README promises no other test checked (2026-12-07). Each
// test's comment tells what happened before its fix: what the user does,
// what went wrong, and what the README says.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"tulieu/internal/fixturesite"
	"tulieu/store"
)

// contractReviewSite is a small site of a home page listing three articles,
// each with its thumbnail, and the articles themselves; it counts the
// requests for each path.
type contractReviewSite struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func (s *contractReviewSite) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func newContractReviewSite(t *testing.T) *contractReviewSite {
	t.Helper()
	s := &contractReviewSite{hits: map[string]int{}}
	para := "<p>" + strings.Repeat("Đảng ủy Khối tổ chức hội nghị sơ kết công tác xây dựng Đảng trong sáu tháng đầu năm với nhiều nội dung quan trọng. ", 6) + "</p>"
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		switch p := r.URL.Path; {
		case p == "/robots.txt":
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, "User-agent: *\nDisallow:\n")
		case p == "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			var b strings.Builder
			for i := 1; i <= 3; i++ {
				fmt.Fprintf(&b, `<li><a href="/bai-viet-%d.html"><img src="/thumb-%d.jpg" alt="">Bài viết số %d</a></li>`, i, i, i)
			}
			fmt.Fprintf(w, `<html><head><title>Tin tức</title></head><body><ul>%s</ul></body></html>`, b.String())
		case strings.HasPrefix(p, "/bai-viet-"):
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			n := strings.TrimSuffix(strings.TrimPrefix(p, "/bai-viet-"), ".html")
			fmt.Fprintf(w, `<html><head><title>Bài viết số %s</title></head><body><h1>Bài viết số %s về hội nghị</h1><div class="date">Ngày 12/03/2020</div><div class="content">%s%s</div></body></html>`, n, n, para, para)
		case strings.HasSuffix(p, ".jpg"):
			w.Header().Set("Content-Type", "image/jpeg")
			w.Write(append([]byte{0xff, 0xd8, 0xff, 0xe0}, make([]byte, 100)...))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// TestListingImagesOfAHomePageThatListsArticles: the README says
// "Listing pages' thumbnails only with `--listing-images`", and the flag's
// help "also archive the images and stylesheets of listing pages
// (thumbnails)". An operator of a small site whose home page is a short
// list of the latest articles, each with its thumbnail, runs
// `tulieu crawl --listing-images`: the catalog records the home page as a
// listing (captures.kind = listing), yet not one of its thumbnails is
// fetched, so the archived home page shows broken images. The crawler
// decides a page's requisites by what the extractor first read it as
// ("other": too little text), not by the kind it records (a start URL
// at "/" is always a listing). With --listing-images the thumbnails of a
// page recorded as a listing must be archived.
func TestListingImagesOfAHomePageThatListsArticles(t *testing.T) {
	site := newContractReviewSite(t)
	data := t.TempDir()
	code, _, errOut := run(t, data, "crawl", "--site", site.URL+"/", "--delay", "0", "--listing-images", "--json")
	if code != 0 {
		t.Fatalf("crawl exited %d: %s", code, errOut)
	}
	st, err := store.Open(context.Background(), data, nil)
	if err != nil {
		t.Fatal(err)
	}
	caps, err := st.Captures(context.Background(), site.URL+"/")
	st.Close()
	if err != nil || len(caps) == 0 || caps[len(caps)-1].Kind != "listing" {
		t.Fatalf("the home page is not recorded as a listing (%v): %+v", err, caps)
	}
	for i := 1; i <= 3; i++ {
		if n := site.count(fmt.Sprintf("/thumb-%d.jpg", i)); n != 1 {
			t.Errorf("crawl --listing-images: the home page (recorded as a listing) links /thumb-%d.jpg as an <img>; it was fetched %d times, want once", i, n)
		}
	}
	if site.count("/bai-viet-1.html") != 1 {
		t.Errorf("the articles were not crawled")
	}
}

// TestAPIArticleByAddressWithoutScheme: the README says `GET
// /api/articles/ID` answers "the same as" `tulieu show --json ID`, "with
// the very bytes of the CLI's --json", and `show` takes `ID|URL`; the CLI
// reads an address copied without its scheme (as a document or a chat
// message writes it: "danguykhoithanhhoa.org.vn/tin-tuc/…"), trying
// http:// then https://. A script that hands the same reference to the API
// gets 404 {"error": "article …: not found"} where `tulieu show --json`
// prints the article: the route must resolve the reference as the command
// does, and answer with the same bytes. (The versions and diff routes read
// it the same way.)
func TestAPIArticleByAddressWithoutScheme(t *testing.T) {
	site, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	var path string
	for _, a := range site.Articles() {
		if !a.Static {
			path = a.Path
			break
		}
	}
	ref := strings.TrimPrefix(srv.URL, "http://") + path
	code, want, errOut := run(t, data, "show", "--json", ref)
	if code != 0 {
		t.Fatalf("tulieu show --json %s: exit %d %s", ref, code, errOut)
	}
	addr := startServe(t, data, ServeOptions{})
	for _, route := range []string{"", "/versions", "/diff"} {
		status, body := getBody(t, "http://"+addr+"/api/articles/"+url.PathEscape(ref)+route)
		if status != 200 {
			t.Errorf("GET /api/articles/%s%s: %d %s; `tulieu show --json %s` finds the article", url.PathEscape(ref), route, status, strings.TrimSpace(body), ref)
			continue
		}
		if route == "" && body != want {
			t.Errorf("GET /api/articles/%s answers\n%s\nwant the bytes of tulieu show --json:\n%s", url.PathEscape(ref), body, want)
		}
	}
}

// TestBackupOntoAFreshlyMountedDisk: the README says of `tulieu backup
// DIR`: "An empty DIR that exists (a mounted disk) is written into." An
// administrator formats a new backup disk (mkfs.ext4), mounts it at
// /mnt/backup and runs `tulieu backup /mnt/backup`: the root of every
// ext2/3/4 file system holds lost+found, made by mke2fs, so the disk is
// as empty as a mounted disk gets, yet tulieu refuses it ("/mnt/backup is
// not empty: back up into a new or empty directory", exit 2). The
// file system's own empty lost+found must not count, and the backup must
// be written there (and `check` clean on it).
func TestBackupOntoAFreshlyMountedDisk(t *testing.T) {
	data := fixtureArchive(t)
	disk := t.TempDir()
	if err := os.Mkdir(filepath.Join(disk, "lost+found"), 0o700); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, data, "backup", disk)
	if code != 0 {
		t.Fatalf("tulieu backup onto a freshly mounted disk (only lost+found in it): exit %d: %s", code, strings.TrimSpace(errOut))
	}
	if code, out, errOut := run(t, disk, "check"); code != 0 {
		t.Errorf("check on the backup: exit %d %s %s", code, out, errOut)
	}
}

// TestMoreHintNamesTheDataDirectory: `tulieu --data /srv/x search …`
// printed "More: tulieu search … --offset 10 …", which, pasted, searched
// ./tulieu-data (or said there is no archive there): the next page's
// command must name the archive the search read, unless TULIEU_DATA
// names it for the pasted command too.
func TestMoreHintNamesTheDataDirectory(t *testing.T) {
	data := fixtureArchive(t)
	code, out, errOut := run(t, data, "search", "dang")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	_, more, ok := strings.Cut(out, "More: ")
	if !ok {
		t.Fatalf("no 'More:' line (want more than 10 matches) in %q", out)
	}
	words := shellWords(strings.TrimSpace(more))
	if len(words) < 4 || words[1] != "--data" || words[2] != data {
		t.Fatalf("More: %q does not name the archive %s", strings.TrimSpace(more), data)
	}
	// Run as pasted: the command's own --data, nothing else.
	var o, e strings.Builder
	f := &Factory{IO: IOStreams{In: strings.NewReader(""), Out: &o, ErrOut: &e}, Getenv: func(string) string { return "" }}
	if code := Execute(context.Background(), f, words[1:]); code != 0 || !strings.Contains(o.String(), "showing 11–") {
		t.Errorf("the printed command %q: exit %d: %s%s", strings.TrimSpace(more), code, o.String(), e.String())
	}
}

// TestExportForceNeverReplacesADeviceOrAPipe: `export -o FILE --force`
// replaced whatever was at FILE with a regular file: a named pipe a
// script read from, or, as root, the /dev/stdout link. A file or a link to
// one is replaced; anything else is refused (exit 2) and left as it was.
func TestExportForceNeverReplacesADeviceOrAPipe(t *testing.T) {
	data := fixtureArchive(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.csv")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	link := filepath.Join(dir, "out.csv")
	if err := os.Symlink("/dev/null", link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{fifo, link, dir} {
		before, _ := os.Lstat(p)
		code, _, errOut := run(t, data, "export", "-o", p, "--force")
		after, err := os.Lstat(p)
		if code != ExitUsage || err != nil || after.Mode() != before.Mode() {
			t.Errorf("export -o %s --force: exit %d (%s); it is now %v, was %v", p, code, strings.TrimSpace(errOut), after.Mode(), before.Mode())
		}
		// Without --force, the same reason, not "use --force".
		if code, _, errOut := run(t, data, "export", "-o", p); code != ExitUsage || strings.Contains(errOut, "--force") {
			t.Errorf("export -o %s: exit %d: %s; want 2, without pointing to --force", p, code, strings.TrimSpace(errOut))
		}
	}
	// A link to a file is replaced, as a file is.
	target := filepath.Join(dir, "old.csv")
	os.WriteFile(target, []byte("old"), 0o644)
	link2 := filepath.Join(dir, "latest.csv")
	os.Symlink(target, link2)
	if code, _, errOut := run(t, data, "export", "-o", link2, "--force"); code != 0 {
		t.Errorf("export -o a link to a file --force: exit %d: %s", code, errOut)
	}
}

// TestVersionFieldsOnlyWithAllVersions: `export --fields id,version`
// without `--versions all` wrote "version": 0 (no version has that
// number) and an empty fetched_from in every record.
func TestVersionFieldsOnlyWithAllVersions(t *testing.T) {
	data := fixtureArchive(t)
	for _, f := range []string{"id,version", "id,fetched_from"} {
		if code, _, errOut := run(t, data, "export", "--fields", f); code != ExitUsage || !strings.Contains(errOut, "--versions all") {
			t.Errorf("export --fields %s: exit %d: %s; want 2, pointing to --versions all", f, code, errOut)
		}
		if code, _, errOut := run(t, data, "export", "--fields", f, "--versions", "all"); code != 0 {
			t.Errorf("export --fields %s --versions all: exit %d: %s", f, code, errOut)
		}
	}
}

// TestIDsFromAddressWithoutSchemeOfAnHTTPSSite: `export --ids-from` takes
// addresses copied without their scheme ("site.vn/tin/…"), as show does.
// It read them as http:// only: an https site's article was "not in the
// archive", and the export left it out.
func TestIDsFromAddressWithoutSchemeOfAnHTTPSSite(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	st, err := store.Open(ctx, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := store.Content{Kind: store.KindArticle, Title: "Hội nghị sơ kết", Published: "2026-06-12", Body: "Sáng ngày 12/6, Đảng ủy Khối tổ chức hội nghị sơ kết công tác sáu tháng đầu năm."}
	if _, _, err := st.RecordArticle(ctx, "https://dangbo.vidu.vn/tin-tuc/hoi-nghi-so-ket-661.html", c, 0, time.Date(2026, 6, 12, 19, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	st.Close()
	list := filepath.Join(t.TempDir(), "ids.txt")
	os.WriteFile(list, []byte("dangbo.vidu.vn/tin-tuc/hoi-nghi-so-ket-661.html\n"), 0o644)
	code, out, errOut := run(t, data, "export", "--ids-from", list, "--format", "jsonl")
	if code != 0 || strings.Count(out, "\n") != 1 || !strings.Contains(out, "Hội nghị sơ kết") || strings.Contains(errOut, "not in the archive") {
		t.Errorf("export --ids-from an https article's address without its scheme: exit %d, %d records, %s", code, strings.Count(out, "\n"), errOut)
	}
}

// TestBackupIntoADiskAgainAfterItFailed: the README says of a backup
// "running it again starts over". Into a DIR that exists (a mounted
// disk) it wrote directly, and a copy that failed or was killed half-way
// left its catalog and WARC files there: the next try was refused ("is
// not empty"), and the disk had to be emptied by hand. What the unfinished
// copy left (marked as such) is now taken over; anything else still makes
// the directory not empty.
func TestBackupIntoADiskAgainAfterItFailed(t *testing.T) {
	data := fixtureArchive(t)
	disk := t.TempDir()
	// What a copy killed after its catalog and part of its WARC files
	// leaves.
	os.WriteFile(filepath.Join(disk, ".tulieu-backup-unfinished"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(disk, "catalog.sqlite"), []byte("half a catalog"), 0o644)
	os.MkdirAll(filepath.Join(disk, "warc"), 0o755)
	os.WriteFile(filepath.Join(disk, "warc", "tulieu-1.warc.gz"), []byte("half a file"), 0o644)
	if code, _, errOut := run(t, data, "backup", disk); code != 0 {
		t.Fatalf("backup again into the disk an unfinished one left: exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(disk, ".tulieu-backup-unfinished")); err == nil {
		t.Errorf("the complete backup keeps the mark of an unfinished one")
	}
	if code, out, errOut := run(t, disk, "check"); code != 0 {
		t.Errorf("check on the backup: exit %d %s %s", code, out, errOut)
	}
	// A file of the user's beside them: not the backup's to take over.
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, ".tulieu-backup-unfinished"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644)
	if code, _, _ := run(t, data, "backup", other); code != ExitUsage {
		t.Errorf("backup into a directory with a file of the user's: exit %d, want 2", code)
	}
}
