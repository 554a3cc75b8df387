// Package benchdata makes, once, the data directories the benchmark
// commands measure (web/cmd/loadbench, export/cmd/exportbench): n articles
// of internal/benchcorpus saved into a real catalog through
// store.SaveArticle (with no capture, as an import would), and the index
// built from the catalog by `tulieu reindex` in a process of its own. A
// finished directory is marked and reused by later runs; an unfinished one
// is made again; a directory it did not make is never touched.
package benchdata

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"tulieu/internal/benchcorpus"
	"tulieu/store"
)

// Marker describes a finished data directory.
type Marker struct {
	N          int       `json:"n"`
	Seed       uint64    `json:"seed"`
	Generated  time.Time `json:"generated"`
	CatalogSec float64   `json:"catalog_seconds"`
	IndexSec   float64   `json:"index_seconds"`
}

const (
	markerFile  = "loadbench.json"
	partialFile = "loadbench.partial" // present while the directory is being made
)

// Prepared is what a report says about the data directory.
type Prepared struct {
	Marker
	Reused bool
}

// Options say which directory to make and how.
type Options struct {
	Dir  string
	N    int
	Seed uint64
	Bin  string // the tulieu binary that builds the index
	Log  *slog.Logger
}

// DefaultDir is where a directory of n articles of seed goes by default.
func DefaultDir(n int, seed uint64) string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("tulieu-loadbench-%d-seed%d", n, seed))
}

// Prepare makes the data directory, or checks that the one there is a
// finished one for the same corpus.
func Prepare(ctx context.Context, o Options) (*Prepared, error) {
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	gen := benchcorpus.New(o.Seed)
	bin := o.Bin
	dir := o.Dir
	if b, err := os.ReadFile(filepath.Join(dir, markerFile)); err == nil {
		var m Marker
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("%s is damaged: remove %s and run again", filepath.Join(dir, markerFile), dir)
		}
		if m.N != o.N || m.Seed != o.Seed {
			return nil, fmt.Errorf("%s holds %d articles of seed %d, not %d of seed %d: choose another -data", dir, m.N, m.Seed, o.N, o.Seed)
		}
		log.Info("reusing the data directory", "dir", dir, "articles", m.N)
		return &Prepared{Marker: m, Reused: true}, nil
	}
	// Only ever empty a directory this command made and did not finish.
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, err
	case len(entries) == 0:
	default:
		if _, err := os.Stat(filepath.Join(dir, partialFile)); err != nil {
			return nil, fmt.Errorf("%s is not empty and was not made by a benchmark command: choose another -data", dir)
		}
		log.Info("removing an unfinished data directory", "dir", dir)
		if err := os.RemoveAll(dir); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, partialFile), nil, 0o644); err != nil {
		return nil, err
	}

	m := Marker{N: o.N, Seed: o.Seed, Generated: time.Now().UTC()}
	t0 := time.Now()
	if err := fillCatalog(ctx, dir, gen, o.N, log); err != nil {
		return nil, err
	}
	m.CatalogSec = time.Since(t0).Seconds()

	// The index is built by tulieu itself, from the catalog, in a process
	// of its own: the server then opens a built index, and its memory
	// figures are not those of indexing.
	t0 = time.Now()
	log.Info("building the index with tulieu reindex", "articles", o.N)
	reindex := exec.CommandContext(ctx, bin, "--data", dir, "--log-level", "warn", "reindex")
	reindex.Stdout, reindex.Stderr = os.Stderr, os.Stderr
	if err := reindex.Run(); err != nil {
		return nil, fmt.Errorf("tulieu reindex: %w", err)
	}
	m.IndexSec = time.Since(t0).Seconds()

	js, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, markerFile), js, 0o644); err != nil {
		return nil, err
	}
	if err := os.Remove(filepath.Join(dir, partialFile)); err != nil {
		return nil, err
	}
	return &Prepared{Marker: m}, nil
}

func fillCatalog(ctx context.Context, dir string, gen *benchcorpus.Generator, n int, log *slog.Logger) error {
	st, err := store.Open(ctx, dir, log)
	if err != nil {
		return err
	}
	defer st.Close()
	log.Info("generating the catalog", "articles", n, "dir", dir)

	const chunk = 500
	type batch struct{ arts []benchcorpus.Article }
	batches := make(chan batch, 2)
	genCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(batches)
		workers := max(1, runtime.GOMAXPROCS(0)-1)
		for from := 0; from < n; from += chunk {
			to := min(from+chunk, n)
			arts := make([]benchcorpus.Article, to-from)
			var wg sync.WaitGroup
			for w := range workers {
				wg.Go(func() {
					for i := from + w; i < to; i += workers {
						arts[i-from] = gen.Article(i)
					}
				})
			}
			wg.Wait()
			select {
			case batches <- batch{arts}:
			case <-genCtx.Done():
				return
			}
		}
	}()

	start := time.Now()
	done := 0
	for b := range batches {
		for _, a := range b.arts {
			// The person's name alone, as extraction gives it: no
			// affiliation, nothing for the editorial board.
			name, _, _ := strings.Cut(a.Author, " (")
			if name == "BBT" {
				name = ""
			}
			c := store.Content{Kind: store.KindArticle, Title: a.Title, Author: a.Author, AuthorName: name,
				Breadcrumb: a.Breadcrumb, Category: a.Category, Published: a.Published, Body: a.Body, Lang: "vi"}
			for k, caption := range a.Captions {
				c.Images = append(c.Images, store.Image{Src: fmt.Sprintf("/uploads/%s-%d.jpg", strings.TrimSuffix(filepath.Base(a.ID), ".html"), k), Caption: caption})
			}
			if _, _, err := st.RecordArticle(ctx, a.URL, c, 0, start); err != nil {
				return fmt.Errorf("save article %s: %w", a.URL, err)
			}
		}
		done += len(b.arts)
		if done%10000 < chunk || done == n {
			log.Info("catalog", "articles", done, "elapsed", time.Since(start).Round(time.Second))
		}
	}
	return ctx.Err()
}

// BuildTulieu builds the tulieu command into dir and returns its path,
// for the benchmark commands that run it as a process of its own. They
// must run from inside the module.
func BuildTulieu(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "tulieu")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "tulieu/cmd/tulieu")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("go build tulieu/cmd/tulieu (run from inside the module): %w", err)
	}
	return bin, nil
}
