package cli

import (
	"context"
	"iter"
	"log/slog"
	"slices"

	"tulieu/index"
	"tulieu/store"
)

// catchUpChunk is the number of changed articles read from the catalog
// and given to the index at a time (each shard's half a bleve batch).
// Building a batch's segment costs about fifteen times its text in heap,
// so the chunk bounds the memory of every index update, a crawl's and a
// full reindex's alike. Measured (crawlbench, reindex of 50 000
// articles, BENCHMARKS.md): chunks of 2000 took a 20 000-page crawl to
// 812 MiB and a reindex to 1.8 GB; chunks of 250, 211 MiB and 390 MB,
// the crawl no slower and the reindex 25 % slower (44 s instead of 35).
const catchUpChunk = 250

// catchUp applies to the index every catalog change it has not seen, in
// change-sequence order, and returns how many articles it (re)indexed. The
// index remembers the last sequence applied, so an interrupted catch-up
// resumes where it stopped.
func catchUp(ctx context.Context, st *store.Store, ix *index.Index, log *slog.Logger) (int, error) {
	return catchUpBounded(ctx, st, ix, mergeResident, log)
}

// catchUpBounded is catchUp with the bound on the index's pages a merge
// after it may keep resident (see mergeAfterCatchUp); 0 for none.
func catchUpBounded(ctx context.Context, st *store.Store, ix *index.Index, maxResident int64, log *slog.Logger) (int, error) {
	seq, err := ix.Seq()
	if err != nil {
		return 0, err
	}
	if seq > 0 {
		cseq, err := st.Seq(ctx)
		if err != nil {
			return 0, err
		}
		if seq > cseq {
			// The index has applied changes the catalog does not have: the
			// catalog was restored from an older copy. Only what it holds
			// counts: what else the index has goes, and everything is
			// indexed again.
			log.Warn("the search index is ahead of the catalog (restored from an older copy?); indexing the catalog again",
				"index_seq", seq, "catalog_seq", cseq)
			if err := dropExtraDocuments(ctx, st, ix); err != nil {
				return 0, err
			}
			// Recorded at once: with nothing in the catalog to index
			// again, the next catch-up must not find the index ahead.
			seq = 0
			if err := ix.SetSeq(0); err != nil {
				return 0, err
			}
		}
	}
	// The addresses articles moved to, whose own articles were merged
	// into them (store.MoveArticle): their documents go.
	from := seq
	dropMerged := func() error {
		merged, err := st.AliasesSince(ctx, from)
		if err != nil {
			return err
		}
		return ix.Delete(ctx, merged...)
	}
	if err := dropMerged(); err != nil {
		return 0, err
	}
	// The segments the chunks make are mapped as they are written; an
	// index being built (index.OpenToBuild) keeps more of them at a time.
	defer ix.BoundResident(ctx, maxResident)()
	total := 0
	for c := range readChanges(ctx, st, seq) {
		if c.err != nil {
			return total, c.err
		}
		if err := ix.Put(ctx, c.docs...); err != nil {
			return total, err
		}
		if err := ix.Delete(ctx, c.gone...); err != nil {
			return total, err
		}
		seq = c.seq
		if err := ix.SetSeq(seq); err != nil {
			return total, err
		}
		total += c.articles
	}
	// Again: a merge committed while the loop read the changes has a
	// sequence the index is now past.
	if err := dropMerged(); err != nil {
		return total, err
	}
	if total > 0 {
		mergeAfterCatchUp(ctx, ix, total, maxResident, log)
		log.Debug("search index updated", "articles", total, "seq", seq)
	}
	return total, nil
}

// changes is one chunk of the catalog's changes, as the index takes them.
type changes struct {
	docs     []index.Document
	gone     []string // reclassified: listings now
	articles int      // read, docs and gone together
	seq      int64    // the last change of the chunk
	err      error
}

// readChanges reads the catalog's changes after seq a chunk at a time,
// one chunk ahead of the index: the index no longer waits for the
// catalog's reads and its attachments' texts (in a 20 000-page crawl's
// catch-up, 10 of every 65 ms a chunk took). The chunks end at the last
// change, or after one with err; the reads stop when ctx is done or when
// the caller stops ranging.
func readChanges(ctx context.Context, st *store.Store, seq int64) iter.Seq[changes] {
	return func(yield func(changes) bool) {
		ctx, cancel := context.WithCancel(ctx)
		out := make(chan changes)
		done := make(chan struct{})
		go func() {
			defer close(done)
			defer close(out)
			for {
				c := readChunk(ctx, st, seq)
				if c.err == nil && c.articles == 0 {
					return
				}
				select {
				case out <- c:
				case <-ctx.Done():
					return
				}
				if c.err != nil {
					return
				}
				seq = c.seq
			}
		}()
		// The reader is gone before the caller goes on: it may close the
		// catalog next.
		defer func() { cancel(); <-done }()
		for c := range out {
			if !yield(c) {
				return
			}
		}
	}
}

