package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"tulieu/api"
	"tulieu/crawler"
	"tulieu/index"
	"tulieu/internal/mmapadvice"
	"tulieu/store"
	"tulieu/web"
)

// ServeOptions are the flags of `tulieu serve`.
type ServeOptions struct {
	Addr string
	// AuthToken, when set, is asked of every request (bearer token, or the
	// password of HTTP basic auth): for a server shared on an office
	// network.
	AuthToken string
	// MaxSearches caps the searches running at once (0: the server's
	// default, one per core).
	MaxSearches int
	// Ready, if set, is told the address actually listened on (tests use
	// port 0).
	Ready func(addr string)
	// CatchUpEvery is how often the index looks for catalog changes.
	CatchUpEvery time.Duration
	// IndexMemory bounds the index's pages kept mapped in the process, in
	// bytes (0: no bound; see mmapadvice.Bound).
	IndexMemory int64
	// RecrawlEvery, when set, has the server crawl Crawl.Sites itself that
	// often: the single-process alternative to a nightly timer.
	RecrawlEvery time.Duration
	// Crawl are the options of those crawls.
	Crawl CrawlOptions
}

// NewCmdServe builds `tulieu serve`.
func NewCmdServe(f *Factory, runF func(context.Context, *ServeOptions) error) *cobra.Command {
	opts := &ServeOptions{}
	var indexMemoryMiB int64
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the search page and its JSON API",
		Long: `Serve the archive's web page: browse and search articles, read them with their images
and attachments from the archive, compare their versions, view any capture as archived,
download result sets; and a JSON API whose answers are those of the CLI's --json:

  GET /api/search?q=…              tulieu search --json   (q, category, author, from, to,
                                                            sort, limit, offset, deleted=1, facets=1)
  GET /api/articles/ID             tulieu show --json ID
  GET /api/articles/ID/versions    the "history" of tulieu show --versions --json ID
  GET /api/articles/ID/diff?a=&b=  the word diff of two versions (JSON)
  GET /api/stats                   tulieu stats --json
  GET /api/changes?since=…         tulieu changes --json
  GET /api/ids?…                   the ids of a search's every match, one a line
  GET /export?…&format=csv|jsonl   tulieu export (the same selection parameters)
  GET /healthz, GET /metrics       liveness; Prometheus metrics

The index follows the catalog while it runs, so a crawl's changes appear within seconds.
Bound to loopback (the default) it answers only requests addressed to localhost; on
another address, protect it with --auth-token (or TULIEU_AUTH_TOKEN).`,
		Example: "  tulieu serve\n  TULIEU_AUTH_TOKEN=$(openssl rand -hex 16) tulieu serve --addr 0.0.0.0:8080",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			// The environment's token is read here, not made the flag's
			// default: --help prints defaults, and must not print it.
			if !cmd.Flags().Changed("auth-token") && f.Getenv != nil {
				opts.AuthToken = f.Getenv("TULIEU_AUTH_TOKEN")
			}
			if opts.RecrawlEvery == 0 {
				for _, name := range []string{"site", "user-agent", "delay"} {
					if cmd.Flags().Changed(name) {
						return usageErrorf("--%s applies to the crawls of --recrawl-every; without it serve crawls nothing", name)
					}
				}
			}
			if indexMemoryMiB < 0 {
				return usageErrorf("--index-memory must be 0 (no bound) or a number of MiB, not %d", indexMemoryMiB)
			}
			opts.IndexMemory = indexMemoryMiB << 20
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			tuneGC(f.Getenv)
			opts.MaxSearches = reserveNetworkProc(f.Getenv, opts.MaxSearches)
			return runServe(cmd.Context(), f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "address to listen on")
	cmd.Flags().Var(newDayDuration(&opts.RecrawlEvery, 0), "recrawl-every", "also crawl the site this often (e.g. 24h or 1d), in this process: instead of a nightly timer")
	cmd.Flags().StringArrayVar(&opts.Crawl.Sites, "site", nil, "with --recrawl-every: start URL; repeat for several sites (default "+crawler.DefaultSite+")")
	cmd.Flags().StringVar(&opts.Crawl.UserAgent, "user-agent", crawler.DefaultUserAgent, "with --recrawl-every: the crawls' User-Agent (add your contact)")
	cmd.Flags().DurationVar(&opts.Crawl.Delay, "delay", crawler.DefaultDelay, "with --recrawl-every: pause between requests to a host")
	cmd.Flags().StringVar(&opts.Crawl.ProfileFile, "profiles", "", "with --recrawl-every: JSON file of per-site extraction profiles, as crawl takes it (an archive read with other profiles is read again)")
	cmd.Flags().Int64Var(&indexMemoryMiB, "index-memory", defaultIndexMemoryMiB, "the most MiB of the index's pages the server keeps mapped; past it they go back to the page cache (0: no bound)")
	cmd.Flags().IntVar(&opts.MaxSearches, "max-searches", 0, "searches run at once; more wait in a queue (default one per core)")
	cmd.Flags().StringVar(&opts.AuthToken, "auth-token", "", "require this token of every request (env TULIEU_AUTH_TOKEN): bearer, or basic auth password")
	return cmd
}

