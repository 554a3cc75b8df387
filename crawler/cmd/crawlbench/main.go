// Command crawlbench crawls one generated site (internal/benchsite) with
// wget and with tulieu, one after the other in the same run, and prints
// both rates, their ratio and each process's peak RSS: the figures of
// issue "Performance" in BENCHMARKS.md.
//
//	go run ./crawler/cmd/crawlbench -n 20000
//	go run ./crawler/cmd/crawlbench -n 20000 -runs 3   # the ratios' median of three
//	go run ./crawler/cmd/crawlbench -wget "" -runs 3 -bin old,new   # two binaries, alternated
//
// wget (Debian's wget) fetches and writes a WARC (--warc-file) and
// follows links; tulieu also extracts, records every article in its
// catalog and indexes it. Both run without politeness delays, on
// loopback, with the site served by this process.
package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	_ "modernc.org/sqlite" // the catalog, read for its size

	"tulieu/internal/benchdata"
	"tulieu/internal/benchsite"
	"tulieu/internal/procmem"
)

func main() {
	n := flag.Int("n", 20000, "articles of the generated site")
	parallel := flag.Int("parallel", 4, "tulieu's --parallel")
	bin := flag.String("bin", "", "tulieu binary (default: built with go build); several, comma-separated, are measured in turn, run after run")
	wgetBin := flag.String("wget", "wget", "wget binary; \"\" to skip it")
	recrawl := flag.Bool("recrawl", false, "then crawl the unchanged site again into the same archive, and compare the times")
	runs := flag.Int("runs", 1, "measure this many times, each on a site and archive of its own, and give the medians")
	flag.Parse()
	if err := measureAll(*n, *parallel, *bin, *wgetBin, *recrawl, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "crawlbench:", err)
		os.Exit(1)
	}
}

// measureAll measures runs times each of the binaries bin lists (one
// built for them when it is empty), and gives the medians.
func measureAll(n, parallel int, bin, wgetBin string, recrawl bool, runs int) error {
	bins := strings.Split(bin, ",")
	if bin == "" {
		// Built once, for every run.
		built, cleanup, err := buildTulieu()
		if err != nil {
			return err
		}
		defer cleanup()
		bins = []string{built}
	}
	measured := make([][]ratios, len(bins))
	for i := range max(1, runs) {
		// Binaries alternate, so that the machine's slow minutes fall on
		// each alike.
		for b, binary := range bins {
			if i > 0 || b > 0 {
				fmt.Println()
			}
			if len(bins) > 1 {
				fmt.Printf("#### %s, run %d\n\n", binary, i+1)
			}
			r, err := run(n, parallel, binary, wgetBin, recrawl)
			if err != nil {
				return err
			}
			measured[b] = append(measured[b], r)
		}
	}
	// A shared two-core machine's speed wanders by a fifth from one
	// minute to the next, for both tools alike: a ratio measured in one
	// run is steadier than either rate, and the median of a few is what
	// to compare.
	if runs > 1 || len(bins) > 1 {
		fmt.Println()
		for b, rs := range measured {
			name := ""
			if len(bins) > 1 {
				name = bins[b] + ": "
			}
			var ratio, share, cpu, againCPU []float64
			for _, r := range rs {
				if r.ratio > 0 {
					ratio = append(ratio, r.ratio)
				}
				if r.recrawlShare > 0 {
					share = append(share, r.recrawlShare)
					againCPU = append(againCPU, r.againCPUPerPage)
				}
				cpu = append(cpu, r.cpuPerPage)
			}
			fmt.Printf("%sover %d runs, tulieu's CPU a page: median %.2f ms (%s)\n", name, len(cpu), median(cpu), spread(cpu, "%.2f"))
			if len(againCPU) > 0 {
				fmt.Printf("%sover %d runs, the re-crawl's CPU a page: median %.2f ms (%s)\n", name, len(againCPU), median(againCPU), spread(againCPU, "%.2f"))
			}
			if len(ratio) > 0 {
				fmt.Printf("%sover %d runs, tulieu / wget pages/s: median %.2f× (%s)\n", name, len(ratio), median(ratio), spread(ratio, "%.2f×"))
			}
			if len(share) > 0 {
				fmt.Printf("%sover %d runs, re-crawl / first crawl time: median %.0f %% (%s)\n", name, len(share), 100*median(share), spread(scaled(share, 100), "%.0f %%"))
			}
		}
	}
	return nil
}

// buildTulieu builds the tulieu command into a folder of its own, which
// cleanup removes.
func buildTulieu() (bin string, cleanup func(), err error) {
	dir, err := os.MkdirTemp("", "crawlbench-bin-")
	if err != nil {
		return "", nil, err
	}
	bin, err = benchdata.BuildTulieu(context.Background(), dir)
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	return bin, func() { os.RemoveAll(dir) }, nil
}

