package crawler

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tulieu/warc"
)

// connectProxy is an HTTP proxy that only tunnels (CONNECT), counting the
// tunnels it opened.
func connectProxy(t *testing.T) (*url.URL, *atomic.Int64) {
	var tunnels atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "tunnels only", http.StatusMethodNotAllowed)
			return
		}
		up, err := net.DialTimeout("tcp", r.Host, 2*time.Second)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		tunnels.Add(1)
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			up.Close()
			return
		}
		conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); io.Copy(up, buf.Reader); up.(*net.TCPConn).CloseWrite() }()
		go func() { defer wg.Done(); io.Copy(conn, up); conn.Close() }()
		wg.Wait()
		up.Close()
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	return u, &tunnels
}

// TestHTTPSArchivedExactly: an HTTPS site, fetched directly and through
// a CONNECT proxy, is archived as the plain HTTP exchanges inside TLS
// (as Heritrix and wget record them), and its articles are extracted.
func TestHTTPSArchivedExactly(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			fmt.Fprint(w, `<html><body><a href="/bai-1.html">Bài viết thứ nhất về công tác Đảng</a> <a href="/bai-2.html">Bài viết thứ hai về công tác Đảng</a></body></html>`)
		default:
			article(w, "Bài "+r.URL.Path)
		}
	}))
	defer srv.Close()
	roots := srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	proxy, tunnels := connectProxy(t)
	for _, via := range []*url.URL{nil, proxy} {
		name := "direct"
		if via != nil {
			name = "through a CONNECT proxy"
		}
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			before := tunnels.Load()
			sum, st, err := crawlInto(t, Options{Sites: []string{srv.URL + "/"}, Parallel: 2, Timeout: 3 * time.Second,
				Proxy: via, TLS: &tls.Config{RootCAs: roots}})
			if err != nil {
				t.Fatal(err)
			}
			if sum.New != 2 || sum.Errors != 0 {
				t.Fatalf("summary %+v", sum)
			}
			// Connections are kept alive: every request goes through a
			// tunnel, and the four (robots.txt, /, two articles) share
			// fewer than four.
			if n := tunnels.Load() - before; via != nil && (n < 1 || n > 3) {
				t.Errorf("%d tunnels through the proxy for 4 requests, want 1 to 3 (kept alive)", n)
			}
			if via == nil && tunnels.Load() != before {
				t.Errorf("the direct crawl went through the proxy")
			}
			a, err := st.Article(ctx, srv.URL+"/bai-1.html")
			if err != nil {
				t.Fatal(err)
			}
			c, err := st.CaptureByID(ctx, a.CaptureID)
			if err != nil {
				t.Fatal(err)
			}
			rec, err := warc.ReadResponse(st.WARCPath(), c.WARCFile, c.WARCOffset)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Status != 200 || !strings.Contains(string(rec.Payload), "Hội nghị Ban Chấp hành") || rec.TargetURI != srv.URL+"/bai-1.html" {
				t.Errorf("the archived response is not the plain HTTP answer: status %d, target %s, %.80q", rec.Status, rec.TargetURI, rec.Payload)
			}
		})
	}
	// A proxy that refuses is a clear error, not a silent direct fetch.
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "forbidden", http.StatusForbidden)
	}))
	defer refusing.Close()
	ru, _ := url.Parse(refusing.URL)
	_, _, err := crawlInto(t, Options{Sites: []string{srv.URL + "/"}, Timeout: 2 * time.Second, MaxRetries: -1,
		Proxy: ru, TLS: &tls.Config{RootCAs: roots}})
	if err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("crawl through a proxy that refuses: %v", err)
	}
}
