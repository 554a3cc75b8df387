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
// than a fifth of the known articles the run asked (maxTakedownShare).

// redirectedAway collects the known articles whose addresses redirected
// to the home page or to an error page during a run.
type redirectedAway struct {
	mu   sync.Mutex
	urls []string
	// known counts the known articles asked this run: what the share of
	// those redirected away is taken of (a run under --max-pages or an
	// adaptive schedule asks a part of them).
	known map[string]struct{}
}

// asked records that the run asked u, a known live article's address.
func (r *redirectedAway) asked(u string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.known == nil {
		r.known = map[string]struct{}{}
	}
	r.known[u] = struct{}{}
}

func (r *redirectedAway) add(u string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !slices.Contains(r.urls, u) {
		r.urls = append(r.urls, u)
	}
}

// take returns the articles redirected away and how many known articles
// the run asked.
func (r *redirectedAway) take() (urls []string, asked int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	urls, asked = r.urls, len(r.known)
	r.urls, r.known = nil, nil
	return urls, asked
}

// maxTakedownShare: when more of the known articles the run asked than
// this share (and more than minTakedownsHeld of them) redirect away, the
// site is taken to be under maintenance, and none is taken down.
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
// "/404", "/Error.aspx", "/Pages/Loi.aspx"): an error page's name at the
// site's root, or with a page's extension anywhere. "/bai-viet/404" is
// article number 404, not an error page.
func errorPageURL(u *url.URL) bool {
	if u.Query().Has("aspxerrorpath") {
		return true
	}
	p := strings.TrimSuffix(u.Path, "/")
	slash := strings.LastIndexByte(p, '/')
	last := strings.ToLower(p[slash+1:])
	ext := ""
	if i := strings.LastIndexByte(last, '.'); i > 0 {
		last, ext = last[:i], last[i:]
	}
	if slash > 0 && ext == "" {
		return false
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
	urls, asked := r.away.take()
	if len(urls) == 0 {
		return
	}
	if len(urls) > minTakedownsHeld && float64(len(urls)) > maxTakedownShare*float64(max(asked, len(urls))) {
		r.log.Warn("many known articles now redirect to the home page or an error page; none taken down (the site under maintenance?)",
			"articles", len(urls), "asked", asked)
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
			r.pages.countedDeleted.Store(u, true)
			r.log.Info("article gone: its address now redirects to the home page or an error page", "url", u)
		}
	}
}
