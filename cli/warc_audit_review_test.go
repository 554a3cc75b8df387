package cli

// A web-archiving auditor's review of the WARC files tulieu writes: what a
// national library's tools (pywb, OpenWayback, warcio, jwarc) would make of
// them, checked with a small reader of our own (gzip member by member,
// header by header) rather than the project's reader or its strict
// validator. Each test's comment tells what the auditor found before its
// fix (in the present tense of the review) and what should be, which the
// test holds.

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"encoding/base32"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"tulieu/internal/fixturesite"
)

// warcAuditRecord is one WARC record as an independent reader sees it.
type warcAuditRecord struct {
	File    string
	Offset  int64 // of its gzip member
	Length  int64 // of its gzip member
	Version string
	Header  map[string]string // first value of each field, by lower-cased name
	Block   []byte
}

func (r warcAuditRecord) get(name string) string { return r.Header[strings.ToLower(name)] }

// warcAuditReadFile reads every gzip member of a .warc.gz as one record, checking
// the record's framing (Content-Length, the two CRLFs after the block).
func warcAuditReadFile(t *testing.T, path string) []warcAuditRecord {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []warcAuditRecord
	br := bytes.NewReader(data)
	for br.Len() > 0 {
		off := int64(len(data) - br.Len())
		zr, err := gzip.NewReader(br)
		if err != nil {
			t.Fatalf("%s at %d: not a gzip member: %v", filepath.Base(path), off, err)
		}
		zr.Multistream(false)
		raw, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("%s at %d: %v", filepath.Base(path), off, err)
		}
		end := int64(len(data) - br.Len())
		rec := warcAuditParse(t, raw)
		rec.File, rec.Offset, rec.Length = filepath.Base(path), off, end-off
		out = append(out, rec)
	}
	return out
}

func warcAuditParse(t *testing.T, raw []byte) warcAuditRecord {
	t.Helper()
	i := bytes.Index(raw, []byte("\r\n\r\n"))
	if i < 0 {
		t.Fatalf("record without end of header: %q", raw[:min(200, len(raw))])
	}
	lines := strings.Split(string(raw[:i]), "\r\n")
	rec := warcAuditRecord{Version: lines[0], Header: map[string]string{}}
	for _, l := range lines[1:] {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("bad header line %q", l)
		}
		k = strings.ToLower(strings.TrimSpace(k))
		if _, dup := rec.Header[k]; !dup {
			rec.Header[k] = strings.TrimSpace(v)
		}
	}
	n, err := strconv.Atoi(rec.Header["content-length"])
	if err != nil || i+4+n > len(raw) {
		t.Fatalf("bad Content-Length %q", rec.Header["content-length"])
	}
	rec.Block = raw[i+4 : i+4+n]
	if tail := raw[i+4+n:]; string(tail) != "\r\n\r\n" {
		t.Fatalf("record not ended by CRLF CRLF: %q", tail)
	}
	return rec
}

// warcAuditArchive reads every finished WARC file of a data directory, oldest first.
func warcAuditArchive(t *testing.T, data string) []warcAuditRecord {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(data, "warc", "*.warc.gz"))
	sort.Strings(files)
	if len(files) == 0 {
		t.Fatal("no WARC file")
	}
	var out []warcAuditRecord
	for _, f := range files {
		out = append(out, warcAuditReadFile(t, f)...)
	}
	return out
}

func warcAuditSHA1(b []byte) string {
	s := sha1.Sum(b)
	return "sha1:" + base32.StdEncoding.EncodeToString(s[:])
}

// warcAuditCDXJ reads the CDXJ lines of every index of a data directory.
type warcAuditCDXJLine struct {
	Key, Time string
	Fields    map[string]string
}

func warcAuditReadCDXJ(t *testing.T, data string) []warcAuditCDXJLine {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(data, "warc", "*.cdxj"))
	var out []warcAuditCDXJLine
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			key, rest, _ := strings.Cut(sc.Text(), " ")
			ts, js, _ := strings.Cut(rest, " ")
			l := warcAuditCDXJLine{Key: key, Time: ts}
			if err := json.Unmarshal([]byte(js), &l.Fields); err != nil {
				t.Fatalf("%s: %v", sc.Text(), err)
			}
			out = append(out, l)
		}
		fh.Close()
	}
	return out
}

// warcAuditCrawl crawls a site into data, failing the test on a non-zero exit.
func warcAuditCrawl(t *testing.T, data, site string, more ...string) {
	t.Helper()
	args := append([]string{"crawl", "--site", site, "--delay", "0", "--parallel", "2"}, more...)
	if code, _, errOut := run(t, data, args...); code != 0 {
		t.Fatalf("crawl exited %d: %s", code, errOut)
	}
}

