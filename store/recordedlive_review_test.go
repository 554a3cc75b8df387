package store

import (
	"context"
	"testing"
)

// TestRecordedLiveIsAnArticle: RecordedLive is documented (and used by
// the crawler's recordedLive, "a live article (or static page)") as
// whether the catalog holds a live article at url. A row Reclassify took
// out of the articles (a page that became a listing; "other") keeps
// status live, and RecordedLive says yes for it: the crawler then counts
// an error every night such a page reads as nothing, "keeping the
// article" that is none.
func TestRecordedLiveIsAnArticle(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	const u = "http://example.test/tin-tuc/a-1.html"
	if _, _, err := s.SaveArticle(ctx, u, content("Đoạn một."), 0, t0); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.RecordedLive(ctx, u); err != nil || !ok {
		t.Fatalf("a live article: %v %v", ok, err)
	}
	if ok, err := s.Reclassify(ctx, u, "listing"); err != nil || !ok {
		t.Fatalf("reclassify: %v %v", ok, err)
	}
	if ok, err := s.RecordedLive(ctx, u); err != nil || ok {
		t.Errorf("a page reclassified as a listing: RecordedLive %v (%v); want false, it is no live article", ok, err)
	}
}
