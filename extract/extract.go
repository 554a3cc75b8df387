package extract

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ErrNotHTML is returned for bodies that hold no parsable markup at all.
var ErrNotHTML = errors.New("extract: not an HTML document")

// Extract parses one fetched page and extracts its fields. pageURL is the
// URL the page was fetched from (used to resolve links and pick a
// profile), contentType the HTTP Content-Type header or "".
//
// It never panics; the error is non-nil only when the body cannot be
// decoded or parsed at all. Inputs above 5 MiB are truncated and documents
// above 200 000 nodes or 256 levels of nesting are pruned.
func Extract(pageURL string, body []byte, contentType string, opts Options) (doc *Document, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, fmt.Errorf("extract: internal error: %v", r)
		}
	}()
	if len(body) > maxInputBytes {
		body = body[:maxInputBytes]
	}
	text, _, err := Decode(body, contentType)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(text) == "" {
		return nil, ErrNotHTML
	}
	root, err := html.Parse(strings.NewReader(text))
	if err != nil {
		// x/net/html gives up past 512 open elements; flatten and retry.
		root, err = html.Parse(strings.NewReader(flattenDeep(text)))
		if err != nil {
			return nil, fmt.Errorf("extract: %w", err)
		}
	}
	limitTree(root)
	fixLegacyTree(root)
	base, _ := url.Parse(strings.TrimSpace(pageURL))
	if base == nil {
		base = &url.URL{}
	}
	x := &extraction{root: root, pageURL: base, doc: &Document{URL: pageURL}}
	x.profile = profileFor(base.Hostname(), opts.Profiles)
	x.run()
	return x.doc, nil
}

var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true, "param": true}

// flattenDeep drops start and end tags nested deeper than a safe depth,
// keeping all text, so that the parser accepts absurdly nested input.
func flattenDeep(s string) string {
	const limit = 200
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	b.Grow(len(s))
	depth, skipped := 0, 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.StartTagToken:
			name, _ := z.TagName()
			if voidElements[string(name)] {
				b.Write(z.Raw())
				continue
			}
			if depth >= limit {
				skipped++
				continue
			}
			depth++
		case html.EndTagToken:
			if skipped > 0 {
				skipped--
				continue
			}
			if depth > 0 {
				depth--
			}
		}
		b.Write(z.Raw())
	}
}

type extraction struct {
	root    *html.Node
	pageURL *url.URL
	doc     *Document
	profile *Profile
	pm      *pageMeta
	a       *analysis
	gq      *goquery.Document

	title     string
	titleNode *html.Node
	crumbNode *html.Node
	rawCrumbs []string
	// crumbsAbove: rawCrumbs are a category line, the sections above the
	// page, not a trail ending in it (a listing keeps its own heading).
	crumbsAbove bool
	content     []*html.Node
	blocks      []block
	units       []unit
	titleUnit   int
	headDates   []string // date lines dropped from the body, in order
	bylineText  string
	topByline   string                  // a byline printed as the first line of the body
	metaByline  string                  // a byline from a "name - date" line under the title
	menu        map[string]bool         // menuLabels, once made
	nav         map[string][]*html.Node // navLinks, once made
	docTable    *html.Node              // the content when it is a document's table of properties
	source      string
	headlines   int // headline-like links in the content, before the end of its prose
	// trailingHeadlines are those after the content's last paragraph of
	// prose (lastProse), proseParas the paragraphs of prose before it:
	// see trailingExempt.
	trailingHeadlines, proseParas int
	lastProse                     *html.Node
	commentBox                    *html.Node // readers' comments in the content (dropComments)
}

func sample(us []unit, n int) string {
	var b strings.Builder
	for _, u := range us {
		if b.Len() > n {
			break
		}
		b.WriteString(u.text)
		b.WriteByte(' ')
	}
	return b.String()
}

type unit struct {
	node *html.Node
	text string
}

func (x *extraction) run() {
	x.pm = collectMeta(x.root, x.pageURL)
	d := x.doc
	d.Canonical = x.pm.canonical
	d.Lang = x.pm.lang
	d.Links = x.links()
	x.gq = goquery.NewDocumentFromNode(x.root)
	if x.profile != nil {
		for _, sel := range x.profile.Remove {
			x.gq.Find(sel).Remove()
		}
	}
	x.a = analyze(x.root)
	x.units = x.collectUnits()

	x.breadcrumb()
	// A portal's first crumb may be the site itself (Liferay names its
	// home by the site's name): that is its "Trang chủ".
	if len(x.rawCrumbs) > 1 && x.isSiteName(x.rawCrumbs[0]) {
		x.rawCrumbs = x.rawCrumbs[1:]
	}
	x.findTitle()
	if len(x.rawCrumbs) == 0 {
		x.categoryLine()
	}
	x.findContent()
	x.buildBlocks()
	x.filterBlocks()
	x.findDate()
	x.findAuthor()
	x.assemble()
	if d.Lang == "" && looksVietnamese(d.Title+" "+d.Body+" "+sample(x.units, 2000)) {
		d.Lang = "vi"
	}
}

func (x *extraction) links() []string {
	seen := map[string]bool{}
	var out []string
	add := func(href string) {
		if u := resolve(x.pm.base, href); u != "" && !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	for _, n := range findAll(x.root, func(n *html.Node) bool {
		return n.DataAtom == atom.A || n.DataAtom == atom.Area || n.DataAtom == atom.Meta || n.DataAtom == atom.Select || hasAttr(n, "onclick")
	}) {
		if on := attr(n, "onclick"); on != "" {
			// A tile or a "Xem tiếp" button that goes by script
			// (<div onclick="window.location='/tin-tuc/bai-7.aspx'">):
			// the address in the script, as Heritrix takes it.
			// A string the script goes on to add to
			// ('…?ItemID=' + $(this).data('id')) is only the start of
			// an address: not followed.
			if m := scriptedNavRe.FindStringSubmatch(on); m != nil && m[2] == "" {
				add(m[1])
			}
		}
		switch {
		case n.DataAtom == atom.Select:
			// A jump menu (<select onchange="window.location=this.value">):
			// its options' values are addresses.
			if on := strings.ToLower(attr(n, "onchange")); strings.Contains(on, "this.value") || strings.Contains(on, "options[") {
				for _, o := range findAll(n, isTag(atom.Option)) {
					if v := strings.TrimSpace(attr(o, "value")); looksLikeAddress(v) {
						add(v)
					}
				}
			}
		case n.DataAtom == atom.A || n.DataAtom == atom.Area:
			if hasAttr(n, "href") {
				add(attr(n, "href"))
			}
		case n.DataAtom == atom.Meta && strings.EqualFold(strings.TrimSpace(attr(n, "http-equiv")), "refresh"):
			// A page that moves on by <meta http-equiv="refresh"> (a
			// bare home page in front of a portal) links where it
			// goes, as Heritrix and wget take it.
			add(refreshTarget(attr(n, "content")))
		}
	}
	return out
}

// scriptedNavRe finds the address a script goes to: a string assigned to
// location (or location.href), or passed to location.assign/replace or
// window.open; its second group is a "+" after the string.
var scriptedNavRe = mustRe(`(?:location(?:\.href)?\s*=|location\.(?:assign|replace)\s*\(|window\.open\s*\()\s*['"]([^'"]+)['"]\s*(\+)?`)

// looksLikeAddress: an option's value that is an address ("/chuyen-muc/
// tu-lieu.aspx", "http://…"), not a code or a label.
func looksLikeAddress(v string) bool {
	if v == "" || strings.ContainsAny(v, " \t\n") {
		return false
	}
	l := strings.ToLower(v)
	return strings.HasPrefix(l, "/") || strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") ||
		strings.HasPrefix(l, "./") || strings.HasPrefix(l, "../")
}

// refreshTarget is the address of a meta refresh's content ("0;
// URL=/Portal/Default.aspx", "5;url='x.html'"), or "" when it names none.
func refreshTarget(content string) string {
	_, rest, ok := strings.Cut(content, ";")
	if !ok {
		if _, rest, ok = strings.Cut(content, ","); !ok {
			return ""
		}
	}
	rest = strings.TrimSpace(rest)
	if len(rest) >= 3 && strings.EqualFold(rest[:3], "url") {
		rest = strings.TrimSpace(rest[3:])
		if !strings.HasPrefix(rest, "=") {
			return ""
		}
		rest = strings.TrimSpace(rest[1:])
	}
	return strings.Trim(rest, `"' `)
}

// collectUnits lists, in document order, the elements that hold text of
// their own (block elements, and inline elements whose class names a date
// or an author), with that text.
func (x *extraction) collectUnits() []unit {
	var out []unit
	var walk func(n *html.Node, d int)
	walk = func(n *html.Node, d int) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || skipTags[c.DataAtom] || hidden(c) {
				continue
			}
			if isBlock(c) || metaClassRe.MatchString(classID(c)) {
				if t := cleanText(ownText(c)); t != "" {
					out = append(out, unit{c, t})
				}
			}
			if d < maxDepth {
				walk(c, d+1)
			}
		}
	}
	walk(x.a.body, 0)
	return out
}

