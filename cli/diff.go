package cli

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"tulieu/api"
	"tulieu/textdiff"
)

// DiffOptions are the flags and arguments of `tulieu diff`.
type DiffOptions struct {
	Ref      string
	From, To int // 0: the default (the one before the last, the last)
	JSON     bool
}

// NewCmdDiff builds `tulieu diff`.
func NewCmdDiff(f *Factory, runF func(context.Context, *DiffOptions) error) *cobra.Command {
	opts := &DiffOptions{}
	cmd := &cobra.Command{
		Use:   "diff [--json] ID|URL [V1 [V2]]",
		Short: "Show how an article changed between two versions, word by word",
		Long: `Show how an article changed between two of its versions (by default the one before the last
and the last; V1 alone against the last): the fields that changed (title, author, date, category…) and a word-level diff of
the body, [-removed-] and {+added+}. --json prints the same document as
GET /api/articles/ID/diff?a=V1&b=V2 (and ?a=V1 the same as ` + "`diff ID V1`" + `). The versions are listed by ` + "`tulieu show --versions`" + `.`,
		Example: "  tulieu diff 3f2a9c1d0b7e4a55\n  tulieu diff 3f2a9c1d0b7e4a55 1 3\n  tulieu diff --json http://danguykhoithanhhoa.org.vn/tin-tuc/tu-lieu/cac-ky-dai-hoi-dang-bo-khoi-10.html",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 1 || len(args) > 3 {
				return usageErrorf("tulieu diff takes an article id or URL, and optionally one or two version numbers (see `tulieu diff --help`)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ref = args[0]
			if len(args) > 1 {
				for i, a := range args[1:] {
					n, err := strconv.Atoi(a)
					if err != nil || n < 1 {
						return usageErrorf("version %q: want a version number (see `tulieu show --versions`)", a)
					}
					if i == 0 {
						opts.From = n
					} else {
						opts.To = n
					}
				}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runDiff(cmd.Context(), f, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the diff as JSON")
	return cmd
}

func runDiff(ctx context.Context, f *Factory, opts *DiffOptions) error {
	st, err := f.OpenStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	a, err := findArticle(ctx, st, opts.Ref)
	if err != nil {
		return err
	}
	versions, err := st.Versions(ctx, a.ID)
	if err != nil {
		return err
	}
	va, vb, err := api.PickVersions(versions, opts.From, opts.To)
	if err != nil {
		return usageErrorf("%v", err)
	}
	d := api.NewDiff(a.ID, va, vb)
	if opts.JSON {
		return api.Encode(f.IO.Out, d)
	}
	w := f.IO.Out
	fmt.Fprintf(w, "%s\n%s\nversion %d (%s) → version %d (%s): %s added, %d removed\n", a.Title, a.URL,
		d.From, api.ReadableTime(d.FromSeen), d.To, api.ReadableTime(d.ToSeen), count(d.Inserted, "word", "words"), d.Deleted)
	if len(versions) < 2 {
		fmt.Fprintln(w, "\nThe article has one version: nothing to compare.")
		return nil
	}
	for _, fc := range d.Fields {
		fmt.Fprintf(w, "%-12s %q → %q\n", fc.Field+":", fc.Old, fc.New)
	}
	fmt.Fprintf(w, "\n%s\n", textdiff.Unified(d.TextOps()))
	return nil
}
