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

func TestLetterWords(t *testing.T) {
	for s, want := range map[string]int{
		"":                         0,
		"1 | 2 | 3 | 31":           0,
		"Lịch công tác tháng 5":    4,
		"ngày 12/03/2024, Đảng ủy": 3,
		"  x1  2y  ---  Ư ":        3,
		"tab\tand\nnewline":        3,
	} {
		if got := letterWords(s); got != want {
			t.Errorf("letterWords(%q) = %d, want %d", s, got, want)
		}
	}
}
