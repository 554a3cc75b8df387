package extract

import (
	"encoding/json"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageMeta is what the head and structured data say about the page.
type pageMeta struct {
	meta      map[string]string // lowercased name/property/itemprop/http-equiv → first content
	title     string            // <title>
	canonical string
	base      *url.URL
	lang      string
	ldTypes   []string
	ldHead    string
	ldDate    string
	ldAuthor  string   // Person authors only
	ldAuthors []string // the same, one name each
	ldBody    string   // the article's articleBody, when the page gives it
	ldCrumbs  []string
	ldSection string // JSON-LD articleSection (the first, when a list)
	siteNames []string
}

func collectMeta(root *html.Node, pageURL *url.URL) *pageMeta {
	pm := &pageMeta{meta: map[string]string{}, base: pageURL}
	if h := findFirst(root, atom.Html); h != nil {
		pm.lang = strings.TrimSpace(attr(h, "lang"))
		if pm.lang == "" {
			pm.lang = strings.TrimSpace(attr(h, "xml:lang"))
		}
	}
	baseSet := false
	var walk func(n *html.Node, d int)
	walk = func(n *html.Node, d int) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Title:
				if pm.title == "" && !hasAncestor(n, isTag(atom.Svg)) {
					var b strings.Builder
					for c := n.FirstChild; c != nil; c = c.NextSibling {
						if c.Type == html.TextNode {
							b.WriteString(c.Data)
						}
					}
					pm.title = cleanText(b.String())
				}
			case atom.Meta:
				content := attr(n, "content")
				for _, k := range []string{"name", "property", "itemprop", "http-equiv"} {
					if v := strings.ToLower(strings.TrimSpace(attr(n, k))); v != "" {
						for _, key := range strings.Fields(v) {
							if _, ok := pm.meta[key]; !ok {
								pm.meta[key] = content
							}
						}
					}
				}
			case atom.Link:
				rel := strings.ToLower(attr(n, "rel"))
				if pm.canonical == "" && (rel == "canonical" || strings.Contains(" "+rel+" ", " canonical ")) {
					pm.canonical = attr(n, "href")
				}
			case atom.Base:
				if !baseSet {
					if u, err := url.Parse(strings.TrimSpace(attr(n, "href"))); err == nil && pageURL != nil {
						pm.base = pageURL.ResolveReference(u)
						baseSet = true
					}
				}
			case atom.Script:
				if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") && n.FirstChild != nil {
					pm.jsonLD(n.FirstChild.Data)
				}
				return
			}
		}
		if d > maxDepth {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, d+1)
		}
	}
	walk(root, 0)
	if pm.canonical != "" {
		pm.canonical = resolve(pm.base, pm.canonical)
	}
	if pm.lang == "" {
		pm.lang = strings.TrimSpace(pm.meta["content-language"])
	}
	if pm.lang == "" {
		if l := pm.meta["og:locale"]; l != "" {
			pm.lang = strings.ToLower(strings.SplitN(strings.ReplaceAll(l, "_", "-"), "-", 2)[0])
		}
	}
	for _, k := range []string{"og:site_name", "application-name", "apple-mobile-web-app-title"} {
		if v := cleanText(pm.meta[k]); v != "" {
			pm.siteNames = append(pm.siteNames, v)
		}
	}
	return pm
}

func (pm *pageMeta) jsonLD(s string) {
	if len(s) > 1<<20 {
		return
	}
	var v any
	if err := json.Unmarshal([]byte(strings.TrimSpace(s)), &v); err != nil {
		return
	}
	var visit func(v any, d int)
	visit = func(v any, d int) {
		if d > 8 {
			return
		}
		switch t := v.(type) {
		case []any:
			for _, x := range t {
				visit(x, d+1)
			}
		case map[string]any:
			types := ldTypes(t["@type"])
			pm.ldTypes = append(pm.ldTypes, types...)
			for _, ty := range types {
				switch {
				case ty == "BreadcrumbList":
					if len(pm.ldCrumbs) == 0 {
						pm.ldCrumbs = ldBreadcrumb(t["itemListElement"])
					}
				case strings.HasSuffix(ty, "Article") || ty == "BlogPosting" || ty == "Report" || ty == "WebPage":
					if h, ok := t["headline"].(string); ok && pm.ldHead == "" && ty != "WebPage" {
						pm.ldHead = cleanText(unescapeEntities(h))
					}
					if b, ok := t["articleBody"].(string); ok && pm.ldBody == "" && ty != "WebPage" {
						pm.ldBody = cleanText(unescapeEntities(b))
					}
					if sec := ldSection(t["articleSection"]); sec != "" && pm.ldSection == "" && ty != "WebPage" {
						pm.ldSection = sec
					}
					if dp, ok := t["datePublished"].(string); ok && pm.ldDate == "" {
						pm.ldDate = dp
					}
					if pm.ldAuthor == "" {
						pm.ldAuthor = ldPerson(t["author"])
						pm.ldAuthors = ldPersons(t["author"])
					}
				}
			}
			if g, ok := t["@graph"]; ok {
				visit(g, d+1)
			}
		}
	}
	visit(v, 0)
}

