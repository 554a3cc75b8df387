package extract

import (
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// nodeStat holds per-element measurements computed once per page.
type nodeStat struct {
	order, end int // preorder index of the node and of its last descendant
	textLen    int // runes of visible text (after whitespace collapse, approx.)
	linkLen    int // runes of that text inside <a href>
	score      float64
	scored     bool
}

type analysis struct {
	root  *html.Node
	body  *html.Node
	stats map[*html.Node]*nodeStat
	n     int
	// matches memoizes class and id patterns: a page has few distinct
	// class/id strings and many nodes, and matching every node's was
	// 5 % of the extraction's time.
	matches map[patternMatch]bool
}

type patternMatch struct {
	re *pattern
	s  string
}

// match is re.MatchString(s), memoized for the page.
func (a *analysis) match(re *pattern, s string) bool {
	k := patternMatch{re, s}
	m, ok := a.matches[k]
	if !ok {
		if a.matches == nil {
			a.matches = map[patternMatch]bool{}
		}
		m = re.MatchString(s)
		a.matches[k] = m
	}
	return m
}

func (a *analysis) st(n *html.Node) *nodeStat {
	if s := a.stats[n]; s != nil {
		return s
	}
	return &nodeStat{}
}

func (a *analysis) contains(outer, inner *html.Node) bool {
	o, i := a.stats[outer], a.stats[inner]
	if o == nil || i == nil {
		return false
	}
	return o.order <= i.order && i.order <= o.end
}

func (a *analysis) linkDensity(n *html.Node) float64 {
	s := a.st(n)
	if s.textLen == 0 {
		return 0
	}
	return float64(s.linkLen) / float64(s.textLen)
}

func visibleLen(s string) int {
	n := 0
	space := true
	for _, r := range s {
		if r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\u00a0' {
			if !space {
				n++
			}
			space = true
			continue
		}
		space = false
		n++
	}
	return n
}

func analyze(root *html.Node) *analysis {
	// The stats of the nodes come from one slice, and the elements' map
	// is made for them: a map made for 1 024 and a nodeStat allocated for
	// every node, text included, were 8 % of a crawl's allocations.
	// (Nodes under a skipped element are counted, not walked.)
	nodes, elements := 0, 0
	var count func(n *html.Node)
	count = func(n *html.Node) {
		if n.Type != html.TextNode {
			nodes++
		}
		if n.Type == html.ElementNode || n.Type == html.DocumentNode {
			elements++
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			count(c)
		}
	}
	count(root)
	slab := make([]nodeStat, nodes)
	a := &analysis{root: root, stats: make(map[*html.Node]*nodeStat, elements)}
	var walk func(n *html.Node, inLink bool) (int, int)
	walk = func(n *html.Node, inLink bool) (int, int) {
		if n.Type == html.TextNode {
			a.n++
			l := visibleLen(n.Data)
			if inLink {
				return l, l
			}
			return l, 0
		}
		s := &slab[0]
		slab = slab[1:]
		s.order = a.n
		a.n++
		if n.Type == html.ElementNode || n.Type == html.DocumentNode {
			a.stats[n] = s
		}
		if n.Type == html.ElementNode {
			if skipTags[n.DataAtom] || hidden(n) {
				s.end = a.n - 1
				return 0, 0
			}
			if n.DataAtom == atom.A && hasAttr(n, "href") {
				inLink = true
			}
			if n.DataAtom == atom.Body && a.body == nil {
				a.body = n
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			t, l := walk(c, inLink)
			s.textLen += t
			s.linkLen += l
		}
		s.end = a.n - 1
		return s.textLen, s.linkLen
	}
	walk(root, false)
	if a.body == nil {
		a.body = root
	}
	return a
}

var (
	positiveRe = mustPattern(`article|body|content|entry|main|post|text|story|detail|chitiet|chi-tiet|noidung|noi-dung|fck|baiviet|bai-viet`)
	negativeRe = mustPattern(`comment|contact|foot|masthead|outbrain|promo|related|scroll|shoutbox|sidebar|sponsor|shopping|tags|tool|widget|menu|nav|share|social|banner|advert|quangcao|lienket|lien-ket|weblink|thongke|thong-ke|counter|visitor|online|breadcrumb|header|tinkhac|tin-khac|lienquan|lien-quan|other|popular|recent|ganday|gan-day|most|paging|pagination|login|search`)
)

func (a *analysis) classWeight(n *html.Node) float64 {
	ci := classID(n)
	if ci == "" {
		return 0
	}
	w := 0.0
	if a.match(negativeRe, ci) {
		w -= 25
	}
	if a.match(positiveRe, ci) {
		w += 25
	}
	return w
}

func (a *analysis) initScore(n *html.Node) float64 {
	s := a.classWeight(n)
	switch n.DataAtom {
	case atom.Div, atom.Article, atom.Main:
		s += 5
	case atom.Section, atom.Td, atom.Pre, atom.Blockquote:
		s += 3
	case atom.Address, atom.Ol, atom.Ul, atom.Dl, atom.Dd, atom.Dt, atom.Li, atom.Form:
		s -= 3
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Th:
		s -= 5
	case atom.Header, atom.Footer, atom.Nav, atom.Aside:
		s -= 25
	}
	return s
}

// ownText is the text of n's text children and inline descendants, leaving
// out block descendants: what a paragraph-like element says itself.
func ownText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node, int)
	walk = func(n *html.Node, d int) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				b.WriteString(c.Data)
			case html.ElementNode:
				if skipTags[c.DataAtom] || isBlock(c) || hidden(c) || d > 32 {
					continue
				}
				if c.DataAtom == atom.Br {
					b.WriteByte(' ')
				}
				walk(c, d+1)
			}
		}
	}
	walk(n, 0)
	return b.String()
}

