// Command tulieu archives and searches the website of Đảng ủy Khối các cơ
// quan tỉnh Thanh Hóa. All of its behaviour lives in package cli; main only
// wires the process (signals, streams, environment, exit code) to it.
package main

import (
	"context"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"

	"tulieu/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	f := &cli.Factory{
		IO: cli.IOStreams{
			In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
			IsTerminal: term.IsTerminal(int(os.Stderr.Fd())),
		},
		Getenv: os.Getenv,
		// Bleve prints a few warnings through the standard log package:
		// into tulieu's own log, in its format.
		LibraryLog: func(l *slog.Logger) {
			log.SetFlags(0)
			log.SetOutput(cli.LogWriter(l, "bleve"))
		},
	}
	code := cli.Execute(ctx, f, os.Args[1:])
	stop()
	os.Exit(code)
}
