package crawler

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Many portals take an article down by answering its address, from then
// on, with a redirect to the home page (Response.Redirect("/")), and
// ASP.NET sites with customErrors with a redirect to an error page
// (/Error.aspx?aspxerrorpath=/tin-tuc/…) answering 200. A known article
// whose address now leads there is taken down, as a 404 takes it down:
// before, it stayed live night after night (the home page "already
// visited"), and the error page was recorded as an article of its own.
// A site under maintenance may send every address to its home page: the
// takedowns wait for the run's end, and are not made when they are more
// than a fifth of the known articles (maxTakedownShare).

// redirectedAway collects the known articles whose addresses redirected
// to the home page or to an error page during a run.
type redirectedAway struct {
	mu   sync.Mutex
	urls []string
}

func (r *redirectedAway) add(u string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !slices.Contains(r.urls, u) {
		r.urls = append(r.urls, u)
	}
}

func (r *redirectedAway) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.urls
	r.urls = nil
	return out
}

// maxTakedownShare: when more of the known articles than this share (and
// more than minTakedownsHeld of them) redirect away in one run, the site
// is taken to be under maintenance, and none is taken down.
const (
	maxTakedownShare = 0.2
	minTakedownsHeld = 5
)

// awayTarget says whether a redirect from an article's address to target
// takes the article away: to the site's home page, or to an error page.
func awayTarget(target *url.URL, seeds []string) bool {
	p := strings.ToLower(strings.TrimSuffix(target.Path, "/"))
	switch p {
	case "", "/default.aspx", "/index.php", "/index.html", "/index.htm", "/home", "/trang-chu", "/trangchu.aspx", "/portal":
		if target.RawQuery == "" {
			return true
		}
	}
	if slices.Contains(seeds, target.String()) {
		return true
	}
	return errorPageURL(target)
}

// errorPageURL: the address of an error page (ASP.NET's customErrors,
// "/404", "/Error.aspx", "/loi.html").
func errorPageURL(u *url.URL) bool {
	if u.Query().Has("aspxerrorpath") {
		return true
	}
	last := strings.ToLower(u.Path[strings.LastIndexByte(u.Path, '/')+1:])
	if i := strings.LastIndexByte(last, '.'); i > 0 {
		last = last[:i]
	}
	switch last {
	case "error", "errors", "404", "notfound", "not-found", "pagenotfound", "page-not-found", "loi", "khong-tim-thay", "errorpage", "error404":
		return true
	}
	return false
}

// takeDownRedirected takes down the known articles whose addresses
// redirected away during the run, unless so many did that the site looks
// under maintenance.
func (r *run) takeDownRedirected(ctx context.Context) {
	urls := r.away.take()
	if len(urls) == 0 {
		return
	}
	if len(urls) > minTakedownsHeld && float64(len(urls)) > maxTakedownShare*float64(len(r.live)) {
		r.log.Warn("many known articles now redirect to the home page or an error page; none taken down (the site under maintenance?)",
			"articles", len(urls), "known", len(r.live))
		return
	}
	for _, u := range urls {
		kind, err := r.cr.catalog.MarkDeleted(ctx, u, time.Now().UTC())
		if err != nil {
			r.counts.errors.Add(1)
			r.log.Error("catalog", "url", u, "err", err)
			continue
		}
		if kind != "" {
			r.counts.outcome(kind, &r.counts.deleted, &r.counts.pagesDeleted)
			r.log.Info("article gone: its address now redirects to the home page or an error page", "url", u)
		}
	}
}
