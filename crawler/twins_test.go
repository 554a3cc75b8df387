package crawler

import (
	"strings"
	"testing"

	"tulieu/store"
)

// TestTwinsPairAKnownAndANewArticle: a known article and a new one
// recorded with the same title and text are met as a pair, in either
// order; two new ones (a first sight of both), two known ones, a body too
// short to tell an article by, or another title are not.
func TestTwinsPairAKnownAndANewArticle(t *testing.T) {
	body := strings.Repeat("Đảng ủy Khối các cơ quan tỉnh Thanh Hóa tổ chức hội nghị sơ kết. ", 5)
	c := &store.Content{Title: "Hội nghị sơ kết", Body: body}
	key, ok := twinKey(c)
	if !ok {
		t.Fatal("no key for a body of", len(body), "bytes")
	}
	if other, ok := twinKey(&store.Content{Title: "Hội  nghị sơ kết ", Body: body + "\n"}); !ok || other != key {
		t.Error("spacing around the title and the body makes another key")
	}
	if other, _ := twinKey(&store.Content{Title: "Hội nghị tổng kết", Body: body}); other == key {
		t.Error("another title, the same key")
	}
	if _, ok := twinKey(&store.Content{Title: "Thông báo", Body: "Xem file đính kèm"}); ok {
		t.Error("a key for a body too short to tell an article by")
	}
	for _, order := range [][2]bool{{false, true}, {true, false}} {
		tw := newTwins()
		if _, ok := tw.meet(key, "http://x.vn/a-661.html", order[0]); ok {
			t.Fatal("a pair of one")
		}
		o, ok := tw.meet(key, "http://x.vn/b-661.html", order[1])
		if !ok || o.url != "http://x.vn/a-661.html" || o.isNew != order[0] {
			t.Errorf("new %v then new %v: %+v %v; want the first", order[0], order[1], o, ok)
		}
	}
	for _, isNew := range []bool{true, false} {
		tw := newTwins()
		tw.meet(key, "http://x.vn/a-1.html", isNew)
		if _, ok := tw.meet(key, "http://x.vn/a-2.html", isNew); ok {
			t.Errorf("two articles both new=%v paired", isNew)
		}
	}
	tw := newTwins()
	tw.meet(key, "http://x.vn/a-661.html", false)
	if _, ok := tw.meet(key, "http://x.vn/a-661.html", true); ok {
		t.Error("an article paired with itself")
	}
}

// TestTwinsMeetTonightsTombstoneAndNewArticle: a new article and one
// taken down this run with the same text (its title may differ) are met,
// in either order; two of the same sort are not.
func TestTwinsMeetTonightsTombstoneAndNewArticle(t *testing.T) {
	key, ok := bodyKey(strings.Repeat("Hội nghị sơ kết công tác xây dựng Đảng sáu tháng đầu năm. ", 5))
	if !ok {
		t.Fatal("no key")
	}
	for _, freshFirst := range []bool{true, false} {
		tw := newTwins()
		if _, ok := tw.meetBody(key, "http://x.vn/first", freshFirst); ok {
			t.Fatal("met alone")
		}
		if u, ok := tw.meetBody(key, "http://x.vn/second", !freshFirst); !ok || u != "http://x.vn/first" {
			t.Errorf("fresh first %v: met %q, %v", freshFirst, u, ok)
		}
	}
	tw := newTwins()
	tw.meetBody(key, "http://x.vn/a", true)
	if _, ok := tw.meetBody(key, "http://x.vn/b", true); ok {
		t.Error("two new articles met")
	}
}
