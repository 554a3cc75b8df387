package store

import (
	"context"
	"database/sql"
	"errors"
)

// settingExtraction is the settings key of the extraction the articles'
// fields come from (extract.Setup).
const settingExtraction = "extraction"

// ExtractionSetup is the extraction the catalog's articles were read
// with (extract.Setup), as SetExtractionSetup recorded it; "" when none
// was recorded (a catalog older than the record, or a new one).
func (s *Store) ExtractionSetup(ctx context.Context) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", settingExtraction).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetExtractionSetup records the extraction the catalog's articles were
// read with: after a re-extraction of them all, or on a catalog with no
// article yet.
func (s *Store) SetExtractionSetup(ctx context.Context, setup string) error {
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
			settingExtraction, setup)
		return err
	})
}

// HasArticles says whether the catalog holds any article or page,
// whatever its status.
func (s *Store) HasArticles(ctx context.Context) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT EXISTS(SELECT 1 FROM articles)").Scan(&n)
	return n == 1, err
}