// TestWARCAuditEarlyHintsAreNotTheResponse: the auditor crawls a site whose
// server (a CDN, as many now are) answers each page with an informational
// "103 Early Hints" before its "200 OK" — Go's HTTP client reads past a
// 1xx and hands the crawler the 200. The auditor then opens the response
// records: each block starts "HTTP/1.1 103 Early Hints", and the 200's
// status line, headers and page follow as if they were the body. Every
// WARC reader (warcio, pywb, jwarc, OpenWayback) parses the first HTTP
// head of a response record as THE response: the page replays as a 103
// whose "payload" is an HTTP message, the CDXJ line says status 103 and
// mime "unk", and WARC-Payload-Digest is the digest of neither payload. A
// response record must hold the final response (the interim 1xx heads
// are not the response; keep them out, or in a metadata record), with
// the payload digest of that response's body.
func TestWARCAuditEarlyHintsAreNotTheResponse(t *testing.T) {
	site := fixturesite.New(fixturesite.Options{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/robots.txt" {
			w.Header().Set("Link", "</templates/css/style.css>; rel=preload; as=style")
			w.WriteHeader(http.StatusEarlyHints)
			w.Header().Del("Link")
		}
		site.ServeHTTP(w, r)
	}))
	defer srv.Close()
	data := t.TempDir()
	warcAuditCrawl(t, data, srv.URL+"/")

	home := srv.URL + "/"
	var found bool
	for _, rec := range warcAuditArchive(t, data) {
		if rec.get("WARC-Type") != "response" || rec.get("WARC-Target-URI") != home {
			continue
		}
		found = true
		status, _, _ := strings.Cut(string(rec.Block), "\r\n")
		if status != "HTTP/1.1 200 OK" {
			t.Errorf("the response record of %s begins %q, not the 200 that was the response", home, status)
		}
		_, body, _ := bytes.Cut(rec.Block, []byte("\r\n\r\n"))
		if bytes.HasPrefix(body, []byte("HTTP/1.1 ")) {
			t.Errorf("what a WARC reader takes for the payload of %s is another HTTP message: %q", home, body[:min(60, len(body))])
		}
		// The payload digest should be that of the page (the body of the
		// 200), which a reader can check from the record.
		if i := bytes.Index(rec.Block, []byte("HTTP/1.1 200 OK\r\n")); i >= 0 {
			if _, page, ok := bytes.Cut(rec.Block[i:], []byte("\r\n\r\n")); ok && rec.get("WARC-Payload-Digest") == warcAuditSHA1(page) &&
				warcAuditSHA1(body) != warcAuditSHA1(page) {
				t.Logf("WARC-Payload-Digest is the page's, but not that of what a reader takes for the payload")
			}
		}
	}
	if !found {
		t.Fatalf("no response record for %s", home)
	}
	for _, l := range warcAuditReadCDXJ(t, data) {
		if l.Fields["url"] == home && l.Fields["status"] != "200" {
			t.Errorf("CDXJ line of %s says status %q, mime %q: a replay tool serves that", home, l.Fields["status"], l.Fields["mime"])
		}
	}
}

// TestWARCAuditRevisitsReferToThePayload: the auditor crawls a site that answers
// conditional requests three nights running, then follows each revisit
// record's WARC-Refers-To, as jwarc, warcio-based tools and an archive's
// own deduplication audit do. On the third night every 304 revisit names
// the second night's revisit — a record without the payload — and its
// WARC-Refers-To-Target-URI / -Date are that revisit's, so following the
// reference leads to another reference, and the chain grows by one record
// every night (after a year, a 365-hop walk to reach the page). WARC 1.1
// (6.7.2, 6.7.3) recommends that WARC-Refers-To identify "a specific prior
// record from which the unmodified content can be retrieved", and the IIPC
// deduplication recommendation has -Target-URI and -Date equal those of
// that record. The catalog already knows it (captures.payload_capture_id).
func TestWARCAuditRevisitsReferToThePayload(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	for range 3 {
		warcAuditCrawl(t, data, srv.URL+"/")
	}
	recs := warcAuditArchive(t, data)
	byID := map[string]warcAuditRecord{}
	for _, r := range recs {
		byID[r.get("WARC-Record-ID")] = r
	}
	var revisits, bad int
	for _, r := range recs {
		if r.get("WARC-Type") != "revisit" {
			continue
		}
		revisits++
		ref, ok := byID[r.get("WARC-Refers-To")]
		if !ok {
			t.Errorf("revisit of %s refers to %s, which is in no file", r.get("WARC-Target-URI"), r.get("WARC-Refers-To"))
			continue
		}
		if ref.get("WARC-Type") != "response" || ref.get("WARC-Date") != r.get("WARC-Refers-To-Date") ||
			ref.get("WARC-Target-URI") != r.get("WARC-Refers-To-Target-URI") {
			bad++
			if bad <= 3 {
				t.Errorf("the revisit of %s (%s) refers to a %s record of %s, not to the response holding its payload",
					r.get("WARC-Target-URI"), r.get("WARC-Date"), ref.get("WARC-Type"), ref.get("WARC-Date"))
			}
		}
	}
	if revisits == 0 {
		t.Fatal("no revisit records: the test proves nothing")
	}
	if bad > 0 {
		t.Errorf("%d of %d revisit records refer to a record without their payload", bad, revisits)
	}
}

