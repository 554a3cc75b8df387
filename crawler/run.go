package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"

	"tulieu/store"
	"tulieu/urlnorm"
)

// Run crawls until every reachable in-scope page has been fetched once, the
// page limit is reached, or ctx is cancelled (an interrupted run is recorded
// as such, and what it archived stays). It returns an error only when the
// crawl could not run at all.
//
// Its stages are the methods of run, below in the order they run; the
// package documentation says where each part of the pipeline lives.
func (cr *Crawler) Run(ctx context.Context, opts Options) (*Summary, error) {
	if err := opts.setDefaults(); err != nil {
		return nil, err
	}
	seeds, seedURLs, err := normalizeSites(opts.Sites)
	if err != nil {
		return nil, err
	}

	// A write that finds the disk full stops the crawl (see ErrDiskFull).
	ctx, stopCrawl := context.WithCancelCause(ctx)
	defer stopCrawl(nil)
	r, err := cr.stoppingOnFullDisk(stopCrawl).startRun(ctx, opts, seeds, seedURLs)
	if err != nil {
		return nil, err
	}

	if err := r.buildCollector(); err != nil {
		return nil, err
	}
	// The crawl over, its kept-alive connections are closed, not left to
	// the servers' timeouts (and their goroutines to the index's
	// catch-up that follows).
	defer r.rec.base.CloseIdleConnections()
	r.buildStages()
	// Cancelled, the frontier hands out nothing more.
	stopOnCancel := context.AfterFunc(ctx, r.frontier.stop)
	defer stopOnCancel()

	stopProgress := r.reportProgress()
	r.seedFrontier()
	continued := r.continueRequisites()
	r.frontier.run(r.submit)
	r.collector.Wait()
	<-continued
	stopProgress()
	return r.finish()
}

// continueRequisites fetches, in a run that continues an interrupted one,
// the requisites of the pages that run captured: a page is marked handled
// before its images and stylesheets are fetched (afterStep), so a run
// killed meanwhile left some unfetched, and the continued run does not
// fetch the page again. They are asked as any page's are (once a run,
// conditionally when archived before). The channel is closed when done.
func (r *run) continueRequisites() <-chan struct{} {
	done := make(chan struct{})
	if !r.resume {
		close(done)
		return done
	}
	go func() {
		defer close(done)
		pages, err := r.cr.catalog.RunPageRequisites(r.ctx, r.prevRun)
		if err != nil {
			r.log.Warn("the interrupted run's requisites not read; its pages' images are fetched at their next change", "err", err)
			return
		}
		for _, p := range pages {
			r.requisites.fetchAll(r.ctx, p.URL, p.Requisites)
		}
	}()
	return done
}

// normalizeSites reads the start URLs (Options.Sites), parsed and as
// strings.
func normalizeSites(sites []string) ([]*url.URL, []string, error) {
	var seeds []*url.URL
	var seedURLs []string
	for _, s := range sites {
		n, err := urlnorm.Normalize(nil, s)
		if err != nil {
			return nil, nil, fmt.Errorf("--site %q: %v (want an http:// or https:// URL)", s, err)
		}
		u, _ := url.Parse(n)
		seeds = append(seeds, u)
		seedURLs = append(seedURLs, n)
	}
	return seeds, seedURLs, nil
}

