package crawler

import (
	"context"
	"log/slog"

	"tulieu/extract"
	"tulieu/store"
)

// ReextractCatalog is what Reextract needs of the catalog; *store.Store is
// one.
type ReextractCatalog interface {
	AllArticleIDs(ctx context.Context) ([]string, error)
	Article(ctx context.Context, idOrURL string) (*store.Article, error)
	ArticleCaptures(ctx context.Context, id string) (current int64, versions map[int]int64, err error)
	ArchivedPage(ctx context.Context, captureID int64) (*store.ArchivedPage, error)
	Reextracted(ctx context.Context, id string, current *store.Content, versions map[int]store.Content) (bool, error)
	Reclassify(ctx context.Context, canonicalURL, kind string) (bool, error)
}

// ReextractReport counts what a re-extraction did.
type ReextractReport struct {
	Articles     int `json:"articles"`     // articles and pages looked at
	Changed      int `json:"changed"`      // whose current fields changed
	Reclassified int `json:"reclassified"` // no longer articles (listings, say)
	Failed       int `json:"failed"`       // whose archived page could not be read or parsed
}

// Reextract runs the extractor again over the archived pages every article
// and every version of it came from, and replaces their extracted fields.
// The archive is the source of truth: when the extractor learns better,
// the catalog can be brought up to it without fetching anything again. An
// article whose page no longer prints a breadcrumb keeps its category.
func Reextract(ctx context.Context, cat ReextractCatalog, profiles []extract.Profile, log *slog.Logger) (*ReextractReport, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ids, err := cat.AllArticleIDs(ctx)
	if err != nil {
		return nil, err
	}
	rep := &ReextractReport{}
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		a, err := cat.Article(ctx, id)
		if err != nil {
			return rep, err
		}
		rep.Articles++
		at := func(captureID int64) (*store.Content, string, error) {
			page, err := cat.ArchivedPage(ctx, captureID)
			if err != nil {
				return nil, "", err
			}
			doc, err := extract.Extract(a.URL, page.Body, page.ContentType, extract.Options{Profiles: profiles})
			if err != nil {
				return nil, "", err
			}
			c := contentOf(doc)
			if c.Category == "" {
				c.Breadcrumb, c.Category = a.Breadcrumb, a.Category
			}
			return &c, string(doc.Kind), nil
		}
		current, versions, err := cat.ArticleCaptures(ctx, id)
		if err != nil {
			return rep, err
		}
		cur, kind, err := at(current)
		if err != nil {
			rep.Failed++
			log.Warn("not re-extracted", "url", a.URL, "err", err)
			continue
		}
		if kind != store.KindArticle && kind != store.KindPage {
			if ok, err := cat.Reclassify(ctx, a.URL, kind); err != nil {
				return rep, err
			} else if ok {
				rep.Reclassified++
			}
			continue
		}
		vs := map[int]store.Content{}
		for v, capID := range versions {
			if capID == 0 {
				continue
			}
			if c, _, err := at(capID); err == nil {
				vs[v] = *c
			} else {
				log.Warn("version not re-extracted", "url", a.URL, "version", v, "err", err)
			}
		}
		changed, err := cat.Reextracted(ctx, id, cur, vs)
		if err != nil {
			return rep, err
		}
		if changed {
			rep.Changed++
			log.Info("re-extracted", "url", a.URL)
		}
	}
	return rep, nil
}
