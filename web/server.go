package web

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"runtime"
	"time"

	"tulieu/api"
	"tulieu/export"
	"tulieu/index"
	"tulieu/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Searcher runs queries; *index.Index is one.
type Searcher interface {
	Search(ctx context.Context, req index.Request) (*index.Result, error)
	MatchIDs(ctx context.Context, req index.Request, fn func(ids []string) error) error
	Count() (uint64, error)
	// Generation changes whenever what the index holds changes; answers
	// are cached per generation.
	Generation() uint64
}

// Catalog reads articles and what the archive holds; *store.Store is one.
// It reads what exports read (export.Catalog), and more.
type Catalog interface {
	export.Catalog
	// FindArticle reads a reference as a user gives it (store.FindArticle).
	FindArticle(ctx context.Context, ref string) (*store.Article, error)
	AttachmentTexts(ctx context.Context, urls []string) (map[string]store.AttachmentText, error)
	ReadCapture(ctx context.Context, captureID int64, limit int64) (*store.ArchivedPage, bool, error)
	RedirectNear(ctx context.Context, url string, at time.Time) (*store.Capture, error)
	// LinkedCaptureNear is CaptureNear for the document a link leads
	// to, through the redirects archived for it.
	LinkedCaptureNear(ctx context.Context, link string, at time.Time) (*store.Capture, error)
	// LastEdited dates an article's latest version (store.LastEdited):
	// the feed tells an edit from a return after a deletion by it.
	LastEdited(ctx context.Context, id string) (time.Time, error)
	// Runs says whether a crawl is running (see api.NewChanges).
	Runs(ctx context.Context, limit int) ([]store.Run, error)
}

// Options configures a Server. The zero value of each field is a sensible
// default.
type Options struct {
	Log *slog.Logger
	// Stats counts the archive for /api/stats (the same document as
	// `tulieu stats --json`); nil answers 404.
	Stats func(ctx context.Context) (*api.Stats, error)
	// Loopback says the server listens on loopback only: requests must
	// then name a loopback host (DNS rebinding defence).
	Loopback bool
	// AuthToken, when set, is required of every request but /healthz, as
	// "Authorization: Bearer TOKEN" or as the password of HTTP basic auth.
	AuthToken string
	// InstanceToken is the random token of this server, written to
	// serve.json: the CLI proves with it that it talks to the server of its
	// own data directory (/api/instance), and it is accepted as AuthToken.
	InstanceToken string
	// DataDir is the absolute data directory, told to a verified CLI.
	DataDir string

	MaxSearches    int           // concurrent searches (default GOMAXPROCS)
	SearchQueue    int           // searches waiting for a slot before 503 (default 64)
	QueueWait      time.Duration // the longest a search waits for a slot (default 5 s)
	SearchTimeout  time.Duration // deadline of one search (default 10 s)
	MaxArchiveRead int64         // the largest archived page shown rewritten; larger ones are offered as a download (default 2 MiB)
	CacheSize      int           // recent answers kept (default 512; negative: none)
	// LastCrawl tells /metrics when the last crawl finished and how; nil
	// leaves those metrics out.
	LastCrawl func(ctx context.Context) (finished time.Time, status string, err error)
}

// Server serves the web page and the API.
type Server struct {
	opts     Options
	search   Searcher
	catalog  Catalog
	log      *slog.Logger
	tmpl     *template.Template
	handler  http.Handler
	searches *limiter
	archive  *limiter
	exports  *limiter
	metrics  *metrics
	cache    *resultCache // nil: none
}

