package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"tulieu/attach"
	"tulieu/crawler"
	"tulieu/extract"
	"tulieu/store"
)

// ReextractOptions are the flags of `tulieu reextract`.
type ReextractOptions struct {
	ProfileFile string
	JSON        bool
	OCR         bool
}

// NewCmdReextract builds `tulieu reextract`.
func NewCmdReextract(f *Factory, runF func(context.Context, *ReextractOptions) error) *cobra.Command {
	opts := &ReextractOptions{}
	cmd := &cobra.Command{
		Use:   "reextract",
		Short: "Extract every article again from the archived pages (after an upgrade of tulieu)",
		Long: `Run the extractor again over the pages as they were archived, for every article and every
version of it, and replace the extracted fields in the catalog; then bring the search index up to
date. Nothing is fetched. Use it after an upgrade of tulieu whose extraction is better, or with new
--profiles. Versions keep their numbers and dates: a re-extraction is not a change of the site.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runReextract(cmd.Context(), f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.ProfileFile, "profiles", "", "JSON file of per-site extraction profiles, added to the built-in ones")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the counts as JSON")
	cmd.Flags().BoolVar(&opts.OCR, "ocr", false, "read scanned PDFs (no text layer) with Tesseract's Vietnamese model (tesseract-ocr-vie); seconds a page")
	return cmd
}

// loadProfiles returns the built-in extraction profiles and those of file.
func loadProfiles(file string) ([]extract.Profile, error) {
	profiles := extract.DefaultProfiles()
	if file == "" {
		return profiles, nil
	}
	fh, err := os.Open(file)
	if err != nil {
		return nil, usageErrorf("--profiles: %v", err)
	}
	defer fh.Close()
	more, err := extract.LoadProfiles(fh)
	if err != nil {
		return nil, usageErrorf("--profiles %s: %v", file, err)
	}
	return append(more, profiles...), nil
}

func runReextract(ctx context.Context, f *Factory, opts *ReextractOptions) error {
	profiles, err := loadProfiles(opts.ProfileFile)
	if err != nil {
		return err
	}
	// It writes the catalog, as a crawl does: one at a time.
	st, done, err := f.OpenStoreForWriting(ctx, true, "reextract")
	if err != nil {
		return err
	}
	defer done()
	// Attachments written out for the programs that read them go where
	// a crawl's do, and what a killed run left there is removed.
	if _, err := crawler.PrepareSpoolDir(st.SpoolPath()); err != nil {
		return err
	}
	was, err := st.ExtractionSetup(ctx)
	if err != nil {
		return fmt.Errorf("read the catalog's extraction setup: %w", err)
	}
	if err := markReextracting(ctx, st, was, extract.Setup(profiles)); err != nil {
		return err
	}
	rep, err := crawler.Reextract(ctx, st, profiles, attach.Options{OCR: opts.OCR, TempDir: st.SpoolPath()}, f.Logger())
	if err != nil && ctx.Err() != nil {
		if was == extract.Setup(profiles) {
			return fmt.Errorf("%w after %d articles and pages; the others keep what the same extraction read before: nothing to finish", err, rep.Articles)
		}
		return fmt.Errorf("%w after %d articles and pages, read with the new extraction while the others keep the old one; the catalog records it (`unfinished` in `tulieu stats`), and the next crawl, or `tulieu reextract` run again, reads them all again", err, rep.Articles)
	}
	if err != nil {
		return err
	}
	if err := st.SetExtractionSetup(ctx, extract.Setup(profiles)); err != nil {
		return err
	}
	if err := f.UpdateIndex(ctx, st); err != nil {
		return err
	}
	if opts.JSON {
		return json.NewEncoder(f.IO.Out).Encode(rep)
	}
	fmt.Fprintf(f.IO.Out, "re-extracted %d articles and pages: %d changed, %d no longer articles, %d could not be read; %d attached documents read again, %d could not be\n",
		rep.Articles, rep.Changed, rep.Reclassified, rep.Failed, rep.Attachments, rep.AttachmentErrors)
	return nil
}

// reextractIfStale reads the archive's articles again (crawler.Reextract)
// when they were read by another extraction than this one: another
// version of tulieu, other profiles (extract.Setup). A crawl does it
// before it compares anything, so that what an upgrade reads better is
// not recorded as a new version of every page it reads differently. A
// catalog with no article yet only records the setup.
func reextractIfStale(ctx context.Context, st *store.Store, profiles []extract.Profile, docs attach.Options, log *slog.Logger) error {
	setup := extract.Setup(profiles)
	was, err := st.ExtractionSetup(ctx)
	if err != nil {
		return fmt.Errorf("read the catalog's extraction setup: %w", err)
	}
	if was == setup {
		return nil
	}
	if has, err := st.HasArticles(ctx); err != nil {
		return err
	} else if has {
		if was == "" {
			was = "unrecorded"
		}
		log.Info("the archive's articles were read by another extraction (another version of tulieu, other profiles): reading them again from the archived pages before the crawl, as tulieu reextract does",
			"was", was, "now", setup)
		if err := markReextracting(ctx, st, was, setup); err != nil {
			return err
		}
		start := time.Now()
		rep, err := crawler.Reextract(ctx, st, profiles, docs, log)
		if err != nil {
			return fmt.Errorf("read the archive's articles again with this version's extraction: %w (tulieu reextract does it on its own)", err)
		}
		log.Info("articles read again", "articles", rep.Articles, "changed", rep.Changed, "no_longer_articles", rep.Reclassified,
			"unreadable", rep.Failed, "took", time.Since(start).Round(time.Millisecond))
	}
	return st.SetExtractionSetup(ctx, setup)
}

// markReextracting records, before the articles are read again with
// setup, that they are being read again: a run interrupted half way
// (Ctrl-C, a kill) leaves articles read by two extractions, and a catalog
// claiming the old one would make the next crawl with the old profiles
// keep what the abandoned run read. The mark matches no setup, so the
// next crawl, whatever its profiles, reads them all again first.
func markReextracting(ctx context.Context, st *store.Store, was, setup string) error {
	if was == setup || strings.HasPrefix(was, unfinishedSetup) {
		return nil // read again by the same extraction, or marked already
	}
	if was == "" {
		was = "unrecorded"
	}
	return st.SetExtractionSetup(ctx, unfinishedSetup+was+" → "+setup)
}

// unfinishedSetup starts the setup recorded while articles are read again.
const unfinishedSetup = "unfinished: "
