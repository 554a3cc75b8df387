package cli

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"tulieu/api"
	"tulieu/index"
	"tulieu/store"
	"tulieu/web"
)

// Only one process can hold the Bleve index open. While `tulieu serve`
// runs it is the index's owner; it leaves its address in the data
// directory, and the other commands ask it instead of opening the index.
const serverFile = "serve.json"

// serverInfo is serve.json. The token is random per server: a command
// trusts the server at URL only once it has proved it knows the token and
// serves this very data directory, so that after a crash another program
// (or another archive's server) on that port is never taken for ours.
type serverInfo struct {
	URL     string `json:"url"`
	PID     int    `json:"pid"`
	Token   string `json:"token"`
	DataDir string `json:"data_dir"`
}

func newInstanceToken() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// writeServerInfo writes serve.json readable by its owner only: the token
// in it opens the server's API.
func writeServerInfo(dir string, si serverInfo) error {
	js, _ := json.Marshal(si)
	tmp := filepath.Join(dir, serverFile+".tmp")
	if err := os.WriteFile(tmp, js, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, serverFile))
}

func readServerInfo(dir string) (*serverInfo, error) {
	b, err := os.ReadFile(filepath.Join(dir, serverFile))
	if err != nil {
		return nil, err
	}
	var si serverInfo
	if err := json.Unmarshal(b, &si); err != nil || si.URL == "" || si.Token == "" {
		return nil, fmt.Errorf("%s is damaged or from an older tulieu", serverFile)
	}
	return &si, nil
}

// searcher runs queries: the index itself, or the server that owns it.
type searcher interface {
	Search(ctx context.Context, req index.Request) (*api.Search, error)
	Close() error
}

// localSearcher searches an index this process opened.
type localSearcher struct{ *index.Index }

func (l localSearcher) Search(ctx context.Context, req index.Request) (*api.Search, error) {
	res, err := l.Index.Search(ctx, req)
	if err != nil {
		return nil, err
	}
	return api.NewSearch(req, res), nil
}

// OpenSearcher opens the index for searching, or, when a running `tulieu
// serve` owns it, returns a client of that server.
func (f *Factory) OpenSearcher(ctx context.Context, st *store.Store) (searcher, error) {
	if rs := f.runningServer(ctx, st.Dir()); rs != nil {
		f.Logger().Debug("asking the running server", "url", rs.base)
		return rs, nil
	}
	ix, err := f.OpenIndex(ctx, st)
	if errors.Is(err, index.ErrInUse) {
		return nil, errIndexBusy
	}
	if err != nil {
		return nil, err
	}
	return localSearcher{ix}, nil
}

// UpdateIndex brings the search index up to date with the catalog after a
// command changed it. When a running `tulieu serve` owns the index there
// is nothing to do: it follows the catalog itself.
func (f *Factory) UpdateIndex(ctx context.Context, st *store.Store) error {
	if f.runningServer(ctx, st.Dir()) != nil {
		f.Logger().Info("a running tulieu serve holds the search index and takes in the changes itself")
		return nil
	}
	ix, err := f.OpenIndex(ctx, st)
	if err != nil {
		return err
	}
	return ix.Close()
}