// New returns the web page's handler.
func New(search Searcher, catalog Catalog, opts Options) *Server {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.MaxSearches <= 0 {
		// One search per core: a search already runs its shards in
		// parallel, and more at once only made them take turns. With 20
		// clients on 2 cores, a cap of 1 per core gave the /search page
		// p99 161 ms, 2 per core 222 ms, 10 per core 338 ms, for the same
		// throughput (BENCHMARKS.md).
		opts.MaxSearches = runtime.GOMAXPROCS(0)
	}
	if opts.SearchQueue <= 0 {
		opts.SearchQueue = 64
	}
	if opts.QueueWait <= 0 {
		opts.QueueWait = 5 * time.Second
	}
	if opts.SearchTimeout <= 0 {
		opts.SearchTimeout = 10 * time.Second
	}
	if opts.MaxArchiveRead <= 0 {
		// Parsing and rewriting a page takes up to fifty times its size
		// (a page of nothing but <p> tags): four of 2 MiB at a time stay
		// within a few hundred MiB. Real article pages are a few hundred KB.
		opts.MaxArchiveRead = 2 << 20
	}
	if opts.CacheSize == 0 {
		opts.CacheSize = 512
	}
	s := &Server{opts: opts, search: search, catalog: catalog, log: opts.Log,
		searches: newLimiter(opts.MaxSearches, opts.SearchQueue, opts.QueueWait),
		// Archive reads hold up to MaxArchiveRead bytes each: a few at a
		// time bound the memory they take.
		archive: newLimiter(4, 32, opts.QueueWait),
		exports: newLimiter(2, 4, opts.QueueWait),
	}
	if opts.CacheSize > 0 {
		s.cache = newResultCache(opts.CacheSize)
	}
	s.tmpl = template.Must(template.New("").Funcs(templateFuncs).ParseFS(templateFS, "templates/*.html"))
	s.metrics = newMetrics(s)

	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /{$}", s.handleSearch)
	mux.HandleFunc("GET /search", s.handleSearch)
	mux.HandleFunc("GET /article/{id}", s.handleArticle)
	mux.HandleFunc("GET /article/{id}/diff", s.handleDiff)
	mux.HandleFunc("GET /article/{id}/archived", s.handleArticleArchived)
	mux.HandleFunc("GET /archive", s.handleArchive)
	mux.HandleFunc("GET /raw", s.handleRaw)
	mux.HandleFunc("GET /export", s.handleExport)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.Handle("GET /metrics", s.metrics.handler())
	mux.HandleFunc("GET /api/search", s.handleAPISearch)
	mux.HandleFunc("GET /api/articles/{id}", s.handleAPIArticle)
	mux.HandleFunc("GET /api/articles/{id}/versions", s.handleAPIVersions)
	mux.HandleFunc("GET /api/articles/{id}/diff", s.handleAPIDiff)
	mux.HandleFunc("GET /api/stats", s.handleAPIStats)
	mux.HandleFunc("GET /api/ids", s.handleAPIIDs)
	mux.HandleFunc("GET /api/changes", s.handleAPIChanges)
	mux.HandleFunc("GET /feed.atom", s.handleFeed)
	mux.HandleFunc("GET /api/instance", s.handleAPIInstance)
	// What no route above takes. Every route is read-only (GET, and
	// HEAD with it), so another method is a 405 wherever it is sent;
	// these patterns match every method, so the mux's own 405 (plain
	// text) never answers.
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		if !readMethod(r) {
			w.Header().Set("Allow", "GET, HEAD")
			s.apiError(w, http.StatusMethodNotAllowed, r.Method+" is not allowed: the API only reads (GET)")
			return
		}
		s.apiError(w, http.StatusNotFound, "no such API route: "+r.URL.Path)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if !readMethod(r) {
			w.Header().Set("Allow", "GET, HEAD")
			s.pageError(w, r, http.StatusMethodNotAllowed, "Trang này chỉ để đọc (GET).")
			return
		}
		s.pageError(w, r, http.StatusNotFound, "Không có trang này.")
	})
	// Outermost first: metrics see every answer, the guards run before any
	// handler, and a panic anywhere below becomes a 500, never an exit.
	s.handler = s.metrics.wrap(s.recoverPanics(s.guard(mux)))
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func readMethod(r *http.Request) bool {
	return r.Method == http.MethodGet || r.Method == http.MethodHead
}

// HTTPServer wraps h in an http.Server with every timeout set: a client
// that sends slowly, reads slowly or idles cannot hold a connection.
func HTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		// Exports stream for longer: their handler extends its own write
		// deadline as it goes.
		WriteTimeout:   60 * time.Second,
		IdleTimeout:    120 * time.Second,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// writeJSON writes v as the CLI prints it with --json.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	api.Encode(w, v)
}

func (s *Server) apiError(w http.ResponseWriter, status int, msg string) {
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	writeJSON(w, status, api.Error{Error: msg})
}

// requestStatus maps an error from parsing or running a search to an HTTP
// status and a message for the user; ok is false for a server-side failure
// that the log explains.
func requestStatus(err error) (status int, msg string, ok bool) {
	var qe *index.QueryError
	var re *index.RequestError
	var pe *api.ParamError
	switch {
	case errors.As(err, &qe), errors.As(err, &re), errors.As(err, &pe):
		return http.StatusBadRequest, err.Error(), true
	case errors.Is(err, errBusy):
		return http.StatusServiceUnavailable, "the server is busy; try again in a moment", true
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "the search took too long; narrow it down", true
	case errors.Is(err, store.ErrNotFound):
		// The catalog's own words name what was looked for:
		// `article "…": not found`.
		return http.StatusNotFound, err.Error(), true
	}
	return http.StatusInternalServerError, "internal error; the server log says why", false
}

