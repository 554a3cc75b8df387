package crawler

import (
	"strings"
	"testing"

	"github.com/temoto/robotstxt"

	"tulieu/urlnorm"
)

// TestRobotsCleaningKeepsRulesAfterLooseUserAgent: robots.txt files the
// parser (temoto/robotstxt) reads with their rules, a User-agent line
// without a colon ("User-agent *") or spelt "Useragent", lose every rule
// once cleanRobots has passed over them: it only counts a "user-agent:"
// line as opening a group and drops the Allow/Disallow lines before one.
func TestRobotsCleaningKeepsRulesAfterLooseUserAgent(t *testing.T) {
	for _, body := range []string{
		"User-agent *\nDisallow: /private\n",
		"Useragent: *\nDisallow: /private\n",
	} {
		raw, err := robotstxt.FromStatusAndBytes(200, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if raw.FindGroup("tulieu").Test("/private") {
			t.Fatalf("%q: the parser itself allows /private", body)
		}
		cleaned, err := robotstxt.FromStatusAndBytes(200, cleanRobots([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		if cleaned.FindGroup("tulieu").Test("/private") {
			t.Errorf("%q: /private is disallowed as written, allowed once cleaned: cleanRobots gives %q",
				body, cleanRobots([]byte(body)))
		}
	}
}

// TestEscapedSlashOneIdentityPerURL: two spellings of one URL (raw
// Unicode or its escapes; escapes in lower or upper case) normalized to
// one string before the escaped-slash branch; with a %2F in the path they
// now give two article identities (the raw-Unicode RawPath is not a valid
// encoding, so url.URL.String drops it and the %2F with it).
func TestEscapedSlashOneIdentityPerURL(t *testing.T) {
	for _, pair := range [][2]string{
		{"https://x.vn/văn-bản/45%2FNQ-TW", "https://x.vn/v%C4%83n-b%E1%BA%A3n/45%2FNQ-TW"},
		{"https://x.vn/v%c4%83n/45%2fNQ-TW", "https://x.vn/v%C4%83n/45%2FNQ-TW"},
	} {
		a, err1 := urlnorm.Normalize(nil, pair[0])
		b, err2 := urlnorm.Normalize(nil, pair[1])
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if a != b {
			t.Errorf("one URL, two identities:\n %q -> %q\n %q -> %q", pair[0], a, pair[1], b)
		}
	}
}

// TestNormalizeKeptParamIsValid: a query parameter that does not decode
// is now kept as written, raw spaces and bytes past ASCII included, so
// Normalize returns a URL that is not one (a space in the request line).
func TestNormalizeKeptParamIsValid(t *testing.T) {
	for _, s := range []string{"https://x.vn/p?q=a b;c", "https://x.vn/p?q=việt;x", "https://x.vn/p?q=100% đúng"} {
		n, err := urlnorm.Normalize(nil, s)
		if err != nil {
			continue
		}
		if strings.ContainsFunc(n, func(r rune) bool { return r <= ' ' || r >= 0x7f }) {
			t.Errorf("urlnorm.Normalize(%q) = %q: a space or a byte past ASCII left unescaped", s, n)
		}
	}
}
