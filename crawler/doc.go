// Package crawler owns fetching: it walks the configured site with colly,
// politely (robots.txt, a delay, a bounded number of requests in flight),
// records every HTTP exchange byte for byte in the WARC archive, and hands
// each page to the extractor and the result to the catalog.
//
// Colly schedules and deduplicates; everything that touches the wire goes
// through recorder, an http.RoundTripper that taps the TCP connection so the
// archive holds the bytes exactly as they were sent and received, enforces
// the body size limits on the wire and after decompression, and writes the
// WARC records before colly sees the response.
//
// A crawl is incremental: pages that were articles are re-requested with
// If-None-Match / If-Modified-Since, a 304 or identical content counts as
// unchanged, different content adds a version, and 404/410 turns the
// article into a tombstone.
package crawler
