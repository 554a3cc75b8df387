package crawler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"tulieu/store"
	"tulieu/urlnorm"
)

// requisiteURLs lists what a browser needs to show an HTML page, as
// normalized absolute URLs in document order without duplicates: every
// <img src> (and the largest candidate of its srcset), the lazy-loading
// data-src / data-original many CMSes use, <input type=image src>, and
// <link rel=stylesheet href>. A <base href> is honoured. Only http(s) URLs
// come out: data:, javascript:, mailto: and the like are not fetched.
func requisiteURLs(page *url.URL, body []byte) []string {
	base := page
	var out []string
	seen := map[string]bool{}
	add := func(ref string) {
		n, err := urlnorm.Normalize(base, ref)
		if err != nil || seen[n] || n == page.String() {
			return
		}
		seen[n] = true
		out = append(out, n)
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		tag := atom.Lookup(name)
		if !hasAttr || (tag != atom.Img && tag != atom.Link && tag != atom.Input && tag != atom.Base) {
			continue
		}
		attrs := map[string]string{}
		for more := true; more; {
			var k, v []byte
			k, v, more = z.TagAttr()
			if _, dup := attrs[string(k)]; !dup { // the first of repeated attributes wins, as in browsers
				attrs[string(k)] = string(v)
			}
		}
		switch tag {
		case atom.Base:
			// Only the first <base href> counts, and only a usable one.
			if href := strings.TrimSpace(attrs["href"]); href != "" && base == page {
				if u, err := page.Parse(href); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
					base = u
				}
			}
		case atom.Img:
			for _, k := range []string{"src", "data-src", "data-original"} {
				if v := strings.TrimSpace(attrs[k]); v != "" {
					add(v)
				}
			}
			if c := largestSrcsetCandidate(attrs["srcset"]); c != "" {
				add(c)
			}
		case atom.Input:
			if strings.EqualFold(strings.TrimSpace(attrs["type"]), "image") && attrs["src"] != "" {
				add(attrs["src"])
			}
		case atom.Link:
			if hasToken(attrs["rel"], "stylesheet") && attrs["href"] != "" {
				add(attrs["href"])
			}
		}
	}
}

