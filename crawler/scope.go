package crawler

import (
	"net/url"
	"slices"
	"strings"
)

// scope is the set of hosts a crawl may fetch from: each site given, with
// and without "www.".
type scope map[string]bool

func newScope(seeds []*url.URL) scope {
	s := scope{}
	for _, u := range seeds {
		h := strings.ToLower(u.Host)
		bare := strings.TrimPrefix(h, "www.")
		s[bare] = true
		s["www."+bare] = true
	}
	return s
}

func (s scope) contains(rawURL string) bool {
	u, err := url.Parse(rawURL)
	return err == nil && s[strings.ToLower(u.Host)]
}

// hosts lists the allowed hosts without ports, for colly's domain filter.
func (s scope) hosts() []string {
	var out []string
	for h := range s {
		if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h[i:], "]") {
			h = h[:i]
		}
		if !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	slices.Sort(out)
	return out
}
