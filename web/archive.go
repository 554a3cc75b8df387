package web

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"tulieu/api"
	"tulieu/extract"
	"tulieu/store"
	"tulieu/urlnorm"
	"tulieu/warc"
)

// archivedCSP is the policy of an archived page: a sandbox (an origin of
// its own, so nothing in it can reach this application; no script runs;
// no form is sent) that loads only what this server serves from the
// archive, never the live site or a third party. A sandboxed document's
// origin is opaque, which 'self' may not match, so this server's origin is
// also named as the request reached it.
//
// Behind an access token the sandbox keeps the page in this origin: a
// browser gives the reader's credentials (the basic-auth sign-in) to the
// requests of a same-origin document only, and the page's images and
// stylesheets at /raw were refused. No script can run there either: the
// sandbox allows none, the policy loads none, and the rewriting drops
// them.
func (s *Server) archivedCSP(r *http.Request) string {
	// Only /raw, where the archived page's images, stylesheets and fonts
	// are served from: a url() in the page's own <style> (which is not
	// rewritten) must not make the reader's browser, signed in, ask the
	// server's other routes (an /export of the whole archive at every
	// view). A path without a trailing slash matches that path alone,
	// whatever its query.
	self := absoluteURL(r, "/raw")
	sandbox := "sandbox"
	if s.opts.AuthToken != "" {
		sandbox = "sandbox allow-same-origin"
	}
	return sandbox + "; default-src 'none'; img-src " + self + " data:; style-src " + self + " 'unsafe-inline'; " +
		"font-src " + self + " data:; form-action 'none'; base-uri 'none'; frame-ancestors 'self'"
}

// findCapture reads ?capture=ID, or ?url=U&at=T (the capture of U nearest
// before T; the latest without T).
func (s *Server) findCapture(r *http.Request) (*store.Capture, error) {
	q := r.URL.Query()
	if v := q.Get("capture"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return nil, errBadParam("Số hiệu bản lưu không hợp lệ: cần một số nguyên dương.")
		}
		c, err := s.catalog.CaptureByID(r.Context(), id)
		if err == nil && c.WARCFile == "" {
			// A fetch that failed (a timeout, a refused connection) has
			// its row and no record: nothing to show.
			return nil, store.ErrNotFound
		}
		return c, err
	}
	u := q.Get("url")
	if u == "" || len(u) > 4096 {
		return nil, errBadParam("Thiếu địa chỉ của trang cần xem.")
	}
	at, err := archiveAt(q)
	if err != nil {
		return nil, err
	}
	return s.captureNear(r.Context(), u, at, s.catalog.CaptureNear)
}

// archiveAt reads the at= of an archive address: zero when absent. A time
// to the second (how the pages write at=, and how people cite) names that
// whole second: captures are stored to the microsecond, and the capture a
// permalink names is a fraction of a second after its whole second.
func archiveAt(q url.Values) (time.Time, error) {
	v := q.Get("at")
	if v == "" {
		return time.Time{}, nil
	}
	at, err := api.ParseInstant(v)
	if err != nil {
		return time.Time{}, errBadParam("Thời điểm không hợp lệ: cần dạng 2020-02-28T08:30:00+07:00.")
	}
	if at.Nanosecond() == 0 {
		at = at.Add(time.Second - time.Nanosecond)
	}
	return at, nil
}

// captureNear is near (CaptureNear or RedirectNear) for u, or for u
// normalized: the crawler records URLs normalized (tracking parameters
// dropped, parameters sorted…), and a link as the page wrote it may
// differ.
func (s *Server) captureNear(ctx context.Context, u string, at time.Time,
	near func(context.Context, string, time.Time) (*store.Capture, error)) (*store.Capture, error) {
	c, err := near(ctx, u, at)
	if errors.Is(err, store.ErrNotFound) {
		if n, nerr := urlnorm.Normalize(nil, u); nerr == nil && n != u {
			return near(ctx, n, at)
		}
	}
	return c, err
}

// maxArchivedRedirects bounds the redirects archivedRedirect follows, as
// a browser bounds a chain.
const maxArchivedRedirects = 10

