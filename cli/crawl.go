package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"tulieu/attach"
	"tulieu/crawler"
	"tulieu/internal/diskfull"
	"tulieu/store"
	"tulieu/urlnorm"
	"tulieu/warc"
)

// CrawlOptions are the flags of `tulieu crawl`.
type CrawlOptions struct {
	Sites        []string
	MaxPages     int
	Delay        time.Duration
	Parallel     int
	Timeout      time.Duration
	UserAgent    string
	IgnoreRobots bool
	JSON         bool
	ProfileFile  string
	MaxBodySize  int64
	Retries      int
	MaxPerShape  int
	// ListingImages archives the images of listing pages (thumbnails) too.
	ListingImages bool
	// OCR reads scanned attached PDFs with Tesseract.
	OCR bool
	// Proxy is an http:// proxy for every request; "" takes the
	// environment's (HTTP_PROXY, HTTPS_PROXY, NO_PROXY).
	Proxy string
	// MaxErrorRate is the share of failed page requests above which a
	// completed crawl exits with ExitErrorRate.
	MaxErrorRate float64
	// Revisit is the schedule of known articles: crawler.RevisitAll or
	// crawler.RevisitAdaptive, with RevisitCycle.
	Revisit      string
	RevisitCycle time.Duration
	// revisitCycleGiven: --revisit-cycle was on the command line.
	revisitCycleGiven bool
}