// defaultIndexMemoryMiB is the most of the index the server keeps mapped
// by default (the program's own code, ~30 MiB, counts in it): with the
// heap's ~105 MiB under load, a server of a 50 000-article archive peaked
// at 278–283 MiB, within 300 MB (BENCHMARKS.md, "Serving under load").
const defaultIndexMemoryMiB = 184

// indexMemoryCheck is how often the server measures its mapped index
// pages besides after each search (one read of /proc/self/statm, a few
// microseconds): for what merges and catch-ups read.
const indexMemoryCheck = 100 * time.Millisecond

// boundedSearcher is the index with its mapped pages bounded after each
// search (the work that reads them).
type boundedSearcher struct {
	*index.Index
	bound *mmapadvice.Bound
}

func (b boundedSearcher) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	defer b.bound.Check()
	return b.Index.Search(ctx, req)
}

func (b boundedSearcher) MatchIDs(ctx context.Context, req index.Request, fn func(ids []string) error) error {
	defer b.bound.Check()
	return b.Index.MatchIDs(ctx, req, fn)
}

// reserveNetworkProc gives the Go scheduler one processor more than the
// searches may use (unless GOMAXPROCS says otherwise), and returns the
// cap on concurrent searches (maxSearches, or one per core). With every
// processor busy searching, a request that has arrived waits for the
// scheduler to poll the network, which it does when a processor runs
// out of work or every 10 ms: under 20 clients on two cores the clients
// saw p99 131 ms where the handlers took 91 ms. With a processor to
// spare the two agreed, and p99 fell to 111–114 ms (BENCHMARKS.md).
func reserveNetworkProc(getenv func(string) string, maxSearches int) int {
	if getenv == nil {
		getenv = os.Getenv
	}
	cores := runtime.GOMAXPROCS(0) // the cores this process may use (cgroup limits included)
	if maxSearches <= 0 {
		maxSearches = cores
	}
	if getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(cores + 1)
	}
	return maxSearches
}

// tuneGC sets the garbage collector for a long-running server, unless
// GOGC or GOMEMLIMIT say otherwise. A server's live heap is small (about
// 30 MB at 50 000 articles: the index is mmapped, not on the heap) and
// each search makes short-lived garbage, so collecting at every doubling
// of that small heap took about a quarter of its CPU under load
// (BENCHMARKS.md). It collects at five times the live heap instead, within
// a soft limit that makes it collect sooner should the heap ever grow.
func tuneGC(getenv func(string) string) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	softMemoryLimit(getenv, 256<<20)
}

// exportMemoryLimit is the export's soft heap limit. An export streams,
// but its heap still grew to twice what it held between collections: at
// 100 000 articles an md export by query peaked at 205 MiB, 159 MiB with
// this limit and no slower (BENCHMARKS.md, "Export").
const exportMemoryLimit = 80 << 20

