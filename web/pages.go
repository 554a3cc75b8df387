package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tulieu/api"
	"tulieu/index"
	"tulieu/store"
	"tulieu/vntext"
)

// searchPage is what search.html shows.
type searchPage struct {
	Title    string
	Q        string
	Req      index.Request
	From, To string // as typed, so a bad date is shown back
	Browse   bool   // the listing of everything: no query, no filter
	Order    string // the browse heading's order: "mới nhất trước", "cũ nhất trước"
	PastEnd  bool   // the page asked for lies after the last result
	Result   *api.Search
	Took     string
	Error    string
	Facets   []facetGroup
	Active   []activeFilter
	Prev     string
	Next     string
	First    int // 1-based rank of the first hit shown
	Last     int
	Exports  []exportLink
	Help     []index.HelpLine
	HelpNote []string
	// Sort is the sort parameter as asked: "" is the default order,
	// relevance for a search and newest first for a listing.
	Sort string
	// QueryError: the query could not be read; the syntax help opens.
	QueryError bool
	// Meant are the filters the archive holds that a filter typed in
	// another letter case names ("tư liệu" for "Tư liệu"), when it found
	// nothing.
	Meant []facetLink
}

type facetGroup struct {
	Name   string
	Key    string // category, year or author: the list's class
	Values []facetLink
}

type facetLink struct {
	Term   string
	Count  int
	Href   string
	Active bool
}

type activeFilter struct {
	Label  string
	Remove string
}

type exportLink struct {
	Format string
	Href   string
}

// handleSearch answers /search and /: with no query the newest articles
// are listed, so the page is never empty.
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	page := searchPage{Q: v.Get("q"), From: v.Get("from"), To: v.Get("to"), Sort: v.Get("sort"), Help: index.QueryHelpVi, HelpNote: index.QueryHelpNotesVi}
	req, err := api.ParseSearch(v)
	page.Req = req
	if err == nil {
		// The date boxes show a day as Vietnamese write it, however the
		// link wrote it (YYYY-MM-DD in the links the page makes).
		if !req.From.IsZero() {
			page.From = req.From.Format("02/01/2006")
		}
		if !req.To.IsZero() {
			page.To = req.To.Format("02/01/2006")
		}
	}
	if err != nil {
		page.Title = "Tìm kiếm"
		page.Error = vietnameseError(err)
		s.render(w, http.StatusBadRequest, "search.html", page)
		return
	}
	if target := s.addressTyped(r.Context(), req); target != "" {
		// The address of an archived page pasted into the search box
		// (from a citation): its archived article, or copy.
		http.Redirect(w, r, target, http.StatusFound)
		return
	}
	req.Facets = true // the page always shows them
	// With no query the index lists the newest first unless asked for the
	// oldest; the sort is left as asked, so that the page's links keep
	// the default (a word typed on the next page is then ranked).
	// The listing of everything, newest or oldest first (/?q=… is a
	// search like any other).
	page.Browse = req.Query == "" && req.Category == "" && req.Author == "" && req.From.IsZero() && req.To.IsZero()
	page.Order = "mới nhất trước"
	if req.Sort == "oldest" {
		page.Order = "cũ nhất trước"
	}
	page.Active = activeFilters(req)
	page.Title = req.Query
	switch {
	case page.Browse:
		page.Title = "Tư liệu"
	case page.Title == "":
		// Only filters (a facet clicked on the home page): the title
		// says what is listed.
		labels := make([]string, len(page.Active))
		for i, a := range page.Active {
			labels[i] = a.Label
		}
		page.Title = strings.Join(labels, " · ")
	}
	res, took, release, err := s.runSearch(r.Context(), req)
	if err != nil {
		status, _, ok := requestStatus(err)
		if !ok {
			s.log.Error("search", "query", req.Query, "err", err)
		}
		page.Error = vietnameseError(err)
		var qe *index.QueryError
		page.QueryError = errors.As(err, &qe)
		s.render(w, status, "search.html", page)
		return
	}
	defer release()
	page.Result = api.NewSearch(req, res)
	page.Took = tookVi(took)
	page.First, page.Last = req.Offset+1, req.Offset+len(res.Hits)
	page.Facets = facetLinks(req, res)
	page.PastEnd = len(res.Hits) == 0 && req.Offset > 0 && res.Total > 0
	if res.Total == 0 && (req.Category != "" || req.Author != "") {
		page.Meant = s.filterMeant(r.Context(), req)
	}
	if req.Offset > 0 {
		p := req
		p.Offset = max(0, req.Offset-req.Limit)
		if page.PastEnd {
			// Back to the last page that has results.
			p.Offset = min(int((res.Total-1)/uint64(req.Limit))*req.Limit, index.MaxOffset)
		}
		page.Prev = "/search?" + encodePage(p)
	}
	if next := req.Offset + req.Limit; uint64(next) < res.Total && next <= index.MaxOffset {
		p := req
		p.Offset = next
		page.Next = "/search?" + encodePage(p)
	}
	for _, f := range []string{"csv", "xlsx", "jsonl", "html"} {
		p := req
		// An export is the whole selection by date (as `tulieu export`
		// writes it): the page's offset and size are not the file's,
		// nor its relevance order; oldest first stays.
		p.Offset, p.Limit = 0, 0
		if p.Sort != "oldest" {
			p.Sort = ""
		}
		ev := encodePage(p)
		if ev != "" {
			ev += "&"
		}
		label := strings.ToUpper(f)
		if f == "html" {
			label = "HTML (zip, để đọc và in)"
		}
		page.Exports = append(page.Exports, exportLink{Format: label, Href: "/export?" + ev + "format=" + f})
	}
	s.render(w, http.StatusOK, "search.html", page)
}

