package extract

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// A second look at the chosen content. The readability-style scorer
// picks the node whose paragraphs score best, and scores climb only two
// levels, so an article cut in two by an inline widget, or whose
// continuation sits in a wrapper its markup calls something else (a
// "share" or "tool" box), can leave the scorer with the first paragraph
// alone: a one-sentence article, and nobody would know. So the choice is
// checked against what the page itself says of its article:
//
//   - the JSON-LD articleBody, when the page has one: the chosen text
//     should hold most of its words;
//   - the article paragraphs around the chosen node: paragraphs after the
//     title, in the same region, with little link text, that are not
//     teasers of other articles (an excerpt under a headline link) and
//     not in comment or related-news boxes.
//
// When the chosen text holds a small part of either, the region that
// holds them is taken instead: its children that carry article
// paragraphs, in order, across the widgets between them.

// articlePara reports whether n is a paragraph of article text: a <p>
// (or a text-only <div>) of at least minParaRunes visible runes, with
// little link text, not a teaser's excerpt.
func (x *extraction) articlePara(n *html.Node) bool {
	if n.Type != html.ElementNode || !(n.DataAtom == atom.P || n.DataAtom == atom.Div && !hasBlockChild(n)) {
		return false
	}
	st := x.a.st(n)
	if st.textLen < minParaRunes || float64(st.linkLen) > 0.3*float64(st.textLen) {
		return false
	}
	if n.Parent != nil && n.Parent.DataAtom == atom.Li {
		return false
	}
	// A teaser: an excerpt right after a headline link.
	k := 0
	for s := n.PrevSibling; s != nil && k < 2; s = s.PrevSibling {
		if s.Type != html.ElementNode {
			continue
		}
		k++
		if a := findFirst(s, atom.A); a != nil && utf8.RuneCountInString(strings.TrimSpace(textOf(a))) >= 20 || s.DataAtom == atom.A {
			return false
		}
	}
	return true
}

const minParaRunes = 40

func hasBlockChild(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && isBlock(c) {
			return true
		}
	}
	return false
}

// regionParas lists the article paragraphs inside root, after the title,
// outside skipped, hidden, comment and widget boxes.
func (x *extraction) regionParas(root *html.Node) []*html.Node {
	tOrder := -1
	if x.titleNode != nil {
		tOrder = x.a.st(x.titleNode).end
	}
	var out []*html.Node
	var walk func(n *html.Node, d int)
	walk = func(n *html.Node, d int) {
		if d > maxDepth {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || skipTags[c.DataAtom] || hidden(c) {
				continue
			}
			if ci := classID(c); ci != "" && (boxRe.MatchString(ci) || inlineWidget(c)) {
				continue
			}
			if x.articlePara(c) {
				if x.a.st(c).order > tOrder {
					out = append(out, c)
				}
				continue
			}
			walk(c, d+1)
		}
	}
	walk(root, 0)
	return out
}

// boxRe names the boxes whose paragraphs are not the article's: comments,
// related and other news, sidebars, footers.
var boxRe = mustPattern(`comment|binhluan|binh-luan|related|lienquan|lien-quan|tinkhac|tin-khac|other-news|sidebar|footer|most-view|xem-nhieu|docnhieu|doc-nhieu`)

func runesOf(nodes []*html.Node, a *analysis) int {
	n := 0
	for _, p := range nodes {
		n += a.st(p).textLen
	}
	return n
}

// recheckContent replaces x.content when it holds a small part of the
// article (see above).
func (x *extraction) recheckContent() {
	if len(x.content) == 0 || x.a.body == nil {
		return
	}
	var chosen int
	for _, c := range x.content {
		chosen += runesOf(x.regionParasIn(c), x.a)
	}
	ldWords := Tokens(x.pm.ldBody)
	type region struct {
		node  *html.Node
		paras []*html.Node
		runes int
	}
	var regions []region
	for a, k := x.content[0].Parent, 0; a != nil && a != x.a.body && a.Type == html.ElementNode && k < 5; a, k = a.Parent, k+1 {
		ps := x.regionParas(a)
		regions = append(regions, region{a, ps, runesOf(ps, x.a)})
	}
	if len(regions) == 0 {
		return
	}
	best := 0
	for i, r := range regions {
		if r.runes > regions[best].runes {
			best = i
		}
	}
	most := regions[best].runes
	short := most >= 3*chosen && most-chosen >= 600
	if len(ldWords) >= 80 {
		_, recall, _ := TokenPRF(x.pm.ldBody, x.contentText())
		short = short || recall < 0.5
	}
	if !short {
		return
	}
	// The smallest region that holds nearly all the article paragraphs
	// (and, when the page gives its articleBody, most of its words).
	for _, r := range regions {
		if r.runes < most*85/100 {
			continue
		}
		if len(ldWords) >= 80 {
			var b strings.Builder
			for _, p := range r.paras {
				b.WriteString(textOf(p))
				b.WriteString("\n")
			}
			if _, recall, _ := TokenPRF(x.pm.ldBody, b.String()); recall < 0.7 {
				continue
			}
		}
		x.content = x.regionBlocks(r.node, r.paras)
		return
	}
}

// regionParasIn is regionParas of a content node, the node itself
// included when it is a paragraph.
func (x *extraction) regionParasIn(n *html.Node) []*html.Node {
	if x.articlePara(n) {
		return []*html.Node{n}
	}
	return x.regionParas(n)
}

// contentText is the visible text of the chosen content.
func (x *extraction) contentText() string {
	var b strings.Builder
	for _, c := range x.content {
		b.WriteString(textOf(c))
		b.WriteString("\n")
	}
	return b.String()
}

// regionBlocks are the children of root that hold the article's
// paragraphs (or are one), in order: the widgets between them are left
// out, and so is what comes before the first and after the last.
func (x *extraction) regionBlocks(root *html.Node, paras []*html.Node) []*html.Node {
	var out []*html.Node
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		for _, p := range paras {
			if x.a.contains(c, p) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}
