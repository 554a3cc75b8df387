package api

import (
	"context"
	"strconv"
	"strings"
	"time"

	"tulieu/internal/vntime"
	"tulieu/store"
)

// Changes lists the articles new, changed and deleted in a period, as
// `tulieu changes --json` and GET /api/changes give it: a morning report.
type Changes struct {
	Since    string   `json:"since"`
	Until    string   `json:"until"`
	Category string   `json:"category,omitempty"`
	New      []Change `json:"new"`
	Changed  []Change `json:"changed"`
	Deleted  []Change `json:"deleted"`
}

// Change is one article of a Changes.
type Change struct {
	ID          string `json:"id"`
	URL         string `json:"url"`
	Kind        string `json:"kind"` // article | page (a static page)
	Title       string `json:"title"`
	Category    string `json:"category"`
	Published   string `json:"published"`
	Versions    int    `json:"versions"`
	FirstSeen   string `json:"first_seen"`
	LastChanged string `json:"last_changed"`
	DeletedAt   string `json:"deleted_at"` // "" unless deleted
}

// ChangeReader reads the articles changed since a time, and the runs (to
// know whether a crawl is running); *store.Store is one.
type ChangeReader interface {
	EachArticle(ctx context.Context, f store.Filter, fn func(*store.Article) error) error
	Runs(ctx context.Context, limit int) ([]store.Run, error)
}

// NewChanges lists what changed in the catalog from since to until (the
// time of the report), articles and static pages alike, newest published
// first within each list.
//
// A report's until is where the next one should start (since=until), so
// it must not pass anything not yet written: a crawl stamps an article
// with the time its request began, and writes it once its page has
// arrived and been read, seconds later for a slow page. While a crawl
// runs, until is therefore that crawl's start; what it records appears
// in the first report made after it (and again in later ones until their
// since passes it: a chain of reports lists everything at least once).
func NewChanges(ctx context.Context, cat ChangeReader, since, until time.Time, category string) (*Changes, error) {
	runs, err := cat.Runs(ctx, 1)
	if err != nil {
		return nil, err
	}
	if len(runs) == 1 && runs[0].Status == store.RunRunning && runs[0].Started.Before(until) {
		until = runs[0].Started
	}
	out := &Changes{Since: RFC3339(since), Until: RFC3339(until), Category: category,
		New: []Change{}, Changed: []Change{}, Deleted: []Change{}}
	f := store.Filter{Kinds: []string{store.KindArticle, store.KindPage}, Category: category, ChangedSince: since,
		IncludeDeleted: true}
	err = cat.EachArticle(ctx, f, func(a *store.Article) error {
		c := Change{ID: a.ID, URL: a.URL, Kind: a.Kind, Title: a.Title, Category: a.Category, Published: a.Published,
			Versions: a.Versions, FirstSeen: RFC3339(a.FirstSeen), LastChanged: RFC3339(a.LastChanged)}
		switch {
		case a.Status == store.StatusDeleted && !a.DeletedAt.Before(since):
			c.DeletedAt = RFC3339(a.DeletedAt)
			out.Deleted = append(out.Deleted, c)
		case !a.FirstSeen.Before(since):
			out.New = append(out.New, c)
		case a.Status != store.StatusDeleted:
			// A new version since, or (the filter's other reason) a new
			// address: the article moved, its url is the new one.
			out.Changed = append(out.Changed, c)
		}
		return nil
	})
	return out, err
}

// maxSinceDays bounds a "7d"-style duration of ParseSince: 100 years.
const maxSinceDays = 36525

// ParseSince reads a moment as people give one: a day (midnight in
// Vietnam) as ParseDay reads it, an RFC 3339 time, or a duration before
// now ("24h", "7d").
func ParseSince(v string, now time.Time) (time.Time, error) {
	if t, err := ParseInstant(v); err == nil {
		return t, nil
	}
	if day, err := ParseDay(v); err == nil {
		// A day in any of the forms the search's date boxes take
		// (2020-02-28, 28/02/2020, 28.02.2020, 28022020): its midnight
		// in Vietnam, where the archive's readers count their days.
		return time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, vntime.Zone), nil
	}
	if days, ok := strings.CutSuffix(v, "d"); ok {
		// At most a century back: a larger count is a typing slip, and
		// past a few million years the date no longer has an RFC 3339
		// form (or wraps around to the future).
		if n, err := strconv.Atoi(days); err == nil && n > 0 && n <= maxSinceDays {
			return now.AddDate(0, 0, -n), nil
		}
	}
	if d, err := time.ParseDuration(v); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, &ParamError{"want a day (YYYY-MM-DD or DD/MM/YYYY), an RFC 3339 time, or a duration such as 24h or 7d",
		"cần một ngày (28/02/2020 hoặc 2020-02-28), một thời điểm (2020-02-28T08:30:00+07:00) hoặc một khoảng thời gian như 24h hay 7d"}
}

// ParseInstant parses an RFC 3339 time given in a URL's query, also when
// its "+07:00" was typed unescaped into the address bar and so arrives as
// " 07:00".
func ParseInstant(v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil && strings.Count(v, " ") == 1 {
		if t2, err2 := time.Parse(time.RFC3339, strings.Replace(v, " ", "+", 1)); err2 == nil {
			return t2, nil
		}
	}
	return t, err
}
