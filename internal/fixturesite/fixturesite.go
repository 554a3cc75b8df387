package fixturesite

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// content holds the fixture documents, templates and static files. It is the
// only package-level variable: everything else lives in a Site so that tests
// running in parallel never share mutable state.
//
//go:embed testdata
var content embed.FS

// bylineMarker separates the body from the byline in a document's HTML file.
// Edit replaces what comes before it and keeps the byline.
const bylineMarker = "<!--byline-->"

// Options configures a Site.
type Options struct {
	// Conditional makes article and static pages send ETag and Last-Modified
	// (derived from the article content version, never from the visit counters)
	// and answer If-None-Match / If-Modified-Since with 304 Not Modified.
	// Images and files (CSS, JS, PDF) then carry validators too, derived
	// from their bytes, so that page requisites can be re-fetched
	// conditionally.
	// Without it the site behaves like the real one is assumed to: no
	// validators, always 200.
	Conditional bool
	// Calendar adds "Lịch công tác" to the menu: an endless work calendar
	// (/lich-cong-tac?ngay=YYYY-MM-DD) whose every day links to the day
	// before, the day after and the week after, and says nothing else. A
	// crawler trap, as such CMS calendars are on real sites.
	Calendar bool
}

// Link is an attachment listed in the "Tệp đính kèm" block under an article.
type Link struct {
	Href string `json:"href"`
	Text string `json:"text"`
}

// Image is an image in an article body, with the caption paragraph under it.
type Image struct {
	Src     string `json:"src"` // as linked: a root-relative path
	Caption string `json:"caption"`
}

// Expected is what a careful human reader would extract from a page. Text is
// whitespace-normalized: NBSP counts as a space, runs of spaces collapse and
// ends are trimmed. Extractor tests compare their output against it.
type Expected struct {
	Title      string   `json:"title"`
	Category   string   `json:"category"`
	Breadcrumb []string `json:"breadcrumb"` // items between "Trang chủ" and the title
	// Author is the byline as printed, without a "Tác giả:" label; lines of a
	// two-line byline are joined with a space. "" when there is none.
	Author     string `json:"author"`
	AuthorName string `json:"author_name"` // the person's name alone (no "ThS."), "" for "BBT" or none
	Source     string `json:"source"`      // from a "Nguồn: …" line, "" when none
	// Published is "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM:SS+07:00" when the date
	// line has a time, or "" when the page prints no date.
	Published string `json:"published"`
	// BodyParagraphs are the body's paragraphs in order. Image captions,
	// list items (one each) and table rows (cells joined by " | ") count as
	// paragraphs. The byline, source line and chrome do not.
	BodyParagraphs []string `json:"body_paragraphs"`
	Images         []Image  `json:"images"`
	// Attachments are the root-relative paths of linked files, from the body
	// and from the "Tệp đính kèm" block, in order, without duplicates.
	Attachments []string `json:"attachments"`
}

// Article is one document of the site: a dated article in a category, or a
// static "Tổng quan" page (Static). Articles returns them with their Expected
// fields. Add takes one, and zero fields get defaults (see Add).
type Article struct {
	Path        string    // URL path, e.g. "/tin-tuc/tu-lieu/cac-ky-dai-hoi-dang-bo-khoi-10.html"
	Category    string    // breadcrumb label, e.g. "Tư liệu"
	Title       string    // as printed in the title and <title>
	DateLine    string    // the date line exactly as printed; "" prints none
	Time        time.Time // orders listings, newest first (also for undated articles)
	BodyHTML    string    // body markup as the CMS stored it, without the byline
	BylineHTML  string    // byline and source paragraphs, printed last in the body
	Attachments []Link    // the "Tệp đính kèm" block
	Static      bool      // a "Tổng quan" page: in no listing, no date, no byline
	Expected    Expected
}

// RequestLog is one request as the site saw it.
type RequestLog struct {
	Method   string
	Path     string // URL path, without the query
	RawQuery string
	Header   http.Header // a copy: If-None-Match, If-Modified-Since, User-Agent, …
	Time     time.Time
	Status   int // the status the site answered with
}

// Site is the fixture website. It is an http.Handler, safe for concurrent use.
type Site struct {
	opts  Options
	tmpl  *template.Template
	visit atomic.Int64 // bumped on every request, drives "Thống kê truy cập"

	mu   sync.RWMutex
	docs map[string]*doc // by URL path

	logMu    sync.Mutex
	logs     []RequestLog
	hitsPath map[string]int
	hitsURI  map[string]int
}

// doc is an Article plus the state the server keeps about it.
type doc struct {
	a       Article
	version int
	modTime time.Time // Last-Modified; strictly increases on Edit
	etag    string
	gone    int // 0 while served; 404 or 410 after Remove
}