// NewCmdCrawl builds `tulieu crawl`. runF replaces the run function in tests.
func NewCmdCrawl(f *Factory, runF func(context.Context, *CrawlOptions) error) *cobra.Command {
	opts := &CrawlOptions{}
	cmd := &cobra.Command{
		Use:   "crawl",
		Short: "Fetch the site into the archive (incremental; safe to interrupt and re-run)",
		Long: `Crawl the site(s) into the data directory: every response is archived in WARC files, each
article is extracted into the catalog, and the search index is brought up to date.

With no --site, crawls ` + crawler.DefaultSite + `. The crawl is polite by default: robots.txt is
obeyed, at most --parallel requests are in flight to a host, and --delay passes between requests.
A second run is incremental: known articles are re-requested conditionally (If-None-Match /
If-Modified-Since), and each article is counted as new, changed, unchanged or deleted.

Exit codes: 0 the crawl completed (some pages may have failed: they are counted in "errors");
1 it could not run; 2 bad flags; 3 another crawl holds the data directory; 4 not one start URL
could be fetched; 5 it completed, but more pages failed than --max-error-rate allows
(everything fetched is archived); 130 interrupted (run it again to continue).`,
		Example: `  tulieu crawl
  tulieu crawl --site http://danguykhoithanhhoa.org.vn/ --max-pages 500 --json
  tulieu crawl --site http://127.0.0.1:8081/ --delay 0 --parallel 8   # a local mirror`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.revisitCycleGiven = cmd.Flags().Changed("revisit-cycle")
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			tuneCrawlGC(f.Getenv)
			return runCrawl(cmd.Context(), f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&opts.Sites, "site", nil, "start URL; repeat for several sites (default "+crawler.DefaultSite+")")
	fl.IntVar(&opts.MaxPages, "max-pages", 0, "stop after fetching this many pages and documents (images, stylesheets and robots.txt not counted; 0 = no limit)")
	fl.DurationVar(&opts.Delay, "delay", crawler.DefaultDelay, "pause between requests to a host")
	fl.IntVar(&opts.Parallel, "parallel", crawler.DefaultParallel, "requests in flight per host")
	fl.DurationVar(&opts.Timeout, "timeout", crawler.DefaultTimeout, "time limit for one request, stalls included")
	fl.StringVar(&opts.UserAgent, "user-agent", crawler.DefaultUserAgent, "User-Agent header")
	fl.BoolVar(&opts.IgnoreRobots, "ignore-robots", false, "do not obey robots.txt: only for the site owner's own use")
	fl.BoolVar(&opts.JSON, "json", false, "print a JSON summary at the end")
	fl.StringVar(&opts.ProfileFile, "profiles", "", "JSON file of per-site extraction profiles (CSS selectors), added to the built-in ones")
	fl.IntVar(&opts.Retries, "retries", crawler.DefaultMaxRetries, "retries of a transient failure (timeout, reset, 429, 5xx), with backoff; 429/503 wait for Retry-After")
	fl.IntVar(&opts.MaxPerShape, "max-per-pattern", crawler.DefaultMaxPerPattern, "longest chain of same-shape pages followed (digits alike), against calendar traps")
	fl.BoolVar(&opts.OCR, "ocr", false, "read attached PDFs that are scans (no text layer) with Tesseract's Vietnamese model (Debian tesseract-ocr-vie); seconds a page")
	fl.StringVar(&opts.Proxy, "proxy", "", "HTTP proxy for every request, e.g. http://user:pass@proxy:3128 (default: HTTP_PROXY, HTTPS_PROXY and NO_PROXY); HTTPS goes through CONNECT and is archived decrypted")
	fl.BoolVar(&opts.ListingImages, "listing-images", false, "also archive the images and stylesheets of listing pages (thumbnails); articles and static pages always get theirs")
	fl.Float64Var(&opts.MaxErrorRate, "max-error-rate", 0.10, "share of pages that failed (0–1: an HTTP error, a timeout, a body cut short, empty or unreadable) above which a completed crawl exits with code 5")
	fl.StringVar(&opts.Revisit, "revisit", crawler.RevisitAll, "which known articles to ask again: all (every run), or adaptive (new and recently changed ones every run, stable ones less often, at most --revisit-cycle apart; listings always)")
	fl.Var(newDayDuration(&opts.RevisitCycle, crawler.DefaultRevisitCycle), "revisit-cycle", "with --revisit adaptive: the longest an article goes unasked (at least 48h; 7d is a week)")
	fl.Int64Var(&opts.MaxBodySize, "max-body-size", crawler.DefaultMaxBodySize, "largest page body kept, in bytes; longer ones are cut and marked truncated")
	return cmd
}

// check refuses flags a crawl cannot run with (usage errors: exit 2),
// before anything is opened or recorded; it returns the --proxy URL.
// serve --recrawl-every checks its crawls' flags with it at start, not a
// day later in the log of its first crawl.
func (opts *CrawlOptions) check() (proxy *url.URL, err error) {
	if opts.Parallel <= 0 {
		return nil, usageErrorf("--parallel must be at least 1")
	}
	if !(opts.MaxErrorRate >= 0 && opts.MaxErrorRate <= 1) { // NaN too
		return nil, usageErrorf("--max-error-rate must be between 0 and 1 (0.10 is 10 %%)")
	}
	if opts.Delay < 0 || opts.Timeout <= 0 || opts.MaxPages < 0 || opts.MaxBodySize <= 0 || opts.Retries < 0 || opts.MaxPerShape <= 0 {
		return nil, usageErrorf("--delay and --retries must be ≥ 0, --timeout, --max-body-size and --max-per-pattern > 0, --max-pages ≥ 0")
	}
	if strings.ContainsAny(opts.UserAgent, "\r\n") || !utf8.ValidString(opts.UserAgent) {
		return nil, usageErrorf("--user-agent must be one line of text")
	}
	switch opts.Revisit {
	case "", crawler.RevisitAll: // "": callers other than the command (demo, serve) revisit all
		if opts.revisitCycleGiven {
			return nil, usageErrorf("--revisit-cycle applies to --revisit adaptive; with --revisit all every article is asked every run")
		}
	case crawler.RevisitAdaptive:
		if opts.RevisitCycle == 0 {
			opts.RevisitCycle = crawler.DefaultRevisitCycle
		}
		if opts.RevisitCycle < 48*time.Hour {
			return nil, usageErrorf("--revisit-cycle %v: want at least 48h (a shorter cycle asks every article every night: --revisit all)", opts.RevisitCycle)
		}
	default:
		return nil, usageErrorf("--revisit %q: want all or adaptive", opts.Revisit)
	}
	if opts.Proxy != "" {
		u, err := url.Parse(opts.Proxy)
		if err != nil || u.Scheme != "http" || u.Host == "" {
			return nil, usageErrorf("--proxy %q: want an http:// proxy URL, e.g. http://proxy.example:3128", opts.Proxy)
		}
		proxy = u
	}
	for _, s := range opts.Sites {
		n, err := urlnorm.Normalize(nil, s)
		if err == nil {
			if p := mustParse(n).Port(); p != "" {
				if v, perr := strconv.Atoi(p); perr != nil || v < 1 || v > 65535 {
					err = fmt.Errorf("port %s is not a port (1–65535)", p)
				}
			}
		}
		if err != nil {
			return nil, usageErrorf("--site %q: %v (want an http:// or https:// URL)", s, err)
		}
	}
	return proxy, nil
}

// markLostRecords marks damaged the records the catalog places past the
// end of the WARC file name, which Recover just finished: lost by a power
// cut (store.MarkLost). Their pages are fetched whole by this crawl.
func markLostRecords(ctx context.Context, st *store.Store, name string, log *slog.Logger) error {
	fi, err := os.Stat(filepath.Join(st.WARCPath(), name))
	if err != nil {
		return fmt.Errorf("finish the WARC files of an interrupted crawl: %w", err)
	}
	n, err := st.MarkLost(ctx, name, fi.Size(), time.Now())
	if err != nil {
		return fmt.Errorf("finish the WARC files of an interrupted crawl: %w", err)
	}
	if n > 0 {
		log.Warn("records the catalog names were lost with the end of a WARC file (a power cut?); their pages are fetched whole again",
			"file", name, "records", n)
	}
	return nil
}

func runCrawl(ctx context.Context, f *Factory, opts *CrawlOptions) error {
	proxy, err := opts.check()
	if err != nil {
		return err
	}
	profiles, err := loadProfiles(opts.ProfileFile)
	if err != nil {
		return err
	}
	log := f.Logger()
	st, done, err := f.OpenStoreForWriting(ctx, false, "crawl")
	if err != nil {
		return err
	}
	defer done()

	// A crawl killed with kill -9 leaves its last WARC file ".open",
	// perhaps with half a record at its end: finish it before writing more.
	recovered, err := warc.Recover(st.WARCPath())
	if err != nil {
		return fmt.Errorf("finish the WARC files of an interrupted crawl: %w", err)
	}
	for _, r := range recovered {
		log.Warn("finished a WARC file left open by an interrupted crawl", "file", r.File, "records", r.Records, "cut_bytes", r.CutBytes, "damaged_bytes_kept", r.DamagedBytes)
		if err := markLostRecords(ctx, st, r.File, log); err != nil {
			return err
		}
	}
	indexed, err := warc.IndexMissing(st.WARCPath())
	if err != nil {
		return fmt.Errorf("index the WARC files of an interrupted crawl: %w", err)
	}
	for _, name := range indexed {
		log.Warn("wrote the missing CDXJ index of a WARC file", "file", name)
	}

	// Large responses wait in files under the data directory, not in
	// the system's temporary directory (a tmpfs on many machines: memory),
	// and a killed crawl's files are removed here, under the crawl lock.
	spoolDir := st.SpoolPath()
	if removed, err := crawler.PrepareSpoolDir(spoolDir); err != nil {
		return err
	} else if removed > 0 {
		log.Warn("removed temporary files left by an interrupted crawl", "dir", spoolDir, "files", removed)
	}
	if err := reextractIfStale(ctx, st, profiles, attach.Options{OCR: opts.OCR, TempDir: spoolDir}, log); err != nil {
		return err
	}

	robots := "obey"
	if opts.IgnoreRobots {
		robots = "ignore"
	}
	w, err := warc.NewWriter(st.WARCPath(), warc.WriterOptions{
		Prefix:   "tulieu",
		Software: "tulieu/0.1 (colly, internetarchive/gowarc)",
		Info:     map[string]string{"robots": robots, "http-header-user-agent": opts.UserAgent, "isPartOf": "tulieu"},
	})
	if err != nil {
		return err
	}
	defer w.Close()

	copts := crawler.Options{
		Sites: opts.Sites, MaxPages: opts.MaxPages, Delay: opts.Delay, Parallel: opts.Parallel,
		Timeout: opts.Timeout, UserAgent: opts.UserAgent, IgnoreRobots: opts.IgnoreRobots,
		MaxBodySize: opts.MaxBodySize, Profiles: profiles, MaxPerPattern: opts.MaxPerShape,
		MaxRetries: opts.Retries, ListingImages: opts.ListingImages, Proxy: proxy, OCR: opts.OCR,
		Revisit: opts.Revisit, RevisitCycle: opts.RevisitCycle, SpoolDir: spoolDir,
	}
	if opts.Retries == 0 {
		copts.MaxRetries = -1 // crawler.Options: 0 means the default
	}
	progress := newProgressReporter(f, log)
	copts.Progress, copts.ProgressEvery = progress.report, progress.every
	sum, runErr := crawler.New(st, w, log).Run(ctx, copts)
	progress.done()
	if cerr := w.Close(); cerr != nil && runErr == nil {
		runErr = fmt.Errorf("close WARC file: %w", cerr)
	}
	diskFull := errors.Is(runErr, crawler.ErrDiskFull) || diskfull.Is(runErr)
	if diskFull {
		if !errors.Is(runErr, crawler.ErrDiskFull) {
			runErr = fmt.Errorf("%w: %w", crawler.ErrDiskFull, runErr)
		}
		runErr = fmt.Errorf("%w; the crawl stopped and keeps everything it recorded: free space under %s and run it again, it continues where it stopped", runErr, f.DataDir)
	}
	if sum == nil {
		return runErr
	}
	// Bring the index up to date so that a search right after finds the
	// new articles. A failure here loses nothing: the next search catches up.
	if ctx.Err() == nil && !diskFull {
		if err := f.UpdateIndex(ctx, st); err != nil {
			log.Warn("search index not updated; it will catch up on the next search", "err", err)
		}
	}
	if opts.JSON {
		enc := json.NewEncoder(f.IO.Out)
		if err := enc.Encode(sum); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(f.IO.Out, "run %d %s in %s: fetched %d; articles new %d, changed %d, unchanged %d, deleted %d; "+
			"static pages new %d, changed %d, unchanged %d, deleted %d; %d images and stylesheets; errors %d; %s received%s\n",
			sum.RunID, sum.Status, sum.Finished.Sub(sum.Started).Round(time.Millisecond), sum.Fetched, sum.New, sum.Changed,
			sum.Unchanged, sum.Deleted, sum.PagesNew, sum.PagesChanged, sum.PagesUnchanged, sum.PagesDeleted, sum.Requisites,
			sum.Errors, humanBytes(sum.Bytes), notDueNote(sum.NotDue))
	}
	if runErr != nil {
		return runErr
	}
	if sum.Status == store.RunInterrupted {
		return fmt.Errorf("%w: the crawl stopped early; run it again to continue", errInterrupted)
	}
	// Pages only: requisites (images, stylesheets) have their own count.
	if pages := sum.Pages; pages > 0 && float64(sum.Errors)/float64(pages) > opts.MaxErrorRate {
		return fmt.Errorf("%w: %d of %d page requests failed (%.0f %%), more than --max-error-rate %.0f %%; what was fetched is archived",
			errErrorRate, sum.Errors, pages, 100*float64(sum.Errors)/float64(pages), 100*opts.MaxErrorRate)
	}
	return nil
}

// notDueNote tells how many known articles --revisit adaptive left for a
// later run.
func notDueNote(n int64) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; %d known articles and pages not due (--revisit adaptive)", n)
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// mustParse parses a URL urlnorm made: it parses.
func mustParse(s string) *url.URL {
	u, _ := url.Parse(s)
	return u
}