// crawlMemoryLimit is the crawl's soft heap limit. A faster crawl keeps
// more pages and index batches in flight: 20 000 pages peaked at 252 MiB
// (166 MiB of it the process's own memory) without it, 209 MiB (121 MiB)
// with it, at about the same speed (BENCHMARKS.md, "The whole pipeline
// against wget").
const crawlMemoryLimit = 120 << 20

// reindexMemoryLimit is the reindex's soft heap limit. Without one, a
// reindex of 100 000 articles peaked at 392–416 MiB; with this one at
// 334 MiB in about the same time (68 s against 71 s), and with 200 MiB at
// 369 MiB (BENCHMARKS.md, "The whole pipeline against wget").
const reindexMemoryLimit = 150 << 20

// crawlGCPercent is the crawl's GOGC. Its heap is bounded by
// crawlMemoryLimit, so collecting at every doubling of the live heap
// bought no memory: at 10 000 pages, GOGC 400 crawled 820–837 pages/s
// against 755–759 with the default 100, peak RSS 177–180 against 172 MiB
// (BENCHMARKS.md, "The whole pipeline against wget").
const crawlGCPercent = 400

// tuneCrawlGC sets the collector for a crawl, unless GOGC or GOMEMLIMIT
// say otherwise: seldom, within the crawl's soft heap limit.
func tuneCrawlGC(getenv func(string) string) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if getenv("GOGC") == "" {
		debug.SetGCPercent(crawlGCPercent)
	}
	softMemoryLimit(getenv, crawlMemoryLimit)
}

// softMemoryLimit makes the collector work harder as the heap nears
// limit, unless GOMEMLIMIT says otherwise. It is soft: a heap that needs
// more gets it, with the collector's CPU capped by the runtime.
func softMemoryLimit(getenv func(string) string, limit int64) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(limit)
	}
}

// errAlreadyServed: another `tulieu serve` serves the data directory.
var errAlreadyServed = errors.New("this archive is already served")