var metaClassRe = mustPattern(`date|time|ngay|publish|posted|created|author|tacgia|tac-gia|byline|source|nguon`)

// ---------------------------------------------------------------------
// Title

var genericHeadings = map[string]bool{}

func init() {
	for _, s := range []string{
		"tin tức", "tin tức chung", "tin tức - sự kiện", "tin tức sự kiện", "các bài viết gần đây", "bài viết gần đây",
		"tin liên quan", "bài viết liên quan", "bài viết khác", "các bài viết khác", "các tin khác", "tin khác",
		"liên kết website", "liên kết web", "thống kê truy cập", "tin mới", "tin mới nhất", "tin mới cập nhật",
		"tin đọc nhiều", "đọc nhiều", "xem nhiều", "tin xem nhiều", "tin nổi bật", "nổi bật", "danh mục", "chuyên mục",
		"thông báo", "văn bản", "văn bản mới", "video", "hình ảnh", "thư viện ảnh", "liên hệ", "trang chủ",
		"tìm kiếm", "bình luận", "ý kiến bạn đọc", "chia sẻ", "tin cùng chuyên mục", "tin bài khác", "xem thêm",
		"đọc thêm", "menu", "giới thiệu", "hỗ trợ trực tuyến", "lịch công tác", "quảng cáo", "tiêu điểm",
		"tin ảnh", "sự kiện", "thăm dò ý kiến", "bản đồ", "sitemap", "đăng nhập", "tin đã đưa", "các tin đã đưa",
		// The box headings of a detail page ("Chi tiết văn bản" above a
		// document's table of properties).
		"chi tiết", "chi tiết văn bản", "thông tin văn bản", "chi tiết tin", "chi tiết bài viết", "nội dung chi tiết",
		"văn bản khác", "tìm kiếm văn bản",
	} {
		genericHeadings[fold(s)] = true
	}
}

func isGenericHeading(s string) bool {
	return genericHeadings[foldKey(s)] || genericHeadings[fold(strings.TrimSpace(s))]
}

const maxTitleCandidates = 1000

var chromeClassRe = mustPattern(`header|logo|banner|menu|footer|sidebar|right-col|left-col`)

// chromeElement: p is of the site's chrome by its tag (header, nav,
// footer, aside) or by a class no word of content overrides.
func chromeElement(p *html.Node) bool {
	if p.DataAtom == atom.Header || p.DataAtom == atom.Nav || p.DataAtom == atom.Footer || p.DataAtom == atom.Aside {
		return true
	}
	ci := classID(p)
	return ci != "" && chromeClassRe.MatchString(ci) && !positiveRe.MatchString(ci)
}

var titleClassRe = mustPattern(`title|tieude|tieu-de|tieu_de|headline|heading`)

func (x *extraction) metaTitles() []string {
	var out []string
	for _, k := range []string{"og:title", "twitter:title", "headline", "title"} {
		if v := cleanText(x.pm.meta[k]); v != "" {
			out = append(out, v)
		}
	}
	if x.pm.ldHead != "" {
		out = append(out, x.pm.ldHead)
	}
	if t := x.pm.title; t != "" {
		out = append(out, t)
		parts := titleParts(t)
		if len(parts) > 1 {
			out = append(out, parts[0], strings.Join(parts[:len(parts)-1], " - "))
		}
	}
	return out
}

func (x *extraction) isSiteName(s string) bool {
	if x.metaSiteName(s) {
		return true
	}
	if parts := titleParts(x.pm.title); len(parts) > 1 {
		if x.hostNamed(parts[0]) && !x.hostNamed(parts[len(parts)-1]) {
			// "Teen9x News - X" on teen9x.net: the site first, and X
			// the page's title.
			return sameText(parts[0], s)
		}
		return sameText(parts[len(parts)-1], s)
	}
	return false
}

// hostNamed says whether s begins with the name the page's address gives
// its site: "Teen9x News" on teen9x.net, "VnExpress" on vnexpress.net.
func (x *extraction) hostNamed(s string) bool {
	if x.pageURL == nil {
		return false
	}
	labels := strings.Split(strings.TrimPrefix(strings.ToLower(x.pageURL.Hostname()), "www."), ".")
	if len(labels) < 2 || len(labels[0]) < 3 {
		return false
	}
	toks := Tokens(fold(s))
	return len(toks) > 0 && len(toks) <= 4 && toks[0] == labels[0]
}

// namedSite: s is a name the page gives its site elsewhere than in the
// <title> (og:site_name and the like, the footer, the menu).
func (x *extraction) namedSite(s string, footerTexts map[string]bool) bool {
	k := foldKey(s)
	return x.metaSiteName(s) || footerTexts[k] || x.menuLabels()[k]
}

// metaSiteName: s is a name the page's metadata gives its site
// (og:site_name and the like).
func (x *extraction) metaSiteName(s string) bool {
	return slices.ContainsFunc(x.pm.siteNames, func(n string) bool { return sameText(n, s) })
}

