package export

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"tulieu/internal/vntime"
)

// The xlsx format is a workbook of two sheets, written with excelize's
// stream writer so that its memory stays flat however many rows it has.
//
// Sheet "Bài viết" has one row per record, the --fields columns in their
// order, under a bold header row that is frozen and carries an autofilter.
// Text is always written as text (inline strings), so a title that starts
// with "=" is never run as a formula; numbers (versions, version) are
// numbers. published, first_seen, last_seen and captured_at are real Excel
// dates shown in Vietnam time (UTC+7, no daylight saving): a spreadsheet
// has no time zones, and the people reading these articles live there.
// (The csv and jsonl files keep the RFC 3339 strings, UTC for the three
// times the archive took.) A published date without a time shows as
// dd/mm/yyyy, the others as dd/mm/yyyy hh:mm[:ss]; a value that does not
// parse stays text. url is a HYPERLINK formula whose cached value is the
// URL, so it is clickable in Excel and LibreOffice and reads as the URL
// in anything that does not compute formulas; a URL longer than the 255
// characters a formula string may hold, or not http(s), stays text.
//
// Cut cells: an Excel cell holds at most 32 767 characters (UTF-16 code
// units). A longer value (in practice only a very long body) is cut at
// 32 700 and ends with "… [cắt bớt: N ký tự]", N being how many characters
// were left out, so the cut is visible in the cell itself. Sheet "Nguồn"
// counts the cut cells and names the first 100 of them. The jsonl and csv
// formats always hold the whole text.
//
// Sheet "Nguồn" (provenance) says what made the file: format, the
// selection as JSON, when, by which tulieu, how many records, the
// columns, the time zone of the dates and the cut cells.
//
// Memory and disk: the stream writer holds up to 16 MB of sheet XML in
// memory and moves the rest to a temporary file (in os.TempDir, removed
// by Close), and the finished workbook is zipped straight to w; so an
// export needs about the uncompressed sheet's size of temporary disk,
// and a flat ~25 MB of live heap. A sheet holds at most 1 048 575
// records: a larger export fails and names csv and jsonl.

const (
	xlsxSheet       = "Bài viết"
	xlsxSourceSheet = "Nguồn"
	// xlsxCellLimit is Excel's limit of characters (UTF-16 code units) in
	// a cell; xlsxCutAt is where a longer value is cut, leaving room for
	// the marker.
	xlsxCellLimit = 32767
	xlsxCutAt     = 32700
	// xlsxListCuts is how many cut cells "Nguồn" names one by one.
	xlsxListCuts = 100
	// xlsxMaxLink is the longest string a formula may hold, so the
	// longest URL that can be a HYPERLINK.
	xlsxMaxLink = 255
)

// cellKind is how a column's values become cells.
type cellKind int

const (
	cellText cellKind = iota
	cellDate          // published: a date, or a date and time
	cellTime          // first_seen, last_seen, captured_at
	cellInt           // versions, version
	cellLink          // url
)

func xlsxKind(name string) cellKind {
	switch name {
	case "published":
		return cellDate
	case "first_seen", "last_seen", "captured_at":
		return cellTime
	case "versions", "version":
		return cellInt
	case "url":
		return cellLink
	}
	return cellText
}

// xlsxWidth is a column's width in characters: wide enough to read a
// title or the start of a body, not so wide that a row needs scrolling
// to find the dates.
func xlsxWidth(name string) float64 {
	switch name {
	case "body":
		return 80
	case "title":
		return 60
	case "url", "images", "files":
		return 50
	case "attachments", "warc_record_id", "breadcrumb":
		return 36
	case "author", "source", "category":
		return 26
	case "author_name", "authors", "sha256":
		return 22
	case "first_seen", "last_seen", "captured_at":
		return 19
	case "id", "published":
		return 17
	case "kind", "status", "versions", "version":
		return 10
	}
	return 20
}

type xlsxWriter struct {
	w       io.Writer
	f       *excelize.File
	sw      *excelize.StreamWriter
	meta    *Meta
	cols    []column
	kinds   []cellKind
	loc     *time.Location
	cleanup runtime.Cleanup

	dayStyle, minuteStyle, secondStyle, linkStyle, headStyle int

	row     int // the last row written
	records int
	cuts    int
	cutRefs []string // the first xlsxListCuts cut cells
	vals    []any
}

func newXLSX(w io.Writer, m *Meta, _ Archive) (Writer, error) {
	f := excelize.NewFile()
	x := &xlsxWriter{w: w, f: f, meta: m, cols: selected(m), loc: vntime.Zone}
	// The stream writer keeps rows past 16 MB in a temporary file that
	// only File.Close removes; an export that fails is abandoned without
	// Close, so the file goes when the writer is collected.
	x.cleanup = runtime.AddCleanup(x, func(f *excelize.File) { f.Close() }, f)
	if err := x.start(); err != nil {
		x.abort()
		return nil, err
	}
	return x, nil
}

