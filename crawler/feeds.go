package crawler

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"io"
	"regexp"
)

// parseFeed reads a sitemap (urlset or sitemapindex), an RSS feed or an
// Atom feed and returns the URLs it lists. ok is false when body is none
// of them.
func parseFeed(body []byte) (urls []string, ok bool) {
	if bytes.HasPrefix(body, []byte{0x1f, 0x8b}) {
		// A gzipped sitemap (sitemap.xml.gz, as the protocol allows),
		// read up to the protocol's own limit of 50 MB uncompressed.
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, false
		}
		plain, err := io.ReadAll(io.LimitReader(zr, 50<<20))
		if err != nil && len(plain) == 0 {
			return nil, false
		}
		body = plain
	}
	head := body
	if len(head) > 512 {
		head = head[:512]
	}
	if bytes.Contains(bytes.ToLower(head), []byte("<html")) {
		return nil, false
	}
	if !bytes.Contains(head, []byte("<urlset")) && !bytes.Contains(head, []byte("<sitemapindex")) &&
		!bytes.Contains(head, []byte("<rss")) && !bytes.Contains(head, []byte("<feed")) && !bytes.Contains(head, []byte("<rdf:RDF")) {
		return nil, false
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = false
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var inLoc, inLink bool
	var text bytes.Buffer
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "loc":
				inLoc = true
				text.Reset()
			case "link":
				// RSS: <link>url</link>; Atom: <link href="url" rel="alternate"/>.
				inLink = true
				text.Reset()
				for _, a := range t.Attr {
					if a.Name.Local == "href" {
						rel := ""
						for _, b := range t.Attr {
							if b.Name.Local == "rel" {
								rel = b.Value
							}
						}
						if rel == "" || rel == "alternate" {
							urls = append(urls, a.Value)
						}
					}
				}
			}
		case xml.CharData:
			if inLoc || inLink {
				text.Write(t)
			}
		case xml.EndElement:
			if (inLoc && t.Name.Local == "loc") || (inLink && t.Name.Local == "link") {
				if s := string(bytes.TrimSpace(text.Bytes())); s != "" {
					urls = append(urls, s)
				}
				inLoc, inLink = false, false
			}
		}
	}
	return urls, true
}

var feedLinkRe = regexp.MustCompile(`(?is)<link\b[^>]*\btype\s*=\s*["']?application/(?:rss|atom)\+xml[^>]*>`)
var hrefRe = regexp.MustCompile(`(?is)\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))`)

// feedLinks finds the RSS and Atom feeds a page announces in its head.
func feedLinks(page []byte) []string {
	if len(page) > 64<<10 {
		page = page[:64<<10]
	}
	var out []string
	for _, tag := range feedLinkRe.FindAll(page, -1) {
		if m := hrefRe.FindSubmatch(tag); m != nil {
			out = append(out, string(bytes.Join([][]byte{m[1], m[2], m[3]}, nil)))
		}
	}
	return out
}