// tookVi is how long a search took, as the page says it: to the
// millisecond, and an answer from the cache (microseconds) not as none.
func tookVi(took time.Duration) string {
	if took < time.Millisecond {
		return "dưới 0,001 giây"
	}
	return strings.Replace(fmt.Sprintf("%.3f", took.Seconds()), ".", ",", 1) + " giây"
}

// encodePage is the query string of a page of results: every parameter of
// the request, so paging keeps the filters, the sort, the page size and
// the deleted articles.
func encodePage(req index.Request) string {
	req.Facets = false // the page always asks for them
	return api.EncodeSearch(req).Encode()
}

var facetNames = []struct{ key, label string }{{"category", "Chuyên mục"}, {"year", "Năm"}, {"author", "Tác giả"}}

// facetLinks turns the facets into links that add their value as a filter
// (and start again from the first page).
func facetLinks(req index.Request, res *index.Result) []facetGroup {
	var out []facetGroup
	for _, fn := range facetNames {
		g := facetGroup{Name: fn.label, Key: fn.key}
		for _, f := range res.Facets[fn.key] {
			if f.Term == "" {
				continue
			}
			p := req
			p.Offset = 0
			active := false
			switch fn.key {
			case "category":
				// As the filter reads it: any Unicode form and spacing.
				active = vntext.Whole(req.Category) == vntext.Whole(f.Term)
				p.Category = f.Term
			case "author":
				// The whole author, as the facet counts it: the page
				// then lists as many articles as the facet says.
				p.Author = index.ExactAuthor(f.Term)
				active = vntext.Whole(req.Author) == vntext.Whole(p.Author)
			case "year":
				y, err := strconv.Atoi(f.Term)
				if err != nil {
					continue
				}
				p.From = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
				p.To = time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
				active = req.From.Equal(p.From) && req.To.Equal(p.To)
			}
			if active {
				// Clicked again, an active value is taken off.
				p = withoutFacet(req, fn.key)
			}
			g.Values = append(g.Values, facetLink{Term: f.Term, Count: f.Count, Href: "/search?" + encodePage(p), Active: active})
		}
		if len(g.Values) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// withoutFacet is req from its first page without the filter of facet key.
func withoutFacet(req index.Request, key string) index.Request {
	req.Offset = 0
	switch key {
	case "category":
		req.Category = ""
	case "author":
		req.Author = ""
	case "year":
		req.From, req.To = time.Time{}, time.Time{}
	}
	return req
}

// activeFilters lists the filters in force, each with a link that removes
// it and keeps the rest.
func activeFilters(req index.Request) []activeFilter {
	var out []activeFilter
	add := func(label string, without index.Request) {
		without.Offset = 0
		out = append(out, activeFilter{Label: label, Remove: "/search?" + encodePage(without)})
	}
	if req.Category != "" {
		add("Chuyên mục: "+req.Category, withoutFacet(req, "category"))
	}
	if req.Author != "" {
		add("Tác giả: "+req.Author, withoutFacet(req, "author"))
	}
	if !req.From.IsZero() && !req.To.IsZero() && req.From.Month() == 1 && req.From.Day() == 1 &&
		req.To.Month() == 12 && req.To.Day() == 31 && req.From.Year() == req.To.Year() {
		add("Năm "+strconv.Itoa(req.From.Year()), withoutFacet(req, "year"))
	} else {
		if !req.From.IsZero() {
			p := req
			p.From = time.Time{}
			add("Từ ngày "+req.From.Format("02/01/2006"), p)
		}
		if !req.To.IsZero() {
			p := req
			p.To = time.Time{}
			add("Đến ngày "+req.To.Format("02/01/2006"), p)
		}
	}
	if req.IncludeDeleted {
		p := req
		p.IncludeDeleted = false
		add("Gồm cả bài đã gỡ", p)
	}
	return out
}

// vietnameseError is the message the page shows for a failed request.
func vietnameseError(err error) string {
	var qe *index.QueryError
	var re *index.RequestError
	var pe *api.ParamError
	switch {
	case errors.As(err, &qe):
		return "Câu tìm kiếm chưa đúng cú pháp, ở ký tự thứ " + strconv.Itoa(qe.Pos+1) + " (" + cmp.Or(qe.Vi, qe.Msg) + "). Xem hướng dẫn cú pháp bên dưới."
	case errors.As(err, &re):
		return "Yêu cầu không hợp lệ: " + cmp.Or(re.Vi, re.Msg) + "."
	case errors.As(err, &pe):
		return "Yêu cầu không hợp lệ: " + pe.Vietnamese() + "."
	case errors.Is(err, errBusy):
		return "Máy chủ đang bận; xin thử lại sau giây lát."
	case errors.Is(err, context.DeadlineExceeded):
		return "Tìm kiếm mất quá nhiều thời gian; xin thu hẹp câu tìm kiếm."
	}
	return "Tìm kiếm gặp lỗi phía máy chủ; nhật ký máy chủ ghi rõ nguyên nhân."
}

// pageError answers with the page's error template.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	// Not the capture a handler may have named before it failed.
	w.Header().Del("ETag")
	if status >= 500 {
		w.Header().Set("Cache-Control", "no-store")
	}
	s.render(w, status, "error.html", errorPage{Title: statusVi(status), Message: msg})
}

// statusVi is the heading of an error page: the status in Vietnamese.
func statusVi(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "Yêu cầu không hợp lệ"
	case http.StatusNotFound:
		return "Không tìm thấy"
	case http.StatusMethodNotAllowed:
		return "Trang này chỉ để đọc"
	case http.StatusServiceUnavailable:
		return "Máy chủ đang bận"
	case http.StatusGatewayTimeout:
		return "Quá thời gian"
	}
	if status >= 500 {
		return "Lỗi máy chủ"
	}
	return "Lỗi " + strconv.Itoa(status)
}

