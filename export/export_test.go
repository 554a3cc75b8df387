package export_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tulieu/export"
	"tulieu/index"
	"tulieu/store"
)

// archive is a small real catalog and index: articles in two categories
// over three years, a static page, a deleted article, an article with
// three versions, and cells that a spreadsheet would take for formulas.
type archive struct {
	st  *store.Store
	ix  *index.Index
	ids map[string]string // url → id
	t0  time.Time         // before the last changes
}

func newArchive(t *testing.T) *archive {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ix, err := index.Open(filepath.Join(t.TempDir(), "index"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	a := &archive{st: st, ix: ix, ids: map[string]string{}}
	day := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	save := func(u string, c store.Content, at time.Time) {
		t.Helper()
		_, art, err := st.SaveArticle(ctx, u, c, 0, at)
		if err != nil {
			t.Fatal(err)
		}
		a.ids[u] = art.ID
		if err := ix.Put(ctx, index.Document{ID: art.ID, URL: art.URL, Title: art.Title, Body: art.Body, Author: art.Author,
			Category: art.Category, Published: art.Published, Status: art.Status}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 30 {
		cat := []string{"Tin tức chung", "Tư liệu"}[i%2]
		save(fmt.Sprintf("http://x.vn/tin-%02d.html", i), store.Content{Kind: store.KindArticle, Category: cat,
			Title:     fmt.Sprintf("Đại hội chi bộ số %d", i),
			Body:      fmt.Sprintf("Chi bộ số %d tổ chức đại hội.\n\nĐoạn thứ hai, có \"ngoặc kép\", dấu phẩy, và\ndòng mới.", i),
			Author:    []string{"Nguyễn Văn An", "Trần Thị Bình", "=HYPERLINK(\"http://evil\")"}[i%3],
			Published: fmt.Sprintf("%d-%02d-15", 2019+i%3, 1+i%12)}, day)
	}
	save("http://x.vn/tong-quan/1", store.Content{Kind: store.KindPage, Title: "Giới thiệu chung", Body: "Đảng bộ Khối có đại hội.",
		Category: "Tổng quan"}, day)
	save("http://x.vn/go.html", store.Content{Kind: store.KindArticle, Title: "Bài đã gỡ về đại hội", Body: "Nội dung.",
		Category: "Tư liệu", Published: "2020-05-05"}, day)
	if _, err := st.MarkDeleted(ctx, "http://x.vn/go.html", day.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	a.t0 = day.Add(24 * time.Hour)
	for v := 2; v <= 3; v++ {
		save("http://x.vn/tin-00.html", store.Content{Kind: store.KindArticle, Category: "Tin tức chung", Title: "Đại hội chi bộ số 0",
			Body: fmt.Sprintf("Bản %d của bài.", v), Author: "Nguyễn Văn An", Published: "2019-01-15"}, a.t0.Add(time.Duration(v)*time.Hour))
	}
	return a
}

func (a *archive) export(t *testing.T, sel export.Selection, opts export.Options) (string, int) {
	t.Helper()
	var buf bytes.Buffer
	n, err := export.Write(context.Background(), &buf, sel, opts, a.st, a.ix)
	if err != nil {
		t.Fatalf("export %+v %+v: %v", sel, opts, err)
	}
	return buf.String(), n
}

func readJSONL(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

// TestSelections: each selection takes exactly the articles it names.
func TestSelections(t *testing.T) {
	a := newArchive(t)
	ymd := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	cases := []struct {
		name string
		sel  export.Selection
		want int
	}{
		{"all articles", export.Selection{}, 30},
		{"with pages", export.Selection{IncludePages: true}, 31},
		{"with deleted", export.Selection{IncludeDeleted: true}, 31},
		{"category", export.Selection{Category: "Tư liệu"}, 15},
		{"published 2020", export.Selection{From: ymd("2020-01-01"), To: ymd("2020-12-31")}, 10},
		{"query", export.Selection{Query: "chi bo so 1"}, 1},
		{"query, many", export.Selection{Query: "dai hoi"}, 30},
		{"query, pages and deleted", export.Selection{Query: "dai hoi", IncludePages: true, IncludeDeleted: true}, 32},
		{"author", export.Selection{Author: "tran thi binh"}, 10},
		{"query and category", export.Selection{Query: "dai hoi", Category: "Tin tức chung"}, 15},
		{"changed since", export.Selection{ChangedSince: a.t0}, 1},
		{"changed since, deleted", export.Selection{ChangedSince: a.t0.Add(-23 * time.Hour), IncludeDeleted: true}, 1 + 1},
		{"ids", export.Selection{IDs: []string{a.ids["http://x.vn/tin-03.html"], a.ids["http://x.vn/tin-04.html"], "nope"}}, 2},
		{"ids and query", export.Selection{IDs: []string{a.ids["http://x.vn/tin-03.html"], a.ids["http://x.vn/tin-04.html"]}, Query: "số 3"}, 1},
		{"all versions", export.Selection{AllVersions: true}, 30 + 2},
		{"nothing", export.Selection{Query: "khongcotu"}, 0},
	}
	for _, c := range cases {
		out, n := a.export(t, c.sel, export.Options{Format: "jsonl"})
		recs := readJSONL(t, out)
		if n != c.want || len(recs) != c.want {
			t.Errorf("%s: %d records (%d lines), want %d", c.name, n, len(recs), c.want)
		}
	}
	// Newest published first, and the versions in order.
	out, _ := a.export(t, export.Selection{AllVersions: true, Category: "Tin tức chung"}, export.Options{Format: "jsonl"})
	recs := readJSONL(t, out)
	var pubs []string
	var versions []float64
	for _, r := range recs {
		pubs = append(pubs, r["published"].(string))
		if r["id"] == a.ids["http://x.vn/tin-00.html"] {
			versions = append(versions, r["version"].(float64))
		}
	}
	if !slices.IsSortedFunc(pubs, func(x, y string) int { return strings.Compare(y, x) }) {
		t.Errorf("not newest first: %v", pubs)
	}
	if !slices.Equal(versions, []float64{1, 2, 3}) {
		t.Errorf("versions of the edited article: %v", versions)
	}
}

// TestCSVReadBack: the CSV opens with encoding/csv: a byte order mark,
// quotes, commas and newlines in cells intact, formula cells defused,
// --fields columns in their order.
func TestCSVReadBack(t *testing.T) {
	a := newArchive(t)
	out, n := a.export(t, export.Selection{}, export.Options{Format: "csv"})
	if !strings.HasPrefix(out, "\uFEFF") || !strings.Contains(out, "\r\n") {
		t.Fatalf("no BOM or CRLF: %.40q", out)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n+1 || !slices.Equal(rows[0], export.DefaultColumns(false)) {
		t.Fatalf("%d rows for %d records; header %v", len(rows), n, rows[0])
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	formulas := 0
	for _, r := range rows[1:] {
		if r[col["id"]] != a.ids["http://x.vn/tin-00.html"] && !strings.Contains(r[col["body"]], "\"ngoặc kép\", dấu phẩy, và\ndòng mới") {
			t.Errorf("body not intact: %q", r[col["body"]])
		}
		if strings.HasPrefix(r[col["author"]], "=") {
			t.Errorf("a formula cell: %q", r[col["author"]])
		}
		if strings.HasPrefix(r[col["author"]], "'=") {
			formulas++
		}
	}
	if formulas != 10 {
		t.Errorf("%d defused formula cells, want 10", formulas)
	}
	out, _ = a.export(t, export.Selection{Query: "chi bo so 2"}, export.Options{Format: "csv", Fields: []string{"title", "id", "published", "url"}})
	rows, err = csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
	if err != nil || len(rows) != 2 || !slices.Equal(rows[0], []string{"title", "id", "published", "url"}) ||
		rows[1][0] != "Đại hội chi bộ số 2" || rows[1][3] != "http://x.vn/tin-02.html" {
		t.Errorf("--fields: %v %v", rows, err)
	}
	// Nothing selected: still a valid file, with its header.
	out, n = a.export(t, export.Selection{Query: "khongcotu"}, export.Options{Format: "csv"})
	if rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll(); n != 0 || err != nil || len(rows) != 1 {
		t.Errorf("empty export: %d, %v, %v", n, rows, err)
	}
}

// TestJSONLFields: --fields gives objects with those keys in that order.
func TestJSONLFields(t *testing.T) {
	a := newArchive(t)
	out, _ := a.export(t, export.Selection{Query: "chi bo so 2"}, export.Options{Format: "jsonl", Fields: []string{"url", "breadcrumb", "versions"}})
	if want := `{"url":"http://x.vn/tin-02.html","breadcrumb":[],"versions":1}` + "\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
	full := readJSONL(t, func() string { s, _ := a.export(t, export.Selection{}, export.Options{Format: "jsonl"}); return s }())
	for _, k := range []string{"id", "url", "body", "captured_at", "warc_record_id", "sha256"} {
		if _, ok := full[0][k]; !ok {
			t.Errorf("a record lacks %q", k)
		}
	}
	var buf bytes.Buffer
	if _, err := export.Write(context.Background(), &buf, export.Selection{}, export.Options{Format: "jsonl", Fields: []string{"nope"}}, a.st, a.ix); err == nil {
		t.Error("an unknown field was accepted")
	}
	if _, err := export.Write(context.Background(), &buf, export.Selection{Query: "x"}, export.Options{Format: "jsonl"}, a.st, nil); err == nil {
		t.Error("a query without an index was accepted")
	}
}

// TestWriteFile: the file appears whole or not at all, and an existing one
// stays unless forced.
func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.csv")
	if err := export.WriteFile(p, nil, false, func(w io.Writer) error { _, err := io.WriteString(w, "a"); return err }); err != nil {
		t.Fatal(err)
	}
	if err := export.WriteFile(p, nil, false, func(w io.Writer) error { return nil }); err == nil {
		t.Error("an existing file was replaced without force")
	}
	fail := fmt.Errorf("disk full")
	if err := export.WriteFile(p, nil, true, func(w io.Writer) error { io.WriteString(w, "partial"); return fail }); err != fail {
		t.Errorf("the writer's error: %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "a" {
		t.Errorf("a failed export changed the file: %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

// failAfter accepts limit bytes, then fails every write.
type failAfter struct {
	limit int
	err   error
}

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.limit {
		n := f.limit
		f.limit = 0
		return n, f.err
	}
	f.limit -= len(p)
	return len(p), nil
}

// TestWriteStops: the writing stage's error (a full disk, a closed pipe)
// and a cancelled context end an export with that error, in every
// format and selection, without waiting on the stage that reads.
func TestWriteStops(t *testing.T) {
	a := newArchive(t)
	full := errors.New("no space left on device")
	for _, format := range export.Formats() {
		for _, sel := range []export.Selection{{}, {Query: "đại hội"}, {AllVersions: true}} {
			w := &failAfter{limit: 300, err: full}
			_, err := export.Write(context.Background(), w, sel, export.Options{Format: format}, a.st, a.ix)
			if !errors.Is(err, full) {
				t.Errorf("%s %+v, writer failing: %v, want %v", format, sel, err, full)
			}
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if _, err := export.Write(ctx, io.Discard, sel, export.Options{Format: format}, a.st, a.ix); !errors.Is(err, context.Canceled) {
				t.Errorf("%s %+v, cancelled: %v", format, sel, err)
			}
		}
	}
}
