package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"tulieu/api"
	"tulieu/internal/fixturesite"
)

// TestDiffCommand: `tulieu diff` shows a word-level diff of an edited
// article, its --json is the API's answer byte for byte, and bad versions
// are usage errors.
func TestDiffCommand(t *testing.T) {
	site, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	edited := editArticle(site)
	crawl(t, data, srv.URL+"/")

	code, out, errOut := run(t, data, "diff", srv.URL+edited)
	if code != 0 || !strings.Contains(out, "{+Đây là đoạn văn mới") || !strings.Contains(out, "[-") || !strings.Contains(out, "version 1") {
		t.Fatalf("diff: %d %s %s", code, out, errOut)
	}
	code, js, _ := run(t, data, "diff", "--json", srv.URL+edited, "1", "2")
	var d api.Diff
	if code != 0 || json.Unmarshal([]byte(js), &d) != nil || d.From != 1 || d.To != 2 || d.Inserted == 0 || d.Deleted == 0 {
		t.Fatalf("diff --json: %d %s", code, js)
	}
	var rebuilt strings.Builder
	for _, op := range d.Ops {
		if op.Kind != "delete" {
			rebuilt.WriteString(op.Text)
		}
	}
	_, show, _ := run(t, data, "show", "--json", srv.URL+edited)
	var rec api.Article
	json.Unmarshal([]byte(show), &rec)
	if rebuilt.String() != rec.Body {
		t.Errorf("the diff's new side is not the current body:\n%q\n%q", rebuilt.String(), rec.Body)
	}
	addr := startServe(t, data, ServeOptions{})
	if status, body := getBody(t, "http://"+addr+"/api/articles/"+d.ID+"/diff?a=1&b=2"); status != 200 || body != js {
		t.Errorf("GET /api/articles/ID/diff: %d\n%s\nwant\n%s", status, body, js)
	}
	for _, args := range [][]string{{"diff", d.ID, "1", "9"}, {"diff", d.ID, "x", "2"}, {"diff", d.ID, "0"}, {"diff", d.ID, "1", "2", "3"}} {
		if code, _, errOut := run(t, data, args...); code != ExitUsage {
			t.Errorf("%v: %d %s", args, code, errOut)
		}
	}
	// One version: it against the last, as ?a= alone is.
	code, one, _ := run(t, data, "diff", "--json", d.ID, "1")
	if status, body := getBody(t, "http://"+addr+"/api/articles/"+d.ID+"/diff?a=1"); code != 0 || status != 200 || body != one || one != js {
		t.Errorf("diff --json ID 1: %d, GET …/diff?a=1: %d; want both the diff of 1 and 2:\n%s\n%s", code, status, one, body)
	}
}

// editedPath is the fixture article editArticle rewrites.
const editedPath = "/tin-tuc/tin-tuc-chung/dang-bo-khoi-cac-co-quan-tinh-thanh-hoa-60-nam-mot-chang-duong-phat-trien-661.html"

// editArticle rewrites an article of the fixture site (its lead shortened,
// the rest replaced by a new paragraph), so that the next crawl makes its
// second version, and returns its path.
func editArticle(site *fixturesite.Site) string {
	site.Edit(editedPath, []string{"Ngày 27/02/2020, Đảng ủy Khối các cơ quan tỉnh Thanh Hóa long trọng tổ chức Lễ kỷ niệm 60 năm Ngày thành lập Đảng bộ Khối.",
		"Đây là đoạn văn mới được thêm vào sau khi bài viết được sửa lại."})
	return editedPath
}
