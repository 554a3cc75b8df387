package extract

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"tulieu/urlnorm"
)

const (
	maxInputBytes = 5 << 20   // bodies are cut here before decoding
	maxNodes      = 200000    // nodes past this are dropped after parsing
	maxDepth      = 256       // deeper subtrees are dropped after parsing
	maxTextNode   = 256 << 10 // longer text nodes are cut after parsing
	// maxExtractAlloc bounds the bytes one Extract call allocates (checked
	// by TestBoundedMemory on 20 MB pathological pages).
	maxExtractAlloc = 1 << 30
)

func attr(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// classID is the lowercased class and id of n, for pattern tests.
func classID(n *html.Node) string {
	c, id := attr(n, "class"), attr(n, "id")
	if c == "" && id == "" {
		return ""
	}
	return strings.ToLower(c + " " + id)
}

// skipTags are never text.
var skipTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Svg: true, atom.Math: true, atom.Iframe: true, atom.Object: true, atom.Embed: true,
	atom.Select: true, atom.Option: true, atom.Button: true, atom.Input: true, atom.Textarea: true,
	atom.Canvas: true, atom.Video: true, atom.Audio: true, atom.Head: true, atom.Title: true,
	atom.Map: true, atom.Frameset: true, atom.Frame: true, atom.Dialog: true,
}

var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.Header: true, atom.Footer: true, atom.Nav: true, atom.Aside: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Ul: true, atom.Ol: true, atom.Li: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.Table: true, atom.Tbody: true, atom.Thead: true, atom.Tfoot: true, atom.Tr: true,
	atom.Td: true, atom.Th: true, atom.Caption: true, atom.Blockquote: true, atom.Pre: true,
	atom.Center: true, atom.Address: true, atom.Figure: true, atom.Figcaption: true,
	atom.Form: true, atom.Fieldset: true, atom.Hr: true, atom.Body: true, atom.Html: true,
	atom.Details: true, atom.Summary: true, atom.Menu: true, atom.Legend: true,
}

func isBlock(n *html.Node) bool {
	return n.Type == html.ElementNode && blockTags[n.DataAtom]
}

func hidden(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	if hasAttr(n, "hidden") || attr(n, "aria-hidden") == "true" && n.DataAtom != atom.I && n.DataAtom != atom.Span {
		return true
	}
	st := attr(n, "style")
	if st == "" {
		return false
	}
	st = strings.ToLower(strings.ReplaceAll(st, " ", ""))
	return strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden")
}

// textOf is the visible text of n (not normalized).
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node, int)
	walk = func(n *html.Node, d int) {
		if d > maxDepth {
			return
		}
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			if skipTags[n.DataAtom] || hidden(n) {
				return
			}
			if n.DataAtom == atom.Br || isBlock(n) {
				b.WriteByte(' ')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, d+1)
		}
		if n.Type == html.ElementNode && isBlock(n) {
			b.WriteByte(' ')
		}
	}
	walk(n, 0)
	return b.String()
}

// limitTree drops nodes past maxNodes (in document order) and deeper than
// maxDepth, and cuts text nodes at maxTextNode bytes, so that every later
// pass is bounded.
func limitTree(root *html.Node) {
	count := 0
	var walk func(n *html.Node, d int)
	walk = func(n *html.Node, d int) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			count++
			if count > maxNodes || d >= maxDepth {
				n.RemoveChild(c)
			} else if c.Type == html.TextNode {
				if len(c.Data) > maxTextNode {
					i := maxTextNode
					for i > 0 && !utf8.RuneStart(c.Data[i]) {
						i--
					}
					c.Data = c.Data[:i]
				}
			} else {
				walk(c, d+1)
			}
			c = next
		}
	}
	walk(root, 0)
}

func findAll(root *html.Node, pred func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && pred(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return out
}

func findFirst(root *html.Node, a atom.Atom) *html.Node {
	return findFirstFunc(root, func(n *html.Node) bool { return n.DataAtom == a })
}

// findFirstFunc is the first element under root (root included) for which
// pred holds, in document order; nil if none.
func findFirstFunc(root *html.Node, pred func(*html.Node) bool) *html.Node {
	var found *html.Node
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		if n.Type == html.ElementNode && pred(n) {
			found = n
			return true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(root)
	return found
}

func hasAncestor(n *html.Node, pred func(*html.Node) bool) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && pred(p) {
			return true
		}
	}
	return false
}