// readChunk reads the catalog's next catchUpChunk changes after seq.
func readChunk(ctx context.Context, st *store.Store, seq int64) changes {
	arts, err := st.ChangedSince(ctx, seq, catchUpChunk)
	if err != nil || len(arts) == 0 {
		return changes{err: err}
	}
	c := changes{docs: make([]index.Document, 0, len(arts)), articles: len(arts), seq: arts[len(arts)-1].Seq}
	for i := range arts {
		if arts[i].Kind != store.KindArticle && arts[i].Kind != store.KindPage {
			c.gone = append(c.gone, arts[i].ID) // reclassified: a listing now
			continue
		}
		d := indexDocument(&arts[i])
		if d.Files, err = attachedFiles(ctx, st, &arts[i]); err != nil {
			return changes{err: err}
		}
		c.docs = append(c.docs, d)
	}
	return c
}

// mergeAllShare: a catch-up that (re)indexed at least this share of the
// index (a reindex, a first crawl, a large re-extraction) is a build, and
// the index is merged into one segment per shard (index.MergeAll).
const mergeAllShare = 0.25

// mergeResident bounds the index's pages a merge after a catch-up keeps
// resident (see index.MergeAll): the crawl's own bound is 250 MB at 50 000
// articles. A server passes its own bound instead (catchUpBounded).
const mergeResident = 64 << 20

// segmentMerger is what mergeAfterCatchUp needs of the index.
type segmentMerger interface {
	Count() (uint64, error)
	MergeAll(ctx context.Context, maxResident int64) error
	Compact(ctx context.Context) error
}

// mergeAfterCatchUp merges the segments a catch-up of total articles
// left: all of them after a build, the small ones after a nightly crawl
// (each chunk of a catch-up made a small segment in every shard). Either
// way searches then open each word in fewer segments. A merge that fails
// loses nothing; searches are a little slower until one succeeds.
func mergeAfterCatchUp(ctx context.Context, ix segmentMerger, total int, maxResident int64, log *slog.Logger) {
	n, err := ix.Count()
	if err == nil && float64(total) >= mergeAllShare*float64(n) {
		if err := ix.MergeAll(ctx, maxResident); err != nil && ctx.Err() == nil {
			log.Warn("search index: segments not merged; searches are a little slower until they are", "err", err)
		}
		return
	}
	if err := ix.Compact(ctx); err != nil && ctx.Err() == nil {
		log.Warn("search index: small segments not merged; searches are a little slower until they are", "err", err)
	}
}

// indexDocument is what the index is given of an article: its own text
// only, never the page around it.
func indexDocument(a *store.Article) index.Document {
	d := index.Document{
		ID: a.ID, URL: a.URL, Title: a.Title, Body: a.Body, Author: a.Author, AuthorName: a.AuthorName,
		Breadcrumb: a.Breadcrumb, Category: a.Category, Published: a.Published, Status: a.Status,
	}
	for _, im := range a.Images {
		if im.Caption != "" {
			d.Captions = append(d.Captions, im.Caption)
		}
	}
	return d
}

// attachedFiles are the texts read from the documents an article
// attaches, in the order it lists them.
func attachedFiles(ctx context.Context, st *store.Store, a *store.Article) ([]index.File, error) {
	if len(a.Attachments) == 0 {
		return nil, nil
	}
	urls := a.AttachmentURLs()
	texts, err := st.AttachmentTexts(ctx, urls)
	if err != nil {
		return nil, err
	}
	var out []index.File
	for _, u := range urls {
		if t, ok := texts[u]; ok && t.Text != "" {
			out = append(out, index.File{Name: store.AttachmentName(u), Text: t.Text})
		}
	}
	return out, nil
}

// dropExtraDocuments deletes from the index every document the catalog
// does not list as indexed (what check reports as "not in the catalog").
func dropExtraDocuments(ctx context.Context, st *store.Store, ix *index.Index) error {
	want, err := st.IndexedIDs(ctx)
	if err != nil {
		return err
	}
	have, err := indexDocumentIDs(ctx, ix)
	if err != nil {
		return err
	}
	_, extra := sortedDiff(want, have)
	return ix.Delete(ctx, extra...)
}

// indexDocumentIDs lists every document the index holds, deleted ones
// included, sorted.
func indexDocumentIDs(ctx context.Context, ix *index.Index) ([]string, error) {
	var have []string
	err := ix.MatchIDs(ctx, index.Request{IncludeDeleted: true}, func(ids []string) error {
		have = append(have, ids...)
		return nil
	})
	slices.Sort(have)
	return have, err
}
