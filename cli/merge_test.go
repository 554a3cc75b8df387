package cli

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"

	"tulieu/index"
	"tulieu/internal/fixturesite"
	"tulieu/store"
)

// TestCatchUpMergesABuild: a first crawl builds the index, and the
// catch-up that ends it merges each shard into one segment; a nightly
// crawl that changed one article adds a segment and leaves the large one
// as it is (rewriting the whole index every night is not worth it).
func TestCatchUpMergesABuild(t *testing.T) {
	site, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	segments := func() []int {
		t.Helper()
		ix, err := index.Open(filepath.Join(data, store.IndexDir), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		n, err := ix.Segments()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for k, n := range segments() {
		if n > 1 {
			t.Errorf("shard %d: %d segments after the first crawl, want 1", k, n)
		}
	}
	var edited fixturesite.Article
	for _, a := range site.Articles() {
		if !a.Static {
			edited = a
			break
		}
	}
	site.Edit(edited.Path, []string{"Đoạn văn được biên tập lại sau lần thu thập đầu tiên để thử việc gộp chỉ mục."})
	if s := crawl(t, data, srv.URL+"/"); s.Changed+s.PagesChanged != 1 {
		t.Fatalf("second crawl: %+v", s)
	}
	most := 0
	for _, n := range segments() {
		most = max(most, n)
	}
	if most < 2 {
		t.Errorf("after a crawl that changed one article, every shard is in one segment: the whole index was merged again")
	}
}

// mergeRecorder records which merge mergeAfterCatchUp asks for.
type mergeRecorder struct {
	count uint64
	calls []string
}

func (m *mergeRecorder) Count() (uint64, error) { return m.count, nil }
func (m *mergeRecorder) MergeAll(_ context.Context, maxResident int64) error {
	m.calls = append(m.calls, fmt.Sprintf("MergeAll(%d)", maxResident))
	return nil
}
func (m *mergeRecorder) Compact(context.Context) error {
	m.calls = append(m.calls, "Compact")
	return nil
}

// TestMergeAfterCatchUp: a catch-up of a quarter of the index or more is
// a build, merged whole within the resident bound; a smaller one has its
// small segments merged.
func TestMergeAfterCatchUp(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	for _, c := range []struct {
		total int
		count uint64
		want  string
	}{
		{600, 600, fmt.Sprintf("MergeAll(%d)", mergeResident)}, // reindex, first crawl
		{25, 100, fmt.Sprintf("MergeAll(%d)", mergeResident)},
		{24, 100, "Compact"},
		{1, 50000, "Compact"}, // a nightly crawl
	} {
		m := &mergeRecorder{count: c.count}
		mergeAfterCatchUp(context.Background(), m, c.total, log)
		if len(m.calls) != 1 || m.calls[0] != c.want {
			t.Errorf("catch-up of %d in an index of %d: %v, want %s", c.total, c.count, m.calls, c.want)
		}
	}
}
