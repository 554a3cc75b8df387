package crawler

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"

	"tulieu/attach"
	"tulieu/extract"
	"tulieu/store"
	"tulieu/urlnorm"
)

// pageHandler turns fetched responses into catalog records and new links.
type pageHandler struct {
	cr     *Crawler
	ctx    context.Context
	log    *slog.Logger
	counts *counters
	// counted are the articles (by id) this run has counted an outcome
	// of: an article reached by several URLs is counted once.
	counted sync.Map
	// countedNew and countedDeleted are the addresses whose article this
	// run counted new (recorded there) or deleted (its 404): a merge of
	// a move takes back only what this run counted.
	countedNew, countedDeleted sync.Map
	// untilRunEnd are the addresses whose outcome the run decides at its
	// end (takeDownRedirected, mergeMovedLate), from what it noted in
	// memory: they are not marked handled in the catalog's frontier, so
	// that the run that continues an interrupted one asks them again
	// (the notes went with the interrupted process, and the takedown or
	// the move with them). A run that completes clears its frontier.
	untilRunEnd sync.Map
	// missingPrograms are the attachment readers found missing, said once.
	missingPrograms sync.Map
	rec             *recorder
	scope           scope
	opts            *Options
	enqueue         func(string, int, *origin) bool
	seedURLs        []string // the start URLs, normalized
	caseless        *caselessHosts
	away            *redirectedAway
	otherSpelling   func(u string, depth int) bool // see run.otherSpelling
	runID           int64
	started         time.Time // the night's start (of the interrupted run this one continues): an article first recorded since is this night's
	twins           *twins    // nil on a first crawl (no known article to be a twin of)
	hints           *categoryHints
	shapes          *shapeYields // what each shape of URL has yielded this run
	linked          *hashSet     // the URLs pages linked this run (see links)
	frontier        *frontier
	// requisites fetches the images and stylesheets of pages, in the
	// handler's goroutine: the page stays in progress until they are
	// archived, which keeps their number bounded by the frontier's.
	requisites *requisiteFetcher
	archiveMu  *sync.Mutex // held while reading the archive: see run.buildCollector
}