// run is one crawl under way: what its stages share. Crawler.Run makes
// one and calls its methods in turn; colly calls prepare, onError and the
// page handler from its goroutines, and they call enqueue.
type run struct {
	cr   *Crawler // its catalog and archive stop the crawl on a full disk (see Run)
	ctx  context.Context
	opts Options
	log  *slog.Logger

	// What the run starts from (startRun).
	runID          int64
	started        time.Time
	nightStarted   time.Time // started, or when the interrupted run it continues did
	resume         bool
	prevRun        int64 // the interrupted run this one continues, if resume
	seeds          []*url.URL
	seedURLs       []string
	scope          scope
	pending        []store.FrontierEntry // what the interrupted run had queued
	handled        []string              // what it had handled
	live           []string              // the articles already known
	movedLate      movedLate             // known articles' addresses that redirected to pages asked already
	notDue         map[string]bool       // of those, the URLs of the ones the revisit schedule leaves for a later run
	notDueArticles int                   // how many articles those are
	// nothingLeft: a continued run whose interrupted run had handled every
	// URL it starts from (interrupted while its last pages' requisites
	// were fetched, say). Fetching nothing is then done, not a failure.
	nothingLeft bool

	// The stages (buildCollector, buildStages).
	counts    *counters
	archiveMu *sync.Mutex
	rec       *recorder
	collector *colly.Collector
	pol       *politeness
	seen      *urlSet
	// seenAs holds the identities of the URLs queued (identityKeys): a
	// URL spelt otherwise (www. or not, http or https, its slug in NFD,
	// its path in another case on a case-insensitive host) is one queued
	// before.
	seenAs     *identities
	respelt    *urlSet // other spellings queued after the first failed (otherSpelling)
	caseless   *caselessHosts
	away       *redirectedAway
	requisites *requisiteFetcher
	frontier   *frontier
	pages      *pageHandler

	// The first reason a fetch failed, for the message when nothing could
	// be fetched at all.
	firstErr atomic.Pointer[error]
	// robotsWarned holds the hosts whose unreadable robots.txt was told:
	// once per host, not once per URL not fetched because of it (every
	// known article of a site that is down, night after night).
	robotsWarned sync.Map
	// robotsRefused counts the URLs robots.txt disallowed: when it
	// refused every one, the run reached nothing and says so.
	robotsRefused atomic.Int64
	// requested counts the requests against Options.MaxPages (retries
	// aside); reqSeq numbers them, for the key the recorder files each
	// exchange under.
	requested atomic.Int64
	reqSeq    atomic.Int64
}

// startRun records the run in the catalog and reads what it starts from:
// what an interrupted run left, and the articles already known.
func (cr *Crawler) startRun(ctx context.Context, opts Options, seeds []*url.URL, seedURLs []string) (*run, error) {
	r := &run{cr: cr, ctx: ctx, opts: opts, seeds: seeds, seedURLs: seedURLs, scope: newScope(seeds)}
	prevRun, resume, err := cr.catalog.Resumable(ctx, seedURLs)
	if err != nil {
		return nil, fmt.Errorf("read the last run: %w", err)
	}
	r.prevRun, r.resume = prevRun, resume
	r.started = time.Now().UTC()
	r.nightStarted = r.started
	r.runID, err = cr.catalog.StartRun(ctx, seedURLs, r.started)
	if err != nil {
		return nil, fmt.Errorf("record run: %w", err)
	}
	r.log = cr.log.With("run", r.runID)
	// An interrupted run is continued: what it handled is not fetched
	// again, what it had queued is queued again.
	if resume {
		var n int
		if r.pending, n, err = cr.catalog.ContinueRun(ctx, prevRun, r.runID); err != nil {
			return nil, fmt.Errorf("continue run %d: %w", prevRun, err)
		}
		if r.handled, err = cr.catalog.HandledURLs(ctx, r.runID); err != nil {
			return nil, err
		}
		r.log.Info("continuing an interrupted crawl", "from_run", prevRun, "already_handled", n, "still_queued", len(r.pending))
		// Articles the interrupted run recorded are this night's too:
		// one of them may be an article that moved (see pageHandler.moved).
		if r.nightStarted, err = cr.catalog.NightStarted(ctx, prevRun); err != nil || r.nightStarted.IsZero() {
			r.nightStarted = r.started
		}
	}
	// Every article already known is re-checked, so that changed and
	// deleted ones are noticed even when no listing links to them.
	if r.live, err = cr.catalog.LiveURLs(ctx); err != nil {
		return nil, fmt.Errorf("list known articles: %w", err)
	}
	// Unless an adaptive schedule leaves the stable ones for later.
	schedule, err := newRevisitSchedule(opts.Revisit, opts.RevisitCycle, r.started)
	if err != nil {
		return nil, err
	}
	if schedule != nil {
		histories, err := cr.catalog.RevisitHistories(ctx)
		if err != nil {
			return nil, fmt.Errorf("read the known articles' history: %w", err)
		}
		r.notDue, r.notDueArticles = schedule.notDue(histories, r.seedURLs)
		r.log.Info("adaptive revisit: known articles left for a later run", "not_due", r.notDueArticles, "known", len(histories))
	}
	return r, nil
}

