package index

import (
	"reflect"
	"testing"
)

// TestDecimalCommaAfterASplittingPoint: a point before other than three
// digits splits ("6.12.2026"), so what follows it is a new word, a number
// of its own. inNumber's look back for an earlier decimal comma ("only
// once in a number") runs on through that point into the previous word:
// in "99,8.3,5" (a sentence's point with its space left out, "đạt 99,8.3,5
// lần") the "3,5" after the point is split into "3" and "5", although
// "3,5" alone is one word, and a search for 3,5 does not find it.
func TestDecimalCommaAfterASplittingPoint(t *testing.T) {
	for in, want := range map[string][]string{
		"đạt 99,8.3,5 lần": {"đạt", "99,8", "3,5", "lần"},
		"1,2.3,4":          {"1,2", "3,4"},
	} {
		if got := terms(wordTokenizer{}.Tokenize([]byte(in))); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: %q, want %q (alone, \"3,5\" and \"3,4\" are one word each)", in, got, want)
		}
	}
}
