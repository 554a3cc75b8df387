package api

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tulieu/index"
)

// DefaultLimit is the number of results per page when none is asked.
const DefaultLimit = 10

// ParamError reports a search parameter that cannot be read (HTTP 400).
// Msg is the API's and the CLI's message; Vi says it in Vietnamese for
// the web page.
type ParamError struct {
	Msg string
	Vi  string
}

func (e *ParamError) Error() string { return e.Msg }

// Vietnamese is the message in Vietnamese (Msg if there is none).
func (e *ParamError) Vietnamese() string {
	if e.Vi != "" {
		return e.Vi
	}
	return e.Msg
}

// viParam names the parameters in the page's own words.
var viParam = map[string]string{"limit": "Số kết quả mỗi trang", "offset": "Vị trí bắt đầu", "from": "“Từ ngày”", "to": "“Đến ngày”"}

// Named is err, from reading the value of the parameter name, saying
// which parameter and value it is about (a ParamError stays one).
func Named(name, value string, err error) error {
	var pe *ParamError
	if !errors.As(err, &pe) {
		return fmt.Errorf("%s %q: %w", name, value, err)
	}
	return &ParamError{fmt.Sprintf("%s %q: %s", name, value, pe.Msg), fmt.Sprintf("%s %q: %s", name, value, pe.Vietnamese())}
}

// Switch reads the on/off parameter key of v: 1 or 0, def when it is
// absent. Anything else ("true", "yes", "false") is a ParamError: read as
// off without a word, "facets=yes" gave no facets and "pages=false" an
// export with the static pages in it.
func Switch(v url.Values, key string, def bool) (bool, error) {
	switch x := v.Get(key); x {
	case "":
		return def, nil
	case "1":
		return true, nil
	case "0":
		return false, nil
	default:
		return def, &ParamError{fmt.Sprintf("%s must be 1 or 0, not %q", key, x), fmt.Sprintf("tham số %s chỉ nhận 1 hoặc 0", key)}
	}
}

// ParseSearch reads the search parameters of the page, the API and the
// export links: q, category, author, from, to (YYYY-MM-DD), sort
// (relevance, newest, oldest), limit, offset, deleted=1, facets=1. It
// checks their form; index.Search checks their bounds again, whoever
// calls it.
func ParseSearch(v url.Values) (index.Request, error) {
	req := index.Request{Query: strings.TrimSpace(v.Get("q")), Category: strings.TrimSpace(v.Get("category")),
		Author: strings.TrimSpace(v.Get("author")), Sort: v.Get("sort"), Limit: DefaultLimit}
	var err error
	if req.IncludeDeleted, err = Switch(v, "deleted", false); err != nil {
		return req, err
	}
	if req.Facets, err = Switch(v, "facets", false); err != nil {
		return req, err
	}
	if len(req.Query) > index.MaxQueryLength {
		return req, &ParamError{fmt.Sprintf("the query is %d bytes long; at most %d are accepted", len(req.Query), index.MaxQueryLength),
			fmt.Sprintf("câu tìm kiếm dài %d byte; tối đa %d", len(req.Query), index.MaxQueryLength)}
	}
	if len(req.Author) > index.MaxQueryLength || len(req.Category) > index.MaxQueryLength {
		return req, &ParamError{fmt.Sprintf("an author or category filter is at most %d bytes long", index.MaxQueryLength),
			fmt.Sprintf("tên tác giả hoặc chuyên mục để lọc dài tối đa %d byte", index.MaxQueryLength)}
	}
	switch req.Sort {
	case "":
		req.Sort = "relevance"
	case "relevance", "newest", "oldest":
	default:
		return req, &ParamError{"sort must be relevance, newest or oldest",
			"cách sắp xếp chỉ có thể là phù hợp nhất, mới nhất hoặc cũ nhất"}
	}
	if req.Limit, err = intParam(v, "limit", DefaultLimit, 1, index.MaxLimit); err != nil {
		return req, err
	}
	if req.Offset, err = intParam(v, "offset", 0, 0, index.MaxOffset); err != nil {
		return req, err
	}
	if req.From, err = dayParam(v, "from"); err != nil {
		return req, err
	}
	if req.To, err = dayParam(v, "to"); err != nil {
		return req, err
	}
	if !req.From.IsZero() && !req.To.IsZero() && req.To.Before(req.From) {
		return req, &ParamError{"to is before from", "“Đến ngày” đứng trước “Từ ngày”"}
	}
	return req, nil
}

// EncodeSearch is the inverse of ParseSearch: the parameters that ask for
// req. Defaults are left out, so links stay short.
func EncodeSearch(req index.Request) url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("q", req.Query)
	set("category", req.Category)
	set("author", req.Author)
	if !req.From.IsZero() {
		v.Set("from", req.From.Format(time.DateOnly))
	}
	if !req.To.IsZero() {
		v.Set("to", req.To.Format(time.DateOnly))
	}
	if req.Sort != "" && req.Sort != "relevance" {
		v.Set("sort", req.Sort)
	}
	if req.Limit > 0 && req.Limit != DefaultLimit {
		v.Set("limit", strconv.Itoa(req.Limit))
	}
	if req.Offset > 0 {
		v.Set("offset", strconv.Itoa(req.Offset))
	}
	if req.IncludeDeleted {
		v.Set("deleted", "1")
	}
	if req.Facets {
		v.Set("facets", "1")
	}
	return v
}

func intParam(v url.Values, name string, def, lo, hi int) (int, error) {
	s := v.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, &ParamError{fmt.Sprintf("%s must be a whole number from %d to %d", name, lo, hi),
			fmt.Sprintf("%s phải là một số nguyên từ %d đến %d", viParam[name], lo, hi)}
	}
	return n, nil
}

func dayParam(v url.Values, name string) (time.Time, error) {
	s := v.Get(name)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := ParseDay(s)
	if err != nil {
		return time.Time{}, &ParamError{name + " must be a date as YYYY-MM-DD or DD/MM/YYYY",
			viParam[name] + " phải là một ngày có thật, viết dạng ngày/tháng/năm (28/02/2020, 28.02.2020 hoặc 28022020) hoặc năm-tháng-ngày (2020-02-28)"}
	}
	return t, nil
}

// ParseDay reads a day as YYYY-MM-DD, or as Vietnamese write it,
// day/month/year (28/02/2020, 1/3/2020): the page's date boxes take it so
// whatever the browser's language, and the CLI and the API alike. A phone's
// number pad, which the boxes open, has no slash: the day typed on one,
// 28.02.2020 (Android's pad has the dot) or 28022020 (an iPhone's has
// digits only), is taken too. A day that does not exist (31/02/2020) is an
// error.
func ParseDay(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if len(s) == 8 && strings.Trim(s, "0123456789") == "" {
		// DDMMYYYY, as a phone's pad types the day. Eight digits that
		// read so only with a year before 1800 were meant another way
		// ("20100315", 2010-03-15 written compactly, is not 20/10/0315):
		// refused, as "20200228" is, rather than taken for a day nobody
		// meant.
		t, err := time.Parse("02012006", s)
		if err == nil && t.Year() < 1800 {
			return time.Time{}, fmt.Errorf("%q: the year %d is not a year of this archive", s, t.Year())
		}
		return t, err
	}
	return time.Parse("2/1/2006", strings.ReplaceAll(s, ".", "/"))
}
