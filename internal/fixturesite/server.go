package fixturesite

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"html/template"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

const (
	perPage       = 5 // articles per listing page, as the brief for the real site says
	recentCount   = 5 // links under "Các bài viết gần đây"
	homeLatest    = 6 // links under "Tin mới nhất", after the top story
	homeBlockSize = 4 // links per category block on the home page

	htmlType = "text/html; charset=utf-8"

	robotsTxt = "User-agent: *\nDisallow: /admin/\nDisallow: /tim-kiem\n"
)

// response is built completely before anything is written, so that the
// request is logged (and Hits counts it) before the client can see the answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// ServeHTTP serves the imitation site.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	visit := s.visit.Add(1)
	resp := s.respond(r, visit)
	s.record(r, resp.status)
	h := w.Header()
	for k, v := range resp.header {
		h[k] = v
	}
	bodyAllowed := resp.status != http.StatusNotModified
	if bodyAllowed {
		h.Set("Content-Length", strconv.Itoa(len(resp.body)))
	}
	w.WriteHeader(resp.status)
	if bodyAllowed && r.Method != http.MethodHead {
		_, _ = w.Write(resp.body) // the client went away; nothing to do about it
	}
}

// Template data. The field names are what testdata/templates/site.html uses.
type (
	pageData struct {
		Title     string // <title> prefix; "" on the home page
		Canonical string
		Stats     stats
		Crumbs    []crumb // between "Trang chủ" and CrumbLast
		CrumbLast string  // "" hides the breadcrumb (home page)
		Doc       *docView
		Recent    []item
		List      *listView
		Home      *homeView
		Msg       *msgView
		Calendar  bool // the menu links the work calendar (Options.Calendar)
	}
	stats struct{ Online, Today, Total int64 }
	crumb struct{ Label, Href string }
	item  struct{ Href, Title, DateLine, Excerpt, Thumb string }

	docView struct {
		Title, DateLine string
		Body, Byline    template.HTML // fixture markup, trusted by construction
		Attachments     []Link
	}
	listView struct {
		Label string
		Items []item
		Pager []pagerLink
	}
	pagerLink struct{ Label, Href string } // Href "" marks the current page
	homeView  struct {
		Top    *item
		Latest []item
		Blocks []block
	}
	block struct {
		Label, Href string
		Items       []item
	}
	msgView struct {
		Heading, Text string
		Login         bool
		Results       []item
	}
)

// statsFor derives the "Thống kê truy cập" numbers from the visit number.
// Each of the three changes on every request, like on the real site, so no
// two responses for the same page have the same bytes.
func statsFor(visit int64) stats {
	return stats{Online: visit * 7 % 13, Today: 71 + visit, Total: 193411 + visit}
}

func (s *Site) respond(r *http.Request, visit int64) response {
	p := r.URL.Path
	base := pageData{Stats: statsFor(visit), Calendar: s.opts.Calendar}
	switch {
	case p == "/robots.txt":
		return response{status: http.StatusOK, header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}}, body: []byte(robotsTxt)}
	case p == "/":
		return s.home(base)
	case p == "/lich-cong-tac" && s.opts.Calendar:
		return s.calendar(base, r.URL.Query().Get("ngay"))
	case p == "/tim-kiem":
		return s.search(base, r.URL.Query().Get("q"))
	case p == "/admin" || strings.HasPrefix(p, "/admin/"):
		return s.login(base, r.Method == http.MethodPost)
	case strings.HasPrefix(p, "/uploads/images/") || strings.HasPrefix(p, "/templates/images/"):
		return s.image(base, r)
	case strings.HasPrefix(p, "/uploads/") || strings.HasPrefix(p, "/templates/"):
		return s.static(base, r)
	}
	if l, ok := listingFor(p); ok {
		return s.listing(base, l, r.URL.Query())
	}
	if trimmed := strings.TrimRight(p, "/"); trimmed != p && trimmed != "" {
		if _, ok := listingFor(trimmed); ok {
			// The menu links "/tin-tuc/tu-lieu/"; the CMS redirects to the
			// canonical form, which gives crawlers a redirect to follow.
			loc := trimmed
			if r.URL.RawQuery != "" {
				loc += "?" + r.URL.RawQuery
			}
			return response{
				status: http.StatusMovedPermanently,
				header: http.Header{"Location": {loc}, "Content-Type": {htmlType}},
				body:   []byte(`<html><head><title>Object moved</title></head><body><h2>Object moved to <a href="` + template.HTMLEscapeString(loc) + `">here</a>.</h2></body></html>`),
			}
		}
	}
	return s.document(base, r)
}