// buildCollector makes the recorder and the colly collector that sends
// every request through it.
func (r *run) buildCollector() error {
	r.counts = &counters{}
	r.counts.notDue.Store(int64(r.notDueArticles))
	// Reading the archive during the crawl (the copy of a page answered
	// 304, for its requisites) must not overlap writing it: every reader
	// gowarc makes sets a package-level uuid option (uuid.EnableRandPool),
	// which uuid's own generator reads (the writer draws record ids from a
	// source of its own, and falls back to uuid's only when crypto/rand
	// fails). One lock keeps the two apart; writes were one at a time anyway.
	r.archiveMu = &sync.Mutex{}
	r.rec = newRecorder(&lockedArchive{mu: r.archiveMu, a: r.cr.archive}, r.cr.catalog, r.runID, &r.opts, r.counts, func(msg string, args ...any) { r.log.Warn(msg, args...) })

	r.collector = colly.NewCollector(
		colly.Async(true),
		colly.StdlibContext(r.ctx),
		colly.UserAgent(r.opts.UserAgent),
		colly.AllowedDomains(r.scope.hosts()...),
		colly.MaxBodySize(0), // the recorder enforces the limits, on the wire and decoded
		colly.ParseHTTPErrorResponse(),
		colly.IgnoreRobotsTxt(), // politeness does it: once per host, with Crawl-delay
	)
	r.collector.WithTransport(r.rec)
	// No overall time limit (colly's default is 10 s): see
	// newRequisiteFetcher.
	r.collector.SetRequestTimeout(0)
	// No colly limit: --parallel is per server, and the recorder holds
	// each server to it (pages, hops, requisites alike) and waits its
	// turn there. A limit of colly's, shared by every site, would be held
	// by the requests of a site that asked for a pause, and stall the
	// others. What colly is given at once is bounded by the frontier.
	return nil
}

// buildStages makes the stages around the collector (politeness, the
// requisite fetcher, the frontier, the page handler) and hands colly's
// callbacks to them.
func (r *run) buildStages() {
	r.pol = newPoliteness(&http.Client{Transport: r.rec}, &r.opts,
		func(msg string, args ...any) { r.log.Info(msg, args...) })
	r.rec.turns = r.pol
	r.collector.SetRedirectHandler(r.pol.politeRedirect)
	r.seen, r.seenAs, r.respelt, r.caseless, r.away = newURLSet(), newIdentities(), newURLSet(), &caselessHosts{}, &redirectedAway{}
	for _, u := range r.handled {
		r.seen.add(u)
		if pu, err := url.Parse(u); err == nil {
			r.seenAs.add(pu, u, false)
		}
	}
	r.requisites = newRequisiteFetcher(r.rec, r.pol, r.cr.catalog, r.seen, &r.opts, r.counts, r.log)
	r.frontier = newFrontier(max(64, 8*r.opts.Parallel))
	r.pages = &pageHandler{cr: r.cr, ctx: r.ctx, log: r.log, counts: r.counts, rec: r.rec, scope: r.scope, opts: &r.opts, enqueue: r.enqueue, runID: r.runID, started: r.nightStarted, twins: r.twins(), shapes: newShapeYields(), linked: newHashSet(),
		hints: &categoryHints{m: map[string][]string{}}, frontier: r.frontier, requisites: r.requisites, archiveMu: r.archiveMu,
		seedURLs: r.seedURLs, caseless: r.caseless, away: r.away, otherSpelling: r.otherSpelling}
	r.collector.OnRequest(r.prepare)
	r.collector.OnResponse(r.pages.handle)
	r.collector.OnError(r.onError)
}