func ldTypes(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, x := range t {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// ldPersons lists the Person names of a JSON-LD author value.
func ldPersons(v any) []string {
	if list, ok := v.([]any); ok {
		var out []string
		for _, x := range list {
			if n := ldPerson(x); n != "" {
				out = append(out, n)
			}
		}
		return out
	}
	if n := ldPerson(v); n != "" {
		return []string{n}
	}
	return nil
}

func ldPerson(v any) string {
	switch t := v.(type) {
	case []any:
		var names []string
		for _, x := range t {
			if n := ldPerson(x); n != "" {
				names = append(names, n)
			}
		}
		return strings.Join(names, ", ")
	case map[string]any:
		isPerson := false
		for _, ty := range ldTypes(t["@type"]) {
			if ty == "Person" {
				isPerson = true
			}
		}
		if n, ok := t["name"].(string); ok && isPerson {
			// CMSs write entities into the JSON ("NH&#7852;T XUÂN").
			return cleanText(unescapeEntities(n))
		}
	case string:
		return "" // a bare string may be a site name; bylines are preferred
	}
	return ""
}

// ldSection reads JSON-LD's articleSection: a string, or a list whose
// first string is the article's section.
func ldSection(v any) string {
	switch t := v.(type) {
	case string:
		return cleanText(unescapeEntities(t))
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok {
				if s = cleanText(unescapeEntities(s)); s != "" {
					return s
				}
			}
		}
	}
	return ""
}

func ldBreadcrumb(v any) []string {
	list, ok := v.([]any)
	if !ok {
		return nil
	}
	type item struct {
		pos  float64
		name string
	}
	var items []item
	for i, x := range list {
		// Dân trí writes each item in a list of its own
		// ("itemListElement":[[{…}],[{…}]]).
		if l, ok := x.([]any); ok && len(l) == 1 {
			x = l[0]
		}
		m, ok := x.(map[string]any)
		if !ok {
			continue
		}
		pos, ok := m["position"].(float64)
		if !ok {
			pos = float64(i + 1)
		}
		name, _ := m["name"].(string)
		if name == "" {
			if it, ok := m["item"].(map[string]any); ok {
				name, _ = it["name"].(string)
			}
		}
		// WordPress's SEO plugins write entities into the JSON ("Thời sự
		// &#8211; Chính trị"), as CMSs do into authors' names.
		if name = cleanText(unescapeEntities(name)); name != "" {
			items = append(items, item{pos, name})
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].pos < items[j].pos })
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.name
	}
	return out
}

// titleParts splits a <title> on the usual site-name separators.
func titleParts(t string) []string {
	for _, sep := range []string{" | ", " - ", " – ", " — ", " :: ", " » "} {
		if strings.Contains(t, sep) {
			var out []string
			for _, p := range strings.Split(t, sep) {
				if p = strings.TrimSpace(p); p != "" {
					out = append(out, p)
				}
			}
			return out
		}
	}
	return []string{t}
}

// entityRe is an HTML character reference with its closing ";".
var entityRe = regexp.MustCompile(`&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)

// unescapeEntities decodes the character references CMSs write into
// JSON-LD's strings ("Ch&#237;nh s&#225;ch", "&amp;"), only those closed by
// ";": html.UnescapeString also reads the legacy ones written without it,
// so that a bare "&" in a name ("Sở XD&GT") became "Sở XD>".
func unescapeEntities(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return entityRe.ReplaceAllStringFunc(s, html.UnescapeString)
}
