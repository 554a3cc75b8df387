package cli

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"tulieu/api"
	"tulieu/export"
	"tulieu/index"
	"tulieu/store"
)

// ExportOptions are the flags of `tulieu export`.
type ExportOptions struct {
	Format         string
	Output         string
	Force          bool
	Fields         string
	Query          string
	Category       string
	Author         string
	From, To       string
	ChangedSince   string
	Versions       string
	IDsFrom        string
	IncludeDeleted bool
	IncludePages   bool
	Sort           string

	formatGiven bool                // --format was on the command line
	idLines     map[string]string   // the --ids-from line each id was read from
	idAlts      map[string][]string // the other ids a line may name (an address without its scheme: its https:// form)
}

// NewCmdExport builds `tulieu export`.
func NewCmdExport(f *Factory, runF func(context.Context, *ExportOptions) error) *cobra.Command {
	opts := &ExportOptions{}
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write a set of articles to a file: " + strings.Join(export.Formats(), ", "),
		Long: `Write articles to a file: all of them, or a selection (a query, a category, an author, a date
range, what changed since a date, a list of ids), in the format another tool opens.

Formats: ` + strings.Join(export.Formats(), ", ") + `. JSON Lines has one object per article: id, url, kind,
title, author, author_name, authors (a list), source, breadcrumb, category, published, body, images
[{src, caption}], attachments, files (the attached documents with their text), first_seen, last_seen, status, versions, sha256, and where it comes from in the archive:
captured_at, warc_record_id (and version, with --versions all). CSV has the same columns (lists
joined with " / ", images as "src caption" lines), starts with a UTF-8 byte order mark so Excel reads
Vietnamese correctly, and never lets a cell start a formula. --fields chooses the columns.

Articles come newest published first, oldest first with --sort oldest (with --ids-from alone, in the file's order). Nothing is held in memory but a page of them, whatever the
selection's size. The file is written under a temporary name and renamed at the end, so an
interrupted export never leaves a partial file; an existing file is replaced only with --force.
Beside a file, <file>.meta.json says what produced it (selection, time, tulieu version).`,
		Example: `  tulieu export -o articles.jsonl
  tulieu export --format csv --category "Tin tức chung" --from 2020-01-01 --to 2020-12-31 -o 2020.csv
  tulieu export --query 'đại hội' --format csv --fields id,title,published,url -o dai-hoi.csv
  tulieu export --changed-since 24h -o -          # what changed in the last day, to stdout`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.formatGiven = cmd.Flags().Changed("format")
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			softMemoryLimit(f.Getenv, exportMemoryLimit)
			return runExport(cmd.Context(), f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Format, "format", "jsonl", strings.Join(export.Formats(), ", ")+"; without it, what -o's extension names (.csv, .xlsx, .warc.gz…)")
	fl.StringVarP(&opts.Output, "output", "o", "-", "output file (- for standard output)")
	fl.BoolVar(&opts.Force, "force", false, "replace an existing output file")
	fl.StringVar(&opts.Fields, "fields", "", "comma-separated columns for csv, xlsx and jsonl (default: all), from "+strings.Join(export.AllColumns(), ","))
	fl.StringVar(&opts.Query, "query", "", "only articles matching this search query Q (syntax: tulieu search --help)")
	fl.StringVar(&opts.Category, "category", "", "only this category")
	fl.StringVar(&opts.Author, "author", "", "only articles whose byline matches (accents optional)")
	fl.StringVar(&opts.From, "from", "", "published on or after this day (YYYY-MM-DD or DD/MM/YYYY)")
	fl.StringVar(&opts.To, "to", "", "published on or before this day (YYYY-MM-DD or DD/MM/YYYY)")
	fl.StringVar(&opts.ChangedSince, "changed-since", "", "only articles new, changed or deleted since a day (YYYY-MM-DD or DD/MM/YYYY), an RFC 3339 time, or a duration ago (24h, 7d)")
	fl.StringVar(&opts.Versions, "versions", "current", "current, or all: every version as its own record")
	fl.StringVar(&opts.Sort, "sort", "newest", "newest or oldest: by date published")
	fl.StringVar(&opts.IDsFrom, "ids-from", "", "only the articles listed in this file (one id or URL a line; - for standard input)")
	fl.BoolVar(&opts.IncludeDeleted, "include-deleted", false, "also export articles the site has removed")
	fl.BoolVar(&opts.IncludePages, "include-pages", false, "also export static pages (Tổng quan...)")
	return cmd
}