// runCheckpointEvery is how often a run's counts so far are written to
// its row in the catalog: a run whose process is killed keeps them.
const runCheckpointEvery = 2 * time.Second

// reportProgress calls Options.Progress every ProgressEvery and records
// the run's counts so far every runCheckpointEvery, from a goroutine of
// its own, until stop is called; stop returns once that goroutine has
// ended.
func (r *run) reportProgress() (stop func()) {
	stopProgress := make(chan struct{})
	progressDone := make(chan struct{})
	go func() {
		defer close(progressDone)
		var progress <-chan time.Time
		if r.opts.Progress != nil {
			t := time.NewTicker(r.opts.ProgressEvery)
			defer t.Stop()
			progress = t.C
		}
		checkpoint := time.NewTicker(runCheckpointEvery)
		defer checkpoint.Stop()
		for {
			select {
			case <-progress:
				r.opts.Progress(Progress{Started: r.started, Queued: r.counts.queued.Load(), Counts: r.counts.snapshot()})
			case <-checkpoint.C:
				if err := r.cr.catalog.RecordRunCounts(context.WithoutCancel(r.ctx), r.runID, r.counts.snapshot()); err != nil {
					r.log.Debug("catalog: run counts not recorded", "err", err)
				}
			case <-stopProgress:
				return
			}
		}
	}()
	return func() {
		close(stopProgress)
		<-progressDone
	}
}

// twins is the run's finder of articles recorded new at another address
// of a known one (see twins), nil when the catalog knew no article.
func (r *run) twins() *twins {
	if len(r.live) == 0 {
		return nil
	}
	t := newTwins()
	if r.resume {
		r.seedTwins(t)
	}
	return t
}

// seedTwins gives a continued night's twins what the interrupted run met:
// the articles it recorded new, the known ones it recorded changed, and
// those it took down. Without them, a night interrupted between an
// article's new address and its old one left two articles (the old one
// taken down, or both live and found twice by the search). A pair the
// interrupted run had already met is merged already.
func (r *run) seedTwins(t *twins) {
	f := store.Filter{Kinds: []string{store.KindArticle, store.KindPage}, ChangedSince: r.nightStarted, IncludeDeleted: true}
	err := r.cr.catalog.EachArticle(r.ctx, f, func(a *store.Article) error {
		switch {
		case a.Status == store.StatusDeleted:
			if !a.DeletedAt.Before(r.nightStarted) {
				t.takenDown(a.Body, a.URL)
			}
		case !a.FirstSeen.Before(r.nightStarted):
			t.recorded(&a.Content, a.URL, store.New)
		case !a.LastChanged.Before(r.nightStarted):
			t.recorded(&a.Content, a.URL, store.Changed)
		}
		return nil
	})
	if err != nil {
		r.log.Warn("catalog: the articles of the interrupted run not read; a move it began is not followed", "err", err)
	}
}

// seedFrontier queues what the run starts from: what an interrupted run
// left queued, the start URLs, the articles already known.
func (r *run) seedFrontier() {
	// Start from the sites, then re-check every article we already have so
	// that changed and deleted ones are noticed even when no listing links
	// to them any more.
	if r.resume && len(r.pending) == 0 {
		handled := make(map[string]bool, len(r.handled))
		for _, u := range r.handled {
			handled[u] = true
		}
		r.nothingLeft = true
		for _, s := range r.seedURLs {
			r.nothingLeft = r.nothingLeft && handled[s]
		}
		for _, u := range r.live {
			r.nothingLeft = r.nothingLeft && (handled[u] || r.notDue[u] || !r.scope.contains(u))
		}
	}
	for _, e := range r.pending {
		r.enqueue(e.URL, e.Depth, nil)
	}
	for _, s := range r.seedURLs {
		r.enqueue(s, 0, nil)
	}
	for _, u := range r.live {
		if r.scope.contains(u) {
			r.enqueue(u, 1, nil)
		}
	}
}

