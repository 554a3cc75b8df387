package index

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"golang.org/x/text/unicode/norm"
)

func nfd(s string) string { return norm.NFD.String(s) }

var corpus = []Document{
	{ID: "a1", URL: "https://example.vn/a1", Title: "Hội nghị Ban Chấp hành Đảng bộ tỉnh Thanh Hóa",
		Body:   "Sáng nay, Ban Chấp hành Đảng bộ tỉnh Thanh Hóa tổ chức hội nghị lần thứ 20 để bàn về công tác xây dựng Đảng và phát triển kinh tế.",
		Author: "Nguyễn Văn An", Category: "Tin tức", Breadcrumb: []string{"Trang chủ", "Tin tức"}, Published: "2020-03-07"},
	{ID: "a2", URL: "https://example.vn/a2", Title: "Sinh hoạt chi bộ thường kỳ tháng 5",
		Body:   "Chi bộ khu phố 3 tổ chức sinh hoạt chi bộ thường kỳ với chuyên đề học tập nghị quyết.",
		Author: "Trần Thị Bình", Category: "Xây dựng Đảng", Breadcrumb: []string{"Trang chủ", "Xây dựng Đảng"}, Published: "2021-05-10T08:00:00+07:00"},
	{ID: "a3", URL: "https://example.vn/a3", Title: "Kế hoạch năm 2021",
		Body:   "Các hoạt động văn nghệ được tổ chức cho học sinh; bộ phận văn phòng và chi đoàn thanh niên phối hợp thực hiện.",
		Author: "Trần Thị Bình", Category: "Tin tức", Published: "2021-01-15"},
	{ID: "a4", URL: "https://example.vn/a4", Title: "Giữ vững hoà bình",
		Body:   "Nhân dân mong muốn hoà bình, sức khoẻ và thuỷ lợi ổn định.",
		Author: "Lê Thị Mai", Category: "Tin tức", Published: "2019-12-01"},
	{ID: "a5", URL: "https://example.vn/a5", Title: "Bảo vệ hòa bình thế giới",
		Body:   "Các nước cùng chung tay bảo vệ hòa bình và phát triển bền vững.",
		Author: "Lê Thị Mai", Category: "Tin tức", Published: "2022-06-01"},
	{ID: "a6", URL: "https://example.vn/a6", Title: "Đại hội Đảng bộ huyện Đông Sơn",
		Body:   "Đại hội đại biểu Đảng bộ huyện Đông Sơn lần thứ XXV thành công tốt đẹp.",
		Author: "Lê Văn Đức", Category: "Xây dựng Đảng", Published: "2020-09-20"},
	{ID: "a7", URL: "https://example.vn/a7", Title: "Hoa nở mùa xuân",
		Body:   "Hoa đào, hoa mai nở rộ khắp các làng quê.",
		Author: "Phạm Minh Tuấn", Category: "Văn hóa", Published: "2018-02-10"},
	{ID: "a8", URL: "https://example.vn/a8", Title: "Bài đã gỡ về Thanh Hóa",
		Body:     "Nội dung bài này đã bị gỡ khỏi trang Thanh Hóa.",
		Category: "Tin tức", Published: "2020-04-01", Status: "deleted"},
	{ID: "a9", URL: "https://example.vn/a9", Title: nfd("Công tác dân vận ở Nghệ An"),
		Body:     nfd("Làm tốt công tác dân vận là nhiệm vụ quan trọng của hệ thống chính trị."),
		Category: "Dân vận", Published: "2021-08-08"},
	{ID: "a10", URL: "https://example.vn/a10", Title: "THÔNG BÁO KẾT LUẬN CỦA BAN THƯỜNG VỤ",
		Body:     "BAN THƯỜNG VỤ TỈNH ỦY THÔNG BÁO KẾT LUẬN VỀ CÔNG TÁC CÁN BỘ.",
		Category: "Văn bản", Published: "2022-01-20"},
	{ID: "a11", URL: "https://example.vn/a11", Title: "Phòng chống dịch COVID-19",
		Body:     "Tăng cường các biện pháp phòng chống dịch covid trên địa bàn.",
		Category: "Tin tức", Published: "2020-02-01"},
	{ID: "a12", URL: "https://example.vn/a12", Title: "Lễ kỷ niệm ngày thành lập",
		Body:     "Buổi lễ diễn ra trang trọng.",
		Captions: []string{"Toàn cảnh buổi lễ", "Đồng chí Bí thư Tỉnh ủy phát biểu tại lễ kỷ niệm"},
		Category: "Tin tức", Published: "2023-02-03"},
	{ID: "a13", URL: "https://example.vn/a13", Title: "Học tập và làm theo tư tưởng Hồ Chí Minh",
		Body:   "Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
		Author: "Nguyễn Thị Hoa", Category: "Xây dựng Đảng", Published: "2019-05-19"},
	{ID: "a14", URL: "https://example.vn/a14", Title: "Tăng cường công tác kiểm tra, giám sát",
		Body:   "Ủy ban kiểm tra kiểm tra chi bộ về việc chấp hành nguyên tắc tổ chức sinh hoạt đảng.",
		Author: "Phạm Minh Tuấn", Category: "Kiểm tra", Published: "2022-11-02"},
	{ID: "a15", URL: "https://example.vn/a15", Title: "Giới thiệu chung",
		Body:     "Đảng bộ tỉnh có 52 đảng bộ trực thuộc. An toàn, to lớn, no đủ.",
		Category: "Giới thiệu"},
}

