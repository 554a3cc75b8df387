package cli

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"tulieu/index"
	"tulieu/store"
)

// ExportOptions are the flags of `tulieu export`.
type ExportOptions struct {
	Format         string
	Output         string
	Query          string
	Category       string
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

With --query, articles come in relevance order; otherwise newest published first.`,
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
	fl.StringVar(&opts.Format, "format", "jsonl", "jsonl or csv")
	fl.StringVarP(&opts.Output, "output", "o", "-", "output file (- for standard output)")
	fl.StringVar(&opts.Query, "query", "", "only articles matching this search query (see `tulieu search --help`)")
	fl.StringVar(&opts.Category, "category", "", "only this category")
	fl.StringVar(&opts.From, "from", "", "published on or after YYYY-MM-DD")
	fl.StringVar(&opts.To, "to", "", "published on or before YYYY-MM-DD")
	fl.BoolVar(&opts.IncludeDeleted, "include-deleted", false, "also export articles the site has removed")
	fl.BoolVar(&opts.IncludePages, "include-pages", false, "also export static pages (Tổng quan...)")
	return cmd
}

func runExport(ctx context.Context, f *Factory, opts *ExportOptions) error {
	if opts.Format != "jsonl" && opts.Format != "csv" {
		return usageErrorf("--format must be jsonl or csv, not %q", opts.Format)
	}
	from, err := parseDay("from", opts.From)
	if err != nil {
		return err
	}
	to, err := parseDay("to", opts.To)
	if err != nil {
		return err
	}
	st, err := f.OpenStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	filter := store.Filter{Category: opts.Category, From: from, To: to, IncludeDeleted: opts.IncludeDeleted}
	if opts.IncludePages {
		filter.Kinds = []string{store.KindArticle, store.KindPage}
	}
	if opts.Query != "" {
		ids, err := searchAllIDs(ctx, f, st, opts.Query, opts.IncludeDeleted)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			filter.IDs = []string{""} // matches nothing
		} else {
			filter.IDs = ids
		}
	}
	arts, err := st.Articles(ctx, filter)
	if err != nil {
		return err
	}
	return writeFileAtomically(opts.Output, f.IO.Out, func(w io.Writer) error {
		if opts.Format == "csv" {
			return writeCSV(w, arts)
		}
		return writeJSONL(w, arts)
	})
}

// searchAllIDs runs a query over the whole index and returns the matching
// ids in relevance order.
func searchAllIDs(ctx context.Context, f *Factory, st *store.Store, q string, includeDeleted bool) ([]string, error) {
	ix, err := f.OpenSearcher(ctx, st)
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	var ids []string
	const page = index.MaxLimit
	for off := 0; ; off += page {
		res, err := ix.Search(ctx, index.Request{Query: q, Limit: page, Offset: off, IncludeDeleted: includeDeleted})
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if len(res.Hits) < page || uint64(off+page) >= res.Total {
			return ids, nil
		}
	}
}

// writeFileAtomically writes to path through a temporary file renamed into
// place at the end, so an interrupted export never leaves half a file
// where a full one was; "-" writes to stdout.
func writeFileAtomically(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "-" || path == "" {
		bw := bufio.NewWriter(stdout)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriter(tmp)
	if err := write(bw); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func writeJSONL(w io.Writer, arts []store.Article) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range arts {
		if err := enc.Encode(newArticleRecord(&arts[i])); err != nil {
			return err
		}
	}
	return nil
}

var csvHeader = []string{"id", "url", "kind", "title", "author", "author_name", "source", "breadcrumb", "category",
	"published", "body", "images", "attachments", "first_seen", "last_seen", "status", "versions", "sha256"}

func writeCSV(w io.Writer, arts []store.Article) error {
	// The byte order mark is what makes Excel read the file as UTF-8.
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // what Excel writes and expects
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for i := range arts {
		r := newArticleRecord(&arts[i])
		var imgs []string
		for _, im := range r.Images {
			imgs = append(imgs, strings.TrimSpace(im.Src+" "+im.Caption))
		}
		row := []string{r.ID, r.URL, r.Kind, r.Title, r.Author, r.AuthorName, r.Source, strings.Join(r.Breadcrumb, " / "),
			r.Category, r.Published, r.Body, strings.Join(imgs, "\n"), strings.Join(r.Attachments, "\n"),
			r.FirstSeen, r.LastSeen, r.Status, strconv.Itoa(r.Versions), r.SHA256}
		for j, v := range row {
			row[j] = csvSafe(v)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from running a cell as a formula (CSV
// injection): text that starts with = + - @ gets a leading apostrophe,
// which Excel hides. Dates and numbers never start that way here.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
