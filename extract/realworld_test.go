package extract

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// realworldDir holds real captured pages with expected fields (outside the module).
const realworldDir = "../../shared/realworld"

func TestRealWorld(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(realworldDir, "*.expected.json"))
	if len(files) == 0 {
		t.Skip("no realworld pages at " + realworldDir)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".expected.json")
		t.Run(name, func(t *testing.T) {
			var want realExpected
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			gz, err := os.ReadFile(strings.TrimSuffix(f, ".expected.json") + ".html.gz")
			if err != nil {
				t.Fatal(err)
			}
			zr, err := gzip.NewReader(bytes.NewReader(gz))
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Extract(want.URL, body, "text/html", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != want.Title {
				t.Errorf("title = %q, want %q", doc.Title, want.Title)
			}
			if doc.AuthorName != want.AuthorName {
				t.Errorf("author_name = %q, want %q (author %q)", doc.AuthorName, want.AuthorName, doc.Author)
			}
			if doc.Published != want.Published {
				t.Errorf("published = %q, want %q", doc.Published, want.Published)
			}
			p, r, f1 := TokenPRF(strings.Join(want.BodyParagraphs, "\n\n"), doc.Body)
			t.Logf("body P=%.3f R=%.3f F1=%.3f kind=%s crumbs=%q images=%+v", p, r, f1, doc.Kind, doc.Breadcrumb, doc.Images)
			if f1 < 0.95 {
				t.Errorf("body F1 = %.3f < 0.95\n%s", f1, doc.Body)
			}
			if doc.Kind != KindArticle {
				t.Errorf("kind = %s", doc.Kind)
			}
		})
	}
}
