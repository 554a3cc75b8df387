package crawler

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/http/httpproxy"

	"tulieu/extract"
	"tulieu/store"
	"tulieu/warc"
)

// keyHeader carries colly's request id from OnRequest to the recorder, which
// removes it before anything is sent: it is how a response's WARC location
// and capture id find their way back to the callback that parses the page.
const keyHeader = "X-Tulieu-Request-Key"

// Archive is where exchanges are written; *warc.Writer is one.
type Archive interface {
	WriteExchange(warc.Exchange) (warc.Location, error)
}

// hop is one HTTP exchange of a fetch (a fetch has several when it is
// redirected), as the crawler needs it after the recorder is done.
type hop struct {
	URL       string
	Header    http.Header
	Body      []byte // decoded payload (content-encoding removed), possibly cut at the limit
	Truncated string // why Body was cut ("length", "time"…), "" when whole
	// Undecodable says why the body's Content-Encoding could not be
	// removed (Body then holds it as sent); "" when it could, or there
	// was none.
	Undecodable string
	// File, instead of Body, holds the payload of a document too large to
	// keep in memory; the handler closes it (removing the file).
	File      *spool
	CaptureID int64 // 0 when the fetch got no response
	// Kind is the capture's kind when the recorder knows it: for a 304,
	// the kind of the capture it revalidated.
	Kind string
	// PageCaptureID is the response capture whose record holds the
	// payload: CaptureID, or for a revisit (a 200 of identical bytes, a
	// 304) the capture it refers to; 0 when not known or no response.
	PageCaptureID int64
	// Requisites, for a 304, are those recorded with the page it
	// revalidated, as the catalog gave them before the request
	// (store.Revalidation), when it had them.
	Requisites pageRequisites
	At         time.Time
}

// tapConn records every byte read from and written to a connection, one
// exchange after another: a connection is kept alive and reused, and
// HTTP/1.1 without pipelining (Go's transport never pipelines) sends a
// request, then reads its whole response, before the next request is
// written. So the bytes written after a response has begun start the
// next exchange, and every byte read belongs to the latest one.
type tapConn struct {
	net.Conn
	mu sync.Mutex
	// exchanges not yet taken, oldest first; the first is number first
	// of the connection's exchanges, and begun of them have begun.
	exchanges []*tapExchange
	first     int
	begun     int
	spoolDir  string // for the received bytes of a large response
}

// tapExchange is one request and its response as they crossed the wire.
type tapExchange struct {
	sent     bytes.Buffer
	received *spool // nil until the response's first byte
	taken    bool
}

// next is the number of the exchange the next request written will
// begin. The transport hands a connection to one request at a time
// (httptrace GotConn), so that request's is the next one.
func (c *tapConn) next() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.begun
}

func (c *tapConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.mu.Lock()
		if k := len(c.exchanges); k > 0 && !c.exchanges[k-1].taken {
			x := c.exchanges[k-1]
			if x.received == nil {
				x.received = &spool{dir: c.spoolDir}
			}
			x.received.Write(p[:n])
		}
		// Else bytes no request asked for (the exchange they answer was
		// given up): not recorded.
		c.mu.Unlock()
	}
	return n, err
}

func (c *tapConn) Write(p []byte) (int, error) {
	// The exchange begins before the bytes leave: the answer may be read
	// (by the transport's reading goroutine) before Write returns, and
	// must find its exchange.
	c.mu.Lock()
	k := len(c.exchanges)
	if k == 0 || c.exchanges[k-1].received != nil || c.exchanges[k-1].taken {
		c.exchanges = append(c.exchanges, &tapExchange{})
		c.begun++
		k++
	}
	// And the request is recorded before it leaves too: the whole answer
	// may be read, and the exchange taken, before Write returns. What
	// was not sent after all is cut again.
	x := c.exchanges[k-1]
	x.sent.Write(p)
	c.mu.Unlock()
	n, err := c.Conn.Write(p)
	if n < len(p) {
		c.mu.Lock()
		x.sent.Truncate(x.sent.Len() - (len(p) - n))
		c.mu.Unlock()
	}
	return n, err
}