func (x *extraction) findTitle() {
	if x.profile != nil && x.profile.Title != "" {
		if s := x.gq.Find(x.profile.Title).First(); s.Length() > 0 {
			if t := cleanText(textOf(s.Nodes[0])); t != "" {
				x.title, x.titleNode = t, s.Nodes[0]
				return
			}
		}
	}
	metas := x.metaTitles()
	lastCrumb := ""
	if n := len(x.rawCrumbs); n > 0 {
		lastCrumb = x.rawCrumbs[n-1]
	}
	crumbEnd := -1
	if x.crumbNode != nil {
		crumbEnd = x.a.st(x.crumbNode).end
	}
	footerTexts := x.footerTexts()
	// A page's metadata that names a title: a bold line of the text is
	// then the title only if it agrees (else it is a sub-heading, or the
	// byline at the end).
	menu := x.menuLabels()
	metaTitled := slices.ContainsFunc(metas, func(m string) bool {
		// Less the site's name: a <title> that is a section's name
		// ("Hoạt động cơ sở - Site") names no article.
		m = x.headTitle(strings.Trim(m, titleDecor), footerTexts)
		k := foldKey(m)
		return m != "" && !x.isSiteName(m) && !isGenericHeading(m) && !footerTexts[k] && !menu[k] &&
			!slices.ContainsFunc(x.rawCrumbs, func(c string) bool { return sameText(c, m) })
	})
	firstText := x.firstTextOrder()
	type candidate struct {
		n     *html.Node
		text  string
		score float64
	}
	var scored []candidate
	var best *html.Node
	bestText := ""
	bestScore := 0.0
	for ci, n := range findAll(x.a.body, func(n *html.Node) bool {
		switch n.DataAtom {
		case atom.H1, atom.H2, atom.H3, atom.H4:
			return true
		case atom.Title, atom.A, atom.Body, atom.Html, atom.Ul, atom.Ol, atom.Table, atom.Tr, atom.Img:
			return false
		}
		return titleClassRe.MatchString(classID(n)) || strings.EqualFold(attr(n, "itemprop"), "headline") || styledHeading(n)
	}) {
		if ci >= maxTitleCandidates {
			break
		}
		if hidden(n) || hasAncestor(n, func(p *html.Node) bool { return skipTags[p.DataAtom] || hidden(p) }) {
			continue
		}
		t := cleanText(textOf(n))
		wc := wordCount(t)
		if wc < 2 || wc > 60 || len(t) > 500 {
			continue
		}
		s := 0.0
		boldLine := false
		switch n.DataAtom {
		case atom.H1:
			s += 4
		case atom.H2:
			s += 2.5
		case atom.H3:
			s += 1.5
		case atom.H4:
			s += 0.5
		}
		if titleClassRe.MatchString(classID(n)) || strings.EqualFold(attr(n, "itemprop"), "headline") {
			s += 2
		} else if n.DataAtom != atom.H1 && n.DataAtom != atom.H2 && n.DataAtom != atom.H3 && n.DataAtom != atom.H4 {
			// a bold or large line with no heading markup
			if strings.HasSuffix(t, ".") || strings.HasSuffix(t, ":") || wc > 40 {
				continue
			}
			s += 1.5
			boldLine = true
		}
		matched := false
		for _, m := range metas {
			if sameText(m, t) {
				s += 8
				matched = true
				break
			}
		}
		overlaps := false
		if !matched {
			for _, m := range metas {
				if tokenOverlap(m, t) >= 0.8 {
					s += 5
					overlaps = true
					break
				}
			}
		}
		crumbAgrees := lastCrumb != "" && (sameText(lastCrumb, t) || strings.HasSuffix(lastCrumb, "...") && strings.HasPrefix(fold(t), fold(strings.TrimSuffix(lastCrumb, "..."))))
		// A bold line the metadata does not name is the title only when
		// it opens the text: one after the text has begun is a
		// sub-heading, one with no text after it a byline.
		textBefore := firstText >= 0 && firstText < x.a.st(n).order
		if boldLine && metaTitled && !matched && !overlaps && !crumbAgrees && (textBefore || !x.followedByText(n)) {
			continue
		}
		if crumbAgrees {
			s += 6
		}
		for _, c := range x.rawCrumbs {
			if c != lastCrumb && sameText(c, t) {
				s -= 10
			}
		}
		if isGenericHeading(t) {
			s -= 20
		}
		if x.isSiteName(t) {
			s -= 20
		}
		// Text repeated in the footer is the site's (its name, its
		// address), unless the page's metadata names it as the title apart
		// from the site ("X - VnExpress"): a "most read" list or a share
		// box at the bottom may hold this very article's title.
		inChrome := hasAncestor(n, chromeElement)
		if inFooter := footerTexts[foldKey(t)]; inFooter && inChrome {
			// In the header and again in the footer: the site's name,
			// whatever part of <title> it also is ("Site - X").
			s -= 20
		} else if inFooter && !(matched && !sameText(cleanText(x.pm.title), t)) {
			s -= 15
		}
		st := x.a.st(n)
		if (x.a.linkDensity(n) > 0.5 || hasAncestor(n, isTag(atom.A))) && !x.linksToItself(n) {
			s -= 8
		}
		if inChrome {
			s -= 5
		}
		// A heading in a form that the page also prints outside it is a
		// box's copy (a "share to your page" modal repeating the title
		// over the summary: ipick-1). A form around the article (a
		// comment form, ASP.NET's around the page) holds the only one.
		if f := ancestorOf(n, isTag(atom.Form)); f != nil && x.headingOutside(f, t) {
			s -= 5
		}
		if crumbEnd >= 0 && st.order > crumbEnd && st.order-crumbEnd < 60 {
			s += 3
		}
		// a heading followed by substantial text is an article heading
		if x.followedByText(n) {
			s += 2
		}
		if s > bestScore {
			best, bestText, bestScore = n, t, s
		}
		if s >= 3 {
			scored = append(scored, candidate{n, t, s})
		}
	}
	// A section's name wins on markup (the module's <h2>, also <title>
	// and the last crumb, as DNN prints it) over the article's title in
	// a plain span: the address, whose last part is the title's words,
	// tells them apart. Only a section's name gives way, so that an
	// address naming a category cannot displace an article's heading.
	if best != nil && x.isSectionName(bestText, menu) {
		if slug := slugTokens(x.pageURL); slug != nil && !slugAgrees(slug, bestText) {
			var by *candidate
			for i, c := range scored {
				if (by == nil || c.score > by.score) && slugAgrees(slug, c.text) {
					by = &scored[i]
				}
			}
			if by != nil {
				best, bestText, bestScore = by.n, by.text, by.score
			}
		}
	}
	if best != nil && bestScore >= 3 {
		x.title, x.titleNode = bestText, best
		// Parts of a heading set apart by style alone ("Phường X:" and
		// the rest in two block spans) run together in its text; the
		// metadata that names the same words spaces them as read.
		for _, m := range metas {
			// Only metadata that spaces the words more: one that runs
			// them together is the one stripped of its markup.
			if m = cleanText(m); len(strings.Fields(m)) > len(strings.Fields(bestText)) && withoutSpace(m) == withoutSpace(bestText) {
				x.title = m
				break
			}
		}
		return
	}
	for _, m := range metas {
		if m != "" && !x.isSiteName(m) && !isGenericHeading(m) {
			x.title = m
			if m == x.pm.title {
				x.title = x.headTitle(m, footerTexts)
			}
			return
		}
	}
}

