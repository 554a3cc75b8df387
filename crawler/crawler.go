package crawler

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"

	"tulieu/attach"
	"tulieu/extract"
	"tulieu/store"
	"tulieu/warc"
)

// DefaultSite is what `tulieu crawl` archives when no site is given.
const DefaultSite = "http://danguykhoithanhhoa.org.vn/"

// DefaultUserAgent says who we are and where to read about it, so a site
// owner who sees us in the logs knows whom to ask.
const DefaultUserAgent = "tulieu/0.1 (+https://github.com/tulieu/tulieu; web archive of danguykhoithanhhoa.org.vn)"

// Defaults for Options.
const (
	DefaultDelay             = time.Second
	DefaultParallel          = 2
	DefaultTimeout           = 30 * time.Second
	DefaultMaxBodySize       = 20 << 20
	DefaultMaxAttachmentSize = 200 << 20
	DefaultMaxRequisiteSize  = 20 << 20 // an image or stylesheet bigger than this is a photo archive, not page decoration
	DefaultMaxDepth          = 100
	DefaultMaxRetries        = 3
	DefaultRetryBase         = 2 * time.Second
	DefaultMaxPause          = 10 * time.Minute
	DefaultMaxPerPattern     = 1000
)

// Catalog is what the crawler needs of the catalog; *store.Store is one.
type Catalog interface {
	StartRun(ctx context.Context, seeds []string, at time.Time) (int64, error)
	FinishRun(ctx context.Context, id int64, status, note string, c store.Counts, at time.Time) error
	AddCapture(ctx context.Context, c *store.Capture) (int64, error)
	SetCaptureKind(ctx context.Context, id int64, kind string) error
	LastGoodCapture(ctx context.Context, url string) (*store.Capture, error)
	Recorded(ctx context.Context, url string) (bool, error)
	SaveArticle(ctx context.Context, canonicalURL string, c store.Content, captureID int64, at time.Time) (store.Outcome, *store.Article, error)
	MarkUnchanged(ctx context.Context, canonicalURL string, at time.Time) (id, kind string, err error)
	MarkDeleted(ctx context.Context, canonicalURL string, at time.Time) (kind string, err error)
	LiveURLs(ctx context.Context) ([]string, error)
	Resumable(ctx context.Context, seeds []string) (runID int64, ok bool, err error)
	ContinueRun(ctx context.Context, from, to int64) (pending []store.FrontierEntry, handled int, err error)
	HandledURLs(ctx context.Context, runID int64) ([]string, error)
	Enqueued(ctx context.Context, runID int64, url string, depth int) error
	Handled(ctx context.Context, runID int64, url string) error
	AddOutlinks(ctx context.Context, captureID int64, urls []string) error
	Article(ctx context.Context, idOrURL string) (*store.Article, error)
	Reclassify(ctx context.Context, canonicalURL, kind string) (bool, error)
	// ArchivedPage reads a page back from the archive: a page answered
	// 304 still needs its requisites checked, and they are in the copy
	// the archive holds.
	ArchivedPage(ctx context.Context, captureID int64) (*store.ArchivedPage, error)
	CaptureByID(ctx context.Context, id int64) (*store.Capture, error)
	// SetPageRequisites records the requisites found in a page under
	// its response capture; PageRequisites returns them for that capture
	// or a revisit of it, with the response capture's id (ok false: not
	// recorded, read the archived page).
	SetPageRequisites(ctx context.Context, pageCaptureID int64, urls []string) error
	PageRequisites(ctx context.Context, captureID int64) (urls []string, pageCaptureID int64, ok bool, err error)
	SaveAttachmentText(ctx context.Context, t store.AttachmentText) error
	AttachmentTextRead(ctx context.Context, captureID int64) (bool, error)
}

// Options configure a crawl.
type Options struct {
	Sites             []string      // start URLs; the crawl stays on their hosts (with and without www.)
	MaxPages          int           // stop after this many requests; 0 = no limit
	MaxDepth          int           // links followed from a start URL; 0 = DefaultMaxDepth
	Delay             time.Duration // pause between requests to a host
	Parallel          int           // requests in flight per host
	Timeout           time.Duration // for one whole exchange, stalls included
	UserAgent         string
	IgnoreRobots      bool
	MaxBodySize       int64 // pages; bigger bodies are cut and marked truncated
	MaxAttachmentSize int64 // attachments (PDF, DOC...)
	Profiles          []extract.Profile
	// MaxRequisiteSize bounds a page requisite (image, stylesheet); bigger
	// ones are cut and marked truncated. 0 = DefaultMaxRequisiteSize.
	MaxRequisiteSize int64
	// ListingImages archives the requisites of listing pages (home,
	// categories) too: mostly thumbnails of the articles' own images, so
	// they are left out by default. Articles and static pages always get
	// theirs.
	ListingImages bool
	// MaxRetries is how many times a transient failure (timeout, reset,
	// 429, 5xx) is retried; RetryBase is the first backoff, doubled each
	// time, with jitter. 429 and 503 wait for Retry-After instead.
	MaxRetries int
	RetryBase  time.Duration
	// MaxPause caps a Crawl-delay or a Retry-After a server asks for.
	MaxPause time.Duration
	// MaxPerPattern bounds chains of same-shape pages: a URL found on a
	// page of its own shape (digits taken as alike: /lich?ngay=2019-01-01
	// and /lich?ngay=2019-01-02 are one shape) continues that page's chain,
	// and no chain grows longer than this, so a calendar that links to the
	// next day forever stops. Articles found on listings start chains of
	// their own, so a site with many articles of one shape is not cut.
	MaxPerPattern int
	// Progress, if set, is called every ProgressEvery with the counts so far.
	Progress      func(Progress)
	ProgressEvery time.Duration
	// OCR reads attached PDFs that are scans with Tesseract (attach.Options).
	OCR bool
	// Proxy is the HTTP proxy for every request (http:// as a forward
	// proxy, https:// through CONNECT); nil takes HTTP_PROXY, HTTPS_PROXY
	// and NO_PROXY from the environment.
	Proxy *url.URL
	// TLS configures the client side of HTTPS (trusted roots); nil is the
	// system's.
	TLS *tls.Config
}