func (x *xlsxWriter) abort() {
	x.cleanup.Stop()
	x.f.Close()
}

func (x *xlsxWriter) start() error {
	f := x.f
	if err := f.SetSheetName(f.GetSheetName(0), xlsxSheet); err != nil {
		return err
	}
	if _, err := f.NewSheet(xlsxSourceSheet); err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator: x.meta.Tool, Title: "tulieu export", Language: "vi-VN",
		// Modified too: left out, excelize keeps its template's date
		// (2006), which Excel and file managers show as the last change.
		Created:  x.meta.Created.UTC().Format(time.RFC3339),
		Modified: x.meta.Created.UTC().Format(time.RFC3339),
	}); err != nil {
		return err
	}
	var err error
	styles := []struct {
		id *int
		s  *excelize.Style
	}{
		{&x.dayStyle, &excelize.Style{CustomNumFmt: ptr("dd/mm/yyyy")}},
		{&x.minuteStyle, &excelize.Style{CustomNumFmt: ptr("dd/mm/yyyy hh:mm")}},
		{&x.secondStyle, &excelize.Style{CustomNumFmt: ptr("dd/mm/yyyy hh:mm:ss")}},
		{&x.linkStyle, &excelize.Style{Font: &excelize.Font{Color: "0563C1", Underline: "single"}}},
		{&x.headStyle, &excelize.Style{
			Font:   &excelize.Font{Bold: true},
			Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
			Border: []excelize.Border{{Type: "bottom", Color: "8EA9DB", Style: 1}},
		}},
	}
	for _, s := range styles {
		if *s.id, err = f.NewStyle(s.s); err != nil {
			return err
		}
	}
	if x.sw, err = f.NewStreamWriter(xlsxSheet); err != nil {
		return err
	}
	// Widths and panes must be set before the first row. The stream
	// writer puts each width before those set earlier, and Excel wants
	// them in column order: so, last column first.
	for _, c := range x.cols {
		x.kinds = append(x.kinds, xlsxKind(c.name))
	}
	for i := len(x.cols) - 1; i >= 0; i-- {
		if err := x.sw.SetColWidth(i+1, i+1, xlsxWidth(x.cols[i].name)); err != nil {
			return err
		}
	}
	if err := x.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(x.meta.Fields))
	for i, n := range x.meta.Fields {
		head[i] = excelize.Cell{StyleID: x.headStyle, Value: n}
	}
	x.row = 1
	return x.sw.SetRow("A1", head)
}

func ptr[T any](v T) *T { return &v }

func (x *xlsxWriter) Write(_ context.Context, r *Record) error {
	if x.row >= excelize.TotalRows {
		return fmt.Errorf("xlsx: a sheet holds at most %d records (and the header); use csv or jsonl", excelize.TotalRows-1)
	}
	x.row++
	x.records++
	x.vals = x.vals[:0]
	for i, c := range x.cols {
		x.vals = append(x.vals, x.cell(i, c, r))
	}
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, x.vals)
}

// cell is the value of column i of r as SetRow takes it.
func (x *xlsxWriter) cell(i int, c column, r *Record) any {
	v := c.text(r)
	if v == "" {
		return nil
	}
	switch x.kinds[i] {
	case cellDate:
		if t, err := time.ParseInLocation(time.DateOnly, v, x.loc); err == nil {
			return excelize.Cell{StyleID: x.dayStyle, Value: t}
		}
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return excelize.Cell{StyleID: x.minuteStyle, Value: t.In(x.loc)}
		}
	case cellTime:
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return excelize.Cell{StyleID: x.secondStyle, Value: t.In(x.loc)}
		}
	case cellInt:
		switch c.name {
		case "versions":
			return r.Versions
		case "version":
			return r.Version
		}
	case cellLink:
		if f, ok := hyperlinkFormula(v); ok {
			return excelize.Cell{StyleID: x.linkStyle, Formula: f, Value: v}
		}
	}
	return x.text(i, v)
}

// text is v as a text cell, cut to fit (see the package comment above).
// A string value is always an inline string, never a formula.
func (x *xlsxWriter) text(i int, v string) any {
	cut, dropped := fitCell(v)
	if dropped > 0 {
		x.cuts++
		if len(x.cutRefs) < xlsxListCuts {
			ref, _ := excelize.CoordinatesToCellName(i+1, x.row)
			x.cutRefs = append(x.cutRefs, ref+" ("+x.cols[i].name+")")
		}
	}
	return cut
}

// fitCell cuts v to what a cell holds, marked, and says how many
// characters (runes) it left out; v itself when it fits.
func fitCell(v string) (string, int) {
	// A string has at least as many bytes as UTF-16 code units.
	if len(v) <= xlsxCellLimit || utf16Len(v) <= xlsxCellLimit {
		return v, 0
	}
	units, end := 0, 0
	for i, r := range v {
		// An invalid byte reads as U+FFFD, one unit.
		n := utf16.RuneLen(r)
		if units+n > xlsxCutAt {
			end = i
			break
		}
		units += n
	}
	dropped := utf8.RuneCountInString(v[end:])
	return v[:end] + fmt.Sprintf("… [cắt bớt: %d ký tự]", dropped), dropped
}

