package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"tulieu/index"
)

// ReindexOptions are the flags of `tulieu reindex` (none yet).
type ReindexOptions struct{}

// NewCmdReindex builds `tulieu reindex`.
func NewCmdReindex(f *Factory, runF func(context.Context, *ReindexOptions) error) *cobra.Command {
	opts := &ReindexOptions{}
	return &cobra.Command{
		Use:   "reindex",
		Short: "Rebuild the search index from the catalog",
		Long: `Delete the search index and build it again from the catalog, which is the source of truth.
An index that is damaged, or was built by a tulieu that analyzed text another way, is rebuilt by
the first command that opens it: run this to rebuild by hand (after restoring the catalog alone
from a backup, say) or to time the build.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			softMemoryLimit(f.Getenv, reindexMemoryLimit)
			return runReindex(cmd.Context(), f, opts)
		},
	}
}

func runReindex(ctx context.Context, f *Factory, _ *ReindexOptions) error {
	st, err := f.OpenStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	// Never delete an index another process is using: ask it first.
	if f.runningServer(ctx, st.Dir()) != nil {
		return indexBusy("a running tulieu serve holds the search index; stop it, then reindex")
	}
	// (RemoveUnused refuses an index another process has open; it reads
	// nothing else of the old index.)
	if err := index.RemoveUnused(st.IndexPath()); errors.Is(err, index.ErrInUse) {
		return errIndexBusy
	} else if err != nil {
		return fmt.Errorf("remove old index: %w", err)
	}
	ix, err := f.OpenIndex(ctx, st)
	if err != nil {
		return err
	}
	defer ix.Close()
	n, err := ix.Count()
	if err != nil {
		return err
	}
	fmt.Fprintf(f.IO.Out, "reindexed %s in %s\n", count(int(n), "article or page", "articles and pages"), time.Since(start).Round(time.Millisecond))
	return nil
}
