package crawler

import (
	"context"
	"maps"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"tulieu/store"
)

// An article moves when its site gives it another address: a CMS gives
// a retitled article a new slug, a site goes to https. The crawl sees it
// as the old address redirecting to the new one, a page naming another
// address canonical, or (twins.go) the article's text at a new address
// the night its old one changed the same way or answered 404. The
// catalog keeps one article, its id and history, at its new address
// (store.MoveArticle). What tells two addresses of one article from two
// articles is sameArticleAddress.

// moved records that the known article at from (the address a page was
// asked at, or fetched from) moved to the address to, which the address
// redirected to or the page names canonical, or where its text is now
// (store.MoveArticle), when to can be its address (sameArticleAddress).
// onlyMerge: see there. An article recorded at to earlier in this run,
// now merged into the one that moved, is counted as what it made of it
// instead of new (and not deleted, if its old address answered 404).
func (p *pageHandler) moved(ctx context.Context, from, to string, onlyMerge bool, at time.Time) {
	if !sameArticleAddress(from, to) {
		return
	}
	m, err := p.cr.catalog.MoveArticle(ctx, from, to, onlyMerge, p.started, at)
	if err != nil {
		p.log.Warn("catalog: move article", "from", from, "to", to, "err", err)
		return
	}
	if m.ID == "" {
		return
	}
	p.log.Info("article moved", "id", m.ID, "from", from, "to", to, "merged", m.Merged)
	if !m.Merged {
		return
	}
	// Taken back only from this run's counts: a continued night's run
	// starts at zero, and the article merged (or taken down) may have
	// been counted by the run it continues ("new": -1, before).
	if _, ok := p.countedNew.LoadAndDelete(to); ok {
		p.counts.add(m.Kind, &p.counts.new, &p.counts.pagesNew, -1)
	}
	if _, ok := p.countedDeleted.LoadAndDelete(from); m.Revived && ok {
		p.counts.add(m.Kind, &p.counts.deleted, &p.counts.pagesDeleted, -1)
	}
	if _, seen := p.counted.LoadOrStore(m.ID, true); !seen {
		switch m.Outcome {
		case store.Changed:
			p.counts.outcome(m.Kind, &p.counts.changed, &p.counts.pagesChanged)
		case store.Unchanged:
			p.counts.outcome(m.Kind, &p.counts.unchanged, &p.counts.pagesUnchanged)
		}
	}
}

// mergeTwin merges a new article and a known one that changed to the
// same title, date and text this run, at two addresses (see twins): the
// new one's address is the known one's now.
func (p *pageHandler) mergeTwin(f *fetchedPage, c *store.Content, canonical string, outcome store.Outcome) {
	if p.twins == nil {
		return
	}
	if from, to, ok := p.twins.recorded(c, canonical, outcome); ok {
		p.moved(f.ctx, from, to, true, f.last.At)
	}
}

// mergeGone merges into the known article at f's address, taken down
// just now, a new article this run recorded with its text (see twins).
func (p *pageHandler) mergeGone(f *fetchedPage) {
	if p.twins == nil {
		return
	}
	a, err := p.cr.catalog.Article(f.ctx, f.finalURL)
	if err != nil {
		return
	}
	if fresh, ok := p.twins.takenDown(a.Body, f.finalURL); ok {
		p.moved(f.ctx, f.finalURL, fresh, true, f.last.At)
	}
}

// movedLate collects the known articles' addresses that redirected to a
// page the run had asked already: whether it is an article is known once
// it is recorded (mergeMovedLate).
type movedLate struct {
	mu    sync.Mutex
	moves [][2]string // from, to
}

func (m *movedLate) add(from, to string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.moves = append(m.moves, [2]string{from, to})
}

// mergeMovedLate merges into the known articles that redirected to a page
// the run asked already the article it recorded there, if any (a listing
// linked the new address of a retitled article before its old address was
// asked): the article moved (store.MoveArticle).
func (r *run) mergeMovedLate(ctx context.Context) {
	r.movedLate.mu.Lock()
	moves := r.movedLate.moves
	r.movedLate.moves = nil
	r.movedLate.mu.Unlock()
	for _, m := range moves {
		r.pages.moved(ctx, m[0], m[1], true, time.Now().UTC())
	}
}

// sameArticleAddress says whether to can be an address of the article at
// from: the same site (www. or not, http or https), and either the same
// path (the site moved), or the same number at the end of the last
// segment when either has one (…/hoi-nghi-so-ket-661.html and
// …/hoi-nghi-so-ket-6-thang-dau-nam-661.html: the id the CMS routes by),
// or, with no number in either, the same folder (a slug edited). A weekly
// schedule redirecting to the next week's, or a page naming its category
// canonical, is another page.
func sameArticleAddress(from, to string) bool {
	f, err1 := url.Parse(from)
	t, err2 := url.Parse(to)
	if err1 != nil || err2 != nil || !strings.EqualFold(strings.TrimPrefix(f.Host, "www."), strings.TrimPrefix(t.Host, "www.")) {
		return false
	}
	if f.Path == t.Path && f.RawQuery == t.RawQuery {
		return true
	}
	fn, tn := articleNumber(f), articleNumber(t)
	if fn != "" || tn != "" {
		return fn == tn
	}
	return path.Dir(strings.TrimSuffix(f.Path, "/")) == path.Dir(strings.TrimSuffix(t.Path, "/"))
}

// articleNumber is the number an address ends in: the digits at the end
// of its last path segment (its extension aside), else the last query
// value made of digits; "" for none.
func articleNumber(u *url.URL) string {
	last := path.Base(strings.TrimSuffix(u.Path, "/"))
	last = strings.TrimSuffix(last, path.Ext(last))
	i := len(last)
	for i > 0 && last[i-1] >= '0' && last[i-1] <= '9' {
		i--
	}
	if i < len(last) {
		return last[i:]
	}
	q := u.Query()
	keys := slices.Sorted(maps.Keys(q))
	for _, k := range keys {
		if v := q.Get(k); v != "" && strings.Trim(v, "0123456789") == "" {
			return v
		}
	}
	return ""
}