var paraLike = map[atom.Atom]bool{atom.P: true, atom.Pre: true, atom.Blockquote: true, atom.Li: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.Dd: true}

// scoreContent assigns readability-style scores and returns the content
// nodes: the best candidate and the siblings that belong with it.
func (a *analysis) scoreContent(titleNode *html.Node) []*html.Node {
	var cands []*html.Node
	add := func(n *html.Node, v float64) {
		if n == nil || n.Type != html.ElementNode {
			return
		}
		s := a.stats[n]
		if s == nil {
			return
		}
		if !s.scored {
			s.scored = true
			s.score = a.initScore(n)
			cands = append(cands, n)
		}
		s.score += v
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || skipTags[c.DataAtom] || hidden(c) {
				continue
			}
			t := ownText(c)
			l := utf8.RuneCountInString(strings.TrimSpace(t))
			if l >= 25 && c.DataAtom != atom.A {
				v := 1 + float64(strings.Count(t, ",")) + min(float64(l)/100, 3)
				if paraLike[c.DataAtom] {
					add(c.Parent, v)
					if c.Parent != nil {
						add(c.Parent.Parent, v/2)
					}
				} else {
					add(c, v)
					add(c.Parent, v/2)
				}
			}
			walk(c)
		}
	}
	walk(a.body)
	if len(cands) == 0 {
		return nil
	}
	var tOrder = -1
	if titleNode != nil {
		tOrder = a.st(titleNode).order
	}
	final := func(n *html.Node) float64 {
		s := a.stats[n]
		v := s.score * (1 - a.linkDensity(n))
		if tOrder >= 0 && s.order > tOrder && s.order-tOrder < 400 {
			v *= 1.15 // the text right after the title is the article
		}
		return v
	}
	sort.SliceStable(cands, func(i, j int) bool { return final(cands[i]) > final(cands[j]) })
	top := cands[0]
	if final(top) <= 0 {
		return nil
	}
	// Readability's parent walk: when the parent holds about as much, the
	// text is split among siblings; prefer the parent unless it is the body.
	for p := top.Parent; p != nil && p != a.body && p.Type == html.ElementNode; p = p.Parent {
		ps := a.stats[p]
		if ps == nil || !ps.scored {
			break
		}
		if final(p) >= final(top)*0.95 && a.linkDensity(p) < 0.35 {
			top = p
			continue
		}
		break
	}
	out := []*html.Node{top}
	if top.Parent == nil {
		return out
	}
	threshold := max(10, final(top)*0.2)
	var merged []*html.Node
	for c := top.Parent.FirstChild; c != nil; c = c.NextSibling {
		if c == top {
			merged = append(merged, c)
			continue
		}
		if c.Type != html.ElementNode || skipTags[c.DataAtom] {
			continue
		}
		s := a.stats[c]
		if s == nil {
			continue
		}
		ok := false
		if s.scored && final(c) >= threshold && a.classWeight(c) >= 0 {
			ok = true
		} else if c.DataAtom == atom.P || c.DataAtom == atom.Div || c.DataAtom == atom.H2 || c.DataAtom == atom.H3 || c.DataAtom == atom.Blockquote {
			ld := a.linkDensity(c)
			t := strings.TrimSpace(textOf(c))
			if s.textLen > 80 && ld < 0.25 {
				ok = true
			} else if s.textLen > 0 && ld == 0 && (strings.HasSuffix(t, ".") || strings.HasSuffix(t, "./.")) {
				ok = true
			}
		}
		// siblings before the title are never content, nor a box that
		// is mostly a form (a reader's details asked for a comment)
		if ok && (tOrder >= 0 && s.end < tOrder || a.mostlyForm(c)) {
			ok = false
		}
		if ok {
			merged = append(merged, c)
		}
	}
	if len(merged) > 0 {
		out = merged
	}
	return out
}

