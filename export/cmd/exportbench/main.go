// Command exportbench measures `tulieu export`: for each format, a real
// tulieu process exports every article of a generated archive (and the
// matches of a common word), and the time, rate and peak memory (the
// process's maximum resident set) are printed as a Markdown table.
//
//	go run ./export/cmd/exportbench                    # 100 000 articles, every format
//	go run ./export/cmd/exportbench -n 20000 -formats jsonl,csv
//
// The archive is made once by internal/benchdata (the same directories as
// web/cmd/loadbench: catalog through store.SaveArticle, index by `tulieu
// reindex`) and reused. Its articles have no captures, so the formats that
// copy archived bytes (warc, wacz; images in md and html) export their
// records without them: measure those on a crawled archive.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"tulieu/internal/benchdata"
	"tulieu/internal/procmem"
)

func main() {
	n := flag.Int("n", 100000, "generated articles")
	seed := flag.Uint64("seed", 1, "corpus seed")
	data := flag.String("data", "", "data directory to make, or reuse (default: in the temporary directory, named after -n and -seed)")
	bin := flag.String("bin", "", "tulieu binary (default: built with go build)")
	formatList := flag.String("formats", "jsonl,csv,xlsx,md,html", "formats to measure")
	query := flag.String("query", "đảng", "also measure the export of this query's matches (\"\" for none)")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *n, *seed, *data, *bin, strings.Split(*formatList, ","), *query, log); err != nil {
		fmt.Fprintln(os.Stderr, "exportbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, n int, seed uint64, data, bin string, formats []string, query string, log *slog.Logger) error {
	if n < 1 || n > 1_000_000 {
		return fmt.Errorf("-n must be from 1 to 1 000 000")
	}
	if data == "" {
		data = benchdata.DefaultDir(n, seed)
	}
	tmp, err := os.MkdirTemp("", "exportbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if bin == "" {
		if bin, err = benchdata.BuildTulieu(ctx, tmp); err != nil {
			return err
		}
	}
	prep, err := benchdata.Prepare(ctx, benchdata.Options{Dir: data, N: n, Seed: seed, Bin: bin, Log: log})
	if err != nil {
		return err
	}
	type selection struct {
		name string
		args []string
	}
	sels := []selection{{"every article", nil}}
	if query != "" {
		sels = append(sels, selection{fmt.Sprintf("query %q", query), []string{"--query", query}})
	}
	fmt.Printf("### tulieu export: %d articles (data %s, made %s)\n\n", prep.N, data, prep.Generated.Format(time.RFC3339))
	fmt.Println("| format | selection | records | seconds | records/s | peak RSS | of it anonymous / file-backed | file |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|---:|")
	for _, f := range formats {
		for _, sel := range sels {
			out := filepath.Join(tmp, "out."+f)
			args := append([]string{"--data", data, "--log-level", "warn", "export", "--format", f, "-o", out, "--force"}, sel.args...)
			cmd := exec.CommandContext(ctx, bin, args...)
			cmd.Stderr = os.Stderr
			start := time.Now()
			if err := cmd.Start(); err != nil {
				return fmt.Errorf("tulieu %s: %w", strings.Join(args, " "), err)
			}
			// The index a query export opens is mapped into memory: the
			// split says how much of the resident set is the process's
			// own.
			sampleCtx, stopSampling := context.WithCancel(ctx)
			split := make(chan procmem.Split, 1)
			go func() { split <- procmem.SampleSplit(sampleCtx, cmd.Process.Pid, 50*time.Millisecond) }()
			err := cmd.Wait()
			stopSampling()
			parts := <-split
			if err != nil {
				return fmt.Errorf("tulieu %s: %w", strings.Join(args, " "), err)
			}
			secs := time.Since(start).Seconds()
			records, size := countRecords(out)
			var rss int64
			if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
				rss = ru.Maxrss * 1024 // kilobytes on Linux
			}
			fmt.Printf("| %s | %s | %d | %.1f | %.0f | %d MiB | %d / %d MiB | %d MiB |\n", f, sel.name, records, secs,
				float64(records)/secs, rss>>20, parts.Anon>>20, parts.File>>20, size>>20)
			os.Remove(out)
		}
	}
	return nil
}

// countRecords reads the export's .meta.json for its number of records.
func countRecords(path string) (records int, size int64) {
	if fi, err := os.Stat(path); err == nil {
		size = fi.Size()
	}
	b, err := os.ReadFile(path + ".meta.json")
	if err != nil {
		return 0, size
	}
	var m struct{ Records int }
	if err := json.Unmarshal(b, &m); err != nil {
		return 0, size
	}
	return m.Records, size
}
