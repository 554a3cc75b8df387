package cli

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"tulieu/store"
)

// TestCSVBodyIsTheArchivedBody: staff export to csv and feed the file to
// another tool (a script, a text-analysis program, a database import) that
// reads it with any RFC 4180 reader. The body in the csv was not the body
// the archive holds: every "\n" inside a cell was written as "\r\n" (Go's
// csv writer with UseCRLF rewrites line breaks inside fields too), so the
// paragraphs came separated by "\r\n\r\n" instead of the documented blank
// line, carriage returns ended up in the other tool's text, and the row's
// own sha256 ("of the body") no longer matched its body. Rows end with
// CRLF, as Excel wants, while the text inside a cell stays as archived
// (as jsonl has it).
func TestCSVBodyIsTheArchivedBody(t *testing.T) {
	data := t.TempDir()
	ctx := context.Background()
	st, err := store.Open(ctx, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	body := "Đoạn thứ nhất của bài viết.\n\nĐoạn thứ hai, có số liệu 99,8%.\n\nĐoạn thứ ba."
	if _, _, err := st.SaveArticle(ctx, "http://x.vn/bai-1.html", store.Content{Kind: store.KindArticle, Title: "Bài có ba đoạn",
		Body: body, Published: "2020-01-02"}, 0, time.Now()); err != nil {
		t.Fatal(err)
	}
	st.Close()

	code, out, errOut := run(t, data, "export", "--format", "csv", "--fields", "id,body,sha256", "-o", "-")
	if code != 0 {
		t.Fatalf("export csv: %d %s", code, errOut)
	}
	if !strings.HasSuffix(out, "\r\n") {
		t.Errorf("csv rows do not end with CRLF: %q", out)
	}
	// Read as a reader that keeps a cell's bytes (Python's csv module,
	// a database's CSV import) reads it: Go's encoding/csv drops a "\r"
	// before "\n" even inside quotes, so the cell is cut out by hand.
	start := strings.Index(out, "\"Đoạn thứ nhất")
	end := strings.Index(out, "Đoạn thứ ba.\"")
	if start < 0 || end < 0 {
		t.Fatalf("the body is not in the csv as one quoted cell: %q", out)
	}
	got := out[start+1 : end+len("Đoạn thứ ba.")]
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("csv: %v %q", err, out)
	}
	sha := rows[1][2]
	sum := sha256.Sum256([]byte(got))
	if got != body || hex.EncodeToString(sum[:]) != sha {
		t.Errorf("the csv's body cell holds %q (its sha256 matches the row's sha256: %v); want the archived body %q", got, hex.EncodeToString(sum[:]) == sha, body)
	}
	// jsonl has it as archived.
	_, js, _ := run(t, data, "export", "--fields", "body", "-o", "-")
	var r struct{ Body string }
	if json.Unmarshal([]byte(js), &r); r.Body != body {
		t.Errorf("jsonl body %q", r.Body)
	}
}