// exchange returns exchange i and marks it taken (nil if it never began
// or was taken), dropping the taken ones at the front.
func (c *tapConn) exchange(i int) *tapExchange {
	var x *tapExchange
	if j := i - c.first; j >= 0 && j < len(c.exchanges) && !c.exchanges[j].taken {
		x = c.exchanges[j]
		x.taken = true
	}
	for len(c.exchanges) > 0 && c.exchanges[0].taken {
		c.exchanges[0] = nil
		c.exchanges = c.exchanges[1:]
		c.first++
	}
	return x
}

// discard drops exchange i's response bytes if nobody took them
// (removing a spool file).
func (c *tapConn) discard(i int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if x := c.exchange(i); x != nil && x.received != nil {
		x.received.Close()
	}
}

// take hands over exchange i's bytes: the request as sent, and the
// response as received (the caller closes it).
func (c *tapConn) take(i int) (sent []byte, received *spool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	x := c.exchange(i)
	if x == nil {
		return nil, &spool{dir: c.spoolDir}
	}
	if x.received == nil {
		x.received = &spool{dir: c.spoolDir}
	}
	return bytes.Clone(x.sent.Bytes()), x.received
}

// proxyFunc is the proxy of a URL: always p when set, else the
// environment's (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), read once.
func proxyFunc(p *url.URL) func(*url.URL) (*url.URL, error) {
	if p != nil {
		return func(*url.URL) (*url.URL, error) { return p, nil }
	}
	return httpproxy.FromEnvironment().ProxyFunc()
}