func runServe(ctx context.Context, f *Factory, opts *ServeOptions) error {
	if _, err := checkAddr(opts.Addr); err != nil {
		return err
	}
	if opts.RecrawlEvery < 0 {
		return usageErrorf("--recrawl-every must be a positive duration, such as 24h")
	}
	if opts.RecrawlEvery > 0 {
		co := recrawlOptions(opts)
		if _, err := co.check(); err != nil {
			return err
		}
		// A profiles file that does not read is said now, not at the
		// first crawl a day later.
		if _, err := loadProfiles(co.ProfileFile); err != nil {
			return err
		}
	}
	if opts.AuthToken != "" && len(opts.AuthToken) < 12 {
		return usageErrorf("--auth-token is too short to protect anything: use 12 characters or more")
	}
	log := f.Logger()
	st, err := f.OpenStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if rs := f.runningServer(ctx, st.Dir()); rs != nil {
		// Said at once, with where it is, rather than after waiting for
		// the index it holds.
		pid := 0
		if si, err := readServerInfo(st.Dir()); err == nil {
			pid = si.PID
		}
		return fmt.Errorf("%w at %s (tulieu serve, pid %d): open that address, or stop that server (Ctrl-C, or kill -INT %d) before starting another",
			errAlreadyServed, rs.base, pid, pid)
	}
	// The index's pages come back one by one, as the bound on them
	// assumes, not in the large folios a reindex or a copy left in the
	// page cache (mmapadvice.Evict). The first searches read them from
	// disk.
	evictIndex := func() {
		if opts.IndexMemory <= 0 {
			return
		}
		if _, err := mmapadvice.Evict(st.IndexPath()); err != nil {
			f.Logger().Debug("could not drop the index from the page cache", "err", err)
		}
	}
	evictIndex()
	ix, err := f.OpenIndex(ctx, st)
	if err != nil {
		return err
	}
	defer ix.Close()
	// Again: opening the index may have rebuilt and merged it (after an
	// upgrade to another index schema), which leaves the new segments in
	// large folios. Pages already mapped stay.
	evictIndex()
	dataDir, err := filepath.Abs(st.Dir())
	if err != nil {
		return err
	}
	instance, err := newInstanceToken()
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (is another server using that port? choose another with --addr)", opts.Addr, err)
	}
	loopback := web.IsLoopbackAddr(ln.Addr().String())
	if !loopback {
		if opts.AuthToken == "" {
			log.Warn("serving on a non-loopback address without --auth-token: anyone who can reach it can read the archive", "addr", ln.Addr().String())
		} else {
			log.Info("serving on a non-loopback address; every request needs the access token", "addr", ln.Addr().String())
		}
	}
	// Searches read the index through mmap; without a bound every page
	// ever read stays in the server's resident set (BENCHMARKS.md). It is
	// looked at after each search, and on a timer.
	bound := mmapadvice.NewBound(opts.IndexMemory, func() error {
		// The segments are held while they are advised: none is
		// unmapped meanwhile (and its addresses given to other memory).
		return ix.WithSegmentFiles(func(paths []string) error {
			_, err := mmapadvice.Release(paths)
			return err
		})
	}, func(resident int64, err error) {
		if err != nil {
			log.Debug("could not release the index's mappings", "err", err)
		}
	})
	handler := web.New(boundedSearcher{ix, bound}, st, web.Options{
		Log:           log,
		Loopback:      loopback,
		AuthToken:     opts.AuthToken,
		InstanceToken: instance,
		DataDir:       dataDir,
		MaxSearches:   opts.MaxSearches,
		Stats: func(ctx context.Context) (*api.Stats, error) {
			return api.NewStats(ctx, st, ix, "")
		},
		LastCrawl: func(ctx context.Context) (time.Time, string, error) {
			// The last run that ended: while the nightly crawl runs (one
			// at a time, under the crawl lock), the one before it.
			runs, err := st.Runs(ctx, 2)
			if len(runs) > 0 && runs[0].Status == store.RunRunning {
				runs = runs[1:]
			}
			if err != nil || len(runs) == 0 {
				return time.Time{}, "", err
			}
			return runs[0].Finished, runs[0].Status, nil
		},
	})
	srv := web.HTTPServer(handler, log)
	url := browseURL(ln.Addr().String())
	log.Info("serving", "url", url, "data", dataDir)
	// Tell the other commands where to ask while we hold the index.
	si := serverInfo{URL: "http://" + ln.Addr().String(), PID: os.Getpid(), Token: instance, DataDir: dataDir}
	if err := writeServerInfo(st.Dir(), si); err != nil {
		ln.Close()
		return fmt.Errorf("record the server address: %w", err)
	}
	defer removeOwnServerInfo(st.Dir(), instance)
	if opts.Ready != nil {
		opts.Ready(ln.Addr().String())
	}
	adviseRandom := func() {
		if _, err := mmapadvice.Random(st.IndexPath()); err != nil {
			log.Debug("could not advise the index's mappings", "err", err)
		}
	}
	adviseRandom()
	// The background work ends before the index and the catalog close
	// (deferred above, so run after this).
	var background sync.WaitGroup
	defer background.Wait()
	bgCtx, stopBackground := context.WithCancel(ctx)
	defer stopBackground() // (deferred last: runs first, and ends them)
	// Follow the catalog: a crawl running beside us adds articles. Asking
	// for the change sequence is one cheap query. New segments (of the
	// catch-up, or of bleve's merges) are new mappings, advised in turn.
	background.Go(func() {
		every := opts.CatchUpEvery
		if every <= 0 {
			every = 5 * time.Second
		}
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-bgCtx.Done():
				return
			case <-t.C:
				// A merge after it keeps the server's own bound: a
				// smaller one would release the pages searches are
				// reading for as long as it runs.
				if _, err := catchUpBounded(bgCtx, st, ix, opts.IndexMemory, log); err != nil && bgCtx.Err() == nil {
					log.Warn("index catch-up failed", "err", err)
				}
				adviseRandom()
			}
		}
	})
	background.Go(func() { bound.Run(bgCtx, indexMemoryCheck) })
	if opts.RecrawlEvery > 0 {
		background.Go(func() { recrawl(bgCtx, f, st, opts) })
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			// Still open after the grace period: a request that would
			// not finish, or a connection a client opened and never used
			// (Go counts those busy for their first 5 s). Closed.
			log.Warn("connections still open at shutdown; closing them", "err", err)
			srv.Close()
		}
		if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

