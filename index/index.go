package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	bolt "go.etcd.io/bbolt"
)

// Document is one archived article as the index sees it.
type Document struct {
	ID, URL, Title, Body, Author string // Author: the byline as printed
	// AuthorName is the person the byline names (several joined with
	// ", "): what the author facet counts, the byline when it is empty.
	AuthorName string
	Breadcrumb []string
	Category   string
	Published  string   // "YYYY-MM-DD" or RFC 3339 ("2020-03-07T08:00:00+07:00") or ""
	Captions   []string // image captions
	Status     string   // "live" or "deleted"
	// Files are the texts of the documents the article attaches (PDF,
	// DOCX…): plain words find the article through them, tep: searches
	// them alone, and a snippet from one names its file.
	Files []File
}

// File is an attached document's name and text.
type File struct {
	Name, Text string
}

// Request is one search.
type Request struct {
	Query          string    // see QueryHelp; "" lists all documents
	Limit, Offset  int       // Limit 0 means 10; at most MaxLimit and MaxOffset
	Category       string    // exact category match ("" = any)
	Author         string    // matches within the author field, accents optional; see ExactAuthor
	From, To       time.Time // zero = unbounded; inclusive calendar days
	Sort           string    // "relevance" (default), "newest", "oldest"
	IncludeDeleted bool
	// Facets asks for the counts by category, author and year over all
	// matches. They cost about a third of a search over a large index, so
	// they are computed only when asked for.
	Facets bool

	// The spellings of Category and of an exact Author that the index
	// holds (see keywordTerms); nil: the value as given.
	categoryTerms, authorTerms []string
}

// Hit is one search result.
type Hit struct {
	ID, URL, Title, Author string
	Breadcrumb             []string
	Category, Published    string
	Status                 string // "live" or "deleted" (taken down from the site)
	Score                  float64
	// Snippet is a plain-text extract of the body (or of a caption) around
	// the matched words, in the author's spelling; SnippetHTML is the same
	// text HTML-escaped with the matches wrapped in <mark></mark>. Text
	// fields of a Hit are returned in NFC.
	Snippet     string
	SnippetHTML string
	// File is the attached document the snippet comes from, "" when it
	// comes from the article itself.
	File string
	// TitleHTML is Title, HTML-escaped, with the words that match the
	// query (plain words, phrases, tieude:) wrapped in <mark></mark>.
	TitleHTML string
}

// Facet is one value of a facet with its number of matching documents.
type Facet struct {
	Term  string
	Count int
}

// Result is the answer to a Request.
type Result struct {
	Query string
	Total uint64
	Hits  []Hit
	// Facets over all matching documents: "category" and "author" by
	// count (descending), "year" by year (newest first).
	Facets map[string][]Facet
}

// QueryError reports a malformed query. Pos is the 0-based offset, in
// characters (runes), of the problem in Query.
type QueryError struct {
	Query string
	Pos   int
	Msg   string
	Vi    string // Msg in Vietnamese, for the web page
}

func (e *QueryError) Error() string {
	return fmt.Sprintf("invalid query at character %d: %s", e.Pos+1, e.Msg)
}

// ErrCorrupt is wrapped by Open when the directory holds an index that
// cannot be opened or was written by an incompatible version; the caller
// should Remove the directory and rebuild the index from the catalog.
var ErrCorrupt = errors.New("index: corrupt or incompatible search index")

// ErrOtherVersion is wrapped, with ErrCorrupt, by Open when the index was
// written by a version of tulieu whose index this one does not read (after
// an upgrade): nothing is damaged, the index is rebuilt from the catalog.
var ErrOtherVersion = errors.New("built by another version of tulieu")

// MaxLimit bounds Request.Limit.
const MaxLimit = 1000

// MaxOffset bounds Request.Offset. A search collects its best Offset+Limit
// matches in memory, so an unbounded offset costs memory without bound (and
// near the int64 edge overflowed inside bleve, whose panic in its own
// goroutine ended the process). Like the result windows of search engines,
// deeper pages are for export, which walks every match (MatchIDs).
const MaxOffset = 10000

