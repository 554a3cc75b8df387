package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	bolt "go.etcd.io/bbolt"
)

// Document is one archived article as the index sees it.
type Document struct {
	ID, URL, Title, Body, Author string
	Breadcrumb                   []string
	Category                     string
	Published                    string   // "YYYY-MM-DD" or RFC 3339 ("2020-03-07T08:00:00+07:00") or ""
	Captions                     []string // image captions
	Status                       string   // "live" or "deleted"
}

// Request is one search.
type Request struct {
	Query          string    // see QueryHelp; "" lists all documents
	Limit, Offset  int       // Limit 0 means 10 (at most MaxLimit)
	Category       string    // exact category match ("" = any)
	Author         string    // matches within the author field, accents optional
	From, To       time.Time // zero = unbounded; inclusive calendar days
	Sort           string    // "relevance" (default), "newest", "oldest"
	IncludeDeleted bool
	// Facets asks for the counts by category, author and year over all
	// matches. They cost about a third of a search over a large index, so
	// they are computed only when asked for.
	Facets bool
}

// Hit is one search result.
type Hit struct {
	ID, URL, Title, Author string
	Breadcrumb             []string
	Category, Published    string
	Score                  float64
	// Snippet is a plain-text extract of the body (or of a caption) around
	// the matched words, in the author's spelling; SnippetHTML is the same
	// text HTML-escaped with the matches wrapped in <mark></mark>. Text
	// fields of a Hit are returned in NFC.
	Snippet     string
	SnippetHTML string
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
}

func (e *QueryError) Error() string {
	return fmt.Sprintf("invalid query at character %d: %s", e.Pos+1, e.Msg)
}

// ErrCorrupt is wrapped by Open when the directory holds an index that
// cannot be opened or was written by an incompatible version; the caller
// should Remove the directory and rebuild the index from the catalog.
var ErrCorrupt = errors.New("index: corrupt or incompatible search index")

// MaxLimit bounds Request.Limit.
const MaxLimit = 1000

// lockTimeout is how long Open waits for another process that has the
// index open; after it Open fails (without ErrCorrupt).
var lockTimeout = 3 * time.Second

// batchSize is the number of documents per bleve batch in Put. Larger
// batches make fewer, larger segments and less merging; 500 articles of
// average length make a batch of some tens of megabytes in memory.
const batchSize = 500

const (
	internalSchema = "tulieu.schema"
	internalSeq    = "tulieu.seq"
)

// Index is a Bleve full-text index of archived documents. It is safe for
// concurrent use.
type Index struct {
	dir    string
	log    *slog.Logger
	bi     bleve.Index
	closeM sync.Mutex
	closed bool
}

// Open opens the index in dir, creating it if dir does not exist or is
// empty. An index that cannot be read, or was written with another
// schema, or (after a clean Close) no longer holds what it held then,
// gives an error wrapping ErrCorrupt. An index held open by another
// process gives a different error after a few seconds: only one process
// at a time may open an index.
func Open(dir string, logger *slog.Logger) (*Index, error) {
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if dir == "" {
		return nil, errors.New("index: empty directory name")
	}
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist) || (err == nil && len(entries) == 0):
		return create(dir, logger)
	case err != nil:
		return nil, fmt.Errorf("index: %w", err)
	}
	ix, err := openExisting(dir, logger)
	if err != nil {
		return nil, err
	}
	n, _ := ix.Count()
	seq, _ := ix.Seq()
	logger.Debug("search index opened", "dir", dir, "docs", n, "seq", seq)
	return ix, nil
}

func create(dir string, logger *slog.Logger) (*Index, error) {
	im, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("index: mapping: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(filepath.Clean(dir)), 0o755); err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	// bleve refuses an existing directory; an empty one is ours to replace.
	if err := os.Remove(dir); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("index: %w", err)
	}
	bi, err := bleve.New(dir, im)
	if err != nil {
		return nil, fmt.Errorf("index: create %s: %w", dir, err)
	}
	if err := bi.SetInternal([]byte(internalSchema), []byte(schemaVersion)); err != nil {
		bi.Close()
		return nil, fmt.Errorf("index: create %s: %w", dir, err)
	}
	logger.Debug("search index created", "dir", dir)
	return &Index{dir: dir, log: logger, bi: bi}, nil
}

