package warc

import (
	"net/url"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/net/idna"
)

// SURT is the Sort-friendly URI Reordering Transform of a URL, the key
// replay tools index and look up records by. It is the key of the Python
// surt library, which pywb and the Internet Archive's tools use
// (surt.surt with its defaults: Google's canonicalization, then the
// Internet Archive's), so that an index of ours is found by their
// lookups (TestSURT holds cases from that library's own tests):
//
//   - host: lower case, in ASCII (IDNA), a leading "www", "www2"… dropped,
//     labels reversed and joined by commas, the port kept unless it is the
//     scheme's default; no scheme, no user or password;
//   - path: escapes decoded (repeatedly), "." and ".." segments and empty
//     segments resolved, then escaped again where it must be (spaces,
//     controls, "#", "%", bytes past ASCII), lower-cased, a Java or ASP.NET
//     session id dropped, and the trailing slash dropped unless it is the
//     whole path;
//   - query: escapes decoded and made again as for the path, session ids
//     (jsessionid, phpsessid, sid, aspsessionid, cfid and cftoken) dropped,
//     lower-cased, its name=value pairs sorted; an empty query left out;
//   - fragment: dropped.
func SURT(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return strings.ToLower(raw)
	}
	host := strings.ToLower(unescapeRepeatedly(u.Hostname()))
	if ascii, err := idna.Lookup.ToASCII(host); err == nil {
		host = ascii
	}
	host = strings.Trim(strings.ReplaceAll(host, "..", "."), ".")
	host = escapeOnce(host)
	host = wwwDigits.ReplaceAllString(host, "")
	labels := strings.Split(host, ".")
	slices.Reverse(labels)
	key := strings.Join(labels, ",")
	if p := u.Port(); p != "" && !(u.Scheme == "http" && p == "80") && !(u.Scheme == "https" && p == "443") {
		key += ":" + p
	}

	path := escapeOnce(normalizePath(unescapeRepeatedly(u.EscapedPath())))
	path = strings.ToLower(path)
	path = stripPathSessionID(path)
	if len(path) > 1 && strings.HasSuffix(path, "/") {
		path = path[:len(path)-1]
	}
	key += ")" + path

	if u.RawQuery != "" || u.ForceQuery {
		q := escapeOnce(unescapeRepeatedly(u.RawQuery))
		q = strings.ToLower(stripQuerySessionID(q))
		if q != "" {
			key += "?" + sortQuery(q)
		}
	}
	return key
}

var wwwDigits = regexp.MustCompile(`^www\d*\.`)

// unescapeRepeatedly decodes %XX escapes until none is left; a "%" that
// starts no escape stays.
func unescapeRepeatedly(s string) string {
	for strings.Contains(s, "%") {
		next := unescape(s)
		if next == s {
			break
		}
		s = next
	}
	return s
}

func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// escapeOnce escapes what a key must not hold as it is: controls, space,
// "#", "%" and every byte past ASCII (Python's quote with the safe
// characters surt gives it).
func escapeOnce(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= 0x20 || c >= 0x7f || c == '#' || c == '%' {
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// normalizePath resolves "." and ".." segments and drops empty ones,
// keeping a trailing slash, as Google's canonicalization does.
func normalizePath(p string) string {
	if p == "" {
		return "/"
	}
	segs := strings.Split(p, "/")[1:]
	kept := make([]string, 0, len(segs))
	for _, s := range segs {
		switch s {
		case ".":
		case "..":
			if len(kept) > 0 {
				kept = kept[:len(kept)-1]
			} else {
				kept = append(kept, s)
			}
		default:
			kept = append(kept, s)
		}
	}
	var b strings.Builder
	b.WriteByte('/')
	for i, s := range kept {
		if i == len(kept)-1 {
			b.WriteString(s)
		} else if s != "" {
			b.WriteString(s)
			b.WriteByte('/')
		}
	}
	return b.String()
}

// sessionID is an expression that finds a session id, and a piece of text
// (in lower case) without which it cannot match: most URLs have none, and
// running the expressions on every URL cost 1 % of a re-crawl's CPU for
// nothing.
type sessionID struct {
	needs string
	re    *regexp.Regexp
}

// matches is re's submatches in s, nil when it does not match.
func (sid sessionID) matches(s string) []string {
	if !containsFoldASCII(s, sid.needs) {
		return nil
	}
	return sid.re.FindStringSubmatch(s)
}

var pathSessionIDs = []sessionID{
	{".aspx", regexp.MustCompile(`(?i)^(.*/)(\((?:[a-z]\([0-9a-z]{24}\))+\)/)([^\?]+\.aspx.*)$`)},
	{";jsessionid=", regexp.MustCompile(`(?i)^(.*)(;jsessionid=[0-9a-z]{32})()$`)},
}

func stripPathSessionID(p string) string {
	for _, sid := range pathSessionIDs {
		if m := sid.matches(p); m != nil {
			p = m[1] + m[3]
		}
	}
	return p
}

var querySessionIDs = []sessionID{
	{"jsessionid=", regexp.MustCompile(`(?i)^(.*)(?:jsessionid=[0-9a-z]{32})(?:&(.*))?$`)},
	{"phpsessid=", regexp.MustCompile(`(?i)^(.*)(?:phpsessid=[0-9a-z]{32})(?:&(.*))?$`)},
	{"sid=", regexp.MustCompile(`(?i)^(.*)(?:sid=[0-9a-z]{32})(?:&(.*))?$`)},
	{"aspsessionid", regexp.MustCompile(`(?i)^(.*)(?:aspsessionid[a-z]{8}=[a-z]{24})(?:&(.*))?$`)},
	{"cftoken=", regexp.MustCompile(`(?i)^(.*)(?:cfid=[^&]+&cftoken=[^&]+)(?:&(.*))?$`)},
}

func stripQuerySessionID(q string) string {
	for _, sid := range querySessionIDs {
		if m := sid.matches(q); m != nil {
			q = m[1] + m[2]
		}
	}
	return q
}

// sortQuery orders a query's parameters by name, then value (a parameter
// without "=" sorts before the same name with one).
func sortQuery(q string) string {
	params := strings.Split(q, "&")
	slices.SortStableFunc(params, func(a, b string) int {
		an, av, aEq := strings.Cut(a, "=")
		bn, bv, bEq := strings.Cut(b, "=")
		if c := strings.Compare(an, bn); c != 0 {
			return c
		}
		switch {
		case !aEq && !bEq:
			return 0
		case !aEq:
			return -1
		case !bEq:
			return 1
		}
		return strings.Compare(av, bv)
	})
	return strings.Join(params, "&")
}

// containsFoldASCII says whether s holds sub, ASCII letters of s compared
// without case; sub is in lower case. (The regular expressions' (?i)
// also matches the long s "ſ" for "s" and the Kelvin sign for "k": a
// URL spelling "jsessionid" with a long s is still cut by them, not
// here, and is no session id a server sends.)
func containsFoldASCII(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		j := 0
		for ; j < len(sub); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				break
			}
		}
		if j == len(sub) {
			return true
		}
	}
	return false
}