// recrawl crawls the site every opts.RecrawlEvery, counted from the end
// of the last crawl (a server started long after the last one crawls at
// once), until ctx ends. Each crawl is `tulieu crawl` with the server's
// crawl options; it takes the crawl lock like any other, so a crawl
// started by hand or by a timer meanwhile is never doubled. The server's
// catch-up brings its changes into the index.
func recrawl(ctx context.Context, f *Factory, st *store.Store, opts *ServeOptions) {
	log := f.Logger()
	co := recrawlOptions(opts)
	var retry time.Duration // after a crawl that could not run
	for {
		runs, err := st.Runs(ctx, 1)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			log.Warn("the catalog's last crawl could not be read; the next crawl is counted from now", "err", err)
			runs = nil
		}
		var last *store.Run
		if len(runs) > 0 {
			last = &runs[0]
		}
		wait := max(recrawlWait(last, opts.RecrawlEvery, time.Now(), err != nil), retry)
		log.Info("next crawl", "in", wait.Round(time.Second))
		select {
		case <-ctx.Done():
			return
		case <-time.After(max(wait, 0)):
		}
		log.Info("crawling", "sites", co.Sites)
		retry = 0
		if err := runCrawl(ctx, f, &co); err != nil && ctx.Err() == nil {
			// A failed crawl waits for the next turn, as a timer's would;
			// one that could not even start (another process's crawl
			// holds the lock, however long it has run; a profiles file
			// gone) is tried again after a while, never at once.
			log.Warn("the crawl failed", "err", err, "exit_code", ExitCode(err))
			retry = min(opts.RecrawlEvery, recrawlRetry)
		}
	}
}

// recrawlRetry is how long recrawl waits at least after a crawl that
// failed before the next try.
const recrawlRetry = 10 * time.Minute

// recrawlWait is how long recrawl waits before its next crawl, every
// apart, after last (the catalog's latest run; nil for none): counted
// from the end of last, so at once when that was longer ago; at once for
// an archive never crawled (a new installation is not left empty for a
// day); for a run with no end (killed, or a crawl another process runs
// now), from its start, so that a crawl running now is not doubled (nor
// retried in a loop while it holds the lock) and one killed long ago is
// continued. unknown: the catalog could not say; a whole period then.
func recrawlWait(last *store.Run, every time.Duration, now time.Time, unknown bool) time.Duration {
	switch {
	case unknown:
		return every
	case last == nil:
		return 0
	case last.Finished.IsZero():
		return max(last.Started.Add(every).Sub(now), 0)
	default:
		return max(last.Finished.Add(every).Sub(now), 0)
	}
}

// checkAddr refuses an --addr that no server can listen on for what it
// says (not for a port in use): it returns the host.
func checkAddr(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err == nil && port != "" && strings.Trim(port, "0123456789") == "" {
		if n, perr := strconv.Atoi(port); perr != nil || n > 65535 {
			err = errors.New("not a port")
		}
	}
	if err != nil {
		return "", usageErrorf("--addr %q: want HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:8080", addr)
	}
	return host, nil
}

// recrawlOptions are the options of the crawls of --recrawl-every: the
// server's crawl flags, and the crawl's defaults for the rest.
func recrawlOptions(opts *ServeOptions) CrawlOptions {
	co := opts.Crawl
	co.Parallel, co.Timeout = crawler.DefaultParallel, crawler.DefaultTimeout
	co.MaxBodySize, co.Retries = crawler.DefaultMaxBodySize, crawler.DefaultMaxRetries
	co.MaxPerShape, co.MaxErrorRate = crawler.DefaultMaxPerPattern, 0.10
	return co
}

// removeOwnServerInfo removes serve.json if it is still ours (a second
// server may have replaced it after we lost the index; never remove its).
func removeOwnServerInfo(dir, token string) {
	if si, err := readServerInfo(dir); err == nil && si.Token == token {
		os.Remove(filepath.Join(dir, serverFile))
	}
}
