package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"time"

	"tulieu/index"
	"tulieu/internal/vntime"
	"tulieu/store"
)

// Error is the body of every error answer of the HTTP API.
type Error struct {
	Error string `json:"error"`
}

// Search is a page of search results.
type Search struct {
	Query  string `json:"query"`
	Total  uint64 `json:"total"`
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"`
	Hits   []Hit  `json:"hits"`
	// Facets counts all matches by "category", "author" and "year"; present
	// when asked for (--facets, facets=1).
	Facets map[string][]Facet `json:"facets,omitempty"`
}

// Hit is one search result. Snippet is plain text; SnippetHTML and
// TitleHTML are the same text HTML-escaped with the matched words in
// <mark></mark>, safe to insert into a page as they are.
type Hit struct {
	ID          string   `json:"id"`
	URL         string   `json:"url"`
	Title       string   `json:"title"`
	Author      string   `json:"author"`
	Breadcrumb  []string `json:"breadcrumb"`
	Category    string   `json:"category"`
	Published   string   `json:"published"`
	Status      string   `json:"status"` // "live", or "deleted": taken down from the site (listed with deleted=1)
	Score       float64  `json:"score"`
	Snippet     string   `json:"snippet"`
	SnippetHTML string   `json:"snippet_html"`
	TitleHTML   string   `json:"title_html"`
}

// Facet is one value of a facet and how many matches have it.
type Facet struct {
	Term  string `json:"term"`
	Count int    `json:"count"`
}

// NewSearch is the answer to req.
func NewSearch(req index.Request, res *index.Result) *Search {
	limit := req.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	out := &Search{Query: res.Query, Total: res.Total, Offset: req.Offset, Limit: limit, Hits: make([]Hit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, Hit{ID: h.ID, URL: h.URL, Title: h.Title, Author: h.Author,
			Breadcrumb: nonNil(h.Breadcrumb), Category: h.Category, Published: h.Published, Status: h.Status, Score: h.Score,
			Snippet: h.Snippet, SnippetHTML: h.SnippetHTML, TitleHTML: h.TitleHTML})
	}
	if req.Facets {
		out.Facets = map[string][]Facet{}
		for _, name := range []string{"category", "author", "year"} {
			fs := make([]Facet, 0, len(res.Facets[name]))
			for _, f := range res.Facets[name] {
				fs = append(fs, Facet{Term: f.Term, Count: f.Count})
			}
			out.Facets[name] = fs
		}
	}
	return out
}

// Article is an article (or static page) as `show --json`, `export` and
// GET /api/articles/{id} give it.
type Article struct {
	ID          string        `json:"id"`
	URL         string        `json:"url"`
	Kind        string        `json:"kind"`
	Title       string        `json:"title"`
	Author      string        `json:"author"`
	AuthorName  string        `json:"author_name"`
	Authors     []string      `json:"authors"` // the people of author_name, one each
	Source      string        `json:"source"`
	Breadcrumb  []string      `json:"breadcrumb"`
	Category    string        `json:"category"`
	Published   string        `json:"published"`
	Body        string        `json:"body"`
	Images      []store.Image `json:"images"`
	Attachments []string      `json:"attachments"`
	FirstSeen   string        `json:"first_seen"`
	LastSeen    string        `json:"last_seen"`
	Status      string        `json:"status"`
	Versions    int           `json:"versions"`
	SHA256      string        `json:"sha256"`
	// History is every version, with `show --versions --json`.
	History []Version `json:"history,omitempty"`
	// Files are the attached documents with the text read from them
	// (AddFiles; [] for an article that attaches none).
	Files []File `json:"files"`
	// CapturedAt is when the capture this content was extracted from was
	// fetched; WARCRecordID names that capture's record: where in the
	// archive a researcher finds the bytes the text came from.
	CapturedAt   string `json:"captured_at"`
	WARCRecordID string `json:"warc_record_id"`
}

// SetCapture records c as the capture the article's content came from.
func (r *Article) SetCapture(c *store.Capture) {
	r.CapturedAt, r.WARCRecordID = RFC3339(c.FetchedAt), c.WARCRecordID
}

// CaptureFinder finds a capture by its id (the catalog).
type CaptureFinder interface {
	CaptureByID(ctx context.Context, id int64) (*store.Capture, error)
}

