package web

import (
	"cmp"
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, in a registry of its own
// (no global state: two servers in one test process count apart).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics(s *Server) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tulieu_http_requests_total",
		Help: "HTTP requests answered, by route pattern and status code.",
	}, []string{"route", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "tulieu_http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by route pattern.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route"})
	m.reg.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "tulieu_index_documents",
			Help: "Documents (articles and pages, deleted ones included) in the search index.",
		}, func() float64 {
			n, err := s.search.Count()
			if err != nil {
				return -1
			}
			return float64(n)
		}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "tulieu_search_cache_hits_total",
			Help: "Pages of results and facets answered from the cache of recent searches.",
		}, func() float64 {
			if s.cache == nil {
				return 0
			}
			return float64(s.cache.hits.Load())
		}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "tulieu_search_cache_misses_total",
			Help: "Pages of results and facets that had to be searched.",
		}, func() float64 {
			if s.cache == nil {
				return 0
			}
			return float64(s.cache.misses.Load())
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "tulieu_searches_in_flight",
			Help: "Searches running now (at most the server's cap).",
		}, func() float64 { return float64(s.searches.inUse()) }),
	)
	if s.opts.LastCrawl != nil {
		last := func() (time.Time, string) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			t, status, err := s.opts.LastCrawl(ctx)
			if err != nil {
				return time.Time{}, ""
			}
			return t, status
		}
		m.reg.MustRegister(
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "tulieu_last_crawl_finished_timestamp_seconds",
				Help: "When the last crawl run ended (Unix time; 0 if none ran, or the last one was killed and never finished).",
			}, func() float64 {
				t, _ := last()
				if t.IsZero() {
					return 0
				}
				return float64(t.Unix())
			}),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "tulieu_last_crawl_completed",
				Help: "1 if the last crawl run completed, 0 if it was interrupted or failed (or none ran).",
			}, func() float64 {
				if _, status := last(); status == "completed" {
					return 1
				}
				return 0
			}),
		)
	}
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// statusWriter remembers the status code a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (exports
// extend their write deadline through it).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// wrap counts every request by its route pattern (never by its raw path,
// so a scan of random URLs cannot grow the metrics without bound).
func (m *metrics) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		record := func(code int) {
			route := r.Pattern // set by the ServeMux on this request
			if route == "" {
				route = "none"
			}
			m.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
			m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
		}
		defer func() {
			// A handler that gives up mid-answer (an export whose
			// reading failed aborts the connection, so the client sees
			// the file is incomplete) is counted too, with the status
			// it had sent, or 500.
			if p := recover(); p != nil {
				record(cmp.Or(sw.code, http.StatusInternalServerError))
				panic(p)
			}
		}()
		next.ServeHTTP(sw, r)
		record(cmp.Or(sw.code, http.StatusOK))
	})
}