// mostlyForm: at least half of n's text is inside forms made of short
// labels, hints and warnings. A form holding a paragraph (the articles of
// a draft put to the readers' comment) holds text of the article.
func (a *analysis) mostlyForm(n *html.Node) bool {
	total := a.stats[n].textLen
	if total == 0 {
		return false
	}
	inForms := 0
	for _, f := range findAll(n, isTag(atom.Form)) { // forms do not nest
		fs := a.stats[f]
		if fs == nil || findFirstFunc(f, func(c *html.Node) bool { return utf8.RuneCountInString(strings.TrimSpace(ownText(c))) >= 120 }) != nil {
			continue
		}
		inForms += fs.textLen
	}
	return inForms*2 >= total
}

// ---------------------------------------------------------------------
// Blocks: the body as a sequence of paragraphs, headings, lists, tables
// and images, each with its text and its sanitized HTML.

type blockKind int

const (
	bPara blockKind = iota
	bHeading
	bList
	bTable
	bImage
)

type block struct {
	kind        blockKind
	level       int // heading level
	text        string
	items       []string // list items, table rows
	html        string
	img         *Image
	alt         string
	node        *html.Node // the block element the text came from
	textLen     int
	linkLen     int
	links       []string
	attachments []Attachment
	bold        int // runes in b/strong
	italic      int // runes in i/em
	right       bool
	center      bool
	caption     bool // came from figcaption / is an image caption
	fromFig     bool // image inside <figure> or a caption table
	// cardHref is the address of a link wrapped around the block (a
	// related article's card: <a href><h2>title</h2><p>summary</p></a>);
	// "" when none is. Whether it makes the block a card is the
	// extraction's call (extraction.card): a lightbox's picture, an
	// attached document or the page itself are none.
	cardHref string
	drop     bool
}

type builder struct {
	base   *url.URL
	a      *analysis
	blocks []block

	text  strings.Builder
	h     strings.Builder
	open  []string // open inline tags in h
	cur   block
	inFig int
	depth int
	capt  int
	// links are the <a href> elements the walk is inside, innermost last:
	// a block inside one is wrapped in a link (see block.cardHref).
	links []*html.Node
}

var allowedInline = map[atom.Atom]string{atom.B: "b", atom.Strong: "strong", atom.I: "i", atom.Em: "em"}

func (b *builder) flush() {
	for i := len(b.open) - 1; i >= 0; i-- {
		b.h.WriteString("</" + b.open[i] + ">")
	}
	txt := cleanText(b.text.String())
	inner := b.h.String()
	b.text.Reset()
	b.h.Reset()
	cur := b.cur
	b.cur = block{}
	reopen := ""
	for _, t := range b.open {
		reopen += "<" + t + ">"
	}
	b.h.WriteString(reopen)
	if txt == "" {
		return
	}
	cur.text = txt
	cur.textLen = utf8.RuneCountInString(txt)
	tag := "p"
	if cur.kind == bHeading {
		lv := cur.level
		if lv < 2 {
			lv = 2
		}
		tag = "h" + string(rune('0'+lv))
	}
	if b.capt > 0 {
		cur.caption = true
	}
	if n := len(b.links); n > 0 && cur.node != nil {
		if a := b.links[n-1]; cur.node != a && hasAncestor(cur.node, func(p *html.Node) bool { return p == a }) {
			cur.cardHref = resolve(b.base, attr(a, "href"))
		}
	}
	cur.html = "<" + tag + ">" + strings.TrimSpace(collapseHTMLSpace(inner)) + "</" + tag + ">"
	b.blocks = append(b.blocks, cur)
}