// AddCapture gives r the capture a's current content was extracted from
// (none when the catalog has no such capture).
func AddCapture(ctx context.Context, r *Article, a *store.Article, cf CaptureFinder) error {
	if a.CaptureID == 0 {
		return nil
	}
	c, err := cf.CaptureByID(ctx, a.CaptureID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	r.SetCapture(c)
	return nil
}

// Version is one distinct content of an article.
type Version struct {
	Version   int    `json:"version"`
	SeenAt    string `json:"seen_at"`
	Title     string `json:"title"`
	SHA256    string `json:"sha256"`
	Body      string `json:"body"`
	CaptureID int64  `json:"capture_id"`
	// FetchedFrom is the address its capture was fetched from: an
	// article that moved (a new slug for a new title) had its earlier
	// versions at its earlier addresses.
	FetchedFrom string `json:"fetched_from"`
}

// Versions is an article's history, as GET /api/articles/{id}/versions
// gives it: the "history" of `show --versions --json`.
type Versions struct {
	ID       string    `json:"id"`
	Versions []Version `json:"versions"`
}

// RFC3339 formats a catalog time as the API writes times: RFC 3339 in UTC,
// "" for none.
func RFC3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// ReadableTime shows a time the API wrote (RFC 3339) to a person: in
// Vietnam's time, as the archived pages date their articles, so that a
// capture's time and an article's date read alike in the CLI's text. A
// value that is no RFC 3339 time is shown as it is.
func ReadableTime(s string) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	return t.In(vntime.Zone).Format("2006-01-02 15:04:05 -07:00")
}

// NewArticle is a's record; versions, when given, become its History.
func NewArticle(a *store.Article, versions []store.Version) Article {
	r := Article{
		ID: a.ID, URL: a.URL, Kind: a.Kind, Title: a.Title, Author: a.Author, AuthorName: a.AuthorName,
		Source: a.Source, Breadcrumb: nonNil(a.Breadcrumb), Category: a.Category, Published: a.Published, Body: a.Body,
		Images: a.Images, Attachments: []string{}, FirstSeen: RFC3339(a.FirstSeen), LastSeen: RFC3339(a.LastSeen),
		Status: a.Status, Versions: a.Versions, SHA256: a.SHA256, Files: []File{},
	}
	if r.Images == nil {
		r.Images = []store.Image{}
	}
	r.Authors = []string{}
	if a.AuthorName != "" {
		// Names never hold a comma: the extractor joins several with ", ".
		r.Authors = strings.Split(a.AuthorName, ", ")
	}
	for _, at := range a.Attachments {
		r.Attachments = append(r.Attachments, at.URL)
	}
	for _, v := range versions {
		r.History = append(r.History, NewVersion(v))
	}
	return r
}

// File is an attached document and what was read of it.
type File struct {
	URL    string `json:"url"`
	Name   string `json:"name"`
	Reader string `json:"reader"` // "pdftotext", "docx"…; "" when not read
	Text   string `json:"text"`
	Error  string `json:"error,omitempty"` // why no text could be read
}

// AttachmentTexter reads the text recorded of attached documents.
type AttachmentTexter interface {
	AttachmentTexts(ctx context.Context, urls []string) (map[string]store.AttachmentText, error)
}

// AddFiles gives r the attachments of a with what was read of each (a
// document not read yet has an empty reader and text).
func AddFiles(ctx context.Context, r *Article, a *store.Article, at AttachmentTexter) error {
	if len(a.Attachments) == 0 {
		return nil
	}
	urls := a.AttachmentURLs()
	texts, err := at.AttachmentTexts(ctx, urls)
	if err != nil {
		return err
	}
	r.Files = NewFiles(urls, texts)
	return nil
}

// NewFiles are the records of the documents at urls, given what was read
// of each (by URL).
func NewFiles(urls []string, texts map[string]store.AttachmentText) []File {
	var out []File
	for _, u := range urls {
		t := texts[u]
		out = append(out, File{URL: u, Name: store.AttachmentName(u), Reader: t.Reader, Text: t.Text, Error: t.Error})
	}
	return out
}

// NewVersion is v's record.
func NewVersion(v store.Version) Version {
	return Version{Version: v.Version, SeenAt: RFC3339(v.SeenAt), Title: v.Title, SHA256: v.SHA256, Body: v.Body,
		CaptureID: v.CaptureID, FetchedFrom: v.FetchedFrom}
}

// NewVersions is the history of article id.
func NewVersions(id string, versions []store.Version) Versions {
	out := Versions{ID: id, Versions: make([]Version, 0, len(versions))}
	for _, v := range versions {
		out.Versions = append(out.Versions, NewVersion(v))
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Encode writes v as tulieu writes JSON everywhere, on standard output and
// over HTTP alike: indented by two spaces, with <, > and & as they are, and
// a final newline.
func Encode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
