package crawler

import (
	"net/url"
	"strings"
	"sync"
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

// caselessKey is u with its path in lower case: the identity of the page
// on a case-insensitive host. The query is kept as it is (an application
// may tell its values' cases apart).
func caselessKey(u *url.URL) string {
	k := *u
	k.Path, k.RawPath = strings.ToLower(u.Path), ""
	return k.String()
}
