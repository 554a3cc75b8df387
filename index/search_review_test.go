package index

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// These tests came from a review of the search as a researcher uses it in
// Vietnamese; each comment says what went wrong before the fix.

// reviewIndex opens a fresh index holding docs.
func reviewIndex(t *testing.T, docs ...Document) *Index {
	t.Helper()
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	t.Cleanup(func() { ix.Close() })
	if err := ix.Put(context.Background(), docs...); err != nil {
		t.Fatal(err)
	}
	return ix
}

// reviewSameShard gives each document an ID of its own name that falls in
// shard 0, so that their scores use the same statistics (each shard
// scores with its own) and the comparison does not depend on the hash.
func reviewSameShard(t *testing.T, docs ...Document) *Index {
	t.Helper()
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	t.Cleanup(func() { ix.Close() })
	for i := range docs {
		base := docs[i].ID
		for n := 0; ; n++ {
			id := base + strings.Repeat("_", n)
			if ix.shardOf(id) == 0 {
				docs[i].ID = id
				break
			}
		}
	}
	if err := ix.Put(context.Background(), docs...); err != nil {
		t.Fatal(err)
	}
	return ix
}

// reviewRank is the position of the hit whose ID starts with name.
func reviewRank(r *Result, name string) int {
	for i, h := range r.Hits {
		if strings.TrimRight(h.ID, "_") == name {
			return i
		}
	}
	return -1
}

// TestAccentedWordRanksOtherWordInTitleFirst: a researcher types "đảng"
// (the Party) with its accents. The article that says "Đảng" three times
// should come first (README: "accents are optional. Exact accents …
// rank first"); instead an article whose title has "Đang" (a different
// word, "currently") and that never mentions the Party ranks above it.
// Likewise "hóa" puts an article about flowers ("Hoa") above the one
// about Thanh Hóa. A folded-only title match (weight 3 × 0.25 in a
// two-word field) outweighs the exact word in the text.
func TestAccentedWordRanksOtherWordInTitleFirst(t *testing.T) {
	ix := reviewSameShard(t,
		Document{ID: "flower", Title: "Hoa nở mùa xuân", Body: "Hoa đào, hoa mai, hoa cúc nở rộ khắp làng quê vào dịp Tết.", Published: "2021-01-01"},
		Document{ID: "thanhhoa", Title: "Hội nghị tổng kết năm", Body: "Sáng nay, tại tỉnh Thanh Hóa đã diễn ra hội nghị tổng kết công tác năm 2020 với sự tham dự của đông đảo cán bộ, đảng viên trong toàn tỉnh.", Published: "2021-02-01"},
		Document{ID: "currently", Title: "Đang triển khai", Body: "Các đơn vị đang triển khai kế hoạch.", Published: "2021-02-01"},
		Document{ID: "party", Title: "Tin tức", Body: "Đảng ủy khối triển khai nghị quyết của Đảng trong toàn Đảng bộ.", Published: "2021-02-01"},
	)
	for _, c := range []struct{ q, want, other string }{
		{"đảng", "party", "currently"},
		{"Hóa", "thanhhoa", "flower"},
	} {
		r := doSearch(t, ix, Request{Query: c.q})
		got := ids(r)
		i, j := reviewRank(r, c.want), reviewRank(r, c.other)
		if i < 0 || j < 0 || i > j {
			t.Errorf("query %q: got %v; %s (the word with the accents typed) should rank above %s (only a word without them)", c.q, got, c.want, c.other)
		}
	}
}

// TestQuotedAccentedPhraseRanksOtherWordsFirst: `"Điện Biên"` in quotes,
// with accents, puts "Diễn biến phức tạp" (other words, same letters)
// above the article on the Điện Biên Phủ victory. Unquoted, `Điện Biên`
// ranks them right: the plain words' pair clauses require the accented
// words as typed ("so that Điện Biên does not reward a title with diễn
// biến"), but a quoted phrase's title/text phrase clauses have no such
// condition.
func TestQuotedAccentedPhraseRanksOtherWordsFirst(t *testing.T) {
	ix := reviewSameShard(t,
		Document{ID: "dienbien", Title: "Diễn biến phức tạp", Body: "Tình hình diễn biến phức tạp, diễn biến khó lường, diễn biến nhanh.", Published: "2021-01-01"},
		Document{ID: "dbp", Title: "Kỷ niệm chiến thắng", Body: "Chiến thắng Điện Biên Phủ lừng lẫy năm châu, chấn động địa cầu. Bài viết dài về lịch sử và ý nghĩa của chiến thắng đối với dân tộc.", Published: "2021-02-01"},
	)
	if r := doSearch(t, ix, Request{Query: `Điện Biên`}); reviewRank(r, "dbp") != 0 {
		t.Fatalf("unquoted: %v (the reference behaviour)", ids(r))
	}
	if r := doSearch(t, ix, Request{Query: `"Điện Biên"`}); reviewRank(r, "dbp") != 0 {
		got := ids(r)
		t.Errorf(`"Điện Biên": got %v, want dbp (the exact accents) first, as without quotes`, got)
	}
}