// section is a category listing. The URL has two levels for news, but the
// breadcrumb shows one label, as on the real site.
type section struct {
	Path  string
	Label string
}

// sections lists the category listings in menu order. It is a function, not a
// variable, to keep the package free of mutable globals.
func sections() []section {
	return []section{
		{"/tin-tuc/tin-tuc-chung", "Tin tức chung"},
		{"/tin-tuc/tu-lieu", "Tư liệu"},
		{"/hoat-dong-cac-to-chuc-csd", "Hoạt động của các tổ chức CSĐ trực thuộc"},
	}
}

// sectionOf returns the listing an article path belongs to, or ok=false.
func sectionOf(p string) (section, bool) {
	for _, s := range sections() {
		if strings.HasPrefix(p, s.Path+"/") {
			return s, true
		}
	}
	return section{}, false
}

// docFile is the JSON shape of testdata/{articles,pages}/*.json.
type docFile struct {
	Path        string   `json:"path"`
	Category    string   `json:"category"`
	Title       string   `json:"title"`
	DateLine    string   `json:"date_line"`
	OrderTime   string   `json:"order_time"` // for undated articles: where they sort
	Attachments []Link   `json:"attachments"`
	Expected    Expected `json:"expected"`
}

// New loads the embedded fixtures. It panics only when the embedded data is
// broken, which is a bug in this package rather than a condition to handle.
func New(opts Options) *Site {
	tmpl := template.Must(template.ParseFS(content, "testdata/templates/*.html"))
	s := &Site{
		opts:     opts,
		tmpl:     tmpl,
		docs:     map[string]*doc{},
		hitsPath: map[string]int{},
		hitsURI:  map[string]int{},
	}
	for _, dir := range []string{"testdata/articles", "testdata/pages"} {
		names, err := fs.Glob(content, dir+"/*.json")
		if err != nil || len(names) == 0 {
			panic(fmt.Sprintf("fixturesite: no fixtures in %s: %v", dir, err))
		}
		for _, name := range names {
			a := loadDoc(name)
			a.Static = dir == "testdata/pages"
			if _, dup := s.docs[a.Path]; dup {
				panic("fixturesite: duplicate path " + a.Path)
			}
			s.docs[a.Path] = newDoc(a, a.Time)
		}
	}
	return s
}

// loadDoc reads one JSON file and its sibling HTML file.
func loadDoc(name string) Article {
	raw, err := content.ReadFile(name)
	if err != nil {
		panic(err)
	}
	var f docFile
	if err := json.Unmarshal(raw, &f); err != nil {
		panic(fmt.Sprintf("fixturesite: %s: %v", name, err))
	}
	body, err := content.ReadFile(strings.TrimSuffix(name, ".json") + ".html")
	if err != nil {
		panic(err)
	}
	main, byline, ok := strings.Cut(string(body), bylineMarker)
	if !ok {
		panic("fixturesite: no " + bylineMarker + " in the HTML of " + name)
	}
	a := Article{
		Path:        f.Path,
		Category:    f.Category,
		Title:       f.Title,
		DateLine:    f.DateLine,
		BodyHTML:    strings.TrimSpace(main) + "\n",
		BylineHTML:  strings.TrimLeft(byline, "\n"),
		Attachments: f.Attachments,
		Expected:    f.Expected,
	}
	// Empty lists load as nil, the same as Edit leaves them, so that tests
	// comparing Expected values never trip over nil versus empty.
	if len(a.Expected.Images) == 0 {
		a.Expected.Images = nil
	}
	if len(a.Expected.Attachments) == 0 {
		a.Expected.Attachments = nil
	}
	if len(a.Attachments) == 0 {
		a.Attachments = nil
	}
	when := f.OrderTime
	if when == "" {
		when = f.Expected.Published
	}
	if when != "" {
		t, err := parsePublished(when)
		if err != nil {
			panic(fmt.Sprintf("fixturesite: %s: %v", name, err))
		}
		a.Time = t
	} else if !strings.HasPrefix(f.Path, "/tong-quan/") {
		panic("fixturesite: " + name + " has neither published nor order_time")
	}
	return a
}

// vnZone is the site's time zone (UTC+7, no daylight saving).
func vnZone() *time.Location { return time.FixedZone("ICT", 7*3600) }

// parsePublished reads the two forms Expected.Published uses.
func parsePublished(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.ParseInLocation("2006-01-02", v, vnZone())
}

