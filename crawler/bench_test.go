package crawler

import (
	"context"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"tulieu/internal/benchsite"
	"tulieu/internal/procmem"
	"tulieu/store"
	"tulieu/warc"
)

// benchPages is the size of the generated site: TULIEU_BENCH_PAGES, default
// 1000 so that `go test -bench .` stays quick; BENCHMARKS.md uses 10000.
func benchPages() int {
	if n, err := strconv.Atoi(os.Getenv("TULIEU_BENCH_PAGES")); err == nil && n > 0 {
		return n
	}
	return 1000
}

func benchCrawl(b *testing.B, dir, site string) *Summary {
	ctx := context.Background()
	st, err := store.Open(ctx, dir, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	w, _ := warc.NewWriter(st.WARCPath(), warc.WriterOptions{})
	defer w.Close()
	sum, err := New(st, w, nil).Run(ctx, Options{Sites: []string{site}, Parallel: 8, Delay: 0, Timeout: 10 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	return sum
}

// peakRSS is the process's peak resident memory in MiB since the
// benchmark began.
func peakRSS() float64 { return float64(procmem.PeakRSS()) / (1 << 20) }

// BenchmarkCrawl crawls the generated site from scratch, politeness off:
// fetch, archive, extract, catalog.
func BenchmarkCrawl(b *testing.B) {
	n := benchPages()
	srv := httptest.NewServer(benchsite.New(n))
	defer srv.Close()
	procmem.ResetPeak()
	var pages int64
	for b.Loop() {
		sum := benchCrawl(b, b.TempDir(), srv.URL+"/")
		if sum.New != int64(n) {
			b.Fatalf("crawled %d new articles, want %d", sum.New, n)
		}
		pages += sum.Fetched
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
	b.ReportMetric(peakRSS(), "peak-RSS-MiB")
}

// BenchmarkRecrawlUnchanged re-crawls the same site: every article answers
// 304 to its conditional request.
func BenchmarkRecrawlUnchanged(b *testing.B) {
	n := benchPages()
	srv := httptest.NewServer(benchsite.New(n))
	defer srv.Close()
	dir := b.TempDir()
	benchCrawl(b, dir, srv.URL+"/")
	procmem.ResetPeak()
	var pages int64
	b.ResetTimer()
	for b.Loop() {
		sum := benchCrawl(b, dir, srv.URL+"/")
		if sum.Unchanged != int64(n) || sum.New != 0 {
			b.Fatalf("re-crawl: %+v", sum)
		}
		pages += sum.Fetched
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
	b.ReportMetric(peakRSS(), "peak-RSS-MiB")
}
