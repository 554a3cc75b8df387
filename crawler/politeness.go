package crawler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/temoto/robotstxt"

	"tulieu/urlnorm"
)

// hostState is what the crawler knows of one origin (scheme://host:port,
// which robots.txt speaks for) during a run.
type hostState struct {
	once   sync.Once
	robots *robotstxt.Group // nil: everything allowed
	err    error            // robots.txt could not be fetched

	sitemapOnce sync.Once
	sitemapURLs []string // Sitemap: lines of robots.txt
}

// serverTurn is when the next request to one server (serverKey: its
// http and https sides are one machine to be polite to) may start.
type serverTurn struct {
	mu        sync.Mutex
	delay     time.Duration // max(--delay, the Crawl-delay of its robots.txt)
	next      time.Time     // no request starts before
	lastStart time.Time
	lastEnd   time.Time
}

// politeness keeps the crawl's manners: robots.txt fetched once per host
// per run and obeyed (Crawl-delay included, which colly ignores), a delay
// between the starts of two requests to a host, and a pause when the host
// asks for one with Retry-After.
type politeness struct {
	client    *http.Client
	userAgent string
	delay     time.Duration
	ignore    bool
	maxDelay  time.Duration // a Crawl-delay or Retry-After above this is capped
	logf      func(string, ...any)
	// maxRetries and retryBase: robots.txt answering a server error is
	// asked again, as a page is (Options.MaxRetries, RetryBase).
	maxRetries int
	retryBase  time.Duration

	mu    sync.Mutex
	hosts map[string]*hostState  // by origin
	turns map[string]*serverTurn // by serverKey
}

func newPoliteness(client *http.Client, o *Options, logf func(string, ...any)) *politeness {
	return &politeness{client: client, userAgent: o.UserAgent, delay: o.Delay, ignore: o.IgnoreRobots,
		maxDelay: o.MaxPause, maxRetries: o.MaxRetries, retryBase: o.RetryBase, logf: logf,
		hosts: map[string]*hostState{}, turns: map[string]*serverTurn{}}
}

func (p *politeness) host(u *url.URL) *hostState {
	key := u.Scheme + "://" + u.Host
	p.mu.Lock()
	defer p.mu.Unlock()
	h, ok := p.hosts[key]
	if !ok {
		h = &hostState{}
		p.hosts[key] = h
	}
	return h
}

func (p *politeness) turn(u *url.URL) *serverTurn {
	key := serverKey(u)
	p.mu.Lock()
	defer p.mu.Unlock()
	t, ok := p.turns[key]
	if !ok {
		t = &serverTurn{delay: p.delay}
		p.turns[key] = t
	}
	return t
}

// serverKey names the server a URL is served by, for the limits that
// protect it (the delay, the requests in flight): its host name, and its
// port unless it is the scheme's own, so that http:// and https:// of one
// host are one server (robots.txt still speaks for each origin apart).
func serverKey(u *url.URL) string {
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if port == "" || port == "80" && u.Scheme == "http" || port == "443" && u.Scheme == "https" {
		return host
	}
	return net.JoinHostPort(host, port)
}

// errRobotsRedirects: robots.txt redirected more than maxRobotsRedirects
// times.
var errRobotsRedirects = errors.New("robots.txt redirects too many times")

// maxRobotsRedirects is how many redirects of robots.txt are followed:
// RFC 9309 asks for at least five.
const maxRobotsRedirects = 5

// robotsClient is the crawl's client, following at most
// maxRobotsRedirects redirects.
func (p *politeness) robotsClient() *http.Client {
	c := *p.client
	check := c.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > maxRobotsRedirects {
			return errRobotsRedirects
		}
		if check != nil {
			return check(req, via)
		}
		return nil
	}
	return &c
}