// Progress is a snapshot of a running crawl.
type Progress struct {
	Started time.Time
	Queued  int64
	store.Counts
}

// Summary is what a crawl did; it is printed by `tulieu crawl --json`.
type Summary struct {
	RunID       int64     `json:"run_id"`
	ResumedFrom int64     `json:"resumed_from,omitempty"` // the interrupted run this one continued
	Started     time.Time `json:"started"`
	Finished    time.Time `json:"finished"`
	Status      string    `json:"status"`
	store.Counts
	// Requisites are the images and stylesheets archived (200, 304, or a
	// redirect), RequisiteErrors those that failed. Neither is in the
	// article counts, nor in errors, which count pages.
	Requisites      int64 `json:"requisites"`
	RequisiteErrors int64 `json:"requisite_errors"`
}

// counters are updated from colly's goroutines.
type counters struct {
	fetched, errors, bytes, queued atomic.Int64
	requisites, requisiteErrors    atomic.Int64
	// Outcomes: articles (kind article) and static pages (kind page).
	new, changed, unchanged, deleted                     atomic.Int64
	pagesNew, pagesChanged, pagesUnchanged, pagesDeleted atomic.Int64
}

// outcome counts what happened to an article or a static page: the
// summary counts articles, and static pages apart.
func (c *counters) outcome(kind string, article, page *atomic.Int64) {
	switch kind {
	case store.KindArticle:
		article.Add(1)
	case store.KindPage:
		page.Add(1)
	}
}

func (c *counters) snapshot() store.Counts {
	return store.Counts{Fetched: c.fetched.Load(), New: c.new.Load(), Changed: c.changed.Load(),
		Unchanged: c.unchanged.Load(), Deleted: c.deleted.Load(), Errors: c.errors.Load(), Bytes: c.bytes.Load(),
		PagesNew: c.pagesNew.Load(), PagesChanged: c.pagesChanged.Load(), PagesUnchanged: c.pagesUnchanged.Load(),
		PagesDeleted: c.pagesDeleted.Load()}
}

// ErrUnreachable is returned when not one start URL could be fetched.
var ErrUnreachable = errors.New("site unreachable")

// Crawler crawls sites into a catalog and an archive.
type Crawler struct {
	catalog Catalog
	archive Archive
	log     *slog.Logger
}

// New returns a crawler writing into catalog and archive.
func New(catalog Catalog, archive Archive, log *slog.Logger) *Crawler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Crawler{catalog: catalog, archive: archive, log: log}
}

