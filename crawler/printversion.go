package crawler

import (
	"net/url"
	"strings"
)

// printPage is the address of the page whose print version ("Bản in") u
// is, and true; or "", false when u is no print version. Joomla
// (?tmpl=component&print=1&layout=default), DNN and hand-made portals link
// every article to one: the same title and text without the site's
// chrome and, mostly, without a canonical link, so that each article was
// recorded twice, every night. A print version is followed as the
// article's own address instead: one fetch, one article.
func printPage(u *url.URL) (string, bool) {
	if u.RawQuery == "" {
		return "", false
	}
	q := u.Query()
	printing := false
	for k, vs := range q {
		for _, v := range vs {
			lk, lv := strings.ToLower(k), strings.ToLower(v)
			switch {
			case (lk == "print" || lk == "printable") && (lv == "" || lv == "1" || lv == "true" || lv == "yes" || lv == "on"),
				(lk == "view" || lk == "layout" || lk == "format" || lk == "mode") && lv == "print":
				printing = true
			}
		}
	}
	if !printing {
		return "", false
	}
	for k, vs := range q {
		lk := strings.ToLower(k)
		keep := vs[:0]
		for _, v := range vs {
			lv := strings.ToLower(v)
			switch {
			case lk == "print" || lk == "printable",
				(lk == "view" || lk == "layout" || lk == "format" || lk == "mode") && lv == "print",
				// What Joomla adds to its print link only.
				lk == "tmpl" && lv == "component", lk == "layout" && lv == "default":
			default:
				keep = append(keep, v)
			}
		}
		if len(keep) == 0 {
			q.Del(k)
		} else {
			q[k] = keep
		}
	}
	p := *u
	p.RawQuery = q.Encode()
	return p.String(), true
}

// mayBePrintPage is printPage's cheap first look at a normalized URL: a
// query that names printing.
func mayBePrintPage(u string) bool {
	i := strings.IndexByte(u, '?')
	if i < 0 {
		return false
	}
	q := u[i:]
	return strings.Contains(q, "rint") || strings.Contains(q, "RINT")
}
