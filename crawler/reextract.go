package crawler

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"tulieu/attach"
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
	// LinkedCapture is the last good capture of the document a link
	// leads to, through the redirects archived for it.
	LinkedCapture(ctx context.Context, link string) (*store.Capture, error)
	SaveAttachmentText(ctx context.Context, t store.AttachmentText) error
	AttachmentTexts(ctx context.Context, urls []string) (map[string]store.AttachmentText, error)
}

// ReextractReport counts what a re-extraction did.
type ReextractReport struct {
	Articles     int `json:"articles"`     // articles and pages looked at
	Changed      int `json:"changed"`      // whose current fields changed
	Reclassified int `json:"reclassified"` // no longer articles (listings, say)
	Failed       int `json:"failed"`       // whose archived page could not be read or parsed
	// Attachments are the attached documents whose text was read again
	// from the archive; AttachmentErrors those that could not be.
	Attachments      int `json:"attachments"`
	AttachmentErrors int `json:"attachment_errors"`
}

// Reextract runs the extractor again over the archived pages every article
// and every version of it came from, and replaces their extracted fields.
// The archive is the source of truth: when the extractor learns better,
// the catalog can be brought up to it without fetching anything again. An
// article whose page no longer prints a breadcrumb keeps its category.
func Reextract(ctx context.Context, cat ReextractCatalog, profiles []extract.Profile, docs attach.Options, log *slog.Logger) (*ReextractReport, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ids, err := cat.AllArticleIDs(ctx)
	if err != nil {
		return nil, err
	}
	rep := &ReextractReport{}
	var attachments []string
	seenAttachment := map[string]bool{}
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		a, err := cat.Article(ctx, id)
		if err != nil {
			return rep, err
		}
		rep.Articles++
		for _, x := range a.Attachments {
			if !seenAttachment[x.URL] {
				seenAttachment[x.URL] = true
				attachments = append(attachments, x.URL)
			}
		}
		at := func(captureID int64) (*store.Content, string, error) {
			page, err := cat.ArchivedPage(ctx, captureID)
			if err != nil {
				return nil, "", err
			}
			// Read against the URL it was fetched at, as the crawl read
			// it: a page reached through its print version resolves
			// its relative links there, not at its canonical URL.
			base := a.URL
			if page.Capture != nil && page.Capture.URL != "" {
				base = page.Capture.URL
			}
			doc, err := extract.Extract(base, page.Body, page.ContentType, extract.Options{Profiles: profiles})
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
		if err != nil && ctx.Err() != nil {
			return rep, ctx.Err() // stopped: not a page that failed
		}
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
			} else if ctx.Err() != nil {
				return rep, ctx.Err()
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
	// The attached documents, read again from their latest captures.
	for _, u := range attachments {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		c, err := cat.LinkedCapture(ctx, u)
		if errors.Is(err, store.ErrNotFound) || c == nil {
			continue // linked, never archived
		}
		if err != nil {
			return rep, err
		}
		// Recorded under the address it was fetched at, as the crawl
		// records it.
		t := store.AttachmentText{CaptureID: c.ID, URL: c.URL, ExtractedAt: time.Now().UTC()}
		if c.Truncated != "" {
			t.Error = "the document was cut at the size limit (" + c.Truncated + "); its text is not read"
		} else if page, err := cat.ArchivedPage(ctx, c.ID); err != nil {
			t.Error = err.Error()
		} else if r, err := docs.Text(ctx, u, page.Body); errors.Is(err, attach.ErrUnsupported) {
			continue
		} else if err != nil {
			t.Error = err.Error()
		} else {
			t.Reader, t.Text = r.Reader, r.Text
		}
		if t.Error != "" {
			rep.AttachmentErrors++
			// A text read before from these very bytes stays: a record
			// damaged since, or a program missing on this machine, must
			// not replace it with an error (TestReextractKeepsAttachmentText).
			prev, err := cat.AttachmentTexts(ctx, []string{u})
			if err != nil {
				return rep, err
			}
			if p, ok := prev[u]; ok && p.CaptureID == c.ID && p.Error == "" && p.Text != "" {
				log.Warn("attachment text not read again; the text read before is kept", "url", u, "err", t.Error)
				continue
			}
			log.Warn("attachment text not read", "url", u, "err", t.Error)
		} else {
			rep.Attachments++
		}
		if err := cat.SaveAttachmentText(ctx, t); err != nil {
			return rep, err
		}
	}
	return rep, nil
}
