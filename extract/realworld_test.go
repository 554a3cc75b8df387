package extract

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// realworldDir holds real captured pages with expected fields (outside the module).
const realworldDir = "../../shared/realworld"

func TestRealWorld(t *testing.T) {
	pages, err := LoadRealWorld(realworldDir, nil)
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("no realworld pages at " + realworldDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, pg := range pages {
		t.Run(pg.Name, func(t *testing.T) {
			want, body := pg.Want, pg.HTML
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
