package export

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"tulieu/api"
	"tulieu/index"
	"tulieu/store"
	"tulieu/warc"
)

// Selection is which articles an export takes.
type Selection struct {
	Query          string    `json:"query,omitempty"` // a search query (see index.QueryHelp)
	Category       string    `json:"category,omitempty"`
	Author         string    `json:"author,omitempty"`
	From           time.Time `json:"from,omitzero"` // published, inclusive days
	To             time.Time `json:"to,omitzero"`
	ChangedSince   time.Time `json:"changed_since,omitzero"` // new or changed since
	IncludeDeleted bool      `json:"include_deleted,omitempty"`
	IncludePages   bool      `json:"include_pages,omitempty"` // static pages too
	AllVersions    bool      `json:"all_versions,omitempty"`  // every version as its own record
	Oldest         bool      `json:"oldest,omitempty"`        // oldest published first (default: newest first)
	// IDs, when given, are the articles to take (as `--ids-from` reads
	// them), further narrowed by the rest; IDsFrom names where they came
	// from, for provenance.
	IDs     []string `json:"-"`
	IDsFrom string   `json:"ids_from,omitempty"`
}

// MarshalJSON writes the selection as the provenance of an export
// (FILE.meta.json, the workbook's "Nguồn" sheet, tulieu-export.json):
// from and to as the days they are ("2026-12-06"), inclusive, in
// Vietnam's calendar as the filter reads them. As instants they were
// midnight UTC, 07:00 in Vietnam: a range of one day read as empty, its
// records outside it.
func (s Selection) MarshalJSON() ([]byte, error) {
	type plain Selection // without this method
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	return json.Marshal(struct {
		plain
		From string `json:"from,omitempty"`
		To   string `json:"to,omitempty"`
	}{plain(s), day(s.From), day(s.To)})
}

// Record is one exported article, or one version of it, with where it
// comes from in the archive. Its JSON is an api.Article with three more
// keys.
type Record struct {
	api.Article
	// Version is the number of the version this record is, with
	// Selection.AllVersions; 0 for the current state.
	Version int `json:"version,omitempty"`
	// FetchedFrom is the address this version was fetched from, with
	// Selection.AllVersions: an article that moved (its url is its
	// address now) had its earlier versions at its earlier addresses.
	FetchedFrom string `json:"fetched_from,omitempty"`

	// For the formats that copy from the archive.
	BodyHTML string         `json:"-"`
	Capture  *store.Capture `json:"-"` // nil when no capture is recorded
	// LinkTexts are the attachments' link texts as the page printed
	// them ("Kế hoạch số 12-KH/ĐUK"), by URL, for the pages that list
	// them.
	LinkTexts map[string]string `json:"-"`
}

// Meta says what produced a file: every format records it (a second
// sheet, a file in the package, a warcinfo record, a sidecar).
type Meta struct {
	Format    string    `json:"format"`
	Selection Selection `json:"selection"`
	Created   time.Time `json:"created"`
	Tool      string    `json:"tool"`   // tulieu and its version
	Fields    []string  `json:"fields"` // the columns, for csv, xlsx and jsonl

	warn func(string) // Options.Warn, never nil
}

// Writer writes records in one format. Close finishes the file (a zip's
// directory, a workbook) and must be called after the last record; a
// Writer whose export failed is abandoned without Close.
type Writer interface {
	Write(ctx context.Context, r *Record) error
	Close() error
}

// Archive is what the formats that copy archived bytes read (images for md
// and html, records for warc and wacz); *store.Store is one.
type Archive interface {
	CaptureNear(ctx context.Context, url string, at time.Time) (*store.Capture, error)
	FollowLink(ctx context.Context, link string, at time.Time, found func(u string) (bool, error)) ([]*store.Capture, error)
	CaptureByID(ctx context.Context, id int64) (*store.Capture, error)
	PayloadCapture(ctx context.Context, id int64) (*store.Capture, error)
	OpenCapture(ctx context.Context, captureID int64) (*warc.Body, *store.Capture, error)
	WARCPath() string
}

// followArchived finds what the archive holds for a link (an image, an
// attached document) nearest to at: the capture of the link as written
// or in its normal form (the crawler fetches and archives links
// normalized) or, when the link answered with a redirect (a CMS's
// /tai-ve/x.docx sends to /uploads/2026/07/…), the capture the redirects
// lead to, with those redirects in order (store.FollowLink). A nil
// capture: the archive has none.
func followArchived(ctx context.Context, a Archive, u string, at time.Time) (*store.Capture, []*store.Capture, error) {
	var cp *store.Capture
	redirects, err := a.FollowLink(ctx, u, at, func(v string) (bool, error) {
		c, err := a.CaptureNear(ctx, v, at)
		if errors.Is(err, store.ErrNotFound) {
			return false, nil
		}
		cp = c
		return err == nil, err
	})
	if err != nil {
		return nil, nil, err
	}
	return cp, redirects, nil
}

