package index

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2"
)

func TestZZDbg(t *testing.T) {
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	defer ix.Close()
	ctx := context.Background()
	docs := append(genDocs(2000), corpus...)
	for i := 0; i < 2000; i += 41 {
		docs[i].Status = "deleted"
	}
	if err := ix.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	for _, topK := range []int{0, 52, 100, 1000} {
		for _, floor := range []bool{false, true} {
			cq, _ := compileQuery("anh dieu hanh")
			bq := buildQuery(cq, Request{}, true, topK)
			if fq, ok := bq.(*flatQuery); ok && !floor {
				fq.floor = nil
			}
			sr := bleve.NewSearchRequestOptions(bq, 60, 0, false)
			sr.SortBy([]string{"-_score"})
			res, _ := ix.searchShards(ctx, sr)
			for i, h := range res.Hits {
				if h.ID == "/tin-tuc/bai-0000446.html" {
					t.Logf("topK %d floor %v: rank %d score %.9g", topK, floor, i, h.Score)
				}
			}
		}
	}
}
