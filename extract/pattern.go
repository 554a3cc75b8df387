package extract

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// A pattern is a regular expression that is only ever asked whether it
// matches. Most of the extractor's patterns are lists of words, anchored
// or not ("comment|sidebar|menu", "^(cac |nhung )?(tin|bai) lien quan$"),
// and Go's regexp runs those with its backtracker, word after word at
// every position: a quarter of the extraction's CPU in a crawl's profile.
// A pattern whose language is a finite set of strings is matched as that
// set instead: a string that is one of them, starts or ends with one, or
// contains one, as each string's anchors say. Any other pattern falls
// back to regexp. TestPatternsMatchLikeRegexp and FuzzPattern hold the
// two to the same answers.
type pattern struct {
	re *regexp.Regexp // the expression; used when finite is false

	finite   bool
	whole    map[string]struct{} // ^…$
	prefix   [256][]string       // ^…, by first byte
	suffix   []string            // …$
	anywhere [256][]string       // neither anchor, by first byte
	always   bool                // "" unanchored, or ^ alone: matches every string
}

// maxPatternWords bounds the expansion of a pattern into its strings
// (optional groups multiply them); past it the regexp is used.
const maxPatternWords = 4096

// The anchors as they stand in an expanded string: Unicode
// noncharacters, which no pattern here spells.
const (
	markBegin = "\uFDD0"
	markEnd   = "\uFDD1"
)

// mustPattern compiles expr as regexp.MustCompile does and, when its
// language is a finite set of strings, keeps that set.
func mustPattern(expr string) *pattern {
	p := &pattern{re: regexp.MustCompile(expr)}
	if strings.ContainsAny(expr, markBegin+markEnd) {
		return p
	}
	tree, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return p
	}
	words, ok := literalSet(tree.Simplify())
	if !ok {
		return p
	}
	for _, w := range words {
		begin := strings.HasPrefix(w, markBegin)
		w = strings.TrimPrefix(w, markBegin)
		end := strings.HasSuffix(w, markEnd)
		w = strings.TrimSuffix(w, markEnd)
		if strings.Contains(w, markBegin) || strings.Contains(w, markEnd) {
			return p // an anchor inside a word
		}
		switch {
		case begin && end:
			if p.whole == nil {
				p.whole = map[string]struct{}{}
			}
			p.whole[w] = struct{}{}
		case begin && w == "":
			p.always = true
		case begin:
			p.prefix[w[0]] = append(p.prefix[w[0]], w)
		case end:
			p.suffix = append(p.suffix, w)
		case w == "":
			p.always = true
		default:
			p.anywhere[w[0]] = append(p.anywhere[w[0]], w)
		}
	}
	p.finite = true
	return p
}

// literalSet is the finite set of strings re matches, anchors spelled
// with the marks above, if it has one: no repetition, no case folding,
// no class wider than a few dozen characters.
func literalSet(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return []string{""}, true
	case syntax.OpBeginText:
		return []string{markBegin}, true
	case syntax.OpEndText:
		return []string{markEnd}, true
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil, false
		}
		return []string{string(re.Rune)}, true
	case syntax.OpCharClass:
		var set []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if set = append(set, string(r)); len(set) > 32 {
					return nil, false
				}
			}
		}
		return set, true
	case syntax.OpCapture:
		return literalSet(re.Sub[0])
	case syntax.OpQuest:
		set, ok := literalSet(re.Sub[0])
		if !ok {
			return nil, false
		}
		return append([]string{""}, set...), true
	case syntax.OpConcat:
		words := []string{""}
		for _, sub := range re.Sub {
			set, ok := literalSet(sub)
			if !ok || len(words)*len(set) > maxPatternWords {
				return nil, false
			}
			next := make([]string, 0, len(words)*len(set))
			for _, x := range words {
				for _, y := range set {
					next = append(next, x+y)
				}
			}
			words = next
		}
		return words, true
	case syntax.OpAlternate:
		var words []string
		for _, sub := range re.Sub {
			set, ok := literalSet(sub)
			if !ok {
				return nil, false
			}
			if words = append(words, set...); len(words) > maxPatternWords {
				return nil, false
			}
		}
		return words, true
	}
	return nil, false
}

// MatchString reports whether s contains a match of the pattern, as
// regexp's MatchString does.
func (p *pattern) MatchString(s string) bool {
	if !p.finite {
		return p.re.MatchString(s)
	}
	if p.always {
		return true
	}
	if _, ok := p.whole[s]; ok {
		return true
	}
	if s != "" {
		for _, w := range p.prefix[s[0]] {
			if strings.HasPrefix(s, w) {
				return true
			}
		}
	}
	for _, w := range p.suffix {
		if strings.HasSuffix(s, w) {
			return true
		}
	}
	for i := 0; i < len(s); i++ {
		for _, w := range p.anywhere[s[i]] {
			if strings.HasPrefix(s[i:], w) {
				return true
			}
		}
	}
	return false
}

// String is the expression, as regexp's String.
func (p *pattern) String() string { return p.re.String() }
