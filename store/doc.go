// Package store owns tulieu's source of truth: the data directory, its SQLite
// catalog (catalog.sqlite) and the lock that lets only one crawl write it.
//
// The catalog records every capture (one HTTP exchange archived in a WARC
// file), every article with its current fields, every distinct version of an
// article, every crawl run with its counts, and a change sequence that derived
// data (the search index) follows to catch up. The raw bytes themselves live
// in WARC files under warc/ (see package warc); the catalog only points into
// them by file name and offset.
//
// WARC files are never rewritten, so a record found damaged on disk (a bad
// sector) stays where it is; `tulieu check --repair` records it
// (damaged_records, MarkDamaged), and from then on LastGoodCapture passes
// over it: the next crawl fetches the page whole instead of revalidating a
// copy nobody can read.
//
// An article's text is kept once: its row in articles holds the current
// fields, the newest row of versions points at them, and an older version
// is packed (zstd-compressed JSON) when a change replaces it (versions.go).
//
// Tables and columns are named plainly because researchers open this file
// with sqlite3 or Datasette; the schema is documented in the README and is
// versioned with forward-only migrations (see migrations.go).
package store
