package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"tulieu/api"
	"tulieu/index"
)

// SearchOptions are the flags and arguments of `tulieu search`.
type SearchOptions struct {
	Query          string
	JSON           bool
	Limit, Offset  int
	Category       string
	Author         string
	From, To       string
	Sort           string
	IncludeDeleted bool
	Facets         bool
}

// NewCmdSearch builds `tulieu search`.
func NewCmdSearch(f *Factory, runF func(context.Context, *SearchOptions) error) *cobra.Command {
	opts := &SearchOptions{}
	cmd := &cobra.Command{
		Use:   "search [flags] [QUERY...]",
		Short: "Search the archived articles in Vietnamese, with or without diacritics",
		Long:  "Search the archived articles. \"thanh hoa\" finds \"Thanh Hóa\"; \"hoà\" and \"hòa\" are the same word.\n\n" + index.QueryHelp,
		Example: `  tulieu search thanh hoa
  tulieu search '"sinh hoạt chi bộ" -covid' --sort newest --limit 20
  tulieu search --json --category "Tin tức chung" --from 2020-01-01 đại hội
  tulieu search --author "Đào Thị Thủy" --sort newest          # no query: every article the filter selects`,
		Args: func(cmd *cobra.Command, args []string) error {
			// With a filter, no query lists what it selects, as the
			// API does without q (an empty query, `tulieu search ""`).
			if len(args) == 0 && len(searchFilters(opts)) == 0 {
				return usageErrorf("tulieu search needs a query or a filter, e.g. `tulieu search thanh hoa` or `tulieu search --category \"Tin tức chung\"` (see `tulieu search --help`)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Query = strings.Join(args, " ")
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runSearch(cmd.Context(), f, opts)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&opts.JSON, "json", false, "print the results as JSON")
	fl.IntVar(&opts.Limit, "limit", 10, "results per page")
	fl.IntVar(&opts.Offset, "offset", 0, "results to skip")
	fl.StringVar(&opts.Category, "category", "", "only this category, whole, as the facet shows it (the last item of an article's path)")
	fl.StringVar(&opts.Author, "author", "", "only articles whose byline matches")
	fl.StringVar(&opts.From, "from", "", "published on or after this day (YYYY-MM-DD or DD/MM/YYYY)")
	fl.StringVar(&opts.To, "to", "", "published on or before this day (YYYY-MM-DD or DD/MM/YYYY)")
	fl.StringVar(&opts.Sort, "sort", "relevance", "relevance, newest or oldest")
	fl.BoolVar(&opts.IncludeDeleted, "include-deleted", false, "also find articles the site has removed")
	fl.BoolVar(&opts.Facets, "facets", false, "also count the matches by category, author and year")
	return cmd
}

// parseDay reads a --from/--to flag.
func parseDay(flag, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := api.ParseDay(v)
	if err != nil {
		return time.Time{}, usageErrorf("--%s %q: want a date as YYYY-MM-DD or DD/MM/YYYY", flag, v)
	}
	return t, nil
}

func (o *SearchOptions) request() (index.Request, error) {
	// Trimmed and bounded as api.ParseSearch reads the API's parameters,
	// so that the same words give the same answer, byte for byte.
	req := index.Request{Query: strings.TrimSpace(o.Query), Limit: o.Limit, Offset: o.Offset,
		Category: strings.TrimSpace(o.Category), Author: strings.TrimSpace(o.Author), Sort: o.Sort,
		IncludeDeleted: o.IncludeDeleted, Facets: o.Facets}
	if len(req.Query) > index.MaxQueryLength {
		return req, usageErrorf("the query is %d bytes long; at most %d are accepted", len(req.Query), index.MaxQueryLength)
	}
	if o.Limit < 1 || o.Limit > index.MaxLimit {
		return req, usageErrorf("--limit must be between 1 and %d", index.MaxLimit)
	}
	if o.Offset < 0 || o.Offset > index.MaxOffset {
		return req, usageErrorf("--offset must be between 0 and %d (to take every match, use `tulieu export --query`)", index.MaxOffset)
	}
	switch o.Sort {
	case "relevance", "newest", "oldest":
	default:
		return req, usageErrorf("--sort must be relevance, newest or oldest, not %q", o.Sort)
	}
	var err error
	if req.From, err = parseDay("from", o.From); err != nil {
		return req, err
	}
	if req.To, err = parseDay("to", o.To); err != nil {
		return req, err
	}
	if !req.From.IsZero() && !req.To.IsZero() && req.To.Before(req.From) {
		return req, usageErrorf("--to %s is before --from %s", o.To, o.From)
	}
	return req, nil
}

func runSearch(ctx context.Context, f *Factory, opts *SearchOptions) error {
	req, err := opts.request()
	if err != nil {
		return err
	}
	st, err := f.OpenStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	ix, err := f.OpenSearcher(ctx, st)
	if err != nil {
		return err
	}
	defer func() { ix.Close() }()
	out, err := ix.Search(ctx, req)
	if l, ok := ix.(localSearcher); ok && l.Damaged() {
		// The search read a damaged segment that Open had trusted (a
		// bad sector since the last clean close): rebuilt from the
		// catalog, as Open does with the damage it finds, and asked
		// again.
		l.Close()
		f.Logger().Warn("the search index is damaged; rebuilding it from the catalog", "dir", st.IndexPath(), "err", err)
		nix, oerr := f.RebuildIndex(ctx, st)
		if errors.Is(oerr, index.ErrInUse) {
			return errIndexBusy // another process opened it meanwhile
		}
		if oerr != nil {
			return oerr
		}
		ix = localSearcher{nix}
		out, err = ix.Search(ctx, req)
	}
	if err != nil {
		return err
	}
	if opts.JSON {
		return api.Encode(f.IO.Out, out)
	}
	w := f.IO.Out
	if out.Total == 0 {
		if opts.Query == "" && len(searchFilters(opts)) == 0 {
			fmt.Fprintln(w, "The archive holds no article yet: `tulieu crawl` fills it.")
		} else if opts.Query == "" {
			fmt.Fprintf(w, "No article is %s.\n", selectionText(opts))
		} else {
			fmt.Fprintf(w, "No article matches %q%s.\n", opts.Query, strings.TrimPrefix(selectionText(opts), fmt.Sprintf("match %q", opts.Query)))
		}
		return nil
	}
	last := opts.Offset + len(out.Hits)
	if len(out.Hits) == 0 {
		// Past the last match: no backwards range.
		fmt.Fprintf(w, "%s; --offset %d is past the last of them.\n", articlesSelected(out.Total, opts), opts.Offset)
		return nil
	}
	fmt.Fprintf(w, "%s (showing %d–%d):\n\n", articlesSelected(out.Total, opts), opts.Offset+1, last)
	for i, h := range out.Hits {
		fmt.Fprintf(w, "%2d. %s\n", opts.Offset+i+1, h.Title)
		meta := []string{}
		if h.Published != "" {
			meta = append(meta, h.Published[:min(10, len(h.Published))])
		}
		if h.Category != "" {
			meta = append(meta, h.Category)
		}
		if h.Author != "" {
			meta = append(meta, h.Author)
		}
		meta = append(meta, "id "+h.ID)
		fmt.Fprintf(w, "    %s\n    %s\n", strings.Join(meta, " · "), h.URL)
		if h.Snippet != "" {
			fmt.Fprintf(w, "    %s\n", h.Snippet)
		}
		fmt.Fprintln(w)
	}
	printFacets(w, out.Facets)
	if uint64(last) < out.Total {
		fmt.Fprintf(w, "More: %s\n", nextPageCommand(opts, dataFlag(f), last))
	}
	return nil
}

// facetTitles name the counts of --facets, in the order they are shown.
var facetTitles = [][2]string{{"category", "By category"}, {"author", "By author"}, {"year", "By year"}}

// printFacets prints the counts --facets asked for, most frequent first,
// as the web page's side panel shows them.
func printFacets(w io.Writer, facets map[string][]api.Facet) {
	for _, ft := range facetTitles {
		counts := facets[ft[0]]
		if len(counts) == 0 {
			continue
		}
		fmt.Fprintf(w, "%s:\n", ft[1])
		for _, c := range counts {
			fmt.Fprintf(w, "  %6d  %s\n", c.Count, c.Term)
		}
		fmt.Fprintln(w)
	}
}

// searchFilters are the filters a search sets: each flag's name and value.
func searchFilters(opts *SearchOptions) [][2]string {
	var out [][2]string
	for _, f := range [][2]string{{"category", opts.Category}, {"author", opts.Author}, {"from", opts.From}, {"to", opts.To}} {
		if f[1] != "" {
			out = append(out, f)
		}
	}
	return out
}

// selectionText says what a search selects: its query and its filters.
func selectionText(opts *SearchOptions) string {
	var filters []string
	for _, f := range searchFilters(opts) {
		filters = append(filters, fmt.Sprintf("%s %q", f[0], f[1]))
	}
	switch {
	case len(filters) == 0:
		return fmt.Sprintf("match %q", opts.Query)
	case opts.Query == "":
		return "in " + strings.Join(filters, ", ")
	}
	return fmt.Sprintf("match %q in %s", opts.Query, strings.Join(filters, ", "))
}

// dataFlag is the data directory a command printed for the user to run
// must name (its --data), "" when it needs none: the default, or the
// directory TULIEU_DATA names, which the pasted command finds alike.
func dataFlag(f *Factory) string {
	if !f.DataDirSet || f.Getenv != nil && f.Getenv("TULIEU_DATA") == f.DataDir {
		return ""
	}
	return f.DataDir
}

// nextPageCommand is the command that shows the next page of the same
// search: the same query, filters, order and page size, from offset.
func nextPageCommand(opts *SearchOptions, data string, offset int) string {
	args := []string{"tulieu"}
	if data != "" {
		args = append(args, "--data", shellQuote(data))
	}
	args = append(args, "search")
	filters := searchFilters(opts)
	for _, f := range filters {
		args = append(args, "--"+f[0], shellQuote(f[1]))
	}
	if opts.Sort != "" && opts.Sort != "relevance" {
		args = append(args, "--sort", opts.Sort)
	}
	if opts.Limit != 10 {
		args = append(args, "--limit", fmt.Sprint(opts.Limit))
	}
	if opts.IncludeDeleted {
		args = append(args, "--include-deleted")
	}
	args = append(args, "--offset", fmt.Sprint(offset))
	if opts.Facets {
		args = append(args, "--facets")
	}
	if opts.Query != "" || len(filters) == 0 {
		// After "--": a query may start with "-" (an exclusion).
		args = append(args, "--", shellQuote(opts.Query))
	}
	return strings.Join(args, " ")
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// count is "1 word", "0 words", "2 words": n and the noun it counts.
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// articlesSelected is "N articles match …", "1 article matches …".
func articlesSelected(n uint64, opts *SearchOptions) string {
	sel := selectionText(opts)
	if rest, ok := strings.CutPrefix(sel, "match "); ok && n == 1 {
		sel = "matches " + rest
	}
	return count(int(n), "article", "articles") + " " + sel
}
