package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"tulieu/index"
	"tulieu/store"
)

// Only one process can hold the Bleve index open. While `tulieu serve`
// runs it is the index's owner; it leaves its address in the data
// directory, and the other commands ask it instead of opening the index.
const serverFile = "serve.json"

type serverInfo struct {
	URL string `json:"url"`
	PID int    `json:"pid"`
}

func writeServerInfo(dir, addr string) error {
	js, _ := json.Marshal(serverInfo{URL: "http://" + addr, PID: os.Getpid()})
	tmp := filepath.Join(dir, serverFile+".tmp")
	if err := os.WriteFile(tmp, js, 0o644); err != nil {
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
	if err := json.Unmarshal(b, &si); err != nil || si.URL == "" {
		return nil, fmt.Errorf("%s is damaged", serverFile)
	}
	return &si, nil
}

// searcher runs queries: the index itself, or the server that owns it.
type searcher interface {
	Search(ctx context.Context, req index.Request) (*index.Result, error)
	Close() error
}

// OpenSearcher opens the index for searching, or, when a running `tulieu
// serve` owns it, returns a client of that server.
func (f *Factory) OpenSearcher(ctx context.Context, st *store.Store) (searcher, error) {
	if rs := runningServer(ctx, st.Dir()); rs != nil {
		f.Logger().Debug("asking the running server", "url", rs.base)
		return rs, nil
	}
	ix, err := f.OpenIndex(ctx, st)
	if errors.Is(err, index.ErrInUse) {
		return nil, fmt.Errorf("the search index is in use by another tulieu process (a crawl updating it, or a reindex); try again when it has finished")
	}
	if err != nil {
		return nil, err
	}
	return ix, nil
}

// UpdateIndex brings the search index up to date with the catalog after a
// command changed it. When a running `tulieu serve` owns the index there
// is nothing to do: it follows the catalog itself.
func (f *Factory) UpdateIndex(ctx context.Context, st *store.Store) error {
	if runningServer(ctx, st.Dir()) != nil {
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
// of dir, or nil when none answers (none runs, or one died and left its
// file behind).
func runningServer(ctx context.Context, dir string) *remoteSearcher {
	si, err := readServerInfo(dir)
	if err != nil {
		return nil
	}
	rs := &remoteSearcher{base: si.URL, client: &http.Client{Timeout: 30 * time.Second}}
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if code, err := rs.ping(pctx); err != nil || code != http.StatusOK {
		return nil
	}
	return rs
}

// remoteSearcher asks a running `tulieu serve` through its JSON API.
type remoteSearcher struct {
	base   string
	client *http.Client
}

func (r *remoteSearcher) Close() error { return nil }

func (r *remoteSearcher) ping(ctx context.Context) (int, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, r.base+"/", nil)
	resp, err := r.client.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func (r *remoteSearcher) Search(ctx context.Context, q index.Request) (*index.Result, error) {
	v := url.Values{}
	v.Set("q", q.Query)
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	if q.Offset > 0 {
		v.Set("offset", strconv.Itoa(q.Offset))
	}
	for k, s := range map[string]string{"category": q.Category, "author": q.Author, "sort": q.Sort} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if !q.From.IsZero() {
		v.Set("from", q.From.Format("2006-01-02"))
	}
	if !q.To.IsZero() {
		v.Set("to", q.To.Format("2006-01-02"))
	}
	if q.IncludeDeleted {
		v.Set("deleted", "1")
	}
	if q.Facets {
		v.Set("facets", "1")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.base+"/api/search?"+v.Encode(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("ask the running server: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error string }
		json.NewDecoder(resp.Body).Decode(&e)
		if resp.StatusCode == http.StatusBadRequest {
			return nil, usageErrorf("%s", e.Error)
		}
		return nil, fmt.Errorf("the running server answered %s: %s", resp.Status, e.Error)
	}
	var res index.Result
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return nil, fmt.Errorf("the running server's answer: %w", err)
	}
	return &res, nil
}
