package api

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"tulieu/store"
	"tulieu/warc"
)

// Stats summarizes an archive, as `stats --json` and GET /api/stats give it.
type Stats struct {
	DataDir       string           `json:"data_dir"`
	Articles      int64            `json:"articles"`
	Pages         int64            `json:"pages"`
	Deleted       int64            `json:"deleted"`
	Versions      int64            `json:"versions"`
	Captures      int64            `json:"captures"`
	Runs          int64            `json:"runs"`
	Categories    map[string]int64 `json:"categories"`
	WARCFiles     int              `json:"warc_files"`
	WARCBytes     int64            `json:"warc_bytes"`
	IndexedDocs   *uint64          `json:"indexed_documents,omitempty"`
	IndexNote     string           `json:"index_note,omitempty"`
	SchemaVersion int              `json:"schema_version"`
	Extraction    string           `json:"extraction"` // what the articles were read with (extract.Setup); "" before it was recorded
	ChangeSeq     int64            `json:"change_seq"`
	FirstSeen     string           `json:"first_seen"` // the earliest first sight of an article
	LastSeen      string           `json:"last_seen"`  // the latest sight of one
	LastRun       *Run             `json:"last_run"`
}

// Run is a crawl run's summary: when, how it ended, and its counts.
type Run struct {
	RunID    int64  `json:"run_id"`
	Started  string `json:"started"`
	Finished string `json:"finished"`
	Status   string `json:"status"`
	Note     string `json:"note"`
	store.Counts
}

// IndexCounter tells how many documents the search index holds;
// *index.Index is one.
type IndexCounter interface {
	Count() (uint64, error)
}

// NewStats counts what the archive in st holds. ix is the open index, or
// nil when it cannot be counted; note then says why.
func NewStats(ctx context.Context, st *store.Store, ix IndexCounter, note string) (*Stats, error) {
	s, err := st.Stats(ctx)
	if err != nil {
		return nil, err
	}
	// Absolute: the same document whether a server (started elsewhere)
	// or this process counts, and meaningful from any directory.
	dir, err := filepath.Abs(st.Dir())
	if err != nil {
		dir = st.Dir()
	}
	out := &Stats{DataDir: dir, Articles: s.Articles, Pages: s.Pages, Deleted: s.Deleted, Versions: s.Versions,
		Captures: s.Captures, Runs: s.Runs, Categories: s.Categories, SchemaVersion: s.SchemaVer, ChangeSeq: s.ChangeSeq,
		FirstSeen: wholeSeconds(s.FirstSeen), LastSeen: wholeSeconds(s.LastSeen), IndexNote: note}
	if out.Extraction, err = st.ExtractionSetup(ctx); err != nil {
		return nil, err
	}
	files, err := warc.Files(st.WARCPath())
	if err != nil {
		return nil, err
	}
	out.WARCFiles = len(files)
	for _, p := range files {
		if fi, err := os.Stat(p); err == nil {
			out.WARCBytes += fi.Size()
		}
	}
	if ix != nil {
		n, err := ix.Count()
		if err != nil {
			return nil, err
		}
		out.IndexedDocs = &n
	}
	if r := s.LastRun; r != nil {
		out.LastRun = &Run{RunID: r.ID, Started: RFC3339(r.Started), Finished: RFC3339(r.Finished), Status: r.Status,
			Note: r.Note, Counts: r.Counts}
	}
	return out, nil
}

// wholeSeconds is a catalog time (RFC 3339 with fractions of a second)
// as the API writes every other time: RFC3339, to the second.
func wholeSeconds(s string) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	return RFC3339(t)
}
