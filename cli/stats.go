package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"tulieu/api"
	"tulieu/index"
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

func runStats(ctx context.Context, f *Factory, opts *StatsOptions) error {
	st, err := f.OpenStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	var out *api.Stats
	if rs := f.runningServer(ctx, st.Dir()); rs != nil {
		// The server holds the index: its count is the one to give, and
		// its answer is the same document.
		if out, err = rs.Stats(ctx); err != nil {
			return err
		}
	} else {
		ix, err := f.OpenIndex(ctx, st)
		switch {
		case errors.Is(err, index.ErrInUse):
			out, err = api.NewStats(ctx, st, nil, "in use by another tulieu process")
		case err != nil:
			return err
		default:
			out, err = api.NewStats(ctx, st, ix, "")
			ix.Close()
		}
		if err != nil {
			return err
		}
	}
	if opts.JSON {
		return api.Encode(f.IO.Out, out)
	}
	w := f.IO.Out
	fmt.Fprintf(w, "Archive %s\n", out.DataDir)
	// (deleted counts the articles and static pages taken down alike.)
	fmt.Fprintf(w, "  articles  %d live, %s; %s; %d taken down (articles and pages)\n", out.Articles,
		count(int(out.Versions), "version", "versions"), count(int(out.Pages), "static page", "static pages"), out.Deleted)
	fmt.Fprintf(w, "  captures  %d in %d WARC files (%s)\n", out.Captures, out.WARCFiles, humanBytes(out.WARCBytes))
	if out.FirstSeen != "" {
		fmt.Fprintf(w, "  seen      from %s to %s\n", api.ReadableTime(out.FirstSeen), api.ReadableTime(out.LastSeen))
	}
	if out.IndexedDocs != nil {
		fmt.Fprintf(w, "  index     %d documents (catalog change %d)\n", *out.IndexedDocs, out.ChangeSeq)
	} else {
		fmt.Fprintf(w, "  index     %s (catalog change %d)\n", out.IndexNote, out.ChangeSeq)
	}
	if out.Extraction != "" {
		fmt.Fprintf(w, "  extraction %s\n", out.Extraction)
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
	if r := out.LastRun; r != nil {
		fmt.Fprintf(w, "Last crawl: run %d %s, started %s: fetched %d, new %d, changed %d, unchanged %d, deleted %d, errors %d%s\n",
			r.RunID, r.Status, api.ReadableTime(r.Started), r.Fetched, r.New, r.Changed, r.Unchanged, r.Deleted, r.Errors, notDueNote(r.NotDue))
		if r.Note != "" {
			// Why it failed or was interrupted.
			fmt.Fprintf(w, "  %s\n", r.Note)
		}
	} else {
		fmt.Fprintln(w, "No crawl has run yet.")
	}
	return nil
}
