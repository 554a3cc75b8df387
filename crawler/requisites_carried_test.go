package crawler

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"tulieu/internal/fixturesite"
	"tulieu/store"
)

// countingCatalog counts the look-ups of a page's requisites that a
// crawl makes after the page answered.
type countingCatalog struct {
	*store.Store
	lookups atomic.Int64
}

func (c *countingCatalog) RequisitesOfPage(ctx context.Context, pageCaptureID int64) ([]string, bool, error) {
	c.lookups.Add(1)
	return c.Store.RequisitesOfPage(ctx, pageCaptureID)
}

func (c *countingCatalog) PageRequisites(ctx context.Context, capture *store.Capture) ([]string, int64, bool, error) {
	c.lookups.Add(1)
	return c.Store.PageRequisites(ctx, capture)
}

// TestUnchangedPagesRequisitesComeWithTheirRevalidation: on a re-crawl,
// the requisites of a page that answers 304 come with what the catalog
// said of the page before asking for it (store.Revalidate), not from a
// look-up of their own after the answer; they are asked again all the
// same, and every article is counted unchanged and stamped with the
// night it was seen.
func TestUnchangedPagesRequisitesComeWithTheirRevalidation(t *testing.T) {
	site, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	dir := t.TempDir()
	crawl := func() (*Summary, int64) {
		t.Helper()
		var cat *countingCatalog
		sum, err := crawlWithCatalog(t, context.Background(), dir, srv.URL+"/", Options{Parallel: 4}, func(st *store.Store) Catalog {
			cat = &countingCatalog{Store: st}
			return cat
		})
		if err != nil {
			t.Fatal(err)
		}
		return sum, cat.lookups.Load()
	}
	first, _ := crawl()
	if first.New == 0 || first.Requisites == 0 {
		t.Fatalf("first crawl: %+v; the test needs articles with requisites", first)
	}
	before := len(site.Requests())
	night := time.Now()
	again, lookups := crawl()
	if again.Unchanged != first.New || again.New != 0 || again.Changed != 0 {
		t.Fatalf("second crawl: %+v, want the %d articles unchanged", again, first.New)
	}
	if lookups != 0 {
		t.Errorf("the re-crawl looked up the requisites of answered pages %d times, want none", lookups)
	}
	st, err := store.Open(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	arts, err := st.Articles(context.Background(), store.Filter{})
	if err != nil || len(arts) == 0 {
		t.Fatalf("articles: %d, %v", len(arts), err)
	}
	for _, a := range arts {
		if a.Status == store.StatusLive && a.LastSeen.Before(night) { // kept to the microsecond
			t.Errorf("%s last seen %s, before the second night (%s)", a.URL, a.LastSeen, night)
		}
	}
	banner := 0
	for _, r := range site.Requests()[before:] {
		if r.Path == "/templates/images/banner.jpg" {
			banner++
			if r.Header.Get("If-None-Match") == "" || r.Status != 304 {
				t.Errorf("banner asked again without its validators, or answered %d", r.Status)
			}
		}
	}
	if banner != 1 {
		t.Errorf("the banner was asked %d times on the re-crawl, want once", banner)
	}
}
