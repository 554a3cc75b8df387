package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"tulieu/crawler"
	"tulieu/internal/fixturesite"
	"tulieu/store"
)

// DemoOptions are the flags of `tulieu demo`.
type DemoOptions struct {
	Addr string
	// addrSet says --addr was given: a busy port is then an error rather
	// than a reason to pick a free one.
	addrSet bool
	// Ready, if set, is told the URL of the search page once it answers
	// (tests listen on port 0).
	Ready func(url string)
	// cacheDir is where the demo keeps its own data directory;
	// os.UserCacheDir unless a test replaces it.
	cacheDir func() (string, error)
}

// demoMaxPages bounds the crawl of the sample site, which has a few dozen
// documents: whatever a future fixture adds, the demo stays a demo.
const demoMaxPages = 2000

// NewCmdDemo builds `tulieu demo`.
func NewCmdDemo(f *Factory, runF func(context.Context, *DemoOptions) error) *cobra.Command {
	opts := &DemoOptions{}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Try tulieu with no network: archive a bundled sample site and serve the search page",
		Long: `Serve the bundled imitation of the site (about twenty invented articles, with the real
site's page layout, breadcrumbs, listings, robots.txt and ETags) on a loopback port of its
own, crawl it into an archive, and serve the search page on --addr as ` + "`tulieu serve`" + ` does,
until Ctrl-C.

Without --data (or TULIEU_DATA) the sample goes into a directory of the demo's own in the
user cache directory (~/.cache/tulieu/demo on Linux), emptied at every run, so it never mixes
with a real archive. With --data the directory must be empty, new, or an earlier demo's:
a directory holding an archive of another site is refused (exit 2).

If the default address 127.0.0.1:8080 is taken, the demo serves on a free port and prints
it; a port given with --addr that is taken is an error (exit 1).`,
		Example: "  tulieu demo\n  tulieu demo --addr 127.0.0.1:9000",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.addrSet = cmd.Flags().Changed("addr")
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runDemo(cmd.Context(), f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "address of the search page")
	return cmd
}

// demoSiteAddr is where the demo serves the sample site when it is free.
// An article's id comes from its URL, port included, and the search
// index files each article in a shard by its id, whose figures rank it:
// on a port of its own each time, the sample's articles had other ids
// and the same search ranked them otherwise from one demo to the next.
const demoSiteAddr = "127.0.0.1:18080"