func openTest(t testing.TB, dir string) *Index {
	t.Helper()
	ix, err := Open(dir, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return ix
}

func newTestIndex(t testing.TB) (*Index, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	ix := openTest(t, dir)
	t.Cleanup(func() { ix.Close() })
	if err := ix.Put(context.Background(), corpus...); err != nil {
		t.Fatalf("Put: %v", err)
	}
	return ix, dir
}

func ids(r *Result) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	return out
}

func doSearch(t *testing.T, ix *Index, req Request) *Result {
	t.Helper()
	if req.Limit == 0 {
		req.Limit = 50
	}
	r, err := ix.Search(context.Background(), req)
	if err != nil {
		t.Fatalf("Search(%+v): %v", req, err)
	}
	return r
}

func sameSet(got, want []string) bool {
	g := slices.Clone(got)
	w := slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	return slices.Equal(g, w)
}

func TestSearchMatching(t *testing.T) {
	ix, _ := newTestIndex(t)
	cases := []struct {
		q    string
		want []string
	}{
		{"thanh hoa", []string{"a1"}},
		{"Thanh Hóa", []string{"a1"}},
		{"THANH HÓA", []string{"a1"}},
		{"Thanh Hoá", []string{"a1"}},
		{nfd("Thanh Hóa"), []string{"a1"}},
		{"hoà bình", []string{"a4", "a5"}},
		{"hòa bình", []string{"a4", "a5"}},
		{"hoa binh", []string{"a4", "a5"}},
		{"sức khỏe", []string{"a4"}},
		{"dong son", []string{"a6"}},
		{"Đông Sơn", []string{"a6"}},
		{"đại hội", []string{"a6"}},
		{"dai hoi", []string{"a6"}},
		{"dân vận", []string{"a9"}},
		{"dan van nghe an", []string{"a9"}},
		{"thông báo kết luận", []string{"a10"}},
		{"thong bao", []string{"a10"}},
		{"covid-19", []string{"a11"}},
		{"covid", []string{"a11"}},
		{"bí thư tỉnh ủy", []string{"a12"}},
		{"an to no", []string{"a15"}}, // not English stop words
		{"nguyễn văn an", []string{"a1"}},
		{"tin tuc covid", []string{"a11"}},
		{`"sinh hoạt chi bộ"`, []string{"a2"}},
		{`"sinh hoat chi bo"`, []string{"a2"}},
		{`đảng bộ -huyện`, []string{"a1", "a2", "a14", "a15"}},
		{`đảng bộ -"đông sơn"`, []string{"a1", "a2", "a14", "a15"}},
		{`"đảng bộ" -huyện`, []string{"a1", "a15"}},
		{`covid OR "hồ chí minh"`, []string{"a11", "a13"}},
		{`covid HOẶC "hồ chí minh"`, []string{"a11", "a13"}},
		{`tieude:hoa`, []string{"a1", "a5", "a7", "a4"}},
		{`tieude:"hoa no"`, []string{"a7"}},
		{`title:giám`, []string{"a14"}},
		{`tacgia:"nguyen van an"`, []string{"a1"}},
		{`tacgia:mai hòa`, []string{"a4", "a5"}},
		{`chuyenmuc:"xay dung dang"`, []string{"a2", "a6", "a13"}},
		{`nam:2020`, []string{"a1", "a6", "a11"}},
		{`nam:2020 OR nam:2019`, []string{"a1", "a6", "a11", "a4", "a13"}},
		{`đảng -nam:2020`, []string{"a2", "a13", "a14", "a15"}},
		{`https://example.vn`, nil},
		{`"Lưu ý: chi bộ"`, nil},
		{`hồ chí minh (tư tưởng)`, []string{"a13"}},
	}
	for _, c := range cases {
		r := doSearch(t, ix, Request{Query: c.q})
		if !sameSet(ids(r), c.want) {
			t.Errorf("query %q: got %v, want %v", c.q, ids(r), c.want)
		}
		if int(r.Total) != len(r.Hits) {
			t.Errorf("query %q: total %d, %d hits", c.q, r.Total, len(r.Hits))
		}
	}
}

