package warc

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/compress/gzip"
)

// What package export needs to write WARC streams of its own (the warc and
// wacz export formats): a warcinfo record written the way the archive's
// files start, and the CDXJ line IndexFile writes, so that an export's
// index and the archive's agree byte for byte.

// Field is one "name: value" line of a warcinfo record.
type Field struct{ Name, Value string }

// WriteInfo writes a WARC 1.1 warcinfo record, as its own gzip member, to
// w: the fields of the archive's own warcinfo records (software, format,
// conformsTo) followed by fields. filename, if not empty, is its
// WARC-Filename. It returns the record's id and the member's length.
func WriteInfo(w io.Writer, filename, software string, date time.Time, fields []Field) (id string, length int64, err error) {
	var block bytes.Buffer
	fmt.Fprintf(&block, "software: %s\r\n", oneLine(software))
	fmt.Fprintf(&block, "format: WARC File Format 1.1\r\n")
	fmt.Fprintf(&block, "conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n")
	for _, f := range fields {
		fmt.Fprintf(&block, "%s: %s\r\n", f.Name, oneLine(f.Value))
	}
	rec := newRecord("warcinfo", newRecordID(), block.Bytes())
	rec.Header.Set("WARC-Date", formatDate(date))
	if filename != "" {
		rec.Header.Set("WARC-Filename", filename)
	}
	rec.Header.Set("Content-Type", "application/warc-fields")
	id = rec.Header["WARC-Record-ID"]
	cw := &CountingWriter{W: w}
	defer rec.Content.Close()
	// As the crawl's records are written: the fields in the same order.
	gz := gzip.NewWriter(cw)
	if err := writeRecord(bufio.NewWriter(gz), rec); err != nil {
		return "", 0, fmt.Errorf("write warcinfo: %w", err)
	}
	if err := gz.Close(); err != nil {
		return "", 0, fmt.Errorf("write warcinfo: %w", err)
	}
	return id, cw.N, nil
}

// oneLine keeps a warc-fields value on its line: a line break would start
// a field of its own.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

// CDXJRecord is what a CDXJ line says of one response or revisit record.
type CDXJRecord struct {
	TargetURI   string
	Date        time.Time
	Revisit     bool
	Status      string // the HTTP status code, "" when unknown
	ContentType string // the HTTP Content-Type header of a response
	Digest      string // WARC-Payload-Digest
	Offset      int64  // of the record's gzip member
	Length      int64  // of the record's gzip member
	Filename    string
}

// Line is the record's CDXJ line, without a line end, exactly as IndexFile
// writes it: the SURT key, the 14-digit UTC time and the JSON fields (a
// revisit's mime is "warc/revisit", an unknown one "unk").
func (r CDXJRecord) Line() string {
	e := cdxjEntry{URL: r.TargetURI, Status: r.Status, Digest: r.Digest, Length: strconv.FormatInt(r.Length, 10),
		Offset: strconv.FormatInt(r.Offset, 10), Filename: r.Filename}
	if r.Revisit {
		e.Mime = "warc/revisit"
	} else {
		e.Mime, _, _ = strings.Cut(r.ContentType, ";")
		e.Mime = strings.TrimSpace(e.Mime)
	}
	if e.Mime == "" {
		e.Mime = "unk"
	}
	js, _ := json.Marshal(e)
	return SURT(r.TargetURI) + " " + r.Date.UTC().Format("20060102150405") + " " + string(js)
}
