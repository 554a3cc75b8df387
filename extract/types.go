package extract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/andybalholm/cascadia"
)

// Kind classifies a fetched page.
type Kind string

// The page kinds Extract reports.
const (
	KindArticle Kind = "article" // a dated or signed news/opinion piece
	KindPage    Kind = "page"    // a static page: title and text, no date, no byline
	KindListing Kind = "listing" // home, category and pagination pages: mostly links to articles
	KindOther   Kind = "other"   // anything else (empty pages, forms, framesets...)
)

// Image is an image of the article body.
type Image struct {
	Src     string `json:"src"`               // absolute URL
	Caption string `json:"caption,omitempty"` // caption as printed, minus a trailing "Ảnh: …" credit
}

// Attachment is a link to a document file (.pdf, .doc, …) inside the body.
type Attachment struct {
	URL  string `json:"url"` // absolute URL
	Text string `json:"text"`
}

// Document is what Extract finds in one page. See the package documentation
// for the meaning of each field.
type Document struct {
	Kind        Kind         `json:"kind"`
	URL         string       `json:"url"`
	Canonical   string       `json:"canonical"`
	Title       string       `json:"title"`
	Body        string       `json:"body"`
	BodyHTML    string       `json:"body_html"`
	Author      string       `json:"author"`
	AuthorName  string       `json:"author_name"` // the person; several are joined with ", " (Authors)
	Source      string       `json:"source"`
	Breadcrumb  []string     `json:"breadcrumb"`
	Category    string       `json:"category"`
	Published   string       `json:"published"`
	Images      []Image      `json:"images"`
	Attachments []Attachment `json:"attachments"`
	Links       []string     `json:"links"`
	Lang        string       `json:"lang"`
}

// Profile holds per-site CSS selectors (cascadia syntax, as goquery uses).
// Each non-empty selector that matches something in a page wins for its
// field; when it is empty or matches nothing, the generic heuristics decide.
//
//   - Host: the host name the profile applies to ("example.org" also covers
//     "www.example.org" and other subdomains).
//   - Title: the article heading; the text of the first match.
//   - Body: the article content; all matches, in document order, are the
//     content blocks (bylines, date lines and share widgets inside them are
//     still removed by the generic rules).
//   - Author: the byline; text of the first match ("Tác giả:" stripped).
//   - Date: the publication date; the datetime/content attribute or the text
//     of the first match, parsed with ParseDate.
//   - Breadcrumb: the breadcrumb container; its items are read as in the
//     generic case (list items, links or text split on "/", "»", ">").
//   - Remove: elements removed from the page before anything else runs
//     (visitor counters, link blocks…).
//
// Profiles are loadable from JSON with LoadProfiles, e.g.
//
//	[{"host":"example.org","title":"h1.title","body":"div.content","remove":[".share"]}]
type Profile struct {
	Host       string   `json:"host"`
	Title      string   `json:"title,omitempty"`
	Body       string   `json:"body,omitempty"`
	Author     string   `json:"author,omitempty"`
	Date       string   `json:"date,omitempty"`
	Breadcrumb string   `json:"breadcrumb,omitempty"`
	Remove     []string `json:"remove,omitempty"`
}

// Options tune Extract. The profile is chosen by the page URL's host.
type Options struct {
	Profiles []Profile
}

// LoadProfiles reads profiles from JSON: either an array of profiles or a
// single profile object. A key it does not know (a misspelt "titel"), a
// profile without a host and a selector that does not parse are errors:
// each would make the profile do nothing, silently.
func LoadProfiles(r io.Reader) ([]Profile, error) {
	data, err := io.ReadAll(io.LimitReader(r, 4<<20))
	if err != nil {
		return nil, err
	}
	s := strings.TrimSpace(string(data))
	var ps []Profile
	if strings.HasPrefix(s, "{") {
		ps = make([]Profile, 1)
		err = decodeStrict(data, &ps[0])
	} else {
		err = decodeStrict(data, &ps)
	}
	if err != nil {
		return nil, err
	}
	starts := objectStarts(data)
	for i, p := range ps {
		if strings.TrimSpace(p.Host) == "" {
			where := ""
			if i < len(starts) && starts[i] >= 0 {
				where = fmt.Sprintf("line %d: ", lineOf(data, starts[i]))
			}
			return nil, fmt.Errorf("%sprofile %d has no \"host\": the site it is for", where, i+1)
		}
		fields := []struct{ name, sel string }{{"title", p.Title}, {"body", p.Body}, {"author", p.Author},
			{"date", p.Date}, {"breadcrumb", p.Breadcrumb}}
		for _, sel := range p.Remove {
			fields = append(fields, struct{ name, sel string }{"remove", sel})
		}
		for _, f := range fields {
			if f.sel == "" {
				continue
			}
			if _, err := cascadia.ParseGroup(f.sel); err != nil {
				where := ""
				// The selector as the file writes it, after the
				// profile's start.
				if q, jerr := json.Marshal(f.sel); jerr == nil && i < len(starts) && starts[i] >= 0 {
					if at := bytes.Index(data[starts[i]:], q); at >= 0 {
						where = fmt.Sprintf("line %d: ", lineOf(data, starts[i]+int64(at)))
					}
				}
				return nil, fmt.Errorf("%sprofile for %s: %q %q is not a CSS selector (%v)", where, p.Host, f.name, f.sel, err)
			}
		}
	}
	return ps, nil
}