// archivedRedirect is where a request for the archived copy of a URL
// (url=, at=) goes when the archive holds no page for that URL but a
// redirect from it: the same request for the first URL of the redirect
// chain, as the crawl followed it, that the archive holds a page of. ""
// when the chain ends without one, loops, or runs past
// maxArchivedRedirects.
func (s *Server) archivedRedirect(r *http.Request) string {
	q := r.URL.Query()
	u := q.Get("url")
	if u == "" || q.Get("capture") != "" {
		return ""
	}
	at, err := archiveAt(q)
	if err != nil {
		return ""
	}
	seen := map[string]bool{}
	for range maxArchivedRedirects {
		key := u
		if n, err := urlnorm.Normalize(nil, u); err == nil {
			key = n
		}
		if seen[key] {
			return "" // a loop: no page at its end
		}
		seen[key] = true
		c, err := s.captureNear(r.Context(), u, at, s.catalog.RedirectNear)
		if err != nil {
			return ""
		}
		base, err := url.Parse(c.URL)
		if err != nil {
			return ""
		}
		loc, err := base.Parse(c.Location)
		if err != nil || (loc.Scheme != "http" && loc.Scheme != "https") {
			return ""
		}
		u = loc.String()
		if _, err := s.captureNear(r.Context(), u, at, s.catalog.CaptureNear); err == nil {
			q.Set("url", u)
			return r.URL.Path + "?" + q.Encode()
		}
	}
	return ""
}

// badParam is a parameter of a page's address that cannot be read; its
// text is the message the page shows.
type badParam string

func (e badParam) Error() string { return string(e) }

func errBadParam(msg string) error { return badParam(msg) }

// captureOr404 finds the capture a request names, or answers.
func (s *Server) captureOr404(w http.ResponseWriter, r *http.Request) (*store.Capture, bool) {
	c, err := s.findCapture(r)
	var bp badParam
	switch {
	case errors.As(err, &bp):
		s.pageError(w, r, http.StatusBadRequest, string(bp))
		return nil, false
	case errors.Is(err, store.ErrNotFound):
		if target := s.archivedRedirect(r); target != "" {
			// The URL was archived as a redirect: on to its target's
			// copy, as the browser went when the page was crawled.
			http.Redirect(w, r, target, http.StatusFound)
			return nil, false
		}
		page := errorPage{Title: statusVi(http.StatusNotFound), Message: "Kho lưu trữ không có bản lưu của địa chỉ này."}
		if u := r.URL.Query().Get("url"); strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
			page.Address = u
		}
		s.render(w, http.StatusNotFound, "error.html", page)
		return nil, false
	case err != nil:
		s.log.Error("find capture", "err", err)
		s.pageError(w, r, http.StatusInternalServerError, "Không đọc được bản lưu.")
		return nil, false
	}
	return c, true
}

// readCapture reads a capture's body within the archive-read cap (an HTML
// page, to rewrite it).
func (s *Server) readCapture(w http.ResponseWriter, r *http.Request, c *store.Capture) (*store.ArchivedPage, bool) {
	release, err := s.archive.acquire(r.Context())
	if err != nil {
		s.pageError(w, r, http.StatusServiceUnavailable, "Máy chủ đang bận; xin thử lại sau giây lát.")
		return nil, false
	}
	defer release()
	page, truncated, err := s.catalog.ReadCapture(r.Context(), c.ID, s.opts.MaxArchiveRead)
	if err != nil {
		s.unreadableCapture(w, r, c, "read capture", err)
		return nil, false
	}
	if truncated {
		s.log.Warn("archived page cut for showing", "capture", c.ID, "limit", s.opts.MaxArchiveRead)
	}
	page.Capture = c // the capture asked for (a revisit keeps its own time)
	return page, true
}

// damagedCaptureText is what a reader is told of a capture whose record
// is damaged in the archive (warc.Damaged): the server cannot serve it
// (a 500), because of the archive's file, not of the request, and the
// administrator can do something about it.
const damagedCaptureText = "Bản lưu này bị hỏng trong kho lưu trữ: bản ghi WARC của nó không đọc được (tệp bị hỏng trên đĩa). " +
	"Quản trị viên: `tulieu check` chỉ ra chỗ hỏng, `tulieu check --repair` ghi nhận để lần thu thập sau lấy lại trang; bản sao lưu khôi phục được bản cũ."

