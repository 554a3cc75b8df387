package extract

import (
	"strings"
	"testing"
	"time"
	"tulieu/vntext"
)

func TestParseDate(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Ngày 28/02/2020", "2020-02-28"},
		{"08:00 | 07/03/2020", "2020-03-07T08:00:00+07:00"},
		{"Thứ Hai, 15/10/2025 - 09:12", "2025-10-15T09:12:00+07:00"},
		{"Cập nhật: 12-5-2021", "2021-05-12"},
		{"Đăng ngày 11 - 11 - 2023", "2023-11-11"},
		{"Đăng ngày 15-05-2022 10:48", "2022-05-15T10:48:00+07:00"},
		{"16/10/2020 02:48:00 AM - Đã xem: 643", "2020-10-16T02:48:00+07:00"},
		{"16/10/2020 02:48:00 PM", "2020-10-16T14:48:00+07:00"},
		{"04/11/2022 16:26:08", "2022-11-04T16:26:08+07:00"},
		{"Thứ Bảy, 23/11/2024, 17:25 (GMT+7)", "2024-11-23T17:25:00+07:00"},
		{"Thứ Bảy, 23/11/2024, 10:25 (GMT+0)", "2024-11-23T17:25:00+07:00"},
		{"ngày 15 tháng 10 năm 2025", "2025-10-15"},
		{"2025-10-22T19:25:52+07:00", "2025-10-22T19:25:52+07:00"},
		{"2025-10-22T12:25:52Z", "2025-10-22T19:25:52+07:00"},
		{"2020-02-28", "2020-02-28"},
		{"17h25 ngày 23/11/2024", "2024-11-23T17:25:00+07:00"},
		// The half of the day in words (Zing, 2012): "tối" is the evening.
		{"Cập nhật thứ hai, ngày 24/12/12 11:05 tối", "2012-12-24T23:05:00+07:00"},
		{"24/12/2012 04:00 chiều", "2012-12-24T16:00:00+07:00"},
		{"24/12/2012 09:30 sáng", "2012-12-24T09:30:00+07:00"},
		{"24/12/2012 1 giờ 15 trưa", "2012-12-24T13:15:00+07:00"},
		{"24/12/2012 11:30 trưa", "2012-12-24T11:30:00+07:00"},
		{"24/12/2012 11:20 đêm", "2012-12-24T23:20:00+07:00"},
		{"24/12/2012 02:10 đêm", "2012-12-24T02:10:00+07:00"},
		{"24/12/2012 08:45 tối.", "2012-12-24T20:45:00+07:00"},
		{"24/12/2012 08:45 tốimai", "2012-12-24T08:45:00+07:00"}, // not the word
		{"05/03/2020", "2020-03-05"},                             // day first, always
		{"31/02/2020", ""},
		{"Số 35 Hà Văn Mao", ""},
		{"", ""},
	}
	for _, c := range cases {
		tm, hasTime, ok := ParseDate(c.in)
		got := ""
		if ok {
			got = formatDate(tm, hasTime)
		}
		if got != c.want {
			t.Errorf("ParseDate(%q) = %q, want %q", c.in, got, c.want)
		}
		if ok && tm.Location().String() != ictZone.String() {
			t.Errorf("ParseDate(%q): location %v", c.in, tm.Location())
		}
	}
}

func TestIsDateLine(t *testing.T) {
	for s, want := range map[string]bool{
		"Ngày 28/02/2020":                              true,
		"16/10/2020 02:48:00 AM - Đã xem: 643":         true,
		"Cập nhật lúc 10:05 ngày 15 tháng 10 năm 2025": true,
		"Ngày 28/02/2020, Hội đồng Thi đua - Khen thưởng tỉnh tổ chức hội nghị tổng kết.": false,
		"Lê Hà - 28/02/2020": false,
	} {
		if got := isDateLine(s); got != want {
			t.Errorf("isDateLine(%q) = %v", s, got)
		}
	}
}

