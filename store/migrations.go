package store

// migrations are applied in order, each once, inside one transaction; the
// number of applied migrations is kept in PRAGMA user_version. Never edit a
// migration that has shipped: add a new one.
var migrations = []string{
	// 1: the first schema.
	`
CREATE TABLE runs (
	id         INTEGER PRIMARY KEY,
	started    TEXT NOT NULL,              -- RFC 3339, UTC
	finished   TEXT,                       -- NULL while running or after a crash
	status     TEXT NOT NULL,              -- running | completed | interrupted | failed
	seeds      TEXT NOT NULL,              -- JSON list of start URLs
	fetched    INTEGER NOT NULL DEFAULT 0, -- HTTP responses received
	new        INTEGER NOT NULL DEFAULT 0, -- articles seen for the first time
	changed    INTEGER NOT NULL DEFAULT 0, -- articles whose content changed (a new version)
	unchanged  INTEGER NOT NULL DEFAULT 0, -- articles fetched again with the same content (or 304)
	deleted    INTEGER NOT NULL DEFAULT 0, -- articles that now answer 404 or 410
	errors     INTEGER NOT NULL DEFAULT 0, -- failed fetches
	bytes      INTEGER NOT NULL DEFAULT 0, -- bytes received on the wire
	note       TEXT NOT NULL DEFAULT ''    -- why a run failed or was interrupted
);

CREATE TABLE captures (
	id             INTEGER PRIMARY KEY,
	run_id         INTEGER REFERENCES runs(id),
	url            TEXT NOT NULL,    -- the URL requested (WARC-Target-URI)
	fetched_at     TEXT NOT NULL,    -- RFC 3339 with fractional seconds, UTC (WARC-Date)
	status         INTEGER NOT NULL, -- HTTP status; 0 when no response came
	content_type   TEXT NOT NULL DEFAULT '',
	length         INTEGER NOT NULL DEFAULT 0, -- payload bytes as sent (content-encoded)
	payload_digest TEXT NOT NULL DEFAULT '',   -- "sha1:BASE32" as in WARC-Payload-Digest
	etag           TEXT NOT NULL DEFAULT '',
	last_modified  TEXT NOT NULL DEFAULT '',
	location       TEXT NOT NULL DEFAULT '',   -- redirect target, if any
	kind           TEXT NOT NULL DEFAULT '',   -- what the page was: article | page | listing | other
	record_type    TEXT NOT NULL DEFAULT '',   -- response | revisit
	warc_file      TEXT NOT NULL DEFAULT '',   -- file name under warc/
	warc_offset    INTEGER NOT NULL DEFAULT 0, -- offset of the response/revisit record (gzip member)
	warc_length    INTEGER NOT NULL DEFAULT 0, -- compressed length of that record
	warc_record_id TEXT NOT NULL DEFAULT '',   -- its WARC-Record-ID, which revisit records refer to
	truncated      TEXT NOT NULL DEFAULT '',   -- WARC-Truncated reason, if the body was cut
	error          TEXT NOT NULL DEFAULT ''    -- why the fetch failed, when it did
);
CREATE INDEX captures_by_url ON captures(url, fetched_at);
CREATE INDEX captures_by_run ON captures(run_id);

CREATE TABLE articles (
	id           TEXT PRIMARY KEY,       -- stable id derived from the canonical URL
	url          TEXT NOT NULL UNIQUE,   -- canonical URL
	kind         TEXT NOT NULL,          -- article | page
	title        TEXT NOT NULL DEFAULT '',
	author       TEXT NOT NULL DEFAULT '',
	author_name  TEXT NOT NULL DEFAULT '',
	source       TEXT NOT NULL DEFAULT '',
	breadcrumb   TEXT NOT NULL DEFAULT '[]', -- JSON list
	category     TEXT NOT NULL DEFAULT '',
	published    TEXT NOT NULL DEFAULT '',   -- YYYY-MM-DD or RFC 3339 with +07:00, or ''
	body         TEXT NOT NULL DEFAULT '',   -- plain text, paragraphs separated by a blank line
	body_html    TEXT NOT NULL DEFAULT '',   -- sanitized HTML for display
	images       TEXT NOT NULL DEFAULT '[]', -- JSON [{"src","caption"}]
	attachments  TEXT NOT NULL DEFAULT '[]', -- JSON [{"url","text"}]
	lang         TEXT NOT NULL DEFAULT '',
	sha256       TEXT NOT NULL DEFAULT '',   -- hex SHA-256 of body
	content_hash TEXT NOT NULL DEFAULT '',   -- hex SHA-256 of every extracted field: decides "changed"
	status       TEXT NOT NULL DEFAULT 'live', -- live | deleted
	first_seen   TEXT NOT NULL,
	last_seen    TEXT NOT NULL,
	last_changed TEXT NOT NULL,
	deleted_at   TEXT NOT NULL DEFAULT '',
	versions     INTEGER NOT NULL DEFAULT 1,
	capture_id   INTEGER REFERENCES captures(id), -- the capture the current fields come from
	seq          INTEGER NOT NULL            -- change sequence: bumped on every change, followed by the index
);
CREATE INDEX articles_by_seq ON articles(seq);
CREATE INDEX articles_by_category ON articles(category);
CREATE INDEX articles_by_published ON articles(published);

CREATE TABLE versions (
	article_id   TEXT NOT NULL REFERENCES articles(id),
	version      INTEGER NOT NULL,       -- 1, 2, ...
	seen_at      TEXT NOT NULL,          -- when this content was first captured
	capture_id   INTEGER REFERENCES captures(id),
	kind         TEXT NOT NULL DEFAULT '',
	title        TEXT NOT NULL DEFAULT '',
	author       TEXT NOT NULL DEFAULT '',
	author_name  TEXT NOT NULL DEFAULT '',
	source       TEXT NOT NULL DEFAULT '',
	breadcrumb   TEXT NOT NULL DEFAULT '[]',
	category     TEXT NOT NULL DEFAULT '',
	published    TEXT NOT NULL DEFAULT '',
	body         TEXT NOT NULL DEFAULT '',
	body_html    TEXT NOT NULL DEFAULT '',
	images       TEXT NOT NULL DEFAULT '[]',
	attachments  TEXT NOT NULL DEFAULT '[]',
	sha256       TEXT NOT NULL DEFAULT '',
	content_hash TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (article_id, version)
);

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
INSERT INTO settings(key, value) VALUES ('seq', '0');
`,
	// 2: the crawl frontier, so an interrupted run can be continued.
	`
CREATE TABLE frontier (
	run_id INTEGER NOT NULL REFERENCES runs(id),
	url    TEXT NOT NULL,              -- normalized URL queued in that run
	depth  INTEGER NOT NULL,           -- links followed from a start URL
	done   INTEGER NOT NULL DEFAULT 0, -- 1 once fetched and handled (or given up on)
	PRIMARY KEY (run_id, url)
) WITHOUT ROWID;
ALTER TABLE runs ADD COLUMN resumed_from INTEGER REFERENCES runs(id); -- the interrupted run this one continued

CREATE TABLE outlinks (
	capture_id INTEGER NOT NULL REFERENCES captures(id), -- the page that links out
	url        TEXT NOT NULL,                            -- a link to another site: recorded, never fetched
	PRIMARY KEY (capture_id, url)
) WITHOUT ROWID;
CREATE INDEX outlinks_by_url ON outlinks(url);
`, // 3: exports read the articles newest first a page at a time, each page
	// after the last one read (keyset): an index in that order makes each
	// page a range of it instead of a sort of the whole table.
	`
CREATE INDEX articles_by_published_url ON articles(published, url);
`, // 4: the static pages' counts of a run, apart from the articles'.
	`
ALTER TABLE runs ADD COLUMN pages_new INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN pages_changed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN pages_unchanged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN pages_deleted INTEGER NOT NULL DEFAULT 0;
`, // 5: the text of attached documents (PDF, DOCX…), read from their
	// captures, so that a search finds the article that links them.
	`
CREATE TABLE attachment_texts (
	capture_id   INTEGER PRIMARY KEY REFERENCES captures(id), -- the capture of the document
	url          TEXT NOT NULL,
	reader       TEXT NOT NULL DEFAULT '', -- what read it: docx, pdftotext…
	text         TEXT NOT NULL DEFAULT '',
	error        TEXT NOT NULL DEFAULT '', -- why no text could be read ("" when read)
	extracted_at TEXT NOT NULL
);
CREATE INDEX attachment_texts_by_url ON attachment_texts(url, capture_id);
`, // 6: a re-crawl asks, for every page answered 304, which article's
	// content came from it (Recorded, MarkUnchanged: id = ? OR capture_id
	// IN …). Without an index on capture_id each asking read the whole
	// articles table, bodies included: re-crawling 10 000 unchanged
	// articles took 323 s against 17 s for the first crawl.
	`
CREATE INDEX articles_by_capture ON articles(capture_id);
`, // 7: the requisites (images, style sheets) a page's capture links, so
	// that a re-crawl that finds the page unchanged checks them again
	// without reading the page back from the archive (that read was 40 %
	// of a re-crawl's CPU).
	`
CREATE TABLE page_requisites (
	capture_id INTEGER PRIMARY KEY REFERENCES captures(id), -- a response capture of the page
	urls       TEXT NOT NULL                                  -- JSON array of absolute URLs
);
`, // 8: every version's text was written twice, in articles and in
	// versions: the catalog was 2.7 times the text it holds. The newest
	// version now points at its article's fields ("current"), and an
	// older one is packed (zstd-compressed JSON) when a change replaces it
	// (see versions.go). Rows written before stay readable as they are
	// ("columns"); the newest of each article is cleared here when it
	// holds what its article holds (its kind included: a reclassified
	// article's version keeps the kind it was seen with). SQLite reuses the freed pages; the
	// file itself shrinks only with VACUUM.
	`
ALTER TABLE versions ADD COLUMN stored TEXT NOT NULL DEFAULT 'columns'; -- columns | current | zstd
ALTER TABLE versions ADD COLUMN packed BLOB;                            -- when stored = 'zstd'
UPDATE versions SET stored = 'current', kind = '', title = '', author = '', author_name = '', source = '',
	breadcrumb = '[]', category = '', published = '', body = '', body_html = '', images = '[]', attachments = '[]'
	WHERE EXISTS (SELECT 1 FROM articles a WHERE a.id = versions.article_id AND a.versions = versions.version
		AND a.content_hash = versions.content_hash AND a.kind = versions.kind);
`, // 9: the articles a run with --revisit adaptive left for a later
	// night.
	`
ALTER TABLE runs ADD COLUMN not_due INTEGER NOT NULL DEFAULT 0;
`, // 10: a revisit names the response capture that holds its payload, so
	// that a page answering 304 night after night finds its archived copy
	// (and the requisites recorded with it) without a search by URL and
	// digest at every revisit.
	`
ALTER TABLE captures ADD COLUMN payload_capture_id INTEGER; -- revisit: the response capture holding its payload (NULL: found by URL and digest)
`, // 11: WARC records found damaged (a flipped byte, a bad sector) and
	// acknowledged by check --repair. A WARC file is never rewritten, so
	// the damage stays; the catalog remembers it, so that the next crawl
	// fetches the page whole again instead of asking "changed since?"
	// of a copy nobody can read, and exports leave the record out.
	`
CREATE TABLE damaged_records (
	warc_file   TEXT NOT NULL,
	warc_offset INTEGER NOT NULL,
	reason      TEXT NOT NULL,   -- what reading it found ("gzip: invalid checksum")
	marked_at   TEXT NOT NULL,
	PRIMARY KEY (warc_file, warc_offset)
) WITHOUT ROWID;
`, // 12: the redirects that lead to an address, by their target: the
	// articles whose attachment link redirects to a document are found
	// when its text is read (see articlesLinking).
	`
CREATE INDEX captures_by_location ON captures(location) WHERE location != '';
`, // 13: an article's other addresses. A CMS that gives a retitled
	// article a new slug redirects the old address to the new one, or
	// names the new one canonical: the article moved, and keeps its id and
	// its history under the new address (see aliases.go).
	`
CREATE TABLE aliases (
	id         TEXT PRIMARY KEY, -- ArticleID of the address
	url        TEXT NOT NULL,    -- the address
	article_id TEXT NOT NULL,    -- the article it is an address of
	since      TEXT NOT NULL,    -- when the article moved there
	seq        INTEGER NOT NULL  -- the change sequence: the index drops a document of that id
) WITHOUT ROWID;
CREATE INDEX aliases_by_seq ON aliases(seq);
`, // 14: when an article last moved (to a new address, or back to one it
	// had): a move is a change of the record that reports of what
	// changed list (Filter.ChangedSince), though no version comes of it.
	`
ALTER TABLE articles ADD COLUMN moved_at TEXT NOT NULL DEFAULT '';
UPDATE articles SET moved_at = COALESCE((SELECT MAX(since) FROM aliases WHERE article_id = articles.id), '');
`, // 15: a run's page and requisite counts, as its summary gives them, so
	// that stats' last_run says what share of the pages failed (runs
	// before it read 0).
	`
ALTER TABLE runs ADD COLUMN pages INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN requisites INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN requisite_errors INTEGER NOT NULL DEFAULT 0;
`, // 16: articles of the same date in the order of their ids, as the
	// search index sorts them by date, both ways: an export lists them as
	// the page does. An index for each direction, so that each page of an
	// export stays a range of one (no sort of what is left).
	`
CREATE INDEX articles_by_published_id ON articles(published, id);
CREATE INDEX articles_by_published_desc_id ON articles(published DESC, id);
DROP INDEX articles_by_published_url;
`, // 17: the captures of an address that brought a page whole (200),
	// which are the only ones an article's content comes from. The
	// article a 304 confirms is found by its address or by the capture
	// its content came from (sqlCapturesOfContent); through every
	// capture of the address, one more each night, the night's update of
	// last_seen took 0.33 µs more a page for each night archived (45 µs
	// at 2 nights, 71 µs at 80: 170 µs after a year).
	`
CREATE INDEX captures_whole_by_url ON captures(url) WHERE status = 200;
`,
}