// utf16Len is how many UTF-16 code units v is, as Excel counts.
func utf16Len(v string) int {
	n := 0
	for _, r := range v {
		n += utf16.RuneLen(r)
	}
	return n
}

// hyperlinkFormula is a HYPERLINK formula for an http(s) URL that a
// formula string can hold: at most 255 characters, no quote (which the
// crawler's normalized URLs never have, and which would need doubling),
// no control character.
func hyperlinkFormula(u string) (string, bool) {
	if len(u) > xlsxMaxLink || !(strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://")) {
		return "", false
	}
	for _, r := range u {
		if r == '"' || r < 0x20 || r == 0x7f {
			return "", false
		}
	}
	return `HYPERLINK("` + u + `")`, true
}

func (x *xlsxWriter) Close() error {
	defer x.abort()
	if x.row > 1 {
		last, err := excelize.CoordinatesToCellName(max(1, len(x.cols)), x.row)
		if err != nil {
			return err
		}
		if err := x.f.AutoFilter(xlsxSheet, "A1:"+last, nil); err != nil {
			return err
		}
	}
	if err := x.sw.Flush(); err != nil {
		return err
	}
	if err := x.provenance(); err != nil {
		return err
	}
	x.f.SetActiveSheet(0)
	// excelize assembles a workbook in a bytes.Buffer that it hands to the
	// zip writer; handing it a zip writer on w instead streams the
	// workbook out, so its size is never held in memory. The buffer must
	// stay empty, or excelize has changed how it saves.
	x.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(x.w) })
	buf, err := x.f.WriteToBuffer()
	if err != nil {
		return err
	}
	if buf.Len() != 0 {
		return errors.New("xlsx: excelize wrote the workbook to its own buffer")
	}
	return nil
}

// provenance fills sheet "Nguồn": a key, its meaning, its value.
func (x *xlsxWriter) provenance() error {
	sel, err := json.Marshal(x.meta.Selection)
	if err != nil {
		return err
	}
	cuts := "Không có ô nào bị cắt."
	if x.cuts > 0 {
		cuts = "Excel chỉ chứa tối đa 32 767 ký tự trong một ô: ô dài hơn được cắt ở 32 700 ký tự " +
			"và kết thúc bằng \"… [cắt bớt: N ký tự]\". Toàn văn có trong tệp jsonl hoặc csv."
	}
	rows := [][]any{
		{"khóa", "nội dung", "giá trị"},
		{"format", "Định dạng", x.meta.Format},
		{"selection", "Tiêu chí chọn bài (JSON)", string(sel)},
		{"created", "Thời điểm tạo tệp (giờ Việt Nam)", x.meta.Created.In(x.loc)},
		{"created_utc", "Thời điểm tạo tệp (UTC, RFC 3339)", x.meta.Created.UTC().Format(time.RFC3339)},
		{"tool", "Công cụ", x.meta.Tool},
		{"records", "Số bản ghi", x.records},
		{"fields", "Các cột", strings.Join(x.meta.Fields, ", ")},
		{"time_zone", "Múi giờ của các cột ngày giờ", "Giờ Việt Nam (UTC+7): published, first_seen, last_seen, captured_at"},
		{"cut_cells", "Số ô bị cắt bớt", x.cuts},
		{"cut_note", "Ghi chú về ô bị cắt", cuts},
	}
	if x.cuts > 0 {
		rows = append(rows, []any{"cut_cell_refs", fmt.Sprintf("Các ô bị cắt (tối đa %d ô đầu)", xlsxListCuts), strings.Join(x.cutRefs, ", ")})
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		for j, v := range row {
			// Strings go in as strings: SetSheetRow never reads "=" as a
			// formula, and the selection may hold anything a user typed.
			if s, ok := v.(string); ok {
				row[j] = fitCellValue(s)
			}
		}
		if err := x.f.SetSheetRow(xlsxSourceSheet, cell, &row); err != nil {
			return err
		}
		if row[0] == "created" {
			c, _ := excelize.CoordinatesToCellName(3, i+1)
			if err := x.f.SetCellStyle(xlsxSourceSheet, c, c, x.secondStyle); err != nil {
				return err
			}
		}
	}
	if err := x.f.SetCellStyle(xlsxSourceSheet, "A1", "C1", x.headStyle); err != nil {
		return err
	}
	if err := x.f.SetColWidth(xlsxSourceSheet, "A", "A", 16); err != nil {
		return err
	}
	if err := x.f.SetColWidth(xlsxSourceSheet, "B", "B", 36); err != nil {
		return err
	}
	return x.f.SetColWidth(xlsxSourceSheet, "C", "C", 90)
}

func fitCellValue(s string) string {
	v, _ := fitCell(s)
	return v
}
