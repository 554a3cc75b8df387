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
//
// Pages are archived with their requisites, as Heritrix treats embeds: the
// images (<img src>, the largest srcset candidate, data-src), stylesheets
// (<link rel=stylesheet>) and <input type=image> of every article and
// static page, and of listings only with Options.ListingImages (their
// images are thumbnails of the articles' own). Requisites are fetched from
// any host, CDNs included, because the archived page cannot be shown
// without them; but they are embeds, not links: never parsed, never
// articles, outside the site scope and the page budget (MaxPages). Each
// host's robots.txt and delay still apply, and the recorder lets at most
// Parallel requests be in flight to any host, pages and requisites
// together. A requisite is fetched once per run (whichever page names it
// first, and not again if it was also linked as a page), is cut at
// MaxRequisiteSize, and is recorded in captures with kind "requisite", so
// that no count of articles or pages includes it. A requisite already
// archived is asked again with its validators, and a 304 becomes a revisit
// record. A page answered 304 has its requisites checked all the same:
// an unchanged page may embed an image that changed. Their list is
// recorded with the page's capture (store.SetPageRequisites); for a page
// captured before lists were recorded, it is read from the archived copy
// once. Scripts are not fetched: the archived page is shown in a
// sandbox where they never run.
package crawler
