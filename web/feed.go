package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"tulieu/api"
	"tulieu/store"
)

// The Atom feed (RFC 4287) of what the archive saw change: one entry per
// article new, edited, deleted or put back online in the last feedDays
// days, newest first, at most feedEntries. An edited article's entry
// names its latest version (its id ends in that version, so a reader
// shows each new edit as news; a reader that polls less often than an
// article is edited sees the last edit only, and the article page lists
// every version).
const (
	feedDays    = 30
	feedEntries = 50
)

type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Updated   string      `xml:"updated"`
	Author    atomPerson  `xml:"author"`
	Generator string      `xml:"generator"`
	Links     []atomLink  `xml:"link"`
	Entries   []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID        string        `xml:"id"`
	Title     string        `xml:"title"`
	Updated   string        `xml:"updated"`
	Published string        `xml:"published,omitempty"`
	Links     []atomLink    `xml:"link"`
	Category  *atomCategory `xml:"category"`
	Summary   string        `xml:"summary"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// handleFeed answers /feed.atom, and /feed.atom?category=… for one
// category.
func (s *Server) handleFeed(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	category := r.URL.Query().Get("category")
	ch, err := api.NewChanges(r.Context(), s.catalog, now.AddDate(0, 0, -feedDays), now, category)
	if err != nil {
		s.log.Error("feed", "err", err)
		http.Error(w, "could not read the changes", http.StatusInternalServerError)
		return
	}
	type item struct {
		c    api.Change
		kind string
		at   string
	}
	var items []item
	// An article's edit is dated by its latest version; a last change
	// later than that is its return (put back after a deletion, or seen
	// again as the kind it was), which adds no version: announced as an
	// edit, it claimed one that never happened, under the id of an entry
	// the reader already had.
	events := func(c api.Change, since string) error {
		edited, err := s.catalog.LastEdited(r.Context(), c.ID)
		if err != nil || edited.IsZero() {
			return err
		}
		editAt := api.RFC3339(edited)
		// (A second version is an edit after the first sight, even
		// within the same second: the demo's crawls are.)
		if c.Versions > 1 && editAt >= since {
			items = append(items, item{c, "changed", editAt})
		}
		if c.LastChanged > editAt && c.LastChanged >= since {
			items = append(items, item{c, "restored", c.LastChanged})
		}
		return nil
	}
	var readErr error
	for _, c := range ch.New {
		items = append(items, item{c, "new", c.FirstSeen})
		// New in the period and edited (or put back) since: news too.
		if (c.Versions > 1 || c.LastChanged > c.FirstSeen) && readErr == nil {
			readErr = events(c, ch.Since)
		}
	}
	for _, c := range ch.Changed {
		if c.LastChanged < ch.Since {
			// Listed for its new address (it moved), with no new
			// version: no edit to announce, and an entry dated its last
			// edit, long before the period, would repeat an old one.
			continue
		}
		if readErr == nil {
			readErr = events(c, ch.Since)
		}
	}
	if readErr != nil {
		s.log.Error("feed", "err", readErr)
		http.Error(w, "could not read the changes", http.StatusInternalServerError)
		return
	}
	for _, c := range ch.Deleted {
		items = append(items, item{c, "deleted", c.DeletedAt})
	}
	// RFC 3339 in UTC sorts as text.
	slices.SortFunc(items, func(a, b item) int {
		switch {
		case a.at > b.at:
			return -1
		case a.at < b.at:
			return 1
		}
		return 0
	})
	items = items[:min(len(items), feedEntries)]

	self := absoluteURL(r, r.URL.RequestURI())
	feed := atomFeed{
		ID:        "urn:tulieu:feed:" + publicHost(r) + ":" + url.PathEscape(category),
		Title:     "tulieu — bài mới và bài sửa",
		Updated:   api.RFC3339(now),
		Author:    atomPerson{Name: "tulieu"},
		Generator: "tulieu",
		Links:     []atomLink{{Rel: "self", Type: "application/atom+xml", Href: self}, {Rel: "alternate", Type: "text/html", Href: absoluteURL(r, "/")}},
	}
	if category != "" {
		feed.Title += " · " + category
	}
	if len(items) > 0 {
		feed.Updated = items[0].at
	}
	for _, it := range items {
		c := it.c
		// Each entry is one event (archived, edited, deleted): it was
		// published when that happened (RFC 4287 4.2.9), not when the
		// article was first archived.
		e := atomEntry{Title: c.Title, Updated: it.at, Published: it.at,
			Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: absoluteURL(r, "/article/"+c.ID)}}}
		if c.Category != "" {
			e.Category = &atomCategory{Term: c.Category}
		}
		switch it.kind {
		case "new":
			e.ID = "urn:tulieu:article:" + c.ID + ":v1"
			e.Summary = "Bài mới"
			if c.Kind == store.KindPage {
				e.Summary = "Trang mới" // a static page ("Chức năng, nhiệm vụ"), no article
			}
		case "changed":
			e.ID = "urn:tulieu:article:" + c.ID + ":v" + strconv.Itoa(c.Versions)
			e.Summary = "Bài được sửa: phiên bản " + strconv.Itoa(c.Versions)
			e.Title += " (sửa)"
		case "restored":
			// One entry per return: an article may be taken down and
			// put back more than once.
			e.ID = "urn:tulieu:article:" + c.ID + ":restored:" + feedStamp(it.at)
			e.Summary = "Bài được đăng lại trên trang gốc"
			e.Title += " (đăng lại)"
		case "deleted":
			// One entry per deletion, as per edit: the same id for a
			// second one would be taken by a reader for the first.
			e.ID = "urn:tulieu:article:" + c.ID + ":deleted:" + feedStamp(it.at)
			e.Summary = "Bài đã bị gỡ khỏi trang gốc"
			e.Title += " (đã gỡ)"
		}
		if c.Published != "" {
			e.Summary += " · đăng " + formatPublished(c.Published)
		}
		feed.Entries = append(feed.Entries, e)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(feed); err != nil {
		s.log.Error("feed", "err", err)
		http.Error(w, "could not write the feed", http.StatusInternalServerError)
		return
	}
	// A feed reader polls: the ETag (what the entries are) lets it ask
	// cheaply, answered 304 by ServeContent until something changes. The
	// feed's own <updated> is left out of the tag: with no entry it is the
	// time of the request. No Last-Modified: an entry may come in dated
	// before the newest one (a crawl stamps a page with the time its
	// request began), which a reader asking "modified since" would miss.
	sum := sha256.New()
	for _, e := range feed.Entries {
		term := ""
		if e.Category != nil {
			term = e.Category.Term
		}
		fmt.Fprintf(sum, "%s\x00%s\x00%s\x00%s\x00%s\x00", e.ID, e.Updated, e.Title, e.Summary, term)
	}
	fmt.Fprintf(sum, "%s\x00%s\x00%s", feed.ID, feed.Title, self)
	h := w.Header()
	h.Set("Content-Type", "application/atom+xml; charset=utf-8")
	h.Set("ETag", `"feed-`+hex.EncodeToString(sum.Sum(nil)[:12])+`"`)
	h.Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(buf.Bytes()))
}

// feedStamp is an RFC 3339 time as a part of an entry's id
// ("2026-12-07T20:43:34Z" → "20261207T204334Z").
func feedStamp(rfc3339 string) string {
	return strings.NewReplacer("-", "", ":", "").Replace(rfc3339)
}

// handleAPIChanges answers /api/changes?since=…&category=…: the document
// of `tulieu changes --json`.
func (s *Server) handleAPIChanges(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	v := r.URL.Query().Get("since")
	if v == "" {
		v = "24h"
	}
	since, err := api.ParseSince(v, now)
	if err != nil {
		s.failAPI(w, r, api.Named("since", v, err))
		return
	}
	ch, err := api.NewChanges(r.Context(), s.catalog, since, now, r.URL.Query().Get("category"))
	if err != nil {
		s.failAPI(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ch)
}