func TestSearchRanking(t *testing.T) {
	ix, _ := newTestIndex(t)
	// Words together rank above the same syllables apart.
	r := doSearch(t, ix, Request{Query: "sinh hoạt chi bộ"})
	got := ids(r)
	if len(got) < 2 || got[0] != "a2" || !slices.Contains(got, "a3") {
		t.Errorf("sinh hoạt chi bộ: got %v, want a2 first and a3 present", got)
	}
	pos := func(r *Result, id string) int { return slices.Index(ids(r), id) }
	if pos(r, "a14") < 0 || pos(r, "a3") < 0 || pos(r, "a14") > pos(r, "a3") {
		t.Errorf("sinh hoạt chi bộ: a14 (pairs together) should rank above a3 (apart): %v", got)
	}
	// Accents optional in the query, but matching accents rank first.
	r = doSearch(t, ix, Request{Query: "chi bo"})
	if got := ids(r); len(got) < 2 || got[0] != "a2" {
		t.Errorf("chi bo: %v", got)
	}
	// Exact accents rank above folded matches: "hoa" is the flower
	// (a7), "hóa"/"hòa" are other words.
	r = doSearch(t, ix, Request{Query: "tieude:hoa"})
	if got := ids(r); len(got) == 0 || got[0] != "a7" {
		t.Errorf("tieude:hoa: got %v, want a7 first", got)
	}
	r = doSearch(t, ix, Request{Query: "tieude:hóa"})
	if got := ids(r); len(got) == 0 || got[0] != "a1" {
		t.Errorf("tieude:hóa: got %v, want a1 first", got)
	}
	// Title above body.
	r = doSearch(t, ix, Request{Query: "kiểm tra"})
	if got := ids(r); len(got) == 0 || got[0] != "a14" {
		t.Errorf("kiểm tra: got %v, want a14 first", got)
	}
	for i := 1; i < len(r.Hits); i++ {
		if r.Hits[i].Score > r.Hits[i-1].Score {
			t.Errorf("hits not by score: %v", r.Hits)
		}
	}
}