// badlySentCaptureText is what a reader is told of a capture whose body
// cannot be decoded as its server sent it (warc.Undecodable): the record
// is whole, the bytes in it are what came.
const badlySentCaptureText = "Không giải mã được bản lưu này: máy chủ của trang đã gửi nó ở dạng nén hoặc đóng gói bị lỗi, " +
	"hoặc nén theo một kiểu tulieu không đọc được. " +
	"Bản ghi WARC vẫn nguyên vẹn và giữ đúng những byte đã nhận (`tulieu export --format warc` lấy ra được)."

// unreadableCapture answers for a capture that could not be read: a
// damaged record is said to be one (and logged as a warning: the file,
// not the server, is at fault), so is a body its server sent broken;
// anything else is a server error.
func (s *Server) unreadableCapture(w http.ResponseWriter, r *http.Request, c *store.Capture, what string, err error) {
	switch {
	case warc.Damaged(err):
		s.log.Warn(what+": the archived record is damaged", "capture", c.ID, "url", c.URL, "err", err)
		s.pageError(w, r, http.StatusInternalServerError, damagedCaptureText)
		return
	case warc.Undecodable(err):
		s.log.Warn(what+": the archived body cannot be decoded as its server sent it", "capture", c.ID, "url", c.URL, "err", err)
		s.pageError(w, r, http.StatusInternalServerError, badlySentCaptureText)
		return
	}
	s.log.Error(what, "capture", c.ID, "err", err)
	s.pageError(w, r, http.StatusInternalServerError, "Không đọc được bản lưu.")
}