// headingOutside says whether a heading (h1–h4) outside f reads t.
func (x *extraction) headingOutside(f *html.Node, t string) bool {
	for _, h := range findAll(x.a.body, func(n *html.Node) bool {
		return n.DataAtom == atom.H1 || n.DataAtom == atom.H2 || n.DataAtom == atom.H3 || n.DataAtom == atom.H4
	}) {
		if !hasAncestor(h, func(p *html.Node) bool { return p == f }) && sameText(cleanText(textOf(h)), t) {
			return true
		}
	}
	return false
}

// isSectionName: t names a section of the site rather than an article:
// an item of the breadcrumb, a menu's label, a generic heading.
func (x *extraction) isSectionName(t string, menu map[string]bool) bool {
	return isGenericHeading(t) || menu[foldKey(t)] || slices.ContainsFunc(x.rawCrumbs, func(c string) bool { return sameText(c, t) })
}

// slugTokens are the folded words of the address's last path segment
// ("Hoi-nghi-tap-huan-…-2020", "<slug>-661.html"), its extension left
// out; nil when it has fewer than four words, as an id or a section's
// short name has.
func slugTokens(u *url.URL) []string {
	if u == nil {
		return nil
	}
	p := strings.TrimRight(u.Path, "/")
	last := p[strings.LastIndexByte(p, '/')+1:]
	if i := strings.LastIndexByte(last, '.'); i > 0 {
		last = last[:i]
	}
	t := Tokens(fold(last))
	if len(t) < 4 {
		return nil
	}
	return t
}

// slugAgrees: the words of t are those of the address's slug (an id
// there may be one more word).
func slugAgrees(slug []string, t string) bool {
	if len(slug) == 0 {
		return false
	}
	words := Tokens(fold(t))
	if len(words) < 4 {
		return false
	}
	common := commonTokens(slug, words)
	return float64(common) >= 0.9*float64(len(words)) && float64(common) >= 0.75*float64(len(slug))
}

// linksToItself: every link in or around heading n leads nowhere else —
// to the page itself, its canonical address, or nowhere (`#`, a no-op
// `javascript:`) — and n is not one headline among others: a title many
// sites wrap in a link, unlike a list of articles (which may list this
// one too, or open each by script).
func (x *extraction) linksToItself(n *html.Node) bool {
	var links []*html.Node
	for p := n.Parent; p != nil; p = p.Parent {
		if p.DataAtom == atom.A {
			links = append(links, p)
		}
	}
	links = append(links, findAll(n, isTag(atom.A))...)
	if len(links) == 0 || slices.ContainsFunc(links, func(a *html.Node) bool { return !x.selfLink(a) }) {
		return false
	}
	// One item of a list: a sibling of the same tag and class (the
	// heading's, or its box's) is or holds a linked headline too.
	linkedHeadline := func(h *html.Node) bool {
		return (h.DataAtom == atom.H1 || h.DataAtom == atom.H2 || h.DataAtom == atom.H3 || h.DataAtom == atom.H4) &&
			(findFirst(h, atom.A) != nil || hasAncestor(h, isTag(atom.A)))
	}
	listed := func(e *html.Node) bool {
		if e == nil || e.Parent == nil || e == x.a.body {
			return false
		}
		for sib := e.Parent.FirstChild; sib != nil; sib = sib.NextSibling {
			if sib != e && sib.Type == html.ElementNode && sib.DataAtom == e.DataAtom && attr(sib, "class") == attr(e, "class") &&
				findFirstFunc(sib, linkedHeadline) != nil {
				return true
			}
		}
		return false
	}
	return !listed(n) && !listed(n.Parent)
}

// selfLink: link a leads to the page itself or nowhere. A script link
// that does something (__doPostBack, an onclick) opens another page.
func (x *extraction) selfLink(a *html.Node) bool {
	href := strings.TrimSpace(attr(a, "href"))
	low := strings.ToLower(strings.ReplaceAll(href, " ", ""))
	if hasAttr(a, "onclick") {
		return false
	}
	switch low {
	case "", "#", "javascript:;", "javascript:", "javascript:void(0)", "javascript:void(0);", "javascript:void(0)/**/":
		return true
	}
	if strings.HasPrefix(low, "javascript:") {
		return false
	}
	if strings.HasPrefix(href, "#") {
		return true
	}
	u := resolve(x.pm.base, href)
	return u != "" && (x.pageURL != nil && sameAddress(u, x.pageURL.String()) || x.pm.canonical != "" && sameAddress(u, x.pm.canonical))
}

// withoutSpace is s with no white space at all.
func withoutSpace(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// sameAddress: two absolute URLs name the same page, whatever their
// scheme (a page on https names its http address), the case of the host,
// a "www." before it or a trailing slash.
func sameAddress(a, b string) bool {
	norm := func(s string) string {
		u, err := url.Parse(s)
		if err != nil {
			return s
		}
		host := strings.TrimPrefix(strings.ToLower(u.Host), "www.")
		return host + strings.TrimSuffix(u.EscapedPath(), "/") + "?" + u.RawQuery
	}
	return norm(a) == norm(b)
}

// headTitle is the article's title in a page's <title>, m: the parts
// that name the site, a section or the page's chrome ("Đảng ủy Khối… -
// X", "Tin tức chung - X - Site", ":: X ::") taken off either end, the
// rest kept whole (a title may hold " - " itself). With no such part
// known, the last part is taken for the site's name, as "X - Site" goes.
func (x *extraction) headTitle(m string, footerTexts map[string]bool) string {
	m = strings.Trim(m, titleDecor)
	parts := titleParts(m)
	if len(parts) < 2 {
		return m
	}
	menu := x.menuLabels()
	label := func(p string) bool {
		k := foldKey(p)
		return x.isSiteName(p) || x.hostNamed(p) || isGenericHeading(p) || footerTexts[k] || menu[k] || slices.ContainsFunc(x.rawCrumbs, func(c string) bool { return sameText(c, p) })
	}
	// A part that goes on in lower case continues the one before it:
	// "Văn hóa - nền tảng tinh thần của xã hội" is one title, whatever
	// the menu calls "Văn hóa".
	continues := func(k int) bool { return k < len(parts) && !isUpperStart(parts[k]) }
	lo, hi := 0, len(parts)
	for lo < hi-1 && label(parts[lo]) && !continues(lo+1) {
		lo++
	}
	for hi > lo+1 && label(parts[hi-1]) && !continues(hi-1) {
		hi--
	}
	// "X - Site", unless the last part starts with a digit and is no
	// site's name ("24h"): it goes on from the one before ("nhiệm kỳ
	// 2025 - 2030").
	if last := parts[hi-1]; lo == 0 && hi == len(parts) && !(startsWithDigit(last) && !x.namedSite(last, footerTexts)) {
		hi--
	}
	return strings.Join(parts[lo:hi], " - ")
}

// titleDecor are the characters a <title> may be framed with (":: X ::").
const titleDecor = " :|-–—»«*·•"

// menuLabels are the texts of the links in the page's header, menus and
// navigation (folded): section names, which a <title> may carry beside
// the article's title.
func (x *extraction) menuLabels() map[string]bool {
	if x.menu != nil {
		return x.menu
	}
	out := map[string]bool{}
	x.menu = out
	for _, a := range findAll(x.a.body, isTag(atom.A)) {
		if hasAncestor(a, func(p *html.Node) bool {
			return p.DataAtom == atom.Nav || p.DataAtom == atom.Header || chromeClassRe.MatchString(classID(p))
		}) {
			if t := cleanText(textOf(a)); t != "" && wordCount(t) <= 8 {
				out[foldKey(t)] = true
			}
		}
	}
	return out
}

var (
	fontSizeRe = mustRe(`font(?:-size)?\s*:[^;]*?(\d+(?:\.\d+)?)\s*(px|pt|em|rem)`)
	boldStyle  = mustRe(`font-weight\s*:\s*(bold|[6-9]00)|font\s*:[^;]*\bbold\b`)
)

// styledHeading: a paragraph-like element whose whole text is set bold or
// large by style, <b>/<strong> or <font size>, as old CMSs print titles
// with no heading markup.
func styledHeading(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Div, atom.P, atom.Td, atom.Span, atom.Center:
	default:
		return false
	}
	if styleBig(n) {
		return true
	}
	// the only child (ignoring blank text) is emphasis, down a short chain
	c := n
	for k := 0; k < 4; k++ {
		var only *html.Node
		for ch := c.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type == html.TextNode && strings.TrimSpace(ch.Data) == "" {
				continue
			}
			if only != nil || ch.Type != html.ElementNode {
				return false
			}
			only = ch
		}
		if only == nil {
			return false
		}
		switch only.DataAtom {
		case atom.B, atom.Strong:
			return true
		case atom.Font:
			if sz, err := strconv.Atoi(strings.TrimPrefix(attr(only, "size"), "+")); err == nil && sz >= 4 {
				return true
			}
		case atom.Span:
		default:
			return false
		}
		if styleBig(only) {
			return true
		}
		c = only
	}
	return false
}

