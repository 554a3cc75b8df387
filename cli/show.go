package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"tulieu/api"
	"tulieu/store"
)

// ShowOptions are the flags and arguments of `tulieu show`.
type ShowOptions struct {
	Ref      string
	JSON     bool
	Versions bool
	Raw      bool
	Version  int

	versionGiven bool // --version was given (0 included)
}

// NewCmdShow builds `tulieu show`.
func NewCmdShow(f *Factory, runF func(context.Context, *ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{}
	cmd := &cobra.Command{
		Use:   "show [--json] [--versions] ID|URL",
		Short: "Print an article as archived, and how it changed between crawls",
		Example: `  tulieu show 3f2a9c1d0b7e4a55
  tulieu show --versions http://danguykhoithanhhoa.org.vn/tin-tuc/tin-tuc-chung/dai-hoi-661.html`,
		Args: exactArgs(1, "one article id or URL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ref = args[0]
			opts.versionGiven = cmd.Flags().Changed("version")
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runShow(cmd.Context(), f, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the article as JSON")
	cmd.Flags().BoolVar(&opts.Versions, "versions", false, "list every version and what changed between them")
	cmd.Flags().BoolVar(&opts.Raw, "raw", false, "print the page as it was archived (HTML as the server sent it) instead of the extracted text")
	cmd.Flags().IntVar(&opts.Version, "version", 0, "with --raw: the page of this version (see --versions); default the latest")
	return cmd
}

func runShow(ctx context.Context, f *Factory, opts *ShowOptions) error {
	// Flags that cannot be honoured together are refused, not dropped:
	// --raw --json printed HTML, and --version 0 was the latest.
	switch {
	case opts.Raw && (opts.JSON || opts.Versions):
		return usageErrorf("--raw prints the archived page as it is; it does not go with --json or --versions")
	case opts.Version < 0 || (opts.Version == 0 && opts.versionGiven):
		return usageErrorf("--version counts from 1 (see --versions); without it --raw prints the latest")
	}
	st, err := f.OpenStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	a, err := findArticle(ctx, st, opts.Ref)
	if err != nil {
		return err
	}
	if opts.Raw {
		return showRaw(ctx, f, st, a, opts.Version)
	}
	if opts.Version != 0 {
		return usageErrorf("--version goes with --raw")
	}
	var versions []store.Version
	if opts.Versions {
		if versions, err = st.Versions(ctx, a.ID); err != nil {
			return err
		}
	}
	if opts.JSON {
		r := api.NewArticle(a, versions)
		if err := api.AddFiles(ctx, &r, a, st); err != nil {
			return err
		}
		if err := api.AddCapture(ctx, &r, a, st); err != nil {
			return err
		}
		return api.Encode(f.IO.Out, r)
	}
	w := f.IO.Out
	fmt.Fprintf(w, "%s\n%s\n\n", a.Title, strings.Repeat("=", min(72, len([]rune(a.Title)))))
	field := func(name, v string) {
		if v != "" {
			fmt.Fprintf(w, "%-12s %s\n", name+":", v)
		}
	}
	field("URL", a.URL)
	field("ID", a.ID)
	field("Breadcrumb", strings.Join(a.Breadcrumb, " / "))
	field("Published", a.Published)
	field("Author", a.Author)
	field("Source", a.Source)
	field("Status", a.Status)
	if a.Status == store.StatusDeleted && !a.DeletedAt.IsZero() {
		field("Taken down", api.ReadableTime(api.RFC3339(a.DeletedAt))) // (first found gone)
	}
	field("First seen", api.ReadableTime(api.RFC3339(a.FirstSeen)))
	field("Last seen", api.ReadableTime(api.RFC3339(a.LastSeen)))
	field("Versions", fmt.Sprint(a.Versions))
	fmt.Fprintf(w, "\n%s\n", a.Body)
	for _, im := range a.Images {
		fmt.Fprintf(w, "\n[ảnh] %s\n      %s\n", im.Src, im.Caption)
	}
	texts, err := st.AttachmentTexts(ctx, a.AttachmentURLs())
	if err != nil {
		return err
	}
	for _, at := range a.Attachments {
		fmt.Fprintf(w, "\n[tệp] %s %s\n", at.Text, at.URL)
		switch t, ok := texts[at.URL]; {
		case ok && t.Text != "":
			for _, line := range strings.Split(t.Text, "\n") {
				if line != "" {
					line = "      " + line
				}
				fmt.Fprintln(w, line)
			}
		case ok && t.Error != "":
			fmt.Fprintf(w, "      (text not read: %s)\n", t.Error)
		}
	}
	if opts.Versions {
		writeVersions(w, versions)
	}
	return nil
}

// writeVersions lists the versions and what changed from each to the
// next: every field that changed (author, date, category…), as diff and
// the API name them, then the paragraphs taken out (-) and put in (+).
func writeVersions(w io.Writer, versions []store.Version) {
	fmt.Fprintf(w, "\nVersions\n--------\n")
	for i, v := range versions {
		fmt.Fprintf(w, "\nversion %d, first seen %s (capture %d)\n", v.Version, api.ReadableTime(api.RFC3339(v.SeenAt)), v.CaptureID)
		if v.FetchedFrom != "" && (i == 0 || v.FetchedFrom != versions[i-1].FetchedFrom) {
			// Where it was: an article that moved had its earlier
			// versions at its earlier addresses.
			fmt.Fprintf(w, "  at %s\n", v.FetchedFrom)
		}
		if i == 0 {
			continue
		}
		prev := versions[i-1]
		for _, fc := range api.ChangedFields(prev, v) {
			fmt.Fprintf(w, "  %s: %q → %q\n", fc.Field, fc.Old, fc.New)
		}
		for _, d := range diffParagraphs(splitParagraphs(prev.Body), splitParagraphs(v.Body)) {
			fmt.Fprintf(w, "  %s\n", d)
		}
	}
}

// showRaw prints the archived page behind the article (or one version of
// it), bytes as the server sent them, streamed from the WARC file.
func showRaw(ctx context.Context, f *Factory, st *store.Store, a *store.Article, version int) error {
	captureID := a.CaptureID
	if version != 0 {
		versions, err := st.Versions(ctx, a.ID)
		if err != nil {
			return err
		}
		if version < 1 || version > len(versions) {
			return usageErrorf("--version %d: the article has versions 1 to %d", version, len(versions))
		}
		captureID = versions[version-1].CaptureID
	}
	if captureID == 0 {
		return errors.New("no capture is recorded for this article")
	}
	body, _, err := st.OpenCapture(ctx, captureID)
	if err != nil {
		return fmt.Errorf("read the archived page: %w", err)
	}
	defer body.Close()
	if _, err := io.Copy(f.IO.Out, body); err != nil {
		return fmt.Errorf("read the archived page: %w", err)
	}
	return nil
}

func splitParagraphs(body string) []string {
	if body == "" {
		return nil
	}
	return strings.Split(body, "\n\n")
}

// maxLCSCells bounds the table of diffParagraphs (about 8 bytes a cell):
// past it, the changed stretch is listed as removed, then added.
const maxLCSCells = 1 << 22

// diffParagraphs lists the paragraphs removed ("- ") and added ("+ ")
// between two versions, in order, from their longest common subsequence.
// The paragraphs the versions share at their start and end are set aside
// first, so that one paragraph changed in a long document costs a table of
// one cell, not of its length squared.
func diffParagraphs(a, b []string) []string {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	a, b = a[pre:], b[pre:]
	suf := 0
	for suf < len(a) && suf < len(b) && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	a, b = a[:len(a)-suf], b[:len(b)-suf]
	n, m := len(a), len(b)
	if (n+1)*(m+1) > maxLCSCells {
		out := make([]string, 0, n+m)
		for _, p := range a {
			out = append(out, "- "+p)
		}
		for _, p := range b {
			out = append(out, "+ "+p)
		}
		return out
	}
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			// What went first, then what came instead, as diff prints them.
			out = append(out, "- "+a[i])
			i++
		default:
			out = append(out, "+ "+b[j])
			j++
		}
	}
	return out
}

// findArticle finds an article by its id or its URL, however the URL was
// typed or linked.
func findArticle(ctx context.Context, st *store.Store, ref string) (*store.Article, error) {
	a, err := st.FindArticle(ctx, ref)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("no article %q in the archive (ids are printed by `tulieu search`)", ref)
	}
	return a, err
}
