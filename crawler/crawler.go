package crawler

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"

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
	RecordRunCounts(ctx context.Context, id int64, c store.Counts) error
	AddCapture(ctx context.Context, c *store.Capture) (int64, error)
	SetCaptureKind(ctx context.Context, id int64, kind string) error
	LastGoodCapture(ctx context.Context, url string) (*store.Capture, error)
	// Revalidate is LastGoodCapture, RecordedLive and the requisites of
	// the capture's page at once.
	Revalidate(ctx context.Context, url string) (store.Revalidation, error)
	LastArticleCapture(ctx context.Context, url string) (*store.Capture, error)
	RunPageRequisites(ctx context.Context, runID int64) ([]store.PageWithRequisites, error)
	RecordedLive(ctx context.Context, url string) (bool, error)
	ReadFrom(ctx context.Context, url string) (string, error) // the article whose current content came from url (store.ReadFrom)
	RecordArticle(ctx context.Context, canonicalURL string, c store.Content, captureID int64, at time.Time) (store.Outcome, string, error)
	MoveArticle(ctx context.Context, fromURL, toURL string, onlyMerge bool, since, at time.Time) (store.Move, error)
	NightStarted(ctx context.Context, id int64) (time.Time, error) // when the night of run id began (see store.NightStarted)
	// EachArticle reads the articles a filter selects: a continued night
	// reads those the run it continues recorded (run.seedTwins).
	EachArticle(ctx context.Context, f store.Filter, fn func(*store.Article) error) error
	MarkUnchanged(ctx context.Context, canonicalURL string, at time.Time) (store.Confirmed, error)
	MarkDeleted(ctx context.Context, canonicalURL string, at time.Time) (kind string, err error)
	LiveURLs(ctx context.Context) ([]string, error)
	RevisitHistories(ctx context.Context) ([]store.RevisitHistory, error)
	Resumable(ctx context.Context, seeds []string) (runID int64, ok bool, err error)
	ContinueRun(ctx context.Context, from, to int64) (pending []store.FrontierEntry, handled int, err error)
	HandledURLs(ctx context.Context, runID int64) ([]string, error)
	// Enqueued and Handled do not wait for their write: it is
	// committed with the next write, in order (store.Store.Enqueued).
	Enqueued(runID int64, url string, depth int)
	Handled(runID int64, url string)
	AddOutlinks(ctx context.Context, captureID int64, urls []string) error
	Article(ctx context.Context, idOrURL string) (*store.Article, error)
	ArticleAttachments(ctx context.Context, id string) ([]store.Attachment, error)
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
	PageRequisites(ctx context.Context, capture *store.Capture) (urls []string, pageCaptureID int64, ok bool, err error)
	RequisitesOfPage(ctx context.Context, pageCaptureID int64) (urls []string, ok bool, err error)
	SaveAttachmentText(ctx context.Context, t store.AttachmentText) error
	AttachmentTextRead(ctx context.Context, captureID int64) (bool, error)
}

// Options configure a crawl.
type Options struct {
	Sites             []string      // start URLs; the crawl stays on their hosts (with and without www.)
	MaxPages          int           // stop after this many page and document requests (not requisites, robots.txt or retries); 0 = no limit
	MaxDepth          int           // links followed from a start URL; 0 = DefaultMaxDepth
	Delay             time.Duration // pause between requests to a host
	Parallel          int           // requests in flight per server (serverKey: host name and port)
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
	// Revisit is which known articles a run asks again: RevisitAll ("" is
	// the same) or RevisitAdaptive, which leaves the stable ones for a
	// later run, at most RevisitCycle apart (0 = DefaultRevisitCycle).
	Revisit      string
	RevisitCycle time.Duration
	// SpoolDir is where a response larger than 1 MiB waits, in a file,
	// while it is archived and read, and where attachments are written
	// for the programs that read them (attach.Options.TempDir); "" is
	// the system's temporary directory (often a tmpfs: memory). Each
	// file is removed when its response is done; those of a crawl killed
	// outright stay, and PrepareSpoolDir removes them before the next run.
	SpoolDir string
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
	// Note says why a run was interrupted or failed, or that a
	// continued one had nothing left (the runs table's note).
	Note string `json:"note,omitempty"`
	// What it did: the articles' and static pages' outcomes, the
	// requisites and the pages it was done with.
	store.Counts
}

// counters are updated from colly's goroutines.
type counters struct {
	fetched, errors, bytes, queued atomic.Int64
	requisites, requisiteErrors    atomic.Int64
	pages                          atomic.Int64 // store.Counts.Pages
	// Outcomes: articles (kind article) and static pages (kind page).
	new, changed, unchanged, deleted                     atomic.Int64
	pagesNew, pagesChanged, pagesUnchanged, pagesDeleted atomic.Int64
	notDue                                               atomic.Int64
	// answered counts the pages answered with anything but a server
	// error (5xx, 429); serverError is the first such error's status:
	// a night of nothing but those is the site down, not a crawl done.
	answered    atomic.Int64
	serverError atomic.Pointer[string]
}

// outcome counts what happened to an article or a static page: the
// summary counts articles, and static pages apart.
func (c *counters) outcome(kind string, article, page *atomic.Int64) { c.add(kind, article, page, 1) }

// add adds n to the article's or the page's counter, by kind.
func (c *counters) add(kind string, article, page *atomic.Int64, n int64) {
	switch kind {
	case store.KindArticle:
		article.Add(n)
	case store.KindPage:
		page.Add(n)
	}
}

func (c *counters) snapshot() store.Counts {
	return store.Counts{Fetched: c.fetched.Load(), New: c.new.Load(), Changed: c.changed.Load(),
		Unchanged: c.unchanged.Load(), Deleted: c.deleted.Load(), Errors: c.errors.Load(), Bytes: c.bytes.Load(),
		PagesNew: c.pagesNew.Load(), PagesChanged: c.pagesChanged.Load(), PagesUnchanged: c.pagesUnchanged.Load(),
		PagesDeleted: c.pagesDeleted.Load(), NotDue: c.notDue.Load(),
		Requisites: c.requisites.Load(), RequisiteErrors: c.requisiteErrors.Load(), Pages: c.pages.Load()}
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
	if o.RevisitCycle <= 0 {
		o.RevisitCycle = DefaultRevisitCycle
	}
	if _, err := newRevisitSchedule(o.Revisit, o.RevisitCycle, time.Time{}); err != nil {
		return err
	}
	return nil
}

// ctx keys colly carries from a request to its response.
const (
	ctxKey     = "tulieu.key"
	ctxDepth   = "tulieu.depth"
	ctxAttempt = "tulieu.attempt"
	ctxURL     = "tulieu.url"    // the URL as queued, before redirects
	ctxServer  = "tulieu.server" // the queued URL's server, whose share of the frontier it holds
	ctxStart   = "tulieu.start"  // a start URL's queued.start
	ctxChain   = "tulieu.chain"
	ctxBarren  = "tulieu.barren"
)

func keyOf(r *colly.Request) string {
	if r == nil || r.Ctx == nil {
		return ""
	}
	return r.Ctx.Get(ctxKey)
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