// format is one output format.
type format struct {
	name        string
	ext         string
	contentType string
	fields      bool // takes --fields
	open        func(w io.Writer, m *Meta, a Archive) (Writer, error)
}

// formats are the formats, in the order help texts name them.
func formats() []format {
	return []format{
		{"jsonl", "jsonl", "application/x-ndjson; charset=utf-8", true, newJSONL},
		{"csv", "csv", "text/csv; charset=utf-8", true, newCSV},
		{"xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", true, newXLSX},
		{"md", "md.zip", "application/zip", false, newMarkdownDocs},
		{"html", "html.zip", "application/zip", false, newHTMLDocs},
		{"warc", "warc.gz", "application/warc", false, newWARC},
		{"wacz", "wacz", "application/wacz", false, newWACZ},
	}
}

func lookup(name string) (format, bool) {
	for _, f := range formats() {
		if f.name == name {
			return f, true
		}
	}
	return format{}, false
}

// Formats lists the format names.
func Formats() []string {
	var out []string
	for _, f := range formats() {
		out = append(out, f.name)
	}
	return out
}

// CheckFormat returns an error naming the known formats when format is
// not one of them.
func CheckFormat(name string) error {
	if _, ok := lookup(name); !ok {
		return fmt.Errorf("format must be %s, not %q", strings.Join(Formats(), ", "), name)
	}
	return nil
}

// CheckFields says whether format takes a choice of fields (csv, xlsx,
// jsonl do; the documents and archives have their own shape) and whether
// each of fields is a column, so that a caller reports a bad request
// before it writes anything.
func CheckFields(format string, fields []string) error {
	if len(fields) == 0 {
		return nil
	}
	if f, ok := lookup(format); ok && !f.fields {
		return fmt.Errorf("fields can be chosen for csv, xlsx and jsonl, not %s", f.name)
	}
	return CheckColumns(fields)
}

// CheckVersionFields refuses "version" and "fetched_from" among the
// chosen fields of an export of current states: only a record of one
// version has them ("version" 0 named a version that never exists).
func CheckVersionFields(fields []string, allVersions bool) error {
	if allVersions {
		return nil
	}
	for _, name := range fields {
		if name == "version" || name == "fetched_from" {
			return fmt.Errorf("%s: only a record of one version has it (with --versions all)", name)
		}
	}
	return nil
}

// ContentType is the media type of a format, for HTTP answers.
func ContentType(name string) string {
	f, _ := lookup(name)
	return f.contentType
}

// FormatOfFile is the format a file name's extension names ("2020.csv",
// "ket-qua.XLSX", "bai.warc.gz"); false when it names none.
func FormatOfFile(name string) (string, bool) {
	lower := strings.ToLower(name)
	best := format{}
	for _, f := range formats() {
		if strings.HasSuffix(lower, "."+f.ext) && len(f.ext) > len(best.ext) {
			best = f
		}
	}
	return best.name, best.name != ""
}

// CheckFileName says whether name suits an export in format: a file
// named ".html", ".md" or ".warc" would hold a zip or a gzip stream that
// what opens such a name cannot read, and a ".zip" names no one format.
// The error says what name to give.
func CheckFileName(format, name string) error {
	if named, ok := FormatOfFile(name); ok {
		if named != format {
			return fmt.Errorf("%s names the %s format, not %s", name, named, format)
		}
		return nil
	}
	lower := strings.ToLower(name)
	for _, bad := range []struct{ ext, says, instead string }{
		{".html", "an html export is a zip of pages and their images", ".html.zip"},
		{".htm", "an html export is a zip of pages and their images", ".html.zip"},
		{".md", "an md export is a zip of Markdown files and their images", ".md.zip"},
		{".warc", "a warc export is gzip-compressed", ".warc.gz"},
		{".zip", "an md or html export is a zip", ".md.zip or ….html.zip"},
		{".gz", "only a warc export is gzip-compressed", ".warc.gz"},
	} {
		if strings.HasSuffix(lower, bad.ext) {
			want, _ := lookup(format)
			return fmt.Errorf("%s: %s (name it …%s); with --format %s, name the file …%s", name, bad.says, bad.instead, format, "."+want.ext)
		}
	}
	return nil
}