func TestDecode(t *testing.T) {
	vi := "<html><head><meta charset=\"windows-1258\"></head><body>Đảng ủy Khối Thanh Hóa</body></html>"
	enc1258 := string(encode1258(t, vi))
	utf := "<html><head><meta charset=\"utf-8\"></head><body>Đảng ủy Khối Thanh Hóa</body></html>"
	cases := []struct {
		name, body, ct, charset, contains string
	}{
		{"header utf-8", utf, "text/html; charset=UTF-8", "utf-8", "Đảng ủy"},
		{"wrong latin header on utf-8", utf, "text/html; charset=iso-8859-1", "utf-8", "Đảng ủy"},
		{"meta 1258", enc1258, "text/html", "windows-1258", "Đảng ủy"},
		{"utf-8 header on 1258 bytes", enc1258, "text/html; charset=utf-8", "windows-1258", "Thanh Hóa"},
		{"no charset, 1258 bytes", strings.Replace(enc1258, "windows-1258", "", 1), "", "windows-1258", "Khối"},
		{"bom", "\xef\xbb\xbf" + utf, "text/html; charset=windows-1252", "utf-8", "Đảng"},
		{"no charset ascii", "<p>hello</p>", "", "utf-8", "hello"},
	}
	for _, c := range cases {
		got, cs, err := Decode([]byte(c.body), c.ct)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if cs != c.charset || !strings.Contains(got, c.contains) {
			t.Errorf("%s: charset %q, text %q", c.name, cs, got)
		}
	}
}

func TestBylines(t *testing.T) {
	cases := []struct{ in, name string }{
		{"ThS Đào Thị Thủy - UV Ban Chấp hành Đảng bộ Trung tâm GDT", "Đào Thị Thủy"},
		{"Lê Hà (Văn phòng Đảng ủy Khối)", "Lê Hà"},
		{"Tác giả: Nguyễn Văn An", "Nguyễn Văn An"},
		{"ThS. Mai Thị Thu Hiền", "Mai Thị Thu Hiền"},
		{"PGS.TS Nguyễn Văn Hùng", "Nguyễn Văn Hùng"},
		{"Nhà báo Trần Thị Mai", "Trần Thị Mai"},
		{"Đồng chí Lê Văn Tú - Bí thư Chi bộ", "Lê Văn Tú"},
		{"BBT", ""},
		{"PV", ""},
	}
	for _, c := range cases {
		if !isBylineText(c.in) {
			t.Errorf("isBylineText(%q) = false", c.in)
		}
		if got := authorName(cleanByline(c.in)); got != c.name {
			t.Errorf("authorName(%q) = %q, want %q", c.in, got, c.name)
		}
	}
	for _, s := range []string{
		"Hội nghị kết thúc trong không khí phấn khởi./.",
		"Đảng bộ Hoàn thành Xuất sắc Nhiệm Vụ",
		"Ban Tuyên giáo Tỉnh ủy",
		"Kết quả đánh giá, xếp loại các tổ chức đảng, đảng viên năm 2019:",
		"Các đồng chí đại biểu dự Tọa đàm chụp ảnh lưu niệm tại CQ Đảng ủy",
		"Trong thời gian tới, các cấp ủy cần chú trọng phát triển đảng viên là đoàn viên thanh niên ưu tú.",
	} {
		if isBylineText(s) {
			t.Errorf("isBylineText(%q) = true", s)
		}
	}
}

func TestSourceLines(t *testing.T) {
	for s, want := range map[string]bool{
		"Báo Thanh Hóa":  true,
		"baothanhhoa.vn": true,
		"kế hoạch, hội nghị sẽ diễn ra vào tháng tới.": false,
	} {
		if got := sourceLike(s); got != want {
			t.Errorf("sourceLike(%q) = %v", s, got)
		}
	}
}

func TestProfileWins(t *testing.T) {
	page := `<html><head><title>Site</title></head><body><div class="x-title">Tiêu đề theo hồ sơ trang</div>
<h1>Tiêu đề khác của trang này</h1><div class="x-body"><p>Đoạn văn thứ nhất của bài viết theo hồ sơ, đủ dài để được xem là nội dung chính của bài.</p></div>
<div class="x-date">Ngày 01/02/2021</div><div class="junk">Quảng cáo rất dài, rất dài, rất dài, rất dài, rất dài, rất dài, rất dài, rất dài.</div></body></html>`
	p := Profile{Host: "example.vn", Title: ".x-title", Body: ".x-body", Date: ".x-date", Remove: []string{".junk"}}
	doc, err := Extract("http://www.example.vn/a-1.html", []byte(page), "", Options{Profiles: []Profile{p}})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "Tiêu đề theo hồ sơ trang" || doc.Published != "2021-02-01" || !strings.HasPrefix(doc.Body, "Đoạn văn thứ nhất") || strings.Contains(doc.Body, "Quảng cáo") {
		t.Errorf("profile not applied: %+v", doc)
	}
	ps, err := LoadProfiles(strings.NewReader(`[{"host":"example.vn","title":".x-title","remove":[".junk"]}]`))
	if err != nil || len(ps) != 1 || ps[0].Remove[0] != ".junk" {
		t.Errorf("LoadProfiles: %v %+v", err, ps)
	}
	// an invalid selector is ignored, not a panic
	if _, err := Extract("http://example.vn/", []byte(page), "", Options{Profiles: []Profile{{Host: "example.vn", Title: "[[[", Remove: []string{"::"}}}}); err != nil {
		t.Error(err)
	}
}