// dialThrough opens a tunnel to addr through an HTTP proxy (CONNECT),
// with the proxy URL's user and password as basic authentication.
func dialThrough(ctx context.Context, dial func(context.Context, string, string) (net.Conn, error), proxy *url.URL, addr string) (net.Conn, error) {
	proxyAddr := proxy.Host
	if proxy.Port() == "" {
		port := "80"
		if proxy.Scheme == "https" {
			port = "443"
		}
		proxyAddr = net.JoinHostPort(proxy.Hostname(), port)
	}
	if proxy.Scheme != "http" && proxy.Scheme != "" {
		return nil, fmt.Errorf("proxy %s: only http:// proxies are supported", proxy.Redacted())
	}
	c, err := dial(ctx, "tcp", proxyAddr)
	if err != nil {
		return nil, fmt.Errorf("proxy %s: %w", proxy.Redacted(), err)
	}
	req := &http.Request{Method: http.MethodConnect, URL: &url.URL{Opaque: addr}, Host: addr, Header: http.Header{}}
	if u := proxy.User; u != nil {
		pw, _ := u.Password()
		req.Header.Set("Proxy-Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(u.Username()+":"+pw)))
	}
	if err := req.Write(c); err != nil {
		c.Close()
		return nil, fmt.Errorf("proxy %s: CONNECT %s: %w", proxy.Redacted(), addr, err)
	}
	// The server says nothing before the client's TLS hello, so the reader
	// cannot take bytes that belong to the tunnel.
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("proxy %s: CONNECT %s: %w", proxy.Redacted(), addr, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		c.Close()
		return nil, fmt.Errorf("proxy %s: CONNECT %s: %s", proxy.Redacted(), addr, resp.Status)
	}
	if br.Buffered() > 0 {
		c.Close()
		return nil, fmt.Errorf("proxy %s: CONNECT %s: the proxy sent data before the tunnel opened", proxy.Redacted(), addr)
	}
	return c, nil
}

// recorder is the crawler's http.RoundTripper.
type recorder struct {
	base      *http.Transport
	archive   Archive
	catalog   Catalog
	runID     int64
	maxBody   int64
	maxAttach int64
	maxReq    int64 // page requisites (images, stylesheets)
	timeout   time.Duration
	counts    *counters
	slots     *hostSlots
	turns     turnTaker // nil: no delay between requests
	// copyBuffers are the buffers a response's body is read through
	// into its spool: io.Copy made a new 32 KiB one for every response
	// (neither side has a ReadFrom or WriteTo), 5 % of a crawl's
	// allocations. (A zero Pool makes none: see copyBuffer.)
	copyBuffers sync.Pool
	mu          sync.Mutex
	pending     map[string][]hop // request key -> its exchanges, until the callback takes them
	known       map[string]known // request key -> the last good capture OnRequest found
	logf        func(msg string, args ...any)
	spoolDir    string // Options.SpoolDir
}

func newRecorder(archive Archive, catalog Catalog, runID int64, o *Options, counts *counters, logf func(string, ...any)) *recorder {
	// The transport's dialers keep what they capture alive as long as an
	// idle connection lives, after the crawl too: a copy of the options,
	// not a pointer into the run's (which held the whole run, its queues
	// and sets, 26 MB at 50 000 pages, while the index caught up).
	oc := *o
	o = &oc
	r := &recorder{archive: archive, catalog: catalog, runID: runID, maxBody: o.MaxBodySize,
		maxAttach: o.MaxAttachmentSize, maxReq: o.MaxRequisiteSize, timeout: o.Timeout, counts: counts, logf: logf, pending: map[string][]hop{},
		known: map[string]known{}, slots: newHostSlots(o.Parallel), spoolDir: o.SpoolDir}
	dialer := &net.Dialer{Timeout: o.Timeout}
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		// Bounds the connection's set-up (and TLS handshake); each
		// exchange then gets a deadline of its own (RoundTrip).
		c.SetDeadline(time.Now().Add(o.Timeout))
		return c, nil
	}
	proxyFor := proxyFunc(o.Proxy)
	r.base = &http.Transport{
		// http:// goes through the proxy as a forward request; https://
		// is tunnelled by DialTLSContext itself, because the transport's
		// own CONNECT would put TLS above the tap and leave the archive
		// nothing but ciphertext.
		Proxy: func(req *http.Request) (*url.URL, error) {
			if req.URL.Scheme == "https" {
				return nil, nil
			}
			return proxyFor(req.URL)
		},
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dial(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &tapConn{Conn: c, spoolDir: o.SpoolDir}, nil
		},
		DialTLSContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			proxy, err := proxyFor(&url.URL{Scheme: "https", Host: addr})
			if err != nil {
				return nil, err
			}
			var c net.Conn
			if proxy != nil {
				c, err = dialThrough(ctx, dial, proxy, addr)
			} else {
				c, err = dial(ctx, network, addr)
			}
			if err != nil {
				return nil, err
			}
			host, _, _ := net.SplitHostPort(addr)
			cfg := &tls.Config{}
			if o.TLS != nil {
				cfg = o.TLS.Clone()
			}
			cfg.ServerName = host
			tc := tls.Client(c, cfg)
			if err := tc.HandshakeContext(ctx); err != nil {
				c.Close()
				return nil, err
			}
			// The tap sits above TLS so the archive holds plain HTTP.
			return &tapConn{Conn: tc, spoolDir: o.SpoolDir}, nil
		},
		// Connections are kept alive and reused (tapConn tells their
		// exchanges apart): a new TCP connection per request, and on
		// HTTPS a handshake, cost 13 % of a re-crawl's CPU, and a polite
		// crawler does not open one per page. One idle connection per
		// request that may be in flight to a host.
		MaxIdleConnsPerHost:    max(2, o.Parallel),
		IdleConnTimeout:        30 * time.Second,
		DisableCompression:     true, // we ask for gzip ourselves and keep the compressed bytes in the archive
		ResponseHeaderTimeout:  o.Timeout,
		MaxResponseHeaderBytes: 1 << 20,
	}
	return r
}

// isAttachmentURL: the crawler gives attached documents their own size
// limit; what counts as one is the extractor's list.
func isAttachmentURL(u string) bool { return extract.IsAttachmentURL(u) }

func (r *recorder) take(key string) []hop {
	r.mu.Lock()
	defer r.mu.Unlock()
	hops := r.pending[key]
	delete(r.pending, key)
	delete(r.known, key)
	return hops
}

// known is what the catalog had of a URL when its request was made.
type known struct {
	url        string
	prev       *store.Capture // nil: never captured well
	requisites pageRequisites // those recorded with prev's page
	requisite  bool           // a page requisite: its own size limit and capture kind, for every hop
}

// pageRequisites are the requisites recorded with a page's capture
// (store.RequisitesOfPage): none known unless recorded.
type pageRequisites struct {
	urls     []string
	recorded bool
}

// expect hands over the last good capture of the URL a request is for,
// and the requisites recorded with its page, so that they are looked up
// once per fetch, not again by the recorder or after a 304.
func (r *recorder) expect(key, url string, prev *store.Capture, requisites pageRequisites) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.known[key] = known{url: url, prev: prev, requisites: requisites}
}

