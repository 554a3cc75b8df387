package export

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"tulieu/api"
	"tulieu/index"
	"tulieu/store"
)

// Formats lists the formats Write knows, in the order help texts name them.
var Formats = []string{"jsonl", "csv"}

// ContentType is the media type of a format, for HTTP answers.
func ContentType(format string) string {
	if format == "csv" {
		return "text/csv; charset=utf-8"
	}
	return "application/x-ndjson; charset=utf-8"
}

// Selection is which articles an export takes.
type Selection struct {
	Query          string // a search query (see index.QueryHelp); "" = no query
	Category       string
	Author         string
	From, To       time.Time // published, inclusive days
	IncludeDeleted bool
	IncludePages   bool // static pages too
}

// Matcher walks the ids a search matches; *index.Index is one.
type Matcher interface {
	MatchIDs(ctx context.Context, req index.Request, fn func(ids []string) error) error
}

// Catalog reads articles; *store.Store is one.
type Catalog interface {
	Articles(ctx context.Context, f store.Filter) ([]store.Article, error)
}

// CheckFormat returns an error naming the known formats when format is
// not one of them.
func CheckFormat(format string) error {
	for _, f := range Formats {
		if f == format {
			return nil
		}
	}
	return fmt.Errorf("format must be %s, not %q", strings.Join(Formats, " or "), format)
}

// Write writes the selected articles to w in format and returns how many
// it wrote. m may be nil when sel has no query and no author.
func Write(ctx context.Context, w io.Writer, format string, sel Selection, cat Catalog, m Matcher) (int, error) {
	if err := CheckFormat(format); err != nil {
		return 0, err
	}
	var rw recordWriter
	if format == "csv" {
		rw = newCSVWriter(w)
	} else {
		rw = newJSONLWriter(w)
	}
	if err := rw.begin(); err != nil {
		return 0, err
	}
	filter := store.Filter{Category: sel.Category, From: sel.From, To: sel.To, IncludeDeleted: sel.IncludeDeleted}
	if sel.IncludePages {
		filter.Kinds = []string{store.KindArticle, store.KindPage}
	}
	n := 0
	emit := func(arts []store.Article) error {
		for i := range arts {
			if err := rw.write(api.NewArticle(&arts[i], nil)); err != nil {
				return err
			}
			n++
		}
		return ctx.Err()
	}
	if sel.Query == "" && sel.Author == "" {
		arts, err := cat.Articles(ctx, filter)
		if err != nil {
			return 0, err
		}
		if err := emit(arts); err != nil {
			return n, err
		}
	} else {
		if m == nil {
			return 0, fmt.Errorf("export: a query needs the search index")
		}
		req := index.Request{Query: sel.Query, Category: sel.Category, Author: sel.Author, From: sel.From, To: sel.To,
			IncludeDeleted: sel.IncludeDeleted}
		err := m.MatchIDs(ctx, req, func(ids []string) error {
			f := filter
			f.IDs = ids
			arts, err := cat.Articles(ctx, f)
			if err != nil {
				return err
			}
			return emit(arts)
		})
		if err != nil {
			return n, err
		}
	}
	return n, rw.end()
}

type recordWriter interface {
	begin() error
	write(api.Article) error
	end() error
}

type jsonlWriter struct{ enc *json.Encoder }

func newJSONLWriter(w io.Writer) *jsonlWriter {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &jsonlWriter{enc: enc}
}

func (j *jsonlWriter) begin() error              { return nil }
func (j *jsonlWriter) write(r api.Article) error { return j.enc.Encode(r) }
func (j *jsonlWriter) end() error                { return nil }

// CSVHeader is the first row of a CSV export.
var CSVHeader = []string{"id", "url", "kind", "title", "author", "author_name", "source", "breadcrumb", "category",
	"published", "body", "images", "attachments", "first_seen", "last_seen", "status", "versions", "sha256"}

type csvWriter struct {
	w  io.Writer
	cw *csv.Writer
}

func newCSVWriter(w io.Writer) *csvWriter {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // what Excel writes and expects
	return &csvWriter{w: w, cw: cw}
}

func (c *csvWriter) begin() error {
	// The byte order mark is what makes Excel read the file as UTF-8.
	if _, err := io.WriteString(c.w, "\uFEFF"); err != nil {
		return err
	}
	return c.cw.Write(CSVHeader)
}

func (c *csvWriter) write(r api.Article) error {
	var imgs []string
	for _, im := range r.Images {
		imgs = append(imgs, strings.TrimSpace(im.Src+" "+im.Caption))
	}
	row := []string{r.ID, r.URL, r.Kind, r.Title, r.Author, r.AuthorName, r.Source, strings.Join(r.Breadcrumb, " / "),
		r.Category, r.Published, r.Body, strings.Join(imgs, "\n"), strings.Join(r.Attachments, "\n"),
		r.FirstSeen, r.LastSeen, r.Status, strconv.Itoa(r.Versions), r.SHA256}
	for j, v := range row {
		row[j] = CSVSafe(v)
	}
	return c.cw.Write(row)
}

func (c *csvWriter) end() error {
	c.cw.Flush()
	return c.cw.Error()
}

// CSVSafe keeps a spreadsheet from running a cell as a formula (CSV
// injection): text that starts with = + - @ (or a tab or carriage return)
// gets a leading apostrophe, which Excel hides. Dates and numbers never
// start that way here.
func CSVSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// WriteFile writes to path through a temporary file renamed into place at
// the end, so an interrupted export never leaves half a file where a full
// one was; "-" or "" writes to stdout.
func WriteFile(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "-" || path == "" {
		bw := bufio.NewWriter(stdout)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriter(tmp)
	if err := write(bw); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