// objectStarts are the offsets in data of the profiles' objects: of the
// array's elements, or of the one object.
func objectStarts(data []byte) []int64 {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return []int64{int64(bytes.IndexByte(data, '{'))}
	}
	var out []int64
	for dec.More() {
		off := dec.InputOffset()
		if at := bytes.IndexByte(data[off:], '{'); at >= 0 {
			out = append(out, off+int64(at))
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			break
		}
	}
	return out
}

// lineOf is the line of data an offset is on, from 1.
func lineOf(data []byte, offset int64) int {
	return 1 + bytes.Count(data[:min(offset, int64(len(data)))], []byte("\n"))
}

// decodeStrict decodes JSON into v, refusing unknown keys, and says where
// in the text a mistake is.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("more after the profiles")
	}
	if err == nil {
		return nil
	}
	var offset int64 = -1
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		offset = syn.Offset
	case errors.As(err, &typ):
		offset = typ.Offset
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.TrimPrefix(err.Error(), "json: unknown field ")
		offset = int64(bytes.Index(data, []byte(field)))
		err = fmt.Errorf("unknown key %s (the keys are host, title, body, author, date, breadcrumb and remove)", field)
	default:
		offset = dec.InputOffset()
	}
	where := ""
	if offset >= 0 && offset <= int64(len(data)) {
		where = fmt.Sprintf("line %d: ", lineOf(data, offset))
	}
	return fmt.Errorf("%sprofiles are JSON: %w", where, err)
}

// DefaultProfiles returns the built-in profiles. The one for
// danguykhoithanhhoa.org.vn is a conservative guess (nobody here has seen
// the site's HTML): it only names selectors specific enough not to match
// the wrong thing, so the generic path still does the work when they miss.
func DefaultProfiles() []Profile {
	return []Profile{{
		Host:       "danguykhoithanhhoa.org.vn",
		Title:      "h1.news-title, h1.title-detail, .news-detail h1, .detail-news h1",
		Body:       ".news-detail .news-content, .detail-news .detail-content, #newsContent",
		Author:     ".news-detail .author, .detail-news .author",
		Breadcrumb: ".breadcrumb, .breadcrumbs",
		Remove:     []string{".lienketwebsite", ".lien-ket-website", ".thongketruycap", ".thong-ke-truy-cap", "#thongke", ".counter", ".share", ".print", ".baiviet-ganday", ".tin-khac"},
	}}
}

func profileFor(host string, ps []Profile) *Profile {
	host = strings.ToLower(strings.TrimPrefix(host, "www."))
	for i := range ps {
		h := strings.ToLower(strings.TrimPrefix(profileHost(ps[i].Host), "www."))
		if h == "" {
			continue
		}
		if host == h || strings.HasSuffix(host, "."+h) {
			return &ps[i]
		}
	}
	return nil
}

// profileHost is the host name a profile's "host" names, also when it is
// written as an address ("http://127.0.0.1:8081/") or with its port
// ("127.0.0.1:8081", as the README's local mirror is crawled): profiles
// apply by host name, whatever the port. Before, such a profile was
// accepted and never applied.
func profileHost(h string) string {
	h = strings.TrimSpace(h)
	if i := strings.Index(h, "://"); i >= 0 {
		h = h[i+3:]
	}
	if i := strings.IndexAny(h, "/?#"); i >= 0 {
		h = h[:i]
	}
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	return strings.Trim(h, "[]")
}
