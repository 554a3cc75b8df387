package web

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tulieu/index"
	"tulieu/store"
)

//go:embed templates/*.html
var templateFS embed.FS

// Searcher runs queries; *index.Index is one.
type Searcher interface {
	Search(ctx context.Context, req index.Request) (*index.Result, error)
}

// Articles finds articles and their archived pages; *store.Store is one.
type Articles interface {
	Article(ctx context.Context, idOrURL string) (*store.Article, error)
	ArchivedPage(ctx context.Context, captureID int64) (*store.ArchivedPage, error)
}

// Server serves the web page.
type Server struct {
	search   Searcher
	articles Articles
	log      *slog.Logger
	tmpl     *template.Template
	mux      *http.ServeMux
}

// New returns the web page's handler.
func New(search Searcher, articles Articles, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{search: search, articles: articles, log: log}
	s.tmpl = template.Must(template.New("").Funcs(template.FuncMap{
		"day": func(p string) string {
			if len(p) >= 10 {
				return p[:10]
			}
			return p
		},
		"join": strings.Join,
		"add":  func(a, b int) int { return a + b },
		"trusted": func(s string) template.HTML {
			// BodyHTML comes out of the extractor's sanitizer, which keeps
			// only structural tags and no scripts, styles or handlers.
			return template.HTML(s)
		},
	}).ParseFS(templateFS, "templates/*.html"))
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /{$}", s.handleSearch)
	s.mux.HandleFunc("GET /search", s.handleSearch)
	s.mux.HandleFunc("GET /article/{id}", s.handleArticle)
	s.mux.HandleFunc("GET /article/{id}/archived", s.handleArchived)
	s.mux.HandleFunc("GET /api/search", s.handleAPISearch)
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src * data:; style-src 'self' 'unsafe-inline'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	s.mux.ServeHTTP(w, r)
}

type searchPage struct {
	Q, Category, Author, From, To, Sort string
	Result                              *index.Result
	Error                               string
	Offset, Limit                       int
	PrevOffset, NextOffset              int
	HasPrev, HasNext                    bool
	Help                                string
}

// request reads the search parameters shared by the page and the API.
func request(r *http.Request) (index.Request, error) {
	q := r.URL.Query()
	req := index.Request{Query: strings.TrimSpace(q.Get("q")), Category: q.Get("category"), Author: q.Get("author"),
		Sort: q.Get("sort"), Limit: 10, IncludeDeleted: q.Get("deleted") == "1", Facets: q.Get("facets") == "1"}
	if req.Sort == "" {
		req.Sort = "relevance"
	}
	if req.Sort != "relevance" && req.Sort != "newest" && req.Sort != "oldest" {
		return req, errors.New("sort must be relevance, newest or oldest")
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > index.MaxLimit {
			return req, fmt.Errorf("limit must be a number from 1 to %d", index.MaxLimit)
		}
		req.Limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return req, errors.New("offset must be a number ≥ 0")
		}
		req.Offset = n
	}
	for _, d := range []struct {
		name string
		to   *time.Time
	}{{"from", &req.From}, {"to", &req.To}} {
		if v := q.Get(d.name); v != "" {
			t, err := time.Parse("2006-01-02", v)
			if err != nil {
				return req, errors.New(d.name + " must be a date as YYYY-MM-DD")
			}
			*d.to = t
		}
	}
	return req, nil
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page := searchPage{Q: q.Get("q"), Category: q.Get("category"), Author: q.Get("author"), From: q.Get("from"),
		To: q.Get("to"), Sort: q.Get("sort"), Help: index.QueryHelp}
	req, err := request(r)
	status := http.StatusOK
	if err != nil {
		page.Error, status = err.Error(), http.StatusBadRequest
	} else if req.Query != "" {
		page.Offset, page.Limit = req.Offset, req.Limit
		req.Facets = true // the page shows them
		res, err := s.search.Search(r.Context(), req)
		var qe *index.QueryError
		switch {
		case errors.As(err, &qe):
			page.Error, status = qe.Error(), http.StatusBadRequest
		case err != nil:
			s.log.Error("search", "query", req.Query, "err", err)
			page.Error, status = "The search failed; the server log says why.", http.StatusInternalServerError
		default:
			page.Result = res
			page.HasPrev = req.Offset > 0
			page.PrevOffset = max(0, req.Offset-req.Limit)
			page.NextOffset = req.Offset + req.Limit
			page.HasNext = uint64(page.NextOffset) < res.Total
		}
	}
	s.render(w, status, "search.html", page)
}

func (s *Server) handleArticle(w http.ResponseWriter, r *http.Request) {
	a, err := s.articles.Article(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		s.render(w, http.StatusNotFound, "notfound.html", r.PathValue("id"))
		return
	}
	if err != nil {
		s.log.Error("article", "id", r.PathValue("id"), "err", err)
		http.Error(w, "could not read the article", http.StatusInternalServerError)
		return
	}
	s.render(w, http.StatusOK, "article.html", a)
}

// handleArchived serves the page as it was archived, bytes as the server
// sent them, in a sandbox: its scripts do not run and it cannot reach this
// site's origin.
func (s *Server) handleArchived(w http.ResponseWriter, r *http.Request) {
	a, err := s.articles.Article(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		s.render(w, http.StatusNotFound, "notfound.html", r.PathValue("id"))
		return
	}
	var page *store.ArchivedPage
	if err == nil {
		page, err = s.articles.ArchivedPage(r.Context(), a.CaptureID)
	}
	if err != nil {
		s.log.Error("archived page", "id", r.PathValue("id"), "err", err)
		http.Error(w, "could not read the archived page", http.StatusInternalServerError)
		return
	}
	ct := page.ContentType
	if ct == "" {
		ct = "text/html"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src * data:; style-src 'unsafe-inline' *")
	w.Write(page.Body)
}

func (s *Server) handleAPISearch(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	req, err := request(r)
	if err == nil && req.Query == "" {
		err = errors.New("q is required")
	}
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
		return
	}
	res, err := s.search.Search(r.Context(), req)
	var qe *index.QueryError
	if errors.As(err, &qe) {
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": qe.Error()})
		return
	}
	if err != nil {
		s.log.Error("search", "query", req.Query, "err", err)
		w.WriteHeader(http.StatusInternalServerError)
		json.NewEncoder(w).Encode(map[string]string{"error": "search failed"})
		return
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(res)
}

func (s *Server) render(w http.ResponseWriter, status int, name string, data any) {
	var buf strings.Builder
	if err := s.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		s.log.Error("render", "template", name, "err", err)
		http.Error(w, "could not render the page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(buf.String()))
}
