package extract

import (
	"strings"
	"testing"
)

// A profile that would do nothing is refused, saying where: a misspelt
// key, no host, a selector that does not parse (goquery matches nothing
// with it, silently), YAML or a trailing comma.
func TestLoadProfilesRefusesWhatWouldDoNothing(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"host": "a.vn", "titel": "h1"}`, `line 1: profiles are JSON: unknown key "titel"`},
		{"[\n{\"host\": \"a.vn\",\n \"bdy\": \".content\"}\n]", `line 3: profiles are JSON: unknown key "bdy"`},
		{`{"title": "h1"}`, `profile 1 has no "host"`},
		{`{"host": "a.vn", "title": "h1.title[[["}`, `profile for a.vn: "title" "h1.title[[[" is not a CSS selector`},
		{`{"host": "a.vn", "remove": [".share", "div >> p"]}`, `profile for a.vn: "remove"`},
		{"host: a.vn\ntitle: h1\n", "line 1: profiles are JSON: invalid character"},
		{"[\n {\"host\": \"a.vn\"},\n]\n", "line 3: profiles are JSON: invalid character ']'"},
	} {
		_, err := LoadProfiles(strings.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v; want an error with %q", c.in, err, c.want)
		}
	}
	ps, err := LoadProfiles(strings.NewReader(`[{"host": "a.vn", "title": "h1.title", "remove": [".share", "#counter"]}]`))
	if err != nil || len(ps) != 1 || ps[0].Title != "h1.title" {
		t.Errorf("a good profile: %+v, %v", ps, err)
	}
}