// load fetches the host's robots.txt once; every caller waits for it.
func (p *politeness) load(ctx context.Context, u *url.URL) *hostState {
	h := p.host(u)
	h.once.Do(func() {
		if p.ignore {
			return
		}
		robotsURL := u.Scheme + "://" + u.Host + "/robots.txt"
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, robotsURL, nil)
		if err != nil {
			h.err = err
			return
		}
		req.Header.Set("User-Agent", p.userAgent)
		// robots.txt is a request like any other: the client's transport
		// (the recorder) waits the server's turn and archives it.
		resp, err := p.fetchRobots(ctx, req)
		if errors.Is(err, errRobotsRedirects) {
			// RFC 9309 2.3.1.2: robots.txt that redirects more than
			// five times may be taken as unavailable (a 4xx): nothing
			// is disallowed.
			p.logf("robots.txt redirects in a loop; treating the site as open", "url", robotsURL)
			return
		}
		if err != nil {
			// RFC 9309: an unreachable robots.txt means nothing may be
			// crawled; the pages themselves are then not requested.
			h.err = fmt.Errorf("robots.txt: %w", err)
			return
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512<<10)) // RFC 9309 asks parsers to read at least 500 KiB
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			// RFC 9309: a server error on robots.txt means nothing may
			// be crawled for now (the library's "disallow all" answer is
			// lost on FindGroup, which allows everything).
			h.err = fmt.Errorf("robots.txt answered %s: the site cannot say what may be crawled; try again later", resp.Status)
			return
		}
		data, err := robotstxt.FromStatusAndBytes(resp.StatusCode, cleanRobots(body))
		if err != nil {
			p.logf("robots.txt unreadable; treating the site as open", "url", robotsURL, "err", err)
			return
		}
		h.sitemapURLs = data.Sitemaps
		h.robots = data.FindGroup(p.userAgent)
		if h.robots != nil {
			if d, raised := p.turn(u).raiseDelay(min(h.robots.CrawlDelay, p.maxDelay)); raised {
				p.logf("obeying Crawl-delay", "host", u.Host, "delay", d)
			}
		}
	})
	return h
}

// fetchRobots asks for robots.txt, and again while it answers a server
// error (5xx, 429) and tries remain: a short outage (a 503 with
// Retry-After: 1) must not cost the whole night. The server's pause, when
// it names one, is kept by its turn (the recorder waits it); else the
// wait doubles from retryBase.
func (p *politeness) fetchRobots(ctx context.Context, req *http.Request) (*http.Response, error) {
	for attempt := 0; ; attempt++ {
		resp, err := p.robotsClient().Do(req.Clone(ctx))
		if err != nil {
			return nil, err
		}
		transient := resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests
		paused := false
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			// A server that asks for a pause asks it of every request,
			// robots.txt's included.
			if d, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
				p.pause(resp.Request.URL, d) // the server that answered, after any redirect
				paused = true
			}
		}
		if !transient || attempt >= p.maxRetries || ctx.Err() != nil {
			return resp, nil
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		p.logf("robots.txt answered "+resp.Status+"; asking again", "url", req.URL.String(), "try", attempt+2)
		if !paused {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(p.retryBase << attempt):
			}
		}
	}
}

// sitemaps returns, the first time it is asked for a host, the sitemaps its
// robots.txt names; nil afterwards.
func (p *politeness) sitemaps(ctx context.Context, u *url.URL) []string {
	if p.ignore {
		return nil
	}
	h := p.load(ctx, u)
	var out []string
	h.sitemapOnce.Do(func() { out = h.sitemapURLs })
	return out
}

// allowed says whether robots.txt lets us fetch u, and why not.
func (p *politeness) allowed(ctx context.Context, u *url.URL) (bool, error) {
	if p.ignore {
		return true, nil
	}
	h := p.load(ctx, u)
	if h.err != nil {
		return false, h.err
	}
	if h.robots == nil {
		return true, nil
	}
	path := u.EscapedPath()
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	// Compared in one encoding with the rules (cleanRobots): bytes past
	// ASCII escaped, escapes in capitals (RFC 9309, 2.2.2).
	return h.robots.Test(robotsPath(path)), nil
}