// MaxQueryLength bounds Request.Query, in bytes: a query longer than any a
// person types is refused before it is parsed or analyzed.
const MaxQueryLength = 2000

// RequestError reports a Request that Search does not answer: an offset,
// limit or query length outside the bounds above. Like a *QueryError it
// is the caller's mistake (HTTP 400, exit code 2).
type RequestError struct {
	Msg string
	Vi  string // Msg in Vietnamese, for the web page
}

func (e *RequestError) Error() string { return e.Msg }

// validate checks a request against the bounds Search enforces.
func (r Request) validate() error {
	switch {
	case r.Limit < 0 || r.Limit > MaxLimit:
		return &RequestError{Msg: fmt.Sprintf("limit must be between 1 and %d", MaxLimit),
			Vi: fmt.Sprintf("số kết quả mỗi trang phải từ 1 đến %d", MaxLimit)}
	case r.Offset < 0 || r.Offset > MaxOffset:
		return &RequestError{Msg: fmt.Sprintf("offset must be between 0 and %d (to take every match, export them)", MaxOffset),
			Vi: fmt.Sprintf("chỉ xem được %d kết quả đầu tiên; để lấy tất cả, hãy tải chúng về (CSV, JSONL)", MaxOffset)}
	case len(r.Query) > MaxQueryLength:
		return &RequestError{Msg: fmt.Sprintf("the query is %d bytes long; at most %d are accepted", len(r.Query), MaxQueryLength),
			Vi: fmt.Sprintf("câu tìm kiếm dài %d byte; tối đa %d", len(r.Query), MaxQueryLength)}
	case len(r.Author) > MaxQueryLength || len(r.Category) > MaxQueryLength:
		return &RequestError{Msg: fmt.Sprintf("an author or category filter is at most %d bytes long", MaxQueryLength),
			Vi: fmt.Sprintf("tên tác giả hoặc chuyên mục để lọc dài tối đa %d byte", MaxQueryLength)}
	}
	switch r.Sort {
	case "", "relevance", "newest", "oldest":
	default:
		return &RequestError{Msg: fmt.Sprintf("sort must be relevance, newest or oldest, not %q", r.Sort),
			Vi: "cách sắp xếp chỉ có thể là phù hợp nhất, mới nhất hoặc cũ nhất"}
	}
	return nil
}

// lockTimeout is how long Open waits for another process that has the
// index open; after it Open fails (without ErrCorrupt).
const lockTimeout = 3 * time.Second

// batchSize is the number of documents per bleve batch in Put. Larger
// batches make fewer, larger segments and less merging. At 100 000
// articles, batches of 1000 took 12 % less CPU to build the index than
// batches of 500, for a peak RSS of 2.6 GB instead of 1.7 GB
// (BENCHMARKS.md): with the pair view's positions gone, about the peak
// that batches of 500 had before.
const batchSize = 1000

// mergePlan is how each shard's segments are merged (scorch's tiered
// plan), given to bleve whenever a shard is created or opened. Bleve's
// default allows 10 segments per tier: building 100 000 articles
// (50 000 per shard), the segments of single batches were merged ten at
// a time, and those merged segments again into one, so most postings
// were written three times. With 20 per tier the second merge is put
// off until a shard holds well over 100 000 articles: 4 % less CPU for
// a full build of 100 000 (with batches of 500), and searches measured
// no slower over the larger number of segments (BENCHMARKS.md).
func mergePlan() map[string]any { return map[string]any{"MaxSegmentsPerTier": 20} }

// buildPlan is the merge plan of an index being built (OpenToBuild). The
// tiers of mergePlan start at bleve's floor of 2000 documents, so a shard
// is allowed about one segment per 2000 documents until it holds 40 000:
// the segments of a catch-up's batches (about 125 documents a shard) were
// merged again and again while it ran. Building a shard of 5 000
// documents rewrote each one about eight times (scorch's planner run on
// the sizes a catch-up makes), 25 000 four times, and MergeAll then wrote
// them once more; merges took 15 % of a first crawl's CPU. With tiers
// that start at the smallest segment (a floor of 1) and tasks of up to 20
// segments, a shard of 5 000 documents is rewritten half a time before
// MergeAll, one of 25 000 or 50 000 about once, with at most about 40
// segments a shard meanwhile.
func buildPlan() map[string]any {
	return map[string]any{"MaxSegmentsPerTier": 20, "SegmentsPerMergeTask": 20, "FloorSegmentSize": 1}
}

