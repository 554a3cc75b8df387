package extract

import (
	"regexp"
	"regexp/syntax"
	"unicode"
	"unicode/utf8"
)

// A filteredRe is a regexp.Regexp that first checks, cheaply, that a
// string can hold a match at all: a match consumes at least one rune, and
// the first rune it consumes is one of a few (its "first runes", read
// from the expression: the first letter of each alternative, with its
// other cases under (?i)). An expression anchored at the start (^…) can
// only match when the string starts with one of them; any other, only
// when the string holds one. Go's regexp tries every alternative at every
// position, and clears its backtracker's bit set for the whole input on
// each call, before it finds that nothing matches: on a page's lines,
// most of which match none of the extractor's expressions, that was most
// of the time spent in regexp.
//
// The filter only says no when regexp would: the answers are the
// regexp's (TestFilteredReNeverMissesAMatch, FuzzFilteredRe). Methods it
// does not redefine are the regexp's own.
type filteredRe struct {
	*regexp.Regexp
	filter   bool // first is known
	anchored bool // every match starts at the start of the text
	first    runeSet
	// need, when needed is set, holds a rune every match holds: the
	// first runes of the expression or of a part of it that every match
	// spells (the "(" of "^(.+?)\s*\(\s*(?:theo|nguồn)…"), the fewest
	// found.
	needed bool
	need   runeSet
}

// allFilteredRes lists the expressions made by mustRe, for the tests.
var allFilteredRes []*filteredRe

// mustRe compiles expr as regexp.MustCompile does, with its filter.
func mustRe(expr string) *filteredRe {
	re := &filteredRe{Regexp: regexp.MustCompile(expr)}
	allFilteredRes = append(allFilteredRes, re)
	tree, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return re
	}
	tree = tree.Simplify()
	nullable, ok := firstRunes(tree, &re.first)
	if ok && !nullable && len(re.first.ranges) <= 2*maxFirstRanges {
		re.filter = true
		re.anchored = anchoredAtStart(tree)
		if !re.anchored {
			re.needed, re.need = true, re.first
		}
	} else {
		// It may match the empty string, or start with any rune: no
		// filter by its first rune.
		re.first = runeSet{}
	}
	// Every match of a concatenation spells each of its parts: one that
	// cannot match the empty string starts with one of its first runes.
	top := tree
	for top.Op == syntax.OpCapture {
		top = top.Sub[0]
	}
	if top.Op == syntax.OpConcat {
		for _, sub := range top.Sub {
			var set runeSet
			if n, ok := firstRunes(sub, &set); !ok || n || len(set.ranges) > 2*maxFirstRanges {
				continue
			}
			if !re.needed || set.size() < re.need.size() {
				re.needed, re.need = true, set
			}
		}
	}
	return re
}

// size is the number of runes in s.
func (s *runeSet) size() int {
	n := 0
	for _, in := range s.ascii {
		if in {
			n++
		}
	}
	for i := 0; i+1 < len(s.ranges); i += 2 {
		n += int(s.ranges[i+1]-s.ranges[i]) + 1
	}
	return n
}

// maxFirstRanges bounds the non-ASCII ranges of a filter's first runes:
// past it (a class such as \p{L}) the filter would cost more than it saves.
const maxFirstRanges = 16

// runeSet is a set of runes: a table for ASCII, ranges beyond.
type runeSet struct {
	ascii  [utf8.RuneSelf]bool
	ranges []rune // pairs lo, hi of runes ≥ utf8.RuneSelf
}

func (s *runeSet) addRange(lo, hi rune) {
	for r := lo; r <= hi && r < utf8.RuneSelf; r++ {
		s.ascii[r] = true
	}
	if hi >= utf8.RuneSelf {
		s.ranges = append(s.ranges, max(lo, utf8.RuneSelf), hi)
	}
}

func (s *runeSet) has(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 0 && s.ascii[r]
	}
	for i := 0; i+1 < len(s.ranges); i += 2 {
		if s.ranges[i] <= r && r <= s.ranges[i+1] {
			return true
		}
	}
	return false
}

