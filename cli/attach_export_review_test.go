package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"tulieu/api"
)

// TestVersionsExportGivesEachVersionItsFiles: `export --versions all`
// gives every version as its own record, and each record's `files` are
// meant to be "the text of the documents this version attaches". Night 1
// the article attaches a decision about "khuyến nông"; night 2 the article
// is edited and the decision replaced by one about "thủy lợi". Version 1's
// record gave the text of night 2's file: a researcher citing version 1
// quoted a document that did not exist when it was published. Each
// version now gets the reading of the copy archived nearest to it.
func TestVersionsExportGivesEachVersionItsFiles(t *testing.T) {
	s := newDocSite(t, `<a href="/uploads/quyet-dinh-45.docx">quyet-dinh-45.docx</a>`)
	s.set("/uploads/quyet-dinh-45.docx", docFile{ct: docxType, body: docDecision()})
	data := t.TempDir()
	docCrawl(t, data, s)
	s.setBody(`<p>Cập nhật: quyết định được thay thế bằng quyết định về công tác thủy lợi.</p>`)
	s.set("/uploads/quyet-dinh-45.docx", docFile{ct: docxType, body: docReport("QUYẾT ĐỊNH về việc thành lập Tổ công tác thủy lợi")})
	docCrawl(t, data, s)
	code, out, errOut := run(t, data, "export", "--format", "jsonl", "--versions", "all")
	if code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	got := map[int]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r struct {
			Version int        `json:"version"`
			Files   []api.File `json:"files"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if len(r.Files) == 1 {
			got[r.Version] = r.Files[0].Text
		}
	}
	if len(got) != 2 {
		t.Fatalf("want versions 1 and 2 with one file each: %v\n%s", got, out)
	}
	if !strings.Contains(got[1], "khuyến nông") {
		t.Errorf("version 1's record gives the file as it was read later: %q (want the decision archived with version 1, about khuyến nông)", got[1])
	}
	if !strings.Contains(got[2], "thủy lợi") {
		t.Errorf("version 2's file: %q", got[2])
	}
}