func TestSearchFilters(t *testing.T) {
	ix, _ := newTestIndex(t)
	day := func(s string) time.Time {
		tm, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	cases := []struct {
		name string
		req  Request
		want []string
	}{
		{"category", Request{Category: "Xây dựng Đảng"}, []string{"a2", "a6", "a13"}},
		{"category NFD", Request{Category: nfd(" Xây dựng  Đảng ")}, []string{"a2", "a6", "a13"}},
		{"category is exact", Request{Category: "xay dung dang"}, nil},
		{"category+query", Request{Query: "đại hội", Category: "Xây dựng Đảng"}, []string{"a6"}},
		{"author", Request{Author: "nguyen"}, []string{"a1", "a13"}},
		{"author accents", Request{Author: "Lê Thị"}, []string{"a4", "a5"}},
		{"year 2020", Request{From: day("2020-01-01"), To: day("2020-12-31")}, []string{"a1", "a6", "a11"}},
		{"one day", Request{From: day("2020-03-07"), To: day("2020-03-07")}, []string{"a1"}},
		{"one day, other zone", Request{From: time.Date(2021, 5, 10, 23, 0, 0, 0, time.UTC), To: time.Date(2021, 5, 10, 0, 0, 0, 0, time.UTC)}, []string{"a2"}},
		{"from", Request{From: day("2022-06-01")}, []string{"a5", "a12", "a14"}},
		{"to", Request{To: day("2018-12-31")}, []string{"a7"}},
		{"deleted excluded", Request{Query: "gỡ"}, nil},
		{"deleted included", Request{Query: "thanh hóa", IncludeDeleted: true}, []string{"a1", "a8"}},
	}
	for _, c := range cases {
		r := doSearch(t, ix, c.req)
		if !sameSet(ids(r), c.want) {
			t.Errorf("%s: got %v, want %v", c.name, ids(r), c.want)
		}
	}
}

func TestSortPaginationFacets(t *testing.T) {
	ix, _ := newTestIndex(t)
	r := doSearch(t, ix, Request{Sort: "newest"})
	if r.Total != 14 {
		t.Fatalf("total %d, want 14 (15 less the deleted one)", r.Total)
	}
	want := []string{"a12", "a14", "a5", "a10", "a9", "a2", "a3", "a6", "a1", "a11", "a4", "a13", "a7", "a15"}
	if got := ids(r); !slices.Equal(got, want) {
		t.Errorf("newest: got %v\nwant %v", got, want)
	}
	if r2 := doSearch(t, ix, Request{}); !slices.Equal(ids(r2), want) {
		t.Errorf("empty query should list newest first: %v", ids(r2))
	}
	r = doSearch(t, ix, Request{Sort: "oldest"})
	if got := ids(r); len(got) != 14 || got[0] != "a7" || got[12] != "a12" || got[13] != "a15" {
		t.Errorf("oldest: got %v (undated last)", got)
	}
	// Pagination.
	var paged []string
	for off := 0; off < 20; off += 4 {
		p := doSearch(t, ix, Request{Sort: "newest", Limit: 4, Offset: off})
		if p.Total != 14 {
			t.Errorf("page total %d", p.Total)
		}
		paged = append(paged, ids(p)...)
	}
	if !slices.Equal(paged, want) {
		t.Errorf("pages: %v", paged)
	}
	if p := doSearch(t, ix, Request{Query: "đảng"}); len(p.Hits) > 0 {
		if d, _ := ix.Search(context.Background(), Request{Query: "đảng"}); len(d.Hits) > 10 {
			t.Errorf("default limit: %d hits", len(d.Hits))
		}
	}
	// Facets, only when asked for.
	if r := doSearch(t, ix, Request{}); len(r.Facets) != 0 {
		t.Errorf("facets computed without being asked for: %v", r.Facets)
	}
	r = doSearch(t, ix, Request{Facets: true})
	facet := func(name, term string) int {
		for _, f := range r.Facets[name] {
			if f.Term == term {
				return f.Count
			}
		}
		return 0
	}
	if n := facet("category", "Tin tức"); n != 6 {
		t.Errorf("category Tin tức = %d, want 6; %v", n, r.Facets["category"])
	}
	if n := facet("category", "Xây dựng Đảng"); n != 3 {
		t.Errorf("category Xây dựng Đảng = %d", n)
	}
	if n := facet("year", "2020"); n != 3 {
		t.Errorf("year 2020 = %d; %v", n, r.Facets["year"])
	}
	if n := facet("author", "Trần Thị Bình"); n != 2 {
		t.Errorf("author = %d; %v", n, r.Facets["author"])
	}
	if ys := r.Facets["year"]; len(ys) == 0 || ys[0].Term != "2023" {
		t.Errorf("years newest first: %v", ys)
	}
	if cs := r.Facets["category"]; len(cs) == 0 || cs[0].Term != "Tin tức" {
		t.Errorf("categories by count: %v", cs)
	}
	if _, err := ix.Search(context.Background(), Request{Sort: "random"}); err == nil {
		t.Error("unknown sort accepted")
	}
}

func TestHitFieldsAndSnippets(t *testing.T) {
	ix, _ := newTestIndex(t)
	r := doSearch(t, ix, Request{Query: "thanh hoa"})
	if len(r.Hits) != 1 {
		t.Fatalf("hits %v", ids(r))
	}
	h := r.Hits[0]
	if h.URL != "https://example.vn/a1" || h.Title != corpus[0].Title || h.Author != "Nguyễn Văn An" ||
		h.Category != "Tin tức" || h.Published != "2020-03-07" || !slices.Equal(h.Breadcrumb, []string{"Trang chủ", "Tin tức"}) || h.Score <= 0 {
		t.Errorf("hit fields: %+v", h)
	}
	if !strings.Contains(h.SnippetHTML, "<mark>Thanh</mark> <mark>Hóa</mark>") {
		t.Errorf("snippet html: %q", h.SnippetHTML)
	}
	if strings.Contains(h.Snippet, "<") || !strings.Contains(h.Snippet, "Thanh Hóa") {
		t.Errorf("snippet: %q", h.Snippet)
	}
	// The author's spelling is kept: old-style "hoà" highlighted for a
	// query without accents.
	r = doSearch(t, ix, Request{Query: "hoa binh tieude:giữ"})
	if len(r.Hits) != 1 || !strings.Contains(r.Hits[0].SnippetHTML, "<mark>hoà</mark> <mark>bình</mark>") {
		t.Errorf("old-style snippet: %+v", r.Hits)
	}
	// NFD body: marks survive in the snippet.
	r = doSearch(t, ix, Request{Query: "dan van"})
	if len(r.Hits) != 1 || !strings.Contains(r.Hits[0].SnippetHTML, "<mark>dân</mark> <mark>vận</mark>") ||
		r.Hits[0].Title != "Công tác dân vận ở Nghệ An" {
		t.Errorf("NFD snippet: %+v", r.Hits)
	}
	// Matches only in a caption: the snippet is the caption.
	r = doSearch(t, ix, Request{Query: "bí thư"})
	if len(r.Hits) != 1 || r.Hits[0].SnippetHTML != "Đồng chí <mark>Bí</mark> <mark>thư</mark> Tỉnh ủy phát biểu tại lễ kỷ niệm" {
		t.Errorf("caption snippet: %+v", r.Hits)
	}
	// HTML is escaped.
	ctx := context.Background()
	if err := ix.Put(ctx, Document{ID: "x", Title: "Thử", Body: "a < b & <script>chi bộ</script>"}); err != nil {
		t.Fatal(err)
	}
	r = doSearch(t, ix, Request{Query: "chi bộ thử"})
	if len(r.Hits) != 1 || r.Hits[0].SnippetHTML != "a &lt; b &amp; &lt;script&gt;<mark>chi</mark> <mark>bộ</mark>&lt;/script&gt;" {
		t.Errorf("escaping: %+v", r.Hits)
	}
	// No match in body: leading text.
	r = doSearch(t, ix, Request{Query: "tieude:kế"})
	if len(r.Hits) != 1 || !strings.HasPrefix(r.Hits[0].Snippet, "Các hoạt động") {
		t.Errorf("lead snippet: %+v", r.Hits)
	}
}

func TestBadQueries(t *testing.T) {
	ix, _ := newTestIndex(t)
	cases := []struct {
		q   string
		pos int
	}{
		{`"chi bộ`, 0},
		{`đảng "chi bộ`, 5},
		{`đảng ""`, 5},
		{`tieude:`, 0},
		{`a tacgia: b`, 2},
		{`-đảng`, 0},
		{`-a -"b c"`, 0},
		{`foo:bar`, 0},
		{`a OR`, 2},
		{`OR a`, 0},
		{`a OR OR b`, 5},
		{`a OR -b`, 5},
		{`nam:20`, 0},
		{`nam:abcd`, 0},
		{`...`, 0},
		{`tieude:"..."`, 0},
	}
	for _, c := range cases {
		_, err := ix.Search(context.Background(), Request{Query: c.q})
		var qe *QueryError
		if !errors.As(err, &qe) {
			t.Errorf("query %q: err %v, want *QueryError", c.q, err)
			continue
		}
		if qe.Pos != c.pos || qe.Query != c.q || qe.Msg == "" {
			t.Errorf("query %q: %+v, want pos %d", c.q, qe, c.pos)
		}
		if !strings.Contains(qe.Error(), qe.Msg) {
			t.Errorf("Error() = %q", qe.Error())
		}
	}
	// Not errors.
	for _, q := range []string{"", "   ", "8:30 sáng", "Hà Nội: tin", "lưu ý:", "a - b", "https://x.vn/y"} {
		if _, err := ix.Search(context.Background(), Request{Query: q}); err != nil {
			t.Errorf("query %q: %v", q, err)
		}
	}
}

func TestSeqReopenDelete(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "idx")
	ix := openTest(t, dir)
	if seq, err := ix.Seq(); err != nil || seq != 0 {
		t.Fatalf("fresh seq = %d, %v", seq, err)
	}
	if err := ix.Put(ctx, corpus...); err != nil {
		t.Fatal(err)
	}
	if err := ix.SetSeq(1234567890123); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	ix = openTest(t, dir)
	defer ix.Close()
	if seq, err := ix.Seq(); err != nil || seq != 1234567890123 {
		t.Fatalf("seq after reopen = %d, %v", seq, err)
	}
	if n, err := ix.Count(); err != nil || n != uint64(len(corpus)) {
		t.Fatalf("count = %d, %v", n, err)
	}
	if r := doSearch(t, ix, Request{Query: "thanh hoa"}); !sameSet(ids(r), []string{"a1"}) {
		t.Fatalf("after reopen: %v", ids(r))
	}
	// Upsert replaces.
	d := corpus[0]
	d.Title = "Tiêu đề mới"
	d.Body = "Nội dung mới"
	if err := ix.Put(ctx, d); err != nil {
		t.Fatal(err)
	}
	if r := doSearch(t, ix, Request{Query: "thanh hoa"}); len(r.Hits) != 0 {
		t.Errorf("old text still found: %v", ids(r))
	}
	if r := doSearch(t, ix, Request{Query: "noi dung moi"}); !sameSet(ids(r), []string{"a1"}) {
		t.Errorf("new text: %v", ids(r))
	}
	if err := ix.Delete(ctx, "a1", "a2", "nope"); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.Count(); n != uint64(len(corpus)-2) {
		t.Errorf("count after delete = %d", n)
	}
	if err := ix.Put(ctx, Document{Title: "no id"}); err == nil {
		t.Error("document without ID accepted")
	}
	if err := ix.Put(ctx, Document{ID: "bad-date", Title: "ngày sai", Published: "hôm qua"}); err != nil {
		t.Errorf("bad date: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := ix.Put(cctx, corpus...); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with canceled context: %v", err)
	}
}