func collapseHTMLSpace(s string) string {
	return cleanTextKeep(s)
}

// cleanTextKeep collapses white space like cleanText but keeps edges.
func cleanTextKeep(s string) string {
	t := cleanText(s)
	if t == "" {
		return ""
	}
	return t
}

// inlineWidgetRe names the boxes news CMSs put inside an article's text:
// related and latest news, "read more", shares, ads. Narrower than
// negativeRe, whose words ("foot", "scroll", "tags") also name parts of
// an article's own text.
var inlineWidgetRe = mustPattern(`related|relate-|lienquan|lien-quan|tinkhac|tin-khac|tinmoi|tin-moi|readmore|read-more|docthem|doc-them|xemthem|xem-them|newsrelate|relatednews|widget|advert|quangcao|sponsor|promo|outbrain|recommend`)

// inlineWidget: an element inside the content that its markup calls a
// related-news (or ad, or share) box and that links elsewhere, it or the
// box around it: left out of the article's text.
func inlineWidget(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	ci := classID(n) + " " + strings.ToLower(attr(n, "type"))
	for _, a := range n.Attr {
		if strings.HasPrefix(a.Key, "data-") && len(a.Val) < 100 {
			ci += " " + strings.ToLower(a.Val) // data-marked-zoneid="cafef_detail_relatednewsbox"
		}
	}
	if strings.TrimSpace(ci) == "" || !inlineWidgetRe.MatchString(ci) {
		return false
	}
	for _, scope := range []*html.Node{n, n.Parent} {
		if scope != nil && findFirst(scope, atom.A) != nil {
			return true
		}
	}
	return false
}

func (b *builder) blockNode(n *html.Node) {
	if b.cur.node == nil {
		b.cur.node = n
	}
}

func (b *builder) walk(n *html.Node) {
	b.depth++
	defer func() { b.depth-- }()
	if b.depth > maxDepth {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.node(c)
	}
}

func (b *builder) node(c *html.Node) {
	switch c.Type {
	case html.TextNode:
		if strings.TrimSpace(c.Data) == "" {
			if b.text.Len() > 0 {
				b.text.WriteByte(' ')
				b.h.WriteByte(' ')
			}
			return
		}
		b.blockNode(c.Parent)
		b.text.WriteString(c.Data)
		b.h.WriteString(html.EscapeString(c.Data))
		l := visibleLen(c.Data)
		for p := c.Parent; p != nil && p.Type == html.ElementNode && !isBlock(p); p = p.Parent {
			switch p.DataAtom {
			case atom.B, atom.Strong:
				b.cur.bold += l
			case atom.I, atom.Em:
				b.cur.italic += l
			case atom.A:
				b.cur.linkLen += l
			}
		}
		if st := strings.ToLower(attr(c.Parent, "style")); strings.Contains(st, "bold") {
			b.cur.bold += l
		}
		if st := strings.ToLower(attr(c.Parent, "style")); strings.Contains(st, "italic") {
			b.cur.italic += l
		}
		return
	case html.ElementNode:
	default:
		return
	}
	if skipTags[c.DataAtom] || hidden(c) {
		return
	}
	if b.depth > 0 && inlineWidget(c) {
		b.flush()
		return
	}
	switch c.DataAtom {
	case atom.Br:
		b.flush()
		return
	case atom.Img:
		b.flush()
		b.image(c)
		return
	case atom.Picture:
		b.flush()
		if img := findFirst(c, atom.Img); img != nil {
			b.image(img)
		}
		return
	case atom.A:
		href := resolve(b.base, attr(c, "href"))
		if href == "" {
			b.walk(c)
			return
		}
		b.links = append(b.links, c)
		defer func() { b.links = b.links[:len(b.links)-1] }()
		b.cur.links = append(b.cur.links, href)
		if isAttachment(href) {
			t := cleanText(textOf(c))
			if t == "" {
				t = pathBase(href)
			}
			b.cur.attachments = append(b.cur.attachments, Attachment{URL: href, Text: t})
		}
		b.h.WriteString(`<a href="` + html.EscapeString(href) + `">`)
		b.open = append(b.open, "a")
		b.walk(c)
		b.closeInline("a")
		return
	case atom.Ul, atom.Ol:
		b.flush()
		b.list(c)
		return
	case atom.Table:
		b.flush()
		if b.isDataTable(c) {
			b.table(c)
		} else {
			b.walk(c)
			b.flush()
		}
		return
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		b.flush()
		b.cur.kind = bHeading
		b.cur.level = int(c.Data[1] - '0')
		b.cur.node = c
		b.walk(c)
		b.flush()
		return
	case atom.Figure:
		b.flush()
		b.inFig++
		b.walk(c)
		b.flush()
		b.inFig--
		return
	case atom.Figcaption:
		b.flush()
		b.capt++
		b.walk(c)
		b.flush()
		b.capt--
		return
	}
	if t, ok := allowedInline[c.DataAtom]; ok {
		b.h.WriteString("<" + t + ">")
		b.open = append(b.open, t)
		b.walk(c)
		b.closeInline(t)
		return
	}
	if isBlock(c) {
		b.flush()
		b.cur.node = c
		b.walk(c)
		b.flush()
		return
	}
	b.walk(c) // transparent inline element (span, font, u, …)
}

