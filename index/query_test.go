package index

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseQuery(t *testing.T) {
	cases := []struct {
		q      string
		groups [][]clause
		neg    []clause
	}{
		{"chi bộ", [][]clause{{{text: "chi", pos: 0}}, {{text: "bộ", pos: 4}}}, nil},
		{`"chi bộ" -x`, [][]clause{{{text: "chi bộ", phrase: true}}}, []clause{{text: "x", neg: true, pos: 9}}},
		{`a OR b c`, [][]clause{{{text: "a"}, {text: "b", pos: 5}}, {{text: "c", pos: 7}}}, nil},
		{`Tiêuđề:x`, [][]clause{{{field: "title", text: "x"}}}, nil},
		{`TACGIA:"Lê Văn"`, [][]clause{{{field: "author", text: "Lê Văn", phrase: true}}}, nil},
		{`-chuyenmuc:tin a`, [][]clause{{{text: "a", pos: 15}}}, []clause{{field: "category", text: "tin", neg: true}}},
		{`“chi bộ”`, [][]clause{{{text: "chi bộ", phrase: true}}}, nil},
		{`ab"cd ef"`, [][]clause{{{text: "ab"}}, {{text: "cd ef", phrase: true, pos: 2}}}, nil},
		{`http://x.vn`, [][]clause{{{text: "http://x.vn"}}}, nil},
		{`nội: x`, [][]clause{{{text: "nội:"}}, {{text: "x", pos: 5}}}, nil},
	}
	for _, c := range cases {
		p, err := parseQuery(c.q)
		if err != nil {
			t.Errorf("parseQuery(%q): %v", c.q, err)
			continue
		}
		if !reflect.DeepEqual(p.groups, c.groups) || !reflect.DeepEqual(p.neg, c.neg) {
			t.Errorf("parseQuery(%q) = %+v / %+v\nwant %+v / %+v", c.q, p.groups, p.neg, c.groups, c.neg)
		}
	}
}

func TestCompileBigrams(t *testing.T) {
	cq, err := compileQuery(`sinh hoạt chi bộ "x y" Đảng ủy`)
	if err != nil {
		t.Fatal(err)
	}
	if len(cq.must) != 7 {
		t.Errorf("must clauses: %d", len(cq.must))
	}
	// Pairs: sinh hoat, hoat chi, chi bo | dang uy; two clauses each
	// (title and text bigrams).
	if len(cq.should) != 2*4 {
		t.Errorf("should clauses: %d", len(cq.should))
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{
		"", "chi bộ", `"chi bộ" -x OR y`, `tieude:"a b" tacgia:c nam:2020`, `-`, `--a`, `"`, `""`,
		`a OR`, `OR`, `a OR OR b`, `foo:bar`, `nam:`, `nam:"2020"`, `-"a`, `“x”`, "tiêu\u0301đề:x",
		"a\u0301 OR b\u0300", "\xff:x", "HOẶC", `x:"`, `tieude:-`, `https://a.b/c?d=e`, `a:b:c`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		cq, err := compileQuery(q)
		if err != nil {
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("error %v is not a *QueryError", err)
			}
			if qe.Pos < 0 || qe.Pos > utf8.RuneCountInString(q) || qe.Msg == "" || qe.Query != q {
				t.Fatalf("bad QueryError %+v for %q", qe, q)
			}
			return
		}
		if strings.TrimSpace(q) != "" && len(cq.must) == 0 {
			t.Fatalf("non-empty query %q compiled to match-all", q)
		}
	})
}

// TestQueryHelpViInStep: the web page's Vietnamese help names every
// construct of the CLI's bilingual help.
func TestQueryHelpViInStep(t *testing.T) {
	var vi strings.Builder
	for _, l := range QueryHelpVi {
		vi.WriteString(l.Syntax + " " + l.Meaning + "\n")
	}
	for _, n := range QueryHelpNotesVi {
		vi.WriteString(n + "\n")
	}
	for _, construct := range []string{"tieude:", "tacgia:", "chuyenmuc:", "tep:", "nam:2020", "nam:2019..2021", "nam:2019-2021",
		"OR", "HOẶC", `-"cụm từ"`, `"chi bộ sinh hoạt"`, "-nam:2019", `"foo:bar"`, "hòa bình -hóa"} {
		if !strings.Contains(QueryHelp, construct) {
			t.Fatalf("QueryHelp no longer has %q: update this test", construct)
		}
		if !strings.Contains(vi.String(), construct) {
			t.Errorf("QueryHelpVi does not tell %q", construct)
		}
	}
}