func TestCorrupt(t *testing.T) {
	ctx := context.Background()
	mk := func(t *testing.T) string {
		dir := filepath.Join(t.TempDir(), "idx")
		ix := openTest(t, dir)
		if err := ix.Put(ctx, corpus...); err != nil {
			t.Fatal(err)
		}
		ix.Close()
		return dir
	}
	garbage := []byte("\x00\xffnot an index at all\x13\x37")
	// overwrite puts garbage in the files below root that match and
	// returns how many.
	overwrite := func(root string, match func(path string) bool) int {
		n := 0
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && match(p) {
				os.WriteFile(p, garbage, 0o644)
				n++
			}
			return nil
		})
		return n
	}
	t.Run("meta", func(t *testing.T) {
		dir := mk(t)
		if err := os.WriteFile(filepath.Join(shardDir(dir, 1), "index_meta.json"), garbage, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(dir, nil); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("Open: %v, want ErrCorrupt", err)
		}
		if err := Remove(dir); err != nil {
			t.Fatal(err)
		}
		ix := openTest(t, dir) // rebuild
		ix.Close()
	})
	t.Run("store files", func(t *testing.T) {
		dir := mk(t)
		if overwrite(filepath.Join(shardDir(dir, 0), "store"), func(string) bool { return true }) == 0 {
			t.Fatal("no store files")
		}
		if _, err := Open(dir, nil); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("Open: %v, want ErrCorrupt", err)
		}
	})
	t.Run("segments", func(t *testing.T) {
		dir := mk(t)
		if overwrite(dir, func(p string) bool { return strings.HasSuffix(p, ".zap") }) == 0 {
			t.Skip("no segment files")
		}
		if _, err := Open(dir, nil); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("Open: %v, want ErrCorrupt", err)
		}
	})
	t.Run("missing meta", func(t *testing.T) {
		dir := mk(t)
		os.Remove(filepath.Join(shardDir(dir, 0), "index_meta.json"))
		if _, err := Open(dir, nil); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("Open: %v, want ErrCorrupt", err)
		}
	})
	t.Run("other schema", func(t *testing.T) {
		dir := mk(t)
		ix := openTest(t, dir)
		ix.shards[1].SetInternal([]byte(internalSchema), []byte("tulieu-index-0"))
		ix.Close()
		if _, err := Open(dir, nil); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("Open: %v, want ErrCorrupt", err)
		}
	})
	t.Run("missing layout", func(t *testing.T) {
		dir := mk(t)
		os.Remove(filepath.Join(dir, layoutFile))
		if _, err := Open(dir, nil); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("Open: %v, want ErrCorrupt", err)
		}
	})
	t.Run("older single index", func(t *testing.T) {
		// An index written before shards: one Bleve index in dir itself.
		dir := filepath.Join(t.TempDir(), "idx")
		im, err := newMapping()
		if err != nil {
			t.Fatal(err)
		}
		bi, err := bleve.New(dir, im)
		if err != nil {
			t.Fatal(err)
		}
		bi.Close()
		_, err = Open(dir, nil)
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "older") {
			t.Fatalf("Open: %v, want ErrCorrupt naming an older index", err)
		}
		if err := Remove(dir); err != nil {
			t.Fatal(err)
		}
		ix := openTest(t, dir) // rebuilt in the new layout
		ix.Close()
	})
	t.Run("lost documents", func(t *testing.T) {
		dir := mk(t)
		// The note of the clean close says more than the shards hold.
		b, _ := json.Marshal(cleanState{Shards: []uint64{100, 100}, Seq: ""})
		os.WriteFile(statePath(dir), b, 0o644)
		if _, err := Open(dir, nil); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("Open: %v, want ErrCorrupt", err)
		}
	})
	t.Run("remove refuses", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "precious.txt"), []byte("x"), 0o644)
		if err := Remove(dir); err == nil {
			t.Fatal("Remove deleted a non-index directory")
		}
		if err := Remove(filepath.Join(dir, "missing")); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("in use", func(t *testing.T) {
		dir := mk(t)
		ix := openTest(t, dir)
		defer ix.Close()
		_, err := openWaiting(dir, nil, 200*time.Millisecond, false)
		if err == nil || errors.Is(err, ErrCorrupt) {
			t.Fatalf("second Open: %v, want an in-use error", err)
		}
	})
	t.Run("empty dir", func(t *testing.T) {
		dir := t.TempDir()
		ix := openTest(t, dir)
		ix.Close()
	})
}