func styleBig(n *html.Node) bool {
	st := strings.ToLower(attr(n, "style"))
	if st == "" {
		return false
	}
	if boldStyle.MatchString(st) {
		return true
	}
	if m := fontSizeRe.FindStringSubmatch(st); m != nil {
		v, _ := strconv.ParseFloat(m[1], 64)
		switch m[2] {
		case "px":
			return v >= 16
		case "pt":
			return v >= 12
		default:
			return v >= 1.2
		}
	}
	return false
}

// followedByText reports whether a paragraph of 20+ words follows n within
// the next few text units.
// firstTextOrder is the document order of the page's first paragraph of
// text (20 words or more, few links), -1 for none.
func (x *extraction) firstTextOrder() int {
	for _, u := range x.units {
		if wordCount(u.text) >= 20 && x.a.linkDensity(u.node) < 0.3 {
			return x.a.st(u.node).order
		}
	}
	return -1
}

func (x *extraction) followedByText(n *html.Node) bool {
	end := x.a.st(n).end
	i := sort.Search(len(x.units), func(i int) bool { return x.a.st(x.units[i].node).order > end })
	for k := i; k < len(x.units) && k < i+8; k++ {
		u := x.units[k]
		if wordCount(u.text) >= 20 && x.a.linkDensity(u.node) < 0.3 {
			return true
		}
	}
	return false
}

// footerTexts are the non-link texts of footer regions (site name, address).
func (x *extraction) footerTexts() map[string]bool {
	out := map[string]bool{}
	// An element named so that holds a top heading is no footer: the
	// article's column of a layout cut into "detailTop" and
	// "detailBottom" holds its <h1>, which was then read as footer text.
	holdsH1 := map[*html.Node]bool{}
	footerBox := func(p *html.Node) bool {
		ci := classID(p)
		if !strings.Contains(ci, "footer") && !strings.Contains(ci, "bottom") {
			return false
		}
		h, ok := holdsH1[p]
		if !ok {
			h = findFirst(p, atom.H1) != nil
			holdsH1[p] = h
		}
		return !h
	}
	for _, u := range x.units {
		if x.a.linkDensity(u.node) >= 0.5 {
			continue
		}
		k := 0
		if hasAncestor(u.node, func(p *html.Node) bool {
			k++
			if k > 12 {
				return false
			}
			if p.DataAtom == atom.Footer {
				return true
			}
			return footerBox(p)
		}) || u.node.DataAtom == atom.Footer || footerClassRe.MatchString(classID(u.node)) {
			out[foldKey(u.text)] = true
			// and each <br>-separated line of it (the site name in bold
			// above the address)
			for _, l := range brLines(u.node) {
				out[foldKey(l)] = true
			}
		}
	}
	return out
}

var footerClassRe = mustPattern(`footer|bottom`)

// brLines splits the own text of n (inline descendants included) at <br>.
func brLines(n *html.Node) []string {
	var out []string
	var b strings.Builder
	var walk func(*html.Node, int)
	walk = func(n *html.Node, d int) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				b.WriteString(c.Data)
			case c.Type != html.ElementNode || skipTags[c.DataAtom] || isBlock(c) || d > 16:
			case c.DataAtom == atom.Br:
				out = append(out, b.String())
				b.Reset()
			default:
				walk(c, d+1)
			}
		}
	}
	walk(n, 0)
	out = append(out, b.String())
	return out
}

// ---------------------------------------------------------------------
// Breadcrumb

var (
	crumbClassRe = mustPattern(`breadcrumb|bread-crumb|breadcrum|duongdan|duong-dan|duong_dan|crumbs|navigation-path|sitepath|site-path`)
	// pathClassRe names, among other things, a trail: taken for one only
	// when it starts at the home page (see homeTrail).
	pathClassRe = mustRe(`(^|[ _-])(path|vitri|vi-tri)($|[ _-])`)
	// A "/" separates only with a space either side: inside a word
	// ("05-CT/TW") it is part of the item. So does a ">" in a trail that
	// also writes "<" (a title that prints "<b>" as text); elsewhere any
	// ">" separates ("Trang chủ>Tin tức", "Trang chủ >> Tin tức").
	crumbSepRe       = mustRe(`\s*(?:»|›|→|>+|\||\s/\s|::)\s*`)
	crumbSepSpacedRe = mustRe(`\s*(?:»|›|→|\s>+\s|\||\s/\s|::)\s*`)
	homeRe           = mustRe(`(?i)^(trang chủ|trang nhất|trang chính|home|homepage|trang đầu)$`)
	crumbStartRe     = mustRe(`(?i)^(trang chủ|trang nhất|trang chính|home)\s*(»|›|→|>|/|\||::)`)
)