// listing describes one listing page: a category, or "/tin-tuc" (both news
// categories together).
type listing struct {
	Path, Label string
	match       func(Article) bool
}

func listingFor(p string) (listing, bool) {
	if p == "/tin-tuc" {
		return listing{p, "Tin tức", func(a Article) bool { return strings.HasPrefix(a.Path, "/tin-tuc/") }}, true
	}
	for _, sec := range sections() {
		if sec.Path == p {
			return listing{sec.Path, sec.Label, func(a Article) bool { return strings.HasPrefix(a.Path, sec.Path+"/") }}, true
		}
	}
	return listing{}, false
}

// live returns the served, non-static articles, newest first. Callers hold s.mu.
func (s *Site) live() []Article {
	var out []Article
	for _, d := range s.docs {
		if d.gone == 0 && !d.a.Static {
			out = append(out, d.a)
		}
	}
	sortNewest(out)
	return out
}

func sortNewest(as []Article) {
	sort.Slice(as, func(i, j int) bool { return newer(as[i], as[j]) })
}

func itemOf(a Article) item {
	it := item{Href: a.Path, Title: a.Title, DateLine: a.DateLine, Thumb: "/templates/images/no-image.jpg"}
	if len(a.Expected.Images) > 0 {
		it.Thumb = a.Expected.Images[0].Src
	}
	if len(a.Expected.BodyParagraphs) > 0 {
		words := strings.Fields(a.Expected.BodyParagraphs[0])
		if len(words) > 35 {
			words = append(words[:35], "...")
		}
		it.Excerpt = strings.Join(words, " ")
	}
	return it
}

func items(as []Article) []item {
	out := make([]item, len(as))
	for i, a := range as {
		out[i] = itemOf(a)
	}
	return out
}

func (s *Site) home(pd pageData) response {
	s.mu.RLock()
	defer s.mu.RUnlock()
	all := s.live()
	hv := &homeView{}
	if len(all) > 0 {
		top := itemOf(all[0])
		hv.Top = &top
		hv.Latest = items(all[1:min(len(all), 1+homeLatest)])
	}
	for _, sec := range sections() {
		var in []Article
		for _, a := range all {
			if strings.HasPrefix(a.Path, sec.Path+"/") && len(in) < homeBlockSize {
				in = append(in, a)
			}
		}
		hv.Blocks = append(hv.Blocks, block{Label: sec.Label, Href: sec.Path, Items: items(in)})
	}
	pd.Home = hv
	return s.render(http.StatusOK, "home", pd)
}

func (s *Site) listing(pd pageData, l listing, q map[string][]string) response {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var in []Article
	for _, a := range s.live() {
		if l.match(a) {
			in = append(in, a)
		}
	}
	pages := max(1, (len(in)+perPage-1)/perPage)
	page := 1
	if v, ok := q["page"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 || n > pages {
			return s.notFound(pd)
		}
		page = n
	}
	href := func(n int) string {
		if n == 1 {
			return l.Path
		}
		return l.Path + "?page=" + strconv.Itoa(n)
	}
	lv := &listView{Label: l.Label, Items: items(in[(page-1)*perPage : min(len(in), page*perPage)])}
	if pages > 1 {
		if page > 1 {
			lv.Pager = append(lv.Pager, pagerLink{"« Trang trước", href(page - 1)})
		}
		for n := 1; n <= pages; n++ {
			h := href(n)
			if n == page {
				h = ""
			}
			lv.Pager = append(lv.Pager, pagerLink{strconv.Itoa(n), h})
		}
		if page < pages {
			lv.Pager = append(lv.Pager, pagerLink{"Trang sau »", href(page + 1)})
		}
	}
	pd.Title, pd.CrumbLast, pd.List = l.Label, l.Label, lv
	return s.render(http.StatusOK, "listing", pd)
}