// selection reads the selection flags.
func (o *ExportOptions) selection(f *Factory, now time.Time) (export.Selection, error) {
	sel := export.Selection{Query: strings.TrimSpace(o.Query), Category: strings.TrimSpace(o.Category), Author: strings.TrimSpace(o.Author),
		IncludeDeleted: o.IncludeDeleted, IncludePages: o.IncludePages}
	var err error
	if sel.From, err = parseDay("from", o.From); err != nil {
		return sel, err
	}
	if sel.To, err = parseDay("to", o.To); err != nil {
		return sel, err
	}
	if !sel.From.IsZero() && !sel.To.IsZero() && sel.To.Before(sel.From) {
		return sel, usageErrorf("--to %s is before --from %s", o.To, o.From)
	}
	if o.ChangedSince != "" {
		if sel.ChangedSince, err = api.ParseSince(o.ChangedSince, now); err != nil {
			return sel, usageErrorf("--changed-since %q: %v", o.ChangedSince, err)
		}
	}
	switch o.Sort {
	case "", "newest":
	case "oldest":
		if o.IDsFrom != "" && sel.Query == "" && sel.Author == "" {
			return sel, usageErrorf("--sort goes with a selection, not --ids-from alone: the file's order is kept (sort the file)")
		}
		sel.Oldest = true
	default:
		return sel, usageErrorf("--sort must be newest or oldest, not %q", o.Sort)
	}
	switch o.Versions {
	case "current", "":
	case "all":
		sel.AllVersions = true
	default:
		return sel, usageErrorf("--versions must be current or all, not %q", o.Versions)
	}
	if sel.Query != "" {
		if err := index.CheckQuery(sel.Query); err != nil {
			return sel, usageErrorf("--query: %v", err)
		}
	}
	if o.IDsFrom != "" {
		o.idLines, o.idAlts = map[string]string{}, map[string][]string{}
		if sel.IDs, err = readIDs(o.IDsFrom, f.IO.In, o.idLines, o.idAlts); err != nil {
			return sel, err
		}
		sel.IDsFrom = o.IDsFrom
		if len(sel.IDs) == 0 {
			return sel, usageErrorf("--ids-from %s lists no article", o.IDsFrom)
		}
		// What the file names is what is asked for: a static page or an
		// article taken down that it lists is exported, not dropped
		// without a word for want of --include-pages or
		// --include-deleted.
		sel.IncludePages, sel.IncludeDeleted = true, true
	}
	return sel, nil
}

// pickKnownIDs replaces each id of ids the archive does not know by the
// first of its alternatives (alts) it knows, keeping its line (lines).
func pickKnownIDs(ctx context.Context, st *store.Store, ids []string, alts map[string][]string, lines map[string]string) ([]string, error) {
	if len(alts) == 0 {
		return ids, nil
	}
	unknown, err := st.UnknownIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, id := range unknown {
		for _, alt := range alts[id] {
			miss, err := st.UnknownIDs(ctx, []string{alt})
			if err != nil {
				return nil, err
			}
			if len(miss) == 0 {
				i := slices.Index(ids, id)
				ids[i] = alt
				lines[alt] = lines[id]
				break
			}
		}
	}
	return ids, nil
}

