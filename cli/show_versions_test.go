package cli

import (
	"strings"
	"testing"
	"time"

	"tulieu/store"
)

// TestWriteVersionsNamesEveryChange: show --versions names every field
// that changed between two versions (the author and the date too, not only
// the title), and a replaced paragraph as what went (-) then what came
// (+), as diff prints them (from a user walkthrough: only the title and
// the paragraphs were listed, + before -).
func TestWriteVersionsNamesEveryChange(t *testing.T) {
	at := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	v1 := store.Version{Version: 1, SeenAt: at, Content: store.Content{Title: "Hội nghị", Author: "Lê Hà", Published: "2026-04-30",
		Body: "Đoạn một.\n\nĐoạn hai cũ.\n\nĐoạn ba."}}
	v2 := store.Version{Version: 2, SeenAt: at.Add(24 * time.Hour), Content: store.Content{Title: "Hội nghị", Author: "Mai Thị Thu Hiền", Published: "2026-05-01",
		Body: "Đoạn một.\n\nĐoạn hai mới.\n\nĐoạn ba."}}
	var b strings.Builder
	writeVersions(&b, []store.Version{v1, v2})
	out := b.String()
	for _, want := range []string{`author: "Lê Hà" → "Mai Thị Thu Hiền"`, `published: "2026-04-30" → "2026-05-01"`, "  - Đoạn hai cũ.\n  + Đoạn hai mới.\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("show --versions does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "title:") || strings.Contains(out, "Đoạn một") {
		t.Errorf("show --versions names what did not change:\n%s", out)
	}
}