func (o *Options) setDefaults() error {
	if len(o.Sites) == 0 {
		o.Sites = []string{DefaultSite}
	}
	if o.Parallel <= 0 {
		o.Parallel = DefaultParallel
	}
	if o.Delay < 0 {
		return errors.New("--delay must not be negative")
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.MaxBodySize <= 0 {
		o.MaxBodySize = DefaultMaxBodySize
	}
	if o.MaxAttachmentSize <= 0 {
		o.MaxAttachmentSize = DefaultMaxAttachmentSize
	}
	if o.MaxRequisiteSize <= 0 {
		o.MaxRequisiteSize = DefaultMaxRequisiteSize
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.MaxPages < 0 {
		return errors.New("--max-pages must not be negative")
	}
	if o.MaxRetries < 0 {
		o.MaxRetries = 0
	} else if o.MaxRetries == 0 {
		o.MaxRetries = DefaultMaxRetries
	}
	if o.RetryBase <= 0 {
		o.RetryBase = DefaultRetryBase
	}
	if o.MaxPause <= 0 {
		o.MaxPause = DefaultMaxPause
	}
	if o.MaxPerPattern <= 0 {
		o.MaxPerPattern = DefaultMaxPerPattern
	}
	if o.ProgressEvery <= 0 {
		o.ProgressEvery = 10 * time.Second
	}
	return nil
}

// ctx keys colly carries from a request to its response.
const (
	ctxKey     = "tulieu.key"
	ctxDepth   = "tulieu.depth"
	ctxAttempt = "tulieu.attempt"
	ctxURL     = "tulieu.url" // the URL as queued, before redirects
	ctxChain   = "tulieu.chain"
	ctxBarren  = "tulieu.barren"
)

// Run crawls until every reachable in-scope page has been fetched once, the
// page limit is reached, or ctx is cancelled (an interrupted run is recorded
// as such, and what it archived stays). It returns an error only when the
// crawl could not run at all.
func (cr *Crawler) Run(ctx context.Context, opts Options) (*Summary, error) {
	if err := opts.setDefaults(); err != nil {
		return nil, err
	}
	var seeds []*url.URL
	var seedURLs []string
	for _, s := range opts.Sites {
		n, err := Normalize(nil, s)
		if err != nil {
			return nil, fmt.Errorf("--site %q: %v (want an http:// or https:// URL)", s, err)
		}
		u, _ := url.Parse(n)
		seeds = append(seeds, u)
		seedURLs = append(seedURLs, n)
	}
	sc := newScope(seeds)

	// A write that finds the disk full stops the crawl (see ErrDiskFull).
	ctx, stopCrawl := context.WithCancelCause(ctx)
	defer stopCrawl(nil)
	full := &fullDisk{stop: stopCrawl}
	cr = &Crawler{catalog: fullDiskCatalog{Catalog: cr.catalog, f: full}, archive: fullDiskArchive{Archive: cr.archive, f: full},
		log: slog.New(quietDiskFull{cr.log.Handler()})}

	prevRun, resume, err := cr.catalog.Resumable(ctx, seedURLs)
	if err != nil {
		return nil, fmt.Errorf("read the last run: %w", err)
	}
	started := time.Now().UTC()
	runID, err := cr.catalog.StartRun(ctx, seedURLs, started)
	if err != nil {
		return nil, fmt.Errorf("record run: %w", err)
	}
	log := cr.log.With("run", runID)
	// An interrupted run is continued: what it handled is not fetched
	// again, what it had queued is queued again.
	var pending []store.FrontierEntry
	var handled []string
	if resume {
		var n int
		if pending, n, err = cr.catalog.ContinueRun(ctx, prevRun, runID); err != nil {
			return nil, fmt.Errorf("continue run %d: %w", prevRun, err)
		}
		if handled, err = cr.catalog.HandledURLs(ctx, runID); err != nil {
			return nil, err
		}
		log.Info("continuing an interrupted crawl", "from_run", prevRun, "already_handled", n, "still_queued", len(pending))
	}
	// Every article already known is re-checked, so that changed and
	// deleted ones are noticed even when no listing links to them.
	live, err := cr.catalog.LiveURLs(ctx)
	if err != nil {
		return nil, fmt.Errorf("list known articles: %w", err)
	}
	counts := &counters{}
	// Reading the archive during the crawl (the copy of a page answered
	// 304, for its requisites) must not overlap writing it: every reader
	// gowarc makes sets a package-level uuid option (uuid.EnableRandPool),
	// which the writer reads when it draws a record id. One lock keeps the
	// two apart; writes were one at a time anyway.
	archiveMu := &sync.Mutex{}
	rec := newRecorder(&lockedArchive{mu: archiveMu, a: cr.archive}, cr.catalog, runID, &opts, counts, func(msg string, args ...any) { log.Warn(msg, args...) })

	c := colly.NewCollector(
		colly.Async(true),
		colly.StdlibContext(ctx),
		colly.UserAgent(opts.UserAgent),
		colly.AllowedDomains(sc.hosts()...),
		colly.MaxBodySize(0), // the recorder enforces the limits, on the wire and decoded
		colly.ParseHTTPErrorResponse(),
		colly.IgnoreRobotsTxt(), // politeness does it: once per host, with Crawl-delay
	)
	c.WithTransport(rec)
	c.SetRequestTimeout(opts.Timeout + 5*time.Second) // the recorder's own deadline fires first
	// --parallel is per host: the recorder holds each host to it (pages,
	// hops, requisites alike), so colly's one limit only has to let every
	// start URL's host have its share; politeness spaces the starts.
	if err := c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: opts.Parallel * len(seeds)}); err != nil {
		return nil, err
	}
	pol := newPoliteness(&http.Client{Transport: rec, Timeout: opts.Timeout}, &opts,
		func(msg string, args ...any) { log.Info(msg, args...) })
	c.SetRedirectHandler(pol.politeRedirect)
	seen := newURLSet()
	for _, u := range handled {
		seen.add(u)
	}
	reqs := newRequisiteFetcher(rec, pol, cr.catalog, seen, &opts, counts, log)

	// The first reason a fetch failed, for the message when nothing could
	// be fetched at all.
	var firstErr atomic.Pointer[error]
	fr := newFrontier(max(64, 8*opts.Parallel))
	stopOnCancel := context.AfterFunc(ctx, fr.stop)
	defer stopOnCancel()
	var reqSeq atomic.Int64
	var requested atomic.Int64
	c.OnRequest(func(r *colly.Request) {
		// An aborted request ends here: colly calls nothing more for it.
		abort := func() {
			r.Abort()
			fr.release()
		}
		if ctx.Err() != nil {
			abort()
			return
		}
		if _, isRetry := r.Ctx.GetAny(ctxAttempt).(int); !isRetry && opts.MaxPages > 0 && requested.Add(1) > int64(opts.MaxPages) {
			abort()
			return
		}
		if err := pol.wait(ctx, r.URL); err != nil {
			abort()
			return
		}
		key := strconv.FormatInt(reqSeq.Add(1), 10)
		r.Ctx.Put(ctxKey, key)
		r.Headers.Set(keyHeader, key)
		// Conditional re-fetch of pages that were articles: a 304 costs no
		// body. Listings are always fetched whole, since they are how new
		// articles are found.
		prev, err := cr.catalog.LastGoodCapture(ctx, r.URL.String())
		if err != nil {
			prev = nil
		}
		rec.expect(key, r.URL.String(), prev)
		if prev != nil && (prev.Kind == store.KindArticle || prev.Kind == store.KindPage) {
			// Only for an article the catalog recorded: a crawl killed
			// after fetching the page but before recording it left the
			// capture alone, and a 304 would then record nothing.
			if ok, err := cr.catalog.Recorded(ctx, r.URL.String()); err != nil || !ok {
				prev = nil
			}
		}
		if prev != nil && (prev.Kind == store.KindArticle || prev.Kind == store.KindPage) {
			if prev.ETag != "" {
				r.Headers.Set("If-None-Match", prev.ETag)
			}
			if prev.LastModified != "" {
				r.Headers.Set("If-Modified-Since", prev.LastModified)
			}
		}
	})

	// enqueue queues a URL found on from (nil for start URLs) and reports
	// whether it was new to this run.
	var enqueue func(u string, depth int, from *origin) bool
	enqueue = func(u string, depth int, from *origin) bool {
		if depth > opts.MaxDepth || ctx.Err() != nil {
			return false
		}
		pu, err := url.Parse(u)
		if err != nil {
			return false
		}
		chain := from.chainTo(pu)
		barren := 0
		if chain > 0 {
			barren = from.barren
			if barren >= maxBarren {
				// Not marked seen: found again on a page that brings
				// something, it is queued then.
				log.Debug("a chain of same-shape pages that brings nothing new; not queued", "url", u, "pattern", urlPattern(pu))
				return false
			}
		}
		if !seen.add(u) {
			return false // queued before in this run
		}
		if chain >= opts.MaxPerPattern {
			log.Debug("too long a chain of same-shape pages; not queued", "url", u, "pattern", urlPattern(pu))
			return false
		}
		for _, sm := range pol.sitemaps(ctx, pu) {
			if n, err := Normalize(nil, sm); err == nil && sc.contains(n) {
				enqueue(n, 1, nil)
			}
		}
		if ok, err := pol.allowed(ctx, pu); !ok {
			if err != nil {
				log.Warn("not fetched: robots.txt could not be read", "url", u, "err", err)
				firstErr.CompareAndSwap(nil, &err)
			} else {
				log.Debug("robots.txt disallows", "url", u)
			}
			return false
		}
		if ferr := cr.catalog.Enqueued(context.WithoutCancel(ctx), runID, u, depth); ferr != nil {
			log.Warn("frontier not recorded; an interrupted run would fetch this again", "url", u, "err", ferr)
		}
		counts.queued.Add(1)
		fr.push(queued{url: u, depth: depth, chain: chain, barren: barren})
		return true
	}
	// submit hands one queued URL to colly.
	submit := func(q queued) bool {
		cctx := colly.NewContext()
		cctx.Put(ctxDepth, q.depth)
		cctx.Put(ctxURL, q.url)
		cctx.Put(ctxChain, q.chain)
		cctx.Put(ctxBarren, q.barren)
		err := c.Request(http.MethodGet, q.url, nil, cctx, nil)
		if err == nil {
			return true
		}
		var av *colly.AlreadyVisitedError
		if !errors.As(err, &av) && !errors.Is(err, colly.ErrForbiddenDomain) {
			log.Debug("not fetched", "url", q.url, "err", err)
		}
		if herr := cr.catalog.Handled(context.WithoutCancel(ctx), runID, q.url); herr != nil {
			log.Warn("frontier not updated", "url", q.url, "err", herr)
		}
		return false
	}

	p := &pageHandler{cr: cr, ctx: ctx, log: log, counts: counts, rec: rec, scope: sc, opts: &opts, enqueue: enqueue, pol: pol, runID: runID,
		hints: &categoryHints{m: map[string]string{}}, frontier: fr, requisites: reqs, archiveMu: archiveMu}
	c.OnResponse(p.handle)
	c.OnError(func(r *colly.Response, err error) {
		hops := rec.take(keyOf(r.Request))
		defer closeHops(hops)
		if ctx.Err() != nil || errors.Is(err, context.Canceled) {
			fr.release() // left unhandled: the next run continues with it
			return
		}
		var av *colly.AlreadyVisitedError
		if errors.As(err, &av) {
			// A redirect to a page this crawl already has: the hops are
			// archived and there is nothing more to fetch.
			p.handled(r)
			return
		}
		if errors.Is(err, errRobotsDisallowed) {
			// The hops up to it are archived; the target is not ours to fetch.
			p.handled(r)
			log.Info("redirect to a path robots.txt disallows not followed", "url", r.Request.URL.String(), "err", err)
			return
		}
		if errors.Is(err, colly.ErrForbiddenDomain) {
			// A redirect off the crawled sites: the hops are archived,
			// the target is another site's business.
			p.handled(r)
			log.Info("redirect off-site not followed", "url", r.Request.URL.String(), "err", err)
			return
		}
		if p.retry(r, 0, err) {
			return
		}
		p.handled(r)
		counts.errors.Add(1)
		firstErr.CompareAndSwap(nil, &err)
		log.Warn("fetch failed", "url", r.Request.URL.String(), "err", err, "hops", len(hops))
	})

	// Progress reports until the crawl ends.
	stopProgress := make(chan struct{})
	progressDone := make(chan struct{})
	go func() {
		defer close(progressDone)
		if opts.Progress == nil {
			return
		}
		t := time.NewTicker(opts.ProgressEvery)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				opts.Progress(Progress{Started: started, Queued: counts.queued.Load(), Counts: counts.snapshot()})
			case <-stopProgress:
				return
			}
		}
	}()

	// Start from the sites, then re-check every article we already have so
	// that changed and deleted ones are noticed even when no listing links
	// to them any more.
	for _, e := range pending {
		enqueue(e.URL, e.Depth, nil)
	}
	for _, s := range seedURLs {
		enqueue(s, 0, nil)
	}
	for _, u := range live {
		if sc.contains(u) {
			enqueue(u, 1, nil)
		}
	}
	fr.run(submit)
	c.Wait()
	close(stopProgress)
	<-progressDone

	sum := &Summary{RunID: runID, Started: started, Finished: time.Now().UTC(), Counts: counts.snapshot(),
		Requisites: counts.requisites.Load(), RequisiteErrors: counts.requisiteErrors.Load()}
	if resume {
		sum.ResumedFrom = prevRun
	}
	status, note := store.RunCompleted, ""
	cause := context.Cause(ctx)
	switch {
	case errors.Is(cause, ErrDiskFull):
		status, note = store.RunInterrupted, cause.Error()+"; the next run continues once space is freed"
	case ctx.Err() != nil:
		status, note = store.RunInterrupted, "interrupted: "+cause.Error()
	case sum.Fetched == 0:
		status, note = store.RunFailed, "no page could be fetched from "+strings.Join(seedURLs, ", ")
		if e := firstErr.Load(); e != nil {
			note += " (" + (*e).Error() + "); check the address and the network"
		}
	}
	sum.Status = status
	if opts.Progress != nil {
		opts.Progress(Progress{Started: started, Queued: counts.queued.Load(), Counts: sum.Counts})
	}
	ferr := cr.catalog.FinishRun(context.WithoutCancel(ctx), runID, status, note, sum.Counts, sum.Finished)
	if errors.Is(cause, ErrDiskFull) {
		// The run's row may say "running" if the disk had no room for its
		// end either: the next run takes it as interrupted all the same.
		return sum, cause
	}
	if ferr != nil {
		return sum, fmt.Errorf("record end of run: %w", ferr)
	}
	if status == store.RunFailed {
		return sum, fmt.Errorf("%w: %s", ErrUnreachable, note)
	}
	return sum, nil
}

