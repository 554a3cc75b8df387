package extract

import (
	"errors"
	"os"
	"testing"
)

// TestScoreRegression fails when the scores drop below the figures of the
// current extractor (go run ./extract/cmd/extractscore prints them). Raise
// the thresholds when the extractor gets better; never lower them to make
// a change pass.
func TestScoreRegression(t *testing.T) {
	check := func(name string, got, min ScoreTotals) {
		t.Helper()
		if got.N != min.N {
			t.Errorf("%s: %d pages, want %d (update the thresholds with the new pages' scores)", name, got.N, min.N)
		}
		for _, f := range []struct {
			field     string
			got, want int
		}{{"title", got.Title, min.Title}, {"author", got.Author, min.Author}, {"breadcrumb", got.Breadcrumb, min.Breadcrumb},
			{"published", got.Published, min.Published}, {"kind", got.Kind, min.Kind}} {
			if f.got < f.want {
				t.Errorf("%s: %s exact %d/%d, was %d/%d", name, f.field, f.got, got.N, f.want, min.N)
			}
		}
		const eps = 0.0005
		if got.BodyPrecision < min.BodyPrecision-eps || got.BodyRecall < min.BodyRecall-eps || got.BodyF1 < min.BodyF1-eps {
			t.Errorf("%s: body P/R/F1 %.3f/%.3f/%.3f, was %.3f/%.3f/%.3f", name, got.BodyPrecision, got.BodyRecall, got.BodyF1,
				min.BodyPrecision, min.BodyRecall, min.BodyF1)
		}
	}
	rep, err := ScoreGoldenSet("testdata/pages", Options{Profiles: DefaultProfiles()})
	if err != nil {
		t.Fatal(err)
	}
	check("golden set", rep.Totals(), ScoreTotals{N: 37, Title: 37, Author: 37, Breadcrumb: 37, Published: 37, Kind: 37,
		BodyPrecision: 1, BodyRecall: 1, BodyF1: 1})

	// The project's own real-world set, both parts (BENCHMARKS.md tells
	// the held-out third's figure before and after it was looked at), and
	// the pages written for each failure mode seen on real sites.
	own, err := ScoreRealWorld("testdata/realworld")
	if err != nil {
		t.Fatal(err)
	}
	// Four pages were added on 2026-12-07 and scored as they came
	// (BENCHMARKS.md: two bylines, one date, a related card missed);
	// mended the same day. Breadcrumb was not scored until the expected
	// files stated it (2026-12-07, late): 13/18 then (dantri-1,
	// baodautu-1, binhluan-1, tuoitre-3 and vnexpress-2 missed); 16/18
	// with extraction Version 6 (tuoitre-3's section heading far above the
	// title, vnexpress-2's misspelt trail with its tabs still missed).
	check("own real-world set", own.Totals(), ScoreTotals{N: 18, Title: 18, Author: 18, Breadcrumb: 16, Published: 18, Kind: 18,
		BodyPrecision: 1, BodyRecall: 1, BodyF1: 1})
	for _, r := range own.Rows {
		if r.BodyF1 < 0.97 {
			t.Errorf("own real-world set: %s body F1 %.3f, below 0.97", r.Name, r.BodyF1)
		}
	}
	shapes, err := ScoreShapes("testdata/shapes", Options{})
	if err != nil {
		t.Fatal(err)
	}
	check("failure shapes", shapes.Totals(), ScoreTotals{N: 10, Title: 10, Author: 10, Breadcrumb: 10, Published: 10, Kind: 10,
		BodyPrecision: 1, BodyRecall: 1, BodyF1: 1})

	rw, err := ScoreRealWorld(realworldDir)
	if errors.Is(err, os.ErrNotExist) {
		t.Log("no realworld pages at " + realworldDir)
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	check("realworld", rw.Totals(), ScoreTotals{N: 1, Title: 1, Author: 1, Breadcrumb: 1, Published: 1, Kind: 1,
		BodyPrecision: 1, BodyRecall: 1, BodyF1: 1})
}
