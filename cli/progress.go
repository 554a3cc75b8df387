package cli

import (
	"fmt"
	"log/slog"
	"time"

	"tulieu/crawler"
)

// progressReporter shows a crawl's progress: a line redrawn in place on a
// terminal, structured log lines otherwise (cron, systemd, CI).
type progressReporter struct {
	f     *Factory
	log   *slog.Logger
	every time.Duration
	drawn bool
}

func newProgressReporter(f *Factory, log *slog.Logger) *progressReporter {
	p := &progressReporter{f: f, log: log, every: 10 * time.Second}
	if f.IO.IsTerminal {
		p.every = 500 * time.Millisecond
	}
	return p
}

func (p *progressReporter) report(pr crawler.Progress) {
	elapsed := time.Since(pr.Started)
	rate := 0.0
	if s := elapsed.Seconds(); s > 0 {
		rate = float64(pr.Fetched) / s
	}
	if p.f.IO.IsTerminal {
		// Requests count everything fetched (robots.txt, images, the
		// pages); the queue counts pages: "45/34 pages" read as more
		// done than there was to do.
		fmt.Fprintf(p.f.IO.ErrOut, "\r\033[K%d requests, %d pages queued  %.1f/s  new %d  changed %d  errors %d  %s",
			pr.Fetched, pr.Queued, rate, pr.New, pr.Changed, pr.Errors, elapsed.Round(time.Second))
		p.drawn = true
		return
	}
	p.log.Info("crawl progress", "fetched", pr.Fetched, "queued", pr.Queued, "rate", fmt.Sprintf("%.1f/s", rate),
		"new", pr.New, "changed", pr.Changed, "unchanged", pr.Unchanged, "deleted", pr.Deleted, "errors", pr.Errors, "bytes", pr.Bytes)
}

func (p *progressReporter) done() {
	if p.drawn {
		fmt.Fprintln(p.f.IO.ErrOut)
	}
}