// runningServer returns a client of the `tulieu serve` that owns the index
// of dir, or nil when none does. A serve.json whose server does not answer
// as itself (none listens, its process is gone, another program answers,
// or the server of another data directory) is stale: it is removed.
func (f *Factory) runningServer(ctx context.Context, dir string) *remoteSearcher {
	si, err := readServerInfo(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	log := f.Logger()
	if err == nil {
		rs := &remoteSearcher{base: si.URL, token: si.Token, client: &http.Client{Timeout: 30 * time.Second}}
		pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		var inst *web.Instance
		inst, err = rs.instance(pctx)
		switch {
		case err == nil && sameDir(inst.DataDir, dir):
			return rs
		case err == nil:
			err = fmt.Errorf("the server at %s serves %s", si.URL, inst.DataDir)
		case errors.Is(err, context.DeadlineExceeded) && processAlive(si.PID):
			// Alive but slow (a reindex in it, a loaded machine): not
			// stale, and not usable now either.
			log.Warn("the running tulieu serve did not answer in time; opening the index directly", "url", si.URL)
			return nil
		}
	}
	log.Warn("removing a stale "+serverFile, "dir", dir, "reason", err)
	os.Remove(filepath.Join(dir, serverFile))
	return nil
}

func sameDir(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	if err1 != nil || err2 != nil {
		return false
	}
	if aa == bb {
		return true
	}
	fa, err1 := os.Stat(aa)
	fb, err2 := os.Stat(bb)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	return p.Signal(syscall.Signal(0)) == nil
}

// remoteSearcher asks a running `tulieu serve` through its JSON API.
type remoteSearcher struct {
	base   string
	token  string
	client *http.Client
}

func (r *remoteSearcher) Close() error { return nil }

// get asks the server for path and decodes its JSON answer into v; an
// error answer becomes an error (a usage error for a 400).
func (r *remoteSearcher) get(ctx context.Context, path string, v any) error {
	resp, err := r.do(ctx, path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := answerError(resp); err != nil {
		return err
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("the running server's answer: %w", err)
	}
	return nil
}

func (r *remoteSearcher) do(ctx context.Context, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.base+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+r.token)
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("ask the running server: %w", err)
	}
	return resp, nil
}

func answerError(resp *http.Response) error {
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	var e api.Error
	json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&e)
	if resp.StatusCode == http.StatusBadRequest {
		return usageErrorf("%s", e.Error)
	}
	return fmt.Errorf("the running server answered %s: %s", resp.Status, e.Error)
}

func (r *remoteSearcher) instance(ctx context.Context) (*web.Instance, error) {
	var inst web.Instance
	if err := r.get(ctx, "/api/instance", &inst); err != nil {
		return nil, err
	}
	return &inst, nil
}

func (r *remoteSearcher) Search(ctx context.Context, q index.Request) (*api.Search, error) {
	var res api.Search
	if err := r.get(ctx, "/api/search?"+api.EncodeSearch(q).Encode(), &res); err != nil {
		return nil, err
	}
	return &res, nil
}

func (r *remoteSearcher) Stats(ctx context.Context) (*api.Stats, error) {
	var st api.Stats
	if err := r.get(ctx, "/api/stats", &st); err != nil {
		return nil, err
	}
	return &st, nil
}

// MatchIDs lists the matches of a search from the server's /api/ids, a
// page of ids at a time.
func (r *remoteSearcher) MatchIDs(ctx context.Context, q index.Request, fn func(ids []string) error) error {
	client := *r.client
	client.Timeout = 0 // as long as the list takes; ctx bounds it
	rr := *r
	rr.client = &client
	// Everything that chooses or orders the matches; not the paging, the
	// list is whole.
	v := api.EncodeSearch(index.Request{Query: q.Query, Category: q.Category, Author: q.Author, From: q.From, To: q.To,
		Sort: q.Sort, IncludeDeleted: q.IncludeDeleted})
	resp, err := rr.do(ctx, "/api/ids?"+v.Encode())
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := answerError(resp); err != nil {
		return err
	}
	sc := bufio.NewScanner(resp.Body)
	page := make([]string, 0, index.MaxLimit)
	whole := false
	for sc.Scan() {
		line := sc.Text()
		if line == web.IDsEnd {
			whole = true
			break
		}
		if page = append(page, line); len(page) == index.MaxLimit {
			if err := fn(page); err != nil {
				return err
			}
			page = page[:0]
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("the running server's list of matches: %w", err)
	}
	if !whole {
		return errors.New("the running server's list of matches was cut short")
	}
	if len(page) > 0 {
		return fn(page)
	}
	return nil
}