// warcAuditDechunk removes HTTP/1.1 chunked framing (trailers ignored).
func warcAuditDechunk(b []byte) ([]byte, bool) {
	var out []byte
	for {
		line, rest, ok := bytes.Cut(b, []byte("\r\n"))
		if !ok {
			return nil, false
		}
		sz, _, _ := strings.Cut(string(line), ";")
		n, err := strconv.ParseInt(strings.TrimSpace(sz), 16, 64)
		if err != nil || int64(len(rest)) < n+2 {
			return nil, false
		}
		if n == 0 {
			return out, true
		}
		out = append(out, rest[:n]...)
		b = rest[n+2:]
	}
}

// warcAuditChunked serves h's answers with Transfer-Encoding: chunked, in chunks
// of size bytes (as a server streaming a page does), keeping everything
// else of the answer.
func warcAuditChunked(h http.Handler, size func() int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			if k != "Content-Length" {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(rec.Code)
		body := rec.Body.Bytes()
		n := size()
		for len(body) > 0 {
			k := min(n, len(body))
			w.Write(body[:k])
			w.(http.Flusher).Flush()
			body = body[k:]
		}
	})
}

// TestWARCAuditPayloadDigestOfChunkedResponses: the auditor crawls a server that
// streams its pages with Transfer-Encoding: chunked (most dynamic sites,
// PHP behind nginx among them) and checks WARC-Payload-Digest against the
// payload as WARC 1.1 defines it for an HTTP response: "its entity-body
// (per RFC 2616), with any transfer-encoding removed" (6.3.2). tulieu
// digests the chunk framing with it (crawler/recorder.go: "chunked framing
// included, as Heritrix and wget do" — Heritrix has since fixed this as a
// bug, heritrix3#769, after iipc/warc-specifications#22 settled it; and
// warc.Exchange.PayloadDigest itself says "after transfer decoding").
// So the digest of a page depends on how the server happened to cut it:
// the same page served in other chunks gets another digest, is stored
// again in full instead of as an identical-payload-digest revisit, and an
// archive that deduplicates by digest across crawlers (Heritrix, Browsertrix,
// warcprox all digest the de-chunked body) never matches it; a validator
// following the spec reports every such record as corrupt.
func TestWARCAuditPayloadDigestOfChunkedResponses(t *testing.T) {
	site := fixturesite.New(fixturesite.Options{})
	night := 1
	srv := httptest.NewServer(warcAuditChunked(site, func() int { return 1000 * night }))
	defer srv.Close()
	data := t.TempDir()
	warcAuditCrawl(t, data, srv.URL+"/")
	night = 2 // the same pages, cut into other chunks
	warcAuditCrawl(t, data, srv.URL+"/")

	var chunked, wrong int
	var example string
	stored := map[string]int{} // target and entity-body digest -> full responses of them
	for _, rec := range warcAuditArchive(t, data) {
		typ := rec.get("WARC-Type")
		if typ != "response" && typ != "revisit" {
			continue
		}
		head, body, _ := bytes.Cut(rec.Block, []byte("\r\n\r\n"))
		if !bytes.Contains(bytes.ToLower(head), []byte("transfer-encoding: chunked")) {
			continue
		}
		if typ != "response" || rec.get("WARC-Truncated") != "" {
			continue
		}
		chunked++
		payload, ok := warcAuditDechunk(body)
		if !ok {
			t.Fatalf("%s: chunked body does not parse", rec.get("WARC-Target-URI"))
		}
		if bytes.HasPrefix(head, []byte("HTTP/1.1 200")) {
			// (Only a 200 is stored as an identical-payload revisit;
			// a redirect's few bytes are kept whole every night.)
			stored[rec.get("WARC-Target-URI")+" "+warcAuditSHA1(payload)]++
		}
		if got, want := rec.get("WARC-Payload-Digest"), warcAuditSHA1(payload); got != want {
			wrong++
			if example == "" {
				example = rec.get("WARC-Target-URI") + ": WARC-Payload-Digest " + got + ", the entity-body's " + want +
					" (" + warcAuditSHA1(body) + " is the chunked framing's)"
			}
		}
	}
	if chunked == 0 {
		t.Fatal("no chunked response: the test proves nothing")
	}
	if wrong > 0 {
		t.Errorf("%d of %d chunked responses carry a payload digest that is not their payload's; e.g. %s", wrong, chunked, example)
	}
	twice := 0
	for _, n := range stored {
		if n > 1 {
			twice++
		}
	}
	if twice > 0 {
		t.Errorf("%d pages whose payload had not changed were stored whole a second time (not as revisits) because the server cut them into other chunks", twice)
	}
}