func TestConcurrentPutSearch(t *testing.T) {
	ix, _ := newTestIndex(t)
	ctx := context.Background()
	docs := genDocs(100)
	done := make(chan error, 3)
	go func() {
		for i := 0; i < len(docs); i += 20 {
			if err := ix.Put(ctx, docs[i:i+20]...); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for g := 0; g < 2; g++ {
		go func() {
			for i := 0; i < 30; i++ {
				if _, err := ix.Search(ctx, Request{Query: "đảng bộ", Sort: "newest"}); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for i := 0; i < 3; i++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := ix.Count(); n != uint64(len(corpus)+len(docs)) {
		t.Errorf("count %d", n)
	}
}

// TestAuthorFacetAsFilter: each author facet value given back as a filter
// (ExactAuthor, what the search page's facet links do) finds as many
// articles as the facet counted, with and without a query (flat facets
// and bleve's); the same name without quotes still finds it within every
// byline, accents and case optional.
func TestAuthorFacetAsFilter(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	ix := openTest(t, dir)
	defer ix.Close()
	docs := []Document{
		{ID: "b1", Title: "Hội nghị chi bộ", Body: "Chi bộ họp bàn công tác.", Author: "Nguyễn Văn An", Published: "2024-01-02"},
		{ID: "b2", Title: "Hội nghị đảng bộ", Body: "Đảng bộ họp bàn công tác.", Author: "Nguyễn Văn An, Trần Thị Bình", Published: "2024-01-03"},
		{ID: "b3", Title: "Hội nghị công đoàn", Body: "Công đoàn họp bàn công tác.", Author: "Nguyen Van An", Published: "2024-01-04"},
		{ID: "b4", Title: "Hội nghị thanh niên", Body: "Đoàn thanh niên họp bàn công tác.", Author: "NGUYỄN VĂN AN", Published: "2024-01-05"},
		{ID: "b5", Title: "Hội nghị phụ nữ", Body: "Hội phụ nữ họp bàn công tác.", Author: nfd("Nguyễn Văn An"), Published: "2024-01-06"},
		{ID: "b6", Title: "Hội nghị cựu chiến binh", Body: "Hội cựu chiến binh họp bàn.", Author: "Lê Nguyễn Văn An", Published: "2024-01-07"},
	}
	if err := ix.Put(context.Background(), docs...); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"", "hội nghị", `"hội nghị"`} {
		res := doSearch(t, ix, Request{Query: q, Facets: true})
		if len(res.Facets["author"]) != 5 {
			t.Errorf("q=%q: author facet %v, want 5 values", q, res.Facets["author"])
		}
		for _, f := range res.Facets["author"] {
			got := doSearch(t, ix, Request{Query: q, Author: ExactAuthor(f.Term)})
			if got.Total != uint64(f.Count) {
				t.Errorf("q=%q: the facet counts %d articles by %q, the filter %s finds %d: %v", q, f.Count, f.Term, ExactAuthor(f.Term), got.Total, ids(got))
			}
		}
	}
	if got := ids(doSearch(t, ix, Request{Author: "Nguyễn Văn An"})); !sameSet(got, []string{"b1", "b2", "b3", "b4", "b5", "b6"}) {
		t.Errorf("author within the byline: %v", got)
	}
	if got := ids(doSearch(t, ix, Request{Author: ExactAuthor(" Nguyễn  Văn An ")})); !sameSet(got, []string{"b1", "b5"}) {
		t.Errorf("exact author, spaces and composition aside: %v, want b1 and b5", got)
	}
	if got := ids(doSearch(t, ix, Request{Author: `""`})); len(got) != 6 {
		t.Errorf(`author "" filters out %v; want no filter`, got)
	}
	if _, err := ix.Search(context.Background(), Request{Author: strings.Repeat("a ", MaxQueryLength)}); err == nil {
		t.Error("an author filter longer than MaxQueryLength was accepted")
	}
}

// TestAuthorFacetCountsThePerson: the author facet counts the person the
// byline names (Document.AuthorName), not the byline with its titles and
// office, so a researcher sees "Đào Thị Thủy (2)" for two bylines written
// differently; a byline with no person found is counted as printed.
func TestAuthorFacetCountsThePerson(t *testing.T) {
	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	defer ix.Close()
	docs := []Document{
		{ID: "c1", Title: "Bài một", Body: "Công tác tuyên giáo.", Author: "ThS Đào Thị Thủy - UV Ban Chấp hành Đảng bộ Trung tâm GDT", AuthorName: "Đào Thị Thủy"},
		{ID: "c2", Title: "Bài hai", Body: "Công tác dân vận.", Author: "Đào Thị Thủy (Trung tâm GDT)", AuthorName: "Đào Thị Thủy"},
		{ID: "c3", Title: "Bài ba", Body: "Công tác kiểm tra.", Author: "BBT"},
	}
	if err := ix.Put(context.Background(), docs...); err != nil {
		t.Fatal(err)
	}
	res := doSearch(t, ix, Request{Facets: true})
	want := []Facet{{Term: "Đào Thị Thủy", Count: 2}, {Term: "BBT", Count: 1}}
	if !slices.Equal(res.Facets["author"], want) {
		t.Errorf("author facet %v, want %v", res.Facets["author"], want)
	}
	if got := ids(doSearch(t, ix, Request{Author: ExactAuthor("Đào Thị Thủy")})); !sameSet(got, []string{"c1", "c2"}) {
		t.Errorf("the facet's filter finds %v, want c1 and c2", got)
	}
	if h := doSearch(t, ix, Request{Query: "tuyên giáo"}).Hits; len(h) != 1 || h[0].Author != docs[0].Author {
		t.Errorf("hits %+v: the hit shows the byline as printed", h)
	}
}