// handleArchive shows a capture as archived: an HTML page with its images
// and stylesheets from the archive and a banner saying when it was
// captured; anything else as /raw serves it.
func (s *Server) handleArchive(w http.ResponseWriter, r *http.Request) {
	c, ok := s.captureOr404(w, r)
	if !ok {
		return
	}
	// A revisit's row may not say what it is; the record it refers to does.
	pc, err := s.catalog.PayloadCapture(r.Context(), c.ID)
	if err != nil {
		s.log.Error("payload capture", "capture", c.ID, "err", err)
		s.pageError(w, r, http.StatusInternalServerError, "Không đọc được bản lưu.")
		return
	}
	// (A page sent without a Content-Type is HTML if the crawler read it
	// as a page.)
	page := pc.ContentType == "" && (c.Kind == store.KindArticle || c.Kind == store.KindPage || c.Kind == "listing")
	if !isHTML(pc.ContentType) && !page || pc.Length > s.opts.MaxArchiveRead {
		// Not a page, or too large a one to parse here: its bytes, as
		// /raw serves them (HTML as a download).
		s.streamCapture(w, r, c)
		return
	}
	if notModified(w, r, c) {
		return
	}
	archived, ok := s.readCapture(w, r, c)
	if !ok {
		return
	}
	out, err := rewriteDocument(archived)
	if err != nil {
		s.log.Warn("archived page", "capture", c.ID, "err", err)
		s.streamCapture(w, r, c)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", s.archivedCSP(r))
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.Write(out)
}

// notModified sets how a client may keep a capture's answer, and answers
// 304 when the client holds it already. A capture named by its number
// (capture=N) never changes. The copy of an address (url=, with or without
// at=) may be another capture after the next crawl: a cache must ask
// again every time (no-cache; it kept the old copy for a day, unasked),
// and the ETag, the capture's number, makes asking cheap.
func notModified(w http.ResponseWriter, r *http.Request, c *store.Capture) bool {
	h := w.Header()
	etag := fmt.Sprintf(`W/"capture-%d"`, c.ID)
	h.Set("ETag", etag)
	if r.URL.Query().Get("capture") != "" {
		h.Set("Cache-Control", "private, max-age=86400")
	} else {
		h.Set("Cache-Control", "private, no-cache")
	}
	for _, tag := range strings.Split(r.Header.Get("If-None-Match"), ",") {
		if tag = strings.TrimSpace(tag); tag == "*" || strings.TrimPrefix(tag, "W/") == strings.TrimPrefix(etag, "W/") {
			w.WriteHeader(http.StatusNotModified)
			return true
		}
	}
	return false
}

// handleRaw serves a capture's bytes as the server sent them (content
// encoding removed): the images and stylesheets of archived pages, the
// attachments of articles. HTML is offered as a download, never rendered
// here.
func (s *Server) handleRaw(w http.ResponseWriter, r *http.Request) {
	if c, ok := s.captureOr404(w, r); ok {
		s.streamCapture(w, r, c)
	}
}

// streamCapture copies a capture's body to the answer as it reads it from
// the archive: any size, a buffer of memory.
func (s *Server) streamCapture(w http.ResponseWriter, r *http.Request, c *store.Capture) {
	if notModified(w, r, c) {
		return
	}
	// The slot bounds opening the record (its digests are checked, a
	// large block spilled to a file); sending it then costs a buffer, and
	// a client that stops reading must not hold a slot others need.
	release, err := s.archive.acquire(r.Context())
	if err != nil {
		s.pageError(w, r, http.StatusServiceUnavailable, "Máy chủ đang bận; xin thử lại sau giây lát.")
		return
	}
	body, _, err := s.catalog.OpenCapture(r.Context(), c.ID)
	if err != nil {
		release()
		s.unreadableCapture(w, r, c, "open capture", err)
		return
	}
	defer body.Close()
	// The first bytes are decoded before the status is sent: a body that
	// cannot be read from its start (one its server sent broken) gets its
	// page, not a 200 with nothing in it. (Telling why may read the whole
	// record again: within the slot.)
	br := bufio.NewReaderSize(body, 32<<10)
	_, err = br.Peek(1)
	release()
	if err != nil && err != io.EOF {
		s.unreadableCapture(w, r, c, "read capture", err)
		return
	}
	ct := body.Header.Get("Content-Type")
	if ct == "" {
		ct = c.ContentType
	}
	s.rawHeaders(w, r, c.URL, ct)
	// A large attachment takes longer to send than the server's write
	// timeout allows a page: the deadline moves on with every write, so a
	// download may take as long as it needs, and a client that stops
	// reading is cut off a minute later.
	if _, err := io.Copy(progressWriter{w: w, rc: http.NewResponseController(w)}, br); err != nil {
		s.log.Warn("sending an archived body", "capture", c.ID, "err", err)
		// The status line is gone already: cut the answer short, so the
		// client sees a failed download, never a complete-looking file.
		panic(http.ErrAbortHandler)
	}
}

// rawHeaders are the headers of a capture's bytes served as they are.
func (s *Server) rawHeaders(w http.ResponseWriter, r *http.Request, capturedURL, ct string) {
	h := w.Header()
	h.Set("Content-Security-Policy", s.archivedCSP(r))
	// The archived pages that embed these bytes are sandboxed, so their
	// requests come from an opaque origin: same-origin would refuse them.
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	if ct == "" {
		ct = "application/octet-stream"
	}
	// A type that does not parse cleanly is not trusted for inline: a
	// browser reads "image/png; ,text/html" as text/html (the last type of
	// a list), where ParseMediaType gives image/png and an error.
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || strings.Contains(ct, ",") {
		mt = ""
	}
	name := path.Base(capturedURL)
	if u, err := url.Parse(capturedURL); err == nil {
		name = path.Base(u.Path)
	}
	if name == "" || name == "/" || name == "." {
		name = "tep"
	}
	switch {
	case strings.HasPrefix(mt, "image/") && mt != "image/svg+xml", mt == "text/css":
		h.Set("Content-Disposition", "inline")
	default:
		// Rendered here, an archived HTML or SVG file would run as a page
		// of this origin's sandbox; a PDF viewer would not start in it.
		// Offered as a download, it is the bytes and nothing else.
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	}
	h.Set("Content-Type", ct)
}

func isHTML(ct string) bool {
	if strings.Contains(ct, ",") {
		// As rawHeaders: a list is not a type to trust. Any HTML in it
		// is offered as a download, never shown from this origin.
		return false
	}
	// A page whose parameters do not parse ("text/html; charset=") is
	// still a page: shown rewritten, in its sandbox, as any other.
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// rewriteDocument prepares an archived HTML page for reading here: decoded
// to UTF-8, its scripts, frames, plugins, refreshes and base removed, its
// images and stylesheets pointed at the archive, its links at the archived
// copies of their targets, and a banner naming the capture time put first.
func rewriteDocument(page *store.ArchivedPage) ([]byte, error) {
	text, _, err := extract.Decode(page.Body, page.ContentType)
	if err != nil {
		return nil, err
	}
	doc, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return nil, err
	}
	base, _ := url.Parse(page.Capture.URL)
	at := page.Capture.FetchedAt
	var body, head *html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			if c.Type == html.ElementNode {
				if dropElement(c) {
					n.RemoveChild(c)
					c = next
					continue
				}
				rewriteAttrs(c, base, at)
				switch c.DataAtom {
				case atom.Body:
					body = c
				case atom.Head:
					head = c
				}
			}
			walk(c)
			c = next
		}
	}
	walk(doc)
	if head != nil {
		head.InsertBefore(&html.Node{Type: html.ElementNode, Data: "meta", DataAtom: atom.Meta,
			Attr: []html.Attribute{{Key: "charset", Val: "utf-8"}}}, head.FirstChild)
	}
	if body != nil {
		banner, _ := html.ParseFragment(strings.NewReader(bannerHTML(page.Capture)), body)
		for i := len(banner) - 1; i >= 0; i-- {
			body.InsertBefore(banner[i], body.FirstChild)
		}
	}
	var buf bytes.Buffer
	if err := html.Render(&buf, doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// bannerStyle is the banner's style, every declaration !important: an
// inline !important beats any rule of the archived page's own stylesheets,
// which could otherwise hide it (#tulieu-banner{display:none!important}).
var bannerStyle = func() string {
	decls := []string{"all:initial", "display:block", "visibility:visible", "opacity:1", "font:14px/1.4 system-ui,sans-serif",
		"background:#fff3c4", "color:#222", "border-bottom:2px solid #c90", "padding:8px 12px", "position:relative",
		"z-index:2147483647"}
	return strings.Join(decls, " !important;") + " !important"
}()

// bannerLinkStyle is the banner's links' style, whatever the page's own
// stylesheet says of links.
var bannerLinkStyle = strings.Join([]string{"all:initial", "font:inherit", "color:#0645ad", "text-decoration:underline", "cursor:pointer"}, " !important;") + " !important"

// bannerHTML is the banner above an archived page: what it is, and the
// way back to the archive's search page for a reader who came by a
// citation's permalink.
func bannerHTML(c *store.Capture) string {
	return `<div id="tulieu-banner" style="` + bannerStyle + `">` +
		`Bản lưu của <b>` + html.EscapeString(c.URL) + `</b> lúc <b>` + formatVNTime(c.FetchedAt) +
		`</b> (giờ Việt Nam) · <a href="/" style="` + bannerLinkStyle + `">tulieu</a> · mã bản lưu ` + strconv.FormatInt(c.ID, 10) + `</div>`
}

// dropElement says which elements an archived page loses: whatever could
// run, load from elsewhere, or navigate away.
func dropElement(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Noscript, atom.Iframe, atom.Frame, atom.Frameset, atom.Object, atom.Embed, atom.Applet,
		atom.Base:
		return true
	case atom.Meta:
		he := strings.ToLower(attrVal(n, "http-equiv"))
		return he == "refresh" || he == "content-security-policy" || he == "set-cookie" || attrVal(n, "charset") != "" ||
			he == "content-type"
	case atom.Link:
		rel := strings.ToLower(attrVal(n, "rel"))
		return !strings.Contains(rel, "stylesheet") && !strings.Contains(rel, "icon")
	}
	return false
}