// TestWARCAuditTruncatedOnlyWhenCut: the auditor crawls with --max-body-size
// 5000 a page whose body is 5100 bytes, sent in one piece, and opens its
// response record. It is marked "WARC-Truncated: length" and carries no
// WARC-Payload-Digest — yet its block holds the whole body, all 5100 bytes
// the Content-Length announced: the recorder archives every byte the
// transport read off the socket (its read-ahead buffer included), while the
// flag is set because the crawler's own reading stopped at the limit. A
// whole record is thus declared partial (WARC 1.1 5.13: WARC-Truncated
// says the block was cut), a QA pass or a replay tool that honours the
// flag sets aside a complete capture, and the record has no payload digest
// to deduplicate or verify by. The record should hold what the flag says:
// either cut at the limit and marked, or whole, unmarked, with its digest.
func TestWARCAuditTruncatedOnlyWhenCut(t *testing.T) {
	page := []byte("<!DOCTYPE html><html><head><title>Trang dài</title></head><body><p>" +
		strings.Repeat("Đảng bộ Khối ", 200))
	page = append(page, strings.Repeat("x", 5100-len(page)-len("</p></body></html>"))+"</p></body></html>"...)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(page)))
		w.Write(page)
	}))
	defer srv.Close()
	data := t.TempDir()
	run(t, data, "crawl", "--site", srv.URL+"/", "--delay", "0", "--max-body-size", "5000")

	var seen bool
	for _, rec := range warcAuditArchive(t, data) {
		if rec.get("WARC-Type") != "response" || rec.get("WARC-Target-URI") != srv.URL+"/" {
			continue
		}
		seen = true
		_, body, _ := bytes.Cut(rec.Block, []byte("\r\n\r\n"))
		if rec.get("WARC-Truncated") != "" && len(body) == len(page) {
			t.Errorf("the record holds the whole %d-byte body, yet says WARC-Truncated: %s and has no payload digest (%q)",
				len(body), rec.get("WARC-Truncated"), rec.get("WARC-Payload-Digest"))
		}
		if rec.get("WARC-Truncated") == "" && len(body) < len(page) {
			t.Errorf("the record holds %d of %d bytes but is not marked truncated", len(body), len(page))
		}
	}
	if !seen {
		t.Fatal("the page was not archived")
	}
}

// TestWARCAuditProxyPasswordNotArchived: the auditor's institution crawls
// through its HTTP proxy, as `tulieu crawl --help` shows it done:
// --proxy http://user:pass@proxy:3128. Every request record of the
// http:// site then holds "Proxy-Authorization: Basic dXNlcjpwYXNz…", the
// operator's proxy password in clear base64, in files that are never
// rewritten, are copied into every `export --format warc`/wacz handed to
// a researcher, and are kept for decades. The hop-by-hop credentials meant
// for the proxy are not part of the request to the site: the request
// record should not carry them (leave the header out of the record, or at
// the very least say in the README and the flag's help that it is kept).
func TestWARCAuditProxyPasswordNotArchived(t *testing.T) {
	_, site := fixturesite.Start(t, fixturesite.Options{})
	var authSeen atomic.Bool
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Proxy-Authorization") != "" {
			authSeen.Store(true)
		}
		out, _ := http.NewRequest(r.Method, r.URL.String(), nil)
		for k, v := range r.Header {
			if k != "Proxy-Authorization" && k != "Proxy-Connection" {
				out.Header[k] = v
			}
		}
		resp, err := http.DefaultTransport.RoundTrip(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}))
	defer proxy.Close()
	data := t.TempDir()
	warcAuditCrawl(t, data, site.URL+"/", "--proxy", "http://archivist:s3cret-proxy-pw@"+strings.TrimPrefix(proxy.URL, "http://"))
	if !authSeen.Load() {
		t.Fatal("the proxy was not asked with credentials: the test proves nothing")
	}
	secret := "YXJjaGl2aXN0OnMzY3JldC1wcm94eS1wdw==" // base64("archivist:s3cret-proxy-pw")
	var n, requests int
	for _, rec := range warcAuditArchive(t, data) {
		if rec.get("WARC-Type") != "request" {
			continue
		}
		requests++
		if bytes.Contains(rec.Block, []byte(secret)) {
			n++
		}
	}
	if n > 0 {
		t.Errorf("%d of %d request records hold the proxy's credentials (Proxy-Authorization: Basic %s)", n, requests, secret)
	}
}