func (b *builder) closeInline(t string) {
	if n := len(b.open); n > 0 && b.open[n-1] == t {
		b.open = b.open[:n-1]
		b.h.WriteString("</" + t + ">")
	}
}

func pxAttr(n *html.Node, k string) int {
	v := strings.TrimSuffix(strings.TrimSpace(attr(n, k)), "px")
	x, err := strconv.Atoi(v)
	if err != nil {
		return 0
	}
	return x
}

func pathBase(u string) string {
	if p, err := url.Parse(u); err == nil {
		s := p.Path
		if i := strings.LastIndexByte(s, '/'); i >= 0 {
			s = s[i+1:]
		}
		if us, err := url.PathUnescape(s); err == nil {
			s = us
		}
		return s
	}
	return u
}

func imageSrc(base *url.URL, n *html.Node) string {
	for _, k := range []string{"data-src", "data-original", "data-lazy-src", "data-url", "src"} {
		v := strings.TrimSpace(attr(n, k))
		if v == "" || strings.HasPrefix(strings.ToLower(v), "data:") {
			continue
		}
		if r := resolve(base, v); r != "" {
			return r
		}
	}
	for _, k := range []string{"data-srcset", "srcset"} {
		v := strings.TrimSpace(attr(n, k))
		if v == "" {
			continue
		}
		first := strings.Fields(strings.Split(v, ",")[0])
		if len(first) > 0 {
			if r := resolve(base, first[0]); r != "" {
				return r
			}
		}
	}
	return ""
}

func (b *builder) image(n *html.Node) {
	src := imageSrc(b.base, n)
	if src == "" {
		return
	}
	if iconImage(b.base, n) {
		return
	}
	alt := cleanText(attr(n, "alt"))
	fromFig := b.inFig > 0 || hasAncestor(n, func(p *html.Node) bool {
		ci := classID(p)
		return strings.Contains(ci, "caption") || strings.Contains(ci, "image") && p.DataAtom == atom.Table
	})
	b.blocks = append(b.blocks, block{
		kind: bImage, img: &Image{Src: src}, alt: alt, node: n, fromFig: fromFig,
		html: `<img src="` + html.EscapeString(src) + `" alt="` + html.EscapeString(alt) + `">`,
	})
}

// iconImage says whether an <img> is an icon or a tracking pixel rather
// than a picture of the article: drawn at 32 px or less, or the picture of
// a link to an attached document not drawn larger than 64 px (the PDF or
// Word icon of a download link; the document itself is the attachment; a
// report's cover drawn large stays a picture).
func iconImage(base *url.URL, n *html.Node) bool {
	w, h := pxAttr(n, "width"), pxAttr(n, "height")
	if (w > 0 && w <= 32) || (h > 0 && h <= 32) {
		return true
	}
	if w > 64 || h > 64 {
		return false
	}
	for p := n.Parent; p != nil && p.DataAtom != atom.Td && p.DataAtom != atom.Body; p = p.Parent {
		if p.DataAtom == atom.A {
			u := resolve(base, attr(p, "href"))
			return u != "" && isAttachment(u)
		}
	}
	return false
}