// median is the middle of xs (the mean of the two middle ones).
func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// spread lists xs in the order measured.
func spread(xs []float64, format string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf(format, x)
	}
	return strings.Join(parts, ", ")
}

func scaled(xs []float64, k float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = k * x
	}
	return out
}

// ratios is what one run measured: tulieu's pages/s over wget's, the
// re-crawl's time over the first crawl's (0 when not measured), and
// tulieu's CPU a page in its first crawl and in its re-crawl, in
// milliseconds.
type ratios struct{ ratio, recrawlShare, cpuPerPage, againCPUPerPage float64 }

type result struct {
	tool    string
	pages   int64
	elapsed time.Duration
	maxRSS  int64         // bytes
	cpu     time.Duration // the tool's user and system time
	served  time.Duration // this process's CPU while the tool ran: mostly the site's server
	note    string
}

// selfCPU is this process's user and system time so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuOf is a finished process's user and system time.
func cpuOf(ps *os.ProcessState) time.Duration {
	if ps == nil {
		return 0
	}
	return ps.UserTime() + ps.SystemTime()
}

func run(n, parallel int, bin, wgetBin string, recrawl bool) (ratios, error) {
	tmp, err := os.MkdirTemp("", "crawlbench-")
	if err != nil {
		return ratios{}, err
	}
	defer os.RemoveAll(tmp)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return ratios{}, err
	}
	srv := &http.Server{Handler: benchsite.New(n)}
	go srv.Serve(ln)
	defer srv.Close()
	site := "http://" + ln.Addr().String() + "/"
	listings := (n + 49) / 50
	html := int64(n + listings)

	var results []result
	if wgetBin != "" {
		if _, err := exec.LookPath(wgetBin); err != nil {
			fmt.Fprintf(os.Stderr, "crawlbench: no %s here; measuring tulieu alone\n", wgetBin)
		} else {
			dir := filepath.Join(tmp, "wget")
			os.MkdirAll(dir, 0o755)
			cmd := exec.Command(wgetBin, "--recursive", "--level=inf", "--no-verbose", "--no-parent", "-e", "robots=on",
				"--warc-file="+filepath.Join(dir, "site"), "-P", dir, site)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			start, served := time.Now(), selfCPU()
			err := cmd.Run()
			el, served := time.Since(start), selfCPU()-served
			if err != nil && cmd.ProcessState == nil {
				return ratios{}, fmt.Errorf("wget: %w", err)
			}
			// What wget saved: every page it fetched (robots.txt aside).
			var saved int64
			filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() && !strings.HasSuffix(p, ".warc.gz") && !strings.HasSuffix(p, ".cdx") && filepath.Base(p) != "robots.txt" {
					saved++
				}
				return nil
			})
			if saved != html {
				fmt.Fprintf(os.Stderr, "crawlbench: wget saved %d pages of %d\n", saved, html)
			}
			results = append(results, result{tool: "wget --recursive --warc-file", pages: saved, elapsed: el,
				maxRSS: maxRSS(cmd.ProcessState), cpu: cpuOf(cmd.ProcessState), served: served, note: "fetch, WARC, links"})
		}
	}
	data := filepath.Join(tmp, "tulieu")
	// crawl runs tulieu once on the site into data.
	crawl := func(label string) (result, error) {
		cmd := exec.Command(bin, "--data", data, "--log-level", "error", "crawl", "--site", site, "--delay", "0",
			"--parallel", fmt.Sprint(parallel), "--json")
		var out, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &stderr
		start, served := time.Now(), selfCPU()
		if err := cmd.Start(); err != nil {
			return result{}, fmt.Errorf("tulieu crawl: %v", err)
		}
		// Which memory the peak is: the process's own (heap, stacks) or
		// file-backed (the index's mmapped segments).
		sampling, stopSampling := context.WithCancel(context.Background())
		split := make(chan procmem.Split, 1)
		go func() { split <- procmem.SampleSplit(sampling, cmd.Process.Pid, 50*time.Millisecond) }()
		err := cmd.Wait()
		stopSampling()
		sp := <-split
		if err != nil {
			return result{}, fmt.Errorf("tulieu crawl: %v %s", err, stderr.String())
		}
		el, served := time.Since(start), selfCPU()-served
		var sum struct{ Fetched, New, Unchanged int64 }
		if err := json.Unmarshal(out.Bytes(), &sum); err != nil {
			return result{}, fmt.Errorf("tulieu crawl --json: %v", err)
		}
		return result{tool: fmt.Sprintf("tulieu crawl --delay 0 --parallel %d%s", parallel, label), pages: sum.Fetched - 1,
			elapsed: el, maxRSS: maxRSS(cmd.ProcessState), cpu: cpuOf(cmd.ProcessState), served: served, note: fmt.Sprintf("fetch, WARC, extract, catalog, index; %d articles new, %d unchanged; of the RSS at most %.0f MiB anonymous, %.0f MiB file-backed",
				sum.New, sum.Unchanged, float64(sp.Anon)/(1<<20), float64(sp.File)/(1<<20))}, nil
	}
	first, err := crawl("")
	if err != nil {
		return ratios{}, err
	}
	results = append(results, first)
	var again *result
	if recrawl {
		r, err := crawl(", again (every article answers 304)")
		if err != nil {
			return ratios{}, err
		}
		again = &r
	}

	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("### crawlbench: %d articles + %d listings, on loopback (%d CPUs, %s, load %s)\n\n", n, listings, runtime.NumCPU(),
		runtime.Version(), strings.Join(strings.Fields(string(load))[:3], " "))
	fmt.Println("| tool | HTML pages | seconds | pages/s | peak RSS | CPU s (ms a page) | server's CPU s | work |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---|")
	rows := results
	if again != nil {
		rows = append(slices.Clip(results), *again)
	}
	for _, r := range rows {
		fmt.Printf("| %s | %d | %.1f | %.0f | %.0f MiB | %.1f (%.2f) | %.1f | %s |\n", r.tool, r.pages, r.elapsed.Seconds(),
			float64(r.pages)/r.elapsed.Seconds(), float64(r.maxRSS)/(1<<20), r.cpu.Seconds(),
			1000*r.cpu.Seconds()/float64(r.pages), r.served.Seconds(), r.note)
	}
	measured := ratios{cpuPerPage: 1000 * first.cpu.Seconds() / float64(first.pages)}
	if len(results) == 2 {
		w, t := results[0], results[1]
		measured.ratio = (float64(t.pages) / t.elapsed.Seconds()) / (float64(w.pages) / w.elapsed.Seconds())
		fmt.Printf("\ntulieu / wget pages/s: %.2f× (target ≥ 1.0×)\n", measured.ratio)
	}
	if again != nil {
		measured.recrawlShare = again.elapsed.Seconds() / first.elapsed.Seconds()
		measured.againCPUPerPage = 1000 * again.cpu.Seconds() / float64(again.pages)
		fmt.Printf("re-crawl / first crawl time: %.0f %% (target ≤ 30 %%)\n", 100*measured.recrawlShare)
	}
	size, err := measureCatalog(filepath.Join(data, "catalog.sqlite"))
	if err != nil {
		return ratios{}, err
	}
	fmt.Printf("catalog: %.1f MiB for %.1f MiB of extracted text (%.1f MiB of it plain body text): %.2f× the text (target ≤ 1.5×)\n",
		float64(size.file)/(1<<20), float64(size.text)/(1<<20), float64(size.body)/(1<<20), float64(size.file)/float64(size.text))
	return measured, nil
}

