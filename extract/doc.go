// Package extract turns one fetched HTML page into a Document: kind, title,
// body text (and sanitized body HTML), byline, source, breadcrumb,
// publication date, images, attachments and every outgoing link.
//
// # Why it exists
//
// tulieu archives http://danguykhoithanhhoa.org.vn/, an old provincial
// party-committee CMS that may vanish. Nobody here has seen its HTML, and
// the site may change templates (or be copied onto others) before we get
// to it, so the extractor cannot be a set of hand-written selectors. It
// works on layouts it has never seen: generic heuristics first, optional
// per-site CSS-selector Profiles on top (a matching selector wins for its
// field; otherwise the heuristics decide). The crawler uses Links and Kind
// to decide what to fetch next; the store and the search index use the rest.
// The package owns all HTML interpretation, so those packages never parse
// HTML themselves.
//
// # Pipeline
//
//  1. Decode: charset from the HTTP header, BOM, <meta>, then sniffing;
//     declarations the bytes disprove are overridden; windows-1258 is
//     supported. The text is NFC-normalized.
//  2. Legacy font encodings: a single-byte page (windows-1252/iso-8859-1,
//     windows-1258 or undeclared) whose text reads as TCVN3 (TCVN 5712:1993
//     VN3, the .VnTime fonts) or VNI Windows is decoded from it (charset
//     "x-tcvn3"/"x-vni"); in a Unicode page, text set in a legacy font
//     (<font face=".VnTime">, font-family "VNI-Times") that reads as one of
//     them, or a whole page that does, is converted (".VnTimeH"-style
//     capitals fonts are upper-cased). DetectLegacy decides: most words
//     with non-ASCII letters must convert to well-formed Vietnamese
//     syllables, several must hold bytes only that encoding explains, and
//     the text must not already hold Vietnamese Unicode, so Western
//     Latin-1 text and Vietnamese Unicode are left alone. FromTCVN3 and
//     FromVNI do the mapping; RepairLegacy does it for a document's text
//     (attachments), line by line when Unicode lines are mixed in.
//  3. Parse with golang.org/x/net/html. Input is cut at 5 MiB; the tree is
//     pruned to 200 000 nodes and 256 levels (over-nested input is flattened
//     before parsing) and text nodes are cut at 256 KiB, so every pass is
//     bounded (TestBoundedMemory: 20 MB pathological pages allocate under
//     1 GiB, in practice under 200 MB). Extract recovers from panics and
//     returns an error only when nothing can be parsed.
//  4. Head: <title>, meta tags, canonical link, lang, JSON-LD (Article
//     headline/datePublished/Person author, BreadcrumbList).
//  5. Breadcrumb: profile, schema.org microdata, JSON-LD, an element whose
//     class says breadcrumb, or a text line starting "Trang chủ" with "/",
//     "»", ">" separators that is not the site menu (named menu/nav, a
//     list, or more than six items all links). The home item is dropped, and a trailing item equal
//     to the title (also when truncated with "...").
//  6. Title: the best-scoring h1–h4, element with "title" in its
//     class/id, or line set bold or large with no heading markup (style,
//     <b>/<strong>, <font size>=4+; not ending with "." or ":"): heading level, agreement with og:title, JSON-LD headline and
//     <title> (minus the site name), equality with the last breadcrumb item,
//     position right after the breadcrumb and before text. Section headings
//     ("Tin tức", "Các bài viết gần đây", …), the site name, text repeated in
//     the footer (also one <br> line of it), links and headers lose. Fallback: og:title, then <title>.
//  7. Content: readability-style scoring of paragraph-like text (length,
//     commas), propagated to parents, class/id weights (content/detail/
//     noidung up; menu/footer/share/related/thongke down), multiplied by one
//     minus link density, favouring blocks after the title; qualifying
//     siblings are merged. A short, text-rich element between the title and
//     the content (a "sapo"/lead) is prepended; a layout cell that merely
//     holds the content is not a lead.
//  8. Blocks: the content becomes paragraphs (<br> also splits), headings,
//     lists (one paragraph per item), data tables (one paragraph per row,
//     cells joined by " | "; layout tables are read as containers), images
//     (lazy data-src honoured, icons dropped) and captions (figcaption, a
//     caption table cell, or a short italic/centred/unpunctuated paragraph
//     right after an image). Each block carries its text and its sanitized
//     HTML (p, h2–h6, ul/ol/li, table/tr/td/th, img, a, b/strong/i/em,
//     figure/figcaption; nothing else survives, and no attribute except
//     href/src/alt).
//  9. Filters inside the content: the title and what precedes it, a byline
//     printed as the first line of the body, the breadcrumb line, date
//     lines and short metadata lines in the first or last blocks,
//     share/print/"Lượt xem"/"Bản in" widgets, link lists, everything from a
//     "Tin liên quan"/"Các bài viết gần đây"/"Bài viết khác" heading on
//     (only the box it heads when the article text goes on after the box),
//     and at the tail the source line and the byline.
//
// # Field decisions
//
//   - Body: paragraphs joined by "\n\n"; captions stay in the body, in order,
//     and are also Images[].Caption (there minus a trailing "Ảnh: …" credit).
//     The lead paragraph is part of the body. Listings have an empty body.
//   - Author: the byline as printed minus a "Tác giả:"-style or "Bài và
//     ảnh:"-style credit label, and minus a date printed on the same line
//     ("Lê Hà - 28/02/2020" gives "Lê Hà" and the date). Found, in order:
//     profile; an element marked author/byline/tacgia (or an <address> in
//     an <article>) near the title; a "NAME - date" line under the title; a
//     byline as the first line of the body (labelled, or bold/italic/
//     right-aligned, with a paragraph after it); the last paragraph(s) of
//     the body (also an office signing the article, "Văn phòng Đảng ủy
//     Khối", when right-aligned and bold or italic); a byline pushed just outside the
//     container by broken markup; <meta name=author> when it looks like a
//     person; a JSON-LD Person. A byline is at most 15 words, does not end
//     with "./." or a sentence full stop, and its name part (before " - ",
//     "(", ",", minus ThS/TS/PGS/Đồng chí/Nhà báo… titles) is 2–5 capitalized
//     words that do not start like an organisation ("Ban", "Sở", "Trung
//     tâm"…); "BBT", "PV", "CTV" are kept as printed. A two-line byline
//     ("Trần Quốc Khánh," then "Ban Tuyên giáo Tỉnh ủy") is joined with a
//     space: "Trần Quốc Khánh, Ban Tuyên giáo Tỉnh ủy". An ordinary last
//     sentence is never taken for a byline.
//   - AuthorName: the name part of Author; "" for BBT/PV-style bylines.
//   - Source: from a trailing "Nguồn: X" / "Theo X" line or a trailing
//     "(Baothanhhoa.vn)"; those lines leave the body. A lead prefix such as
//     "(Thanhhoa.dcs.vn) -" stays in the body and is not a Source.
//   - Published: profile; meta (article:published_time, pubdate, date,
//     DC.date…); JSON-LD datePublished; <time datetime>/itemprop near the
//     title; a date line just after the title; a date line dropped from the
//     head/tail of the content; a date line just before the title (never in
//     header or menu chrome, where sites print today's date). A date inside
//     a body sentence is never used. Format "YYYY-MM-DD", or
//     "YYYY-MM-DDTHH:MM:SS+07:00" when a time is known; see ParseDate. A
//     date on a byline line ("MINH HIẾU - 20:15, 05/01/2025") counts as a
//     date line.
//   - Kind: listing when the content holds five or more headline-like links,
//     or when no title heading exists and the page has eight or more;
//     article when there is a title, 30+ words of body and a date, a byline,
//     og:type/JSON-LD article, or an article-shaped URL ("-661.html",
//     "/2024/05/", a long numeric id, "?id=123"); article too when it is
//     dated, article-shaped and its content is an attached document or
//     pictures (a decision posted as "Xem toàn văn tại đây" and its PDF, a
//     photo report); page for other titled text of 15+ words or a titled
//     document to download (e.g. /tong-quan/chuc-nang-nhiem-vu/21); other
//     for the rest. A listing is titled by its last breadcrumb item (the
//     category) when there is one.
//   - Content: the readability-style scorer's choice, checked (recheck.go);
//     a choice that neither holds nor follows the title, or lies in the
//     footer (the chrome outscores a page whose own text is one line), is
//     replaced by what follows the title up to the next list of links.
//   - Links: every absolute http(s) a/area href of the whole page (before
//     profile removals), fragments removed, deduplicated, in order.
//   - Attachments: links in the body to the types of AttachmentExts,
//     plus those printed with the article outside its text (a "Tệp đính kèm"
//     block) before the related-articles block.
//
// # Measuring
//
// Score and TokenPRF compare extractions with expectations (exact fields and
// body token precision/recall/F1) so that commands can report quality too.
// ScoreGoldenSet scores a golden set directory (pages.json with
// hand-written expectations, as testdata/pages), ScoreRealWorld the
// captured pages of shared/realworld; go run ./extract/cmd/extractscore
// prints the tables for the golden set, the fixture site and the real
// pages, and TestScoreRegression fails when the totals drop below the
// current figures. testdata/pages holds 37 pages (34 articles) in four
// families: a* classic table CMS, b*/e* semantic <article> with
// BreadcrumbList microdata or JSON-LD, c*/f* news sites, d* the target
// site's chrome in id-only, <font>/<span> soup, <br>- and <div>-paragraph
// markup, g* legacy TCVN3/VNI pages. Pages generated from testdata/src
// (windows-1258, TCVN3, VNI) are rewritten with -update.
//
// Version goes up with every change of what Extract returns, and Setup
// names it with the profiles in force: a catalog records the setup its
// articles were read with, and a crawl under another one reads the
// archive again first. TestVersionFingerprint fails when the output on
// the test pages changes under the same Version.
package extract
