package web

import (
	"errors"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"tulieu/api"
	"tulieu/attach"
	"tulieu/store"
	"tulieu/textdiff"
)

type articlePage struct {
	Title       string
	A           *store.Article
	Body        template.HTML
	CapturedAt  time.Time
	ArchiveHref string
	Attachments []attachmentView
	Versions    []versionView
	DiffA       int
	DiffB       int
	Citation    string
	Permalink   string
}

type attachmentView struct {
	Name     string
	URL      string // as linked on the page
	Href     string // in the archive
	Type     string
	Size     string
	Archived bool
	Text     string // what was read of it (PDF, DOCX…)
	TextNote string // why nothing was, when so
}

type versionView struct {
	N        int
	SeenAt   time.Time
	Title    string
	Href     string
	Current  bool
	Inserted int
	Deleted  int
	Fields   string // the other fields it changed, in Vietnamese ("tiêu đề, ngày đăng")
	// MovedTo is the address it was fetched from when the one before
	// was fetched elsewhere: the article moved (a new slug for a new
	// title).
	MovedTo string
}

func (s *Server) handleArticle(w http.ResponseWriter, r *http.Request) {
	a, ok := s.articleOr404(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	page := articlePage{Title: a.Title, A: a}
	capturedURL := a.URL // the URL the capture is of: not the canonical one for a page read through its print version
	if c, err := s.catalog.CaptureByID(ctx, a.CaptureID); err == nil {
		page.CapturedAt, capturedURL = c.FetchedAt, c.URL
		page.ArchiveHref = "/archive?capture=" + strconv.FormatInt(c.ID, 10)
	}
	body, err := rewriteBody(a.BodyHTML, a.URL, page.CapturedAt)
	if err != nil {
		s.log.Warn("article body", "id", a.ID, "err", err)
	}
	page.Body = template.HTML(body) // re-serialized by rewriteBody from the extractor's sanitized HTML
	texts, err := s.catalog.AttachmentTexts(ctx, a.AttachmentURLs())
	if err != nil {
		s.log.Warn("attachment texts", "id", a.ID, "err", err)
	}
	for _, at := range a.Attachments {
		v := attachmentView{Name: strings.TrimSpace(at.Text), URL: at.URL}
		if v.Name == "" {
			v.Name = path.Base(at.URL)
		}
		if c, err := s.catalog.LinkedCaptureNear(ctx, at.URL, page.CapturedAt); err == nil {
			v.Archived = true
			v.Href = archiveHref("/raw", c.URL, c.FetchedAt)
			v.Type = describeType(c.ContentType, at.URL)
			v.Size = humanBytes(c.Length)
		} else if !errors.Is(err, store.ErrNotFound) {
			s.log.Warn("attachment capture", "url", at.URL, "err", err)
		}
		if t, ok := texts[at.URL]; ok {
			v.Text, v.TextNote = t.Text, fileNote(t.Error)
		}
		page.Attachments = append(page.Attachments, v)
	}
	versions, err := s.catalog.Versions(ctx, a.ID)
	if err != nil {
		s.log.Error("versions", "id", a.ID, "err", err)
	}
	for i, v := range versions {
		vv := versionView{N: v.Version, SeenAt: v.SeenAt, Title: v.Title, Current: i == len(versions)-1,
			Href: "/archive?capture=" + strconv.FormatInt(v.CaptureID, 10)}
		if i > 0 {
			vv.Inserted, vv.Deleted = textdiff.Stats(textdiff.Words(versions[i-1].Body, v.Body))
			var names []string
			for _, f := range api.ChangedFields(versions[i-1], v) {
				names = append(names, strings.ToLower(fieldLabels[f.Field]))
			}
			vv.Fields = strings.Join(names, ", ")
			if prev := versions[i-1].FetchedFrom; prev != "" && v.FetchedFrom != "" && v.FetchedFrom != prev {
				vv.MovedTo = v.FetchedFrom
			}
		}
		page.Versions = append(page.Versions, vv)
	}
	if n := len(versions); n >= 2 {
		page.DiffA, page.DiffB = versions[n-2].Version, versions[n-1].Version
	}
	// The permalink names the capture by URL and time, as web archives
	// cite: it keeps pointing at this version when the article changes.
	page.Permalink = absoluteURL(r, archiveHref("/archive", capturedURL, page.CapturedAt))
	if page.CapturedAt.IsZero() {
		page.Permalink = absoluteURL(r, "/article/"+a.ID)
	}
	page.Citation = citation(a, page.CapturedAt, page.Permalink)
	s.render(w, http.StatusOK, "article.html", page)
}

// citation is a reference to the article as archived, the way a
// researcher cites a web source: who, what, where, and when it was seen.
func citation(a *store.Article, captured time.Time, permalink string) string {
	var parts []string
	if a.AuthorName != "" {
		parts = append(parts, a.AuthorName)
	} else if a.Author != "" {
		parts = append(parts, a.Author)
	}
	parts = append(parts, "“"+a.Title+"”")
	if a.Source != "" {
		// The publication the site credits: a republished article is
		// cited as theirs too.
		parts = append(parts, "Nguồn: "+a.Source)
	}
	if a.Category != "" {
		parts = append(parts, a.Category)
	}
	if a.Published != "" {
		// "Đăng lúc 16:26 ngày 04/11/2022" when the page gave the time.
		when := formatPublished(a.Published)
		if clock, day, ok := strings.Cut(when, " "); ok {
			when = "lúc " + clock + " ngày " + day
		} else {
			when = "ngày " + when
		}
		parts = append(parts, "Đăng "+when)
	}
	parts = append(parts, "Trang gốc: "+a.URL)
	if !captured.IsZero() {
		parts = append(parts, "Bản lưu lúc "+formatVNTime(captured)+" (giờ Việt Nam)")
	}
	parts = append(parts, permalink)
	return strings.Join(parts, ". ") + "."
}

// absoluteURL is p at the address the reader used: the scheme and host
// the request came with, or behind a reverse proxy the ones it forwards
// (X-Forwarded-Proto, publicHost).
func absoluteURL(r *http.Request, p string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if s := strings.ToLower(firstForwarded(r.Header.Get("X-Forwarded-Proto"))); s == "http" || s == "https" {
		scheme = s
	}
	return scheme + "://" + publicHost(r) + p
}

// publicHost is the host the reader asked: the request's own, or behind a
// reverse proxy the one it forwards in X-Forwarded-Host. A proxy such as
// nginx's proxy_pass sends the upstream's Host, the only one the loopback
// guard lets through, so the request's Host alone would name 127.0.0.1 in
// every feed entry and permalink. Only what parses as a host is taken;
// the first value of a list is the one the first proxy saw.
func publicHost(r *http.Request) string {
	if h := firstForwarded(r.Header.Get("X-Forwarded-Host")); h != "" {
		if u, err := url.Parse("//" + h); err == nil && u.Host == h && u.User == nil && u.Path == "" {
			return h
		}
	}
	return r.Host
}

// firstForwarded is the first value of a forwarding header's list.
func firstForwarded(v string) string {
	v, _, _ = strings.Cut(v, ",")
	return strings.TrimSpace(v)
}

// describeType names a file's type for people: "PDF", "DOCX"…
func describeType(contentType, u string) string {
	if ext := strings.TrimPrefix(strings.ToLower(path.Ext(u)), "."); ext != "" && len(ext) <= 5 {
		return strings.ToUpper(ext)
	}
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		return mt
	}
	return ""
}

