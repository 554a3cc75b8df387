package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tulieu/store"
)

// twoArticleData is a data directory with two articles, and their ids.
func twoArticleData(t *testing.T) (string, []string) {
	t.Helper()
	data := t.TempDir()
	ctx := context.Background()
	st, err := store.Open(ctx, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i, u := range []string{"http://x.vn/bai-1.html", "http://x.vn/bai-2.html"} {
		_, a, err := st.SaveArticle(ctx, u, store.Content{Kind: store.KindArticle, Title: "Bài " + u, Body: "Nội dung.",
			Published: "2020-01-0" + string(rune('1'+i))}, 0, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	st.Close()
	return data, ids
}

// TestIDsFromBOM: an --ids-from list saved as "UTF-8" by Notepad or
// Excel starts with a byte order mark; its first id is read all the same.
func TestIDsFromBOM(t *testing.T) {
	data, ids := twoArticleData(t)
	list := filepath.Join(t.TempDir(), "chon.txt")
	os.WriteFile(list, []byte("\uFEFF"+ids[0]+"\r\n"+ids[1]+"\r\n"), 0o644)
	code, stdout, errOut := run(t, data, "export", "--ids-from", list, "--fields", "id")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != 0 || len(lines) != 2 || !strings.Contains(stdout, ids[0]) {
		t.Errorf("--ids-from a list with a BOM: exit %d, %d records %q (stderr %q), want both %v", code, len(lines), stdout, errOut, ids)
	}
}

// TestFieldsWrongFormatExit: --fields with a format that takes none
// is a bad flag: exit 2, before anything is written.
func TestFieldsWrongFormatExit(t *testing.T) {
	data, _ := twoArticleData(t)
	for _, format := range []string{"md", "html", "warc", "wacz"} {
		code, _, errOut := run(t, data, "export", "--format", format, "--fields", "id,title", "-o", filepath.Join(t.TempDir(), "x"))
		if code != ExitUsage {
			t.Errorf("--format %s --fields id,title: exit %d (%q), want %d", format, code, strings.TrimSpace(errOut), ExitUsage)
		}
	}
}