// notBefore keeps the next request to the server from starting before at
// (it never brings the next start forward). t.mu must be held.
func (t *serverTurn) notBefore(at time.Time) {
	if at.After(t.next) {
		t.next = at
	}
}

// raiseDelay makes d the server's delay if it is longer than the one it
// has, and returns the delay in force.
func (t *serverTurn) raiseDelay(d time.Duration) (time.Duration, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if d <= t.delay {
		return t.delay, false
	}
	t.delay = d
	// The request that read robots.txt has started and ended: the next
	// waits the new delay after both.
	t.notBefore(t.lastStart.Add(d))
	t.notBefore(t.lastEnd.Add(d))
	return d, true
}

// wait blocks until a request to u may start, and books the turn after
// it: a delay after this start. The recorder calls it for every request
// (pages, redirect hops, requisites, robots.txt), once it holds one of
// the server's slots, so the spacing is kept between the requests that
// really start, not between their places in a queue.
//
// The turn is taken when it comes, not booked ahead: a pause (Retry-After)
// or the end of a request that comes meanwhile moves the time the waiting
// request may start, so it sleeps until the time it last saw and looks
// again. The server's slots bound how many wait.
func (p *politeness) wait(ctx context.Context, u *url.URL) error {
	t := p.turn(u)
	for {
		t.mu.Lock()
		now := time.Now()
		if !t.next.After(now) {
			t.lastStart, t.next = now, now.Add(t.delay)
			t.mu.Unlock()
			return nil
		}
		d := t.next.Sub(now)
		t.mu.Unlock()
		timer := time.NewTimer(d)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		}
	}
}

// finished tells that a request to u has ended (its body read, or its
// failure known): the next request to the server waits the delay after
// this end too, so a slow answer is not followed by the requests that
// queued behind it back to back.
//
// A 429 or 503 with Retry-After pauses the whole server here, as the
// answer ends: the server's slot goes to the next request as soon as the
// answer is read (recorder.RoundTrip), and a pause set later, once the
// answer was archived and handed to the page's handler, let the next
// request go after --delay only. Every page's and requisite's answer
// passes here; the handlers' retries only wait the same time.
func (p *politeness) finished(u *url.URL, resp *http.Response) {
	t := p.turn(u)
	t.mu.Lock()
	t.lastEnd = time.Now()
	t.notBefore(t.lastEnd.Add(t.delay))
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := retryAfter(resp.Header.Get("Retry-After"), t.lastEnd); ok {
			t.notBefore(t.lastEnd.Add(min(d, p.maxDelay)))
		}
	}
	t.mu.Unlock()
}

// pause keeps every request to u's server from starting for d (Retry-After).
func (p *politeness) pause(u *url.URL, d time.Duration) {
	d = min(d, p.maxDelay)
	t := p.turn(u)
	t.mu.Lock()
	t.notBefore(time.Now().Add(d))
	t.mu.Unlock()
}

// backoff is the wait before retry number attempt (1, 2, ...): exponential
// with full jitter, so that retries of many pages do not arrive together.
func backoff(base time.Duration, attempt int) time.Duration {
	d := base << (attempt - 1)
	return d/2 + rand.N(d/2+1)
}

// retryAfter reads a Retry-After value in seconds or as an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	// delta-seconds is digits only (RFC 9110): no sign. A value past a
	// year (or past what a Duration holds) is a year: the caller caps it.
	if secs, err := strconv.Atoi(v); (err == nil || errors.Is(err, strconv.ErrRange)) && v[0] >= '0' && v[0] <= '9' {
		const year = 365 * 24 * 60 * 60
		if err != nil || secs > year {
			secs = year
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, t.Sub(now)), true
	}
	return 0, false
}

// Redirect failures: not transient, never retried.
var (
	errRedirectLoop     = errors.New("redirect loop")
	errTooManyRedirects = errors.New("too many redirects")
)