func attrVal(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// rewriteAttrs points an element's resources at the archive and drops its
// event handlers and srcset (whose candidates are not archived one by one).
func rewriteAttrs(n *html.Node, base *url.URL, at time.Time) {
	attrs := n.Attr[:0]
	for _, a := range n.Attr {
		key := strings.ToLower(a.Key)
		switch {
		case strings.HasPrefix(key, "on"), key == "srcset", key == "data-srcset", key == "ping", key == "formaction":
			continue
		case key == "src" || (key == "href" && n.DataAtom == atom.Link) || key == "background" || key == "poster":
			a.Val = archivedResource(base, a.Val, at)
		case key == "href":
			a.Val = archivedLink(base, a.Val, at)
		case key == "action":
			a.Val = "#"
		case key == "style" && strings.Contains(strings.ToLower(a.Val), "url("):
			// Inline styles may load from the live site; the policy blocks
			// it, and dropping the declaration keeps the console quiet.
			continue
		}
		attrs = append(attrs, a)
	}
	n.Attr = attrs
}

// archivedResource is the address of an embedded resource in the archive.
func archivedResource(base *url.URL, ref string, at time.Time) string {
	u := resolveHTTP(base, ref)
	if u == "" {
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(ref)), "data:") {
			return ref
		}
		return ""
	}
	return archiveHref("/raw", u, at)
}

