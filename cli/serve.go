package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"tulieu/web"
)

// ServeOptions are the flags of `tulieu serve`.
type ServeOptions struct {
	Addr string
	// Ready, if set, is told the address actually listened on (tests use
	// port 0).
	Ready func(addr string)
	// CatchUpEvery is how often the index looks for catalog changes.
	CatchUpEvery time.Duration
}

// NewCmdServe builds `tulieu serve`.
func NewCmdServe(f *Factory, runF func(context.Context, *ServeOptions) error) *cobra.Command {
	opts := &ServeOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the search page (and a JSON API at /api/search)",
		Long: `Serve a small web page to search the archive and read articles as archived, and a JSON
API at /api/search?q=… (same parameters as the page: q, category, author, from, to, sort,
limit, offset). The index follows the catalog while it runs, so a crawl's new articles
appear within seconds.`,
		Example: "  tulieu serve\n  tulieu serve --addr 0.0.0.0:8080",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runServe(cmd.Context(), f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "address to listen on")
	return cmd
}

func runServe(ctx context.Context, f *Factory, opts *ServeOptions) error {
	if _, _, err := net.SplitHostPort(opts.Addr); err != nil {
		return usageErrorf("--addr %q: want HOST:PORT, e.g. 127.0.0.1:8080", opts.Addr)
	}
	log := f.Logger()
	st, err := f.OpenStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	ix, err := f.OpenIndex(ctx, st)
	if err != nil {
		return err
	}
	defer ix.Close()

	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", opts.Addr, err)
	}
	srv := &http.Server{Handler: web.New(ix, st, log), ReadHeaderTimeout: 10 * time.Second}
	log.Info("serving", "url", "http://"+ln.Addr().String()+"/", "data", f.DataDir)
	// Tell the other commands where to ask while we hold the index.
	if err := writeServerInfo(st.Dir(), ln.Addr().String()); err != nil {
		ln.Close()
		return fmt.Errorf("record the server address: %w", err)
	}
	defer os.Remove(filepath.Join(st.Dir(), serverFile))
	if opts.Ready != nil {
		opts.Ready(ln.Addr().String())
	}
	// Follow the catalog: a crawl running beside us adds articles. Asking
	// for the change sequence is one cheap query.
	go func() {
		every := opts.CatchUpEvery
		if every <= 0 {
			every = 5 * time.Second
		}
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if _, err := catchUp(ctx, st, ix, log); err != nil && ctx.Err() == nil {
					log.Warn("index catch-up failed", "err", err)
				}
			}
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			return err
		}
		if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}