func runDemo(ctx context.Context, f *Factory, opts *DemoOptions) error {
	host, err := checkAddr(opts.Addr)
	if err != nil {
		return err
	}
	log := f.Logger()
	out := f.IO.Out

	// Check the address first, so that a busy port is said before the
	// crawl rather than after it.
	addr := opts.Addr
	if ln, err := net.Listen("tcp", addr); err != nil {
		if opts.addrSet || !errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("cannot listen on %s (%v): choose another address with --addr, e.g. --addr 127.0.0.1:8090", addr, err)
		}
		addr = net.JoinHostPort(host, "0")
		fmt.Fprintf(out, "Cổng %s đang bận, dùng một cổng trống khác — %s is in use, serving on a free port instead\n", opts.Addr, opts.Addr)
	} else {
		ln.Close()
	}

	// Where the sample goes.
	var siteAddr string // the fixture's address, "" for any free port
	if f.DataDirSet {
		prev, err := checkDemoDir(ctx, f.DataDir)
		if err != nil {
			return err
		}
		// An earlier demo's archive knows the sample under the address it
		// was served at; serving it there again makes this crawl an
		// incremental one rather than a second copy under other URLs.
		siteAddr = prev
		fmt.Fprintf(out, "Dữ liệu: %s — data directory: %s (given with --data / TULIEU_DATA)\n", f.DataDir, f.DataDir)
	} else {
		dir, unlock, err := ownDemoDir(ctx, opts.cacheDir)
		if err != nil {
			return err
		}
		defer unlock()
		f.DataDir = dir
		fmt.Fprintf(out, "Dữ liệu mẫu: %s — sample data: %s (the demo's own directory, emptied at each run; no real archive is touched)\n", dir, dir)
	}

	// The sample site, on loopback, for as long as the demo runs: the
	// archived-page view and a re-run can reach it.
	site := fixturesite.New(fixturesite.Options{Conditional: true})
	listenAt := demoSiteAddr
	if siteAddr != "" {
		listenAt = siteAddr
	}
	siteLn, err := net.Listen("tcp", listenAt)
	if err != nil && siteAddr == "" {
		listenAt = "127.0.0.1:0" // taken: any free port
		siteLn, err = net.Listen("tcp", listenAt)
	}
	if err != nil {
		return fmt.Errorf("serve the sample site on %s (the address the archive in %s knows it by): %v; run the demo without --data, or with an empty directory", listenAt, f.DataDir, err)
	}
	siteSrv := &http.Server{Handler: site, ReadHeaderTimeout: 10 * time.Second}
	go siteSrv.Serve(siteLn)
	defer func() {
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		siteSrv.Shutdown(shutdownCtx)
	}()
	siteURL := "http://" + siteLn.Addr().String() + "/"
	log.Info("serving the sample site", "url", siteURL)

	// Crawl it with politeness off (the site is ours and local), robots.txt
	// still obeyed. Its own summary line is not printed: ours follows.
	crawlF := *f
	crawlF.IO.Out = io.Discard
	crawlOpts := func() *CrawlOptions {
		return &CrawlOptions{
			Sites: []string{siteURL}, MaxPages: demoMaxPages, Delay: 0, Parallel: 4,
			Timeout: crawler.DefaultTimeout, UserAgent: crawler.DefaultUserAgent, JSON: true,
			MaxBodySize: crawler.DefaultMaxBodySize, Retries: 1, MaxPerShape: crawler.DefaultMaxPerPattern,
		}
	}
	start := time.Now()
	if err := runCrawl(ctx, &crawlF, crawlOpts()); err != nil {
		return fmt.Errorf("crawl the sample site: %w", err)
	}
	if err := printDemoSummary(ctx, f, siteURL, time.Since(start)); err != nil {
		return err
	}
	// Then the sample's editor revises one article and it is crawled
	// again, as a nightly run would find it: the archive then holds two
	// versions of it, to compare on its page, with `tulieu diff` and in
	// `tulieu changes`.
	revised := reviseSample(site)
	if err := runCrawl(ctx, &crawlF, crawlOpts()); err != nil {
		return fmt.Errorf("crawl the sample site again: %w", err)
	}
	if err := printRevisionSummary(ctx, f, siteURL+strings.TrimPrefix(revised, "/")); err != nil {
		return err
	}

	serveOpts := &ServeOptions{Addr: addr, IndexMemory: defaultIndexMemoryMiB << 20, Ready: func(a string) {
		u := browseURL(a)
		fmt.Fprintf(out, "Mở %s trong trình duyệt — open %s in a browser (Ctrl-C to stop)\n", u, u)
		if opts.Ready != nil {
			opts.Ready(u)
		}
	}}
	return runServe(ctx, f, serveOpts)
}

// demoRevisedPath is the article of the sample the demo revises after its
// first crawl.
const demoRevisedPath = "/tin-tuc/tin-tuc-chung/dang-bo-khoi-cac-co-quan-tinh-thanh-hoa-60-nam-mot-chang-duong-phat-trien-661.html"

// reviseSample edits one article of the sample as an editor would (a
// word changed in its lead, a paragraph added at the end; its images
// stay) and returns its path.
func reviseSample(site *fixturesite.Site) string {
	site.Revise(demoRevisedPath, map[string]string{"long trọng": "trang trọng"},
		"Bài viết được cập nhật: bổ sung danh sách các đồng chí nguyên lãnh đạo Đảng bộ Khối dự lễ kỷ niệm.")
	return demoRevisedPath
}