func keyOf(r *colly.Request) string {
	if r == nil || r.Ctx == nil {
		return ""
	}
	return r.Ctx.Get(ctxKey)
}

// pageHandler turns fetched responses into catalog records and new links.
type pageHandler struct {
	cr     *Crawler
	ctx    context.Context
	log    *slog.Logger
	counts *counters
	// counted are the articles (by id) this run has counted an outcome
	// of: an article reached by several URLs is counted once.
	counted sync.Map
	// missingPrograms are the attachment readers found missing, said once.
	missingPrograms sync.Map
	rec             *recorder
	scope           scope
	opts            *Options
	enqueue         func(string, int, *origin) bool
	pol             *politeness
	runID           int64
	hints           *categoryHints
	frontier        *frontier
	// requisites fetches the images and stylesheets of pages, in the
	// handler's goroutine: the page stays in progress until they are
	// archived, which keeps their number bounded by the frontier's.
	requisites *requisiteFetcher
	archiveMu  *sync.Mutex // held while reading the archive: see Run
}

// fillCategory gives an article whose page prints no breadcrumb the
// category of the listing that linked to it; failing that (the listing
// was not seen in this run), the category the catalog already has, so
// that a re-crawl does not take the category away.
func (p *pageHandler) fillCategory(ctx context.Context, c *store.Content, canonical, fetched string) {
	cat := p.hints.get(canonical)
	if cat == "" {
		cat = p.hints.get(fetched)
	}
	if cat == "" {
		if prev, err := p.cr.catalog.Article(ctx, canonical); err == nil {
			c.Breadcrumb, c.Category = prev.Breadcrumb, prev.Category
		}
		return
	}
	c.Breadcrumb, c.Category = []string{cat}, cat
}

