package warc

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	nlwarc "github.com/nlnwa/gowarc/v3"
)

// CDXJ indexes: beside each finished WARC file, a sorted "<file>.cdxj" with
// one line per response and revisit record, in the format pywb and other
// replay tools read:
//
//	vn,org,danguykhoithanhhoa)/tin-tuc/a-1.html 20261129011234 {"url":...,"mime":...,"status":...,"digest":...,"length":...,"offset":...,"filename":...}

// CDXJSuffix is added to a WARC file's name to name its index.
const CDXJSuffix = ".cdxj"

// cdxjEntry is the JSON part of a CDXJ line.
type cdxjEntry struct {
	URL      string `json:"url"`
	Mime     string `json:"mime"`
	Status   string `json:"status,omitempty"`
	Digest   string `json:"digest,omitempty"`
	Length   string `json:"length"`
	Offset   string `json:"offset"`
	Filename string `json:"filename"`
}

// IndexFile reads a finished WARC file and writes its CDXJ index beside it,
// replacing the file's old index if any (an index is derived data).
func IndexFile(path string) (lines int, err error) {
	out, err := indexLines(path)
	if err != nil {
		return 0, err
	}
	return len(out), writeLines(strings.TrimSuffix(path, openSuffix)+CDXJSuffix, out)
}

// indexLines are the sorted CDXJ lines of a WARC file.
func indexLines(path string) ([]string, error) {
	var out []string
	// A record that cannot be read (a damaged byte) is left out of the
	// index, as a replay tool could not serve it anyway, and the records
	// after it are indexed: reading resumes at the next record that
	// parses. `tulieu check` reports the damage.
	err := readPastDamage(path, func(from int64) (int64, error) { return indexLinesFrom(path, from, &out) })
	if err != nil {
		return nil, err
	}
	slices.Sort(out)
	return out, nil
}

// indexLinesFrom appends the lines of the records from offset on, until
// the file ends (stopped -1) or a record cannot be read (stopped is where
// it starts).
func indexLinesFrom(path string, offset int64, out *[]string) (stopped int64, err error) {
	r, err := newFileReader(path, offset, nlwarc.WithSyntaxErrorPolicy(nlwarc.ErrWarn), nlwarc.WithSpecViolationPolicy(nlwarc.ErrIgnore))
	if err != nil {
		return 0, err
	}
	defer r.Close()
	name := strings.TrimSuffix(filepath.Base(path), openSuffix)
	at := offset
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return -1, nil
		}
		if err != nil || rec.WarcRecord == nil {
			return at, nil
		}
		at = rec.Offset + rec.Size
		wr := rec.WarcRecord
		typ := wr.Type()
		if typ != nlwarc.Response && typ != nlwarc.Revisit {
			rec.Close()
			continue
		}
		h := wr.WarcHeader()
		target := h.Get(nlwarc.WarcTargetURI)
		date, _ := wr.Date()
		e := cdxjEntry{URL: target, Digest: h.Get(nlwarc.WarcPayloadDigest), Length: strconv.FormatInt(rec.Size, 10),
			Offset: strconv.FormatInt(rec.Offset, 10), Filename: name}
		if typ == nlwarc.Revisit {
			e.Mime = "warc/revisit"
		}
		if hb, ok := wr.Block().(nlwarc.HttpResponseBlock); ok {
			e.Status = strconv.Itoa(hb.HttpStatusCode())
			if hh := hb.HttpHeader(); hh != nil && e.Mime == "" {
				e.Mime, _, _ = strings.Cut(hh.Get("Content-Type"), ";")
				e.Mime = strings.TrimSpace(e.Mime)
			}
		} else if ph, ok := wr.Block().(nlwarc.ProtocolHeaderBlock); ok {
			// A revisit's block is the answer's status line and headers.
			if f := strings.Fields(string(ph.ProtocolHeaderBytes())); len(f) > 1 {
				e.Status = f[1]
			}
		}
		if e.Mime == "" {
			e.Mime = "unk"
		}
		js, _ := json.Marshal(e)
		*out = append(*out, SURT(target)+" "+date.UTC().Format("20060102150405")+" "+string(js))
		rec.Close()
	}
}

// cdxjLine is the CDXJ line IndexFile makes of a response or revisit
// record, from what the writer knows as it writes it: the record's place,
// its target, date and payload digest, and the HTTP head it begins with.
// ok is false when the head is not plain enough to be sure the line is
// the one IndexFile would read back (no end of head in it, a status line
// other than HTTP/1.x and three digits, a folded or odd header line).
func cdxjLine(target string, date time.Time, typ string, head []byte, digest string, loc Location) (line string, ok bool) {
	end := bytes.Index(head, []byte("\r\n\r\n"))
	if end < 0 {
		return "", false
	}
	lines := strings.Split(string(head[:end]), "\r\n")
	status := strings.Fields(lines[0])
	if len(status) < 2 || !strings.HasPrefix(status[0], "HTTP/1.") || len(status[1]) != 3 ||
		strings.Trim(status[1], "0123456789") != "" {
		return "", false
	}
	r := CDXJRecord{TargetURI: target, Date: date, Revisit: typ == "revisit", Status: status[1], Digest: digest,
		Offset: loc.Offset, Length: loc.Length, Filename: loc.File}
	seen := false
	for _, l := range lines[1:] {
		k, v, found := strings.Cut(l, ":")
		if !found || k == "" || strings.ContainsAny(k, " \t") {
			return "", false
		}
		if !seen && strings.EqualFold(k, "Content-Type") {
			r.ContentType, seen = strings.TrimSpace(v), true
		}
	}
	return r.Line(), true
}

// writeLines writes a file through a temporary name, so a reader never
// sees half an index.
func writeLines(path string, lines []string) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, l := range lines {
		w.WriteString(l)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