func (s *Site) document(pd pageData, r *http.Request) response {
	s.mu.RLock()
	defer s.mu.RUnlock()
	d, ok := s.docs[r.URL.Path]
	if !ok {
		return s.notFound(pd)
	}
	if d.gone != 0 {
		pd.Title, pd.CrumbLast = "Thông báo", "Thông báo"
		pd.Msg = &msgView{Heading: "Bài viết không còn tồn tại", Text: "Bài viết bạn tìm đã bị gỡ bỏ hoặc không còn tồn tại trên hệ thống."}
		return s.render(d.gone, "message", pd)
	}
	var validators http.Header
	if s.opts.Conditional {
		validators = http.Header{
			"Etag":          {d.etag},
			"Last-Modified": {d.modTime.UTC().Format(http.TimeFormat)},
		}
		if notModified(r, d.etag, d.modTime) {
			return response{status: http.StatusNotModified, header: validators}
		}
	}
	a := d.a
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	pd.Title, pd.CrumbLast = a.Title, a.Title
	pd.Canonical = scheme + "://" + r.Host + a.Path
	switch sec, ok := sectionOf(a.Path); {
	case ok:
		pd.Crumbs = []crumb{{Label: a.Category, Href: sec.Path}}
	case a.Category != "":
		pd.Crumbs = []crumb{{Label: a.Category}} // "Tổng quan" has no listing page
	}
	pd.Doc = &docView{
		Title:       a.Title,
		DateLine:    a.DateLine,
		Body:        template.HTML(a.BodyHTML),
		Byline:      template.HTML(a.BylineHTML),
		Attachments: a.Attachments,
	}
	for _, o := range s.live() {
		if o.Path != a.Path && len(pd.Recent) < recentCount {
			pd.Recent = append(pd.Recent, itemOf(o))
		}
	}
	resp := s.render(http.StatusOK, "article", pd)
	for k, v := range validators {
		resp.header[k] = v
	}
	return resp
}