// retry schedules another try of a failed fetch when the failure is
// transient and tries remain, and reports whether it did. It waits in the
// request's own goroutine (colly has released the host slot by then):
// Retry-After for 429 and 503, exponential backoff with jitter otherwise.
func (p *pageHandler) retry(r *colly.Response, status int, err error) bool {
	attempt, _ := r.Ctx.GetAny(ctxAttempt).(int)
	if !retryable(status, err) || attempt >= p.opts.MaxRetries || p.ctx.Err() != nil {
		return false
	}
	attempt++
	wait := backoff(p.opts.RetryBase, attempt)
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		if d, ok := retryAfter(r.Headers.Get("Retry-After"), time.Now()); ok {
			wait = d
			// The whole host asked us to back off, not just this page.
			p.pol.pause(r.Request.URL, d)
		}
	}
	wait = min(wait, p.opts.MaxPause)
	p.log.Info("retrying", "url", r.Request.URL.String(), "status", status, "err", err, "attempt", attempt, "wait", wait)
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
	case <-p.ctx.Done():
		// Interrupted while waiting: the page stays unhandled, for the
		// next run to continue with.
		p.frontier.release()
		return true
	}
	r.Ctx.Put(ctxAttempt, attempt)
	if rerr := r.Request.Retry(); rerr != nil {
		p.log.Warn("retry not possible", "url", r.Request.URL.String(), "err", rerr)
		return false
	}
	return true
}

