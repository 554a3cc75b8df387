// Package export writes sets of archived articles to files that other
// tools open: JSON Lines and CSV (UTF-8 with a byte order mark, RFC 4180,
// formula-safe cells, as Excel expects). `tulieu export` and the search
// page's export links call the same Write with the same Selection, so a
// file downloaded from the page and one written by the command line hold
// the same records.
//
// A selection with a query (or an author) takes its ids from the search
// index (index.MatchIDs: a small key per match, no stored field read) and
// reads the articles from the catalog a page of ids at a time, each page
// written before the next is read, so a query that matches every article
// never holds them all in memory.
package export
