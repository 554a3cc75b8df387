package export_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"tulieu/export"
	"tulieu/internal/fixturesite"
	"tulieu/store"
)

// Paths of the articles the format tests add to the fixture site.
const (
	longPath    = "/tin-tuc/tu-lieu/bai-rat-dai-9001.html"
	trickyPath  = "/tin-tuc/tu-lieu/tieu-de-co-ky-tu-dac-biet-9002.html"
	sharedImage = "/uploads/images/tu-lieu/bac-ho-ve-tham-thanh-hoa.jpg" // also in chu-tich-ho-chi-minh-voi-thanh-hoa-18
	absentImage = "/anh/anh-khong-duoc-luu.jpg"                          // on a host whose robots.txt keeps it out of the archive
	trickyTitle = "=1+2 <script>alert(1)</script> & *đậm* [ngoặc] #thẻ"
)

// formatsStore crawls the fixture site, plus an article with a body longer
// than an Excel cell and one with a title full of markup that also shows
// an archived image shared with another article and an image the site
// does not have, into a fresh data directory.
func formatsStore(t *testing.T) (*store.Store, string) {
	t.Helper()
	site, srv := fixturesite.Start(t, fixturesite.Options{})
	// A second host whose robots.txt forbids everything: the crawler never
	// archives its image.
	closed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			io.WriteString(w, "User-agent: *\nDisallow: /\n")
			return
		}
		t.Errorf("the crawler asked a disallowed host for %s", r.URL.Path)
		http.NotFound(w, r)
	}))
	t.Cleanup(closed.Close)
	var long strings.Builder
	para := "Đảng bộ Khối các cơ quan tỉnh Thanh Hóa lãnh đạo các tổ chức cơ sở đảng thực hiện thắng lợi nhiệm vụ chính trị, " +
		"xây dựng Đảng trong sạch, vững mạnh; đổi mới phương thức lãnh đạo, nâng cao chất lượng sinh hoạt chi bộ. "
	for i := 0; long.Len() < 60000; i++ {
		// An emoji is two UTF-16 units, as Excel counts, and one rune.
		long.WriteString("<p>📜 Đoạn " + strconv.Itoa(i+1) + ". " + para + para + "</p>\n")
	}
	site.Add(fixturesite.Article{
		Path: longPath, Title: "Bài viết rất dài về lịch sử Đảng bộ Khối", DateLine: "Ngày 20/05/2019",
		Time: time.Date(2019, 5, 20, 8, 0, 0, 0, time.UTC), BodyHTML: long.String(),
	})
	site.Add(fixturesite.Article{
		Path: trickyPath, Title: trickyTitle, DateLine: "Ngày 21/05/2019",
		Time: time.Date(2019, 5, 21, 8, 0, 0, 0, time.UTC),
		BodyHTML: `<p>Đoạn mở đầu có ký tự đặc biệt: &lt;b&gt;không đậm&lt;/b&gt;, *không nghiêng*, [không phải liên kết](x) &amp; =SUM(A1).</p>
<p align="center"><img src="` + sharedImage + `" alt="alt" /></p>
<p align="center"><i>Ảnh dùng chung với một bài khác.</i></p>
<p align="center"><img src="` + closed.URL + absentImage + `" alt="alt" /></p>
<p align="center"><i>Ảnh không được lưu.</i></p>
<p>Đoạn kết.</p>
`,
	})
	dir := t.TempDir()
	ctx := context.Background()
	st, err := store.Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	crawlStore(t, st, srv.URL+"/", slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})))
	return st, srv.URL
}