type errorPage struct {
	Title   string
	Message string
	// Address, when set, is the live address the archive has no copy
	// of: named, and offered as a link out of the archive.
	Address string
}

func (s *Server) render(w http.ResponseWriter, status int, name string, data any) {
	var buf strings.Builder
	if err := s.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		s.log.Error("render", "template", name, "err", err)
		http.Error(w, "could not render the page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if status == http.StatusServiceUnavailable {
		// Every busy page says when to try again, as the API's 503 does.
		w.Header().Set("Retry-After", "1")
	}
	w.WriteHeader(status)
	w.Write([]byte(buf.String()))
}

// articleOr404 finds the article of the request's {id}, or answers 404.
func (s *Server) articleOr404(w http.ResponseWriter, r *http.Request) (*store.Article, bool) {
	a, err := s.catalog.FindArticle(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		s.pageError(w, r, http.StatusNotFound, "Không có bài viết “"+r.PathValue("id")+"” trong kho lưu trữ.")
		return nil, false
	}
	if err != nil {
		s.log.Error("article", "id", r.PathValue("id"), "err", err)
		s.pageError(w, r, http.StatusInternalServerError, "Không đọc được bài viết; nhật ký máy chủ ghi rõ nguyên nhân.")
		return nil, false
	}
	return a, true
}

// archiveHref is the link to a URL as archived at (or nearest before) at.
func archiveHref(path, u string, at time.Time) string {
	v := url.Values{"url": {u}}
	if !at.IsZero() {
		v.Set("at", at.UTC().Format(time.RFC3339))
	}
	return path + "?" + v.Encode()
}

// addressTyped is where to go when the query is one http(s) address the
// archive holds: the article recorded at it, or else its archived copy;
// "" when it is not one.
func (s *Server) addressTyped(ctx context.Context, req index.Request) string {
	q := req.Query
	lower := strings.ToLower(q)
	withScheme := strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://")
	// (An address copied without its scheme, or typed in capitals, is
	// one too, as show takes it: store.ArticleKeys.)
	if !withScheme && !store.LooksLikeURL(q) || strings.ContainsAny(q, " \t\n") {
		return ""
	}
	if a, err := s.catalog.FindArticle(ctx, q); err == nil {
		return "/article/" + a.ID
	}
	tries := []string{q}
	if !withScheme {
		tries = []string{"http://" + q, "https://" + q}
	}
	for _, u := range tries {
		if c, err := s.catalog.LinkedCaptureNear(ctx, u, time.Time{}); err == nil {
			return archiveHref("/archive", c.URL, c.FetchedAt)
		}
	}
	return ""
}

// filterMeant finds, for a category or author filter that matched
// nothing, the names the archive holds that differ from it only in letter
// case: the page offers them. (The filter itself stays exact, as a facet's
// count promises.)
func (s *Server) filterMeant(ctx context.Context, req index.Request) []facetLink {
	res, _, release, err := s.runSearch(ctx, index.Request{Facets: true, Limit: 1, IncludeDeleted: req.IncludeDeleted})
	if err != nil {
		return nil
	}
	defer release()
	var out []facetLink
	for _, f := range []struct{ facet, typed, label string }{{"category", req.Category, "Chuyên mục"}, {"author", req.Author, "Tác giả"}} {
		if f.typed == "" {
			continue
		}
		want := strings.ToLower(vntext.Fold(f.typed))
		for _, v := range res.Facets[f.facet] {
			if v.Term != f.typed && strings.ToLower(vntext.Fold(v.Term)) == want {
				p := req
				p.Offset = 0
				if f.facet == "category" {
					p.Category = v.Term
				} else {
					p.Author = v.Term
				}
				out = append(out, facetLink{Term: f.label + ": " + v.Term, Count: v.Count, Href: "/search?" + encodePage(p)})
			}
		}
	}
	return out
}