// maxRedirects is how many redirect hops a fetch follows.
const maxRedirects = 10

// checkRedirect runs after colly's own checks (scope, already visited) on
// every redirect hop; each hop is archived by the recorder either way.
func checkRedirect(req *http.Request, via []*http.Request) error {
	seen := 0
	for _, v := range via {
		if v.URL.String() == req.URL.String() {
			seen++
		}
	}
	// Back to a URL of the chain is a loop, unless the answer that sends
	// it back set a cookie, once: an anti-bot gateway or a portal that
	// picks the language on the first visit answers "Set-Cookie" and a
	// redirect to the very same URL, and serves the page to the request
	// that carries the cookie (the jar adds it), as browsers, curl -L and
	// wget find.
	setCookie := req.Response != nil && len(req.Response.Header.Values("Set-Cookie")) > 0
	if seen > 1 || seen == 1 && !setCookie {
		return fmt.Errorf("%w: back to %s after %d hops", errRedirectLoop, req.URL, len(via))
	}
	if len(via) >= maxRedirects {
		return fmt.Errorf("%w: %d hops", errTooManyRedirects, len(via))
	}
	return nil
}

// errRobotsDisallowed ends a redirect (of a page or a requisite) whose
// next hop robots.txt forbids.
var errRobotsDisallowed = errors.New("robots.txt disallows the redirect's target")

// politeRedirect is the crawl's redirect check: a hop is a request like
// any other, so after the loop and length checks it must be allowed by
// robots.txt (its server's turn is waited by the recorder, as for every
// request). The validators of the first URL
// (run.conditional) are not sent to another: Go's client copies them to
// every hop, and a target the archive has no copy of answering 304 to
// them would leave the article there unarchived, night after night.
func (p *politeness) politeRedirect(req *http.Request, via []*http.Request) error {
	if err := checkRedirect(req, via); err != nil {
		return err
	}
	req.Header.Del("If-None-Match")
	req.Header.Del("If-Modified-Since")
	ok, err := p.allowed(req.Context(), req.URL)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: %s", errRobotsDisallowed, req.URL)
	}
	return nil
}

// retryable says whether a failed fetch is worth another try.
func retryable(status int, err error) bool {
	if errors.Is(err, errRedirectLoop) || errors.Is(err, errTooManyRedirects) || errors.Is(err, errRobotsDisallowed) {
		return false
	}
	if err != nil {
		return true // timeouts, resets, refused connections
	}
	return status == http.StatusTooManyRequests || status == http.StatusRequestTimeout || status >= 500
}

// origin is the page a link was found on: its URL and the length of the
// chain of same-shape pages that led to it.
type origin struct {
	page  *url.URL
	chain int
	// barren counts the pages of the chain, this one included once it is
	// known, that in a row brought nothing new (see maxBarren).
	barren int
}

// maxBarren is how many pages of one shape in a row may bring nothing new
// (no URL of another shape not seen before: no new article, listing or
// attachment) before the chain stops. A listing's pagination, whose every
// page leads to new articles, is followed to its end; a calendar that
// links to the next day forever, or a "next page" that repeats the same
// articles, stops after a few pages.
const maxBarren = 5

// chainTo is the chain length of a URL found on o: one more than o's when
// it has o's shape, zero otherwise (and for start URLs, o == nil).
func (o *origin) chainTo(u *url.URL) int {
	if o == nil || o.page == nil || urlPattern(o.page) != urlPattern(u) {
		return 0
	}
	return o.chain + 1
}

// urlPattern is a URL's shape: host, path and query keys, with every run of
// digits in the path and the values made one "9".
func urlPattern(u *url.URL) string {
	var b strings.Builder
	b.WriteString(u.Host)
	digits := func(s string) {
		in := false
		for _, r := range s {
			if r >= '0' && r <= '9' {
				if !in {
					b.WriteByte('9')
				}
				in = true
				continue
			}
			in = false
			b.WriteRune(r)
		}
	}
	digits(u.Path)
	if u.RawQuery != "" {
		b.WriteByte('?')
		for i, kv := range strings.Split(u.RawQuery, "&") {
			if i > 0 {
				b.WriteByte('&')
			}
			k, v, _ := strings.Cut(kv, "=")
			b.WriteString(k)
			b.WriteByte('=')
			digits(v)
		}
	}
	return b.String()
}

