package crawler

import (
	"hash/fnv"
	"strings"
	"sync"

	"tulieu/store"
)

// twins finds, during a re-crawl, an article recorded new that is a known
// article at another address. A CMS that routes by an article's id alone
// (".../<slug>-661.html") answers its old address as well as the new one
// its editors' new title gave it: the old address, asked again, records
// the new title as a change, and the listing's link to the new address
// recorded a new article with the same title, date and text. The two are
// one article: the new one is merged into the known one, which moves to
// the new address (store.MoveArticle), whichever of the two was fetched
// first. A known article that did not change is not paired: the same
// text under a new address beside it is a republication.
//
// So is a new article whose text alone is that of a known article taken
// down the same night: its old address answered 404 while a listing
// linked the new one (the old title went with the old address).
type twins struct {
	mu sync.Mutex
	m  map[uint64]twin // by twinKey
	// This run's new articles and tombstones, by bodyKey.
	fresh, gone map[uint64]string
}

type twin struct {
	url   string // its canonical URL
	isNew bool   // recorded new this run
}

func newTwins() *twins {
	return &twins{m: map[uint64]twin{}, fresh: map[uint64]string{}, gone: map[uint64]string{}}
}

// minTwinBody is the shortest body (in bytes) by which two articles are
// told to be one: shorter ones are common to many ("Xem file đính kèm").
const minTwinBody = 200

// twinKey is a hash of c's title, date and body, false for a body too
// short to tell an article by.
func twinKey(c *store.Content) (uint64, bool) {
	body := strings.TrimSpace(c.Body)
	if len(body) < minTwinBody {
		return 0, false
	}
	h := fnv.New64a()
	h.Write([]byte(strings.Join(strings.Fields(c.Title), " ")))
	h.Write([]byte{0})
	h.Write([]byte(strings.TrimSpace(c.Published)))
	h.Write([]byte{0})
	h.Write([]byte(body))
	return h.Sum64(), true
}

// bodyKey is a hash of a body alone, false for one too short to tell an
// article by.
func bodyKey(body string) (uint64, bool) {
	body = strings.TrimSpace(body)
	if len(body) < minTwinBody {
		return 0, false
	}
	h := fnv.New64a()
	h.Write([]byte(body))
	return h.Sum64(), true
}

// meetBody records a new article (fresh) or an article taken down (not
// fresh) at url this run, with a body of key, and returns the URL of one
// of the other sort met earlier this run with that body.
func (t *twins) meetBody(key uint64, url string, fresh bool) (string, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	mine, other := t.fresh, t.gone
	if !fresh {
		mine, other = t.gone, t.fresh
	}
	if o, ok := other[key]; ok && o != url {
		delete(other, key)
		return o, true
	}
	mine[key] = url
	return "", false
}

// meet records that the article at url (its canonical URL, new this run
// or known) was recorded with the content of key, and returns the other
// of a pair of one known and one new article with that content, met
// earlier this run.
func (t *twins) meet(key uint64, url string, isNew bool) (twin, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	o, ok := t.m[key]
	if !ok {
		t.m[key] = twin{url: url, isNew: isNew}
		return twin{}, false
	}
	if o.url == url || o.isNew == isNew {
		return twin{}, false
	}
	delete(t.m, key) // merged: a third one is another matter
	return o, true
}

// recorded notes an article recorded this run at url with content c, as
// outcome says (a known one unchanged is never paired: the same text at a
// new address beside it is a republication), and returns the move it
// completes, from the known article's address to the new one's: the
// known article changed to the same title, date and text (meet), or, for
// a new article, its text is that of one taken down (meetBody).
func (t *twins) recorded(c *store.Content, url string, outcome store.Outcome) (from, to string, ok bool) {
	if outcome == store.Unchanged {
		return "", "", false
	}
	if key, ok := twinKey(c); ok {
		if o, ok := t.meet(key, url, outcome == store.New); ok {
			if o.isNew {
				return url, o.url, true
			}
			return o.url, url, true
		}
	}
	if key, ok := bodyKey(c.Body); ok && outcome == store.New {
		if down, ok := t.meetBody(key, url, true); ok {
			return down, url, true
		}
	}
	return "", "", false
}

// takenDown notes an article with body taken down this run at url, and
// returns the address of a new article met earlier with its text.
func (t *twins) takenDown(body, url string) (fresh string, ok bool) {
	if key, ok := bodyKey(body); ok {
		return t.meetBody(key, url, false)
	}
	return "", false
}
