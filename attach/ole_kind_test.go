package attach

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// oleSample is a real legacy Office file from the module cache: the mscfb
// module (a dependency of the XLSX library) ships them with its tests.
func oleSample(t *testing.T, name string) []byte {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Skip(err)
	}
	b, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "github.com/richardlehane/mscfb@v1.0.9/test", name))
	if err != nil {
		t.Skip("no sample:", err)
	}
	return b
}

// TestOLEKindByStreams: a legacy Word document or Excel workbook is told
// by the streams it holds, not by its name: one served as
// DownloadFile.aspx?id=12, or named .xls while it is a Word document.
func TestOLEKindByStreams(t *testing.T) {
	doc, xls := oleSample(t, "test.doc"), oleSample(t, "test.xls")
	for _, c := range []struct {
		name string
		body []byte
		want string
	}{
		{"DownloadFile.aspx?id=12", doc, "doc"},
		{"bao-cao.xls", doc, "doc"},
		{"DownloadFile.aspx?id=13", xls, "xls"},
		{"so-lieu.doc", xls, "xls"},
	} {
		if got := detect(c.name, bytes.NewReader(c.body), int64(len(c.body))); got != c.want {
			t.Errorf("detect(%s) = %q, want %q", c.name, got, c.want)
		}
	}
	// And read through the right program, when it is installed.
	if _, err := exec.LookPath("antiword"); err == nil {
		if _, err := Text(context.Background(), "DownloadFile.aspx?id=12", doc); err != nil {
			t.Errorf("a Word document without an extension: %v", err)
		}
	}
}

// TestODSRowOneLine: a spreadsheet row of an ODS file is one line, as an
// XLSX row is (each cell's paragraph broke the row into one paragraph per
// cell).
func TestODSRowOneLine(t *testing.T) {
	ods := zipOf(t, map[string]string{
		"mimetype": "application/vnd.oasis.opendocument.spreadsheet",
		"content.xml": `<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0">` +
			`<office:body><office:spreadsheet><table:table><table:table-row>` +
			`<table:table-cell><text:p>Đơn vị</text:p></table:table-cell><table:table-cell><text:p>Số đảng viên</text:p></table:table-cell></table:table-row>` +
			`<table:table-row><table:table-cell><text:p>Chi bộ 1</text:p></table:table-cell><table:table-cell><text:p>25</text:p></table:table-cell></table:table-row>` +
			`</table:table></office:spreadsheet></office:body></office:document-content>`})
	r, err := Text(context.Background(), "so-lieu.ods", ods)
	if err != nil {
		t.Fatal(err)
	}
	// (clean makes the tabs between cells spaces, for XLSX rows alike.)
	lines := strings.Split(r.Text, "\n")
	for _, line := range []string{"Đơn vị Số đảng viên", "Chi bộ 1 25"} {
		if !slices.Contains(lines, line) {
			t.Errorf("text %q has no line %q", r.Text, line)
		}
	}
}
