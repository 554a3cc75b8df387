// Command fixturesite serves the fixture imitation of danguykhoithanhhoa.org.vn
// for manual demos (pointing a browser or the tulieu crawler at it):
//
//	go run ./internal/fixturesite/cmd/fixturesite -addr 127.0.0.1:8081
//
// Tests do not need it; they call fixturesite.Start.
package main

import (
	"flag"
	"log"
	"net/http"
	"time"

	"tulieu/internal/fixturesite"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "address to listen on")
	conditional := flag.Bool("conditional", false, "send ETag/Last-Modified and answer conditional requests with 304")
	flag.Parse()

	site := fixturesite.New(fixturesite.Options{Conditional: *conditional})
	srv := &http.Server{
		Addr:              *addr,
		Handler:           logRequests(site),
		ReadHeaderTimeout: 10 * time.Second,
	}
	log.Printf("fixturesite: serving %d documents on http://%s/", len(site.Articles()), *addr)
	log.Fatal(srv.ListenAndServe())
}

// logRequests prints each request, which is most of what one wants to see
// when watching a crawler work against the fixture.
func logRequests(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.Printf("%s %s", r.Method, r.URL.RequestURI())
		h.ServeHTTP(w, r)
	})
}