// firstRunes adds to set every rune a match of re can begin with, and
// says whether re matches the empty string (nullable); ok is false when
// it cannot tell (a "." that takes any rune). The set may hold more runes
// than can start a match, never fewer.
func firstRunes(re *syntax.Regexp, set *runeSet) (nullable, ok bool) {
	switch re.Op {
	case syntax.OpNoMatch:
		return false, true
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true, true // consumes nothing: the next item starts the match
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return true, true
		}
		r := re.Rune[0]
		set.addRange(r, r)
		if re.Flags&syntax.FoldCase != 0 {
			// regexp matches a case-folded rune by its whole orbit
			// (k, K and the Kelvin sign K; s, S and ſ).
			for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
				set.addRange(f, f)
			}
		}
		return false, true
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			set.addRange(re.Rune[i], re.Rune[i+1])
		}
		return false, true
	case syntax.OpCapture, syntax.OpPlus:
		return firstRunes(re.Sub[0], set)
	case syntax.OpStar, syntax.OpQuest:
		_, ok := firstRunes(re.Sub[0], set)
		return true, ok
	case syntax.OpRepeat:
		n, ok := firstRunes(re.Sub[0], set)
		return n || re.Min == 0, ok
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			n, ok := firstRunes(sub, set)
			if !ok {
				return false, false
			}
			if !n {
				return false, true
			}
		}
		return true, true
	case syntax.OpAlternate:
		nullable := false
		for _, sub := range re.Sub {
			n, ok := firstRunes(sub, set)
			if !ok {
				return false, false
			}
			nullable = nullable || n
		}
		return nullable, true
	}
	return false, false // OpAnyChar, OpAnyCharNotNL, anything new
}

// anchoredAtStart says whether every match of re starts at the start of
// the text (^ without (?m), before anything else, in every alternative).
func anchoredAtStart(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpBeginText:
		return true
	case syntax.OpCapture:
		return anchoredAtStart(re.Sub[0])
	case syntax.OpConcat:
		return len(re.Sub) > 0 && anchoredAtStart(re.Sub[0])
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			if !anchoredAtStart(sub) {
				return false
			}
		}
		return len(re.Sub) > 0
	}
	return false
}

// mayMatch is false when s surely holds no match. regexp reads an invalid
// byte as U+FFFD, as utf8.DecodeRuneInString and range do.
func (re *filteredRe) mayMatch(s string) bool {
	if re.anchored {
		if s == "" {
			return false
		}
		if c := s[0]; c < utf8.RuneSelf {
			if !re.first.ascii[c] {
				return false
			}
		} else if r, _ := utf8.DecodeRuneInString(s); !re.first.has(r) {
			return false
		}
	}
	if !re.needed {
		return true
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if re.need.ascii[c] {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if re.need.has(r) {
			return true
		}
		i += size
	}
	return false
}

// MatchString is regexp's.
func (re *filteredRe) MatchString(s string) bool {
	return re.mayMatch(s) && re.Regexp.MatchString(s)
}

// FindStringSubmatch is regexp's.
func (re *filteredRe) FindStringSubmatch(s string) []string {
	if !re.mayMatch(s) {
		return nil
	}
	return re.Regexp.FindStringSubmatch(s)
}

// FindStringSubmatchIndex is regexp's.
func (re *filteredRe) FindStringSubmatchIndex(s string) []int {
	if !re.mayMatch(s) {
		return nil
	}
	return re.Regexp.FindStringSubmatchIndex(s)
}

// FindAllStringSubmatch is regexp's.
func (re *filteredRe) FindAllStringSubmatch(s string, n int) [][]string {
	if !re.mayMatch(s) {
		return nil
	}
	return re.Regexp.FindAllStringSubmatch(s, n)
}

// FindAllStringSubmatchIndex is regexp's.
func (re *filteredRe) FindAllStringSubmatchIndex(s string, n int) [][]int {
	if !re.mayMatch(s) {
		return nil
	}
	return re.Regexp.FindAllStringSubmatchIndex(s, n)
}

// ReplaceAllString is regexp's: s itself when nothing matches (regexp
// returns a copy of it).
func (re *filteredRe) ReplaceAllString(s, repl string) string {
	if !re.mayMatch(s) {
		return s
	}
	return re.Regexp.ReplaceAllString(s, repl)
}