func (x *extraction) breadcrumb() {
	if x.profile != nil && x.profile.Breadcrumb != "" {
		if s := x.gq.Find(x.profile.Breadcrumb).First(); s.Length() > 0 {
			if items := crumbItems(s.Nodes[0]); len(items) > 0 {
				x.rawCrumbs, x.crumbNode = dropHome(items), s.Nodes[0]
				return
			}
		}
	}
	// microdata
	for _, n := range findAll(x.a.body, func(n *html.Node) bool {
		return strings.Contains(strings.ToLower(attr(n, "itemtype")), "breadcrumblist")
	}) {
		var items []string
		for _, li := range findAll(n, func(c *html.Node) bool { return strings.EqualFold(attr(c, "itemprop"), "itemListElement") }) {
			name := ""
			if nn := findAll(li, func(c *html.Node) bool { return strings.EqualFold(attr(c, "itemprop"), "name") }); len(nn) > 0 {
				name = attr(nn[0], "content")
				if name == "" {
					name = textOf(nn[0])
				}
			} else {
				name = textOf(li)
			}
			if name = cleanCrumb(name); name != "" {
				items = append(items, name)
			}
		}
		if len(items) > 0 {
			x.rawCrumbs, x.crumbNode = dropHome(items), n
			return
		}
	}
	if len(x.pm.ldCrumbs) > 0 {
		x.rawCrumbs = dropHome(x.pm.ldCrumbs)
		// still look for the visible one, to place the title after it
		if n := x.crumbByClass(); n != nil {
			x.crumbNode = n
		}
		return
	}
	if n := x.crumbByClass(); n != nil {
		if items := crumbItems(n); len(items) > 0 {
			x.rawCrumbs, x.crumbNode = dropHome(items), n
			return
		}
	}
	// "Trang chủ / X / Title" as plain text: the smallest element whose text
	// starts that way.
	var bestN *html.Node
	bestLen := 0
	for _, n := range findAll(x.a.body, func(n *html.Node) bool { return isBlock(n) || n.DataAtom == atom.Span }) {
		st := x.a.st(n)
		if st.textLen == 0 || st.textLen > 400 {
			continue
		}
		if !crumbMayStart(n) {
			continue // (the test below fails: see crumbMayStart)
		}
		t := crumbLabelRe.ReplaceAllString(cleanText(textOf(n)), "") // "Bạn đang ở: Trang chủ » …"
		if !crumbStartRe.MatchString(t) || x.menuLike(n) {
			continue
		}
		if bestN == nil || st.textLen < bestLen || x.a.contains(bestN, n) {
			bestN, bestLen = n, st.textLen
		}
	}
	if bestN != nil {
		if items := crumbItems(bestN); len(items) > 1 {
			x.rawCrumbs, x.crumbNode = dropHome(items), bestN
			return
		}
	}
	if n := x.homeTrail(); n != nil {
		x.rawCrumbs, x.crumbNode = dropHome(crumbItems(n)), n
	}
}

// crumbMayStart is false when crumbStartRe cannot match
// crumbLabelRe.ReplaceAllString(cleanText(textOf(n)), ""), read from the
// first rune of n's text that cleanText keeps, without making the text
// (that was 7 % of Extract's time, on every block and span of a page):
// a match starts with "trang…" or "home…", after a label that starts
// with "bạn…", "đang…", "vị…" or "you…", any case (no other rune folds
// to those letters). NFC, which cleanText applies first, only ever
// composes that rune with marks after it, into a letter outside ASCII
// that is not đ: no other rune becomes one of these
// (TestCrumbMayStartRunes). True when it cannot tell (no such rune, an
// invalid byte).
func crumbMayStart(n *html.Node) bool {
	r, ok := firstKeptRune(n, 0)
	if !ok {
		return true
	}
	switch r {
	case 't', 'T', 'h', 'H', 'b', 'B', 'v', 'V', 'y', 'Y', 'đ', 'Đ', utf8.RuneError:
		return true
	}
	return false
}

// firstKeptRune is the first rune of textOf(n) that cleanText does not
// drop as space, zero-width or control; ok is false when there is none.
// It walks n as textOf does (the spaces textOf puts around blocks are
// dropped anyway). A rune is decoded within its text node: one cut across
// two nodes decodes as U+FFFD, which stops the search.
func firstKeptRune(n *html.Node, d int) (rune, bool) {
	if d > maxDepth {
		return 0, false
	}
	switch n.Type {
	case html.TextNode:
		for _, r := range n.Data {
			if !droppedByClean(r) {
				return r, true
			}
		}
		return 0, false
	case html.ElementNode:
		if skipTags[n.DataAtom] || hidden(n) {
			return 0, false
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if r, ok := firstKeptRune(c, d+1); ok {
			return r, true
		}
	}
	return 0, false
}

// droppedByClean: cleanText drops r (or makes it a space between words).
func droppedByClean(r rune) bool {
	return isZeroWidth(r) || unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' || r == '\u2007' || r < 0x20 || r == 0x7f
}

// homeTrail is a trail named "path" or "vitri" by its markup whose first
// link goes to the home page (a house icon, often) and which links on
// from there: "<div class="path"><a href="/"><i class="fa fa-home"></a>
// › <a>Tin tức</a> › …". Those names alone also mark a weather box's place
// or an ad slot.
func (x *extraction) homeTrail() *html.Node {
	for _, n := range findAll(x.a.body, func(n *html.Node) bool { return pathClassRe.MatchString(classID(n)) }) {
		st := x.a.st(n)
		if st.textLen == 0 || st.textLen > 300 || x.menuLike(n) {
			continue
		}
		links := findAll(n, isTag(atom.A))
		if len(links) < 2 {
			continue
		}
		if u, err := url.Parse(resolve(x.pm.base, attr(links[0], "href"))); err != nil || u.Host == "" || strings.Trim(u.Path, "/") != "" {
			continue
		}
		if items := crumbItems(n); len(items) > 0 {
			return n
		}
	}
	return nil
}

// categoryLine takes for the breadcrumb, on a page that prints none, the
// line of category links set just above the title ("Nhà nông / Sản phẩm
// OCOP" in an element its markup calls the category), as many news sites
// print their section instead of a trail.
func (x *extraction) categoryLine() {
	if x.titleNode == nil {
		return
	}
	for n, k := x.titleNode.PrevSibling, 0; n != nil && k < 2; n = n.PrevSibling {
		if n.Type != html.ElementNode {
			continue
		}
		k++
		links := findAll(n, isTag(atom.A))
		named := categoryClassRe.MatchString(classID(n))
		if !named && !x.sectionLinks(n, links) {
			continue
		}
		st := x.a.st(n)
		if len(links) == 0 || len(links) > 3 || st.textLen > 120 || x.a.linkDensity(n) < 0.6 {
			if named {
				return
			}
			continue
		}
		var items []string
		for _, a := range links {
			if t := cleanCrumb(textOf(a)); t != "" {
				items = append(items, t)
			}
		}
		if items = dropHome(items); len(items) > 0 {
			x.rawCrumbs, x.crumbNode, x.crumbsAbove = items, n, true
		}
		return
	}
}

// sectionLinks: one to three links in line, each leading where the site's
// navigation (a <nav>, or an element its markup calls a menu) leads, and
// elsewhere on the page than line ("Đầu tư tài chính" above the title, and
// in the menu): a category line whatever its markup calls it. Not a
// topic bar's or a sidebar's links (an event or a tag above the title
// that those also print), and not a menu itself (a section's sub-menu
// printed above the title, whose links would vouch for themselves).
func (x *extraction) sectionLinks(line *html.Node, links []*html.Node) bool {
	if len(links) == 0 || len(links) > 3 || x.menuLike(line) || hasAncestor(line, func(p *html.Node) bool {
		return p.DataAtom == atom.Nav || p.DataAtom == atom.Header || menuClassRe.MatchString(classID(p)) || chromeClassRe.MatchString(classID(p))
	}) {
		return false
	}
	nav := x.navLinks()
	for _, a := range links {
		t := cleanText(textOf(a))
		if t == "" || homeRe.MatchString(t) {
			return false
		}
		key := sectionKey(resolve(x.pm.base, attr(a, "href")))
		if !slices.ContainsFunc(nav[key], func(n *html.Node) bool { return !x.a.contains(line, n) }) {
			return false
		}
	}
	return true
}

// navLinks are the links of the site's navigation (in a <nav>, or an
// element its markup calls a menu), by sectionKey of their address; made
// once a page.
func (x *extraction) navLinks() map[string][]*html.Node {
	if x.nav != nil {
		return x.nav
	}
	x.nav = map[string][]*html.Node{}
	for _, a := range findAll(x.a.body, isTag(atom.A)) {
		if !hasAncestor(a, func(p *html.Node) bool { return p.DataAtom == atom.Nav || menuClassRe.MatchString(classID(p)) }) {
			continue
		}
		if u := sectionKey(resolve(x.pm.base, attr(a, "href"))); u != "" {
			x.nav[u] = append(x.nav[u], a)
		}
	}
	return x.nav
}

// sectionKey is a section's address as two links to it compare: without
// its fragment and a trailing slash, the host in lower case; "" for none
// or the home page.
func sectionKey(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return ""
	}
	p.Fragment, p.Host = "", strings.ToLower(p.Host)
	p.Path = strings.TrimRight(p.Path, "/")
	if p.Path == "" && p.RawQuery == "" {
		return ""
	}
	return p.String()
}