// handled records in the frontier that this run is done with the URL, so
// that a continued run does not fetch it again.
func (p *pageHandler) handled(r *colly.Response) {
	if errors.Is(context.Cause(p.ctx), ErrDiskFull) {
		// Some write of this page may have failed (a link not queued, an
		// article not saved): the continued run fetches it again, asking
		// conditionally if its article was recorded.
		p.frontier.release()
		return
	}
	if u := r.Ctx.Get(ctxURL); u != "" {
		if err := p.cr.catalog.Handled(context.WithoutCancel(p.ctx), p.runID, u); err != nil {
			p.log.Warn("frontier not updated", "url", u, "err", err)
		}
	}
	p.frontier.release()
}

func (p *pageHandler) handle(r *colly.Response) {
	// retrying (or a page whose record failed) stays unhandled: the
	// continued run of an interrupted crawl fetches it again.
	retrying := false
	// thenRequisites, when set, fetches the page's images and stylesheets
	// once the page itself is recorded and marked handled: a crawl killed
	// while it waits its turn for them does not fetch the page again when
	// it resumes (the next run revalidates the requisites).
	var thenRequisites func()
	defer func() {
		if !retrying {
			p.handled(r)
		}
		if thenRequisites != nil {
			thenRequisites()
		}
	}()
	hops := p.rec.take(keyOf(r.Request))
	defer closeHops(hops)
	if len(hops) == 0 {
		p.log.Error("internal: response without a recorded exchange", "url", r.Request.URL.String())
		return
	}
	last := hops[len(hops)-1]
	depth, _ := r.Ctx.GetAny(ctxDepth).(int)
	ctx := context.WithoutCancel(p.ctx) // finish recording what was fetched, even when interrupted
	finalURL, err := Normalize(nil, r.Request.URL.String())
	if err != nil {
		finalURL = r.Request.URL.String()
	}
	chain, _ := r.Ctx.GetAny(ctxChain).(int)
	barren, _ := r.Ctx.GetAny(ctxBarren).(int)
	from := &origin{page: r.Request.URL, chain: chain, barren: barren}
	// Redirect hops are archived; tell the crawl about their targets too.
	for _, h := range hops[:len(hops)-1] {
		if loc := h.Header.Get("Location"); loc != "" {
			base, _ := url.Parse(h.URL)
			if n, err := Normalize(base, loc); err == nil && p.scope.contains(n) && n != finalURL {
				p.enqueue(n, depth+1, from)
			}
		}
	}
	switch {
	case r.StatusCode == http.StatusNotModified:
		if id, kind, err := p.cr.catalog.MarkUnchanged(ctx, finalURL, last.At); err != nil {
			p.log.Error("catalog", "url", finalURL, "err", err)
		} else if id != "" {
			// Once per article: its canonical URL and a print version may
			// both answer 304.
			if _, again := p.counted.LoadOrStore(id, true); !again {
				p.counts.outcome(kind, &p.counts.unchanged, &p.counts.pagesUnchanged)
			}
		}
		// The recorder gave the 304 capture the kind and validators it
		// revalidated. The page is the same, but its images may not be (a
		// CDN may have replaced one): they are checked again, found in the
		// archived copy.
		thenRequisites = func() { p.requisitesOfArchived(last.CaptureID, finalURL) }
		return
	case r.StatusCode == http.StatusNotFound || r.StatusCode == http.StatusGone:
		kind, err := p.cr.catalog.MarkDeleted(ctx, finalURL, last.At)
		if err != nil {
			p.log.Error("catalog", "url", finalURL, "err", err)
		}
		if kind != "" {
			p.counts.outcome(kind, &p.counts.deleted, &p.counts.pagesDeleted)
			p.log.Info("article gone", "url", finalURL, "status", r.StatusCode)
		} else {
			p.counts.errors.Add(1)
			p.log.Warn("broken link", "url", finalURL, "status", r.StatusCode)
		}
		return
	case r.StatusCode >= 400:
		if p.retry(r, r.StatusCode, nil) {
			retrying = true
			return
		}
		p.counts.errors.Add(1)
		p.log.Warn("HTTP error", "url", finalURL, "status", r.StatusCode)
		return
	case r.StatusCode != http.StatusOK:
		return
	}
	// The body and headers as the server sent them (decompressed), not as
	// colly may have converted them.
	ct, body := last.Header.Get("Content-Type"), last.Body
	if locs, ok := parseFeed(body); ok {
		// A sitemap or an RSS/Atom feed: how new articles are announced.
		p.cr.catalog.SetCaptureKind(ctx, last.CaptureID, "feed")
		base, _ := url.Parse(finalURL)
		for _, l := range locs {
			if n, err := Normalize(base, l); err == nil && p.scope.contains(n) {
				p.enqueue(n, depth+1, from)
			}
		}
		return
	}
	if !looksLikeHTML(ct, body) {
		p.cr.catalog.SetCaptureKind(ctx, last.CaptureID, "other")
		if isAttachmentURL(finalURL) || isDocumentType(ct) {
			p.readAttachment(ctx, finalURL, last)
		}
		return
	}
	doc, err := extract.Extract(finalURL, body, ct, extract.Options{Profiles: p.opts.Profiles})
	if err != nil {
		p.log.Warn("could not parse page", "url", finalURL, "err", err)
		p.cr.catalog.SetCaptureKind(ctx, last.CaptureID, "other")
		return
	}
	base, _ := url.Parse(finalURL)
	var outlinks []string
	// A category page names the category of the articles it lists, for
	// those whose own page prints no breadcrumb.
	listing := ""
	if doc.Kind == extract.KindListing && base.Path != "/" {
		listing = doc.Title
	}
	// Links of the page's own shape continue its chain; they are queued
	// after the others, once it is known whether the page brought
	// anything new (see maxBarren).
	pageShape := urlPattern(r.Request.URL)
	var sameShape []string
	fresh := 0
	for _, l := range doc.Links {
		n, err := Normalize(base, l)
		switch {
		case err != nil:
		case p.scope.contains(n):
			if listing != "" {
				p.hints.offer(n, listing)
			}
			if pu, err := url.Parse(n); err == nil && urlPattern(pu) == pageShape {
				sameShape = append(sameShape, n)
			} else if p.enqueue(n, depth+1, from) {
				fresh++
			}
		default:
			outlinks = append(outlinks, n)
		}
	}
	for _, a := range doc.Attachments {
		if n, err := Normalize(base, a.URL); err == nil && p.scope.contains(n) && p.enqueue(n, depth+1, from) {
			fresh++
		}
	}
	// An article is something new in itself: a chain of articles that
	// link to the next (related articles, "next" links) goes on.
	if fresh == 0 && doc.Kind != extract.KindArticle {
		from.barren++
	} else {
		from.barren = 0
	}
	for _, n := range sameShape {
		p.enqueue(n, depth+1, from)
	}
	for _, f := range feedLinks(body) {
		if n, err := Normalize(base, f); err == nil && p.scope.contains(n) {
			p.enqueue(n, depth+1, from)
		}
	}
	if err := p.cr.catalog.AddOutlinks(ctx, last.CaptureID, outlinks); err != nil {
		p.log.Warn("outlinks not recorded", "url", finalURL, "err", err)
	}
	kind := string(doc.Kind)
	p.cr.catalog.SetCaptureKind(ctx, last.CaptureID, kind)
	if wantsRequisites(kind, p.opts) {
		// After the page is saved and handled: an interrupted crawl then
		// keeps the article even if its images are not all archived.
		urls := requisiteURLs(base, body)
		if last.PageCaptureID != 0 {
			if err := p.cr.catalog.SetPageRequisites(ctx, last.PageCaptureID, urls); err != nil {
				p.log.Warn("requisites not recorded", "url", finalURL, "err", err)
			}
		}
		thenRequisites = func() { p.requisites.fetchAll(p.ctx, finalURL, urls) }
	}
	if kind != store.KindArticle && kind != store.KindPage {
		// A page once taken for an article and now seen as a listing
		// leaves the articles.
		if ok, err := p.cr.catalog.Reclassify(ctx, finalURL, kind); err != nil {
			p.log.Warn("catalog: reclassify", "url", finalURL, "err", err)
		} else if ok {
			p.log.Info("no longer an article", "url", finalURL, "kind", kind)
		}
		return
	}
	canonical := finalURL
	if doc.Canonical != "" {
		if n, err := Normalize(base, doc.Canonical); err == nil && p.scope.contains(n) {
			canonical = n
		}
	}
	content := contentOf(doc)
	if content.Category == "" {
		p.fillCategory(ctx, &content, canonical, finalURL)
	}
	outcome, art, err := p.cr.catalog.SaveArticle(ctx, canonical, content, last.CaptureID, last.At)
	if err != nil {
		p.log.Error("catalog: save article", "url", canonical, "err", err)
		p.counts.errors.Add(1)
		retrying = true // not handled: see above
		p.frontier.release()
		return
	}
	_, seen := p.counted.LoadOrStore(art.ID, true)
	switch {
	case outcome == store.New:
		p.counts.outcome(kind, &p.counts.new, &p.counts.pagesNew)
	case outcome == store.Changed:
		p.counts.outcome(kind, &p.counts.changed, &p.counts.pagesChanged)
	case !seen:
		// Unchanged, counted once per article: a print version of an
		// article already counted is the same article.
		p.counts.outcome(kind, &p.counts.unchanged, &p.counts.pagesUnchanged)
	}
	p.log.Debug("page", "url", canonical, "kind", kind, "outcome", outcome.String())
}