// maxSegmentRepeats is how many times in a row a path may hold the same
// folder: "/chi-tiet/chi-tiet/chi-tiet/" is a trap whatever else (Heritrix
// rejects such paths too).
const maxSegmentRepeats = 2

// pathTrap says whether u's path repeats a folder as a relative link
// resolved from the wrong level does: an article at /tin-tuc/chi-tiet/12
// linking "chi-tiet/13" leads to /tin-tuc/chi-tiet/chi-tiet/13, which a
// server routing on the last number answers with the article, and so on
// one level deeper on every page. It is a trap when the path without the
// repetition is a URL this run has queued already (the same page), or
// when the folder repeats more than maxSegmentRepeats times.
func (r *run) pathTrap(pu *url.URL) bool {
	segs := strings.Split(pu.EscapedPath(), "/")
	for i := 1; i < len(segs); i++ {
		if segs[i] == "" || segs[i] != segs[i-1] {
			continue
		}
		times := 2 // segs[i-1] and segs[i]
		for i+times-1 < len(segs) && segs[i+times-1] == segs[i] {
			times++
		}
		if times > maxSegmentRepeats {
			return true
		}
		short := *pu
		short.RawPath = strings.Join(append(slices.Clone(segs[:i]), segs[i+1:]...), "/")
		short.Path, _ = url.PathUnescape(short.RawPath)
		if n, err := urlnorm.Normalize(nil, short.String()); err == nil && r.seen.has(n) {
			return true
		}
	}
	return false
}

// enqueue queues a URL found on from (nil for start URLs) and reports
// whether it was new to this run.
func (r *run) enqueue(u string, depth int, from *origin) bool {
	if depth > r.opts.MaxDepth || r.ctx.Err() != nil {
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
			r.log.Debug("a chain of same-shape pages that brings nothing new; not queued", "url", u, "pattern", urlPattern(pu))
			return false
		}
	}
	if r.pathTrap(pu) {
		r.log.Debug("a path whose folder repeats, the trap of a relative link; not queued", "url", u)
		return false
	}
	if r.seen.has(u) {
		return false // queued before in this run
	}
	// Every queued URL's identities are kept, whatever its host, so that
	// the URLs queued before a host was known for case-insensitive (the
	// catalog's, the start URLs) count too.
	if !r.respelt.has(u) && r.seenAs.queuedBefore(pu, u, r.caseless.has(pu.Host)) {
		return false // queued before in this run, spelt otherwise
	}
	if !r.seen.add(u) {
		return false // queued before in this run
	}
	if r.notDue[u] {
		// Known, stable, and not due yet (Options.Revisit), whether it
		// comes from the catalog or from a listing's link; its other
		// spellings are it.
		r.seenAs.record(pu)
		return false
	}
	if chain >= r.opts.MaxPerPattern {
		r.log.Debug("too long a chain of same-shape pages; not queued", "url", u, "pattern", urlPattern(pu))
		return false
	}
	// A robots.txt may name its sitemaps by path ("Sitemap: /sitemap.xml"):
	// relative to the robots.txt, at the host's root.
	robotsURL := &url.URL{Scheme: pu.Scheme, Host: pu.Host, Path: "/robots.txt"}
	for _, sm := range r.pol.sitemaps(r.ctx, pu) {
		if n, err := urlnorm.Normalize(robotsURL, sm); err == nil && r.scope.contains(n) {
			r.enqueue(n, 1, nil)
		}
	}
	if ok, err := r.pol.allowed(r.ctx, pu); !ok {
		if err != nil {
			if _, told := r.robotsWarned.LoadOrStore(pu.Host, true); !told {
				r.log.Warn("not fetched: robots.txt could not be read; no page of the host is fetched this run", "host", pu.Host, "err", err)
			} else {
				r.log.Debug("not fetched: robots.txt could not be read", "url", u)
			}
			r.firstErr.CompareAndSwap(nil, &err)
		} else {
			r.robotsRefused.Add(1)
			r.log.Debug("robots.txt disallows", "url", u)
		}
		return false
	}
	// Its spelling stands for the page from now on; one refused above
	// (robots.txt, a host whose robots.txt cannot be read: an https twin
	// whose certificate fails) leaves the page to its other spellings.
	r.seenAs.record(pu)
	r.cr.catalog.Enqueued(r.runID, u, depth)
	r.counts.queued.Add(1)
	r.frontier.push(queued{url: u, depth: depth, chain: chain, barren: barren})
	return true
}