func (b *builder) list(n *html.Node) {
	blk := block{kind: bList, node: n}
	var hb strings.Builder
	tag := "ul"
	if n.DataAtom == atom.Ol {
		tag = "ol"
	}
	hb.WriteString("<" + tag + ">")
	gallery := galleryRe.MatchString(classID(n)) || n.Parent != nil && galleryRe.MatchString(classID(n.Parent))
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode || hidden(li) || skipTags[li.DataAtom] {
			continue
		}
		if li.DataAtom != atom.Li {
			// stray content directly in the list: treat as an item
			if li.DataAtom == atom.Ul || li.DataAtom == atom.Ol {
				continue
			}
		}
		sub := &builder{base: b.base, a: b.a}
		sub.walk(li)
		sub.flush()
		if gallery && slices.ContainsFunc(sub.blocks, func(sb block) bool { return sb.kind == bImage }) {
			// A gallery's item (a picture and its caption): a figure,
			// not an item of a list; its caption follows its picture as
			// a caption does (ipick-1's <li><img><p class="title-image">).
			// Only in a list named a gallery: a list of people with
			// their portraits, of steps or contacts with their icons, is
			// a list.
			b.blocks = append(b.blocks, sub.blocks...)
			continue
		}
		var parts []string
		var ph []string
		for _, sb := range sub.blocks {
			switch sb.kind {
			case bImage:
				b.blocks = append(b.blocks, sb) // images keep their place, roughly
				continue
			case bList, bTable:
				parts = append(parts, sb.items...)
			default:
				parts = append(parts, sb.text)
			}
			blk.linkLen += sb.linkLen
			blk.links = append(blk.links, sb.links...)
			blk.attachments = append(blk.attachments, sb.attachments...)
			ph = append(ph, stripP(sb.html))
		}
		t := strings.Join(parts, " ")
		if t == "" {
			continue
		}
		blk.items = append(blk.items, t)
		blk.textLen += utf8.RuneCountInString(t)
		hb.WriteString("<li>" + strings.Join(ph, " ") + "</li>")
	}
	hb.WriteString("</" + tag + ">")
	if len(blk.items) == 0 {
		return
	}
	blk.text = strings.Join(blk.items, "\n\n")
	blk.html = hb.String()
	b.blocks = append(b.blocks, blk)
}

// galleryRe finds a list of pictures by its class or id.
var galleryRe = mustRe(`(?i)gallery|slide|album|carousel|lightbox|thu-?vien-?anh|anh-?slide`)

// stripP removes one wrapping <p>…</p> (or heading) from block HTML.
func stripP(s string) string {
	if strings.HasPrefix(s, "<p>") && strings.HasSuffix(s, "</p>") {
		return s[3 : len(s)-4]
	}
	if len(s) > 9 && s[0] == '<' && s[1] == 'h' && s[3] == '>' {
		return s[4 : len(s)-5]
	}
	return s
}

func (b *builder) isDataTable(t *html.Node) bool {
	nested := false
	maxCells, rows := 0, 0
	rowsOf := map[int]int{} // cells in a row -> rows with that many
	cellsAll, cellsText := 0, 0
	longCell := false
	hasImg := false
	var walk func(n *html.Node, d int)
	walk = func(n *html.Node, d int) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Table:
				nested = true
				continue
			case atom.Img:
				// A picture makes it a layout table (a photo and its
				// caption); the file icons of a list of documents do not.
				if !iconImage(b.base, c) {
					hasImg = true
				}
			case atom.Tr:
				rows++
				cells := 0
				for td := c.FirstChild; td != nil; td = td.NextSibling {
					if td.DataAtom == atom.Td || td.DataAtom == atom.Th {
						cells++
						cellsAll++
						tl := b.a.st(td).textLen
						if tl > 400 {
							longCell = true
						}
						if tl > 0 {
							cellsText++
						}
					}
				}
				if cells > maxCells {
					maxCells = cells
				}
				rowsOf[cells]++
			}
			if d < 8 {
				walk(c, d+1)
			}
		}
	}
	walk(t, 0)
	// A long cell is how a layout table holds the article (a menu beside
	// it, a header row above), unless the table is a grid: three rows or
	// more, four in five of them with the same two cells or more (a list
	// of documents with their summaries, a table of results).
	// (Its cells hold text: a layout table has spacer cells.)
	grid := false
	for cells, n := range rowsOf {
		if cells >= 2 && rows >= 3 && n*5 >= rows*4 && cellsText*4 >= cellsAll*3 {
			grid = true
		}
	}
	return !nested && !hasImg && (!longCell || grid) && maxCells >= 2 && rows >= 1
}

