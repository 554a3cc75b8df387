package crawler

import (
	"net/url"
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
// a URL spelt otherwise than one queued is known for it.
type identities struct {
	same, caseless *urlSet
}

func newIdentities() *identities {
	return &identities{same: newURLSet(), caseless: newURLSet()}
}

// add records u's keys and reports whether a URL of the same page was
// recorded before: the same page in NFC or, on a case-insensitive host,
// in any case.
func (ids *identities) add(u *url.URL, caseless bool) (before bool) {
	same, folded := identityKeys(u)
	sameBefore := !ids.same.add(same)
	caseBefore := !ids.caseless.add(folded)
	return sameBefore || caseless && caseBefore
}
