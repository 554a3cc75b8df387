package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"

	"tulieu/index"

	"github.com/spf13/cobra"

	"tulieu/warc"
)

// StatsOptions are the flags of `tulieu stats`.
type StatsOptions struct{ JSON bool }

// NewCmdStats builds `tulieu stats`.
func NewCmdStats(f *Factory, runF func(context.Context, *StatsOptions) error) *cobra.Command {
	opts := &StatsOptions{}
	cmd := &cobra.Command{
		Use:     "stats",
		Short:   "Summarize the archive: articles, versions, captures, WARC files, the last crawl",
		Example: "  tulieu stats\n  tulieu stats --json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runStats(cmd.Context(), f, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the statistics as JSON")
	return cmd
}

type statsOutput struct {
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
	ChangeSeq     int64            `json:"change_seq"`
	FirstSeen     string           `json:"first_seen"` // the earliest first sight of an article
	LastSeen      string           `json:"last_seen"`  // the latest sight of one
	LastRun       any              `json:"last_run"`
}

func runStats(ctx context.Context, f *Factory, opts *StatsOptions) error {
	st, err := f.OpenStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := st.Stats(ctx)
	if err != nil {
		return err
	}
	out := statsOutput{DataDir: st.Dir(), Articles: s.Articles, Pages: s.Pages, Deleted: s.Deleted, Versions: s.Versions,
		Captures: s.Captures, Runs: s.Runs, Categories: s.Categories, SchemaVersion: s.SchemaVer, ChangeSeq: s.ChangeSeq,
		FirstSeen: s.FirstSeen, LastSeen: s.LastSeen}
	files, err := warc.Files(st.WARCPath())
	if err != nil {
		return err
	}
	out.WARCFiles = len(files)
	for _, p := range files {
		if fi, err := os.Stat(p); err == nil {
			out.WARCBytes += fi.Size()
		}
	}
	var ix *index.Index
	if runningServer(ctx, st.Dir()) != nil {
		err = index.ErrInUse
	} else {
		ix, err = f.OpenIndex(ctx, st)
	}
	switch {
	case errors.Is(err, index.ErrInUse):
		out.IndexNote = "in use by a running tulieu serve"
	case err != nil:
		return err
	default:
		n, err := ix.Count()
		ix.Close()
		if err != nil {
			return err
		}
		out.IndexedDocs = &n
	}
	if r := s.LastRun; r != nil {
		out.LastRun = map[string]any{"run_id": r.ID, "started": rfc3339(r.Started), "finished": rfc3339(r.Finished),
			"status": r.Status, "note": r.Note, "fetched": r.Fetched, "new": r.New, "changed": r.Changed,
			"unchanged": r.Unchanged, "deleted": r.Deleted, "errors": r.Errors, "bytes": r.Bytes}
	}
	if opts.JSON {
		enc := json.NewEncoder(f.IO.Out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	w := f.IO.Out
	fmt.Fprintf(w, "Archive %s\n", out.DataDir)
	fmt.Fprintf(w, "  articles  %d live, %d deleted, %d versions; %d static pages\n", out.Articles, out.Deleted, out.Versions, out.Pages)
	fmt.Fprintf(w, "  captures  %d in %d WARC files (%s)\n", out.Captures, out.WARCFiles, humanBytes(out.WARCBytes))
	if out.FirstSeen != "" {
		fmt.Fprintf(w, "  seen      from %s to %s\n", out.FirstSeen, out.LastSeen)
	}
	if out.IndexedDocs != nil {
		fmt.Fprintf(w, "  index     %d documents (catalog change %d)\n", *out.IndexedDocs, out.ChangeSeq)
	} else {
		fmt.Fprintf(w, "  index     %s (catalog change %d)\n", out.IndexNote, out.ChangeSeq)
	}
	cats := make([]string, 0, len(out.Categories))
	for c := range out.Categories {
		cats = append(cats, c)
	}
	slices.Sort(cats)
	for _, c := range cats {
		name := c
		if name == "" {
			name = "(no category)"
		}
		fmt.Fprintf(w, "  %6d  %s\n", out.Categories[c], name)
	}
	if r := s.LastRun; r != nil {
		fmt.Fprintf(w, "Last crawl: run %d %s, started %s: fetched %d, new %d, changed %d, unchanged %d, deleted %d, errors %d\n",
			r.ID, r.Status, rfc3339(r.Started), r.Fetched, r.New, r.Changed, r.Unchanged, r.Deleted, r.Errors)
	} else {
		fmt.Fprintln(w, "No crawl has run yet.")
	}
	return nil
}