// otherSpelling queues another spelling of the page at u, which failed
// (a 404, an error, a fetch that could not be made), when the run met one
// (identities.other), and says whether it did.
func (r *run) otherSpelling(u string, depth int) bool {
	pu, err := url.Parse(u)
	if err != nil {
		return false
	}
	for {
		alt := r.seenAs.other(pu, r.caseless.has(pu.Host))
		if alt == "" {
			return false
		}
		r.respelt.add(alt)
		if r.enqueue(alt, depth, nil) {
			r.log.Info("asking another spelling of a page that failed", "url", u, "other", alt)
			return true
		}
	}
}

// submit hands one queued URL to colly. A URL of a shape that turned
// barren while it waited (a calendar's day pages queued before the days
// were judged) is dropped.
func (r *run) submit(q queued) bool {
	if q.depth > 0 && r.pages.barrenURL(q.url) {
		r.log.Debug("not fetched: its shape has turned out barren", "url", q.url)
		r.cr.catalog.Handled(r.runID, q.url)
		return false
	}
	cctx := colly.NewContext()
	cctx.Put(ctxDepth, q.depth)
	cctx.Put(ctxURL, q.url)
	cctx.Put(ctxServer, q.server)
	if q.start != nil {
		cctx.Put(ctxStart, q.start)
	}
	cctx.Put(ctxChain, q.chain)
	cctx.Put(ctxBarren, q.barren)
	err := r.collector.Request(http.MethodGet, q.url, nil, cctx, nil)
	if err == nil {
		return true
	}
	var av *colly.AlreadyVisitedError
	if !errors.As(err, &av) && !errors.Is(err, colly.ErrForbiddenDomain) {
		r.log.Debug("not fetched", "url", q.url, "err", err)
	}
	r.cr.catalog.Handled(r.runID, q.url)
	return false
}

// prepare readies a request colly is about to send (its OnRequest): it
// drops the request when the crawl is over or the page budget spent, gives
// it the key the recorder files its exchange under, and makes a re-fetch
// conditional. Its turn at the server is waited in the recorder.
func (r *run) prepare(req *colly.Request) {
	if r.ctx.Err() != nil {
		r.abort(req)
		return
	}
	if _, isRetry := req.Ctx.GetAny(ctxAttempt).(int); !isRetry && r.opts.MaxPages > 0 && r.requested.Add(1) > int64(r.opts.MaxPages) {
		r.abort(req)
		return
	}
	key := strconv.FormatInt(r.reqSeq.Add(1), 10)
	req.Ctx.Put(ctxKey, key)
	req.Headers.Set(keyHeader, key)
	r.conditional(req, key)
}

// abort drops a request in prepare. An aborted request ends here: colly
// calls nothing more for it, so its place in the frontier is given back
// here.
func (r *run) abort(req *colly.Request) {
	req.Abort()
	releaseOf(r.frontier, req.Ctx)
}