const (
	internalSchema = "tulieu.schema"
	internalSeq    = "tulieu.seq"
)

// defaultShards is the number of Bleve indexes an index is split into.
// A search asks all of them at once, so one query uses as many cores,
// and each shard's segments are half as large to build and merge.
// Documents go to a shard by a hash of their ID. The count is written
// in the layout file when the index is created and read from it after.
const defaultShards = 2

// layoutFile names the shards of an index. It is written last when an
// index is created, so a directory without it holds no usable index.
const layoutFile = "tulieu_index.json"

type layout struct {
	Schema string `json:"schema"`
	Shards int    `json:"shards"`
}

func shardDir(dir string, i int) string { return filepath.Join(dir, fmt.Sprintf("shard-%02d", i)) }

// Index is a Bleve full-text index of archived documents, split into
// shards (see defaultShards). It is safe for concurrent use.
type Index struct {
	dir    string
	log    *slog.Logger
	shards []bleve.Index
	alias  bleve.IndexAlias // all shards, searched in parallel
	views  []viewAnalyzers  // per shard, for shareViews
	// columns are the facet columns of each shard's segments (facetcols.go).
	columns []*columnCache
	// globalOrds adds up the shards' facet counts (facets.go).
	globalOrds globalOrdCache
	// gen counts the batches applied by this process (Generation).
	gen atomic.Uint64
	// bm25 keeps the whole index's BM25 figures (bm25stats.go).
	bm25 bm25StatsCache
	// keywords keeps the spellings of categories and authors (search.go:
	// keywordTerms).
	keywords keywordCache
	closeM   sync.Mutex
	closed   bool
	// compactM makes merges (Compact, MergeAll) wait for each other
	// (scorch refuses a second force merge while one runs).
	compactM sync.Mutex
	// damaged is set once a read found a segment damaged: Close then
	// leaves no note of a clean close, so that the next Open reads every
	// segment whole again (and finds the damage) instead of trusting them.
	damaged atomic.Bool
	// verifiedAt is when a verification after a failed read last found
	// every segment sound (Unix nanoseconds; verifyAfterFailure).
	verifiedAt atomic.Int64
	// building: this process created the index (OpenToBuild), and its
	// shards merge by buildPlan, not mergePlan (see Compact).
	building bool
}

func newIndex(dir string, logger *slog.Logger, shards []bleve.Index) *Index {
	ix := &Index{dir: dir, log: logger, shards: shards, alias: bleve.NewIndexAlias(shards...)}
	for _, bi := range shards {
		ix.views = append(ix.views, newViewAnalyzers(bi.Mapping()))
		ix.columns = append(ix.columns, &columnCache{})
	}
	return ix
}

// shardOf is the shard that holds the document id (FNV-1a of the ID).
func (ix *Index) shardOf(id string) int {
	h := uint32(2166136261)
	for i := 0; i < len(id); i++ {
		h = (h ^ uint32(id[i])) * 16777619
	}
	return int(h % uint32(len(ix.shards)))
}

// Open opens the index in dir, creating it if dir does not exist or is
// empty. An index that cannot be read, or was written with another
// schema, or (after a clean Close) no longer holds what it held then,
// gives an error wrapping ErrCorrupt. An index held open by another
// process gives a different error after a few seconds: only one process
// at a time may open an index.
func Open(dir string, logger *slog.Logger) (*Index, error) {
	return openWaiting(dir, logger, lockTimeout, false)
}

// OpenToBuild is Open for a caller that brings the index up to date at
// once and then merges its segments (MergeAll, or Compact after a smaller
// change): when it creates the index, whose every document is then new,
// the shards merge by buildPlan instead of mergePlan until it is closed.
// An index that exists is opened as Open opens it.
func OpenToBuild(dir string, logger *slog.Logger) (*Index, error) {
	return openWaiting(dir, logger, lockTimeout, true)
}

