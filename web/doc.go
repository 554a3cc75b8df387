// Package web owns tulieu's small web page: a search form with results,
// an article as archived, and a JSON search API for scripts, over the same
// index and catalog the CLI uses. It reads only; the crawler writes.
package web
