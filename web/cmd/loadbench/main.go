package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"tulieu/internal/benchcorpus"
	"tulieu/internal/benchdata"
	"tulieu/internal/procmem"
)

// config is what the flags ask for.
type config struct {
	memoryMax string
	n         int
	seed      uint64
	dataDir   string
	bin       string
	clients   int
	duration  time.Duration
	warmup    time.Duration
	timeout   time.Duration
	queries   int
	apiFacets bool
	out       string
	serveArgs string
}

// Upper bounds of the flags: a typo must not start an hour-long run or a
// thousand connections.
const (
	maxArticles = 1_000_000
	maxClients  = 200
	maxDuration = 10 * time.Minute
	startWait   = 3 * time.Minute
	stopWait    = 10 * time.Second
)

func main() {
	var cfg config
	fs := flag.NewFlagSet("loadbench", flag.ExitOnError)
	fs.IntVar(&cfg.n, "n", 50000, "number of generated articles")
	fs.Uint64Var(&cfg.seed, "seed", 1, "corpus seed")
	fs.StringVar(&cfg.dataDir, "data", "", "data directory to generate, or reuse when an earlier run generated it (default: in the temporary directory, named after -n and -seed)")
	fs.StringVar(&cfg.bin, "bin", "", "tulieu binary to run (default: built with go build into a temporary directory)")
	fs.IntVar(&cfg.clients, "clients", 20, "concurrent clients")
	fs.DurationVar(&cfg.duration, "duration", 20*time.Second, "measured time per endpoint")
	fs.DurationVar(&cfg.warmup, "warmup", 15*time.Second, "unmeasured load before each endpoint's measurement (the server starts with its index out of the page cache and reads it from disk at first)")
	fs.DurationVar(&cfg.timeout, "timeout", 10*time.Second, "time limit of one request (a request over it counts as an error)")
	fs.IntVar(&cfg.queries, "queries", 200, "queries per kind (6 kinds: 1, 2, 3 syllables, with and without accents)")
	fs.BoolVar(&cfg.apiFacets, "api-facets", false, "/api/search requests also ask for facets (facets=1)")
	fs.StringVar(&cfg.out, "out", "", "also write the Markdown report to this file")
	fs.StringVar(&cfg.serveArgs, "serve-args", "", "more flags for tulieu serve, separated by spaces (e.g. \"--max-searches 1\")")
	fs.StringVar(&cfg.memoryMax, "memory-max", "", "run the server in a memory cgroup of this size (e.g. 300M; needs root; drops the machine's page cache first): the index pages it maps in count too, as on a machine with that much RAM")
	fs.Parse(os.Args[1:])

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := cfg.check(); err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, log); err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
}

func (c *config) check() error {
	switch {
	case c.n < 1 || c.n > maxArticles:
		return fmt.Errorf("-n must be from 1 to %d", maxArticles)
	case c.clients < 1 || c.clients > maxClients:
		return fmt.Errorf("-clients must be from 1 to %d", maxClients)
	case c.duration <= 0 || c.duration > maxDuration:
		return fmt.Errorf("-duration must be positive and at most %s", maxDuration)
	case c.warmup < 0 || c.warmup > maxDuration:
		return fmt.Errorf("-warmup must be from 0 to %s", maxDuration)
	case c.timeout <= 0 || c.timeout > time.Minute:
		return fmt.Errorf("-timeout must be positive and at most 1m")
	case c.queries < 1 || c.queries > 100000:
		return fmt.Errorf("-queries must be from 1 to 100000")
	}
	if c.memoryMax != "" {
		if _, err := parseSize(c.memoryMax); err != nil {
			return fmt.Errorf("-memory-max: %v", err)
		}
	}
	if c.dataDir == "" {
		c.dataDir = benchdata.DefaultDir(c.n, c.seed)
	}
	return nil
}