// statedSection is the section the page's metadata names for the article
// (JSON-LD articleSection, else article:section), for a page that prints
// neither a trail nor a category line: "" when it names none, or names
// the site, the home page or the article's own title.
func (x *extraction) statedSection(title string) string {
	sec := x.pm.ldSection
	if sec == "" {
		sec = cleanText(x.pm.meta["article:section"])
	}
	if sec == "" || wordCount(sec) > 8 || homeRe.MatchString(sec) || placeholderSectionRe.MatchString(sec) || x.isSiteName(sec) || sameText(sec, title) {
		return ""
	}
	return sec
}

// placeholderSectionRe: sections a CMS writes when nobody chose one
// (WordPress's "Uncategorized", an old Người Lao Động template's "News"
// on every page).
var placeholderSectionRe = mustRe(`(?i)^(news|articles?|posts?|blog|general|default|uncategori[sz]ed|chưa (được )?phân loại)$`)

var categoryClassRe = mustRe(`(^|[\s_-])(cate|category|categories|chuyen-?muc|section-name|kicker)([\s_-]|$)`)

// menuLike: a "Trang chủ | A | B | …" line that is the site menu, not a
// trail: an element (or a close ancestor) named menu/nav, or more than six
// items that are all links.
func (x *extraction) menuLike(n *html.Node) bool {
	k := 0
	if n.DataAtom == atom.Ul || n.DataAtom == atom.Ol || hasAncestor(n, func(p *html.Node) bool {
		k++
		return k <= 3 && menuClassRe.MatchString(classID(p))
	}) || menuClassRe.MatchString(classID(n)) {
		return true
	}
	items := crumbItems(n)
	return len(items) > 6 && x.a.linkDensity(n) > 0.8
}

var menuClassRe = mustPattern(`menu|topnav|mainnav|navbar|nav-bar|main-nav`)

func (x *extraction) crumbByClass() *html.Node {
	for _, n := range findAll(x.a.body, func(n *html.Node) bool { return crumbClassRe.MatchString(classID(n)) }) {
		if st := x.a.st(n); st.textLen > 0 && st.textLen < 500 {
			return n
		}
	}
	return nil
}

func cleanCrumb(s string) string {
	s = cleanText(s)
	s = strings.Trim(s, " /»›→>|:-")
	return strings.TrimSpace(s)
}

// crumbItems reads breadcrumb items from a container: list items when it
// has them, otherwise its text split on separators.
func crumbItems(n *html.Node) []string {
	var items []string
	lis := findAll(n, isTag(atom.Li))
	if len(lis) > 0 {
		for _, li := range lis {
			if t := cleanCrumb(textOf(li)); t != "" {
				items = append(items, t)
			}
		}
		if len(items) != 1 {
			return items
		}
		// One item: maybe the whole trail in one <li>, read below.
	}
	split := func(t string) []string {
		var items []string
		t = cleanText(t)
		sep := crumbSepRe
		if strings.Contains(t, "<") {
			sep = crumbSepSpacedRe
		}
		for _, p := range sep.Split(t, -1) {
			if p = cleanCrumb(p); p != "" {
				items = append(items, p)
			}
		}
		return items
	}
	items = split(textOf(n))
	if len(items) == 1 {
		// Items and separators in elements of their own with no space
		// between them ("<span>Trang chủ</span><span>/</span>…"): read
		// again with a space at each element's edge.
		if spaced := split(spacedText(n)); len(spaced) > 1 {
			return spaced
		}
		// Separators that are pictures or icon fonts (<img>, <i
		// class="fa fa-angle-right">): read again with a separator for
		// each element that holds no text.
		if separated := split(separatedText(n)); len(separated) > 1 {
			return separated
		}
	}
	return items
}

// separatedText is the text of n with a space at the edges of every
// element and a "/" for every element without text (a picture, an icon;
// a line break is a space).
func separatedText(n *html.Node) string {
	var walk func(n *html.Node, d int) string
	walk = func(n *html.Node, d int) string {
		var b strings.Builder
		for c := n.FirstChild; c != nil && d < maxDepth; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				b.WriteString(c.Data)
			case html.ElementNode:
				switch {
				case c.DataAtom == atom.Script || c.DataAtom == atom.Style:
				case c.DataAtom == atom.Br || c.DataAtom == atom.Wbr:
					b.WriteByte(' ')
				default:
					if sub := walk(c, d+1); strings.TrimSpace(sub) == "" {
						b.WriteString(" / ")
					} else {
						b.WriteString(" " + sub + " ")
					}
				}
			}
		}
		return b.String()
	}
	return walk(n, 0)
}

// spacedText is the text of n with a space at the start and end of every
// element.
func spacedText(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node, d int)
	walk = func(n *html.Node, d int) {
		for c := n.FirstChild; c != nil && d < maxDepth; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				b.WriteString(c.Data)
			case html.ElementNode:
				if c.DataAtom == atom.Script || c.DataAtom == atom.Style {
					continue
				}
				b.WriteByte(' ')
				walk(c, d+1)
				b.WriteByte(' ')
			}
		}
	}
	walk(n, 0)
	return b.String()
}

func dropHome(items []string) []string {
	if len(items) > 0 {
		// "Bạn đang ở: Trang chủ": the label before the path is not an item
		if t := strings.TrimSpace(crumbLabelRe.ReplaceAllString(items[0], "")); t != items[0] {
			if t == "" {
				items = items[1:]
			} else {
				items = append([]string{t}, items[1:]...)
			}
		}
	}
	if len(items) > 0 && homeRe.MatchString(items[0]) {
		items = items[1:]
	}
	return items
}

var crumbLabelRe = mustRe(`(?i)^(bạn đang ở đây|bạn đang ở|bạn đang xem|đang xem|vị trí hiện tại|vị trí|you are here)\s*:?\s*`)

// ---------------------------------------------------------------------
// Content

