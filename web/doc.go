// Package web owns tulieu's web page and its JSON API, over the same index
// and catalog the command line uses. It reads only; the crawler writes.
//
// Pages (server-rendered, complete without JavaScript, in Vietnamese):
//
//	/                       browse: newest articles, categories and years
//	/search                 results with highlights, facets, filters, pages
//	/article/{id}           an article, its images and attachments from the
//	                        archive, its versions, a citation
//	/article/{id}/diff      a word-level diff between two versions
//	/archive                a capture as archived (?url=&at= or ?capture=)
//	/raw                    a capture's bytes (images, stylesheets, files)
//	/export                 the current result set as a file (export.Write)
//	/healthz, /metrics      liveness; Prometheus metrics
//
// The API (/api/search, /api/articles/{id}, /api/articles/{id}/versions,
// /api/stats) answers with package api's documents, the very bytes the CLI
// prints with --json.
//
// What a request can cost is bounded here and in index.Search: timeouts on
// the connection, a deadline per search, a cap on concurrent searches (a
// queue, then 503 with Retry-After), a cap on bytes read from the archive
// per request and on concurrent archive reads. The guards (guard.go) check
// the Host header against DNS rebinding, the optional access token, and set
// a Content-Security-Policy under which no script runs at all: the page
// has none, and an archived page is served sandboxed.
package web
