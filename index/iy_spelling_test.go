package index

import (
	"context"
	"strings"
	"testing"
)

// The same syllable spelled with "y" or "i" ("kỷ niệm"/"kỉ niệm", "lý
// luận"/"lí luận", "công ty"/"công ti", "quý"/"quí") is found by either
// spelling, as a plain word and in a phrase, and highlighted where it
// stands; the "uy" of "thủy" or "tuy" is not an "i".
func TestIYSpellingsFindEachOther(t *testing.T) {
	ix, _ := newTestIndex(t)
	ctx := context.Background()
	docs := []Document{
		{ID: "k1", URL: "http://x.vn/k1", Title: "Lễ kỷ niệm 90 năm", Body: "Kỷ niệm ngày thành lập Đảng bộ.", Published: "2020-01-02"},
		{ID: "l1", URL: "http://x.vn/l1", Title: "Học tập lí luận chính trị", Body: "Lớp lí luận cho đảng viên công ti.", Published: "2020-01-03"},
		{ID: "q1", URL: "http://x.vn/q1", Title: "Món quà quí", Body: "Một kỉ vật quí.", Published: "2020-01-04"},
		{ID: "t1", URL: "http://x.vn/t1", Title: "Tui đi thăm", Body: "Nước thui.", Published: "2020-01-05"},
	}
	if err := ix.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	has := func(q, id string) (bool, *Hit) {
		t.Helper()
		res, err := ix.Search(ctx, Request{Query: q, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		for i := range res.Hits {
			if res.Hits[i].ID == id {
				return true, &res.Hits[i]
			}
		}
		return false, nil
	}
	for _, c := range []struct{ q, id string }{
		{"kỉ niệm", "k1"}, {`"kỉ niệm 90"`, "k1"}, {"ki niem", "k1"},
		{"lý luận", "l1"}, {"ly luan", "l1"}, {"công ty", "l1"},
		{"quý", "q1"}, {"quy", "q1"}, {"kỷ vật", "q1"},
	} {
		ok, h := has(c.q, c.id)
		if !ok {
			t.Errorf("%q does not find %s", c.q, c.id)
			continue
		}
		if !strings.Contains(h.TitleHTML+h.SnippetHTML, "<mark>") {
			t.Errorf("%q finds %s but marks nothing: %q %q", c.q, c.id, h.TitleHTML, h.SnippetHTML)
		}
	}
	for _, c := range []struct{ q, id string }{{"thủy", "t1"}, {"tuy", "t1"}} {
		if ok, _ := has(c.q, c.id); ok {
			t.Errorf("%q finds %s: \"uy\" is not \"ui\"", c.q, c.id)
		}
	}
}
