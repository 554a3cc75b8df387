package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"regexp"
	"slices"
	"strings"
)

// jsonlWriter writes one JSON object per line: the whole record, or the
// --fields keys in their order.
type jsonlWriter struct {
	w    io.Writer
	cols []column // nil: the whole record
	buf  []byte
}

func newJSONL(w io.Writer, m *Meta, _ Archive) (Writer, error) {
	j := &jsonlWriter{w: w}
	if !slices.Equal(m.Fields, DefaultColumns(m.Selection.AllVersions)) {
		j.cols = selected(m)
	}
	return j, nil
}

func (j *jsonlWriter) Write(_ context.Context, r *Record) error {
	if j.cols == nil {
		j.buf = append(appendRecordJSON(j.buf[:0], r), '\n')
		_, err := j.w.Write(j.buf)
		return err
	}
	// An object with the chosen keys in the chosen order.
	b := append(j.buf[:0], '{')
	for i, c := range j.cols {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(appendJSONString(b, c.name), ':')
		if s, ok := c.value(r).(string); ok {
			b = appendJSONString(b, s)
			continue
		}
		v, err := marshalNoEscape(c.value(r))
		if err != nil {
			return err
		}
		b = append(b, v...)
	}
	b = append(b, '}', '\n')
	j.buf = b
	_, err := j.w.Write(b)
	return err
}

func (j *jsonlWriter) Close() error { return nil }

func marshalNoEscape(v any) ([]byte, error) {
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []byte(strings.TrimSuffix(sb.String(), "\n")), nil
}

// csvWriter writes RFC 4180 CSV as Excel reads it: a UTF-8 byte order
// mark, CRLF line ends, formula-safe cells. A line break inside a cell
// stays as archived ("\n"): encoding/csv's UseCRLF would write it "\r\n"
// too, and a body read back would not be the archive's (nor match its
// sha256). Each row is encoded on its own and its last "\n" made "\r\n".
type csvWriter struct {
	w    io.Writer
	buf  bytes.Buffer
	cw   *csv.Writer // into buf
	cols []column
	row  []string
}

func newCSV(w io.Writer, m *Meta, _ Archive) (Writer, error) {
	// The byte order mark is what makes Excel read the file as UTF-8.
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return nil, err
	}
	c := &csvWriter{w: w, cols: selected(m)}
	c.cw = csv.NewWriter(&c.buf)
	if err := c.writeRow(m.Fields); err != nil {
		return nil, err
	}
	return c, nil
}

// writeRow writes one row ending in CRLF.
func (c *csvWriter) writeRow(row []string) error {
	c.buf.Reset()
	if err := c.cw.Write(row); err != nil {
		return err
	}
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return err
	}
	b := c.buf.Bytes()
	if _, err := c.w.Write(b[:len(b)-1]); err != nil { // encoding/csv ends a row with "\n"
		return err
	}
	_, err := io.WriteString(c.w, "\r\n")
	return err
}

func (c *csvWriter) Write(_ context.Context, r *Record) error {
	c.row = c.row[:0]
	for _, col := range c.cols {
		v := CSVSafe(col.text(r))
		if col.name == "id" && numberLike.MatchString(v) {
			// An id of digits only ("0811789954211226") or digits
			// around one e (12e45) is read as a number by a
			// spreadsheet: the leading zero goes, 16 digits are
			// rounded. The apostrophe keeps it text, as for formulas;
			// --ids-from takes it off.
			v = "'" + v
		}
		c.row = append(c.row, v)
	}
	return c.writeRow(c.row)
}

func (c *csvWriter) Close() error { return nil }

// CSVSafe keeps a spreadsheet from running a cell as a formula (CSV
// injection): text that starts with = + - @ (or a tab or carriage return)
// gets a leading apostrophe, which Excel hides. Dates and numbers never
// start that way here.
//
// It also makes the text valid UTF-8 (bytes that are not become U+FFFD,
// as jsonl and xlsx do): the file says it is UTF-8 with its byte order
// mark.
// numberLike is what a spreadsheet reads as a number among article ids
// (16 hex digits).
var numberLike = regexp.MustCompile(`^[0-9]+([eE][0-9]+)?$`)

func CSVSafe(v string) string {
	v = strings.ToValidUTF8(v, "\uFFFD")
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
