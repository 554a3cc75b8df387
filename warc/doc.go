// Package warc owns the raw archive: WARC 1.1 files under the data
// directory's warc/ folder, written one gzip member per record so that any
// record can be read on its own from its offset, and read back for display,
// replay and validation.
//
// Records are serialized by github.com/internetarchive/gowarc (the writer
// Heritrix's successors use) and read by github.com/nlnwa/gowarc/v3, an
// independent implementation that can validate strictly; using two
// implementations means a bug in one shows up as a failure in the other.
//
// A file being written carries the suffix ".open" and loses it when it is
// closed; files are never rewritten after that. A new file is started when
// the current one passes the size limit. Each finished file has a sorted
// CDXJ index beside it ("<file>.cdxj"), made from the records as they are
// written, or by reading the file back (IndexFile) when a record's HTTP
// head was not plain enough to be sure of its line, or the file was left
// open by a crash (Recover).
//
// A record whose bytes went bad after it was written (its gzip checksum or
// digests do not hold) is reported by Scan and left out of the CDXJ index;
// Damaged tells such a read error from a missing file.
package warc