func isTag(a atom.Atom) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.DataAtom == a }
}

// resolve makes href absolute against base; "" for non-http(s) links.
func resolve(base *url.URL, href string) string {
	// Browsers drop tabs and line breaks anywhere in a link (the WHATWG
	// URL parser): a long href wrapped by an editor still leads there.
	href = strings.TrimSpace(urlnorm.WithoutTabsAndNewlines(href))
	if href == "" || strings.HasPrefix(href, "#") {
		return ""
	}
	low := strings.ToLower(href)
	if strings.HasPrefix(low, "javascript:") || strings.HasPrefix(low, "mailto:") ||
		strings.HasPrefix(low, "data:") || strings.HasPrefix(low, "tel:") {
		return ""
	}
	href = strings.ReplaceAll(href, "\\", "/")
	u, err := url.Parse(href)
	if err != nil {
		u, err = url.Parse(strings.ReplaceAll(href, " ", "%20"))
		if err != nil {
			return ""
		}
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return ""
	}
	u.Fragment = ""
	u.RawFragment = ""
	return u.String()
}

// AttachmentExts are the file types taken for attached documents, by
// the extractor (links in the body) and the crawler (size limits) alike.
var AttachmentExts = []string{"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "rtf", "zip", "rar", "7z"}

var attachExtRe = mustRe(`(?i)\.(` + strings.Join(AttachmentExts, "|") + `)$`)

func isAttachment(abs string) bool {
	u, err := url.Parse(abs)
	if err != nil {
		return false
	}
	if attachExtRe.MatchString(u.Path) {
		return true
	}
	// A file name as a parameter, among others: download.aspx?file=x.pdf&id=3.
	for _, kv := range strings.Split(u.RawQuery, "&") {
		if _, v, _ := strings.Cut(kv, "="); attachExtRe.MatchString(v) {
			return true
		}
	}
	// Liferay's document library, behind most provinces' "Cổng thông
	// tin điện tử": /documents/20182/1234567/KH+CCHC+2020.pdf/<uuid>,
	// the file's name before the document's id.
	if liferayDocRe.MatchString(u.Path) {
		return true
	}
	// A CMS's download address, whose name says nothing of the type:
	// DownloadFile.aspx?id=12, /tai-ve/quyet-dinh-45. What it serves
	// is told by its bytes when it is fetched.
	return downloadRe.MatchString(u.Path) && !pageExtRe.MatchString(u.Path)
}

// liferayDocRe matches a Liferay document's path: a file name with a
// document's extension, then the document's id.
var liferayDocRe = mustRe(`(?i)^/documents/(?:[^/]+/)*[^/]+\.(?:pdf|docx?|xlsx?|pptx?|odt|ods|rtf|zip|rar)/[^/]+$`)

// pageExtRe: a path that names a web page, under a download folder too
// (/tai-ve/huong-dan.html is a page about downloading).
var pageExtRe = mustRe(`(?i)/[^/]*\.(html?|shtml|php|asp|jsp)$|/$`)

// downloadRe matches the paths of download addresses: a script named for
// downloading, or a file under a download folder.
var downloadRe = mustRe(`(?i)(/(down?load|get-?file|tai-?(ve|file|tep))[^/.]*\.(aspx?|ashx|php|jsp)$)|(/(down?loads?|tai-?ve|tai-?lieu-?dinh-?kem|dinh-?kem)/[^/]+$)`)

// IsAttachmentURL says whether a URL names an attached document: its path
// (or a file name in its query, as download.aspx?file=x.pdf) ends in one
// of AttachmentExts.
func IsAttachmentURL(u string) bool { return isAttachment(u) }

// ancestorOf is n's nearest ancestor for which pred holds, nil if none.
func ancestorOf(n *html.Node, pred func(*html.Node) bool) *html.Node {
	for p := n.Parent; p != nil; p = p.Parent {
		if pred(p) {
			return p
		}
	}
	return nil
}
