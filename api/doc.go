// Package api owns the JSON that tulieu speaks: the shapes that the
// command line prints with --json and the HTTP API answers with, and the
// search parameters both accept. One type per document, built by one
// function, so that `tulieu search --json` and GET /api/search cannot drift
// apart: they are the same bytes by construction, and a test checks it.
//
// Field names are a contract with our users' scripts: add, never rename.
//
//	tulieu search --json …     GET /api/search?q=…          Search
//	tulieu show --json ID      GET /api/articles/{id}       Article
//	tulieu show --versions --json ID (its "history")
//	                           GET /api/articles/{id}/versions  Versions
//	tulieu stats --json        GET /api/stats               Stats
//	errors (exit code 2 / 4xx) {"error": "…"}              Error
package api
