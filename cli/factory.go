package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"tulieu/index"
	"tulieu/store"
)

// IOStreams are where a command reads and writes.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// IsTerminal says whether ErrOut is a terminal (progress bars go there).
	IsTerminal bool
}

// Factory carries what every command needs. Global flags fill it in before
// a command runs.
type Factory struct {
	IO     IOStreams
	Getenv func(string) string

	DataDir string
	// DataDirSet says DataDir came from --data or TULIEU_DATA rather than
	// the default: `tulieu demo` keeps its sample out of a directory it was
	// not explicitly given.
	DataDirSet bool
	LogLevel   string
	LogFormat  string
	// LibraryLog, when set, is given the logger once the flags are read,
	// for the messages libraries print through the standard log package
	// (bleve's "unable to load snapshot …"): main routes them into it
	// (LogWriter), so that they follow --log-format and --log-level.
	LibraryLog func(*slog.Logger)

	logger *slog.Logger
}

// LogWriter is an io.Writer for the standard log package (with no prefix
// and no flags) that logs each line it is given as a warning of l, with
// the attribute from=lib.
func LogWriter(l *slog.Logger, lib string) io.Writer { return libraryLog{l, lib} }

type libraryLog struct {
	l   *slog.Logger
	lib string
}

func (w libraryLog) Write(p []byte) (int, error) {
	for line := range strings.Lines(string(p)) {
		if line = strings.TrimSpace(line); line != "" {
			w.l.Warn(line, "from", w.lib)
		}
	}
	return len(p), nil
}

// DefaultDataDir is used when neither --data nor TULIEU_DATA is set.
const DefaultDataDir = "./tulieu-data"

// Logger is the logger configured by --log-level and --log-format; logs go
// to ErrOut so that --json output on Out stays clean.
func (f *Factory) Logger() *slog.Logger {
	if f.logger != nil {
		return f.logger
	}
	var level slog.Level
	switch strings.ToLower(f.LogLevel) {
	case "debug":
		level = slog.LevelDebug
	case "warn":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	default:
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if f.LogFormat == "json" {
		f.logger = slog.New(slog.NewJSONHandler(f.IO.ErrOut, opts))
	} else {
		f.logger = slog.New(slog.NewTextHandler(f.IO.ErrOut, opts))
	}
	return f.logger
}

func (f *Factory) validateGlobals() error {
	switch strings.ToLower(f.LogLevel) {
	case "debug", "info", "warn", "error":
	default:
		return usageErrorf("--log-level must be debug, info, warn or error, not %q", f.LogLevel)
	}
	switch f.LogFormat {
	case "text", "json":
	default:
		return usageErrorf("--log-format must be text or json, not %q", f.LogFormat)
	}
	if f.DataDir == "" {
		return usageErrorf("--data must not be empty")
	}
	return nil
}

// OpenStoreForWriting takes the crawl lock (one writer of a data
// directory at a time: crawl, check, reextract; what names the command in
// the error another one gets) and opens the catalog; done closes the
// catalog and releases the lock.
func (f *Factory) OpenStoreForWriting(ctx context.Context, mustExist bool, what string) (st *store.Store, done func(), err error) {
	if err := f.dataDirIsADirectory(); err != nil {
		return nil, nil, err
	}
	if mustExist {
		// Before the lock, which would make a mistyped --data a new
		// directory holding a crawl.lock.
		if err := f.archiveExists(); err != nil {
			return nil, nil, err
		}
	}
	unlock, err := store.LockFor(f.DataDir, what)
	if err != nil {
		return nil, nil, err
	}
	if st, err = f.OpenStore(ctx, mustExist); err != nil {
		unlock()
		return nil, nil, err
	}
	return st, func() { st.Close(); unlock() }, nil
}

// OpenStore opens the data directory. With mustExist, a directory without a
// catalog is an error that says to crawl first, rather than an empty answer.
func (f *Factory) OpenStore(ctx context.Context, mustExist bool) (*store.Store, error) {
	if err := f.dataDirIsADirectory(); err != nil {
		return nil, err
	}
	if mustExist {
		if err := f.archiveExists(); err != nil {
			return nil, err
		}
	}
	st, err := store.Open(ctx, f.DataDir, f.Logger())
	if err != nil {
		return nil, fmt.Errorf("open archive %s: %w", f.DataDir, err)
	}
	return st, nil
}

// dataDirIsADirectory refuses a --data that names a file (a typo, or the
// catalog itself), which reads as "no archive" and then fails to be made.
func (f *Factory) dataDirIsADirectory() error {
	if fi, err := os.Stat(f.DataDir); err == nil && !fi.IsDir() {
		return usageErrorf("--data %s is a file, not a directory: name the data directory (the one holding %s)", f.DataDir, store.CatalogFile)
	}
	return nil
}

// archiveExists: the data directory holds a catalog; if not, an error
// that says to crawl first, rather than an empty answer.
func (f *Factory) archiveExists() error {
	if _, err := os.Stat(filepath.Join(f.DataDir, store.CatalogFile)); err != nil {
		return fmt.Errorf("no archive in %s (no %s): run `tulieu crawl` first, or point --data / TULIEU_DATA at an archive", f.DataDir, store.CatalogFile)
	}
	return nil
}

// RebuildIndex removes the search index beside the catalog and builds it
// again from the catalog (OpenIndex): for damage found after the index was
// opened (a search that read a bad segment), or a rebuild asked for
// (check --repair index). The caller has closed its own copy.
func (f *Factory) RebuildIndex(ctx context.Context, st *store.Store) (*index.Index, error) {
	if err := index.Remove(st.IndexPath()); err != nil {
		return nil, fmt.Errorf("remove the search index: %w", err)
	}
	return f.OpenIndex(ctx, st)
}

// OpenIndex opens the search index beside the catalog and brings it up to
// date with the catalog's change sequence. A corrupt index is rebuilt from
// the catalog, which is the source of truth.
func (f *Factory) OpenIndex(ctx context.Context, st *store.Store) (*index.Index, error) {
	log := f.Logger()
	ix, err := index.OpenToBuild(st.IndexPath(), log)
	if errors.Is(err, index.ErrCorrupt) {
		log.Warn("the search index is damaged or was built by another version of tulieu; rebuilding it from the catalog", "dir", st.IndexPath(), "err", err)
		if rerr := index.Remove(st.IndexPath()); rerr != nil {
			return nil, fmt.Errorf("remove damaged index: %w", rerr)
		}
		ix, err = index.OpenToBuild(st.IndexPath(), log)
	}
	if err != nil {
		return nil, fmt.Errorf("open search index %s: %w", st.IndexPath(), err)
	}
	if _, err := catchUp(ctx, st, ix, log); err != nil {
		ix.Close()
		return nil, fmt.Errorf("update search index: %w", err)
	}
	return ix, nil
}