func (b *builder) table(t *html.Node) {
	blk := block{kind: bTable, node: t}
	var hb strings.Builder
	hb.WriteString("<table>")
	var rows []*html.Node
	var walk func(n *html.Node, d int)
	walk = func(n *html.Node, d int) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.DataAtom == atom.Tr {
				rows = append(rows, c)
			} else if c.Type == html.ElementNode && d < 4 && c.DataAtom != atom.Table {
				walk(c, d+1)
			}
		}
	}
	walk(t, 0)
	for _, tr := range rows {
		var cells []string
		hb.WriteString("<tr>")
		for td := tr.FirstChild; td != nil; td = td.NextSibling {
			if td.DataAtom != atom.Td && td.DataAtom != atom.Th {
				continue
			}
			sub := &builder{base: b.base, a: b.a}
			sub.walk(td)
			sub.flush()
			var parts, ph []string
			for _, sb := range sub.blocks {
				if sb.kind == bImage {
					continue
				}
				if sb.kind == bList || sb.kind == bTable {
					parts = append(parts, sb.items...)
				} else {
					parts = append(parts, sb.text)
				}
				blk.linkLen += sb.linkLen
				blk.links = append(blk.links, sb.links...)
				blk.attachments = append(blk.attachments, sb.attachments...)
				ph = append(ph, stripP(sb.html))
			}
			cell := strings.Join(parts, " ")
			cells = append(cells, cell)
			tag := "td"
			if td.DataAtom == atom.Th {
				tag = "th"
			}
			hb.WriteString("<" + tag + ">" + strings.Join(ph, "<br>") + "</" + tag + ">")
		}
		hb.WriteString("</tr>")
		// drop empty trailing cells, keep inner empties for alignment
		for len(cells) > 0 && cells[len(cells)-1] == "" {
			cells = cells[:len(cells)-1]
		}
		if len(cells) == 0 {
			continue
		}
		row := strings.Join(cells, " | ")
		blk.items = append(blk.items, row)
		blk.textLen += utf8.RuneCountInString(row)
	}
	hb.WriteString("</table>")
	if len(blk.items) == 0 {
		return
	}
	blk.text = strings.Join(blk.items, "\n\n")
	blk.html = hb.String()
	b.blocks = append(b.blocks, blk)
}

// styleHints fills alignment hints of text blocks from their elements.
func styleHints(blocks []block, stop *html.Node) {
	for i := range blocks {
		for n := blocks[i].node; n != nil && n != stop && n.Type == html.ElementNode; n = n.Parent {
			st := strings.ToLower(strings.ReplaceAll(attr(n, "style"), " ", ""))
			al := strings.ToLower(attr(n, "align"))
			if strings.Contains(st, "text-align:right") || al == "right" {
				blocks[i].right = true
				break
			}
			if strings.Contains(st, "text-align:center") || al == "center" || n.DataAtom == atom.Center {
				blocks[i].center = true
				break
			}
			if strings.Contains(st, "text-align") {
				break
			}
			if !(n.DataAtom == atom.Span || n.DataAtom == atom.Font || n.DataAtom == atom.Strong || n.DataAtom == atom.B || n.DataAtom == atom.Em || n.DataAtom == atom.I || n.DataAtom == atom.P || n.DataAtom == atom.Div) {
				break
			}
			if n.DataAtom == atom.P || n.DataAtom == atom.Div {
				break
			}
		}
		if ci := classID(blocks[i].node); strings.Contains(ci, "caption") || strings.Contains(ci, "chuthich") || strings.Contains(ci, "chu-thich") || strings.Contains(ci, "image") {
			if blocks[i].kind == bPara {
				blocks[i].caption = true
			}
		}
	}
}

// inFooter says whether n is in the page's footer: a <footer>, or an
// element whose class or id names one ("footer", "site-footer").
func inFooter(n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n.Type == html.ElementNode && (n.DataAtom == atom.Footer || strings.Contains(classID(n), "footer")) {
			return true
		}
	}
	return false
}