type diffPage struct {
	Title      string
	A          *store.Article
	Versions   []store.Version
	From, To   store.Version
	Fields     []fieldChange
	Paragraphs [][]diffSpan
	Inserted   int
	Deleted    int
}

// fieldChange is a changed field with its label on the page.
type fieldChange struct {
	Name, Old, New string
}

// fieldLabels name api.Diff's fields in Vietnamese.
var fieldLabels = map[string]string{"title": "Tiêu đề", "author": "Tác giả", "source": "Nguồn", "published": "Ngày đăng",
	"category": "Chuyên mục", "breadcrumb": "Đường dẫn", "images": "Ảnh", "captions": "Chú thích ảnh", "attachments": "Tệp đính kèm"}

// diffRequest reads the article and the versions a diff compares (?a=&b=,
// by default the one before the last and the last).
func (s *Server) diffRequest(r *http.Request) (*store.Article, []store.Version, api.Diff, error) {
	a, err := s.catalog.FindArticle(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, nil, api.Diff{}, err
	}
	versions, err := s.catalog.Versions(r.Context(), a.ID)
	if err != nil {
		return nil, nil, api.Diff{}, err
	}
	num := func(param string) (int, error) {
		v := r.URL.Query().Get(param)
		if v == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, &api.ParamError{Msg: param + " must be a version number", Vi: "số phiên bản phải là một số nguyên dương"}
		}
		return n, nil
	}
	na, errA := num("a")
	nb, errB := num("b")
	if err := errors.Join(errA, errB); err != nil {
		return nil, nil, api.Diff{}, err
	}
	va, vb, err := api.PickVersions(versions, na, nb)
	if err != nil {
		return nil, nil, api.Diff{}, err
	}
	return a, versions, api.NewDiff(a.ID, va, vb), nil
}