// TestSnippetFromBodyWhenQueryMatchedInAttachment: "quyết định" matches
// the article only through its attached decision ("QUYẾT ĐỊNH về việc…").
// The researcher should see a snippet of that file, named ("[Tệp …]",
// Hit.File). Instead the snippet is the body "Xem tệp đính kèm." with
// "đính" marked (it folds like "định"), no file named and "quyết" nowhere:
// makeHit takes the body as soon as any single query word folds to one
// of its words.
func TestSnippetFromBodyWhenQueryMatchedInAttachment(t *testing.T) {
	ix := reviewIndex(t, Document{ID: "f1", Title: "Văn bản mới", Body: "Xem tệp đính kèm.", Published: "2021-04-01",
		Files: []File{{Name: "quyet-dinh.pdf", Text: "QUYẾT ĐỊNH về việc thành lập Ban chỉ đạo phòng chống thiên tai tỉnh Thanh Hóa."}}})
	r := doSearch(t, ix, Request{Query: "quyết định"})
	if len(r.Hits) != 1 {
		t.Fatalf("hits %v", ids(r))
	}
	h := r.Hits[0]
	if h.File != "quyet-dinh.pdf" || !strings.Contains(h.SnippetHTML, "<mark>QUYẾT</mark> <mark>ĐỊNH</mark>") {
		t.Errorf("snippet %q (file %q), want the attachment's text with QUYẾT ĐỊNH marked", h.SnippetHTML, h.File)
	}
}

// TestVietNamColonIsAQueryError: a researcher pastes a title such as
// "Việt Nam: 35 năm đổi mới". The help says "A colon after a Vietnamese
// word … is just punctuation" ("Hà Nội: tin" is accepted), but "Nam:" is
// taken as the year field nam: and the query fails with "field Nam: has no
// value"; "Việt Nam:Lào" fails with "nam: needs a four-digit year".
func TestVietNamColonIsAQueryError(t *testing.T) {
	ix := reviewIndex(t, Document{ID: "vn", Title: "Việt Nam: 35 năm đổi mới", Body: "Thành tựu của Việt Nam sau 35 năm đổi mới.", Published: "2021-01-01"})
	for _, q := range []string{"Việt Nam: 35 năm đổi mới", "hợp tác Việt Nam:Lào"} {
		_, err := ix.Search(context.Background(), Request{Query: q})
		var qe *QueryError
		if errors.As(err, &qe) {
			t.Errorf("query %q: %v; want the colon taken as punctuation, as after \"Hà Nội:\"", q, err)
		}
	}
}

// TestAccentedExclusionRemovesTheQueryItself: the researcher wants
// articles on "diễn biến" (developments) but not on "Điện Biên" and types
// `"diễn biến" -"Điện Biên"`; or "hòa bình" (peace) but not Thanh Hóa:
// `hòa bình -hóa`. Both give no results at all: the exclusion, typed with
// its accents, is matched without them (its clauses are only the folded
// views), so it removes every article with the very words searched for.
// An excluded word written with accents should exclude that word, not
// every word with the same letters ("a word … with other accents is a
// different word", doc.go).
func TestAccentedExclusionRemovesTheQueryItself(t *testing.T) {
	ix := reviewIndex(t,
		Document{ID: "db", Title: "Diễn biến tình hình", Body: "Diễn biến thời tiết phức tạp trong tuần qua.", Published: "2021-01-01"},
		Document{ID: "dbp", Title: "Chiến thắng Điện Biên Phủ", Body: "Kỷ niệm chiến thắng Điện Biên Phủ, diễn biến các trận đánh.", Published: "2021-01-02"},
		Document{ID: "peace", Title: "Bảo vệ hòa bình", Body: "Các nước chung tay bảo vệ hòa bình.", Published: "2021-01-03"},
		Document{ID: "th", Title: "Hòa bình ở Thanh Hóa", Body: "Thanh Hóa giữ vững hòa bình.", Published: "2021-01-04"},
	)
	for _, c := range []struct {
		q    string
		want []string
	}{
		{`"diễn biến" -"Điện Biên"`, []string{"db"}},
		{`hòa bình -hóa`, []string{"peace"}},
	} {
		if got := ids(doSearch(t, ix, Request{Query: c.q})); !sameSet(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.q, got, c.want)
		}
	}
}

// TestPhraseSnippetMissesThePhrase: for the phrase `"Thanh Hóa"`, every
// lone "thanh" (thanh niên) and "hóa" (hóa học) is marked as a match, in
// the title and in the body, and the snippet window goes to where those
// stray words are densest, so the researcher's snippet does not show the
// phrase at all, and the title "Thanh niên…" is highlighted though it does
// not contain the phrase. The <mark> should cover the words that matched:
// the phrase.
func TestPhraseSnippetMissesThePhrase(t *testing.T) {
	body := "Đoàn thanh niên, hội thanh niên và các câu lạc bộ hóa học, thanh niên tình nguyện, thanh niên xung kích, lớp hóa học, " +
		strings.Repeat("Các hoạt động diễn ra sôi nổi trong suốt cả tuần với nhiều nội dung phong phú. ", 8) +
		"Chương trình do tỉnh Thanh Hóa tổ chức."
	ix := reviewIndex(t, Document{ID: "p1", Title: "Thanh niên tình nguyện", Body: body, Published: "2021-01-01"})
	r := doSearch(t, ix, Request{Query: `"Thanh Hóa"`})
	if len(r.Hits) != 1 {
		t.Fatalf("hits %v", ids(r))
	}
	h := r.Hits[0]
	if !strings.Contains(h.SnippetHTML, "<mark>Thanh</mark> <mark>Hóa</mark>") {
		t.Errorf("the snippet does not show the phrase:\n%s", h.SnippetHTML)
	}
	if strings.Contains(h.SnippetHTML, "<mark>thanh</mark> niên") || strings.Contains(h.SnippetHTML, "<mark>hóa</mark> học") {
		t.Errorf("words outside the phrase are marked:\n%s", h.SnippetHTML)
	}
	if h.TitleHTML != "Thanh niên tình nguyện" {
		t.Errorf("title without the phrase is marked: %s", h.TitleHTML)
	}
}