// openWaiting is Open waiting lockWait for another process that has the index
// open; build is OpenToBuild's.
func openWaiting(dir string, logger *slog.Logger, lockWait time.Duration, build bool) (*Index, error) {
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if dir == "" {
		return nil, errors.New("index: empty directory name")
	}
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist) || (err == nil && len(entries) == 0):
		return create(dir, logger, build)
	case err != nil:
		return nil, fmt.Errorf("index: %w", err)
	}
	ix, err := openExisting(dir, logger, lockWait)
	if err != nil {
		return nil, err
	}
	n, _ := ix.Count()
	seq, _ := ix.Seq()
	logger.Debug("search index opened", "dir", dir, "docs", n, "seq", seq, "shards", len(ix.shards))
	return ix, nil
}

func closeAll(shards []bleve.Index) {
	for _, b := range shards {
		if b != nil {
			func() {
				defer func() { _ = recover() }()
				b.Close()
			}()
		}
	}
}

func create(dir string, logger *slog.Logger, build bool) (*Index, error) {
	im, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("index: mapping: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	plan := mergePlan()
	if build {
		plan = buildPlan()
	}
	var shards []bleve.Index
	for i := range defaultShards {
		bi, err := bleve.NewUsing(shardDir(dir, i), im, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore,
			map[string]any{"scorchMergePlanOptions": plan})
		if err == nil {
			shards = append(shards, bi)
			err = bi.SetInternal([]byte(internalSchema), []byte(schemaVersion))
		}
		if err != nil {
			closeAll(shards)
			return nil, fmt.Errorf("index: create %s: %w", dir, err)
		}
	}
	b, _ := json.Marshal(layout{Schema: schemaVersion, Shards: len(shards)})
	if err := writeFileAtomic(filepath.Join(dir, layoutFile), b); err != nil {
		closeAll(shards)
		return nil, fmt.Errorf("index: create %s: %w", dir, err)
	}
	logger.Debug("search index created", "dir", dir, "shards", len(shards), "build", build)
	ix := newIndex(dir, logger, shards)
	ix.building = build
	return ix, nil
}

func writeFileAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func openExisting(dir string, logger *slog.Logger, lockWait time.Duration) (ix *Index, err error) {
	corrupt := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrCorrupt, dir, fmt.Sprintf(format, args...))
	}
	b, err := os.ReadFile(filepath.Join(dir, layoutFile))
	if errors.Is(err, os.ErrNotExist) {
		if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err == nil {
			return nil, corrupt("an index of an older tulieu (one Bleve index, not shards)")
		}
		return nil, corrupt("no %s: not created completely", layoutFile)
	}
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	var lay layout
	if err := json.Unmarshal(b, &lay); err != nil {
		return nil, corrupt("%s: %v", layoutFile, err)
	}
	if lay.Schema != schemaVersion {
		return nil, fmt.Errorf("%w: %w: %s: schema %q, this tulieu reads %q", ErrCorrupt, ErrOtherVersion, dir, lay.Schema, schemaVersion)
	}
	if lay.Shards < 1 || lay.Shards > 64 {
		return nil, corrupt("%s: %d shards", layoutFile, lay.Shards)
	}
	if err := checkWritable(dir); err != nil {
		return nil, err
	}
	var shards []bleve.Index
	defer func() {
		if r := recover(); r != nil {
			closeAll(shards)
			ix, err = nil, corrupt("panic while opening: %v", r)
		}
	}()
	fail := func(e error) (*Index, error) {
		closeAll(shards)
		shards = nil
		return nil, e
	}
	for i := range lay.Shards {
		bi, err := bleve.OpenUsing(shardDir(dir, i), map[string]any{
			"bolt_timeout":           lockWait.String(),
			"scorchMergePlanOptions": mergePlan(),
		})
		if errors.Is(err, bolt.ErrTimeout) {
			return fail(fmt.Errorf("%w: %s (%v)", ErrInUse, dir, err))
		}
		if err != nil {
			return fail(corrupt("shard %d: %v", i, err))
		}
		shards = append(shards, bi)
		if err := checkShard(bi); err != nil {
			return fail(corrupt("shard %d: %v", i, err))
		}
	}
	ix = newIndex(dir, logger, shards)
	// A clean Close leaves a note of what the index held. Scorch silently
	// falls back to an older snapshot when the newest one is unreadable,
	// so compare: a mismatch means lost data.
	st, ok, err := readState(dir)
	if err != nil {
		return fail(corrupt("%v", err))
	}
	// The segment files not seen whole before (all of them after a
	// crash), checked against their checksums: read with the shards
	// locked, from the snapshots, so never a file still being written.
	if err := ix.verifySegments(st.Segments); err != nil {
		return fail(err)
	}
	if ok {
		docs, _ := ix.shardCounts()
		seq, _ := shards[0].GetInternal([]byte(internalSeq))
		if !slices.Equal(docs, st.Shards) || string(seq) != st.Seq {
			return fail(corrupt("holds %v documents at seq %q, but %v at seq %q when last closed",
				docs, seq, st.Shards, st.Seq))
		}
	}
	// Until the next clean Close the note would be stale.
	if err := os.Remove(statePath(dir)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fail(fmt.Errorf("index: %w", err))
	}
	return ix, nil
}

