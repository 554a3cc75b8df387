package export

import (
	"fmt"
	"strconv"
	"strings"

	"tulieu/api"
)

// column is one field of a record, as the tabular formats and jsonl with
// --fields write it.
type column struct {
	name string
	// value is the field's JSON value; text its cell in a table.
	value func(r *Record) any
	text  func(r *Record) string
}

func str(get func(r *Record) string) (func(r *Record) any, func(r *Record) string) {
	return func(r *Record) any { return get(r) }, get
}

// columns are every field a record has, in the order of the default
// columns (the keys of api.Article, then the provenance).
func columns() []column {
	c := func(name string, get func(r *Record) string) column {
		v, t := str(get)
		return column{name: name, value: v, text: t}
	}
	return []column{
		c("id", func(r *Record) string { return r.ID }),
		c("url", func(r *Record) string { return r.URL }),
		c("kind", func(r *Record) string { return r.Kind }),
		c("title", func(r *Record) string { return r.Title }),
		c("author", func(r *Record) string { return r.Author }),
		c("author_name", func(r *Record) string { return r.AuthorName }),
		{name: "authors", value: func(r *Record) any { return r.Authors },
			text: func(r *Record) string { return strings.Join(r.Authors, "; ") }},
		c("source", func(r *Record) string { return r.Source }),
		{name: "breadcrumb", value: func(r *Record) any { return r.Breadcrumb },
			text: func(r *Record) string { return strings.Join(r.Breadcrumb, " / ") }},
		c("category", func(r *Record) string { return r.Category }),
		c("published", func(r *Record) string { return r.Published }),
		c("body", func(r *Record) string { return r.Body }),
		{name: "images", value: func(r *Record) any { return r.Images },
			text: func(r *Record) string {
				var imgs []string
				for _, im := range r.Images {
					imgs = append(imgs, strings.TrimSpace(im.Src+" "+im.Caption))
				}
				return strings.Join(imgs, "\n")
			}},
		{name: "attachments", value: func(r *Record) any { return r.Attachments },
			text: func(r *Record) string { return strings.Join(r.Attachments, "\n") }},
		{name: "files", value: func(r *Record) any {
			if r.Files == nil {
				return []api.File{}
			}
			return r.Files
		}, text: func(r *Record) string {
			var parts []string
			for _, f := range r.Files {
				if f.Text != "" {
					parts = append(parts, "["+f.Name+"]\n"+f.Text)
				}
			}
			return strings.Join(parts, "\n\n")
		}},
		c("first_seen", func(r *Record) string { return r.FirstSeen }),
		c("last_seen", func(r *Record) string { return r.LastSeen }),
		c("status", func(r *Record) string { return r.Status }),
		{name: "versions", value: func(r *Record) any { return r.Versions },
			text: func(r *Record) string { return strconv.Itoa(r.Versions) }},
		c("sha256", func(r *Record) string { return r.SHA256 }),
		{name: "version", value: func(r *Record) any { return r.Version },
			text: func(r *Record) string {
				if r.Version == 0 {
					return ""
				}
				return strconv.Itoa(r.Version)
			}},
		c("fetched_from", func(r *Record) string { return r.FetchedFrom }),
		c("captured_at", func(r *Record) string { return r.CapturedAt }),
		c("warc_record_id", func(r *Record) string { return r.WARCRecordID }),
	}
}

// DefaultColumns are the columns of csv and xlsx without --fields: every
// field but "version" and "fetched_from", which only an export of all
// versions has (there they tell the records of one article apart, and
// where each was fetched).
func DefaultColumns(allVersions bool) []string {
	var out []string
	for _, c := range columns() {
		if c.name != "version" && c.name != "fetched_from" || allVersions {
			out = append(out, c.name)
		}
	}
	return out
}

// AllColumns names every field --fields can take.
func AllColumns() []string {
	var out []string
	for _, c := range columns() {
		out = append(out, c.name)
	}
	return out
}

// CheckColumns reports an unknown or repeated field name.
func CheckColumns(names []string) error {
	seen := map[string]bool{}
	for _, n := range names {
		if _, ok := columnByName(n); !ok {
			return fmt.Errorf("unknown field %q (fields: %s)", n, strings.Join(AllColumns(), ","))
		}
		if seen[n] {
			return fmt.Errorf("field %q named twice", n)
		}
		seen[n] = true
	}
	return nil
}

func columnByName(name string) (column, bool) {
	for _, c := range columns() {
		if c.name == name {
			return c, true
		}
	}
	return column{}, false
}

// selected are the columns of m.Fields, in their order.
func selected(m *Meta) []column {
	var out []column
	for _, n := range m.Fields {
		c, _ := columnByName(n)
		out = append(out, c)
	}
	return out
}