func (x *extraction) findContent() {
	if x.profile != nil && x.profile.Body != "" {
		if s := x.gq.Find(x.profile.Body); s.Length() > 0 {
			x.content = s.Nodes
			return
		}
	}
	x.content = x.a.scoreContent(x.titleNode)
	if x.titleNode != nil && !x.contentAfterTitle() {
		x.content = x.afterTitle()
	}
	if runesOf(x.content, x.a) < docTableRunes || len(x.content) > 0 && !slices.ContainsFunc(x.content, func(c *html.Node) bool { return !inFooter(c) }) {
		// A document's page: its text is a table of label | value rows
		// ("Số/Ký hiệu", "Trích yếu", "Tệp đính kèm"), no cell of which
		// outscores the chrome.
		if t := x.propertiesTable(); t != nil && !slices.ContainsFunc(x.content, func(c *html.Node) bool { return x.a.contains(c, t) }) {
			x.content = []*html.Node{t}
			x.docTable = t
		}
	}
	x.recheckContent()
}

// docTableRunes: a choice of content with less text than this, or one
// of the footer's, may be a document's page whose text is its table of
// properties (a short notice with a line or two of its own is not).
const docTableRunes = 100

// propertiesTable is the first table of label | value rows that names
// a document (its number, date of issue, summary, signer, file): at
// least three rows of two cells each whose first cell is a known label.
func (x *extraction) propertiesTable() *html.Node {
	for _, t := range findAll(x.a.body, isTag(atom.Table)) {
		if hidden(t) || hasAncestor(t, func(p *html.Node) bool { return p.DataAtom == atom.Table }) {
			continue
		}
		// Not a box of the chrome ("Văn bản mới" in a sidebar), nor one
		// above the title.
		if hasAncestor(t, func(p *html.Node) bool {
			if chromeElement(p) {
				return true
			}
			ci := classID(p)
			return ci != "" && negativeRe.MatchString(ci) && !positiveRe.MatchString(ci)
		}) || x.titleNode != nil && x.a.st(t).order < x.a.st(x.titleNode).order {
			continue
		}
		labels := 0
		for _, row := range labelRows(t) {
			if documentLabels[foldKey(textOf(row[0]))] {
				labels++
			}
		}
		if labels >= 3 {
			return t
		}
	}
	return nil
}

// issuedLabels are the labels (folded) of a document's date of issue.
var issuedLabels = map[string]bool{"ngay ban hanh": true, "ngay ky": true, "ngay van ban": true}

// tableIssued is the date of issue in the document's table of
// properties, "" when the content is no such table.
func (x *extraction) tableIssued() string {
	if x.docTable == nil {
		return ""
	}
	for _, row := range labelRows(x.docTable) {
		if issuedLabels[foldKey(textOf(row[0]))] {
			return cleanText(textOf(row[1]))
		}
	}
	return ""
}

// labelRows are the rows of table t made of two cells, a label and its
// value.
func labelRows(t *html.Node) [][2]*html.Node {
	var out [][2]*html.Node
	for _, tr := range findAll(t, isTag(atom.Tr)) {
		cells := findAll(tr, func(n *html.Node) bool { return n.DataAtom == atom.Td || n.DataAtom == atom.Th })
		if len(cells) == 2 {
			out = append(out, [2]*html.Node{cells[0], cells[1]})
		}
	}
	return out
}

// documentLabels are the labels (folded) of a legal document's
// properties as document pages print them.
var documentLabels = map[string]bool{}

func init() {
	for _, s := range []string{
		"số ký hiệu", "số/ký hiệu", "số hiệu", "ký hiệu", "số văn bản", "ngày ban hành", "ngày hiệu lực", "ngày có hiệu lực",
		"ngày ký", "loại văn bản", "cơ quan ban hành", "đơn vị ban hành", "người ký", "trích yếu", "trích yếu nội dung",
		"lĩnh vực", "tệp đính kèm", "file đính kèm", "tài liệu đính kèm", "tình trạng hiệu lực", "ngày hết hiệu lực",
	} {
		documentLabels[foldKey(s)] = true
	}
}

// contentAfterTitle says whether the scorer's choice can be the page's
// text: it holds or follows the title, and it is not in the footer. A
// page whose own text is too short to outscore the chrome (the site's
// name in the header, its address in the footer) has the chrome chosen.
func (x *extraction) contentAfterTitle() bool {
	t := x.a.st(x.titleNode).order
	for _, c := range x.content {
		if (x.a.st(c).order > t || x.a.contains(c, x.titleNode)) && !inFooter(c) {
			return true
		}
	}
	// A choice that is a text of its own (an article whose heading the
	// title search got wrong) stays: the chrome that outscores a page
	// of one line is a few short lines.
	return runesOf(x.content, x.a) >= chromeRunes && !slices.ContainsFunc(x.content, inFooter)
}

// chromeRunes: a choice of content with this much text is not the
// chrome's few lines.
const chromeRunes = 400

// afterTitle is the content of a page whose text is too short for the
// scorer (a document posted as a line and a link, pictures without
// text): the elements that follow the title in its container, up to the
// first list of links (the "recent articles" box) or the footer.
func (x *extraction) afterTitle() []*html.Node {
	var out []*html.Node
	for s := x.titleNode.NextSibling; s != nil; s = s.NextSibling {
		if s.Type != html.ElementNode || skipTags[s.DataAtom] || hidden(s) {
			continue
		}
		links := findAll(s, func(n *html.Node) bool { return n.Type == html.ElementNode && n.DataAtom == atom.A })
		if len(links) >= 3 && x.a.linkDensity(s) > 0.5 || inFooter(s) {
			break
		}
		out = append(out, s)
	}
	return out
}

func (x *extraction) inContent(n *html.Node) bool {
	for _, c := range x.content {
		if x.a.contains(c, n) {
			return true
		}
	}
	return false
}

func (x *extraction) buildBlocks() {
	if len(x.content) == 0 {
		return
	}
	b := &builder{base: x.pm.base, a: x.a}
	// lead paragraphs between the title and the content (a "sapo")
	if x.titleNode != nil && !x.inContent(x.titleNode) {
		tEnd := x.a.st(x.titleNode).end
		cStart := x.a.st(x.content[0]).order
		if cStart > tEnd {
			for _, u := range x.units {
				o := x.a.st(u.node).order
				if o <= tEnd || o >= cStart || x.inContent(u.node) || (x.crumbNode != nil && x.a.contains(x.crumbNode, u.node)) {
					continue
				}
				// a layout cell whose inline text holds the content itself
				if x.a.contains(u.node, x.content[0]) || x.a.contains(u.node, x.titleNode) {
					continue
				}
				// an excerpt in a "latest news" box before the content
				k := 0
				if hasAncestor(u.node, func(p *html.Node) bool { k++; return k <= 4 && inlineWidget(p) }) {
					continue
				}
				if wordCount(u.text) >= 10 && x.a.linkDensity(u.node) < 0.3 && !isDateLine(u.text) && !isGenericHeading(u.text) {
					b.cur.node = u.node
					b.walk(u.node)
					b.flush()
				}
			}
		}
	}
	for _, c := range x.content {
		b.cur.node = c
		b.node(c)
		b.flush()
	}
	styleHints(b.blocks, nil)
	x.blocks = b.blocks
}
