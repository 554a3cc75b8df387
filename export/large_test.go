package export_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"tulieu/export"
	"tulieu/index"
	"tulieu/store"
)

// countingWriter counts lines and checks each is a JSON object.
type countingWriter struct {
	t     *testing.T
	lines int
	ids   map[string]bool
	part  []byte
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.part = append(c.part, p...)
	for {
		i := indexByte(c.part, '\n')
		if i < 0 {
			return len(p), nil
		}
		// Write runs on the export's writing goroutine: errors, not
		// t.Fatal, stop it.
		var rec struct{ ID string }
		if err := json.Unmarshal(c.part[:i], &rec); err != nil {
			return 0, fmt.Errorf("line %d: %v", c.lines+1, err)
		}
		if c.ids[rec.ID] {
			return 0, fmt.Errorf("%s exported twice", rec.ID)
		}
		c.ids[rec.ID] = true
		c.lines++
		c.part = c.part[i+1:]
	}
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// TestExportLarge: a query that matches more than 40 000 articles (past
// SQLite's 32 766 variables, which an IN list of every id once hit) is
// exported whole, each article once, with the heap flat.
func TestExportLarge(t *testing.T) {
	if raceDetector {
		t.Skip("minutes under the race detector; the README's test command runs it without, in its first go test")
	}
	const n = 41000
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ix, err := index.Open(filepath.Join(t.TempDir(), "index"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	at := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	docs := make([]index.Document, 0, 5000)
	for i := range n {
		_, a, err := st.SaveArticle(ctx, fmt.Sprintf("http://x.vn/bai-%d.html", i), store.Content{Kind: store.KindArticle,
			Title: fmt.Sprintf("Đại hội số %d", i), Body: fmt.Sprintf("Đại hội chi bộ lần thứ %d thành công tốt đẹp.", i),
			Category: "Tin tức", Published: fmt.Sprintf("20%02d-%02d-%02d", 10+i%15, 1+i%12, 1+i%28)}, 0, at)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, index.Document{ID: a.ID, URL: a.URL, Title: a.Title, Body: a.Body, Category: a.Category, Published: a.Published})
		if len(docs) == cap(docs) || i == n-1 {
			if err := ix.Put(ctx, docs...); err != nil {
				t.Fatal(err)
			}
			docs = docs[:0]
		}
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	peak := before.HeapInuse
	cw := &countingWriter{t: t, ids: map[string]bool{}}
	w := bufio.NewWriter(cw)
	got, err := export.Write(ctx, w, export.Selection{Query: "đại hội"}, export.Options{Format: "jsonl", Progress: func(int) {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		peak = max(peak, m.HeapInuse)
	}}, st, ix)
	if err == nil {
		err = w.Flush()
	}
	if err != nil || got != n || cw.lines != n {
		t.Fatalf("exported %d (%d lines), want %d: %v", got, cw.lines, n, err)
	}
	// The ids the test itself holds (n strings) are part of the growth.
	if grew := int64(peak) - int64(before.HeapInuse); grew > 64<<20 {
		t.Errorf("the heap grew by %d MiB while exporting", grew>>20)
	}
}
