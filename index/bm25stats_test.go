package index

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestShardsScoreAlike: the same article in either shard scores the same
// (each shard holds as many documents, and the words searched for are in
// that article only, so that their idf is the same in both). The average
// field length bleve reads from each shard's own figures is the sum of its
// segments' dictionaries over its documents, rounded up: it moves with the
// words the shard's other articles use and with how the shard is cut into
// segments. With it, one shard's copy outscored the other's, and a
// shard's articles ranked above the other's for nothing they say.
func TestShardsScoreAlike(t *testing.T) {
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	t.Cleanup(func() { ix.Close() })
	ctx := context.Background()
	words := strings.Fields("hội nghị ban chấp hành đảng bộ khối lần thứ mười lăm đã diễn ra tại thành phố thanh hóa với sự tham dự")
	idIn := func(shard int, prefix string) func(int) string {
		n := 0
		return func(int) string {
			for {
				n++
				if id := fmt.Sprintf("%s-%d", prefix, n); ix.shardOf(id) == shard {
					return id
				}
			}
		}
	}
	// Shard 0's other articles each use words of their own, shard 1's
	// the same thirty words: the first shard's dictionary is the larger,
	// and so is the average length bleve reads from it.
	doc := func(id string, i int) Document {
		var b strings.Builder
		for j := range 30 {
			fmt.Fprintf(&b, "từ%d ", i*100+j)
		}
		return Document{ID: id, Title: "Bài", Body: b.String()}
	}
	next0, next1 := idIn(0, "a"), idIn(1, "b")
	var docs []Document
	for i := range 12 {
		docs = append(docs, doc(next0(i), i), doc(next1(i), 0))
	}
	if err := ix.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	same := strings.Join(words, " ") + " thanh hóa"
	if err := ix.Put(ctx, Document{ID: next0(0), Title: "Hội nghị", Body: same}, Document{ID: next1(0), Title: "Hội nghị", Body: same}); err != nil {
		t.Fatal(err)
	}
	segs, _ := ix.Segments()
	for k, bi := range ix.shards {
		adv, _ := bi.Advanced()
		r, _ := adv.Reader()
		n, avg, _ := bm25Basis(ctx, r, fTextFolded)
		r.Close()
		t.Logf("shard %d: %d segments, %d documents, average length %v", k, segs[k], n, avg)
	}
	res, err := ix.Search(ctx, Request{Query: "thanh hoa", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 2 {
		t.Fatalf("hits %+v", res.Hits)
	}
	if a, b := res.Hits[0].Score, res.Hits[1].Score; a != b {
		t.Errorf("the same article scores %v in one shard and %v in the other", a, b)
	}
}
