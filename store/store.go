package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // pure-Go SQLite driver: no C toolchain needed to build tulieu
)

// File and folder names inside a data directory.
const (
	CatalogFile = "catalog.sqlite"
	WARCDir     = "warc"
	IndexDir    = "index"
	SpoolDir    = "spool" // a crawl's responses over 1 MiB, while they are archived
	lockFile    = "crawl.lock"
)

// ErrNotFound is returned when an article, capture or run does not exist.
var ErrNotFound = errors.New("not found")

// timeFormat is how every timestamp is stored: sortable text, UTC, with
// fractional seconds so that captures in the same second keep their order.
const timeFormat = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeFormat)
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// Store is an open data directory: the catalog and the paths of the archive
// and the index beside it. It is safe for concurrent use.
type Store struct {
	dir   string
	db    *sql.DB
	prep  *prepared // the frequent statements of fixed text, prepared once
	codec *versionCodec
	log   *slog.Logger
	// group makes concurrent writes share transactions (group.go).
	group writeGroup
}

// Open opens (creating if needed) the data directory dir and its catalog,
// and brings the catalog schema up to date.
func Open(ctx context.Context, dir string, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(filepath.Join(dir, WARCDir), 0o755); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dir, CatalogFile)
	// WAL lets `tulieu search` and sqlite3 read while a crawl writes;
	// busy_timeout makes a second writer wait instead of failing at once.
	dsn := "file:" + uriPath(path) + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)&_pragma=synchronous(NORMAL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open catalog %s: %w", path, err)
	}
	// One connection serializes writers inside this process, which SQLite
	// would do anyway, and avoids SQLITE_BUSY between our own goroutines.
	db.SetMaxOpenConns(1)
	codec, err := newVersionCodec()
	if err != nil {
		db.Close()
		return nil, err
	}
	s := &Store{dir: dir, db: db, prep: newPrepared(db), codec: codec, log: log}
	if err := s.migrate(ctx); err != nil {
		codec.close()
		db.Close()
		return nil, fmt.Errorf("catalog %s is not usable: %w", path, err)
	}
	if err := s.prep.prepareAll(ctx, sqlNextSeq, sqlArticleState, sqlRevive, sqlTouch, sqlInsertArticle, sqlUpdateArticle,
		sqlInsertVersion, sqlCurrentContent, sqlPackVersion,
		// The writes a crawl makes for every page, which share
		// transactions (group.go).
		sqlAddCapture, sqlSetCaptureKind, sqlEnqueued, sqlHandled, sqlSetPageRequisites, sqlAddOutlink, sqlMarkUnchanged, sqlAliasOf); err != nil {
		s.prep.close()
		codec.close()
		db.Close()
		return nil, fmt.Errorf("catalog %s: %w", path, err)
	}
	return s, nil
}

// Close closes the catalog.
func (s *Store) Close() error {
	ferr := s.Flush(context.Background())
	s.prep.close()
	s.codec.close()
	return errors.Join(ferr, s.db.Close())
}

// Dir is the data directory.
func (s *Store) Dir() string { return s.dir }

// WARCPath is the folder holding the WARC files.
func (s *Store) WARCPath() string { return filepath.Join(s.dir, WARCDir) }

// SpoolPath is the folder where a crawl keeps responses larger than 1 MiB
// while it archives and reads them (crawler.Options.SpoolDir). Empty
// between crawls.
func (s *Store) SpoolPath() string { return filepath.Join(s.dir, SpoolDir) }

// IndexPath is the folder holding the search index derived from the catalog.
func (s *Store) IndexPath() string { return filepath.Join(s.dir, IndexDir) }

// DB gives read access to the catalog for callers that need a query the
// store does not offer (tests, ad-hoc tools). Writes must go through Store.
func (s *Store) DB() *sql.DB { return s.db }

func (s *Store) migrate(ctx context.Context) error {
	var version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if version > len(migrations) {
		return fmt.Errorf("catalog schema version %d is newer than this tulieu knows (%d): upgrade tulieu", version, len(migrations))
	}
	for i := version; i < len(migrations); i++ {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		s.log.Debug("catalog migrated", "version", i+1)
	}
	return nil
}

// SchemaVersion reports the catalog's schema version.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

// ArticleID derives the stable id of an article from its canonical URL, so
// that links to an article and exports stay valid across crawls.
func ArticleID(canonicalURL string) string {
	sum := sha256.Sum256([]byte(canonicalURL))
	return hex.EncodeToString(sum[:8])
}

// sha256Hex is the hex SHA-256 of s, a string or bytes (JSON encoded, not
// copied into a string first).
func sha256Hex[T ~string | ~[]byte](s T) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// nextSeq bumps and returns the catalog's change sequence inside tx.
func (s *Store) nextSeq(ctx context.Context, tx *sql.Tx) (int64, error) {
	var seq int64
	err := s.prep.queryRow(ctx, tx, sqlNextSeq).Scan(&seq)
	return seq, err
}

const sqlNextSeq = "UPDATE settings SET value = CAST(value AS INTEGER) + 1 WHERE key = 'seq' RETURNING CAST(value AS INTEGER)"

// Seq is the latest change sequence number of the catalog.
func (s *Store) Seq(ctx context.Context) (int64, error) {
	var seq int64
	err := s.db.QueryRowContext(ctx, "SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'seq'").Scan(&seq)
	return seq, err
}

// uriPath escapes what a file: URI reads otherwise in a path: "?" would
// start the parameters, "#" a fragment, "%" an escape ("/mnt/usb/Sao lưu
// #2" opened an empty catalog named "Sao lưu ").
func uriPath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}
