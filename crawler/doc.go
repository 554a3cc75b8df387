// Package crawler owns fetching: it walks the configured site with colly,
// politely (robots.txt, a delay, a bounded number of requests in flight),
// records every HTTP exchange byte for byte in the WARC archive, and hands
// each page to the extractor and the result to the catalog.
//
// Colly schedules and deduplicates; everything that touches the wire goes
// through recorder, an http.RoundTripper that taps the TCP connection so the
// archive holds the bytes exactly as they were sent and received
// (connections are kept alive, and the tap tells each one's exchanges
// apart: HTTP/1.1 without pipelining answers one request before the next
// is written), enforces
// the body size limits on the wire and after decompression, and writes the
// WARC records before colly sees the response.
//
// [Crawler.Run] (run.go) reads as the list of a run's stages; each is a
// method of run, the type that holds what they share:
//
//   - Setting up: Crawler.startRun records the run in the catalog and
//     reads what it starts from (what an interrupted run left, the
//     articles already known); run.buildCollector makes the recorder and
//     the colly collector, run.buildStages the stages below, and
//     run.seedFrontier queues the start URLs (run.go).
//   - The frontier (frontier.go) holds the queued URLs and hands colly a
//     bounded number at a time, the start URLs first, then the shallowest,
//     no server more than half of them while another waits (colly has no limit of its own: the recorder holds
//     each server to Parallel); run.enqueue decides what is queued
//     (depth, chains of same-shape pages, robots.txt) and run.submit hands
//     a URL to colly (run.go).
//   - Request preparation: run.prepare, colly's OnRequest (run.go), drops
//     a request past the page limit, keys it for the recorder and, with
//     run.conditional, makes the re-fetch of an article conditional.
//   - Politeness (politeness.go): robots.txt, sitemaps, the delay and the
//     pauses a host asks for, and which redirects are followed.
//   - The recorder (recorder.go) makes every request (pages, redirect
//     hops, requisites, robots.txt): it takes one of the server's slots,
//     then waits the server's turn (politeness.wait: the delay after the
//     last start and the last end), and archives each exchange, writing
//     its WARC records and its capture in the catalog.
//     A response over 1 MiB waits in a file of Options.SpoolDir
//     (spool.go), which PrepareSpoolDir empties after a killed crawl.
//   - The page handler (page.go): pageHandler.handle, colly's OnResponse,
//     hands each response to its step: pageHandler.unchanged (304), gone
//     (404, 410), failed (other errors), feed, document (not HTML) or
//     page, which extracts the page, queues the links (links: the
//     frontier hands none of them out before all are queued) and saves
//     the article in the catalog (record); pageHandler.retry retries a
//     transient failure, and run.onError, colly's OnError (run.go),
//     handles a failed fetch.
//   - Requisites (requisites.go): requisiteFetcher fetches the images and
//     stylesheets of a page once the page is handled.
//   - The end of the run: run.finish (run.go) records its status (see
//     run.status) and counts in the catalog; a full disk ends the run
//     early (diskfull.go).
//
// A crawl is incremental: pages that were articles are re-requested with
// If-None-Match / If-Modified-Since, a 304 or identical content counts as
// unchanged, different content adds a version, and 404/410 turns the
// article into a tombstone. An article whose address changed (a retitled
// article's new slug: its old address redirects, its page names the new
// one canonical, or its text turns up there the night the old address
// changed the same way or answered 404) moves, keeping its id and history
// (moves.go, twins.go, store.MoveArticle). Every known article is asked again on every
// run, unless Options.Revisit is RevisitAdaptive: then the stable ones
// are asked less often, on a schedule learned from each one's change
// history (revisit.go).
//
// Pages are archived with their requisites, as Heritrix treats embeds: the
// images (<img src>, the largest srcset candidate, data-src), stylesheets
// (<link rel=stylesheet>) and <input type=image> of every article and
// static page, and of listings only with Options.ListingImages (their
// images are thumbnails of the articles' own). Requisites are fetched from
// any host, CDNs included, because the archived page cannot be shown
// without them; but they are embeds, not links: never parsed, never
// articles, outside the site scope and the page budget (MaxPages). Each
// host's robots.txt and its server's delay still apply, and the recorder
// lets at most Parallel requests be in flight to any server, pages and
// requisites together. A requisite is fetched once per run (whichever page names it
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