// runSearch runs one search within the concurrency cap and its deadline,
// or answers it from the cache. The result may be shared: not to be
// changed. The caller holds the search slot until it calls release,
// after writing its answer: rendering a page of results costs a fifth of
// its CPU, and a request admitted in its turn that then waits for the
// CPU behind pages being rendered loses the order the queue gave it (at
// 20 clients on two cores, p99 138 ms with the slot held for the search
// alone, BENCHMARKS.md). On error there is nothing to release.
func (s *Server) runSearch(ctx context.Context, req index.Request) (res *index.Result, took time.Duration, release func(), err error) {
	start := time.Now()
	release, err = s.searches.acquire(ctx)
	if err != nil {
		return nil, 0, nil, err
	}
	search := func(req index.Request) (*index.Result, error) {
		ctx, cancel := context.WithTimeout(ctx, s.opts.SearchTimeout)
		defer cancel()
		return s.search.Search(ctx, req)
	}
	if s.cache != nil {
		res, err = s.cache.search(req, s.search.Generation(), search)
	} else {
		res, err = search(req)
	}
	if err != nil {
		release()
		return nil, 0, nil, err
	}
	return res, time.Since(start), release, nil
}

func (s *Server) handleAPISearch(w http.ResponseWriter, r *http.Request) {
	req, err := api.ParseSearch(r.URL.Query())
	if err == nil {
		var res *index.Result
		var release func()
		if res, _, release, err = s.runSearch(r.Context(), req); err == nil {
			defer release()
			writeJSON(w, http.StatusOK, api.NewSearch(req, res))
			return
		}
	}
	s.failAPI(w, r, err)
}

func (s *Server) failAPI(w http.ResponseWriter, r *http.Request, err error) {
	status, msg, ok := requestStatus(err)
	if !ok {
		s.log.Error("api", "path", r.URL.Path, "err", err)
	}
	s.apiError(w, status, msg)
}

func (s *Server) handleAPIArticle(w http.ResponseWriter, r *http.Request) {
	withVersions, err := api.Switch(r.URL.Query(), "versions", false)
	if err != nil {
		s.failAPI(w, r, err)
		return
	}
	a, err := s.catalog.FindArticle(r.Context(), r.PathValue("id"))
	if err != nil {
		s.failAPI(w, r, err)
		return
	}
	var versions []store.Version
	if withVersions {
		if versions, err = s.catalog.Versions(r.Context(), a.ID); err != nil {
			s.failAPI(w, r, err)
			return
		}
	}
	art := api.NewArticle(a, versions)
	if err := api.AddFiles(r.Context(), &art, a, s.catalog); err != nil {
		s.failAPI(w, r, err)
		return
	}
	if err := api.AddCapture(r.Context(), &art, a, s.catalog); err != nil {
		s.failAPI(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, art)
}

func (s *Server) handleAPIVersions(w http.ResponseWriter, r *http.Request) {
	a, err := s.catalog.FindArticle(r.Context(), r.PathValue("id"))
	var versions []store.Version
	if err == nil {
		versions, err = s.catalog.Versions(r.Context(), a.ID)
	}
	if err != nil {
		s.failAPI(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, api.NewVersions(a.ID, versions))
}

func (s *Server) handleAPIStats(w http.ResponseWriter, r *http.Request) {
	if s.opts.Stats == nil {
		s.apiError(w, http.StatusNotFound, "statistics are not available from this server")
		return
	}
	st, err := s.opts.Stats(r.Context())
	if err != nil {
		s.failAPI(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// Instance is what /api/instance tells a CLI that proved it read this
// server's serve.json.
type Instance struct {
	DataDir string `json:"data_dir"`
	PID     int    `json:"pid"`
}

func (s *Server) handleAPIInstance(w http.ResponseWriter, r *http.Request) {
	if s.opts.InstanceToken == "" || !tokenMatches(bearer(r), s.opts.InstanceToken) {
		s.apiError(w, http.StatusForbidden, "not this server's instance token")
		return
	}
	writeJSON(w, http.StatusOK, Instance{DataDir: s.opts.DataDir, PID: pid()})
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if _, err := s.search.Count(); err != nil {
		s.log.Error("health", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unhealthy"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