// readAttachment records the text of an attached document (PDF, DOCX…)
// for the search to find its article; a document that cannot be read is
// recorded with the reason, and the crawl goes on.
func (p *pageHandler) readAttachment(ctx context.Context, u string, h hop) {
	if done, err := p.cr.catalog.AttachmentTextRead(ctx, h.CaptureID); err == nil && done {
		return // the same bytes as a capture already read
	}
	t := store.AttachmentText{CaptureID: h.CaptureID, URL: u, ExtractedAt: time.Now().UTC()}
	if h.Truncated != "" {
		t.Error = "the document was cut at the size limit (" + h.Truncated + "); its text is not read"
	} else if r, err := readDocument(ctx, attach.Options{OCR: p.opts.OCR}, u, h); errors.Is(err, attach.ErrUnsupported) {
		return // an image or an archive: nothing to read
	} else if err != nil {
		t.Error = err.Error()
		if !errors.Is(err, attach.ErrNoProgram) {
			p.log.Warn("attachment text not read", "url", u, "err", err)
		} else if _, said := p.missingPrograms.LoadOrStore(err.Error(), true); !said {
			// Once per run: every PDF would say the same.
			p.log.Warn("attachment texts not read", "err", err)
		}
	} else {
		t.Reader, t.Text = r.Reader, r.Text
	}
	if err := p.cr.catalog.SaveAttachmentText(ctx, t); err != nil {
		p.log.Warn("attachment text not recorded", "url", u, "err", err)
	}
}

