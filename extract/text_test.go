package extract

import (
	"strings"
	"testing"
)

func TestWordCountIsFieldsLen(t *testing.T) {
	for _, s := range []string{"", " ", "a", " a b  c ", "Đảng bộ\u00a0Khối\u2003lần\tthứ\nnhất", "\u0085x\u2028y", "\xff\xfe a", "a\u200bb"} {
		if got, want := wordCount(s), len(strings.Fields(s)); got != want {
			t.Errorf("wordCount(%q) = %d, strings.Fields gives %d", s, got, want)
		}
	}
}

func FuzzWordCount(f *testing.F) {
	f.Add("Đảng bộ Khối \u00a0 lần")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := wordCount(s), len(strings.Fields(s)); got != want {
			t.Errorf("wordCount(%q) = %d, strings.Fields gives %d", s, got, want)
		}
	})
}