func (s *Server) handleDiff(w http.ResponseWriter, r *http.Request) {
	a, versions, d, err := s.diffRequest(r)
	var pe *api.ParamError
	switch {
	case errors.Is(err, store.ErrNotFound):
		s.pageError(w, r, http.StatusNotFound, "Không có bài viết “"+r.PathValue("id")+"” trong kho lưu trữ.")
		return
	case errors.As(err, &pe):
		s.pageError(w, r, http.StatusBadRequest, "Không so sánh được: "+pe.Vietnamese()+".")
		return
	case err != nil:
		s.log.Error("diff", "id", r.PathValue("id"), "err", err)
		s.pageError(w, r, http.StatusInternalServerError, "Không đọc được các phiên bản; nhật ký máy chủ ghi rõ nguyên nhân.")
		return
	}
	page := diffPage{Title: "So sánh phiên bản · " + a.Title, A: a, Versions: versions, Paragraphs: diffParagraphs(d.TextOps()),
		Inserted: d.Inserted, Deleted: d.Deleted}
	for _, v := range versions {
		// (Not a switch: From and To may be the same version.)
		if v.Version == d.From {
			page.From = v
		}
		if v.Version == d.To {
			page.To = v
		}
	}
	for _, f := range d.Fields {
		old, new := f.Old, f.New
		if f.Field == "published" {
			old, new = formatPublished(old), formatPublished(new)
		}
		page.Fields = append(page.Fields, fieldChange{Name: fieldLabels[f.Field], Old: old, New: new})
	}
	s.render(w, http.StatusOK, "diff.html", page)
}

func (s *Server) handleAPIDiff(w http.ResponseWriter, r *http.Request) {
	_, _, d, err := s.diffRequest(r)
	if err != nil {
		s.failAPI(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// diffParagraphs cuts a diff into the paragraphs a page shows, as
// textdiff.Paragraphs does: at every paragraph break, whichever side it is
// on, so that an added paragraph is a paragraph of its own, marked
// inserted, and never runs into the text before it (nor into deleted
// paragraphs: a rewritten stretch shows its deleted paragraphs, then its
// inserted ones). A paragraph break that was added or removed is marked
// with a ¶ of its class, so that two paragraphs joined into one (or one
// split in two) show as a change.
func diffParagraphs(ops []textdiff.Op) [][]diffSpan {
	var out [][]diffSpan
	for _, block := range textdiff.Paragraphs(ops) {
		var spans []diffSpan
		for _, op := range block {
			class := ""
			switch op.Kind {
			case textdiff.Insert:
				class = "ins"
			case textdiff.Delete:
				class = "del"
			}
			text := op.Text
			if class != "" {
				body := strings.TrimRight(text, " \t\r\n")
				if strings.Count(text[len(body):], "\n") >= 2 {
					text = strings.TrimSpace(body+" ") + " ¶"
				}
			}
			if text = strings.Trim(text, "\n"); text != "" {
				spans = append(spans, diffSpan{Class: class, Text: text})
			}
		}
		if len(spans) > 0 {
			out = append(out, spans)
		}
	}
	return out
}

// diffSpan is a run of text of a diff: "ins", "del" or "" (in both).
type diffSpan struct {
	Class, Text string
}

// handleArticleArchived sends the reader to the archived copy of the
// article's current version, or of version ?v=N.
func (s *Server) handleArticleArchived(w http.ResponseWriter, r *http.Request) {
	a, ok := s.articleOr404(w, r)
	if !ok {
		return
	}
	id := a.CaptureID
	if v := r.URL.Query().Get("v"); v != "" {
		n, err := strconv.Atoi(v)
		versions, verr := s.catalog.Versions(r.Context(), a.ID)
		if err != nil || verr != nil || n < 1 || n > len(versions) {
			s.pageError(w, r, http.StatusNotFound, "Không có phiên bản này.")
			return
		}
		id = versions[n-1].CaptureID
	}
	http.Redirect(w, r, "/archive?capture="+strconv.FormatInt(id, 10), http.StatusFound)
}

// fileNote says in Vietnamese why a document's text could not be read,
// from the reason recorded (in English, as the logs and the API give it).
func fileNote(reason string) string {
	if reason == "" {
		return ""
	}
	for _, n := range []struct {
		err  error
		note string
	}{
		{attach.ErrNoTextLayer, "tệp PDF không có lớp chữ (bản quét?); chạy crawl hoặc reextract với --ocr để đọc"},
		{attach.ErrEncrypted, "tệp được bảo vệ bằng mật khẩu"},
		{attach.ErrDamaged, "tệp bị hỏng, không đầy đủ hoặc không phải loại tài liệu như tên gọi"},
		{attach.ErrNoProgram, "máy chủ chưa cài chương trình đọc loại tệp này"},
	} {
		if strings.Contains(reason, n.err.Error()) {
			if i := strings.Index(reason, "(Debian package "); i >= 0 && n.err == attach.ErrNoProgram {
				return n.note + " " + strings.Replace(reason[i:], "Debian package", "gói Debian", 1)
			}
			return n.note
		}
	}
	if strings.Contains(reason, "cut at the size limit") {
		return "tệp bị cắt ở giới hạn dung lượng khi lưu"
	}
	return "lỗi khi đọc tệp"
}
