package web

import (
	"bufio"
	"fmt"
	"net/http"
	"time"

	"tulieu/api"
	"tulieu/export"
	"tulieu/index"
)

// handleExport streams the result set of the search parameters as a file,
// through the same code as `tulieu export`.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	format := v.Get("format")
	if format == "" {
		format = "csv"
	}
	req, err := api.ParseSearch(v)
	if err == nil {
		err = export.CheckFormat(format)
	}
	if err == nil && req.Query != "" {
		err = index.CheckQuery(req.Query)
	}
	if err != nil {
		s.apiError(w, http.StatusBadRequest, err.Error())
		return
	}
	release, err := s.exports.acquire(r.Context())
	if err != nil {
		s.apiError(w, http.StatusServiceUnavailable, "the server is busy with other exports; try again in a moment")
		return
	}
	defer release()
	sel := export.Selection{Query: req.Query, Category: req.Category, Author: req.Author, From: req.From, To: req.To,
		// The result set as the page shows it has the static pages too;
		// `tulieu export` sends pages=0 unless --include-pages.
		IncludeDeleted: req.IncludeDeleted, IncludePages: v.Get("pages") != "0"}
	// An export of a large archive takes longer than the server's write
	// timeout, which is for pages: this answer sets its own.
	rc := http.NewResponseController(w)
	rc.SetWriteDeadline(time.Now().Add(30 * time.Minute))
	name := fmt.Sprintf("tulieu-%s.%s", time.Now().In(vietnam).Format("20060102-1504"), format)
	w.Header().Set("Content-Type", export.ContentType(format))
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	bw := bufio.NewWriterSize(w, 64<<10)
	n, err := export.Write(r.Context(), bw, format, sel, s.catalog, s.search)
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		// The status line is gone already: cut the answer short, so the
		// client sees a failed download, never a complete-looking file.
		s.log.Error("export", "written", n, "err", err)
		panic(http.ErrAbortHandler)
	}
	s.log.Info("export", "format", format, "query", req.Query, "articles", n)
}
