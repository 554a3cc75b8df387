// Package fixturesite serves a local imitation of http://danguykhoithanhhoa.org.vn/,
// the website of "Đảng ủy Khối các cơ quan tỉnh Thanh Hóa", which tulieu crawls
// and archives.
//
// Why it exists: no machine that runs the tests can reach the internet, and
// nobody has the real site's HTML. All we know is in /work/shared/site (the
// visible text of a few pages and the URL shapes). So every crawler, extractor,
// store and search test in the module runs against this one fixture. Keeping it
// in one package means those tests share one idea of what the site looks like,
// and a change to the imitation (a new quirk found on the real site, say) is
// made once.
//
// What it owns:
//
//   - testdata/articles and testdata/pages: one JSON file (page data plus the
//     "expected" object: what a careful human reader would extract) and one
//     HTML file (the body as the CMS editor stored it) per document. The HTML
//     file is split by an <!--byline--> marker into body and byline; the marker
//     itself is never sent. The text is invented for testing. It imitates
//     the style of the real site, and one article is the real seed article
//     from /work/shared/site/seed-article.txt.
//   - testdata/templates/site.html: the page chrome and page templates, in the
//     style of an older Vietnamese government CMS (table layout, inline styles).
//   - testdata/static: files served as they are (PDF attachments, CSS, JS).
//     JPEG images are generated on request, so no binary images are stored.
//
// Things the site does on purpose, because the real one does or may do them:
//
//   - The "Thống kê truy cập" counters change on every request, so the bytes of a
//     page change even when its article did not. Tests that dedupe by hashing
//     the whole page must fail here.
//   - Every page links to external sites (thanhhoa.gov.vn, dangcongsan.vn, …),
//     to javascript: and mailto: URLs, to /admin/login and to /tim-kiem?q=abc.
//     robots.txt disallows /admin/ and /tim-kiem. Hits and Requests record every
//     request, so a test can check that a crawler kept out.
//   - The menu links to "/tin-tuc/tu-lieu/" (trailing slash), which answers
//     301 to "/tin-tuc/tu-lieu".
//   - With Options.Conditional, article and static pages carry ETag and
//     Last-Modified validators. These come from the article's content version,
//     not from the counters, and the site answers conditional requests with 304.
//     Images and static files then carry validators as well (from their bytes,
//     which never change), and answer 304 alike.
//
// The package is test support: New panics on broken embedded data, and the
// mutators (Edit, Remove) panic when a test misuses them, since neither can be
// recovered from at run time.
package fixturesite