// printRevisionSummary says what the second crawl found of the revised
// article, and where to see its versions.
func printRevisionSummary(ctx context.Context, f *Factory, articleURL string) error {
	st, err := f.OpenStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	runs, err := st.Runs(ctx, 1)
	if err != nil || len(runs) == 0 {
		return err
	}
	r := runs[0]
	a, err := st.Article(ctx, articleURL)
	if err != nil {
		return fmt.Errorf("the revised article: %w", err)
	}
	fmt.Fprintf(f.IO.Out, "Một bài được sửa trên trang mẫu rồi thu thập lại — one article was edited on the sample site and crawled again: "+
		"%d changed, %d unchanged; it has %d versions now (its page, or `tulieu --data %s diff %s`)\n",
		r.Changed+r.PagesChanged, r.Unchanged+r.PagesUnchanged, a.Versions, shellQuote(f.DataDir), a.ID)
	return nil
}

// browseURL is the URL a browser on this machine opens for the listening
// address: an unspecified host (0.0.0.0, ::) is reached on loopback.
func browseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr + "/"
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

func printDemoSummary(ctx context.Context, f *Factory, siteURL string, took time.Duration) error {
	st, err := f.OpenStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	stats, err := st.Stats(ctx)
	if err != nil {
		return fmt.Errorf("read the archive: %w", err)
	}
	var run string
	if r := stats.LastRun; r != nil {
		run = fmt.Sprintf("; this run: %d requests, %d new, %d changed, %d unchanged, %d deleted, %d errors", r.Fetched,
			r.New+r.PagesNew, r.Changed+r.PagesChanged, r.Unchanged+r.PagesUnchanged, r.Deleted+r.PagesDeleted, r.Errors)
	}
	fmt.Fprintf(f.IO.Out, "Đã lưu %d bài viết và %d trang — archived %d articles and %d pages from the sample site %s in %s%s\n",
		stats.Articles, stats.Pages, stats.Articles, stats.Pages, siteURL, took.Round(10*time.Millisecond), run)
	return nil
}

// ownDemoDir empties the demo's own data directory and returns it, with a
// lock that keeps a second demo from emptying it under the first. The
// sample's URLs carry the port it was served on, which changes from run to
// run, so an earlier run's articles would only be stale duplicates.
func ownDemoDir(ctx context.Context, cacheDir func() (string, error)) (dir string, unlock func(), err error) {
	if cacheDir == nil {
		cacheDir = os.UserCacheDir
	}
	base, err := cacheDir()
	if err != nil || base == "" {
		base = os.TempDir() // no home directory (a service account, a container)
	}
	base = filepath.Join(base, "tulieu")
	if err := os.MkdirAll(base, 0o755); err != nil {
		return "", nil, fmt.Errorf("create the demo directory: %w", err)
	}
	dir = filepath.Join(base, "demo")
	unlock, err = lockFile(filepath.Join(base, "demo.lock"))
	if err != nil {
		return "", nil, fmt.Errorf("another tulieu demo is running and uses %s (%v); stop it, or give this one an empty directory with --data", dir, err)
	}
	// Never empty what is not a demo's, whoever put it there.
	if _, err := checkDemoDir(ctx, dir); err != nil {
		unlock()
		return "", nil, err
	}
	if err := os.RemoveAll(dir); err != nil {
		unlock()
		return "", nil, fmt.Errorf("empty the demo directory %s: %w", dir, err)
	}
	return dir, unlock, nil
}