// expectRequisite is expect for a page requisite.
func (r *recorder) expectRequisite(key, url string, prev *store.Capture) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.known[key] = known{url: url, prev: prev, requisite: true}
}

// isRequisite says whether the request with this key fetches a requisite.
func (r *recorder) isRequisite(key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.known[key].requisite
}

func (r *recorder) put(key string, h hop) {
	if key == "" {
		return // robots.txt: archived and recorded, but no callback waits for it
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pending[key] = append(r.pending[key], h)
}

// RoundTrip fetches, archives and returns the response with its body
// decoded and in memory.
func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	key := req.Header.Get(keyHeader)
	var tap *tapConn
	var exchange int // which of the connection's exchanges is this request's
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		tap, _ = info.Conn.(*tapConn)
		if tap != nil {
			exchange = tap.next()
			// This deadline bounds the whole exchange, so a server that
			// sends headers and then stalls cannot hold a crawl slot
			// past the timeout.
			tap.SetDeadline(time.Now().Add(r.timeout))
		}
	}}
	out := req.Clone(httptrace.WithClientTrace(req.Context(), trace))
	out.Header.Del(keyHeader)
	if out.Header.Get("Accept-Encoding") == "" {
		out.Header.Set("Accept-Encoding", "gzip")
	}
	target := req.URL.String()
	requisite := r.isRequisite(key)
	// At most --parallel requests are in flight to a server, whoever
	// makes them: colly bounds its pages, and requisites fetched beside
	// them must not add to the load on a server. The turn is taken with
	// the slot in hand, so that the delay separates the requests that
	// start, however long they queued for a slot.
	release, err := r.slots.acquire(req.Context(), req.URL)
	if err == nil && r.turns != nil {
		if err = r.turns.wait(req.Context(), req.URL); err != nil {
			release()
		}
	}
	if err != nil {
		r.failed(req.Context(), key, target, time.Now().UTC(), err)
		return nil, err
	}
	// The slot is the server's: it is given back as soon as the
	// response is read, not once it is archived and recorded, so that
	// the next request to the server goes while this one's record is
	// written (the re-crawl of 304s waited on each page's WARC write and
	// catalog commit with its slot in hand).
	freeSlot := sync.OnceFunc(release)
	defer freeSlot()
	at := time.Now().UTC()
	resp, err := r.base.RoundTrip(out)
	if err != nil {
		r.finished(req.URL, nil)
		r.failed(req.Context(), key, target, at, err)
		return nil, err
	}
	limit := r.maxBody
	switch {
	case requisite:
		limit = r.maxReq
	case isAttachmentURL(target):
		limit = r.maxAttach
	}
	// Read the entity body as sent (content-encoded), up to the limit,
	// into a spool: memory for pages, a temporary file past spillAt.
	entity := &spool{dir: r.spoolDir}
	buf := r.copyBuffer()
	_, readErr := io.CopyBuffer(entity, io.LimitReader(resp.Body, limit+1), *buf)
	r.copyBuffers.Put(buf)
	resp.Body.Close()
	r.finished(req.URL, resp)
	freeSlot()
	if tap != nil {
		defer tap.discard(exchange) // what an early return leaves; nothing once taken below
	}
	truncated := ""
	switch {
	case entity.err != nil:
		entity.Close()
		err := fmt.Errorf("keep the response of %s: %w", target, entity.err)
		r.failed(req.Context(), key, target, at, err)
		return nil, err
	case entity.Len() > limit:
		entity.Truncate(limit)
		truncated = "length"
	case readErr != nil && isTimeout(readErr):
		truncated = "time"
	case readErr != nil:
		truncated = "disconnect"
	}
	if tap == nil {
		entity.Close()
		err := errors.New("internal: the connection was not tapped")
		r.failed(req.Context(), key, target, at, err)
		return nil, err
	}
	sent, received := tap.take(exchange)
	sent = withoutProxyCredentials(sent)
	defer received.Close()
	r.counts.bytes.Add(received.Len())

	// The payload digest, as WARC 1.1 (6.3.2) defines the payload: the
	// entity body with any transfer encoding removed (chunked framing is
	// not part of it; the content encoding is), as Heritrix and wget-lua
	// compute it. The same page sent in other chunks has the same digest,
	// so it is found unchanged (an identical-payload revisit).
	payloadDigest := ""
	if truncated == "" && entity.err == nil {
		if d, err := warc.PayloadDigestOf(entity.Reader()); err == nil {
			payloadDigest = d
		}
	}

	// The payload: the entity with its content encoding removed, kept
	// as the entity is (the same spool when there is no encoding).
	payload := entity
	decodeTrunc := false
	undecodable := ""
	// A 304 (or 204) has no body to decode, though its headers may
	// repeat the Content-Encoding of the entity it stands for.
	if enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); enc != "" && enc != "identity" && entity.Len() > 0 {
		decoded := &spool{dir: r.spoolDir}
		cut, decErr := warc.DecodeContentTo(decoded, entity.Reader(), enc, limit)
		if errors.Is(decErr, warc.ErrCutStream) && truncated != "" {
			// The transfer was cut (time, size, a dropped connection):
			// its stream with it. What arrived is kept, marked cut.
			decErr = nil
		}
		if decErr != nil || decoded.err != nil {
			undecodable = fmt.Sprintf("its %s Content-Encoding could not be removed: %v", enc, errors.Join(decErr, decoded.err))
			decoded.Close()
		} else {
			if cut {
				decoded.Truncate(limit) // it holds one byte past the limit
			}
			payload, decodeTrunc = decoded, cut
			entity.Close()
		}
	}
	keepPayload := false // handed to the page handler (a large attachment)
	defer func() {
		if !keepPayload {
			payload.Close()
		}
	}()
	entityLen := entity.Len()
	// The response is the final one: interim answers ("103 Early Hints")
	// that came before it are not the response, and every WARC reader
	// takes a record's first HTTP head for it (status 103, the 200's head
	// as its body). They are left out.
	start := received.Head(1 << 20)
	interim := interimLen(start)
	head := headerPart(start[interim:])
	if truncated == "length" {
		// The record holds what its WARC-Truncated says: the body cut at
		// the limit, not whatever the transport read ahead past it (a
		// whole 5 100-byte page marked cut at 5 000, without its digest).
		received.Truncate(int64(interim+len(head)) + limit)
	}
	// response reads the response as archived: from the final head on.
	response := func() io.Reader {
		rd := received.Reader()
		io.CopyN(io.Discard, rd, int64(interim))
		return rd
	}
	ex := warc.Exchange{
		TargetURI:      target,
		Date:           at,
		Request:        sent,
		ResponseReader: response(),
		Truncated:      truncated,
	}
	if resp.StatusCode == http.StatusNotModified || !received.Spilled() && received.Len() < 1<<20 {
		// Small: whole in memory (a 304 is archived whole as a revisit).
		b, err := received.Bytes()
		if err != nil {
			r.failed(req.Context(), key, target, at, err)
			return nil, err
		}
		ex.Response, ex.ResponseReader = b[interim:], nil
	}
	ex.PayloadDigest = payloadDigest
	if addr := tap.RemoteAddr(); addr != nil {
		if host, _, err := net.SplitHostPort(addr.String()); err == nil {
			ex.IP = host
		}
	}
	ctx := context.WithoutCancel(req.Context())
	recordType := "response"
	prev, requisites := r.previous(ctx, key, target)
	if prev != nil {
		switch {
		case resp.StatusCode == http.StatusNotModified:
			// It refers to the record holding the payload (WARC 1.1
			// 6.7.3): the last capture's, or, that capture being a
			// revisit itself, the one it refers to; never a chain that
			// grows a revisit every night.
			ref := warc.Revisit{Profile: warc.ProfileServerNotModified, RefersToURI: prev.URL, RefersToDate: prev.FetchedAt, RefersToRecord: prev.WARCRecordID}
			if p := prev.PayloadRecord; prev.RecordType == "revisit" && p != nil {
				ref.RefersToURI, ref.RefersToDate, ref.RefersToRecord = p.URL, p.FetchedAt, p.RecordID
			}
			ex.Revisit = &ref
		case resp.StatusCode == http.StatusOK && truncated == "" && prev.RecordType == "response" && prev.PayloadDigest == ex.PayloadDigest:
			// Same bytes as last time: keep the headers, point at the payload.
			ex.Revisit = &warc.Revisit{Profile: warc.ProfileIdenticalPayloadDigest, RefersToURI: prev.URL, RefersToDate: prev.FetchedAt, RefersToRecord: prev.WARCRecordID}
			ex.Response, ex.ResponseReader = head, nil
		}
		if ex.Revisit != nil {
			recordType = "revisit"
			if ex.PayloadDigest == "" || resp.StatusCode == http.StatusNotModified {
				ex.PayloadDigest = prev.PayloadDigest
			}
		}
	}
	loc, werr := r.archive.WriteExchange(ex)
	if werr != nil {
		// Losing the archive write is fatal for this page: never record
		// a capture that points nowhere.
		err := fmt.Errorf("archive %s: %w", target, werr)
		r.failed(req.Context(), key, target, at, err)
		return nil, err
	}
	if truncated == "" && decodeTrunc {
		truncated = "length"
	}
	c := &store.Capture{
		RunID: r.runID, URL: target, FetchedAt: at, Status: resp.StatusCode,
		ContentType: resp.Header.Get("Content-Type"), Length: entityLen, PayloadDigest: ex.PayloadDigest,
		ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"), Location: resp.Header.Get("Location"),
		RecordType: recordType, WARCFile: loc.File, WARCOffset: loc.Offset, WARCLength: loc.Length, WARCRecordID: loc.RecordID,
		Truncated: truncated,
	}
	if recordType == "revisit" {
		// Where its payload is: the capture it refers to, or the one
		// that capture, itself a revisit, names.
		c.PayloadCaptureID = prev.ID
		if prev.RecordType == "revisit" {
			c.PayloadCaptureID = prev.PayloadCaptureID
		}
	}
	if resp.StatusCode == http.StatusNotModified && prev != nil {
		// A 304 revalidates the capture it refers to: it is the same page,
		// and its validators stand unless the answer gives new ones. The
		// next run's conditional request is built from this capture.
		c.Kind, c.ContentType = prev.Kind, prev.ContentType
		if c.ETag == "" {
			c.ETag = prev.ETag
		}
		if c.LastModified == "" {
			c.LastModified = prev.LastModified
		}
	}
	if requisite {
		c.Kind = store.KindRequisite // redirect hops too: none of them is a page
	}
	if _, err := r.catalog.AddCapture(ctx, c); err != nil {
		return nil, fmt.Errorf("record capture of %s: %w", target, err)
	}
	r.counts.fetched.Add(1)

	h := hop{URL: target, Header: resp.Header.Clone(), Truncated: truncated, Undecodable: undecodable, CaptureID: c.ID, Kind: c.Kind, At: at}
	// The response capture holding the page: this one, or the one this
	// revisit names (0 for a 304 when the capture it revalidated did not
	// say).
	h.PageCaptureID = c.PayloadCaptureID
	if recordType == "response" {
		h.PageCaptureID = c.ID
	}
	if resp.StatusCode == http.StatusNotModified && prev != nil {
		h.Requisites = requisites // the page revalidated is prev's
	}
	var body []byte
	if payload.Spilled() && isAttachmentURL(target) {
		// A large document stays in its file for the handler, which
		// reads its text from there and removes it; colly gets nothing
		// to hold.
		h.File, keepPayload = payload, true
	} else {
		b, err := payload.Bytes()
		if err != nil {
			r.failed(req.Context(), key, target, at, err)
			return nil, err
		}
		body = b
		h.Body = b
	}
	r.put(key, h)

	// Colly gets the decoded body; the archive kept the bytes as sent.
	// The charset is taken off the Content-Type colly sees, or colly would
	// convert the body itself (and drop the page on a charset it does not
	// know): the extractor decodes from the hop, which keeps the header.
	if mt, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err == nil && params["charset"] != "" {
		resp.Header.Set("Content-Type", mt)
	}
	resp.Header.Del("Content-Encoding")
	resp.Header.Del("Content-Length")
	resp.ContentLength = int64(len(body))
	resp.Uncompressed = true
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// copyBuffer is a buffer of r.copyBuffers, or a new one.
func (r *recorder) copyBuffer() *[]byte {
	if b, ok := r.copyBuffers.Get().(*[]byte); ok {
		return b
	}
	b := make([]byte, 32<<10)
	return &b
}