// conditional tells the recorder what the catalog has of the request's
// URL and, for a page it recorded as an article or a static page, asks
// only for a change (If-None-Match, If-Modified-Since).
func (r *run) conditional(req *colly.Request, key string) {
	// Conditional re-fetch of pages that were articles: a 304 costs no
	// body. Listings are always fetched whole, since they are how new
	// articles are found.
	rv, err := r.cr.catalog.Revalidate(r.ctx, req.URL.String())
	if err != nil {
		rv = store.Revalidation{}
	}
	prev, live := rv.Prev, rv.Live
	requisites := pageRequisites{urls: rv.Requisites, recorded: rv.RequisitesRecorded}
	if prev != nil && prev.Kind != store.KindArticle && prev.Kind != store.KindPage {
		// The site answered with something else on a night (a
		// maintenance notice sent as 200, which left the article as it
		// was): the copy to revalidate is the article's own.
		if c, err := r.cr.catalog.LastArticleCapture(r.ctx, req.URL.String()); err == nil {
			prev, requisites = c, pageRequisites{} // that copy's are asked if it answers 304
		}
	}
	r.rec.expect(key, req.URL.String(), prev, requisites)
	if slices.Contains(r.seedURLs, req.URL.String()) {
		// A start URL is where new articles are found (a home page
		// recorded as a static page links the listings): always
		// fetched whole, its links followed.
		return
	}
	if prev != nil && (prev.Kind == store.KindArticle || prev.Kind == store.KindPage) {
		// Only for a live article the catalog recorded: a crawl killed
		// after fetching the page but before recording it left the
		// capture alone, and a 304 would then record nothing; and a
		// tombstone's page is asked whole, so that its return (with
		// the validators it had) is seen.
		if !live {
			prev = nil
		} else {
			r.away.asked(req.URL.String())
		}
	}
	// An attached document is asked with its validators too: one
	// replaced at its address is fetched, one unchanged costs a 304.
	document := prev != nil && prev.Kind == "other" &&
		(isAttachmentURL(req.URL.String()) || isDocumentType(prev.ContentType))
	// A copy cut short (the connection dropped, the time ran out, the
	// size limit) is not one to revalidate: the page is asked whole.
	if prev != nil && (prev.Kind == store.KindArticle || prev.Kind == store.KindPage || document) && prev.Truncated == "" {
		if prev.ETag != "" {
			req.Headers.Set("If-None-Match", prev.ETag)
		}
		if prev.LastModified != "" {
			req.Headers.Set("If-Modified-Since", prev.LastModified)
		}
	}
}

// onError handles a fetch that failed (colly's OnError): left for the
// next run when the crawl was interrupted, handled when it was a redirect
// not to follow, retried when the failure is transient, else counted as
// an error.
func (r *run) onError(resp *colly.Response, err error) {
	hops := r.rec.take(keyOf(resp.Request))
	defer closeHops(hops)
	if r.ctx.Err() != nil || errors.Is(err, context.Canceled) {
		releaseOf(r.frontier, resp.Ctx) // left unhandled: the next run continues with it
		return
	}
	var av *colly.AlreadyVisitedError
	if errors.As(err, &av) {
		// A redirect to a page this crawl already has: the hops are
		// archived and there is nothing more to fetch. A known
		// article's address that now leads to the home page is the
		// article taken down (takeDownRedirected).
		if orig := resp.Ctx.Get(ctxURL); orig != "" && av.Destination != nil && orig != av.Destination.String() {
			if awayTarget(av.Destination, r.seedURLs) {
				r.pages.noteTakenDown(r.ctx, orig)
			} else if to, err := urlnorm.Normalize(nil, av.Destination.String()); err == nil && r.scope.contains(to) && r.pages.liveAt(r.ctx, orig) {
				// A known article whose address leads to a page this
				// run asked already (a listing linked its new address
				// first): it moved there if that page is an article,
				// which the run knows once it is recorded.
				r.movedLate.add(orig, to)
				r.pages.untilRunEnd.Store(orig, true)
			}
		}
		r.pages.handled(resp)
		return
	}
	if errors.Is(err, errRobotsDisallowed) {
		// The hops up to it are archived; the target is not ours to fetch.
		r.pages.handled(resp)
		r.log.Info("redirect to a path robots.txt disallows not followed", "url", resp.Request.URL.String(), "err", err)
		return
	}
	if errors.Is(err, colly.ErrForbiddenDomain) {
		// A redirect off the crawled sites: the hops are archived,
		// the target is another site's business.
		r.pages.handled(resp)
		r.log.Info("redirect off-site not followed", "url", resp.Request.URL.String(), "err", err)
		return
	}
	if r.pages.retry(resp, 0, err) {
		return
	}
	r.pages.handled(resp)
	depth, _ := resp.Ctx.GetAny(ctxDepth).(int)
	r.otherSpelling(resp.Request.URL.String(), depth)
	r.counts.errors.Add(1)
	r.firstErr.CompareAndSwap(nil, &err)
	r.log.Warn("fetch failed", "url", resp.Request.URL.String(), "err", err, "hops", len(hops))
}

