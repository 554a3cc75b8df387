package warc

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestSessionIDGuardsChangeNothing: the texts stripPathSessionID and
// stripQuerySessionID look for before running their regular expressions
// only skip what the expressions would not match. Paths and queries are
// built from the pieces session ids are made of, in random case.
func TestSessionIDGuardsChangeNothing(t *testing.T) {
	pieces := []string{"/", "a", "(", "/(S(0123456789abcdefghijklmn))/", "default.aspx", ")", "s(", "0123456789abcdefghijklmn", ".aspx", "page.ASPX?x=1", ";jsessionid=",
		"0123456789ABCDEF0123456789abcdef", "jsessionid=", "phpsessid=", "sid=", "aspsessionidABCDEFGH=", "abcdefghijklmnopqrstuvwx",
		"cfid=12", "&cftoken=34", "&", "x=1", "tin-tuc"}
	r := rand.New(rand.NewPCG(3, 4))
	pathStripped, queryStripped := 0, 0
	for range 20000 {
		var b strings.Builder
		for range 1 + r.IntN(8) {
			p := pieces[r.IntN(len(pieces))]
			if r.IntN(2) == 0 {
				p = strings.ToUpper(p)
			}
			b.WriteString(p)
		}
		s := b.String()
		wantPath := s
		for _, sid := range pathSessionIDs {
			if m := sid.re.FindStringSubmatch(wantPath); m != nil {
				wantPath = m[1] + m[3]
			}
		}
		if wantPath != s {
			pathStripped++
		}
		if got := stripPathSessionID(s); got != wantPath {
			t.Fatalf("stripPathSessionID(%q) = %q, the expressions alone %q", s, got, wantPath)
		}
		wantQuery := s
		for _, sid := range querySessionIDs {
			if m := sid.re.FindStringSubmatch(wantQuery); m != nil {
				wantQuery = m[1] + m[2]
			}
		}
		if wantQuery != s {
			queryStripped++
		}
		if got := stripQuerySessionID(s); got != wantQuery {
			t.Fatalf("stripQuerySessionID(%q) = %q, the expressions alone %q", s, got, wantQuery)
		}
	}
	if pathStripped < 100 || queryStripped < 100 {
		t.Fatalf("the expressions stripped %d paths and %d queries of 20000: too few to show anything", pathStripped, queryStripped)
	}
}