// newDoc wraps an Article at version 1.
func newDoc(a Article, mod time.Time) *doc {
	if mod.IsZero() {
		// Static pages have no date. Any fixed instant keeps the validators
		// deterministic across runs.
		mod = time.Date(2019, 1, 1, 8, 0, 0, 0, vnZone())
	}
	d := &doc{a: a, version: 1, modTime: mod.Truncate(time.Second)}
	d.etag = d.computeETag()
	return d
}

// computeETag hashes what the page shows of the article, plus the version, so
// the validator changes exactly when the article does and never with the
// counters.
func (d *doc) computeETag() string {
	h := sha256.New()
	fmt.Fprintf(h, "%d\x00%s\x00%s\x00%s\x00%s\x00%s", d.version, d.a.Title, d.a.Category, d.a.DateLine, d.a.BodyHTML, d.a.BylineHTML)
	for _, l := range d.a.Attachments {
		fmt.Fprintf(h, "\x00%s\x00%s", l.Href, l.Text)
	}
	return `"` + hex.EncodeToString(h.Sum(nil))[:20] + `"`
}

// Start serves a new Site on a local httptest server, closed by t.Cleanup.
func Start(t testing.TB, opts Options) (*Site, *httptest.Server) {
	t.Helper()
	s := New(opts)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

// Articles returns the documents the site currently serves with 200: the
// fixture articles (newest first) followed by the static "Tổng quan" pages
// (Static set). Removed articles are left out, added ones are included. The
// result is a deep copy.
func (s *Site) Articles() []Article {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []Article
	for _, d := range s.docs {
		if d.gone == 0 {
			out = append(out, cloneArticle(d.a))
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Static != out[j].Static {
			return !out[i].Static
		}
		return newer(out[i], out[j])
	})
	return out
}

// newer orders listings: by time, then by the numeric id in the URL, both
// descending, so that the order is total and stable.
func newer(a, b Article) bool {
	if !a.Time.Equal(b.Time) {
		return a.Time.After(b.Time)
	}
	if ia, ib := pathID(a.Path), pathID(b.Path); ia != ib {
		return ia > ib
	}
	return a.Path < b.Path
}

// pathID extracts the CMS id from "/…/slug-661.html" or "/…/21".
func pathID(p string) int {
	base := strings.TrimSuffix(path.Base(p), ".html")
	if i := strings.LastIndexByte(base, '-'); i >= 0 {
		base = base[i+1:]
	}
	n, _ := strconv.Atoi(base)
	return n
}

func cloneArticle(a Article) Article {
	a.Attachments = slices.Clone(a.Attachments)
	a.Expected.Breadcrumb = slices.Clone(a.Expected.Breadcrumb)
	a.Expected.BodyParagraphs = slices.Clone(a.Expected.BodyParagraphs)
	a.Expected.Images = slices.Clone(a.Expected.Images)
	a.Expected.Attachments = slices.Clone(a.Expected.Attachments)
	return a
}

// paragraphsHTML renders plain paragraphs the way the CMS editor stores them.
func paragraphsHTML(ps []string) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(`<p style="text-align: justify;">`)
		b.WriteString(html.EscapeString(p))
		b.WriteString("</p>\n")
	}
	return b.String()
}

// Edit replaces an article's whole body (images and inline links included) by
// newParagraphs; title, date line, byline and the attachment block stay. It
// bumps the version, so the ETag changes and Last-Modified moves forward by at
// least a second (If-Modified-Since has one-second resolution). Expected is
// updated to match. It panics if no document has that path.
func (s *Site) Edit(path string, newParagraphs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.docs[path]
	if !ok {
		panic("fixturesite: Edit of unknown path " + path)
	}
	d.a.BodyHTML = paragraphsHTML(newParagraphs)
	d.a.Expected.BodyParagraphs = normalizeAll(newParagraphs)
	d.a.Expected.Images = nil
	d.a.Expected.Attachments = nil
	for _, l := range d.a.Attachments {
		if !slices.Contains(d.a.Expected.Attachments, l.Href) {
			d.a.Expected.Attachments = append(d.a.Expected.Attachments, l.Href)
		}
	}
	d.version++
	next := d.modTime.Add(time.Second)
	if now := time.Now().Truncate(time.Second); now.After(next) {
		next = now
	}
	d.modTime = next
	d.etag = d.computeETag()
}

