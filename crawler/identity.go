package crawler

import (
	"hash/maphash"
	"net/url"
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/unicode/norm"
)

// caselessHosts are the hosts whose paths are case-insensitive: those
// that say they are IIS (Server: Microsoft-IIS/…), whose file system and
// ASP.NET routes take /Tin-Tuc/Bai-1.aspx and /tin-tuc/bai-1.aspx for the
// same page. ASP.NET portals link both spellings (menus built from page
// names, editors typing lower case), with no canonical link: without
// this, each article was fetched and recorded twice, every night.
type caselessHosts struct {
	m sync.Map // host → struct{}
}

// note records host as case-insensitive when server, a response's Server
// header, names IIS.
func (c *caselessHosts) note(host, server string) {
	if len(server) >= len("microsoft-iis") && strings.EqualFold(server[:len("microsoft-iis")], "microsoft-iis") {
		c.m.Store(strings.ToLower(host), struct{}{})
	}
}

// has says whether host's paths are case-insensitive.
func (c *caselessHosts) has(host string) bool {
	_, ok := c.m.Load(strings.ToLower(host))
	return ok
}

// identityKeys are the keys of the page at u beyond its spelling: same,
// u without its scheme and its host's "www.", with its path in NFC, which
// a site answers alike (a provincial portal answers on http and https,
// with and without www., without redirecting one to another, and its
// pages link all four; the tone marks of a Vietnamese slug precomposed or
// combining, percent-encoded from an address bar or a Mac, are looked up
// alike by WordPress and IIS); and caseless, that with its path in lower
// case too, the page's identity on a case-insensitive host. The query is
// kept as it is (an application may tell its values' forms apart).
func identityKeys(u *url.URL) (same, caseless string) {
	k := *u
	k.Scheme = ""
	k.Host = strings.TrimPrefix(strings.ToLower(u.Host), "www.")
	k.Path, k.RawPath = norm.NFC.String(u.Path), ""
	same = k.String()
	k.Path = strings.ToLower(k.Path)
	return same, k.String()
}

// identities holds the identity keys of the URLs queued in a run, so that
// a URL spelt otherwise than one queued is known for it, and the other
// spellings met, in case the one fetched fails (an https twin whose
// certificate does not verify, an NFD slug the server looks up byte for
// byte): then the next one is asked (see run.otherSpelling).
type identities struct {
	mu             sync.Mutex
	seed           maphash.Seed
	same, caseless map[uint64]bool     // the keys' hashes: a crawl's memory is the heap the collector scans
	others         map[uint64][]string // a key's hash → the spellings not queued
}

// maxOtherSpellings bounds the spellings kept for one page.
const maxOtherSpellings = 4

func newIdentities() *identities {
	return &identities{seed: maphash.MakeSeed(), same: map[uint64]bool{}, caseless: map[uint64]bool{}, others: map[uint64][]string{}}
}

// record records the keys of u, a URL queued.
func (ids *identities) record(u *url.URL) {
	same, folded := identityKeys(u)
	ids.mu.Lock()
	defer ids.mu.Unlock()
	ids.same[maphash.String(ids.seed, same)], ids.caseless[maphash.String(ids.seed, folded)] = true, true
}

// add records the keys of u (raw: as queued) and reports whether a URL of
// the same page was recorded before: the same page in NFC or, on a
// case-insensitive host, in any case.
func (ids *identities) add(u *url.URL, raw string, caseless bool) (before bool) {
	if ids.queuedBefore(u, raw, caseless) {
		return true
	}
	ids.record(u)
	return false
}

// queuedBefore reports whether a URL of the same page as u (raw: as
// found) was recorded: the same page in NFC or, on a case-insensitive
// host, in any case. Such a spelling is kept as another spelling of it.
func (ids *identities) queuedBefore(u *url.URL, raw string, caseless bool) bool {
	same, folded := identityKeys(u)
	ids.mu.Lock()
	defer ids.mu.Unlock()
	sameBefore, caseBefore := ids.same[maphash.String(ids.seed, same)], ids.caseless[maphash.String(ids.seed, folded)]
	key := ""
	switch {
	case sameBefore:
		key = "s" + same
	case caseless && caseBefore:
		key = "c" + folded
	default:
		return false
	}
	k := maphash.String(ids.seed, key)
	if o := ids.others[k]; len(o) < maxOtherSpellings && !slices.Contains(o, raw) {
		ids.others[k] = append(o, raw)
	}
	return true
}

// other takes the next spelling met of the page at u, "" when none is
// left.
func (ids *identities) other(u *url.URL, caseless bool) string {
	same, folded := identityKeys(u)
	ids.mu.Lock()
	defer ids.mu.Unlock()
	for _, key := range []string{"s" + same, "c" + folded} {
		if key[0] == 'c' && !caseless {
			continue
		}
		k := maphash.String(ids.seed, key)
		if o := ids.others[k]; len(o) > 0 {
			ids.others[k] = o[1:]
			return o[0]
		}
	}
	return ""
}

// hashSet is a set of strings kept as their 64-bit hashes: for the sets
// of a crawl that grow with the site, whose strings the collector would
// scan again and again (a collision, one in billions, costs a link not
// counted).
type hashSet struct {
	mu   sync.Mutex
	seed maphash.Seed
	m    map[uint64]struct{}
}

func newHashSet() *hashSet {
	return &hashSet{seed: maphash.MakeSeed(), m: map[uint64]struct{}{}}
}

// add reports whether s was new.
func (h *hashSet) add(s string) bool {
	k := maphash.String(h.seed, s)
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.m[k]; ok {
		return false
	}
	h.m[k] = struct{}{}
	return true
}
