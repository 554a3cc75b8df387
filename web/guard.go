package web

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// The page runs no script at all, loads only its own stylesheet and
// images, and cannot be framed: whatever text the archive holds, nothing
// it contains can run in this origin.
const pageCSP = "default-src 'none'; img-src 'self' data:; style-src 'self'; form-action 'self'; " +
	"base-uri 'none'; frame-ancestors 'none'"

// guard checks the Host header and the access token, and sets the security
// headers every answer carries.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", pageCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if s.opts.Loopback && !loopbackHost(r.Host) {
			// A page on another site whose name was made to resolve to
			// 127.0.0.1 (DNS rebinding) sends its own name here.
			s.plainError(w, r, http.StatusMisdirectedRequest, "this server answers only to localhost, 127.0.0.1 or [::1]",
				"Máy chủ này chỉ trả lời khi được mở bằng localhost, 127.0.0.1 hoặc [::1].")
			return
		}
		if s.opts.AuthToken != "" && r.URL.Path != "/healthz" && !s.authorized(r) {
			h.Set("WWW-Authenticate", `Basic realm="tulieu", charset="UTF-8"`)
			s.plainError(w, r, http.StatusUnauthorized, "an access token is required (Authorization: Bearer TOKEN)",
				"Cần mã truy cập (access token required).")
			return
		}
		if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
			// URL.Query drops what does not parse (a raw ";", a broken
			// %-escape) without a word: a search for "hòa;bình" would
			// answer with every article.
			s.plainError(w, r, http.StatusBadRequest, "the query string does not parse ("+err.Error()+"): escape \";\" as %3B and \"%\" as %25",
				"Địa chỉ có tham số không đọc được ("+err.Error()+"): dấu \";\" viết là %3B, dấu \"%\" là %25.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// isAPI: the request is for the JSON API, every answer of which, errors
// included, is JSON.
func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// plainError answers an error found outside the handlers (the guards, a
// panic): apiMsg as the API's JSON error under /api/, pageMsg as plain
// text elsewhere (no page template: it may be what failed).
func (s *Server) plainError(w http.ResponseWriter, r *http.Request, status int, apiMsg, pageMsg string) {
	if isAPI(r) {
		s.apiError(w, status, apiMsg)
		return
	}
	http.Error(w, pageMsg, status)
}

func (s *Server) authorized(r *http.Request) bool {
	tok := bearer(r)
	if tok == "" {
		if _, pass, ok := r.BasicAuth(); ok {
			tok = pass
		}
	}
	return tok != "" && (tokenMatches(tok, s.opts.AuthToken) ||
		s.opts.InstanceToken != "" && tokenMatches(tok, s.opts.InstanceToken))
}

func bearer(r *http.Request) string {
	a := r.Header.Get("Authorization")
	if len(a) > 7 && strings.EqualFold(a[:7], "bearer ") {
		return strings.TrimSpace(a[7:])
	}
	return ""
}

// tokenMatches compares in constant time, so the answer's timing tells
// nothing about how much of a guess was right.
func tokenMatches(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// BasicAuthHeader is the Authorization header value of HTTP basic auth
// with token as the password, as a browser sends it.
func BasicAuthHeader(user, token string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+token))
}

// loopbackHost says whether a Host header names this machine by a
// loopback name or address.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// IsLoopbackAddr says whether a listen address binds loopback only.
func IsLoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "" {
		return false // all interfaces
	}
	return loopbackHost(host)
}

// recoverPanics turns a panic in a handler into a 500 and a log line. The
// process goes on serving: net/http would recover it too, but would drop
// the connection without an answer.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic in handler", "path", r.URL.Path, "panic", v)
				s.plainError(w, r, http.StatusInternalServerError, "internal error", "Lỗi máy chủ; nhật ký máy chủ ghi rõ nguyên nhân.")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// errBusy is returned when every slot is taken and the queue is full, or a
// request waited longer than the queue allows.
var errBusy = errors.New("server busy")

// limiter caps concurrent work: up to n at once, up to queue more waiting
// at most wait each; past that, errBusy at once. Excess load waits briefly
// instead of failing, and an overload is answered (503 + Retry-After)
// instead of piling up goroutines and memory.
type limiter struct {
	slots   chan struct{}
	waiting chan struct{}
	wait    time.Duration
}

func newLimiter(n, queue int, wait time.Duration) *limiter {
	return &limiter{slots: make(chan struct{}, n), waiting: make(chan struct{}, queue), wait: wait}
}

func (l *limiter) acquire(ctx context.Context) (release func(), err error) {
	select {
	case l.slots <- struct{}{}:
		return l.release, nil
	default:
	}
	select {
	case l.waiting <- struct{}{}:
	default:
		return nil, errBusy
	}
	defer func() { <-l.waiting }()
	t := time.NewTimer(l.wait)
	defer t.Stop()
	select {
	case l.slots <- struct{}{}:
		return l.release, nil
	case <-t.C:
		return nil, errBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (l *limiter) release() { <-l.slots }

func (l *limiter) inUse() int { return len(l.slots) }

func pid() int { return os.Getpid() }