// formatsExport writes the whole archive in format to a file in a temporary
// folder and returns its path and the number of records.
func formatsExport(t *testing.T, st *store.Store, opts export.Options, name string) (string, int) {
	t.Helper()
	var buf bytes.Buffer
	n, err := export.Write(context.Background(), &buf, export.Selection{}, opts, st, nil)
	if err != nil {
		t.Fatalf("export %s: %v", opts.Format, err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p, n
}

func TestXlsxReadBack(t *testing.T) {
	st, _ := formatsStore(t)
	ctx := context.Background()
	arts, err := st.Articles(ctx, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*store.Article{}
	for i := range arts {
		byID[arts[i].ID] = &arts[i]
	}
	p, n := formatsExport(t, st, export.Options{Format: "xlsx", Now: func() time.Time {
		return time.Date(2024, 3, 1, 2, 3, 4, 0, time.UTC)
	}}, "bai-viet.xlsx")
	if n != len(arts) || n < 10 {
		t.Fatalf("%d records for %d articles", n, len(arts))
	}
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Bài viết", "Nguồn"}) {
		t.Fatalf("sheets %q", got)
	}
	const sheet = "Bài viết"
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n+1 {
		t.Fatalf("%d rows, want a header and %d records", len(rows), n)
	}
	if !slices.Equal(rows[0], export.DefaultColumns(false)) {
		t.Fatalf("header %q", rows[0])
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	cellOf := func(name string, row int) string {
		c, _ := excelize.CoordinatesToCellName(col[name]+1, row)
		return c
	}
	if hs, _ := f.GetCellStyle(sheet, "A1"); hs == 0 {
		t.Error("header has no style")
	} else if s, _ := f.GetStyle(hs); s.Font == nil || !s.Font.Bold {
		t.Errorf("header style %+v is not bold", s)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes %+v %v, want the header row frozen", panes, err)
	}
	bodyCol, _ := excelize.ColumnNumberToName(col["body"] + 1)
	if w, _ := f.GetColWidth(sheet, bodyCol); w < 50 {
		t.Errorf("body column %s is %v wide", bodyCol, w)
	}
	vn := time.FixedZone("ICT", 7*3600)
	sawLong, sawTricky, sawTime := false, false, false
	for i, row := range rows[1:] {
		r := i + 2
		get := func(name string) string {
			if j := col[name]; j < len(row) {
				return row[j]
			}
			return ""
		}
		a := byID[get("id")]
		if a == nil {
			t.Fatalf("row %d: id %q is no article", r, get("id"))
		}
		if get("title") != a.Title || get("url") != a.URL || get("author") != a.Author || get("category") != a.Category {
			t.Errorf("row %d: %q %q %q %q, want %+v", r, get("title"), get("url"), get("author"), get("category"), a)
		}
		// Text cells are text, never formulas, whatever they start with.
		for _, name := range []string{"id", "title", "body"} {
			c := cellOf(name, r)
			if typ, _ := f.GetCellType(sheet, c); typ != excelize.CellTypeInlineString {
				t.Errorf("%s (%s) has type %v, want an inline string", c, name, typ)
			}
			if fm, _ := f.GetCellFormula(sheet, c); fm != "" {
				t.Errorf("%s (%s) is a formula: %q", c, name, fm)
			}
		}
		// The URL is a link whose cached value is the URL.
		if fm, _ := f.GetCellFormula(sheet, cellOf("url", r)); fm != `HYPERLINK("`+a.URL+`")` {
			t.Errorf("row %d: url formula %q", r, fm)
		}
		if a.URL == "" || !strings.HasSuffix(a.URL, longPath) {
			if get("body") != a.Body {
				t.Errorf("row %d: body changed (%d vs %d characters)", r, utf8.RuneCountInString(get("body")), utf8.RuneCountInString(a.Body))
			}
		} else {
			sawLong = true
			xlsxCheckCut(t, get("body"), a.Body)
		}
		if a.Title == trickyTitle {
			sawTricky = true
		}
		// Dates are numbers with a date format, in Vietnam time.
		for _, name := range []string{"published", "first_seen", "last_seen", "captured_at"} {
			c := cellOf(name, r)
			raw, _ := f.GetCellValue(sheet, c, excelize.Options{RawCellValue: true})
			if name == "published" && a.Published == "" {
				if raw != "" {
					t.Errorf("%s: %q for an undated article", c, raw)
				}
				continue
			}
			serial, err := strconv.ParseFloat(raw, 64)
			if err != nil {
				t.Errorf("%s (%s) = %q is not a date serial", c, name, raw)
				continue
			}
			if typ, _ := f.GetCellType(sheet, c); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
				t.Errorf("%s (%s) has type %v, want a number", c, name, typ)
			}
			sid, _ := f.GetCellStyle(sheet, c)
			style, _ := f.GetStyle(sid)
			if style == nil || style.CustomNumFmt == nil || !strings.HasPrefix(*style.CustomNumFmt, "dd/mm/yyyy") {
				t.Errorf("%s (%s) has style %+v, want a dd/mm/yyyy format", c, name, style)
			}
			got, _ := excelize.ExcelDateToTime(serial, false)
			var want time.Time
			switch name {
			case "published":
				if t0, err := time.Parse(time.DateOnly, a.Published); err == nil {
					want = t0
				} else {
					t0, _ := time.Parse(time.RFC3339, a.Published)
					want, sawTime = xlsxWall(t0.In(vn)), true
				}
			case "first_seen":
				want = xlsxWall(a.FirstSeen.In(vn))
			case "last_seen":
				want = xlsxWall(a.LastSeen.In(vn))
			case "captured_at":
				cp, err := st.CaptureByID(ctx, a.CaptureID)
				if err != nil {
					t.Fatal(err)
				}
				want = xlsxWall(cp.FetchedAt.In(vn))
			}
			if d := got.Sub(want.Truncate(time.Second)); d < -time.Second || d > time.Second {
				t.Errorf("%s (%s): %v, want %v (Vietnam wall clock)", c, name, got, want)
			}
		}
		if v, _ := f.GetCellValue(sheet, cellOf("versions", r), excelize.Options{RawCellValue: true}); v != strconv.Itoa(a.Versions) {
			t.Errorf("row %d: versions %q, want %d", r, v, a.Versions)
		}
	}
	if !sawLong || !sawTricky {
		t.Errorf("long body seen %v, formula-like title seen %v", sawLong, sawTricky)
	}
	_ = sawTime // the fixture may or may not print a time of day

	// The provenance sheet.
	src, err := f.GetRows("Nguồn")
	if err != nil {
		t.Fatal(err)
	}
	meta := map[string]string{}
	for _, row := range src[1:] {
		if len(row) == 3 {
			meta[row[0]] = row[2]
		}
	}
	if meta["format"] != "xlsx" || meta["records"] != strconv.Itoa(n) || meta["cut_cells"] != "1" ||
		meta["created_utc"] != "2024-03-01T02:03:04Z" || !strings.HasPrefix(meta["tool"], "tulieu ") ||
		!strings.Contains(meta["cut_cell_refs"], "(body)") || !strings.Contains(meta["cut_note"], "32 700") {
		t.Errorf("Nguồn: %q", meta)
	}
	var sel export.Selection
	if err := json.Unmarshal([]byte(meta["selection"]), &sel); err != nil {
		t.Errorf("selection %q: %v", meta["selection"], err)
	}
	if raw, _ := f.GetCellValue("Nguồn", "C4", excelize.Options{RawCellValue: true}); raw == "" {
		t.Error("no creation date")
	} else if v, _ := strconv.ParseFloat(raw, 64); v < 45352.377 || v > 45352.378 { // 1 March 2024 09:03:04 ICT
		t.Errorf("created serial %s", raw)
	}

	xlsxCheckSheetXML(t, p, n)
}

// xlsxCheckSheetXML reads the first sheet's XML itself: the column widths in
// column order (Excel rejects them otherwise), the only formulas the url
// links, an autofilter over the table.
func xlsxCheckSheetXML(t *testing.T, xlsx string, n int) {
	t.Helper()
	zr, err := zip.OpenReader(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	rc, err := zr.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	sheet := string(b)
	last := 0
	for _, m := range regexp.MustCompile(`<col min="(\d+)"`).FindAllStringSubmatch(sheet, -1) {
		c, _ := strconv.Atoi(m[1])
		if c <= last {
			t.Errorf("column %d after column %d", c, last)
		}
		last = c
	}
	if last != len(export.DefaultColumns(false)) {
		t.Errorf("widths for %d columns", last)
	}
	if f := strings.Count(sheet, "<f>"); f != n || strings.Count(sheet, "<f>HYPERLINK(") != n {
		t.Errorf("%d formulas, want the %d url links only", f, n)
	}
	if !strings.Contains(sheet, "<autoFilter ref=") {
		t.Error("no autofilter")
	}
}

// xlsxWall is t's wall clock as a UTC time, as a spreadsheet stores it.
func xlsxWall(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

// xlsxCheckCut checks a body cut as the xlsx format documents: the first
// 32 700 UTF-16 units, then "… [cắt bớt: N ký tự]".
func xlsxCheckCut(t *testing.T, got, full string) {
	t.Helper()
	i := strings.LastIndex(got, "… [cắt bớt: ")
	if i < 0 || !strings.HasSuffix(got, " ký tự]") {
		t.Fatalf("long body not marked as cut: …%q", got[max(0, len(got)-80):])
	}
	kept := got[:i]
	if !strings.HasPrefix(full, kept) {
		t.Fatal("the kept part of the long body is not its start")
	}
	if u := len(utf16.Encode([]rune(kept))); u > 32700 || u < 32690 {
		t.Errorf("kept %d UTF-16 units, want up to 32 700", u)
	}
	if u := len(utf16.Encode([]rune(got))); u > 32767 {
		t.Errorf("cell has %d UTF-16 units, more than Excel's 32 767", u)
	}
	n, _ := strconv.Atoi(strings.TrimSuffix(got[i+len("… [cắt bớt: "):], " ký tự]"))
	if want := utf8.RuneCountInString(full) - utf8.RuneCountInString(kept); n != want {
		t.Errorf("marker says %d characters cut, %d were", n, want)
	}
}

// TestXlsxLibreOffice, when LibreOffice is installed, has it turn the
// first sheet into CSV: an independent reader must see as many rows as
// excelize does, and the same Vietnamese text (the long body cut alike).
func TestXlsxLibreOffice(t *testing.T) {
	bin := ""
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no LibreOffice on a CI machine: .ci/run installs libreoffice-calc-nogui")
		}
		t.Skip("LibreOffice (soffice) is not installed")
	}
	st, _ := formatsStore(t)
	xlsx, _ := formatsExport(t, st, export.Options{Format: "xlsx"}, "bai-viet.xlsx")
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Bài viết")
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// 76 is UTF-8; the first sheet only. A profile of its own keeps the
	// test from meeting a running LibreOffice or a user's settings.
	cmd := exec.CommandContext(ctx, bin, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.ToSlash(home),
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", out, xlsx)
	cmd.Env = append(os.Environ(), "HOME="+home)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	data, err := os.ReadFile(filepath.Join(out, strings.TrimSuffix(filepath.Base(xlsx), ".xlsx")+".csv"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(rows) {
		t.Fatalf("LibreOffice reads %d rows, excelize %d", len(got), len(rows))
	}
	title := slices.Index(rows[0], "title")
	body := slices.Index(rows[0], "body")
	cell := func(row []string, i int) string {
		if i < len(row) {
			return row[i]
		}
		return ""
	}
	for i := 1; i < len(rows); i++ {
		if cell(got[i], title) != cell(rows[i], title) || cell(got[i], body) != cell(rows[i], body) {
			t.Errorf("row %d: LibreOffice reads %q, excelize %q", i+1, cell(got[i], title), cell(rows[i], title))
		}
	}
}

func TestXlsxFields(t *testing.T) {
	st, _ := formatsStore(t)
	p, n := formatsExport(t, st, export.Options{Format: "xlsx", Fields: []string{"title", "versions", "published"}}, "f.xlsx")
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Bài viết")
	if len(rows) != n+1 || !slices.Equal(rows[0], []string{"title", "versions", "published"}) {
		t.Fatalf("%d rows, header %q", len(rows), rows[0])
	}
	for r := 2; r <= n+1; r++ {
		c, _ := excelize.CoordinatesToCellName(2, r)
		v, _ := f.GetCellValue("Bài viết", c)
		if typ, _ := f.GetCellType("Bài viết", c); v != "1" || typ != excelize.CellTypeUnset {
			t.Errorf("%s: versions %q type %v, want the number 1", c, v, typ)
		}
		c, _ = excelize.CoordinatesToCellName(3, r)
		if v, _ := f.GetCellValue("Bài viết", c); v != "" && !strings.Contains(v, "/") {
			t.Errorf("%s: published shows as %q", c, v)
		}
	}
	if _, err := export.Write(context.Background(), &bytes.Buffer{}, export.Selection{},
		export.Options{Format: "md", Fields: []string{"title"}}, st, nil); err == nil {
		t.Error("md took --fields")
	}
}
