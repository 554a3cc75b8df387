package warc

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	nlwarc "github.com/nlnwa/gowarc/v3"
)

// RecordInfo is what Scan tells of one record.
type RecordInfo struct {
	Offset        int64
	Size          int64  // bytes of the file the record takes (its gzip member)
	Type          string // response, revisit, request, warcinfo…
	ID            string // WARC-Record-ID
	PayloadDigest string // WARC-Payload-Digest
	TargetURI     string
}

// Scan reads every record of a WARC file with strict validation (syntax,
// WARC 1.1 rules, block and payload digests) and returns where each is and
// what it is, with the problems found. A partly written last record, as a
// crash leaves, is a finding at its offset; so is a record in the middle
// that cannot be read (a damaged byte), and the records after it are read
// all the same, from the next one that parses (as lastGoodOffset does).
func Scan(path string) (recs []RecordInfo, findings []Finding, err error) {
	err = readPastDamage(path, func(from int64) (int64, error) { return scanFrom(path, from, &recs, &findings) })
	if err != nil {
		return nil, nil, err
	}
	return recs, findings, nil
}

// scanFrom is Scan from offset on, until the file ends (stopped -1) or a
// record cannot be read (stopped is its offset).
func scanFrom(path string, offset int64, recs *[]RecordInfo, findings *[]Finding) (stopped int64, err error) {
	// Spec violations are reported, not taken for damage that stops
	// the read: a payload digest nlnwa/gowarc finds wrong may be right
	// (specPayloadDigest).
	r, err := newFileReader(path, offset, nlwarc.WithStrictValidation(), nlwarc.WithSpecViolationPolicy(nlwarc.ErrWarn))
	if err != nil {
		return 0, err
	}
	defer r.Close()
	end := offset // where the last record read ends
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			// The reader may take a last member that went bad for the
			// file's end (its deflate stream ending early): bytes left
			// after the last record are a record that cannot be read,
			// as Recover reports them.
			if fi, serr := os.Stat(path); serr == nil && fi.Size() > end {
				*findings = append(*findings, Finding{Offset: end, Msg: fmt.Sprintf("the %d bytes after the last record cannot be read as a record", fi.Size()-end)})
				return end, nil
			}
			return -1, nil
		}
		if err != nil {
			at := max(rec.Offset, offset)
			*findings = append(*findings, Finding{Offset: at, Msg: err.Error()})
			return at, nil
		}
		// The strict reader has already checked the syntax, the WARC 1.1
		// rules and the block and payload digests while unmarshalling.
		h := rec.WarcRecord.WarcHeader()
		for _, v := range rec.Validation {
			if specPayloadDigest(path, rec.Offset, h.Get(nlwarc.WarcPayloadDigest), v) {
				continue
			}
			*findings = append(*findings, Finding{Offset: rec.Offset, Msg: v.Error()})
		}
		*recs = append(*recs, RecordInfo{Offset: rec.Offset, Size: rec.Size, Type: rec.WarcRecord.Type().String(),
			ID: h.Get(nlwarc.WarcRecordID), PayloadDigest: h.Get(nlwarc.WarcPayloadDigest), TargetURI: h.Get(nlwarc.WarcTargetURI)})
		end = rec.Offset + rec.Size
		rec.Close()
	}
}

// CDXJCurrent says whether the CDXJ index beside a finished WARC file is
// there and says what the file holds.
func CDXJCurrent(path string) (bool, error) {
	want, err := indexLines(path)
	if err != nil {
		return false, err
	}
	b, err := os.ReadFile(strings.TrimSuffix(path, openSuffix) + CDXJSuffix)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	got := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(want) == 0 {
		return len(b) == 0, nil
	}
	return slices.Equal(got, want), nil
}

// specPayloadDigest says whether v, a validation finding on the record at
// offset, is nlnwa/gowarc finding wrong a payload digest that is right:
// it digests a chunked body with its framing, as warcio does, while WARC
// 1.1 (6.3.2) defines the payload with any transfer encoding removed,
// which is what tulieu writes (as Heritrix and wget-lua do). The record is
// read again and its payload digested both ways: either is accepted, the
// second being what older tulieu wrote.
func specPayloadDigest(path string, offset int64, want string, v error) bool {
	var de *nlwarc.DigestError
	if want == "" || !errors.As(v, &de) || !strings.HasPrefix(v.Error(), "payload:") {
		return false
	}
	resp, err := readResponse(path, filepath.Base(path), offset)
	if err != nil || !resp.Chunked {
		return false
	}
	dechunked, err := dechunk(resp.Payload)
	return err == nil && PayloadDigest(dechunked) == want
}
