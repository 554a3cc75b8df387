package cli

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"tulieu/store"
)

// TestReadChangesIsTheCatalogsChangesInOrder: the chunks read one ahead
// of the index are the catalog's changes after a sequence, in sequence
// order, each once, with a page reclassified as a listing among those to
// drop; and a caller that stops after the first chunk is not kept
// waiting by the reader.
func TestReadChangesIsTheCatalogsChangesInOrder(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := time.Date(2026, 6, 12, 19, 0, 0, 0, time.UTC)
	const n = 2*catchUpChunk + 17
	var urls []string
	for i := range n {
		u := fmt.Sprintf("https://dangbo.vidu.vn/tin-tuc/bai-%d.html", i)
		c := store.Content{Kind: store.KindArticle, Title: fmt.Sprintf("Bài số %d", i), Published: "2026-06-12", Body: fmt.Sprintf("Nội dung của bài viết số %d về công tác xây dựng Đảng.", i)}
		if _, _, err := st.RecordArticle(ctx, u, c, 0, at); err != nil {
			t.Fatal(err)
		}
		urls = append(urls, u)
	}
	if ok, err := st.Reclassify(ctx, urls[3], "listing"); err != nil || !ok {
		t.Fatalf("reclassify: %v %v", ok, err)
	}
	const from = 5 // the index had applied the first five changes
	var gotDocs, gotGone []string
	var lastSeq int64 = from
	chunks := 0
	for c := range readChanges(ctx, st, from) {
		if c.err != nil {
			t.Fatal(c.err)
		}
		if c.seq <= lastSeq || c.articles != len(c.docs)+len(c.gone) {
			t.Fatalf("chunk %d: seq %d after %d, %d articles for %d documents and %d to drop", chunks, c.seq, lastSeq, c.articles, len(c.docs), len(c.gone))
		}
		lastSeq = c.seq
		for _, d := range c.docs {
			gotDocs = append(gotDocs, d.URL)
		}
		gotGone = append(gotGone, c.gone...)
		chunks++
	}
	// Changes 1..n recorded the articles, n+1 reclassified the fourth,
	// which the index had seen: it is to be dropped.
	want := urls[from:]
	if !slices.Equal(gotDocs, want) || len(gotGone) != 1 || gotGone[0] != store.ArticleID(urls[3]) || chunks != 3 {
		t.Fatalf("%d chunks, %d documents (first %q), to drop %q; want 3 chunks, %d documents from %q, and the reclassified page",
			chunks, len(gotDocs), gotDocs[:1], gotGone, len(want), want[0])
	}
	for range readChanges(ctx, st, 0) {
		break // the reader stops too; the loop's end is the test
	}
}