type catalogSize struct{ file, text, body int64 }

// measureCatalog weighs the catalog file (its write-ahead log folded in)
// against the UTF-8 bytes of the extracted fields it holds: every field
// of every article. The generated site does not change between crawls, so
// the articles hold every version's text.
func measureCatalog(path string) (catalogSize, error) {
	var cs catalogSize
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return cs, err
	}
	defer db.Close()
	if _, err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return cs, fmt.Errorf("catalog: %w", err)
	}
	err = db.QueryRow(`SELECT COALESCE(SUM(length(CAST(title AS BLOB)) + length(CAST(author AS BLOB)) + length(CAST(author_name AS BLOB))
		+ length(CAST(source AS BLOB)) + length(CAST(breadcrumb AS BLOB)) + length(CAST(category AS BLOB)) + length(published)
		+ length(CAST(body AS BLOB)) + length(CAST(body_html AS BLOB)) + length(CAST(images AS BLOB))
		+ length(CAST(attachments AS BLOB))), 0), COALESCE(SUM(length(CAST(body AS BLOB))), 0) FROM articles`).Scan(&cs.text, &cs.body)
	if err != nil {
		return cs, fmt.Errorf("catalog: %w", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return cs, err
	}
	cs.file = fi.Size()
	return cs, nil
}

// maxRSS is a finished process's peak resident set, in bytes.
func maxRSS(ps *os.ProcessState) int64 {
	if ps == nil {
		return 0
	}
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss * 1024 // Linux reports kilobytes
	}
	return 0
}
