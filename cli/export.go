package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"tulieu/api"
	"tulieu/export"
	"tulieu/index"
)

// ExportOptions are the flags of `tulieu export`.
type ExportOptions struct {
	Format         string
	Output         string
	Query          string
	Category       string
	Author         string
	From, To       string
	IncludeDeleted bool
	IncludePages   bool
}

// NewCmdExport builds `tulieu export`.
func NewCmdExport(f *Factory, runF func(context.Context, *ExportOptions) error) *cobra.Command {
	opts := &ExportOptions{}
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write a set of articles to JSON Lines or CSV (Excel opens the CSV with Vietnamese intact)",
		Long: `Write articles to a file: all of them, or those matching a query, a category and a date range.

JSON Lines has one object per article: id, url, kind, title, author, author_name, source,
breadcrumb, category, published, body, images [{src, caption}], attachments, first_seen, last_seen,
status, versions, sha256. CSV has the same columns (lists joined with " / ", images as
"src caption" lines) and starts with a UTF-8 byte order mark so Excel reads Vietnamese correctly.

Articles come newest published first. A --query or --author selection is read from the search
index a thousand at a time, so any number of matches can be exported; while tulieu serve runs,
the server writes the file with the same code.`,
		Example: `  tulieu export -o articles.jsonl
  tulieu export --format csv --category "Tin tức chung" --from 2020-01-01 --to 2020-12-31 -o 2020.csv
  tulieu export --query 'đại hội' --format csv -o dai-hoi.csv`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runExport(cmd.Context(), f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Format, "format", "jsonl", strings.Join(export.Formats, " or "))
	fl.StringVarP(&opts.Output, "output", "o", "-", "output file (- for standard output)")
	fl.StringVar(&opts.Query, "query", "", "only articles matching this search query (see `tulieu search --help`)")
	fl.StringVar(&opts.Category, "category", "", "only this category")
	fl.StringVar(&opts.Author, "author", "", "only articles whose byline matches (accents optional)")
	fl.StringVar(&opts.From, "from", "", "published on or after YYYY-MM-DD")
	fl.StringVar(&opts.To, "to", "", "published on or before YYYY-MM-DD")
	fl.BoolVar(&opts.IncludeDeleted, "include-deleted", false, "also export articles the site has removed")
	fl.BoolVar(&opts.IncludePages, "include-pages", false, "also export static pages (Tổng quan...)")
	return cmd
}

func runExport(ctx context.Context, f *Factory, opts *ExportOptions) error {
	if err := export.CheckFormat(opts.Format); err != nil {
		return usageErrorf("--%s", err)
	}
	from, err := parseDay("from", opts.From)
	if err != nil {
		return err
	}
	to, err := parseDay("to", opts.To)
	if err != nil {
		return err
	}
	if len(opts.Query) > index.MaxQueryLength {
		return usageErrorf("--query is %d bytes long; at most %d are accepted", len(opts.Query), index.MaxQueryLength)
	}
	st, err := f.OpenStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	sel := export.Selection{Query: opts.Query, Category: opts.Category, Author: opts.Author, From: from, To: to,
		IncludeDeleted: opts.IncludeDeleted, IncludePages: opts.IncludePages}
	var write func(w io.Writer) (int, error)
	switch {
	case sel.Query == "" && sel.Author == "":
		write = func(w io.Writer) (int, error) { return export.Write(ctx, w, opts.Format, sel, st, nil) }
	default:
		if rs := f.runningServer(ctx, st.Dir()); rs != nil {
			// The server owns the index: it writes the file, with the same
			// code, and this command stores it.
			params := api.EncodeSearch(index.Request{Query: sel.Query, Category: sel.Category, Author: sel.Author,
				From: from, To: to, IncludeDeleted: sel.IncludeDeleted})
			params.Set("format", opts.Format)
			params.Set("pages", "0")
			if sel.IncludePages {
				params.Set("pages", "1")
			}
			write = func(w io.Writer) (int, error) { return -1, rs.export(ctx, params, w) }
			break
		}
		ix, err := f.OpenIndex(ctx, st)
		if errors.Is(err, index.ErrInUse) {
			return fmt.Errorf("the search index is in use by another tulieu process (a crawl updating it, or a reindex); try again when it has finished")
		}
		if err != nil {
			return err
		}
		defer ix.Close()
		write = func(w io.Writer) (int, error) { return export.Write(ctx, w, opts.Format, sel, st, ix) }
	}
	n := 0
	err = export.WriteFile(opts.Output, f.IO.Out, func(w io.Writer) error {
		var err error
		n, err = write(w)
		return err
	})
	if err != nil {
		return err
	}
	if n >= 0 {
		f.Logger().Info("exported", "articles", n, "format", opts.Format, "to", opts.Output)
	}
	return nil
}