// previous is the last good capture of url, if any: the one OnRequest
// found for this request, with the requisites of its page, or (robots.txt,
// redirect hops) a fresh look-up, without them.
func (r *recorder) previous(ctx context.Context, key, url string) (*store.Capture, pageRequisites) {
	r.mu.Lock()
	k, ok := r.known[key]
	r.mu.Unlock()
	if ok && k.url == url {
		return k.prev, k.requisites
	}
	prev, err := r.catalog.LastGoodCapture(ctx, url)
	if err != nil {
		return nil, pageRequisites{}
	}
	return prev, pageRequisites{}
}

// failed records a fetch that got no response.
func (r *recorder) failed(ctx context.Context, key, target string, at time.Time, err error) {
	if errors.Is(err, context.Canceled) || ctx.Err() != nil {
		// An interrupted crawl is not a site error.
		r.put(key, hop{URL: target, At: at})
		return
	}
	c := &store.Capture{RunID: r.runID, URL: target, FetchedAt: at, Error: err.Error()}
	if r.isRequisite(key) {
		c.Kind = store.KindRequisite
	}
	if _, cerr := r.catalog.AddCapture(context.WithoutCancel(ctx), c); cerr != nil {
		r.logf("could not record failed capture", "url", target, "err", cerr)
	}
	r.put(key, hop{URL: target, At: at, CaptureID: c.ID})
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout() || errors.Is(err, os.ErrDeadlineExceeded)
}