// Ext is a format's file name extension.
func Ext(name string) string {
	f, _ := lookup(name)
	return f.ext
}

// Tool names this program and its version, for provenance.
func Tool() string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		v = toolVersion(bi)
	}
	return "tulieu " + v
}

// toolVersion is the main module's version, and the commit it was built
// from unless the version names it already (Go stamps a build from a
// clone with a pseudo-version ending in the commit; "(devel)" when VCS
// stamping is off, -buildvcs=false).
func toolVersion(bi *debug.BuildInfo) string {
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 && !strings.HasSuffix(v, s.Value[:12]) {
			v += " " + s.Value[:12]
		}
	}
	return v
}

// Matcher walks the ids a search matches; *index.Index is one.
type Matcher interface {
	MatchIDs(ctx context.Context, req index.Request, fn func(ids []string) error) error
}

// Catalog reads the articles and their captures; *store.Store is one.
type Catalog interface {
	Archive
	Articles(ctx context.Context, f store.Filter) ([]store.Article, error)
	ResolveFilter(ctx context.Context, f store.Filter) (store.Filter, error)
	EachArticle(ctx context.Context, f store.Filter, fn func(*store.Article) error) error
	Versions(ctx context.Context, id string) ([]store.Version, error)
	CapturesByID(ctx context.Context, ids []int64) (map[int64]*store.Capture, error)
	api.AttachmentTexter
	// AttachmentTextsAt reads them as of a version's time.
	AttachmentTextsAt(ctx context.Context, urls []string, at time.Time) (map[string]store.AttachmentText, error)
}

// Options are what an export may be told besides its selection.
type Options struct {
	Format string
	Fields []string // csv, xlsx, jsonl: these columns only (see Columns)
	// Progress, if set, is called with the number of records written so
	// far, after each page of them.
	Progress func(n int)
	Now      func() time.Time // default time.Now
	// Warn, if set, is told of each archived record the export leaves
	// out because it cannot be read (a damaged byte in a WARC file): the
	// warc and wacz formats verify every record they copy.
	Warn func(msg string)
}

// ErrNeedsIndex is returned for a selection by query or author without a
// search index to ask.
var ErrNeedsIndex = errors.New("export: a selection by query or author needs the search index")

// Write writes the selected records to w and returns how many it wrote.
// m may be nil when sel has no query and no author. On error the output
// is incomplete and must be thrown away.
func Write(ctx context.Context, w io.Writer, sel Selection, opts Options, cat Catalog, m Matcher) (int, error) {
	f, ok := lookup(opts.Format)
	if !ok {
		return 0, CheckFormat(opts.Format)
	}
	fields := opts.Fields
	if len(fields) == 0 {
		fields = DefaultColumns(sel.AllVersions)
	} else if err := CheckFields(f.name, fields); err != nil {
		return 0, err
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	meta := &Meta{Format: f.name, Selection: sel, Created: now().UTC(), Tool: Tool(), Fields: fields, warn: opts.Warn}
	if meta.warn == nil {
		meta.warn = func(string) {}
	}
	if (sel.Query != "" || sel.Author != "") && m == nil {
		return 0, ErrNeedsIndex
	}
	out, err := f.open(w, meta, cat)
	if err != nil {
		return 0, err
	}
	// Two stages, so that the catalog's reads of the next articles overlap
	// the formatting and writing of the last ones (on two cores a jsonl
	// export spends about half its time in each): this goroutine reads
	// the selection and builds its records a chunk at a time, and
	// writeRecords formats them. At most three chunks are in memory.
	batches := make(chan []*Record, 1)
	n := 0
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	written := make(chan error, 1)
	go func() {
		err := writeRecords(wctx, out, batches, &n, opts.Progress)
		if err != nil {
			cancel() // stop the reading stage
			for range batches {
			}
		}
		written <- err
	}()
	emit := func(arts []store.Article) error {
		var ids []int64
		for i := range arts {
			ids = append(ids, arts[i].CaptureID)
		}
		caps, err := cat.CapturesByID(wctx, ids)
		if err != nil {
			return err
		}
		batch := make([]*Record, 0, len(arts))
		for i := range arts {
			recs, err := records(wctx, cat, &arts[i], caps, sel.AllVersions)
			if err != nil {
				return err
			}
			batch = append(batch, recs...)
		}
		select {
		case batches <- batch:
		case <-wctx.Done():
		}
		return wctx.Err()
	}
	filter := store.Filter{Category: sel.Category, From: sel.From, To: sel.To, ChangedSince: sel.ChangedSince,
		IncludeDeleted: sel.IncludeDeleted, Oldest: sel.Oldest}
	if sel.IncludePages {
		filter.Kinds = []string{store.KindArticle, store.KindPage}
	}
	byIDs := func(ids []string) error {
		f := filter
		f.IDs = ids
		arts, err := cat.Articles(wctx, f)
		if err != nil {
			return err
		}
		return emit(arts)
	}
	// Its category's spellings are found once, not for each chunk.
	filter, err = cat.ResolveFilter(wctx, filter)
	switch {
	case err != nil:
	case sel.Query != "" || sel.Author != "":
		// Deleted articles reach the catalog's filter when it may want
		// them: a deletion within --changed-since is a change.
		req := index.Request{Query: sel.Query, Category: sel.Category, Author: sel.Author, From: sel.From, To: sel.To,
			IncludeDeleted: sel.IncludeDeleted || !sel.ChangedSince.IsZero(), Sort: "newest"}
		if sel.Oldest {
			req.Sort = "oldest"
		}
		var allowed map[string]bool
		if len(sel.IDs) > 0 {
			allowed = make(map[string]bool, len(sel.IDs))
			for _, id := range sel.IDs {
				allowed[id] = true
			}
		}
		err = m.MatchIDs(wctx, req, func(ids []string) error {
			if allowed != nil {
				ids = slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return !allowed[id] })
			}
			return byIDs(ids)
		})
	case len(sel.IDs) > 0:
		for from := 0; from < len(sel.IDs) && err == nil; from += chunk {
			err = byIDs(sel.IDs[from:min(len(sel.IDs), from+chunk)])
		}
	default:
		page := make([]store.Article, 0, chunk)
		err = cat.EachArticle(wctx, filter, func(a *store.Article) error {
			if page = append(page, *a); len(page) == chunk {
				err := emit(page)
				page = page[:0]
				return err
			}
			return nil
		})
		if err == nil && len(page) > 0 {
			err = emit(page)
		}
	}
	close(batches)
	werr := <-written
	if werr != nil {
		return n, werr
	}
	if err != nil {
		return n, err
	}
	return n, out.Close()
}