// readIDs reads one article id or URL a line (blank lines and lines
// starting with # are skipped); URLs become ids as the catalog makes them.
func readIDs(path string, stdin io.Reader, lines map[string]string, alts map[string][]string) ([]string, error) {
	r := stdin
	if path != "-" {
		f, err := os.Open(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, usageErrorf("--ids-from %s: no such file", path)
		}
		if err != nil {
			return nil, fmt.Errorf("--ids-from: %w", err)
		}
		defer f.Close()
		r = f
	}
	var ids []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		// A list saved by Notepad or Excel starts with a byte order mark.
		// An id column taken from a csv export may keep the apostrophe
		// that kept a numeric-looking id text.
		line := strings.TrimPrefix(strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\uFEFF")), "'")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		keys, err := store.ArticleKeys(line)
		if err != nil {
			return nil, usageErrorf("--ids-from: %v", err)
		}
		id := keys[0]
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
			if lines != nil {
				lines[id] = line
			}
			if alts != nil && len(keys) > 1 {
				alts[id] = keys[1:]
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("--ids-from: %w", err)
	}
	return ids, nil
}

func runExport(ctx context.Context, f *Factory, opts *ExportOptions) error {
	// "-o ket-qua.xlsx" is a workbook: a file named for one format never
	// silently gets another.
	if named, ok := export.FormatOfFile(opts.Output); ok && opts.Output != "-" && !opts.formatGiven {
		opts.Format = named
	}
	if err := export.CheckFormat(opts.Format); err != nil {
		return usageErrorf("--%s", err)
	}
	if opts.Output != "-" && opts.Output != "" {
		if err := export.CheckFileName(opts.Format, opts.Output); err != nil {
			return usageErrorf("-o %v: change the name or --format", err)
		}
	}
	var fields []string
	if opts.Fields != "" {
		for _, name := range strings.Split(opts.Fields, ",") {
			fields = append(fields, strings.TrimSpace(name))
		}
		if err := export.CheckFields(opts.Format, fields); err != nil {
			return usageErrorf("--fields: %v", err)
		}
	}
	now := time.Now()
	sel, err := opts.selection(f, now)
	if err != nil {
		return err
	}
	if err := export.CheckVersionFields(fields, sel.AllVersions); err != nil {
		return usageErrorf("--fields %v", err)
	}
	toFile := opts.Output != "-" && opts.Output != ""
	if toFile && insideDir(opts.Output, f.DataDir) {
		// Its catalog and WARC files are the archive: one slip of tab
		// completion and --force must not replace them.
		return usageErrorf("-o %s is inside the data directory %s: export somewhere else", opts.Output, f.DataDir)
	}
	if toFile {
		// (Not a file at all first: --force would not replace it either.)
		if err := export.Replaceable(opts.Output); err != nil {
			return usageErrorf("%v", err)
		}
	}
	if toFile && !opts.Force {
		if _, err := os.Lstat(opts.Output); err == nil {
			return usageErrorf("%s exists: choose another -o, or replace it with --force", opts.Output)
		}
	}
	st, err := f.OpenStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if len(sel.IDs) > 0 {
		// A line the archive does not know in its first form may in
		// another: an address copied without its scheme, of an https
		// site.
		if sel.IDs, err = pickKnownIDs(ctx, st, sel.IDs, opts.idAlts, opts.idLines); err != nil {
			return err
		}
		// An address an article moved to, or its id, names the article.
		if sel.IDs, err = st.ResolveIDs(ctx, sel.IDs); err != nil {
			return err
		}
		// An id or URL the archive does not have is said, not silently
		// dropped from the count.
		unknown, err := st.UnknownIDs(ctx, sel.IDs)
		if err != nil {
			return err
		}
		if n := len(unknown); n > 0 {
			var shown []string
			for _, id := range unknown[:min(n, 5)] {
				shown = append(shown, strconv.Quote(cmp.Or(opts.idLines[id], id)))
			}
			if n > 5 {
				shown = append(shown, "…")
			}
			fmt.Fprintf(f.IO.ErrOut, "tulieu: warning: --ids-from %s: %d of the %d articles it lists are not in the archive: %s\n",
				opts.IDsFrom, n, len(sel.IDs), strings.Join(shown, ", "))
		}
	}
	var matcher export.Matcher
	if sel.Query != "" || sel.Author != "" {
		if rs := f.runningServer(ctx, st.Dir()); rs != nil {
			// The server owns the index: it lists the matches, and this
			// command reads them from the catalog and the archive itself.
			matcher = rs
		} else {
			ix, err := f.OpenIndex(ctx, st)
			if errors.Is(err, index.ErrInUse) {
				return errIndexBusy
			}
			if err != nil {
				return err
			}
			defer ix.Close()
			matcher = ix
		}
	}
	xopts := export.Options{Format: opts.Format, Fields: fields, Now: func() time.Time { return now }}
	// What the export leaves out (a damaged archived record) is said on
	// stderr and in the provenance file.
	var leftOut []string
	xopts.Warn = func(msg string) {
		leftOut = append(leftOut, msg)
		prefix := ""
		if xopts.Progress != nil {
			prefix = "\r\033[K" // over the progress line
		}
		fmt.Fprintf(f.IO.ErrOut, "%stulieu: warning: %s\n", prefix, msg)
	}
	if f.IO.IsTerminal && toFile {
		start := time.Now()
		xopts.Progress = func(n int) {
			fmt.Fprintf(f.IO.ErrOut, "\r%d articles exported (%.0f/s)", n, float64(n)/max(time.Since(start).Seconds(), 0.001))
		}
	}
	n := 0
	err = export.WriteFile(opts.Output, f.IO.Out, opts.Force, func(w io.Writer) error {
		var err error
		n, err = export.Write(ctx, w, sel, xopts, st, matcher)
		return err
	})
	if xopts.Progress != nil {
		fmt.Fprintln(f.IO.ErrOut)
	}
	if errors.Is(err, export.ErrExists) {
		return usageErrorf("%v", err)
	}
	if err != nil {
		return err
	}
	if toFile {
		if fields == nil {
			fields = export.DefaultColumns(sel.AllVersions)
		}
		meta := export.Meta{Format: opts.Format, Selection: sel, Created: now.UTC(), Tool: export.Tool(), Fields: fields}
		js, _ := json.MarshalIndent(struct {
			export.Meta
			Records int      `json:"records"`
			File    string   `json:"file"`
			LeftOut []string `json:"left_out,omitempty"` // archived records that could not be read
		}{meta, n, opts.Output, leftOut}, "", "  ")
		if err := export.WriteFile(opts.Output+".meta.json", nil, true, func(w io.Writer) error {
			_, err := w.Write(append(js, '\n'))
			return err
		}); err != nil {
			return fmt.Errorf("the export's provenance file: %w", err)
		}
	}
	if n == 0 {
		msg := "no article matches this selection; the file holds none."
		if !sel.IncludePages {
			// The search lists static pages (Tổng quan…) with the
			// articles; the export needs asking for them.
			pages := sel
			pages.IncludePages = true
			if m, err := export.Write(ctx, io.Discard, pages, export.Options{Format: "jsonl"}, st, matcher); err == nil && m > 0 {
				verb := "do"
				if m == 1 {
					verb = "does"
				}
				msg = fmt.Sprintf("no article matches this selection, but %s %s: add --include-pages to export them; the file holds none.",
					count(m, "static page", "static pages"), verb)
			}
		}
		fmt.Fprintln(f.IO.ErrOut, "tulieu: "+msg)
		return nil
	}
	f.Logger().Info("exported", "records", n, "format", opts.Format, "to", opts.Output, "records_left_out", len(leftOut))
	return nil
}
