package index

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
)

// TestDateSortTiesAsExports: articles of the same day (most carry a day
// only) came in the order of their scores on the page and in `search
// --sort newest`, and of their ids in an export of the same request, so
// the CSV a staff member downloaded listed them otherwise than the page
// (and a rebuilt index reordered the page). Both now order equal dates
// by id, newest and oldest alike; the undated come last.
func TestDateSortTiesAsExports(t *testing.T) {
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	defer ix.Close()
	var docs []Document
	for i := range 40 {
		d := Document{ID: fmt.Sprintf("t%02d", (i*17)%40), Title: "Tin hội nghị", Status: "live",
			// Texts of different lengths, so that their scores differ.
			Body: "Hội nghị " + fmt.Sprint(make([]int, i%5)) + " trong ngày."}
		switch i % 4 {
		case 0, 1:
			d.Published = "2026-03-07"
		case 2:
			d.Published = "2026-03-08"
		}
		docs = append(docs, d)
	}
	if err := ix.Put(context.Background(), docs...); err != nil {
		t.Fatal(err)
	}
	for _, sort := range []string{"newest", "oldest"} {
		req := Request{Query: "hội nghị", Sort: sort}
		var exported []string
		if err := ix.MatchIDs(context.Background(), req, func(ids []string) error {
			exported = append(exported, ids...)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		var shown []string
		for off := 0; off < len(docs); off += 7 {
			req.Limit, req.Offset = 7, off
			shown = append(shown, ids(doSearch(t, ix, req))...)
		}
		if !slices.Equal(shown, exported) {
			t.Errorf("sort %s: the pages list\n%v\nthe export\n%v", sort, shown, exported)
		}
		for i := 1; i < len(shown); i++ {
			if docOf(docs, shown[i-1]).Published == docOf(docs, shown[i]).Published && shown[i-1] > shown[i] {
				t.Errorf("sort %s: %s before %s on the same day", sort, shown[i-1], shown[i])
			}
		}
	}
}

func docOf(docs []Document, id string) Document {
	for _, d := range docs {
		if d.ID == id {
			return d
		}
	}
	return Document{}
}