// archivedLink is where a link in an archived page leads: the archived
// copy of its target (which says so when the archive lacks it), or the
// fragment on the same page.
func archivedLink(base *url.URL, ref string, at time.Time) string {
	ref = strings.TrimSpace(ref)
	if strings.HasPrefix(ref, "#") {
		return ref
	}
	u := resolveHTTP(base, ref)
	if u == "" {
		return "#"
	}
	return archiveHref("/archive", u, at)
}

// resolveHTTP resolves ref against base and returns it only if it is an
// http(s) URL, without its fragment.
func resolveHTTP(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || base == nil {
		return ""
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	u := base.ResolveReference(r)
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	u.Fragment = ""
	return u.String()
}

// rewriteBody points the images of an article's extracted body at the
// archive, as captured nearest before at.
func rewriteBody(bodyHTML, pageURL string, at time.Time) (string, error) {
	ctxNode := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(bodyHTML), ctxNode)
	if err != nil {
		return "", err
	}
	base, _ := url.Parse(pageURL)
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if n.DataAtom == atom.Img {
				for i, a := range n.Attr {
					switch {
					case a.Key == "src":
						n.Attr[i].Val = archivedResource(base, a.Val, at)
					case a.Key == "alt" && placeholderAlt(a.Val):
						// Read aloud, "alt" or "IMG_0123.jpg" says nothing;
						// the caption under the picture, if any, is read
						// anyway.
						n.Attr[i].Val = ""
					}
				}
				n.Attr = append(n.Attr, html.Attribute{Key: "loading", Val: "lazy"})
			}
			if n.DataAtom == atom.A {
				for i, a := range n.Attr {
					if a.Key == "href" {
						n.Attr[i].Val = archivedLink(base, a.Val, at)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	var buf bytes.Buffer
	for _, n := range nodes {
		walk(n)
		if err := html.Render(&buf, n); err != nil {
			return "", err
		}
	}
	return buf.String(), nil
}

// placeholderAlt: an image's alt text that a site's editor left as
// filler (alt="alt", "ảnh", "image") or the file's name.
func placeholderAlt(alt string) bool {
	a := strings.ToLower(strings.TrimSpace(alt))
	switch a {
	case "alt", "image", "img", "photo", "picture", "ảnh", "anh", "hình", "hình ảnh", "hinh anh", "untitled":
		return true
	}
	for _, ext := range []string{".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp"} {
		if strings.HasSuffix(a, ext) && !strings.Contains(a, " ") {
			return true
		}
	}
	return false
}

// progressWriter gives each write to a slow client a minute of its own.
type progressWriter struct {
	w  io.Writer
	rc *http.ResponseController
}

func (p progressWriter) Write(b []byte) (int, error) {
	p.rc.SetWriteDeadline(time.Now().Add(time.Minute))
	return p.w.Write(b)
}