// lockFile takes an flock on path, released by the returned function or by
// the process's death, so a killed demo never blocks the next.
func lockFile(path string) (func(), error) {
	fh, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(fh.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b, _ := os.ReadFile(path)
		fh.Close()
		if pid := strings.TrimSpace(string(b)); pid != "" {
			return nil, fmt.Errorf("pid %s", pid)
		}
		return nil, err
	}
	if err := fh.Truncate(0); err == nil {
		fh.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return func() {
		fh.Truncate(0)
		fh.Close() // closing the last descriptor drops the flock
	}, nil
}

// checkDemoDir says whether dir may receive the sample: it must not exist,
// be empty, or hold an earlier demo's archive: every run crawled a loopback
// site, and every article is one the sample serves. Another site's archive
// is refused, a local test crawl's included (its site was on loopback too), and so
// is a directory holding other files, since the demo would write its
// catalog among them. It returns the address the earlier demo served the
// sample at ("" when there is none), read without writing to the catalog.
func checkDemoDir(ctx context.Context, dir string) (siteAddr string, err error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", dir, err)
	}
	if len(entries) == 0 {
		return "", nil
	}
	catalog := filepath.Join(dir, store.CatalogFile)
	if _, err := os.Stat(catalog); err != nil {
		return "", usageErrorf("%s is not empty and holds no tulieu archive; the demo writes only into an empty directory or an earlier demo's: run `tulieu demo` without --data", dir)
	}
	refuse := func(why string) error {
		return usageErrorf("%s holds a real archive (%s); the demo would mix its sample articles into it: run `tulieu demo` without --data, or give it an empty directory", dir, why)
	}
	// Read-only: the demo must not even migrate a real archive's schema.
	db, err := sql.Open("sqlite", "file:"+catalog+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return "", fmt.Errorf("open %s: %w", catalog, err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "SELECT seeds FROM runs ORDER BY id")
	if err != nil {
		return "", fmt.Errorf("read the runs of %s: %w", catalog, err)
	}
	defer rows.Close()
	var last []string
	runs := 0
	for rows.Next() {
		var js string
		if err := rows.Scan(&js); err != nil {
			return "", fmt.Errorf("read the runs of %s: %w", catalog, err)
		}
		seeds := parseSeeds(js)
		for _, s := range seeds {
			if !isLoopbackURL(s) {
				return "", refuse("crawled " + s)
			}
		}
		runs++
		last = seeds
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("read the runs of %s: %w", catalog, err)
	}
	if runs == 0 {
		var n int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM articles").Scan(&n); err != nil {
			return "", fmt.Errorf("read %s: %w", catalog, err)
		}
		if n > 0 {
			return "", refuse(fmt.Sprintf("%d articles from no crawl run", n))
		}
		return "", nil
	}
	// A crawl of another site on this machine (a local test server) is
	// an archive of another site too: every article must be the sample's.
	if foreign, err := firstForeignArticle(ctx, db); err != nil {
		return "", fmt.Errorf("read the articles of %s: %w", catalog, err)
	} else if foreign != "" {
		return "", refuse("its article " + foreign + " is not the sample site's")
	}
	if len(last) == 1 {
		if u, err := url.Parse(last[0]); err == nil {
			return u.Host, nil
		}
	}
	return "", nil
}

// firstForeignArticle returns the URL of an article (or static page) of
// the catalog db whose path the sample site does not serve, or "".
func firstForeignArticle(ctx context.Context, db *sql.DB) (string, error) {
	sample := map[string]bool{}
	for _, a := range fixturesite.New(fixturesite.Options{}).Articles() {
		sample[a.Path] = true
	}
	rows, err := db.QueryContext(ctx, "SELECT url FROM articles ORDER BY id")
	if err != nil {
		return "", err
	}
	defer rows.Close()
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return "", err
		}
		if p, err := url.Parse(u); err != nil || !sample[p.EscapedPath()] && !sample[p.Path] {
			return u, nil
		}
	}
	return "", rows.Err()
}

// parseSeeds reads the runs.seeds column, a JSON array of URLs. What
// cannot be read counts as the default site, a real one.
func parseSeeds(js string) []string {
	var seeds []string
	if err := json.Unmarshal([]byte(js), &seeds); err != nil || len(seeds) == 0 {
		return []string{crawler.DefaultSite}
	}
	return seeds
}

// isLoopbackURL says whether u points at this machine, where the sample
// site is served; anything else is a real site.
func isLoopbackURL(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	h := p.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
