package web

import (
	"io"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tulieu/store"
)

// These tests come from a security review (archived content is hostile:
// the site is not ours). Each test's comment tells the attack and what
// happened before its fix (in the present tense of the review), and what
// should happen, which the test holds.

// secReviewCSPSources are the sources a policy's directive allows, or nil when
// the directive is absent.
func secReviewCSPSources(csp, directive string) []string {
	for _, d := range strings.Split(csp, ";") {
		f := strings.Fields(d)
		if len(f) > 0 && strings.EqualFold(f[0], directive) {
			return f[1:]
		}
	}
	return nil
}

// secReviewAllows says whether the sources let a document load target, an
// absolute URL of the server at origin: 'self' or the bare origin match
// every path of it; an origin with a path matches that path only.
func secReviewAllows(sources []string, origin string, target *url.URL) bool {
	for _, s := range sources {
		switch {
		case s == "'self'", strings.TrimSuffix(s, "/") == origin:
			return true
		case strings.HasPrefix(s, origin+"/"):
			p := strings.TrimPrefix(s, origin)
			if p == target.Path || strings.HasSuffix(p, "/") && strings.HasPrefix(target.Path, p) {
				return true
			}
		}
	}
	return false
}

// TestSecurityArchivedPageDrivesTheServersOwnRoutes
//
// Attack: a compromised site puts in its page a <style> whose url()s
// name routes of the archive's own server, relative to it:
// url(/export?format=wacz&versions=all&deleted=1) (every record of the
// archive: the wacz writer spools the archive's whole WARC to a temporary
// file before it sends a byte), and @import of /api/ids (every id). The
// archived copy keeps the <style> element as it was (rewriteDocument
// rewrites attributes, never a style sheet's text), and its policy allows
// images, styles and fonts from 'self' and from this server's whole
// origin (archivedCSP): every path, not only /raw.
//
// What happens: whoever opens the archived copy (a staff member
// following a citation) makes their browser ask the server for a full
// export of the archive, with their own basic-auth sign-in when the
// server has a token (the sandbox keeps the page in the origin then);
// the page can name it many times over. The archive's own content drives
// the application's expensive routes.
//
// What should happen: an archived page loads only archived bytes: its
// policy names /raw (a path source) rather than the whole origin, or
// style sheets' url()s are pointed at the archive as attributes are.
func TestSecurityArchivedPageDrivesTheServersOwnRoutes(t *testing.T) {
	for _, token := range []string{"", "s3cret-token-123"} {
		ix, st := openEmptyParts(t)
		srv := httptest.NewServer(New(ix, st, Options{AuthToken: token}))
		u := "http://danguykhoithanhhoa.org.vn/tin-tuc/bai-1.html"
		page := `<html><head><title>Bài 1</title><style>
@import url("/api/ids?q=");
body{background:url(/export?format=wacz&versions=all&deleted=1)}
h1{background-image:url('/export?format=wacz&versions=all&deleted=1&x=2')}
</style></head><body><h1>Tin tức</h1><p>Nội dung bài viết.</p></body></html>`
		archAddCapture(t, st, u, "text/html; charset=utf-8", store.KindArticle, []byte(page))
		req := httptest.NewRequest("GET", srv.URL+"/archive?url="+url.QueryEscape(u), nil)
		req.RequestURI = ""
		if token != "" {
			req.Header.Set("Authorization", BasicAuthHeader("nv", token))
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		body := string(b)
		if resp.StatusCode != 200 {
			t.Fatalf("token %q: archived page: %d %.200s", token, resp.StatusCode, body)
		}
		csp := resp.Header.Get("Content-Security-Policy")
		pageURL, _ := url.Parse(srv.URL + "/archive")
		refs := regexp.MustCompile(`url\(\s*["']?([^"')\s]+)`).FindAllStringSubmatch(body, -1)
		for _, m := range refs {
			ref, err := url.Parse(m[1])
			if err != nil {
				continue
			}
			target := pageURL.ResolveReference(ref)
			if target.Scheme+"://"+target.Host != srv.URL || target.Path == "/raw" {
				continue
			}
			directive := "img-src"
			if strings.Contains(body, "@import url(\""+m[1]) {
				directive = "style-src"
			}
			if secReviewAllows(secReviewCSPSources(csp, directive), srv.URL, target) {
				t.Errorf("token %q: the archived page makes the reader's browser load %s from this server (%s %v): "+
					"archived content drives the server's own routes", token, target.RequestURI(), directive, secReviewCSPSources(csp, directive))
			}
		}
		srv.Close()
	}
}
