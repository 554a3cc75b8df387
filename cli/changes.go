package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"tulieu/api"
)

// ChangesOptions are the flags of `tulieu changes`.
type ChangesOptions struct {
	Since    string
	Category string
	JSON     bool
}

// NewCmdChanges builds `tulieu changes`.
func NewCmdChanges(f *Factory, runF func(context.Context, *ChangesOptions) error) *cobra.Command {
	opts := &ChangesOptions{}
	cmd := &cobra.Command{
		Use:   "changes --since 24h|DATE",
		Short: "List the articles new, changed and deleted since a time: a morning report",
		Long: `List the articles (and static pages) the archive saw appear, change or disappear since a time:
a date (midnight in Vietnam), an RFC 3339 time, or a duration ago (24h, 7d). --json prints the same
document as GET /api/changes?since=…; the page's Atom feed (/feed.atom) carries the same changes.`,
		Example: "  tulieu changes --since 24h\n  tulieu changes --since 2026-12-01 --category \"Tin tức chung\" --json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runChanges(cmd.Context(), f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Since, "since", "24h", "since when: a day (YYYY-MM-DD or DD/MM/YYYY, from its midnight in Vietnam), an RFC 3339 time, or a duration ago (24h, 7d)")
	cmd.Flags().StringVar(&opts.Category, "category", "", "only this category")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the changes as JSON")
	return cmd
}

func runChanges(ctx context.Context, f *Factory, opts *ChangesOptions) error {
	now := time.Now()
	since, err := api.ParseSince(opts.Since, now)
	if err != nil {
		return usageErrorf("--since %q: %v", opts.Since, err)
	}
	st, err := f.OpenStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	ch, err := api.NewChanges(ctx, st, since, now, opts.Category)
	if err != nil {
		return err
	}
	if opts.JSON {
		return api.Encode(f.IO.Out, ch)
	}
	w := f.IO.Out
	fmt.Fprintf(w, "Since %s: %d new, %d changed, %d deleted\n", api.ReadableTime(ch.Since), len(ch.New), len(ch.Changed), len(ch.Deleted))
	for _, part := range []struct {
		name string
		list []api.Change
	}{{"New", ch.New}, {"Changed", ch.Changed}, {"Deleted", ch.Deleted}} {
		if len(part.list) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s\n", part.name)
		for _, c := range part.list {
			fmt.Fprintf(w, "  %s  %s\n      %s  (id %s, versions: %d)\n", c.Published[:min(10, len(c.Published))], c.Title, c.URL, c.ID, c.Versions)
		}
	}
	return nil
}