// readDocument reads a document's text from memory or, for a large one,
// from the file the recorder kept it in.
func readDocument(ctx context.Context, o attach.Options, u string, h hop) (attach.Result, error) {
	if h.File != nil {
		return o.TextFile(ctx, u, h.File.Path())
	}
	return o.Text(ctx, u, h.Body)
}

// closeHops removes the files of the hops' large payloads.
func closeHops(hops []hop) {
	for _, h := range hops {
		if h.File != nil {
			h.File.Close()
		}
	}
}

// isDocumentType: a Content-Type of the documents attach reads, for
// downloads whose URL does not name the file (download.aspx?id=12).
func isDocumentType(ct string) bool {
	ct = strings.ToLower(ct)
	for _, t := range []string{"application/pdf", "msword", "officedocument", "opendocument", "ms-excel", "ms-powerpoint"} {
		if strings.Contains(ct, t) {
			return true
		}
	}
	return false
}

// looksLikeHTML decides whether a body is worth parsing as a page: the
// Content-Type says HTML (or says nothing) and the bytes are not binary, so
// a PDF served as text/html is archived but not parsed.
func looksLikeHTML(contentType string, body []byte) bool {
	ct := strings.ToLower(contentType)
	if ct != "" && !strings.Contains(ct, "html") && !strings.Contains(ct, "xml") {
		return false
	}
	head := body
	if len(head) > 1024 {
		head = head[:1024]
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	sniffed := http.DetectContentType(head)
	return strings.HasPrefix(sniffed, "text/")
}

func contentOf(d *extract.Document) store.Content {
	c := store.Content{
		Kind: string(d.Kind), Title: d.Title, Author: d.Author, AuthorName: d.AuthorName, Source: d.Source,
		Breadcrumb: d.Breadcrumb, Category: d.Category, Published: d.Published, Body: d.Body, BodyHTML: d.BodyHTML,
		Lang: d.Lang,
	}
	for _, im := range d.Images {
		c.Images = append(c.Images, store.Image{Src: im.Src, Caption: im.Caption})
	}
	for _, a := range d.Attachments {
		c.Attachments = append(c.Attachments, store.Attachment{URL: a.URL, Text: a.Text})
	}
	return c
}

// requisitesOfArchived fetches the requisites of a page answered 304, from
// the copy of it the archive holds.
func (p *pageHandler) requisitesOfArchived(captureID int64, pageURL string) {
	if captureID == 0 || p.ctx.Err() != nil {
		return
	}
	ctx := context.WithoutCancel(p.ctx)
	// The recorder gave the 304 the kind of the capture it revalidated:
	// only pages that get requisites are worth reading back.
	if c, err := p.cr.catalog.CaptureByID(ctx, captureID); err != nil || !wantsRequisites(c.Kind, p.opts) {
		return
	}
	urls, pageCaptureID, ok, err := p.cr.catalog.PageRequisites(ctx, captureID)
	if err == nil && ok {
		p.requisites.fetchAll(p.ctx, pageURL, urls)
		return
	}
	p.archiveMu.Lock()
	page, err := p.cr.catalog.ArchivedPage(ctx, captureID)
	p.archiveMu.Unlock()
	if err != nil {
		p.log.Warn("requisites of an unchanged page not checked: archived copy unreadable", "url", pageURL, "err", err)
		return
	}
	if !looksLikeHTML(page.ContentType, page.Body) {
		return
	}
	base, err := url.Parse(pageURL)
	if err != nil {
		return
	}
	urls = requisiteURLs(base, page.Body)
	// Recorded now, the next re-crawl need not read the page back.
	if pageCaptureID != 0 {
		if err := p.cr.catalog.SetPageRequisites(ctx, pageCaptureID, urls); err != nil {
			p.log.Warn("requisites not recorded", "url", pageURL, "err", err)
		}
	}
	p.requisites.fetchAll(p.ctx, pageURL, urls)
}

// lockedArchive writes under a lock that readers of the archive take too.
type lockedArchive struct {
	mu *sync.Mutex
	a  Archive
}

func (l *lockedArchive) WriteExchange(ex warc.Exchange) (warc.Location, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.a.WriteExchange(ex)
}
