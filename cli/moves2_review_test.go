package cli

import (
	"context"
	"testing"
	"time"

	"tulieu/store"
)

// A second adversarial review of moved articles. Each test's comment tells
// what happened before its fix and what should happen.

// TestMoves2CheckAfterCanonicalMove: the researcher crawls nightly; an
// editor retitles article 661, the listing leads the night to its new address
// before the old one answers (as in TestMovedListingFirstIsOneArticle), and the CMS names the new address in
// <link rel="canonical"> (case 4 of moved_review_test.go). After night 2
// the researcher runs `tulieu check`, as the README advises after a crawl.
//
// User sees: check exits 1 with "index: …/index: has applied the
// catalog's changes up to 5 of 6" although nothing is wrong and no
// process was interrupted; `check --repair` rebuilds the index for
// nothing, and the next night does it again.
//
// Should see: "all is well", exit 0: the crawl's catch-up leaves the
// index at the catalog's change sequence.
//
// Why: record() calls moved(from, canonical) for both ctxURL and
// finalURL (the same old address here); the second MoveArticle takes the
// "back to an address it had" branch (toArticle == from), which since
// 0d597d4 takes nextSeq before the UPDATE … AND url != ? that changes no
// row. A sequence number no article row carries is consumed: the index
// (which follows ChangedSince, i.e. rows' seq) can never reach it.
// Where: store/aliases.go MoveArticle: take the sequence only when the
// url actually changes (check url first, or UPDATE … RETURNING and roll
// the seq into the same statement).
func TestMoves2CheckAfterCanonicalMove(t *testing.T) {
	s := newMovedSite(t, movedCanonical)
	data := t.TempDir()
	if s1 := crawl(t, data, s.srv.URL+"/"); s1.New != 2 {
		t.Fatalf("night 1: %+v", s1)
	}
	time.Sleep(1100 * time.Millisecond)
	s.retitle(movedNewTitle, movedNewSlug)
	s.mu.Lock()
	s.slowOld = 700 * time.Millisecond // the listing leads to the new address first
	s.mu.Unlock()
	if s2 := crawl(t, data, s.srv.URL+"/"); s2.New != 0 || s2.Changed != 1 {
		t.Fatalf("night 2: %+v", s2)
	}
	if code, out, errOut := run(t, data, "check"); code != 0 {
		t.Errorf("check after night 2 (an article moved by its canonical link): exit %d\n%s%s", code, out, errOut)
	}
}

// TestMoves2RepeatedMoveTakesNoSequence is the cause of the above, at
// the catalog: asking MoveArticle again for a move already made (record()
// asks it for ctxURL and finalURL, both the old address) changes
// nothing, yet takes a change sequence number no article carries, so the
// index can never catch up to the catalog's sequence.
// Where: store/aliases.go MoveArticle, the toArticle == from branch.
func TestMoves2RepeatedMoveTakesNoSequence(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	old, cur := "http://x.vn/tin/hoi-nghi-661.html", "http://x.vn/tin/hoi-nghi-2026-661.html"
	c := store.Content{Kind: store.KindArticle, Title: "Hội nghị", Published: "2026-06-12", Body: "Sáng ngày 12/6 hội nghị sơ kết."}
	night1 := time.Date(2026, 6, 12, 19, 0, 0, 0, time.UTC)
	night2 := night1.Add(24 * time.Hour)
	if _, _, err := st.RecordArticle(ctx, old, c, 0, night1); err != nil {
		t.Fatal(err)
	}
	if m, err := st.MoveArticle(ctx, old, cur, false, night2, night2); err != nil || m.ID == "" {
		t.Fatalf("move: %+v %v", m, err)
	}
	before, _ := st.Seq(ctx)
	m, err := st.MoveArticle(ctx, old, cur, false, night2, night2)
	after, _ := st.Seq(ctx)
	a, _ := st.Article(ctx, cur)
	if err != nil || m.ID != "" || after != before {
		t.Errorf("the same move asked again: %+v, %v; the catalog's sequence went %d -> %d, the article's is %d (want nothing done, sequence unchanged)",
			m, err, before, after, a.Seq)
	}
}