// urlSet is the set of URLs a run has queued: each is considered once, so
// that a link repeated on every page neither costs a robots check each time
// nor eats into its shape's budget.
type urlSet struct {
	mu sync.Mutex
	m  map[string]struct{}
}

func newURLSet() *urlSet { return &urlSet{m: map[string]struct{}{}} }

// add reports whether u was new.
func (s *urlSet) add(u string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[u]; ok {
		return false
	}
	s.m[u] = struct{}{}
	return true
}

// has reports whether u was added.
func (s *urlSet) has(u string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.m[u]
	return ok
}

// categoryHints remembers, for each URL, the categories of the listings
// that linked to it (the first few), in the order they were read.
type categoryHints struct {
	mu sync.Mutex
	m  map[string][]string
}

// maxHints bounds the categories remembered for one URL.
const maxHints = 4

func (h *categoryHints) offer(u, category string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if cats := h.m[u]; len(cats) < maxHints && !slices.Contains(cats, category) {
		h.m[u] = append(cats, category)
	}
}

// get is the categories offered for u and, after them, those for also
// (the address the page was fetched at), without repeats.
func (h *categoryHints) get(u, also string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := slices.Clone(h.m[u])
	for _, c := range h.m[also] {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// cleanRobots prepares a robots.txt for the parser, which refuses a whole
// file for one line it cannot read, where RFC 9309 asks to use the rules
// that can be read: rules before the first User-agent line are dropped,
// a Crawl-delay is read as its leading number ("10s" is 10; none: the
// line is dropped; more than a day is a day), and the paths of Allow and
// Disallow are put in the encoding paths are compared in (robotsPath).
func cleanRobots(body []byte) []byte {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	var out bytes.Buffer
	agent := false
	text := strings.ReplaceAll(strings.ReplaceAll(string(body), "\r\n", "\n"), "\r", "\n")
	for _, line := range strings.Split(text, "\n") {
		content, _, _ := strings.Cut(line, "#")
		key, value, ok := strings.Cut(content, ":")
		if !ok {
			// The parser takes "User-agent *" without a colon too.
			if f := strings.Fields(strings.ToLower(content)); len(f) > 0 && (f[0] == "user-agent" || f[0] == "useragent") {
				agent = true
			}
			out.WriteString(line + "\n")
			continue
		}
		key, value = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(value)
		switch key {
		case "user-agent", "useragent", "user agent":
			agent = true
		case "allow", "disallow":
			if !agent {
				continue
			}
			line = key + ": " + robotsPath(value)
		case "crawl-delay":
			n := 0
			for n < len(value) && (value[n] >= '0' && value[n] <= '9' || value[n] == '.') {
				n++
			}
			secs, err := strconv.ParseFloat(value[:n], 64)
			if !agent || err != nil {
				continue
			}
			line = key + ": " + strconv.FormatFloat(min(secs, 86400), 'f', -1, 64)
		}
		out.WriteString(line + "\n")
	}
	return out.Bytes()
}

// robotsPath is a path (or a rule's pattern) with its bytes past ASCII
// percent-encoded and its escapes in capitals, so that "/tìm-kiếm",
// "/t%c3%acm-ki%e1%ba%bfm" and "/t%C3%ACm-ki%E1%BA%BFm" compare equal.
func robotsPath(p string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c >= 0x80:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		case c == '%' && i+2 < len(p) && urlnorm.IsHex(p[i+1]) && urlnorm.IsHex(p[i+2]):
			b.WriteByte('%')
			b.WriteString(strings.ToUpper(p[i+1 : i+3]))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
