package index

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"tulieu/internal/fixturesite"
)

// qualitySet is testdata/quality.json: search-quality expectations on the
// fixture site's articles.
type qualitySet struct {
	Deleted   []string          `json:"deleted"`   // paths indexed with Status "deleted"
	Synthetic []syntheticDoc    `json:"synthetic"` // extra documents
	Queries   []qualityQuery    `json:"queries"`
	Extra     map[string]string `json:"-"`
}

type syntheticDoc struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Body      string `json:"body"`
	Category  string `json:"category"`
	Published string `json:"published"`
}

type qualityQuery struct {
	Q              string      `json:"q"`
	Note           string      `json:"note"`
	NFD            bool        `json:"nfd"`             // run the query in NFD
	IncludeDeleted bool        `json:"include_deleted"` // Request.IncludeDeleted
	Top1           string      `json:"top1"`            // must be the first hit
	Top3           []string    `json:"top3"`            // must rank within the first 3
	Top10          []string    `json:"top10"`           // must rank within the first 10
	Absent         []string    `json:"absent"`          // must not be returned
	Above          [][2]string `json:"above"`           // [a, b]: a ranks above b
	Total          *int        `json:"total"`           // exact number of hits
}

// fixtureDocuments returns the fixture site's articles as index documents
// (ID and URL = path), built from their Expected fields.
func fixtureDocuments(deleted []string) []Document {
	var docs []Document
	for _, a := range fixturesite.New(fixturesite.Options{}).Articles() {
		e := a.Expected
		var caps []string
		for _, im := range e.Images {
			if strings.TrimSpace(im.Caption) != "" {
				caps = append(caps, im.Caption)
			}
		}
		d := Document{
			ID: a.Path, URL: a.Path,
			Title:      e.Title,
			Body:       strings.Join(e.BodyParagraphs, "\n\n"),
			Author:     e.Author,
			Breadcrumb: e.Breadcrumb,
			Category:   e.Category,
			Published:  e.Published,
			Captions:   caps,
			Status:     "live",
		}
		if slices.Contains(deleted, a.Path) {
			d.Status = "deleted"
		}
		docs = append(docs, d)
	}
	return docs
}

func TestSearchQuality(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "quality.json"))
	if err != nil {
		t.Fatal(err)
	}
	var set qualitySet
	if err := json.Unmarshal(raw, &set); err != nil {
		t.Fatalf("quality.json: %v", err)
	}
	if len(set.Queries) < 40 {
		t.Errorf("quality.json has %d queries, want at least 40", len(set.Queries))
	}
	docs := fixtureDocuments(set.Deleted)
	known := map[string]bool{}
	for _, d := range docs {
		known[d.ID] = true
	}
	for _, p := range set.Deleted {
		if !known[p] {
			t.Fatalf("deleted path %s is not a fixture article", p)
		}
	}
	for _, s := range set.Synthetic {
		docs = append(docs, Document{ID: s.ID, URL: s.ID, Title: s.Title, Body: s.Body,
			Category: s.Category, Published: s.Published})
		known[s.ID] = true
	}

	ix := openTest(t, filepath.Join(t.TempDir(), "idx"))
	defer ix.Close()
	if err := ix.Put(context.Background(), docs...); err != nil {
		t.Fatal(err)
	}

	passed, failed := 0, 0
	var rrSum float64
	rrN := 0
	for i, qq := range set.Queries {
		q := qq.Q
		if qq.NFD {
			q = norm.NFD.String(q)
		}
		for _, id := range slices.Concat([]string{qq.Top1}, qq.Top3, qq.Top10, qq.Absent) {
			if id != "" && !known[id] {
				t.Fatalf("query %d %q: unknown document %s", i, qq.Q, id)
			}
		}
		res, err := ix.Search(context.Background(), Request{Query: q, Limit: MaxLimit, IncludeDeleted: qq.IncludeDeleted})
		if err != nil {
			t.Errorf("query %d %q: %v", i, qq.Q, err)
			failed++
			continue
		}
		got := ids(res)
		rank := func(id string) int { return slices.Index(got, id) + 1 } // 0: absent
		var problems []string
		bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
		if qq.Top1 != "" && rank(qq.Top1) != 1 {
			bad("top1 %s at rank %d", short(qq.Top1), rank(qq.Top1))
		}
		for _, id := range qq.Top3 {
			if r := rank(id); r == 0 || r > 3 {
				bad("top3 %s at rank %d", short(id), r)
			}
		}
		for _, id := range qq.Top10 {
			if r := rank(id); r == 0 || r > 10 {
				bad("top10 %s at rank %d", short(id), r)
			}
		}
		for _, id := range qq.Absent {
			if r := rank(id); r != 0 {
				bad("absent %s at rank %d", short(id), r)
			}
		}
		for _, ab := range qq.Above {
			ra, rb := rank(ab[0]), rank(ab[1])
			if ra == 0 || rb == 0 || ra > rb {
				bad("%s (rank %d) should be above %s (rank %d)", short(ab[0]), ra, short(ab[1]), rb)
			}
		}
		if qq.Total != nil && int(res.Total) != *qq.Total {
			bad("total %d, want %d", res.Total, *qq.Total)
		}
		// Reciprocal rank of the first expected document.
		relevant := slices.Concat([]string{qq.Top1}, qq.Top3, qq.Top10)
		if qq.Top1 != "" || len(qq.Top3)+len(qq.Top10) > 0 {
			rr := 0.0
			for k, id := range got {
				if id != "" && slices.Contains(relevant, id) {
					rr = 1 / float64(k+1)
					break
				}
			}
			rrSum += rr
			rrN++
		}
		if len(problems) > 0 {
			failed++
			var top []string
			for _, id := range got[:min(len(got), 5)] {
				top = append(top, short(id))
			}
			t.Errorf("query %d %q (%s): %s; got %d hits, first %v",
				i, qq.Q, qq.Note, strings.Join(problems, "; "), res.Total, top)
		} else {
			passed++
		}
	}
	mrr := 0.0
	if rrN > 0 {
		mrr = rrSum / float64(rrN)
	}
	t.Logf("search quality: %d queries, %d passed, %d failed; MRR %.3f over %d ranked queries",
		len(set.Queries), passed, failed, mrr, rrN)
}

// short abbreviates a fixture path for messages: its last element.
func short(id string) string {
	if i := strings.LastIndexByte(id, '/'); i >= 0 && i < len(id)-1 {
		id = id[i+1:]
	}
	if len(id) > 40 {
		id = "…" + id[len(id)-30:]
	}
	return id
}
