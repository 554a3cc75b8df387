package web

import (
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strings"
	"time"

	"tulieu/internal/vntime"
)

// templateFuncs are the helpers the templates call.
var templateFuncs = template.FuncMap{
	"published": formatPublished,
	"vntime":    formatVNTime,
	"vndate": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(vntime.Zone).Format("02/01/2006")
	},
	"join": strings.Join,
	// limits are the page sizes the form offers, with the one asked for
	// (limit=7 from a link) among them, so that the form keeps it.
	"limits": func(current int) []int {
		out := []int{10, 20, 50, 100}
		if current > 0 && !slices.Contains(out, current) {
			out = append(out, current)
			slices.Sort(out)
		}
		return out
	},
	"add":   func(a, b int) int { return a + b },
	"bytes": humanBytes,
	"number": func(n any) string {
		return groupDigits(fmt.Sprint(n))
	},
	"trusted": func(s string) template.HTML {
		// Only for HTML built by tulieu: the extractor's sanitized body
		// (structural tags, no scripts, styles or handlers, re-serialized
		// by rewriteBody) and the index's highlights (escaped text and
		// <mark>).
		return template.HTML(s)
	},
	"rfc3339": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"query":   func(v url.Values) template.URL { return template.URL(v.Encode()) },
}

// formatPublished shows a published date ("YYYY-MM-DD" or RFC 3339) as
// Vietnamese readers write it: dd/mm/yyyy, with the time in Vietnam when
// the page gave one.
func formatPublished(p string) string {
	if p == "" {
		return ""
	}
	if t, err := time.Parse(time.RFC3339, p); err == nil {
		return t.In(vntime.Zone).Format("15:04 02/01/2006")
	}
	if t, err := time.Parse(time.DateOnly, p); err == nil {
		return t.Format("02/01/2006")
	}
	return p
}

// formatVNTime shows a moment of the archive (a capture, a first sight) in
// Vietnam time.
func formatVNTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(vntime.Zone).Format("15:04 02/01/2006")
}

func humanBytes(n int64) string {
	switch {
	case n <= 0:
		return ""
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return strings.Replace(fmt.Sprintf("%.1f KB", float64(n)/(1<<10)), ".", ",", 1)
	default:
		return strings.Replace(fmt.Sprintf("%.1f MB", float64(n)/(1<<20)), ".", ",", 1)
	}
}

// groupDigits writes 12345 as "12.345", as Vietnamese does.
func groupDigits(s string) string {
	if len(s) <= 3 || strings.ContainsAny(s, ".,-e") {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}
