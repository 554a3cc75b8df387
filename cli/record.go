package cli

import (
	"time"

	"tulieu/store"
)

// articleRecord is an article as `export` and `show --json` write it. The
// field names are a contract with our users' scripts: add, never rename.
type articleRecord struct {
	ID          string         `json:"id"`
	URL         string         `json:"url"`
	Kind        string         `json:"kind"`
	Title       string         `json:"title"`
	Author      string         `json:"author"`
	AuthorName  string         `json:"author_name"`
	Source      string         `json:"source"`
	Breadcrumb  []string       `json:"breadcrumb"`
	Category    string         `json:"category"`
	Published   string         `json:"published"`
	Body        string         `json:"body"`
	Images      []store.Image  `json:"images"`
	Attachments []string       `json:"attachments"`
	FirstSeen   string         `json:"first_seen"`
	LastSeen    string         `json:"last_seen"`
	Status      string         `json:"status"`
	Versions    int            `json:"versions"`
	SHA256      string         `json:"sha256"`
	History     []versionEntry `json:"history,omitempty"`
}

type versionEntry struct {
	Version   int    `json:"version"`
	SeenAt    string `json:"seen_at"`
	Title     string `json:"title"`
	SHA256    string `json:"sha256"`
	Body      string `json:"body"`
	CaptureID int64  `json:"capture_id"`
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func newArticleRecord(a *store.Article) articleRecord {
	r := articleRecord{
		ID: a.ID, URL: a.URL, Kind: a.Kind, Title: a.Title, Author: a.Author, AuthorName: a.AuthorName,
		Source: a.Source, Breadcrumb: a.Breadcrumb, Category: a.Category, Published: a.Published, Body: a.Body,
		Images: a.Images, Attachments: []string{}, FirstSeen: rfc3339(a.FirstSeen), LastSeen: rfc3339(a.LastSeen),
		Status: a.Status, Versions: a.Versions, SHA256: a.SHA256,
	}
	if r.Breadcrumb == nil {
		r.Breadcrumb = []string{}
	}
	if r.Images == nil {
		r.Images = []store.Image{}
	}
	for _, at := range a.Attachments {
		r.Attachments = append(r.Attachments, at.URL)
	}
	return r
}
