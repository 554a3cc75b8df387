package extract

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// extractorPatterns are the patterns the extractor matches as sets of
// words; each must have kept its finite form (else it silently went back
// to the slower regexp).
func extractorPatterns() map[string]*pattern {
	return map[string]*pattern{
		"positiveRe": positiveRe, "negativeRe": negativeRe, "inlineWidgetRe": inlineWidgetRe,
		"metaClassRe": metaClassRe, "chromeClassRe": chromeClassRe, "titleClassRe": titleClassRe,
		"footerClassRe": footerClassRe, "crumbClassRe": crumbClassRe, "menuClassRe": menuClassRe,
		"relatedRe": relatedRe, "commentHeadRe": commentHeadRe,
		"formLineRe": formLineRe, "metaLineRe": metaLineRe, "authorClassRe": authorClassRe,
		"dateClassRe": dateClassRe, "boxRe": boxRe, "orgStartRe": orgStartRe,
	}
}

func TestPatternForms(t *testing.T) {
	for _, tc := range []struct {
		expr   string
		finite bool
		yes    []string
		no     []string
	}{
		{`comment|sidebar|menu`, true, []string{"menu", "x-sidebar-y", "commentbox"}, []string{"", "side", "men"}},
		{`^(chia se|share)$`, true, []string{"share", "chia se"}, []string{"shares", " share", "chia"}},
		{`^(ban|sở) `, true, []string{"ban tuyên giáo", "sở y tế"}, []string{"bạn ", "xban "}},
		{`(a|b)-?(x|y)$`, true, []string{"ax", "zzb-y"}, []string{"ax ", "a--x"}},
		{`lien[-_]?quan`, true, []string{"lienquan", "box-lien_quan"}, []string{"lien quan"}},
		{`(cac |nhung )?(tin|bai)( moi)?`, true, []string{"tin", "xx bai moi"}, []string{"ti", ""}},
		{`a|`, true, []string{"", "zzz"}, nil},
		{`(?i)comment`, false, []string{"Comment"}, []string{"comm"}},
		{`\bnav\b`, false, []string{"top nav"}, []string{"navbar"}},
		{`tin+`, false, []string{"tinn"}, []string{"ti"}},
		{`(^|[ _-])(path|vitri)($|[ _-])`, true, []string{"path", "x-vitri", "a path b", "vitri_x"}, []string{"xpath", "pathx", "vitrix"}},
		{`^(a|b)$|^(cac )?tin$|^xem them$`, true, []string{"a", "tin", "cac tin", "xem them"}, []string{"ab", "cac tin ", "xem"}},
		{`^(ban|sở)\b`, false, []string{"ban", "ban x", "ban-x", "sởa"}, []string{"bana", "ban_", "sở y tế", " ban"}},
		{`^ab|cd$|ef`, true, []string{"abx", "xcd", "xefx"}, []string{"xab", "cdx", "e f"}},
		{`^`, true, []string{"", "x"}, nil},
		{`x\b`, false, []string{"x y"}, []string{"xy"}},
	} {
		p := mustPattern(tc.expr)
		if got := p.finite; got != tc.finite {
			t.Errorf("%q: finite form %v, want %v", tc.expr, got, tc.finite)
		}
		for _, s := range tc.yes {
			if !p.MatchString(s) {
				t.Errorf("%q does not match %q", tc.expr, s)
			}
		}
		for _, s := range tc.no {
			if p.MatchString(s) {
				t.Errorf("%q matches %q", tc.expr, s)
			}
		}
	}
}

// patternProbes are strings to ask the extractor's patterns: every word
// of their own sets, the same with text around it or a letter cut off,
// and the class names, ids and folded text lines of the golden pages.
// patternWords are the strings of p's finite form.
func patternWords(p *pattern) []string {
	var words []string
	for w := range p.whole {
		words = append(words, w)
	}
	for i := range p.prefix {
		words = append(words, p.prefix[i]...)
		words = append(words, p.anywhere[i]...)
	}
	return append(words, p.suffix...)
}

func patternProbes(t testing.TB) []string {
	var probes []string
	for _, p := range extractorPatterns() {
		for _, w := range patternWords(p) {
			probes = append(probes, w, "x"+w, w+"x", " "+w+" ", strings.ToUpper(w))
			if len(w) > 1 {
				probes = append(probes, w[1:], w[:len(w)-1])
			}
		}
	}
	files, _ := filepath.Glob("testdata/pages/*.html")
	attrRe := regexp.MustCompile(`(?:class|id)="([^"]*)"`)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range attrRe.FindAllStringSubmatch(string(data), -1) {
			probes = append(probes, strings.ToLower(m[1]))
		}
		for _, line := range strings.Split(string(data), "\n") {
			probes = append(probes, fold(strings.TrimSpace(line)))
		}
	}
	return probes
}

func TestPatternsMatchLikeRegexp(t *testing.T) {
	probes := patternProbes(t)
	for name, p := range extractorPatterns() {
		if !p.finite {
			t.Errorf("%s: no finite form; it runs as a regexp", name)
		}
		for _, s := range probes {
			if got, want := p.MatchString(s), p.re.MatchString(s); got != want {
				t.Errorf("%s on %q: %v, regexp says %v", name, s, got, want)
			}
		}
	}
}

func FuzzPattern(f *testing.F) {
	for _, s := range []string{"", "menu", "box-lien-quan", "chia se", "ban tuyên giáo tỉnh", "xx\x00\xff"} {
		f.Add(s)
	}
	patterns := extractorPatterns()
	f.Fuzz(func(t *testing.T, s string) {
		for name, p := range patterns {
			if got, want := p.MatchString(s), p.re.MatchString(s); got != want {
				t.Fatalf("%s on %q: %v, regexp says %v", name, s, got, want)
			}
		}
	})
}

func BenchmarkPatternMatch(b *testing.B) {
	probes := patternProbes(b)
	for _, mode := range []string{"pattern", "regexp"} {
		b.Run(mode, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				s := probes[i%len(probes)]
				for _, p := range []*pattern{negativeRe, positiveRe, relatedRe, orgStartRe} {
					if mode == "pattern" {
						p.MatchString(s)
					} else {
						p.re.MatchString(s)
					}
				}
			}
		})
	}
}