// notModified implements the conditional GET rules of RFC 9110 section 13.2.2:
// If-None-Match wins over If-Modified-Since, and the ETag match is weak.
func notModified(r *http.Request, etag string, mod time.Time) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if inm := r.Header.Values("If-None-Match"); len(inm) > 0 {
		for _, line := range inm {
			for _, tag := range strings.Split(line, ",") {
				tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
				if tag == "*" || tag == etag {
					return true
				}
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && !mod.After(t)
	}
	return false
}

// search answers /tim-kiem. robots.txt disallows it; it answers 200 with
// real results so that a crawler ignoring robots.txt gets something to follow.
func (s *Site) search(pd pageData, q string) response {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var found []Article
	if needle := strings.ToLower(normalize(q)); needle != "" {
		for _, a := range s.live() {
			text := strings.ToLower(a.Title + " " + strings.Join(a.Expected.BodyParagraphs, " "))
			if strings.Contains(text, needle) {
				found = append(found, a)
			}
		}
	}
	pd.Title, pd.CrumbLast = "Tìm kiếm", "Tìm kiếm"
	pd.Msg = &msgView{
		Heading: "Kết quả tìm kiếm",
		Text:    fmt.Sprintf("Tìm thấy %d kết quả cho từ khóa “%s”.", len(found), q),
		Results: items(found),
	}
	return s.render(http.StatusOK, "message", pd)
}

// calendarStart is the day the menu's calendar link opens.
const calendarStart = "2026-12-01"

// calendar answers one day of the endless work calendar: no events, links
// to the neighbouring days. Every day exists, as on the CMSs that have one.
func (s *Site) calendar(pd pageData, day string) response {
	d, err := time.Parse("2006-01-02", day)
	if err != nil {
		d, _ = time.Parse("2006-01-02", calendarStart)
	}
	link := func(label string, t time.Time) item {
		return item{Href: "/lich-cong-tac?ngay=" + t.Format("2006-01-02"), Title: label + " (" + t.Format("02/01/2006") + ")"}
	}
	pd.Title, pd.CrumbLast = "Lịch công tác", "Lịch công tác"
	pd.Msg = &msgView{
		Heading: "Lịch công tác ngày " + d.Format("02/01/2006"),
		Text:    "Chưa có lịch công tác trong ngày.",
		Results: []item{link("Ngày trước", d.AddDate(0, 0, -1)), link("Ngày sau", d.AddDate(0, 0, 1)), link("Tuần sau", d.AddDate(0, 0, 7))},
	}
	return s.render(http.StatusOK, "message", pd)
}

// login answers everything under /admin/, which robots.txt disallows.
func (s *Site) login(pd pageData, post bool) response {
	pd.Title, pd.CrumbLast = "Đăng nhập", "Đăng nhập"
	pd.Msg = &msgView{Heading: "Đăng nhập hệ thống quản trị", Text: "Vui lòng nhập tên đăng nhập và mật khẩu.", Login: true}
	if post {
		pd.Msg.Text = "Tên đăng nhập hoặc mật khẩu không đúng."
	}
	return s.render(http.StatusOK, "message", pd)
}

func (s *Site) notFound(pd pageData) response {
	pd.Title, pd.CrumbLast = "Không tìm thấy trang", "Thông báo"
	pd.Msg = &msgView{Heading: "Không tìm thấy trang yêu cầu", Text: "Trang bạn tìm không tồn tại hoặc đã bị xóa."}
	return s.render(http.StatusNotFound, "message", pd)
}

// static serves testdata/static as it is.
func (s *Site) static(pd pageData, r *http.Request) response {
	p := r.URL.Path
	b, err := content.ReadFile("testdata/static" + p)
	if err != nil {
		return s.notFound(pd)
	}
	sum := sha256.Sum256(b)
	if resp, ok := s.fileValidators(r, `"`+hex.EncodeToString(sum[:10])+`"`); ok {
		return resp
	}
	ct := map[string]string{
		".pdf": "application/pdf",
		".css": "text/css; charset=utf-8",
		".js":  "application/javascript; charset=utf-8",
	}[strings.ToLower(path.Ext(p))]
	if ct == "" {
		ct = "application/octet-stream"
	}
	return s.withValidators(response{status: http.StatusOK, header: http.Header{"Content-Type": {ct}}, body: b}, `"`+hex.EncodeToString(sum[:10])+`"`)
}

// fileModTime is the Last-Modified of files and images: they never change,
// so any fixed instant keeps the validators deterministic.
func fileModTime() time.Time { return time.Date(2019, 1, 1, 8, 0, 0, 0, vnZone()) }

// fileValidators answers a conditional request for a file or an image whose
// validator is etag with 304, when the site sends validators at all.
func (s *Site) fileValidators(r *http.Request, etag string) (response, bool) {
	if !s.opts.Conditional || !notModified(r, etag, fileModTime()) {
		return response{}, false
	}
	return s.withValidators(response{status: http.StatusNotModified, header: http.Header{}}, etag), true
}

// withValidators adds ETag and Last-Modified to a file's response when the
// site sends validators.
func (s *Site) withValidators(resp response, etag string) response {
	if s.opts.Conditional {
		resp.header.Set("Etag", etag)
		resp.header.Set("Last-Modified", fileModTime().UTC().Format(http.TimeFormat))
	}
	return resp
}

// image serves a small generated JPEG for the chrome images and for every
// image an article currently links to; anything else is 404, as on a real
// server.
func (s *Site) image(pd pageData, r *http.Request) response {
	p := r.URL.Path
	known := p == "/templates/images/banner.jpg" || p == "/templates/images/no-image.jpg"
	if !known {
		s.mu.RLock()
		for _, d := range s.docs {
			if d.gone == 0 && strings.Contains(d.a.BodyHTML, `src="`+p+`"`) {
				known = true
				break
			}
		}
		s.mu.RUnlock()
	}
	if !known {
		return s.notFound(pd)
	}
	// The colour depends on the path, so different images have different
	// bytes (a crawler deduplicating by hash keeps them apart), and the same
	// image always has the same bytes.
	h := fnv.New32a()
	h.Write([]byte(p))
	v := h.Sum32()
	// The bytes depend on the path alone, and so does the validator.
	etag := fmt.Sprintf(`"img-%08x"`, v)
	if resp, ok := s.fileValidators(r, etag); ok {
		return resp
	}
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := 0; y < 48; y++ {
		for x := 0; x < 64; x++ {
			img.Set(x, y, color.RGBA{uint8(v) + uint8(x), uint8(v>>8) + uint8(y), uint8(v >> 16), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 60}); err != nil {
		panic(err) // encoding to memory cannot fail
	}
	return s.withValidators(response{status: http.StatusOK, header: http.Header{"Content-Type": {"image/jpeg"}}, body: buf.Bytes()}, etag)
}

func (s *Site) render(status int, name string, pd pageData) response {
	var buf bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&buf, name, pd); err != nil {
		// A template bug is a fixture bug; show it loudly in the test output.
		return response{status: http.StatusInternalServerError, header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}}, body: []byte(err.Error())}
	}
	return response{status: status, header: http.Header{"Content-Type": {htmlType}}, body: buf.Bytes()}
}