// TestProfileHostWithPortOrScheme: a profile whose "host" was written
// with the port of a local mirror ("127.0.0.1:8081", as the README crawls
// one) or as an address was accepted, and never applied.
func TestProfileHostWithPortOrScheme(t *testing.T) {
	page := `<html><head><title>Site</title></head><body><div class="x-title">Tiêu đề theo hồ sơ trang</div>
<h1>Tiêu đề khác của trang này</h1><div class="x-body"><p>Đoạn văn thứ nhất của bài viết theo hồ sơ, đủ dài để được xem là nội dung chính của bài.</p></div></body></html>`
	for _, host := range []string{"127.0.0.1:8081", "http://127.0.0.1:8081/", "https://127.0.0.1", " 127.0.0.1 "} {
		doc, err := Extract("http://127.0.0.1:8081/a-1.html", []byte(page), "", Options{Profiles: []Profile{{Host: host, Title: ".x-title"}}})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Title != "Tiêu đề theo hồ sơ trang" {
			t.Errorf("host %q: profile not applied (title %q)", host, doc.Title)
		}
	}
}

func TestBounds(t *testing.T) {
	deep := strings.Repeat("<div>", 100000) + "chữ" + strings.Repeat("</div>", 100000)
	wide := "<html><body>" + strings.Repeat("<p>a</p>", 300000) + "</body></html>"
	for name, s := range map[string]string{"deep": deep, "wide": wide} {
		start := time.Now()
		if _, err := Extract("http://x.vn/", []byte(s), "", Options{}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s took %v", name, d)
		}
	}
	if _, err := Extract("http://x.vn/", nil, "", Options{}); err == nil {
		t.Error("empty body: want error")
	}
}

// An office's name is never a person's, whatever letter ends its first
// word: "Sở", "Bộ", "Xã" end in letters outside ASCII, where regexp's \b
// saw no word end.
func TestOfficeNamesAreNotPeople(t *testing.T) {
	for _, s := range []string{"Sở Y tế", "Bộ Công an", "Chi bộ Văn phòng", "Thành phố Thanh Hóa", "Xã Quảng Tiến", "Ban Tuyên giáo", "Sở Tư pháp, Thanh Hóa"} {
		if isPersonName(s) {
			t.Errorf("isPersonName(%q) = true", s)
		}
		if got := authorName(s); got != "" {
			t.Errorf("authorName(%q) = %q, want none", s, got)
		}
	}
	for _, s := range []string{"Bùi Sởn", "Bạch Ngọc Bích", "Banh Văn Tú"} {
		if !isPersonName(s) {
			t.Errorf("isPersonName(%q) = false", s)
		}
	}
}

// fold's table path gives what its definition (foldSlow) gives.
func TestFoldFastMatchesSlow(t *testing.T) {
	var all strings.Builder
	for r := rune(0); r < 0x2000; r++ {
		all.WriteRune(r)
		if got, want := fold(string(r)), foldSlow(string(r)); got != want {
			t.Errorf("fold(%U) = %q, want %q", r, got, want)
		}
	}
	for _, s := range []string{all.String(), "Đảng ủy Khối THANH HÓA", "Hoà\u0300 A\u0301", "İstanbul ß", "x\xffy", ""} {
		if got, want := fold(s), foldSlow(s); got != want {
			t.Errorf("fold(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Đảng ủy Khối THANH HÓA", "Hoà\u0300", "한국", "x\xffy"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := fold(s), foldSlow(s); got != want {
			t.Fatalf("fold(%q) = %q, want %q", s, got, want)
		}
	})
}

// isCleanText says yes only where cleanText changes nothing.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"", " ", "a b", "a  b", " a", "a ", "Đảng\u00a0ủy", "x\u200by", "x\xffy", "a\tb", "\u202f", "ok"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		s = vntext.NFC(s)
		if isCleanText(s) && cleanText(s) != s {
			t.Fatalf("isCleanText(%q), but cleanText gives %q", s, cleanText(s))
		}
	})
}

func TestCleanTextKeepsCleanText(t *testing.T) {
	for _, s := range []string{"Đảng ủy Khối các cơ quan tỉnh Thanh Hóa.", "a", "Ngày 5/11/2024 (GMT+7)"} {
		if !isCleanText(s) || cleanText(s) != s {
			t.Errorf("%q: isCleanText %v, cleanText %q", s, isCleanText(s), cleanText(s))
		}
	}
}