// withoutProxyCredentials is a request as sent, less its
// Proxy-Authorization header: a plain-http request through a proxy
// carries the operator's proxy password (--proxy http://user:pass@…),
// which has no place in WARC files that are kept for ever and exported.
func withoutProxyCredentials(sent []byte) []byte {
	end := bytes.Index(sent, []byte("\r\n\r\n"))
	if end < 0 || !bytes.Contains(bytes.ToLower(sent[:end]), []byte("\r\nproxy-authorization:")) {
		return sent
	}
	var out bytes.Buffer
	out.Grow(len(sent))
	for i, line := range bytes.SplitAfter(sent[:end+2], []byte("\r\n")) {
		if i > 0 && bytes.HasPrefix(bytes.ToLower(line), []byte("proxy-authorization:")) {
			continue
		}
		out.Write(line)
	}
	out.Write(sent[end+2:])
	return out.Bytes()
}

// interimLen is the length of the interim (1xx) answers at the start of
// a raw HTTP response, before the final one; 101 Switching Protocols is
// final.
func interimLen(raw []byte) int {
	n := 0
	for {
		rest := raw[n:]
		// "HTTP/1.1 103 …": the status code after the first space.
		sp := bytes.IndexByte(rest, ' ')
		if sp < 0 || len(rest) < sp+4 || rest[sp+1] != '1' || string(rest[sp+1:sp+4]) == "101" || !bytes.HasPrefix(rest, []byte("HTTP/")) {
			return n
		}
		end := bytes.Index(rest, []byte("\r\n\r\n"))
		if end < 0 {
			return n
		}
		n += end + 4
	}
}

