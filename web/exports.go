package web

import (
	"bufio"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"tulieu/api"
	"tulieu/export"
	"tulieu/index"
	"tulieu/internal/vntime"
)

// handleExport streams the result set of the search parameters as a file,
// through the same code as `tulieu export`: format (default csv), fields,
// pages=0 (static pages out), changed_since, versions=all; sort=oldest
// as the page shows it (any other sort: newest first).
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	opts := export.Options{Format: v.Get("format"), Warn: func(msg string) { s.log.Warn("export: " + msg) }}
	if opts.Format == "" {
		opts.Format = "csv"
	}
	req, err := api.ParseSearch(v)
	sel := export.Selection{Query: req.Query, Category: req.Category, Author: req.Author, From: req.From, To: req.To,
		IncludeDeleted: req.IncludeDeleted, AllVersions: v.Get("versions") == "all", Oldest: req.Sort == "oldest"}
	if err == nil {
		// The result set as the page shows it has the static pages too.
		sel.IncludePages, err = api.Switch(v, "pages", true)
	}
	if err == nil {
		err = export.CheckFormat(opts.Format)
	}
	if err == nil {
		switch v.Get("versions") {
		case "", "current", "all":
		default:
			err = fmt.Errorf("versions must be current or all, not %q", v.Get("versions"))
		}
	}
	if err == nil && v.Get("fields") != "" {
		// Read as --fields is: names separated by commas, spaces around
		// them ignored.
		for _, name := range strings.Split(v.Get("fields"), ",") {
			opts.Fields = append(opts.Fields, strings.TrimSpace(name))
		}
		err = export.CheckFields(opts.Format, opts.Fields)
		if err == nil {
			err = export.CheckVersionFields(opts.Fields, sel.AllVersions)
		}
	}
	if err == nil && v.Get("changed_since") != "" {
		// As --changed-since reads it: 24h, 7d, a date or an RFC 3339 time.
		if sel.ChangedSince, err = api.ParseSince(v.Get("changed_since"), time.Now()); err != nil {
			err = api.Named("changed_since", v.Get("changed_since"), err)
		}
	}
	if err == nil && req.Query != "" {
		err = index.CheckQuery(req.Query)
	}
	if err != nil {
		s.exportError(w, r, http.StatusBadRequest, err)
		return
	}
	release, err := s.exports.acquire(r.Context())
	if err != nil {
		s.exportError(w, r, http.StatusServiceUnavailable, errBusy)
		return
	}
	defer release()
	// An export of a large archive takes longer than the server's write
	// timeout, which is for pages: this answer sets its own.
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(30 * time.Minute))
	name := fmt.Sprintf("tulieu-%s.%s", time.Now().In(vntime.Zone).Format("20060102-1504"), export.Ext(opts.Format))
	w.Header().Set("Content-Type", export.ContentType(opts.Format))
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	bw := bufio.NewWriterSize(w, 64<<10)
	n, err := export.Write(r.Context(), bw, sel, opts, s.catalog, s.search)
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		// The status line is gone already: cut the answer short, so the
		// client sees a failed download, never a complete-looking file.
		s.log.Error("export", "written", n, "err", err)
		panic(http.ErrAbortHandler)
	}
	s.log.Info("export", "format", opts.Format, "query", req.Query, "records", n)
}

// exportError answers a refused export: a browser that followed the
// page's download link (it asks for HTML) gets the page's Vietnamese
// error, a script the API's JSON.
func (s *Server) exportError(w http.ResponseWriter, r *http.Request, status int, err error) {
	if !strings.Contains(r.Header.Get("Accept"), "text/html") {
		msg := err.Error()
		if errors.Is(err, errBusy) {
			msg = "the server is busy with other exports; try again in a moment"
		}
		s.apiError(w, status, msg)
		return
	}
	var msg string
	switch {
	case errors.Is(err, errBusy):
		w.Header().Set("Retry-After", "1")
		msg = "Máy chủ đang bận với các lượt tải khác; xin thử lại sau giây lát."
	case status == http.StatusBadRequest && !isParamOrQueryError(err):
		msg = "Yêu cầu tải về không hợp lệ (" + err.Error() + ")."
	default:
		msg = vietnameseError(err)
	}
	s.pageError(w, r, status, msg)
}

// isParamOrQueryError: err is a search parameter or a query that cannot
// be read, which vietnameseError says in Vietnamese.
func isParamOrQueryError(err error) bool {
	var pe *api.ParamError
	var qe *index.QueryError
	var re *index.RequestError
	return errors.As(err, &pe) || errors.As(err, &qe) || errors.As(err, &re)
}

// handleAPIIDs lists the ids a search matches, one a line, newest first:
// every match, not a page (index.MatchIDs). `tulieu export` asks it while
// this server holds the index, and reads the articles itself.
func (s *Server) handleAPIIDs(w http.ResponseWriter, r *http.Request) {
	req, err := api.ParseSearch(r.URL.Query())
	if err == nil {
		err = index.CheckQuery(req.Query)
	}
	if err != nil {
		s.failAPI(w, r, err)
		return
	}
	release, err := s.exports.acquire(r.Context())
	if err != nil {
		s.failAPI(w, r, err)
		return
	}
	defer release()
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(30 * time.Minute))
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	bw := bufio.NewWriterSize(w, 64<<10)
	err = s.search.MatchIDs(r.Context(), req, func(ids []string) error {
		for _, id := range ids {
			bw.WriteString(id)
			bw.WriteByte('\n')
		}
		return nil
	})
	if err == nil {
		// The last line says the list is whole: a cut answer lacks it.
		_, err = bw.WriteString(IDsEnd + "\n")
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		s.log.Error("ids", "err", err)
		panic(http.ErrAbortHandler)
	}
}

// IDsEnd is the last line of a whole answer of /api/ids: an answer cut short lacks it.
const IDsEnd = "# end"