// Revise edits an article as an editor revises a published one: within
// its body (images and links kept) each key of replace is replaced by its
// value, once, and paragraph, when not "", is added at the end. Like Edit
// it bumps the version and updates Expected. It panics if no document has
// that path.
func (s *Site) Revise(path string, replace map[string]string, paragraph string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.docs[path]
	if !ok {
		panic("fixturesite: Revise of unknown path " + path)
	}
	for old, repl := range replace {
		d.a.BodyHTML = strings.Replace(d.a.BodyHTML, old, repl, 1)
		for i, p := range d.a.Expected.BodyParagraphs {
			if strings.Contains(p, old) {
				d.a.Expected.BodyParagraphs[i] = strings.Replace(p, old, repl, 1)
				break
			}
		}
	}
	if paragraph != "" {
		d.a.BodyHTML += paragraphsHTML([]string{paragraph})
		d.a.Expected.BodyParagraphs = append(d.a.Expected.BodyParagraphs, normalizeAll([]string{paragraph})...)
	}
	d.version++
	next := d.modTime.Add(time.Second)
	if now := time.Now().Truncate(time.Second); now.After(next) {
		next = now
	}
	d.modTime = next
	d.etag = d.computeETag()
}

// Add adds (or replaces, by Path) an article. It then shows up on the home
// page and in its category listing, at the top when it is the newest.
// Defaults for zero fields: Time = now (so newest); Category = the label of
// the listing the path belongs to; BodyHTML = Expected.BodyParagraphs
// rendered as paragraphs; Expected.Title, Expected.Category and
// Expected.Breadcrumb from the article. Articles outside the three listings
// are served but appear only on the home page.
func (s *Site) Add(a Article) {
	if !strings.HasPrefix(a.Path, "/") {
		panic("fixturesite: Add needs a root-relative Path, got " + a.Path)
	}
	a = cloneArticle(a)
	if a.Time.IsZero() {
		a.Time = time.Now()
	}
	if sec, ok := sectionOf(a.Path); ok && a.Category == "" {
		a.Category = sec.Label
	}
	if a.BodyHTML == "" {
		a.BodyHTML = paragraphsHTML(a.Expected.BodyParagraphs)
	}
	if a.Expected.Title == "" {
		a.Expected.Title = a.Title
	}
	if a.Expected.Category == "" {
		a.Expected.Category = a.Category
	}
	if a.Expected.Breadcrumb == nil && a.Category != "" {
		a.Expected.Breadcrumb = []string{a.Category}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := newDoc(a, a.Time)
	if old, ok := s.docs[a.Path]; ok {
		// A replaced article must not reuse an old validator.
		d.version = old.version + 1
		if !d.modTime.After(old.modTime) {
			d.modTime = old.modTime.Add(time.Second)
		}
		d.etag = d.computeETag()
	}
	s.docs[a.Path] = d
}

// Remove makes a document answer status (404 or 410) from now on and takes
// it off the home page, listings and "Các bài viết gần đây". It panics on an
// unknown path or another status.
func (s *Site) Remove(path string, status int) {
	if status != http.StatusNotFound && status != http.StatusGone {
		panic(fmt.Sprintf("fixturesite: Remove with status %d, want 404 or 410", status))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.docs[path]
	if !ok {
		panic("fixturesite: Remove of unknown path " + path)
	}
	d.gone = status
}

// Restore puts back a document taken down with Remove, as it was: the same
// content and the same validators (a page restored from a backup), so a
// conditional request made with its old ETag is answered 304.
func (s *Site) Restore(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.docs[path]
	if !ok {
		panic("fixturesite: Restore of unknown path " + path)
	}
	d.gone = 0
}

// Hits reports how many requests (any method, any status) the site has seen
// for a path. A path without "?" counts every query string
// (Hits("/tim-kiem") includes "/tim-kiem?q=abc"). A path with "?" must match
// path and query exactly.
func (s *Site) Hits(path string) int {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	if strings.Contains(path, "?") {
		return s.hitsURI[path]
	}
	return s.hitsPath[path]
}

// Requests returns a copy of the request log, oldest first.
func (s *Site) Requests() []RequestLog {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	out := make([]RequestLog, len(s.logs))
	for i, l := range s.logs {
		l.Header = l.Header.Clone()
		out[i] = l
	}
	return out
}

// record logs a request. ServeHTTP calls it before writing the response, so a
// client that has read a response always finds it counted.
func (s *Site) record(r *http.Request, status int) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	uri := r.URL.Path
	if r.URL.RawQuery != "" {
		uri += "?" + r.URL.RawQuery
	}
	s.hitsPath[r.URL.Path]++
	s.hitsURI[uri]++
	s.logs = append(s.logs, RequestLog{
		Method:   r.Method,
		Path:     r.URL.Path,
		RawQuery: r.URL.RawQuery,
		Header:   r.Header.Clone(),
		Time:     time.Now(),
		Status:   status,
	})
}

// normalize collapses whitespace the way Expected text is written: NBSP is a
// space, runs become one space, ends are trimmed.
func normalize(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
}

func normalizeAll(ps []string) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		if n := normalize(p); n != "" {
			out = append(out, n)
		}
	}
	return out
}