// checkShard reads what Open needs from a shard, so that an unreadable
// one shows now rather than in a later search.
func checkShard(bi bleve.Index) error {
	v, err := bi.GetInternal([]byte(internalSchema))
	if err != nil {
		return fmt.Errorf("reading schema version: %v", err)
	}
	if string(v) != schemaVersion {
		return fmt.Errorf("schema %q, want %q", v, schemaVersion)
	}
	if _, err := bi.DocCount(); err != nil {
		return err
	}
	// Touch the stored data once so that unreadable segments show now.
	sr := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 1, 0, false)
	sr.Fields = []string{fTitle}
	if _, err := bi.Search(sr); err != nil {
		return fmt.Errorf("test search: %v", err)
	}
	return nil
}

func (ix *Index) shardCounts() ([]uint64, error) {
	out := make([]uint64, len(ix.shards))
	for i, b := range ix.shards {
		n, err := b.DocCount()
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

// cleanState is written to stateFile by Close.
type cleanState struct {
	Shards []uint64 `json:"shards"` // documents per shard
	Seq    string   `json:"seq"`
	// Segments are the segment files of the snapshots closed, which the
	// next Open need not read whole again (verify.go).
	Segments map[string]segmentStamp `json:"segments,omitempty"`
}

const stateFile = "tulieu_closed.json"

func statePath(dir string) string { return filepath.Join(dir, stateFile) }

func readState(dir string) (cleanState, bool, error) {
	var st cleanState
	b, err := os.ReadFile(statePath(dir))
	if errors.Is(err, os.ErrNotExist) {
		return st, false, nil
	}
	if err != nil {
		return st, false, err
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return st, false, fmt.Errorf("%s: %v", stateFile, err)
	}
	return st, true, nil
}

func (ix *Index) writeState() error {
	docs, err := ix.shardCounts()
	if err != nil {
		return err
	}
	seq, err := ix.shards[0].GetInternal([]byte(internalSeq))
	if err != nil {
		return err
	}
	segs, err := ix.segmentStamps()
	if err != nil {
		return err
	}
	b, _ := json.Marshal(cleanState{Shards: docs, Seq: string(seq), Segments: segs})
	return writeFileAtomic(statePath(ix.dir), b)
}

// Remove deletes the index directory dir (for rebuilds), which its
// caller has closed or failed to open. It refuses a directory that does
// not look like a search index.
func Remove(dir string) error {
	return remove(dir, false, 0)
}

// RemoveUnused is Remove for an index nobody may be using: it refuses one
// another process has open (ErrInUse, after waiting lockTimeout for it),
// holding each shard's lock, as Open takes it, while it removes the
// files, so that no process opens the index half removed. Nothing of the
// index is read but those locks (Open, asked whether the index was in
// use, read every segment after a crash, for an index about to go). Not
// for an index this process failed to open: a shard that panicked while
// opening keeps its lock until the process ends.
func RemoveUnused(dir string) error {
	return remove(dir, true, lockTimeout)
}

// remove is Remove, and RemoveUnused when locked, which waits lockWait
// for another process that has the index open.
func remove(dir string, locked bool, lockWait time.Duration) error {
	if dir == "" {
		return errors.New("index: empty directory name")
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	looksLikeIndex := len(entries) == 0
	for _, e := range entries {
		n := e.Name()
		if n == layoutFile || strings.HasPrefix(n, "shard-") || n == stateFile ||
			strings.HasPrefix(n, "index_meta.json") || n == "store" {
			looksLikeIndex = true
		}
	}
	if !looksLikeIndex {
		return fmt.Errorf("index: refusing to remove %s: not a search index directory (it holds %s and no index); move what it holds elsewhere, and the search index is built there from the catalog", dir, entries[0].Name())
	}
	var locks []string
	if locked {
		locks, _ = filepath.Glob(filepath.Join(dir, "shard-*", "store", "root.bolt"))
	}
	for _, path := range locks {
		// Opened read-only, bolt takes the shared lock, which waits for
		// a process holding the index (scorch holds the exclusive one)
		// and keeps it from opening until the file is gone. A file bolt
		// cannot read (the damage being removed) is no one's lock.
		db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: lockWait})
		if errors.Is(err, bolt.ErrTimeout) {
			return fmt.Errorf("%w: %s", ErrInUse, dir)
		}
		if err == nil {
			defer db.Close()
		}
	}
	return os.RemoveAll(dir)
}

// Put adds or replaces documents, in batches. Documents must have an ID.
// An unparsable Published is logged and the document indexed undated. If
// an ID occurs more than once, the last document wins. Batches are
// analyzed and built concurrently (up to putWorkers at a time), so a
// large Put keeps every core busy; Put returns when all are applied.
func (ix *Index) Put(ctx context.Context, docs ...Document) error {
	start := time.Now()
	// Later duplicates replace earlier ones, as if applied in order; the
	// concurrent batches below could otherwise apply them in any order.
	seen := make(map[string]int, len(docs))
	for i, d := range docs {
		if strings.TrimSpace(d.ID) == "" {
			return fmt.Errorf("index: document without ID (url %q)", d.URL)
		}
		seen[d.ID] = i
	}
	perShard := make([][]Document, len(ix.shards))
	for i, d := range docs {
		if seen[d.ID] == i {
			k := ix.shardOf(d.ID)
			perShard[k] = append(perShard[k], d)
		}
	}
	err := ix.batches(ctx, perShard, func(k int, b *bleve.Batch, d Document) error {
		m, dateOK := bleveDoc(d)
		if !dateOK {
			ix.log.Warn("search index: unparsable published date", "id", d.ID, "published", d.Published)
		}
		doc := document.NewDocument(d.ID)
		err := ix.shards[k].Mapping().MapDocument(doc, m)
		if err == nil {
			shareViews(doc, ix.views[k])
			err = b.IndexAdvanced(doc)
		}
		if err != nil {
			return fmt.Errorf("index: document %s: %w", d.ID, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	ix.log.Debug("search index put", "took", time.Since(start))
	return nil
}

// batches applies add to every shard's documents in bleve batches of at
// most batchSize, up to putWorkers batches at a time, and returns the
// first error.
func (ix *Index) batches(ctx context.Context, perShard [][]Document, add func(shard int, b *bleve.Batch, d Document) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg      sync.WaitGroup
		errOnce sync.Once
		putErr  error
	)
	fail := func(err error) {
		errOnce.Do(func() { putErr = err; cancel() })
	}
	sem := make(chan struct{}, putWorkers())
	// Take a batch from each shard in turn, so that all are built at once.
feed:
	for more := true; more; {
		more = false
		for k, docs := range perShard {
			if len(docs) == 0 {
				continue
			}
			n := min(len(docs), batchSize)
			part := docs[:n]
			perShard[k] = docs[n:]
			more = more || len(perShard[k]) > 0
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				break feed
			}
			wg.Add(1)
			go func(k int, bi bleve.Index) {
				defer func() { <-sem; wg.Done() }()
				b := bi.NewBatch()
				for _, d := range part {
					if err := add(k, b, d); err != nil {
						fail(err)
						return
					}
				}
				err := bi.Batch(b)
				// After the batch is in the shard's snapshot (or failed
				// part way): what a search reads may have changed.
				ix.gen.Add(1)
				if err != nil {
					fail(fmt.Errorf("index: %w", err))
				}
			}(k, ix.shards[k])
		}
	}
	wg.Wait()
	if putErr != nil {
		return putErr
	}
	return ctx.Err()
}

// putWorkers is the number of batches Put builds at once.
func putWorkers() int { return max(1, min(4, runtime.GOMAXPROCS(0))) }

// Delete removes documents by ID; unknown IDs are ignored. (To keep a
// deleted page searchable with IncludeDeleted, Put it with Status
// "deleted" instead.)
func (ix *Index) Delete(ctx context.Context, ids ...string) error {
	perShard := make([][]Document, len(ix.shards))
	for _, id := range ids {
		k := ix.shardOf(id)
		perShard[k] = append(perShard[k], Document{ID: id})
	}
	return ix.batches(ctx, perShard, func(_ int, b *bleve.Batch, d Document) error {
		b.Delete(d.ID)
		return nil
	})
}

// Generation changes whenever this process changes what the index holds:
// a result computed at one generation is still the answer while the
// generation is the same. (Another process cannot change an index this
// one holds open.)
func (ix *Index) Generation() uint64 { return ix.gen.Load() }

// Seq returns the last catalog change sequence applied (0 if never set).
func (ix *Index) Seq() (int64, error) {
	v, err := ix.shards[0].GetInternal([]byte(internalSeq))
	if err != nil {
		return 0, fmt.Errorf("index: seq: %w", err)
	}
	if len(v) == 0 {
		return 0, nil
	}
	n, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: bad seq %q", ErrCorrupt, v)
	}
	return n, nil
}

// SetSeq records the last catalog change sequence applied.
func (ix *Index) SetSeq(seq int64) error {
	if err := ix.shards[0].SetInternal([]byte(internalSeq), []byte(strconv.FormatInt(seq, 10))); err != nil {
		return fmt.Errorf("index: set seq: %w", err)
	}
	return nil
}

// Count returns the number of documents in the index, deleted ones
// included.
func (ix *Index) Count() (uint64, error) {
	docs, err := ix.shardCounts()
	if err != nil {
		return 0, fmt.Errorf("index: count: %w", err)
	}
	var n uint64
	for _, d := range docs {
		n += d
	}
	return n, nil
}

// Close closes the index; later calls do nothing.
func (ix *Index) Close() error {
	ix.closeM.Lock()
	defer ix.closeM.Unlock()
	if ix.closed {
		return nil
	}
	ix.closed = true
	var stateErr error
	if ix.damaged.Load() {
		os.Remove(statePath(ix.dir))
	} else {
		stateErr = ix.writeState()
	}
	var closeErr error
	for _, b := range ix.shards {
		if err := b.Close(); err != nil && closeErr == nil {
			closeErr = err
		}
	}
	if closeErr != nil {
		os.Remove(statePath(ix.dir))
		return fmt.Errorf("index: close: %w", closeErr)
	}
	if stateErr != nil {
		ix.log.Warn("search index: cannot record clean close", "err", stateErr)
	}
	return nil
}

// checkWritable returns an error wrapping fs.ErrPermission, naming the
// first file or folder of the index in dir this process may not write.
// Bleve reports an index it cannot open for writing as one without its
// metadata, which Open would take for damage, and rebuild (or fail to
// remove): an index built by another user (a `sudo tulieu reindex` in a
// data directory the service user owns) is whole, and is that user's.
func checkWritable(dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil {
			err = syscall.Access(path, 2) // W_OK
		}
		if errors.Is(err, fs.ErrPermission) {
			owner := ""
			if fi, serr := os.Stat(path); serr == nil {
				if st, ok := fi.Sys().(*syscall.Stat_t); ok {
					owner = fmt.Sprintf(" (it belongs to user %d, this is user %d)", st.Uid, os.Geteuid())
				}
			}
			return fmt.Errorf("index: %w: this user may not write %s%s: run tulieu as the owner of the data directory, or give the index back to that owner (chown -R)",
				fs.ErrPermission, path, owner)
		}
		return err
	})
}
