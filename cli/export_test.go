package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tulieu/internal/fixturesite"
)

// TestExportCommand: the export's flags, files and exit codes, as a user
// meets them.
func TestExportCommand(t *testing.T) {
	site, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	out := filepath.Join(t.TempDir(), "dai-hoi.csv")

	code, _, errOut := run(t, data, "export", "--format", "csv", "--query", "đại hội", "-o", out)
	if code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	var meta struct {
		Format    string
		Selection struct{ Query string }
		Tool      string
		Records   int
		Fields    []string
	}
	b, err := os.ReadFile(out + ".meta.json")
	if err != nil || json.Unmarshal(b, &meta) != nil || meta.Format != "csv" || meta.Selection.Query != "đại hội" ||
		!strings.HasPrefix(meta.Tool, "tulieu ") || meta.Records == 0 || len(meta.Fields) == 0 {
		t.Errorf("provenance file: %v %s", err, b)
	}
	// An existing file is kept without --force.
	before, _ := os.ReadFile(out)
	if code, _, errOut := run(t, data, "export", "--format", "csv", "-o", out); code != ExitUsage || !strings.Contains(errOut, "--force") {
		t.Errorf("export over an existing file: %d %s", code, errOut)
	}
	if after, _ := os.ReadFile(out); string(after) != string(before) {
		t.Error("the existing file changed")
	}
	if code, _, errOut := run(t, data, "export", "--format", "csv", "--force", "-o", out); code != 0 {
		t.Errorf("--force: %d %s", code, errOut)
	}
	// Nothing matches: a valid empty file, a note, exit 0.
	empty := filepath.Join(t.TempDir(), "empty.jsonl")
	code, _, errOut = run(t, data, "export", "--query", "khongcotunay", "-o", empty)
	if b, err := os.ReadFile(empty); code != 0 || err != nil || len(b) != 0 || !strings.Contains(errOut, "no article matches") {
		t.Errorf("empty selection: %d %q %v %q", code, b, err, errOut)
	}
	// Bad flags and queries: exit 2, one line.
	for _, args := range [][]string{
		{"--format", "pdf"}, {"--fields", "id,nope"}, {"--query", `"open`}, {"--changed-since", "yesterday"},
		{"--versions", "some"}, {"--from", "2020-13-01"}, {"--ids-from", filepath.Join(t.TempDir(), "missing.txt")},
	} {
		code, _, errOut := run(t, data, append([]string{"export"}, args...)...)
		if code == 0 || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("export %v: exit %d, %q", args, code, errOut)
		}
		if args[0] != "--ids-from" && code != ExitUsage {
			t.Errorf("export %v: exit %d, want %d", args, code, ExitUsage)
		}
	}
	// --ids-from takes ids and URLs; --versions all gives each version.
	arts := site.Articles()
	edited := arts[0].Path
	for _, a := range arts {
		if strings.HasPrefix(a.Path, "/tin-tuc/") {
			edited = a.Path // an article, not a static page
			break
		}
	}
	time.Sleep(1100 * time.Millisecond) // --changed-since takes whole seconds
	mid := time.Now().UTC().Truncate(time.Second)
	site.Edit(edited, []string{"Nội dung mới của bài viết sau khi sửa, đủ dài để là một đoạn văn của bài."})
	crawl(t, data, srv.URL+"/")
	list := filepath.Join(t.TempDir(), "chon.txt")
	os.WriteFile(list, []byte("# chọn\n"+srv.URL+edited+"\n\n"+srv.URL+arts[1].Path+"\n"), 0o644)
	recs := 0
	versions := map[float64]bool{}
	code, stdout, errOut := run(t, data, "export", "--ids-from", list, "--versions", "all", "--include-pages")
	if code != 0 {
		t.Fatalf("--ids-from: %d %s", code, errOut)
	}
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var r map[string]any
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		recs++
		if strings.HasSuffix(r["url"].(string), edited) {
			versions[r["version"].(float64)] = true
		}
		if r["captured_at"] == "" || r["warc_record_id"] == "" {
			t.Errorf("no provenance: %v", r)
		}
	}
	if recs != 3 || !versions[1] || !versions[2] {
		t.Errorf("--ids-from with --versions all: %d records, versions of the edited one %v", recs, versions)
	}
	// What changed since just before the re-crawl: the edited article
	// alone; in the last hour: every article.
	// (--include-pages: cut to one paragraph, the edited article reads as a
	// static page now.)
	code, stdout, _ = run(t, data, "export", "--changed-since", mid.Format(time.RFC3339), "--fields", "url", "--include-pages")
	if lines := strings.Split(strings.TrimSpace(stdout), "\n"); code != 0 || len(lines) != 1 || !strings.Contains(stdout, edited) {
		t.Errorf("--changed-since %s: %d %q", mid.Format(time.RFC3339), code, stdout)
	}
	_, all, _ := run(t, data, "export", "--fields", "url")
	code, stdout, _ = run(t, data, "export", "--changed-since", "1h", "--fields", "url")
	if code != 0 || stdout != all {
		t.Errorf("--changed-since 1h: %d, %d lines, all articles are %d", code, strings.Count(stdout, "\n"), strings.Count(all, "\n"))
	}
}