// fillCategory gives an article whose page prints no breadcrumb the
// category the catalog already has for it, so that a re-crawl neither
// takes the category away nor moves it; failing that (a first sight, or
// none was known), the category of the listing that linked to it. The
// listings a night has reached when the article is fetched are not all
// of them, and the order it reaches them in is no change of the article:
// taking a listing's category over the catalog's moved the article from
// one of its categories to the other, and made a version, on nights the
// other listing came first. (An article moved to another category keeps
// its first one, unless its page prints a breadcrumb.)
func (p *pageHandler) fillCategory(ctx context.Context, c *store.Content, canonical, fetched string) {
	if prev, err := p.cr.catalog.Article(ctx, canonical); err == nil && prev.Category != "" {
		c.Breadcrumb, c.Category = prev.Breadcrumb, prev.Category
		return
	}
	if cats := p.hints.get(canonical, fetched); len(cats) > 0 {
		c.Breadcrumb, c.Category = []string{cats[0]}, cats[0]
	}
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
		// The whole server was paused as the answer ended
		// (politeness.finished); this page waits the same.
		if d, ok := retryAfter(r.Headers.Get("Retry-After"), time.Now()); ok {
			wait = d
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
		releaseOf(p.frontier, r.Ctx)
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
// that a continued run does not fetch it again, and frees its place in
// the frontier.
func (p *pageHandler) handled(r *colly.Response) {
	p.markHandled(r)
	releaseOf(p.frontier, r.Ctx)
}

// markHandled is handled without freeing the URL's place in the
// frontier.
func (p *pageHandler) markHandled(r *colly.Response) {
	p.counts.pages.Add(1)
	if p.ctx.Err() != nil {
		// Interrupted (a signal, a full disk) while the page was
		// handled: its links may not all be queued (enqueue refuses
		// them once the run is cancelled), or a write may have failed
		// (a full disk). The continued run fetches it again, asking
		// conditionally if its article was recorded.
		return
	}
	if u := r.Ctx.Get(ctxURL); u != "" {
		if _, later := p.untilRunEnd.Load(u); later {
			return
		}
		p.cr.catalog.Handled(p.runID, u)
	}
}

// afterStep is what a step of handle asks of it once the step is done
// with the page.
type afterStep struct {
	// retrying (or a page whose record failed) stays unhandled: the
	// continued run of an interrupted crawl fetches it again.
	retrying bool
	// thenRequisites, when set, fetches the page's images and stylesheets
	// once the page itself is recorded and marked handled: a crawl killed
	// while it waits its turn for them does not fetch the page again when
	// it resumes (the next run revalidates the requisites).
	thenRequisites func()
}

// fetchedPage is what the steps of handle know of a response.
type fetchedPage struct {
	r        *colly.Response
	ctx      context.Context // not canceled: see fetchedOf
	finalURL string          // the URL answered, normalized when it can be
	last     hop             // the last exchange, after any redirects
	depth    int
	from     *origin // the page, as the origin of the links it leads to
}

// handle is colly's OnResponse for every fetched page. It queues the
// targets of the redirects, then hands the response to the step for its
// status (unchanged, gone, failed) or, for a 200, for its body (feed,
// document, page). Once the step is done the page is marked handled,
// unless the step is retrying it, and its requisites are fetched if the
// step asked for them.
func (p *pageHandler) handle(r *colly.Response) {
	var next afterStep
	defer func() {
		if next.retrying {
			return
		}
		if next.thenRequisites == nil {
			p.handled(r)
			return
		}
		// Marked handled first (see afterStep.thenRequisites), but its
		// place in the frontier is kept until its requisites are
		// archived: the pages waiting for theirs stay bounded by the
		// frontier's window (see pageHandler.requisites).
		p.markHandled(r)
		next.thenRequisites()
		releaseOf(p.frontier, r.Ctx)
	}()
	hops := p.rec.take(keyOf(r.Request))
	defer closeHops(hops)
	if len(hops) == 0 {
		p.log.Error("internal: response without a recorded exchange", "url", r.Request.URL.String())
		return
	}
	f := p.fetchedOf(r, hops[len(hops)-1])
	p.redirects(f, hops[:len(hops)-1])
	p.caseless.note(r.Request.URL.Host, f.last.Header.Get("Server"))
	if r.StatusCode >= 500 || r.StatusCode == http.StatusTooManyRequests {
		status := r.Request.URL.String() + " answered " + strconv.Itoa(r.StatusCode) + " " + http.StatusText(r.StatusCode)
		p.counts.serverError.CompareAndSwap(nil, &status)
	} else {
		p.counts.answered.Add(1)
	}
	switch {
	case r.StatusCode == http.StatusNotModified:
		next = p.unchanged(f)
		return
	case r.StatusCode == http.StatusNotFound || r.StatusCode == http.StatusGone:
		p.gone(f)
		return
	case r.StatusCode >= 400:
		next = p.failed(f)
		return
	case r.StatusCode != http.StatusOK:
		return
	}
	if why := brokenBody(f.last); why != "" {
		next = p.broken(f, why)
		return
	}
	// The body and headers as the server sent them (decompressed), not as
	// colly may have converted them.
	ct, body := f.last.Header.Get("Content-Type"), f.last.Body
	if locs, ok := parseFeed(body); ok {
		p.feed(f, locs)
		return
	}
	if !looksLikeHTML(ct, body) {
		p.document(f, ct)
		return
	}
	next = p.page(f, ct, body)
}

// setKind records what the page turned out to be on its capture: the next
// run asks articles again conditionally, and fetches requisites, by it.
// A full disk stops the crawl (fullDiskCatalog); any other failure is
// told, and the next run treats the page as one it knows nothing of.
func (p *pageHandler) setKind(f *fetchedPage, kind string) {
	if err := p.cr.catalog.SetCaptureKind(f.ctx, f.last.CaptureID, kind); err != nil {
		p.log.Warn("capture kind not recorded", "url", f.finalURL, "kind", kind, "err", err)
	}
}

// fetchedOf gathers what the steps of handle need of a response whose
// last exchange is last.
func (p *pageHandler) fetchedOf(r *colly.Response, last hop) *fetchedPage {
	depth, _ := r.Ctx.GetAny(ctxDepth).(int)
	ctx := context.WithoutCancel(p.ctx) // finish recording what was fetched, even when interrupted
	finalURL, err := urlnorm.Normalize(nil, r.Request.URL.String())
	if err != nil {
		finalURL = r.Request.URL.String()
	}
	chain, _ := r.Ctx.GetAny(ctxChain).(int)
	barren, _ := r.Ctx.GetAny(ctxBarren).(int)
	from := &origin{page: r.Request.URL, chain: chain, barren: barren}
	return &fetchedPage{r: r, ctx: ctx, finalURL: finalURL, last: last, depth: depth, from: from}
}

// redirects queues the in-scope targets of the redirect hops.
func (p *pageHandler) redirects(f *fetchedPage, hops []hop) {
	// Redirect hops are archived; tell the crawl about their targets too.
	for _, h := range hops {
		if loc := h.Header.Get("Location"); loc != "" {
			base, _ := url.Parse(h.URL)
			if n, err := urlnorm.Normalize(base, loc); err == nil && p.scope.contains(n) && n != f.finalURL {
				p.enqueue(n, f.depth+1, f.from)
			}
		}
	}
}

// unchanged handles a 304: the article is counted unchanged, and the
// requisites of its archived copy are checked again.
func (p *pageHandler) unchanged(f *fetchedPage) afterStep {
	if u, err := p.cr.catalog.MarkUnchanged(f.ctx, f.finalURL, f.last.At); err != nil {
		p.log.Error("catalog", "url", f.finalURL, "err", err)
	} else if u.ID != "" {
		// Once per article: its canonical URL and a print version may
		// both answer 304.
		if _, again := p.counted.LoadOrStore(u.ID, true); !again {
			p.counts.outcome(u.Kind, &p.counts.unchanged, &p.counts.pagesUnchanged)
		}
		if u.Attaches {
			p.attachmentsOf(f, u.ID)
		}
	}
	// The recorder gave the 304 capture the kind and validators it
	// revalidated. The page is the same, but its images may not be (a
	// CDN may have replaced one): they are checked again, found in the
	// archived copy.
	last, finalURL := f.last, f.finalURL
	return afterStep{thenRequisites: func() { p.requisitesOfArchived(last, finalURL) }}
}

// attachmentsOf queues the documents the article id attaches, for an
// article that answered 304: its page is the same, but a document may
// have been replaced at its address. Each is asked with its validators
// (see run.conditional), as the images are.
func (p *pageHandler) attachmentsOf(f *fetchedPage, id string) {
	atts, err := p.cr.catalog.ArticleAttachments(f.ctx, id)
	if err != nil || len(atts) == 0 {
		return
	}
	base, err := url.Parse(f.finalURL)
	if err != nil {
		return
	}
	for _, at := range atts {
		if n, err := urlnorm.Normalize(base, at.URL); err == nil && p.scope.contains(n) {
			p.enqueue(n, f.depth+1, f.from)
		}
	}
}

// gone handles a 404 or 410: an article becomes a tombstone; any other
// page is a broken link.
func (p *pageHandler) gone(f *fetchedPage) {
	kind, err := p.cr.catalog.MarkDeleted(f.ctx, f.finalURL, f.last.At)
	if err != nil {
		// Not a broken link: the catalog could not say. Counted as an
		// error; the next run asks again.
		p.counts.errors.Add(1)
		p.log.Error("catalog", "url", f.finalURL, "err", err)
		return
	}
	if kind != "" {
		p.counts.outcome(kind, &p.counts.deleted, &p.counts.pagesDeleted)
		p.countedDeleted.Store(f.finalURL, true)
		p.log.Info("article gone", "url", f.finalURL, "status", f.r.StatusCode)
		p.mergeGone(f)
		return
	}
	// The address an article's content was read from (a print page that
	// names the article's address canonical, asked again there: see
	// store.LiveURLs) is gone: whether the article is, its own address
	// says. It is asked this run; its 404 takes the article down, which
	// the print page's could not (nothing was, and the takedown went
	// unseen for ever).
	if own, err := p.cr.catalog.ReadFrom(f.ctx, f.finalURL); err == nil && own != "" && p.scope.contains(own) {
		p.log.Info("the page an article was read from is gone; asking the article's own address", "url", f.finalURL, "article", own)
		p.enqueue(own, f.depth, f.from)
		return
	}
	p.brokenLink(f, "article still gone", "broken link", "status", f.r.StatusCode)
	p.otherSpelling(f.r.Request.URL.String(), f.depth)
}

// brokenLink counts a link to no page (a 404, or a "not found" notice
// sent as 200) as an error of the night, logged as broken, unless the
// catalog holds its article as taken down on an earlier night, or as
// moved to another address: a page still linking it is nothing new, and
// no failure (logged as still).
func (p *pageHandler) brokenLink(f *fetchedPage, still, broken string, attrs ...any) {
	attrs = append([]any{"url", f.finalURL}, attrs...)
	if a, err := p.cr.catalog.Article(f.ctx, f.finalURL); err == nil && a.Status == store.StatusDeleted {
		p.log.Debug(still, attrs...)
		return
	} else if err == nil && a.URL != f.finalURL {
		// An address the article had before it moved: no page now, and
		// the article is at its new one.
		p.log.Debug("the old address of an article that moved", append(attrs, "now", a.URL)...)
		return
	}
	p.counts.errors.Add(1)
	p.log.Warn(broken, attrs...)
}

// failed handles any other HTTP error: retried when transient and tries
// remain, counted as an error otherwise.
func (p *pageHandler) failed(f *fetchedPage) afterStep {
	if p.retry(f.r, f.r.StatusCode, nil) {
		return afterStep{retrying: true}
	}
	if p.ctx.Err() != nil && retryable(f.r.StatusCode, nil) {
		// A transient failure as the run was interrupted: not given up
		// but left for the continued run, as a failed fetch is (onError)
		// (markHandled leaves it unhandled).
		return afterStep{}
	}
	p.counts.errors.Add(1)
	p.log.Warn("HTTP error", "url", f.finalURL, "status", f.r.StatusCode)
	p.otherSpelling(f.r.Request.URL.String(), f.depth)
	return afterStep{}
}

// errBrokenBody marks a 200 whose body did not arrive whole or readable,
// for retryable: a transient failure, as a timeout or a reset is.
var errBrokenBody = errors.New("the body did not arrive whole")

// brokenBody says why the body of a 200 answer cannot stand for the page
// ("" when it can): cut short by the time limit or a dropped connection,
// undecodable, or empty. A body cut at the size limit stands: that cut is
// the crawl's own, the same every night, and the page is recorded as
// truncated (see Options.MaxBodySize).
func brokenBody(h hop) string {
	if why := cutShort(h); why != "" {
		return why
	}
	if h.File == nil && len(bytes.TrimSpace(h.Body)) == 0 {
		return emptyBody
	}
	return ""
}

// emptyBody is brokenBody's reason for an empty answer.
const emptyBody = "the response is empty"

// cutShort says why the body of h did not arrive whole or readable: the
// time limit, a dropped connection, a Content-Encoding that could not be
// removed; "" when it did (or was cut at the size limit, on purpose).
func cutShort(h hop) string {
	switch {
	case h.Truncated == "time":
		return "the response was cut short by the time limit (--timeout)"
	case h.Truncated == "disconnect":
		return "the connection dropped before the response was whole"
	case h.Undecodable != "":
		return h.Undecodable
	}
	return ""
}

// broken handles a 200 whose body cannot stand for the page (see
// brokenBody): retried while tries remain, then counted as an error. The
// archive keeps what arrived, marked as it is, and the catalog keeps the
// article as it was: half a page is not a new version of it.
func (p *pageHandler) broken(f *fetchedPage, why string) afterStep {
	p.setKind(f, "other")
	// An empty answer is tried again only for an article the archive
	// holds: a link to an empty page (an endpoint, a stub) would cost its
	// tries and their waits every night for nothing.
	again := why != emptyBody || p.recordedLive(f)
	if again && p.retry(f.r, f.r.StatusCode, errBrokenBody) {
		return afterStep{retrying: true}
	}
	if p.ctx.Err() != nil {
		return afterStep{} // left for the continued run (see failed)
	}
	p.counts.errors.Add(1)
	p.log.Warn("page not recorded: "+why, "url", f.finalURL)
	return afterStep{}
}

// feed handles a sitemap or an RSS/Atom feed, whose links are locs.
func (p *pageHandler) feed(f *fetchedPage, locs []string) {
	// A sitemap or an RSS/Atom feed: how new articles are announced.
	p.setKind(f, "feed")
	base, _ := url.Parse(f.finalURL)
	for _, l := range locs {
		if n, err := urlnorm.Normalize(base, l); err == nil && p.scope.contains(n) {
			p.enqueue(n, f.depth+1, f.from)
		}
	}
}

// document handles a body that is not HTML, of Content-Type ct: an
// attached document has its text read.
func (p *pageHandler) document(f *fetchedPage, ct string) {
	p.setKind(f, "other")
	if isAttachmentURL(f.finalURL) || isDocumentType(ct) {
		p.readAttachment(f.ctx, f.finalURL, f.last)
	}
}

// page handles an HTML page, of Content-Type ct: it extracts the page,
// queues its links, records its kind and its requisites and, for an
// article or a static page, saves it in the catalog.
func (p *pageHandler) page(f *fetchedPage, ct string, body []byte) afterStep {
	doc, err := extract.Extract(f.finalURL, body, ct, extract.Options{Profiles: p.opts.Profiles})
	var base *url.URL
	if err == nil {
		base, err = url.Parse(f.finalURL) // parsed by Extract already: cannot fail after it
	}
	if err != nil {
		// Failed as a page: counted, so that a night of broken pages
		// shows in errors and --max-error-rate.
		p.counts.errors.Add(1)
		p.log.Warn("could not parse page", "url", f.finalURL, "err", err)
		p.setKind(f, "other")
		return afterStep{}
	}
	if p.redirectedAway(f, doc, base) {
		// An address that now leads to an error page: a known article
		// taken down (takeDownRedirected), else a broken link; the
		// error page is no article.
		p.setKind(f, "other")
		return afterStep{}
	}
	if extract.NotFoundPage(doc) {
		// A "Không tìm thấy trang" notice sent with a 200 (a soft 404)
		// is a broken link, as a 404 is: never recorded as a page of
		// the archive, nor as a new version of the article that was
		// there (kept as it was: one such answer does not take it down,
		// the notice being told from an article by its words alone).
		p.setKind(f, "other")
		if p.recordedLive(f) {
			p.counts.errors.Add(1)
			p.log.Warn("page not recorded: the article's address answers with a \"page not found\" notice sent as 200; the article is kept as it was", "url", f.finalURL)
			return afterStep{}
		}
		p.brokenLink(f, "article still gone (a \"page not found\" notice sent as 200)", "broken link: a \"page not found\" notice sent as 200")
		return afterStep{}
	}
	p.links(f, doc, base, body)
	var next afterStep
	requisitesOf := string(doc.Kind) // what the page read as decides its requisites
	if (doc.Kind == extract.KindPage || doc.Kind == extract.KindOther) && base.Path == "/" && slices.Contains(p.seedURLs, f.finalURL) {
		// A site's home page that reads as a static page (its menus,
		// sidebar and footer around a link to the news) is the site's
		// way in, not a page of text: recorded as a static page, its
		// visitor counter would make a new version every night (start
		// URLs are always fetched whole). One that reads as too little
		// to be a page is the same way in, and one an older tulieu
		// recorded as a static page leaves the static pages, rather
		// than being taken for that page cut short.
		doc.Kind = extract.KindListing
	}
	kind := string(doc.Kind)
	p.setKind(f, kind)
	// (Or what it is recorded as: a home page taken for a listing gets
	// a listing's thumbnails with --listing-images.)
	if wantsRequisites(requisitesOf, p.opts) || wantsRequisites(kind, p.opts) {
		// After the page is saved and handled: an interrupted crawl then
		// keeps the article even if its images are not all archived.
		urls := requisiteURLs(base, body)
		if f.last.PageCaptureID != 0 {
			if err := p.cr.catalog.SetPageRequisites(f.ctx, f.last.PageCaptureID, urls); err != nil {
				p.log.Warn("requisites not recorded", "url", f.finalURL, "err", err)
			}
		}
		finalURL := f.finalURL
		next.thenRequisites = func() { p.requisites.fetchAll(p.ctx, finalURL, urls) }
	}
	if kind == string(extract.KindOther) && p.recordedLive(f) {
		k, ok := p.shortened(f, doc, base)
		if !ok {
			// An article that now reads as nothing (no text, no links:
			// an error or maintenance page sent as a 200, a login wall)
			// is not taken out of the archive's articles on one such
			// answer, as a listing it turned into would be.
			p.counts.errors.Add(1)
			p.log.Warn("page not recorded: the article's page no longer reads as an article (an error or maintenance page sent as 200?); the article is kept as it was", "url", f.finalURL)
			return next
		}
		// The article itself, cut down by its editors to a line ("Nội
		// dung đang được cập nhật"): a version of it.
		kind, doc.Kind = k, extract.Kind(k)
		p.setKind(f, kind)
	}
	if kind != store.KindArticle && kind != store.KindPage {
		p.reclassify(f, kind)
		return next
	}
	if !p.record(f, doc, base, kind) {
		// Not handled (see afterStep.retrying), and its requisites wait
		// for the run that records it.
		return afterStep{retrying: true}
	}
	return next
}

// redirectedAway says whether the page is an error page an address
// redirected to (ASP.NET's /Error.aspx?aspxerrorpath=…, a "not found"
// notice), which is then told: a known article's address leading there,
// or to the home page, is the article taken down (see
// takeDownRedirected); any other address is a broken link. A home page
// reached so is read as ever.
func (p *pageHandler) redirectedAway(f *fetchedPage, doc *extract.Document, base *url.URL) bool {
	orig := f.r.Ctx.Get(ctxURL)
	if orig == "" || orig == f.finalURL {
		return false
	}
	errorPage := errorPageURL(base) || extract.NotFoundPage(doc)
	if !errorPage && !awayTarget(base, p.seedURLs) {
		return false
	}
	if !p.noteTakenDown(f.ctx, orig) && errorPage {
		p.brokenLink(f, "article still gone (redirects to an error page)", "broken link: redirects to an error page", "from", orig)
	}
	return errorPage
}

// links queues the in-scope links, attachments and feeds of the page doc
// extracted from body, and records its links out of scope.
func (p *pageHandler) links(f *fetchedPage, doc *extract.Document, base *url.URL, body []byte) {
	// A start URL's links are queued: its server's other pages may go
	// (after unhold), without waiting for its images.
	defer endStartOf(p.frontier, f.r.Ctx)
	p.frontier.hold()
	defer p.frontier.unhold()
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
	pageShape := urlPattern(f.r.Request.URL)
	var sameShape, freshShapes []string
	fresh := 0
	for _, l := range doc.Links {
		n, err := urlnorm.Normalize(base, l)
		if err == nil && mayBePrintPage(n) {
			if pu, perr := url.Parse(n); perr == nil {
				if article, ok := printPage(pu); ok {
					if an, aerr := urlnorm.Normalize(nil, article); aerr == nil {
						n = an
					}
				}
			}
		}
		switch {
		case err != nil:
		case p.scope.contains(n):
			if listing != "" {
				p.hints.offer(n, listing)
			}
			pu, err := url.Parse(n)
			if err != nil {
				break
			}
			switch shape := urlPattern(pu); {
			case shape == pageShape:
				sameShape = append(sameShape, n)
			case p.shapes.barren(shape):
				// Pages of that shape have brought nothing: a link to
				// one is nothing new, and not followed.
			case p.enqueue(n, f.depth+1, f.from):
				fresh++
				p.linked.add(n)
				freshShapes = addShape(freshShapes, shape)
			case !slices.Contains(freshShapes, shape) && p.linked.add(n):
				// Queued before, but linked by no page yet: a known
				// article a re-crawl queued from the catalog, listed
				// here. Nothing new for the chain, but what the page
				// leads to, for its shape's productivity (a category
				// whose pages list only known articles on a re-crawl
				// is not barren).
				freshShapes = append(freshShapes, shape)
			}
		default:
			outlinks = append(outlinks, n)
		}
	}
	for _, a := range doc.Attachments {
		if n, err := urlnorm.Normalize(base, a.URL); err == nil && p.scope.contains(n) && p.enqueue(n, f.depth+1, f.from) {
			fresh++
			if pu, err := url.Parse(n); err == nil {
				freshShapes = addShape(freshShapes, urlPattern(pu))
			}
		}
	}
	// An article is something new in itself: a chain of articles that
	// link to the next (related articles, "next" links) goes on.
	if fresh == 0 && doc.Kind != extract.KindArticle {
		f.from.barren++
	} else {
		f.from.barren = 0
	}
	p.shapes.add(pageShape, doc.Kind == extract.KindArticle || doc.Kind == extract.KindPage, freshShapes)
	for _, n := range sameShape {
		p.enqueue(n, f.depth+1, f.from)
	}
	for _, fl := range feedLinks(body) {
		if n, err := urlnorm.Normalize(base, fl); err == nil && p.scope.contains(n) {
			p.enqueue(n, f.depth+1, f.from)
		}
	}
	if err := p.cr.catalog.AddOutlinks(f.ctx, f.last.CaptureID, outlinks); err != nil {
		p.log.Warn("outlinks not recorded", "url", f.finalURL, "err", err)
	}
}

// recordedLive says whether the catalog holds a live article (or static
// page) at the page's URL.
func (p *pageHandler) recordedLive(f *fetchedPage) bool { return p.liveAt(f.ctx, f.finalURL) }

// liveAt says whether the catalog holds a live article (or static page)
// at u.
func (p *pageHandler) liveAt(ctx context.Context, u string) bool {
	ok, err := p.cr.catalog.RecordedLive(ctx, u)
	return err == nil && ok
}

// noteTakenDown notes orig, an address that redirected to the home page
// or an error page, for takeDownRedirected when the catalog holds a live
// article there, and says whether it did.
func (p *pageHandler) noteTakenDown(ctx context.Context, orig string) bool {
	if !p.liveAt(ctx, orig) {
		return false
	}
	p.away.add(orig)
	p.untilRunEnd.Store(orig, true)
	return true
}

// reclassify records that a page of the given kind, neither an article
// nor a static page, is not an article.
func (p *pageHandler) reclassify(f *fetchedPage, kind string) {
	// A page once taken for an article and now seen as a listing
	// leaves the articles.
	if ok, err := p.cr.catalog.Reclassify(f.ctx, f.finalURL, kind); err != nil {
		p.log.Warn("catalog: reclassify", "url", f.finalURL, "err", err)
	} else if ok {
		p.log.Info("no longer an article", "url", f.finalURL, "kind", kind)
	}
}

// canonical is the URL the page's article is recorded under: the one it
// names (<link rel=canonical>) if that is in scope, else its own.
func (p *pageHandler) canonical(f *fetchedPage, doc *extract.Document, base *url.URL) string {
	if doc.Canonical != "" {
		if n, err := urlnorm.Normalize(base, doc.Canonical); err == nil && p.scope.contains(n) && !aboveOf(n, f.finalURL) {
			return n
		}
	}
	return f.finalURL
}

// aboveOf says whether canonical names the home page of the site of page,
// or a folder above page (its category: "/tin-tuc/tin-tuc-chung/" for
// "/tin-tuc/tin-tuc-chung/bai-661.html"), page being another: a CMS that
// prints <link rel=canonical href="/"> or its category on every page (a
// common misconfiguration) would make all its articles one.
func aboveOf(canonical, page string) bool {
	c, err1 := url.Parse(canonical)
	pg, err2 := url.Parse(page)
	if err1 != nil || err2 != nil || c.RawQuery != "" || !strings.EqualFold(strings.TrimPrefix(c.Host, "www."), strings.TrimPrefix(pg.Host, "www.")) {
		return false
	}
	folder := strings.TrimSuffix(c.Path, "/")
	if path.Ext(folder) != "" && !strings.HasSuffix(c.Path, "/") {
		return false // a page of its own ("…/bai-661.html" for its AMP version)
	}
	below := strings.TrimSuffix(pg.Path, "/")
	return strings.HasPrefix(below, folder+"/") && len(below) > len(folder)+1
}

// shortened says whether a page that reads as too little to be an article
// is the live article recorded at its address, cut short (its title is
// the article's and it still has text): then it returns the article's
// kind. An error or maintenance page sent as a 200 has a title of its own.
func (p *pageHandler) shortened(f *fetchedPage, doc *extract.Document, base *url.URL) (kind string, ok bool) {
	if doc.Title == "" || strings.TrimSpace(doc.Body) == "" {
		return "", false
	}
	a, err := p.cr.catalog.Article(f.ctx, p.canonical(f, doc, base))
	if err != nil || a.Status != store.StatusLive || !sameTitle(a.Title, doc.Title) {
		return "", false
	}
	return a.Kind, true
}

// sameTitle compares two titles as a reader would: case and spacing aside.
func sameTitle(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}

// record saves the article (or static page) doc in the catalog under its
// canonical URL and counts its outcome. It reports whether the article
// was saved: one that was not is released from the frontier here, and
// must not be marked handled.
func (p *pageHandler) record(f *fetchedPage, doc *extract.Document, base *url.URL, kind string) bool {
	canonical := p.canonical(f, doc, base)
	// The address asked, and the one answered after its redirects.
	asked := f.r.Ctx.Get(ctxURL)
	if asked != "" && asked != canonical {
		p.moved(f.ctx, asked, canonical, false, f.last.At)
	}
	if f.finalURL != canonical && f.finalURL != asked {
		p.moved(f.ctx, f.finalURL, canonical, false, f.last.At)
	}
	content := contentOf(doc)
	if content.Category == "" {
		p.fillCategory(f.ctx, &content, canonical, f.finalURL)
	}
	outcome, id, err := p.cr.catalog.RecordArticle(f.ctx, canonical, content, f.last.CaptureID, f.last.At)
	if err != nil {
		p.log.Error("catalog: save article", "url", canonical, "err", err)
		p.counts.errors.Add(1)
		releaseOf(p.frontier, f.r.Ctx)
		return false
	}
	_, seen := p.counted.LoadOrStore(id, true)
	defer p.mergeTwin(f, &content, canonical, outcome)
	switch {
	case outcome == store.New:
		p.counts.outcome(kind, &p.counts.new, &p.counts.pagesNew)
		p.countedNew.Store(canonical, true)
	case outcome == store.Changed:
		p.counts.outcome(kind, &p.counts.changed, &p.counts.pagesChanged)
	case !seen:
		// Unchanged, counted once per article: a print version of an
		// article already counted is the same article.
		p.counts.outcome(kind, &p.counts.unchanged, &p.counts.pagesUnchanged)
	}
	p.log.Debug("page", "url", canonical, "kind", kind, "outcome", outcome.String())
	return true
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
	} else if r, err := readDocument(ctx, attach.Options{OCR: p.opts.OCR, TempDir: p.opts.SpoolDir}, u, h); errors.Is(err, attach.ErrUnsupported) {
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
func (p *pageHandler) requisitesOfArchived(last hop, pageURL string) {
	captureID := last.CaptureID
	if captureID == 0 || p.ctx.Err() != nil {
		return
	}
	ctx := context.WithoutCancel(p.ctx)
	// The recorder gave the 304 the kind of the capture it revalidated:
	// only pages that get requisites are worth reading back.
	if !wantsRequisites(last.Kind, p.opts) {
		return
	}
	// Their list, recorded with the page's response capture: read with
	// the capture the request revalidated (store.Revalidate), else asked
	// of that capture, which the recorder names when the capture it
	// revalidated did, else found from the 304's capture.
	pageCaptureID := last.PageCaptureID
	urls, ok := last.Requisites.urls, last.Requisites.recorded
	var err error
	switch {
	case ok:
	case pageCaptureID != 0:
		urls, ok, err = p.cr.catalog.RequisitesOfPage(ctx, pageCaptureID)
	default:
		var c *store.Capture
		if c, err = p.cr.catalog.CaptureByID(ctx, captureID); err == nil {
			urls, pageCaptureID, ok, err = p.cr.catalog.PageRequisites(ctx, c)
		}
	}
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