// headerPart is the status line and headers of a raw HTTP response.
func headerPart(raw []byte) []byte {
	if i := bytes.Index(raw, []byte("\r\n\r\n")); i >= 0 {
		return raw[:i+4]
	}
	return raw
}

// turnTaker spaces the requests to a server (politeness).
type turnTaker interface {
	wait(ctx context.Context, u *url.URL) error // until a request to u may start
	// finished: a request to u has ended, with resp (nil when it
	// failed); a 429 or 503 with Retry-After pauses the server from now,
	// before its slot is given to the next request.
	finished(u *url.URL, resp *http.Response)
}

func (r *recorder) finished(u *url.URL, resp *http.Response) {
	if r.turns != nil {
		r.turns.finished(u, resp)
	}
}

// hostSlots bounds the requests in flight to each server.
type hostSlots struct {
	n  int
	mu sync.Mutex
	m  map[string]chan struct{} // serverKey -> one token per request in flight
}

func newHostSlots(n int) *hostSlots {
	return &hostSlots{n: max(n, 1), m: map[string]chan struct{}{}}
}

// acquire waits for a free slot for u's host and returns its release.
func (h *hostSlots) acquire(ctx context.Context, u *url.URL) (func(), error) {
	key := serverKey(u)
	h.mu.Lock()
	ch, ok := h.m[key]
	if !ok {
		ch = make(chan struct{}, h.n)
		h.m[key] = ch
	}
	h.mu.Unlock()
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