// writeRecords writes the batches of records to out until batches is
// closed, counting them in n, and calls progress after each batch.
func writeRecords(ctx context.Context, out Writer, batches <-chan []*Record, n *int, progress func(int)) error {
	for batch := range batches {
		for _, r := range batch {
			if err := out.Write(ctx, r); err != nil {
				return err
			}
			*n++
		}
		if progress != nil {
			progress(*n)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// chunk is how many articles are read from the catalog at a time.
const chunk = 500

// records are the records of one article: its current state, or each of
// its versions.
func records(ctx context.Context, cat Catalog, a *store.Article, caps map[int64]*store.Capture, all bool) ([]*Record, error) {
	rec := func(c store.Content, sha string, captureID int64, version int) (*Record, error) {
		copyA := *a
		copyA.Content, copyA.SHA256 = c, sha
		r := &Record{Article: api.NewArticle(&copyA, nil), Version: version, BodyHTML: c.BodyHTML}
		for _, at := range c.Attachments {
			if t := strings.TrimSpace(at.Text); t != "" {
				if r.LinkTexts == nil {
					r.LinkTexts = map[string]string{}
				}
				r.LinkTexts[at.URL] = t
			}
		}
		cp := caps[captureID]
		if cp == nil && captureID != 0 {
			var err error
			if cp, err = cat.CaptureByID(ctx, captureID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return nil, err
			}
		}
		if cp != nil {
			r.Capture = cp
			r.SetCapture(cp)
		}
		return r, nil
	}
	if !all {
		r, err := rec(a.Content, a.SHA256, a.CaptureID, 0)
		if err != nil {
			return nil, err
		}
		// The text of the documents it attaches, as show --json gives it.
		if err := api.AddFiles(ctx, &r.Article, a, cat); err != nil {
			return nil, err
		}
		return []*Record{r}, nil
	}
	versions, err := cat.Versions(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	var out []*Record
	for _, v := range versions {
		r, err := rec(v.Content, v.SHA256, v.CaptureID, v.Version)
		if err != nil {
			return nil, err
		}
		r.FetchedFrom = v.FetchedFrom
		// The text of the documents this version attaches, as read from
		// the copies archived nearest to it.
		if urls := (&store.Article{Content: v.Content}).AttachmentURLs(); len(urls) > 0 {
			texts, err := cat.AttachmentTextsAt(ctx, urls, v.SeenAt)
			if err != nil {
				return nil, err
			}
			r.Files = api.NewFiles(urls, texts)
		}
		out = append(out, r)
	}
	return out, nil
}