// hasToken says whether a space-separated attribute value (rel) has tok.
func hasToken(v, tok string) bool {
	for _, f := range strings.Fields(v) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// largestSrcsetCandidate picks the one candidate of a srcset worth
// archiving besides src: the widest ("800w"), or the densest ("2x"). One is
// enough for the archived page to show the image; fetching every size would
// multiply the requests for the same picture.
func largestSrcsetCandidate(v string) string {
	best, bestScore := "", -1.0
	for v != "" {
		// A candidate is a URL (which may itself hold commas), then
		// optional descriptors up to the next comma.
		v = strings.TrimLeft(v, " \t\n\r\f,")
		end := strings.IndexAny(v, " \t\n\r\f")
		if end < 0 {
			end = len(v)
		}
		u := v[:end]
		v = v[end:]
		desc := ""
		if trimmed := strings.TrimRight(u, ","); trimmed != u {
			u = trimmed // "a.jpg," has no descriptors
		} else if i := strings.IndexByte(v, ','); i >= 0 {
			desc, v = v[:i], v[i+1:]
		} else {
			desc, v = v, ""
		}
		if u == "" {
			continue
		}
		score := 1.0 // no descriptor means 1x
		if d := strings.TrimSpace(desc); d != "" {
			f := strings.Fields(d)[0]
			n, err := strconv.ParseFloat(f[:len(f)-1], 64)
			switch {
			case err != nil || n <= 0:
				continue
			case strings.HasSuffix(f, "w"):
				score = n * 1e6 // widths outrank densities: they are in pixels
			case strings.HasSuffix(f, "x"):
				score = n
			default:
				continue
			}
		}
		if score > bestScore {
			best, bestScore = u, score
		}
	}
	return best
}

// requisiteFetcher fetches and archives page requisites. They are embeds, not
// links: fetched from any host (CDNs included), never parsed, never
// articles, and outside the site scope. They still obey robots.txt and the
// delay of their host (the same politeness as pages, so a requisite on the
// site itself waits its turn with the pages), are fetched once per run, and
// are re-asked conditionally when already archived.
type requisiteFetcher struct {
	client  *http.Client
	rec     *recorder
	pol     *politeness
	catalog Catalog
	seen    *urlSet // shared with the pages: a URL is fetched once per run, as whichever came first
	opts    *Options
	counts  *counters
	log     *slog.Logger
	seq     atomic.Int64
}

func newRequisiteFetcher(rec *recorder, pol *politeness, catalog Catalog, seen *urlSet, opts *Options, counts *counters, log *slog.Logger) *requisiteFetcher {
	q := &requisiteFetcher{rec: rec, pol: pol, catalog: catalog, seen: seen, opts: opts, counts: counts, log: log}
	// No overall time limit: the recorder bounds each connection and
	// exchange (Options.Timeout), and the wait for the server's turn in
	// it may rightly be long (Crawl-delay, Retry-After, the requests
	// ahead).
	q.client = &http.Client{Transport: rec, CheckRedirect: q.checkRedirect}
	return q
}

// checkRedirect follows a requisite's redirect like a request of its own:
// robots.txt and (in the recorder) the delay of the target's server apply, a target already
// fetched in this run is not fetched again, and the validators of the
// first URL are not sent to another.
func (q *requisiteFetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if err := checkRedirect(req, via); err != nil {
		return err
	}
	req.Header.Del("If-None-Match")
	req.Header.Del("If-Modified-Since")
	if n, err := urlnorm.Normalize(nil, req.URL.String()); err == nil && !q.seen.add(n) {
		return http.ErrUseLastResponse // the redirect is archived; its target already is
	}
	ctx := req.Context()
	if ok, err := q.pol.allowed(ctx, req.URL); !ok {
		if err == nil {
			err = errRobotsDisallowed
		}
		return err
	}
	return nil
}

// fetchAll fetches the requisites of one page, in order, each at most once
// per run. It returns when they are archived or ctx is done.
func (q *requisiteFetcher) fetchAll(ctx context.Context, page string, urls []string) {
	for _, u := range urls {
		if ctx.Err() != nil {
			return
		}
		if !q.seen.add(u) {
			continue
		}
		q.fetch(ctx, page, u)
	}
}

// fetch archives one requisite, retrying transient failures as pages are.
func (q *requisiteFetcher) fetch(ctx context.Context, page, u string) {
	pu, err := url.Parse(u)
	if err != nil {
		return
	}
	if ok, err := q.pol.allowed(ctx, pu); !ok {
		if err != nil {
			q.log.Info("requisite not fetched: robots.txt could not be read", "url", u, "page", page, "err", err)
		} else {
			q.log.Debug("robots.txt disallows requisite", "url", u, "page", page)
		}
		return
	}
	// The last good capture decides the conditional request, unless it was
	// cut: a 304 would then stand for a body the archive does not have.
	prev, err := q.catalog.LastGoodCapture(ctx, u)
	if err != nil {
		prev = nil
	}
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return
		}
		key := "r" + strconv.FormatInt(q.seq.Add(1), 10)
		req.Header.Set(keyHeader, key)
		req.Header.Set("User-Agent", q.opts.UserAgent)
		req.Header.Set("Accept", "*/*")
		// As a browser would: some CDNs refuse images to requests that do
		// not come from the page that embeds them.
		req.Header.Set("Referer", page)
		if prev != nil && prev.Truncated == "" {
			if prev.ETag != "" {
				req.Header.Set("If-None-Match", prev.ETag)
			}
			if prev.LastModified != "" {
				req.Header.Set("If-Modified-Since", prev.LastModified)
			}
		}
		q.rec.expectRequisite(key, u, prev)
		resp, err := q.client.Do(req)
		hops := q.rec.take(key)
		if len(hops) > 0 && err == nil && resp.StatusCode == http.StatusOK {
			// Archived as it arrived, but not archived whole: tried again.
			if why := cutShort(hops[len(hops)-1]); why != "" {
				err = fmt.Errorf("%w: %s", errBrokenBody, why)
			}
		}
		closeHops(hops)
		status := 0
		var retryAfterHdr string
		if resp != nil {
			status, retryAfterHdr = resp.StatusCode, resp.Header.Get("Retry-After")
			io.Copy(io.Discard, resp.Body) // already in memory: the recorder read it
			resp.Body.Close()
		}
		switch {
		case ctx.Err() != nil:
			return
		case errors.Is(err, errRobotsDisallowed):
			q.log.Debug("requisite redirects where robots.txt disallows", "url", u, "page", page)
			return
		case err == nil && status < 400:
			q.counts.requisites.Add(1)
			return
		}
		if !retryable(status, err) || attempt >= q.opts.MaxRetries {
			q.counts.requisiteErrors.Add(1)
			q.log.Warn("requisite not archived", "url", u, "page", page, "status", status, "err", err)
			return
		}
		wait := backoff(q.opts.RetryBase, attempt+1)
		if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
			// The server was paused as the answer ended
			// (politeness.finished); the requisite waits the same.
			if d, ok := retryAfter(retryAfterHdr, time.Now()); ok {
				wait = d
			}
		}
		wait = min(wait, q.opts.MaxPause)
		q.log.Info("retrying requisite", "url", u, "status", status, "err", err, "attempt", attempt+1, "wait", wait)
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return
		}
	}
}

// wantsRequisites says whether a page of this kind gets its requisites
// archived: articles and static pages always, listings (whose images are
// thumbnails of the articles') only when asked.
func wantsRequisites(kind string, o *Options) bool {
	return kind == store.KindArticle || kind == store.KindPage || (kind == "listing" && o.ListingImages)
}
