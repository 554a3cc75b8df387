package urlnorm

import (
	"errors"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
)

// maxURLLength bounds URLs we accept: longer ones are traps or garbage.
const maxURLLength = 2000

// trackingParams are query parameters that do not change what a page is:
// they are dropped so one page is archived once however it was linked.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "yclid": true,
	"sid": true, "phpsessid": true, "jsessionid": true, "sessionid": true, "aspsessionid": true,
	"_ga": true, "_gl": true, "mc_cid": true, "mc_eid": true,
}

// Normalize resolves ref against base and puts the result in the one form the
// crawler uses to deduplicate and to identify articles: lower-case scheme
// and host, no default port, no fragment, dot segments resolved, tracking
// and session parameters dropped, the remaining parameters sorted. Only
// http and https URLs are accepted.
func Normalize(base *url.URL, ref string) (string, error) {
	ref = strings.TrimSpace(WithoutTabsAndNewlines(ref))
	if ref == "" {
		return "", errors.New("empty URL")
	}
	if len(ref) > maxURLLength {
		return "", errors.New("URL too long")
	}
	u, err := url.Parse(ref)
	if err != nil {
		return "", err
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", errors.New("not an http(s) URL")
	}
	if u.Host == "" {
		return "", errors.New("URL has no host")
	}
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	u.Host = host
	if port != "" {
		u.Host = host + ":" + port
	}
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	escapedSlash := strings.Contains(strings.ToUpper(u.RawPath), "%2F")
	if escapedSlash {
		// Written with raw letters past ASCII or escapes in small
		// letters, the path must still come out one way: escaped as Go
		// would, escapes in capitals.
		u.RawPath = escapeRaw(u.RawPath)
	}
	if u.Path == "" {
		u.Path = "/"
	} else if escapedSlash {
		// An escaped slash is part of a name, not a separator: document
		// numbers hold them ("45%2FNQ-TW"). The path is cleaned as
		// written, and keeps its escapes.
		ep := u.RawPath
		trailing := strings.HasSuffix(ep, "/")
		ep = path.Clean(ep)
		if trailing && ep != "/" {
			ep += "/"
		}
		if p, err := url.PathUnescape(ep); err == nil {
			u.Path, u.RawPath = p, ep
		}
	} else {
		trailing := strings.HasSuffix(u.Path, "/")
		u.Path = path.Clean(u.Path)
		if trailing && u.Path != "/" {
			u.Path += "/"
		}
	}
	if !escapedSlash {
		u.RawPath = ""
	}
	// ";jsessionid=..." path parameters are session ids too.
	if i := strings.Index(strings.ToLower(u.Path), ";jsessionid="); i >= 0 {
		u.Path = u.Path[:i]
	}
	// So are ASP.NET's cookieless segments, "/(S(3xk…))/": a new one
	// every visit, the same pages under each.
	if strings.Contains(u.Path, "((") || strings.Contains(u.Path, "))") {
		u.Path = cookielessSegment.ReplaceAllString(u.Path, "")
		if u.RawPath != "" {
			u.RawPath = cookielessSegment.ReplaceAllString(u.RawPath, "")
		}
		if u.Path == "" {
			u.Path = "/"
		}
	}
	if u.RawQuery != "" {
		u.RawQuery = normalQuery(u.RawQuery)
	}
	u.ForceQuery = false
	s := u.String()
	if len(s) > maxURLLength {
		return "", errors.New("URL too long")
	}
	return s, nil
}

// cookielessSegment is a path segment of ASP.NET's cookieless sessions and
// forms authentication: "/(S(session))", "/(A(…)S(…)F(…))".
var cookielessSegment = regexp.MustCompile(`/\((?:[A-Z]\([^()/]*\))+\)`)

// WithoutTabsAndNewlines is ref without the tabs and line breaks browsers
// remove from a URL before they parse it.
func WithoutTabsAndNewlines(ref string) string {
	if !strings.ContainsAny(ref, "\t\n\r") {
		return ref
	}
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, ref)
}

// normalQuery is a query with its tracking parameters dropped and its
// parameters in order of name, then value, each decoded and encoded again
// the one way. A parameter that does not decode ("q=100%", "id=1;2") is
// kept as written: dropping it, as url.Values does, would make pages that
// differ by it one URL.
func normalQuery(raw string) string {
	type param struct{ key, value, text string }
	var params []param
	for _, pair := range strings.Split(raw, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		dk, errK := url.QueryUnescape(k)
		dv, errV := url.QueryUnescape(v)
		if errK != nil || errV != nil || strings.Contains(pair, ";") {
			// Kept as written, but valid in a URL: spaces, bytes past
			// ASCII and a "%" that starts no escape are escaped, and
			// escapes are in capitals.
			pair = escapeRaw(pair)
			k, v, _ = strings.Cut(pair, "=")
			params = append(params, param{key: k, value: v, text: pair})
			continue
		}
		lk := strings.ToLower(dk)
		if trackingParams[lk] || strings.HasPrefix(lk, "utm_") {
			continue
		}
		params = append(params, param{key: dk, value: dv, text: url.QueryEscape(dk) + "=" + url.QueryEscape(dv)})
	}
	slices.SortStableFunc(params, func(a, b param) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.value, b.value)
	})
	texts := make([]string, len(params))
	for i, p := range params {
		texts[i] = p.text
	}
	return strings.Join(texts, "&")
}

// escapeRaw makes text written in a URL valid as it stands: bytes past
// ASCII, controls, spaces and '#' are escaped, a '%' that starts no escape
// becomes %25, and escapes are in capitals.
func escapeRaw(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && IsHex(s[i+1]) && IsHex(s[i+2]):
			b.WriteByte('%')
			b.WriteString(strings.ToUpper(s[i+1 : i+3]))
			i += 2
		case c == '%' || c <= ' ' || c >= 0x7f || c == '#' || c == '"' || c == '<' || c == '>':
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// IsHex says whether c is a hexadecimal digit, as in a %-escape.
func IsHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