// finish ends the run once the crawl is over: it reports the last
// progress and records the run's status and counts in the catalog.
func (r *run) finish() (*Summary, error) {
	r.mergeMovedLate(context.WithoutCancel(r.ctx))
	if r.ctx.Err() == nil {
		r.takeDownRedirected(r.ctx)
	}
	sum := &Summary{RunID: r.runID, Started: r.started, Finished: time.Now().UTC(), Counts: r.counts.snapshot()}
	if r.resume {
		sum.ResumedFrom = r.prevRun
	}
	cause := context.Cause(r.ctx)
	status, note := r.status(cause, sum.Fetched)
	sum.Status, sum.Note = status, note
	if r.opts.Progress != nil {
		r.opts.Progress(Progress{Started: r.started, Queued: r.counts.queued.Load(), Counts: sum.Counts})
	}
	ferr := r.cr.catalog.FinishRun(context.WithoutCancel(r.ctx), r.runID, status, note, sum.Counts, sum.Finished)
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

// status is how the run ended, given why its context was cancelled
// (cause, nil if it was not) and how many pages it fetched: interrupted,
// failed when not one page could be fetched (unless a continued run had
// nothing left to fetch), else completed; note says why, for the catalog.
func (r *run) status(cause error, fetched int64) (status, note string) {
	status, note = store.RunCompleted, ""
	switch {
	case errors.Is(cause, ErrDiskFull):
		status, note = store.RunInterrupted, cause.Error()+"; the next run continues once space is freed"
	case r.ctx.Err() != nil:
		// The cause read again: ctx may have been cancelled after cause
		// was read, and a cancelled context always has one.
		status, note = store.RunInterrupted, "interrupted: "+context.Cause(r.ctx).Error()
	case fetched == 0 && r.nothingLeft:
		note = fmt.Sprintf("nothing left to fetch: run %d had handled every page", r.prevRun)
	case fetched == 0, r.counts.queued.Load() == 0 && r.firstErr.Load() != nil:
		// Nothing fetched, or nothing even queued because of an error
		// (robots.txt answered 5xx: only it was fetched).
		status, note = store.RunFailed, "no page could be fetched from "+strings.Join(r.seedURLs, ", ")
		if e := r.firstErr.Load(); e != nil {
			note += " (" + (*e).Error() + "); check the address and the network"
		}
	case r.counts.answered.Load() == 0 && r.counts.serverError.Load() != nil:
		// Every page answered a server error (a proxy's 503 to all):
		// the site was down, and an interrupted run's queue waits for
		// a night it is up.
		status, note = store.RunFailed, "no page could be fetched from "+strings.Join(r.seedURLs, ", ")+
			": every page answered with a server error ("+*r.counts.serverError.Load()+"); the site is down or refuses this crawler, try again later"
	case r.counts.queued.Load() == 0 && r.robotsRefused.Load() > 0:
		// The site's robots.txt now shuts this crawler out: the
		// archive would stop growing night after night with nothing
		// to say why.
		status, note = store.RunFailed, "robots.txt disallows every start URL ("+strings.Join(r.seedURLs, ", ")+
			") and every known page for user agent "+strconv.Quote(r.opts.UserAgent)+"; nothing was fetched (--ignore-robots is for the site's own operator)"
	}
	return status, note
}