func run(ctx context.Context, cfg config, log *slog.Logger) error {
	gen := benchcorpus.New(cfg.seed)
	bin := cfg.bin
	if bin == "" {
		tmp, err := os.MkdirTemp("", "loadbench-bin-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		log.Info("building tulieu", "dir", tmp)
		if bin, err = benchdata.BuildTulieu(ctx, tmp); err != nil {
			return err
		}
	}
	prep, err := benchdata.Prepare(ctx, benchdata.Options{Dir: cfg.dataDir, N: cfg.n, Seed: cfg.seed, Bin: bin, Log: log})
	if err != nil {
		return err
	}

	var cg *memoryCgroup
	if cfg.memoryMax != "" {
		limit, _ := parseSize(cfg.memoryMax)
		if cg, err = newMemoryCgroup(limit); err != nil {
			return fmt.Errorf("-memory-max: %w", err)
		}
		defer cg.remove()
		// Pages already in the page cache stay charged to whoever read
		// them first (the reindex that wrote the index): the server's
		// reads must charge its own cgroup for the limit to mean anything.
		if err := dropPageCache(); err != nil {
			return fmt.Errorf("-memory-max: %w", err)
		}
		log.Info("the server runs in a memory cgroup; the page cache was dropped first", "dir", cg.dir, "limit", cfg.memoryMax)
	}
	srv, err := startServer(ctx, bin, cfg.dataDir, strings.Fields(cfg.serveArgs), cg, log)
	if err != nil {
		return err
	}
	defer srv.stop(log)
	startRSS := srv.peakRSS()
	// VmHWM adds the heap to the pages of the index that the kernel
	// mapped in (bleve reads its segments through mmap): sampling the two
	// apart says which one the memory is.
	sampleCtx, stopSampling := context.WithCancel(ctx)
	defer stopSampling()
	split := make(chan procmem.Split, 1)
	go func() { split <- procmem.SampleSplit(sampleCtx, srv.cmd.Process.Pid, 100*time.Millisecond) }()

	qs := makeQueries(gen, cfg.queries)
	client := &http.Client{
		Timeout: cfg.timeout,
		// One kept-alive connection per client: the default of two idle
		// connections per host would make most clients reconnect for every
		// request, and measure the handshake.
		Transport: &http.Transport{MaxIdleConnsPerHost: cfg.clients, MaxConnsPerHost: cfg.clients, DisableCompression: true},
	}
	apiQuery := "&limit=10"
	if cfg.apiFacets {
		apiQuery += "&facets=1"
	}
	apiName := "/api/search"
	if cfg.apiFacets {
		apiName += " (with facets)"
	}
	endpoints := []struct{ name, path, extra string }{
		{"/search (page, with facets)", "/search", ""},
		{apiName, "/api/search", apiQuery},
	}
	var results []*result
	for _, ep := range endpoints {
		urlFor := func(q string) string { return srv.base + ep.path + "?q=" + url.QueryEscape(q) + ep.extra }
		if cfg.warmup > 0 {
			log.Info("warming up", "endpoint", ep.path, "for", cfg.warmup)
			load(ctx, client, urlFor, qs, cfg.clients, cfg.warmup)
		}
		log.Info("measuring", "endpoint", ep.path, "clients", cfg.clients, "for", cfg.duration)
		cpu0 := srv.cpuTime()
		r := load(ctx, client, urlFor, qs, cfg.clients, cfg.duration)
		r.serverCPU = srv.cpuTime() - cpu0
		r.name = ep.name
		results = append(results, r)
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	peak := srv.peakRSS()
	hits, misses := cacheCounts(ctx, client, srv.base)
	stopSampling()
	parts := <-split
	var cgPeak int64
	if cg != nil {
		cgPeak = cg.peakUsage()
	}
	report := markdown(cfg, prep, results, startRSS, peak, len(qs), cgPeak)
	report += fmt.Sprintf("Of it, sampled every 100 ms: at most %s anonymous (heap, stacks) and %s file-backed (the index's mmapped segments, which the kernel can drop and read again).\n",
		mib(parts.Anon), mib(parts.File))
	if hits+misses > 0 {
		report += fmt.Sprintf("The server's cache of recent searches answered %.0f %% of the pages and facets asked (%d of %d), warm-up included.\n",
			100*float64(hits)/float64(hits+misses), hits, hits+misses)
	}
	fmt.Print(report)
	if cfg.out != "" {
		if err := os.WriteFile(cfg.out, []byte(report), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// ---- the data directory ----------------------------------------------------

// prepare makes the data directory, or checks that the one there is a
// finished one for the same corpus.

// fillCatalog saves the n articles into a new catalog. SaveArticle with no
// capture is the catalog's own import path: it assigns the change
// sequence the index follows, and writes the version row, as a crawl
// would. Articles are generated on the other cores while one goroutine
// writes, since SQLite takes one writer.

// ---- the server --------------------------------------------------------------

type server struct {
	cmd     *exec.Cmd
	base    string
	exited  chan struct{} // closed when the process has been waited for
	waitErr error         // how it exited, once exited is closed
}

// startServer starts `tulieu serve` on a free loopback port and waits until
// it answers a search.
func startServer(ctx context.Context, bin, dir string, extra []string, cg *memoryCgroup, log *slog.Logger) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close() // the server takes it; the window is a few milliseconds on loopback
	args := append([]string{"--data", dir, "--log-level", "warn", "serve", "--addr", addr}, extra...)
	cmd := exec.Command(bin, args...)
	if cg != nil {
		// The shell joins the cgroup, then becomes the server: all of the
		// server's memory is charged there from its first page.
		cmd = exec.Command("/bin/sh", append([]string{"-c", `echo $$ > "$1" && shift && exec "$@"`, "sh", cg.procs, bin}, args...)...)
	}
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	// Should loadbench itself die, the server goes with it rather than
	// holding the port and the index.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start tulieu serve: %w", err)
	}
	s := &server{cmd: cmd, base: "http://" + addr, exited: make(chan struct{})}
	go func() {
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	log.Info("started tulieu serve", "pid", cmd.Process.Pid, "url", s.base)

	deadline := time.Now().Add(startWait)
	probe := &http.Client{Timeout: 5 * time.Second}
	for {
		resp, err := probe.Get(s.base + "/api/search?q=thanh+hoa&limit=1")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		select {
		case <-s.exited:
			return nil, fmt.Errorf("tulieu serve exited before answering: %v", s.waitErr)
		case <-ctx.Done():
			s.stop(log)
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop(log)
			return nil, fmt.Errorf("tulieu serve did not answer within %s", startWait)
		}
	}
}

// stop asks the server to shut down as Ctrl-C would, and kills it if it
// does not within stopWait.
func (s *server) stop(log *slog.Logger) {
	select {
	case <-s.exited:
		return
	default:
	}
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exited:
	case <-time.After(stopWait):
		log.Warn("tulieu serve did not stop; killing it", "pid", s.cmd.Process.Pid)
		s.cmd.Process.Kill()
		<-s.exited
	}
}

// peakRSS is the server's peak resident set so far (VmHWM), in bytes; 0
// where /proc does not tell.
func (s *server) peakRSS() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			if f := strings.Fields(rest); len(f) >= 1 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}

// cpuTime is the CPU time (user and system) the server has used so far,
// from /proc/PID/stat; 0 where /proc does not tell.
func (s *server) cpuTime() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces: fields are
	// counted after its closing parenthesis. utime and stime are the
	// 14th and 15th fields, in clock ticks (100 a second on Linux).
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// cacheCounts reads the server's cache hits and misses from /metrics.
func cacheCounts(ctx context.Context, client *http.Client, base string) (hits, misses int64) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/metrics", nil)
	if err != nil {
		return 0, 0
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, 0
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	for _, line := range strings.Split(string(b), "\n") {
		for _, m := range []struct {
			name string
			n    *int64
		}{{"tulieu_search_cache_hits_total ", &hits}, {"tulieu_search_cache_misses_total ", &misses}} {
			if rest, ok := strings.CutPrefix(line, m.name); ok {
				f, _ := strconv.ParseFloat(strings.TrimSpace(rest), 64)
				*m.n = int64(f)
			}
		}
	}
	return hits, misses
}

// ---- the load -----------------------------------------------------------------

// query is one query of the mix and its kind: (syllables-1)*2, plus 1 when
// accented.
type query struct {
	text string
	kind int
}

// numKinds is the number of query kinds makeQueries makes.
const numKinds = 6

func kindName(k int) string {
	name := fmt.Sprintf("%d syllable", k/2+1)
	if k/2 > 0 {
		name += "s"
	}
	if k%2 == 1 {
		name += ", accented"
	}
	return name
}

// makeQueries draws the query mix from the corpus' text: 1, 2 and 3
// syllables, each with and without accents, interleaved so that any run of
// requests sees all kinds.
func makeQueries(gen *benchcorpus.Generator, perKind int) []query {
	var kinds [][]string
	for syl := 1; syl <= 3; syl++ {
		for _, accented := range []bool{false, true} {
			kinds = append(kinds, gen.Queries(perKind, benchcorpus.QueryKind{Syllables: syl, Accented: accented}, 7))
		}
	}
	var out []query
	for i := range perKind {
		for k, qs := range kinds {
			out = append(out, query{qs[i], k})
		}
	}
	return out
}

// result is one endpoint's figures.
type result struct {
	name      string
	elapsed   time.Duration
	lat       []time.Duration // of 200 answers
	byKind    [][]time.Duration
	status503 int
	otherErr  int // other statuses, transport errors, timeouts
	firstErr  string
	serverCPU time.Duration // CPU time the server spent during the measurement
}

// load runs clients that send requests back to back for d, each client
// walking the query list from its own offset. A request under way at the
// end is waited for and counted, rather than cut: a cut one would be
// neither a success nor an error, and the server would log it as failed.
func load(ctx context.Context, client *http.Client, urlFor func(string) string, qs []query, clients int, d time.Duration) *result {
	per := make([]*result, clients)
	start := time.Now()
	end := start.Add(d)
	var wg sync.WaitGroup
	for c := range clients {
		r := &result{byKind: make([][]time.Duration, numKinds)}
		per[c] = r
		wg.Go(func() {
			for i := c * len(qs) / clients; ctx.Err() == nil && time.Now().Before(end); i++ {
				q := qs[i%len(qs)]
				u := urlFor(q.text)
				t0 := time.Now()
				status, err := get(ctx, client, u)
				took := time.Since(t0)
				switch {
				case ctx.Err() != nil:
					return // interrupted: the run is abandoned
				case err != nil:
					r.otherErr++
					if r.firstErr == "" {
						r.firstErr = err.Error()
					}
				case status == http.StatusOK:
					r.lat = append(r.lat, took)
					r.byKind[q.kind] = append(r.byKind[q.kind], took)
				case status == http.StatusServiceUnavailable:
					r.status503++
				default:
					r.otherErr++
					if r.firstErr == "" {
						r.firstErr = fmt.Sprintf("%s: HTTP %d", u, status)
					}
				}
			}
		})
	}
	wg.Wait()
	total := &result{elapsed: time.Since(start), byKind: make([][]time.Duration, numKinds)}
	for _, r := range per {
		total.lat = append(total.lat, r.lat...)
		for k := range r.byKind {
			total.byKind[k] = append(total.byKind[k], r.byKind[k]...)
		}
		total.status503 += r.status503
		total.otherErr += r.otherErr
		if total.firstErr == "" {
			total.firstErr = r.firstErr
		}
	}
	slices.Sort(total.lat)
	for _, l := range total.byKind {
		slices.Sort(l)
	}
	return total
}

func get(ctx context.Context, client *http.Client, u string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// ---- the report ---------------------------------------------------------------

func pct(lat []time.Duration, p float64) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	return lat[min(len(lat)-1, int(p*float64(len(lat))))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

func markdown(cfg config, prep *benchdata.Prepared, results []*result, startRSS, peakRSS int64, nq int, cgroupPeak int64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### tulieu serve under load: %d articles, %d clients, %s per endpoint\n\n", cfg.n, cfg.clients, cfg.duration)
	if cfg.serveArgs != "" {
		fmt.Fprintf(&b, "Server flags: `%s`.\n\n", cfg.serveArgs)
	}
	fmt.Fprintf(&b, "| endpoint | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | 503 | other errors | server CPU ms/request |\n")
	fmt.Fprintf(&b, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range results {
		n := len(r.lat)
		var maxLat time.Duration
		if n > 0 {
			maxLat = r.lat[n-1]
		}
		cpuPer := "?"
		if total := n + r.status503 + r.otherErr; total > 0 && r.serverCPU > 0 {
			cpuPer = ms(r.serverCPU / time.Duration(total))
		}
		fmt.Fprintf(&b, "| %s | %d | %.0f | %s | %s | %s | %s | %d | %d | %s |\n", r.name, n+r.status503+r.otherErr,
			float64(n)/r.elapsed.Seconds(), ms(pct(r.lat, 0.50)), ms(pct(r.lat, 0.90)), ms(pct(r.lat, 0.99)), ms(maxLat),
			r.status503, r.otherErr, cpuPer)
	}
	fmt.Fprintf(&b, "\nBy query kind, p50 / p99 ms:\n\n| query |")
	for _, r := range results {
		fmt.Fprintf(&b, " %s |", r.name)
	}
	fmt.Fprintf(&b, "\n|---|%s\n", strings.Repeat("---:|", len(results)))
	for k := range numKinds {
		fmt.Fprintf(&b, "| %s |", kindName(k))
		for _, r := range results {
			fmt.Fprintf(&b, " %s / %s |", ms(pct(r.byKind[k], 0.50)), ms(pct(r.byKind[k], 0.99)))
		}
		fmt.Fprintf(&b, "\n")
	}
	fmt.Fprintf(&b, "\nServer peak resident set (VmHWM): %s after start, %s at the end.\n", mib(startRSS), mib(peakRSS))
	if cfg.memoryMax != "" {
		fmt.Fprintf(&b, "The server ran in a memory cgroup limited to %s; the cgroup's peak use (process and the page cache it charged): %s.\n", cfg.memoryMax, mib(cgroupPeak))
	}
	fmt.Fprintf(&b, "\nreq/s and percentiles count 200 answers; latency is from sending the request to reading the last byte. ")
	fmt.Fprintf(&b, "Queries: %d, 1–3 syllables from the corpus text, half with accents; %s warm-up before each endpoint, not counted. ", nq, cfg.warmup)
	fmt.Fprintf(&b, "Load generator and server on the same machine (%d CPUs, %s/%s, %s).\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	if prep.Reused {
		fmt.Fprintf(&b, "Data directory %s reused (generated %s: catalog %.0f s, index %.0f s).\n", cfg.dataDir, prep.Generated.Format(time.RFC3339), prep.CatalogSec, prep.IndexSec)
	} else {
		fmt.Fprintf(&b, "Data directory %s generated: catalog %.0f s, index (`tulieu reindex`) %.0f s.\n", cfg.dataDir, prep.CatalogSec, prep.IndexSec)
	}
	for _, r := range results {
		if r.firstErr != "" {
			fmt.Fprintf(&b, "First error on %s: %s\n", r.name, r.firstErr)
		}
	}
	return b.String()
}
