package extract

import (
	"fmt"
	"strings"
	"time"
)

// TokenPRF compares two texts as multisets of Tokens and returns precision
// (share of got's tokens that are in want), recall and F1. Two empty texts
// score 1.
func TokenPRF(want, got string) (precision, recall, f1 float64) {
	w, g := Tokens(want), Tokens(got)
	if len(w) == 0 && len(g) == 0 {
		return 1, 1, 1
	}
	if len(w) == 0 || len(g) == 0 {
		return 0, 0, 0
	}
	common := commonTokens(w, g)
	precision = float64(common) / float64(len(g))
	recall = float64(common) / float64(len(w))
	if common > 0 {
		f1 = 2 * precision * recall / (precision + recall)
	}
	return
}

// ScoreCase is one page to score: the expected document and the extracted one.
type ScoreCase struct {
	Name      string
	Want, Got *Document
}

// ScoreRow is the result for one page.
type ScoreRow struct {
	Name                                 string
	Title, Author, Breadcrumb, Published bool
	Kind                                 bool
	BodyPrecision, BodyRecall, BodyF1    float64
	WantKind, GotKind                    Kind
}

// ScoreReport aggregates ScoreRows.
type ScoreReport struct {
	Rows []ScoreRow
}

// ScoreFields lists the fields compared exactly.
var ScoreFields = []string{"title", "author", "breadcrumb", "published", "kind"}

// Score compares extracted documents with expected ones: exact match of
// title, author (AuthorName when the expectation has one, else Author),
// breadcrumb, published and kind, and token precision/recall/F1 of Body.
func Score(cases []ScoreCase) ScoreReport {
	var rep ScoreReport
	for _, c := range cases {
		w, g := c.Want, c.Got
		if g == nil {
			g = &Document{}
		}
		r := ScoreRow{Name: c.Name, WantKind: w.Kind, GotKind: g.Kind}
		r.Title = w.Title == g.Title
		if w.AuthorName != "" || w.Author == "" {
			r.Author = w.AuthorName == g.AuthorName && (w.Author == "" || w.Author == g.Author)
		} else {
			r.Author = w.Author == g.Author
		}
		// The byline is right when the person and the publication credited
		// are both right.
		r.Author = r.Author && w.Source == g.Source
		r.Breadcrumb = strings.Join(w.Breadcrumb, "\x00") == strings.Join(g.Breadcrumb, "\x00")
		r.Published = samePublished(w.Published, g.Published)
		r.Kind = w.Kind == "" || w.Kind == g.Kind
		r.BodyPrecision, r.BodyRecall, r.BodyF1 = TokenPRF(w.Body, g.Body)
		rep.Rows = append(rep.Rows, r)
	}
	return rep
}

// samePublished says whether two publication dates name the same moment:
// a page that states its time in UTC (a WordPress blog left at its
// default zone) is right in the site's +07:00 too. Dates that are not
// both full RFC 3339 times are compared as written.
func samePublished(want, got string) bool {
	if want == got {
		return true
	}
	w, errW := time.Parse(time.RFC3339, want)
	g, errG := time.Parse(time.RFC3339, got)
	return errW == nil && errG == nil && w.Equal(g)
}

func mark(b bool) string {
	if b {
		return "ok"
	}
	return "--"
}

// String renders the report as a plain-text table with a totals line
// (exact-match rates and mean body P/R/F1).
func (r ScoreReport) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%-34s %-5s %-6s %-5s %-5s %-4s %6s %6s %6s\n", "page", "title", "author", "crumb", "date", "kind", "P", "R", "F1")
	var t, a, c, p, k int
	var sp, sr, sf float64
	for _, x := range r.Rows {
		name := x.Name
		if len(name) > 34 {
			name = name[:34]
		}
		fmt.Fprintf(&sb, "%-34s %-5s %-6s %-5s %-5s %-4s %6.3f %6.3f %6.3f\n", name, mark(x.Title), mark(x.Author), mark(x.Breadcrumb), mark(x.Published), mark(x.Kind), x.BodyPrecision, x.BodyRecall, x.BodyF1)
		for _, v := range []struct {
			b bool
			n *int
		}{{x.Title, &t}, {x.Author, &a}, {x.Breadcrumb, &c}, {x.Published, &p}, {x.Kind, &k}} {
			if v.b {
				*v.n++
			}
		}
		sp += x.BodyPrecision
		sr += x.BodyRecall
		sf += x.BodyF1
	}
	n := len(r.Rows)
	if n == 0 {
		return sb.String()
	}
	pct := func(v int) string { return fmt.Sprintf("%d/%d", v, n) }
	fmt.Fprintf(&sb, "%-34s %-5s %-6s %-5s %-5s %-4s %6.3f %6.3f %6.3f\n", "TOTAL", pct(t), pct(a), pct(c), pct(p), pct(k), sp/float64(n), sr/float64(n), sf/float64(n))
	mp, mr, mf := 1.0, 1.0, 1.0
	for _, x := range r.Rows {
		mp, mr, mf = min(mp, x.BodyPrecision), min(mr, x.BodyRecall), min(mf, x.BodyF1)
	}
	fmt.Fprintf(&sb, "%-34s %-5s %-6s %-5s %-5s %-4s %6.3f %6.3f %6.3f\n", "MIN", "", "", "", "", "", mp, mr, mf)
	return sb.String()
}