func openExisting(dir string, logger *slog.Logger) (ix *Index, err error) {
	corrupt := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrCorrupt, dir, fmt.Sprintf(format, args...))
	}
	var bi bleve.Index
	defer func() {
		if r := recover(); r != nil {
			if bi != nil {
				func() {
					defer func() { _ = recover() }()
					bi.Close()
				}()
			}
			ix, err = nil, corrupt("panic while opening: %v", r)
		}
	}()
	bi, err = bleve.OpenUsing(dir, map[string]interface{}{"bolt_timeout": lockTimeout.String()})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s (%v)", ErrInUse, dir, err)
	}
	if err != nil {
		bi = nil
		return nil, corrupt("%v", err)
	}
	fail := func(e error) (*Index, error) {
		bi.Close()
		return nil, e
	}
	v, err := bi.GetInternal([]byte(internalSchema))
	if err != nil {
		return fail(corrupt("reading schema version: %v", err))
	}
	if string(v) != schemaVersion {
		return fail(corrupt("schema %q, want %q", v, schemaVersion))
	}
	if _, err := bi.DocCount(); err != nil {
		return fail(corrupt("%v", err))
	}
	// Touch the stored data once so that unreadable segments show now.
	sr := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 1, 0, false)
	sr.Fields = []string{fTitle}
	if _, err := bi.Search(sr); err != nil {
		return fail(corrupt("test search: %v", err))
	}
	// A clean Close leaves a note of what the index held. Scorch silently
	// falls back to an older snapshot when the newest one is unreadable,
	// so compare: a mismatch means lost data.
	if st, ok, err := readState(dir); err != nil {
		return fail(corrupt("%v", err))
	} else if ok {
		n, _ := bi.DocCount()
		seqBytes, _ := bi.GetInternal([]byte(internalSeq))
		if n != st.Docs || string(seqBytes) != st.Seq {
			return fail(corrupt("holds %d documents at seq %q, but %d at seq %q when last closed",
				n, seqBytes, st.Docs, st.Seq))
		}
	}
	// Until the next clean Close the note would be stale.
	if err := os.Remove(statePath(dir)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fail(fmt.Errorf("index: %w", err))
	}
	return &Index{dir: dir, log: logger, bi: bi}, nil
}

// cleanState is written to stateFile by Close.
type cleanState struct {
	Docs uint64 `json:"docs"`
	Seq  string `json:"seq"`
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
	n, err := ix.bi.DocCount()
	if err != nil {
		return err
	}
	seq, err := ix.bi.GetInternal([]byte(internalSeq))
	if err != nil {
		return err
	}
	b, _ := json.Marshal(cleanState{Docs: n, Seq: string(seq)})
	tmp := statePath(ix.dir) + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, statePath(ix.dir))
}

// Remove deletes the index directory dir (for rebuilds). It refuses a
// directory that does not look like a search index.
func Remove(dir string) error {
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
		if n := e.Name(); n == "index_meta.json" || n == "store" || n == stateFile || strings.HasPrefix(n, "index_meta.json") {
			looksLikeIndex = true
		}
	}
	if !looksLikeIndex {
		return fmt.Errorf("index: refusing to remove %s: not a search index directory", dir)
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
	dup := false
	for i, d := range docs {
		if strings.TrimSpace(d.ID) == "" {
			return fmt.Errorf("index: document without ID (url %q)", d.URL)
		}
		if _, ok := seen[d.ID]; ok {
			dup = true
		}
		seen[d.ID] = i
	}
	if dup {
		kept := make([]Document, 0, len(seen))
		for i, d := range docs {
			if seen[d.ID] == i {
				kept = append(kept, d)
			}
		}
		docs = kept
	}

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
	for len(docs) > 0 {
		n := min(len(docs), batchSize)
		part := docs[:n]
		docs = docs[n:]
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			b := ix.bi.NewBatch()
			for _, d := range part {
				m, dateOK := bleveDoc(d)
				if !dateOK {
					ix.log.Warn("search index: unparsable published date", "id", d.ID, "published", d.Published)
				}
				if err := b.Index(d.ID, m); err != nil {
					fail(fmt.Errorf("index: document %s: %w", d.ID, err))
					return
				}
			}
			if err := ix.bi.Batch(b); err != nil {
				fail(fmt.Errorf("index: put: %w", err))
			}
		}()
	}
	wg.Wait()
	if putErr != nil {
		return putErr
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	ix.log.Debug("search index put", "took", time.Since(start))
	return nil
}

// putWorkers is the number of batches Put builds at once.
func putWorkers() int { return max(1, min(4, runtime.GOMAXPROCS(0))) }

// Delete removes documents by ID; unknown IDs are ignored. (To keep a
// deleted page searchable with IncludeDeleted, Put it with Status
// "deleted" instead.)
func (ix *Index) Delete(ctx context.Context, ids ...string) error {
	for len(ids) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := min(len(ids), batchSize)
		b := ix.bi.NewBatch()
		for _, id := range ids[:n] {
			b.Delete(id)
		}
		if err := ix.bi.Batch(b); err != nil {
			return fmt.Errorf("index: delete: %w", err)
		}
		ids = ids[n:]
	}
	return nil
}

// Seq returns the last catalog change sequence applied (0 if never set).
func (ix *Index) Seq() (int64, error) {
	v, err := ix.bi.GetInternal([]byte(internalSeq))
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
	if err := ix.bi.SetInternal([]byte(internalSeq), []byte(strconv.FormatInt(seq, 10))); err != nil {
		return fmt.Errorf("index: set seq: %w", err)
	}
	return nil
}

// Count returns the number of documents in the index, deleted ones
// included.
func (ix *Index) Count() (uint64, error) {
	n, err := ix.bi.DocCount()
	if err != nil {
		return 0, fmt.Errorf("index: count: %w", err)
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
	stateErr := ix.writeState()
	if err := ix.bi.Close(); err != nil {
		os.Remove(statePath(ix.dir))
		return fmt.Errorf("index: close: %w", err)
	}
	if stateErr != nil {
		ix.log.Warn("search index: cannot record clean close", "err", stateErr)
	}
	return nil
}
