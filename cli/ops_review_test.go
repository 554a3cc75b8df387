package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"tulieu/internal/fixturesite"
	"tulieu/store"
)

// These tests come from a review by the operator who installs tulieu on a
// small office server and keeps it running for years: the nightly job, the
// page behind a reverse proxy, monitoring, power cuts, a second user. Each
// test's comment tells what happened before its fix (in the present tense
// of the review) and what should happen, which the test holds.

// opsReviewCrawl crawls site into data with politeness off and returns the
// exit code, stdout and stderr.
func opsReviewCrawl(t *testing.T, data, site string, extra ...string) (int, string, string) {
	t.Helper()
	args := append([]string{"crawl", "--site", site, "--delay", "0", "--parallel", "2", "--retries", "0", "--json"}, extra...)
	return run(t, data, args...)
}

// TestOpsPowerCutLostRecordsAreFetchedAgain: the office loses power
// during the nightly crawl. The WARC file being written is appended to
// without fsync until the crawl ends (warc/writer.go syncs only in
// closeFile), while the catalog commits (WAL, checkpointed during the
// crawl) reach the disk: after the reboot the ".open" file ends earlier
// than the records the catalog names. The next crawl "finishes" the file
// (warc.Recover keeps what is there: "cut_bytes=0"), then asks every one of
// those articles "changed since?" with the validators of the lost
// capture, the site answers 304, and each night a revisit record is
// written pointing at a payload that does not exist. `check` reports the
// captures night after night, `check --repair` says it cannot mend them
// ("restore the damaged files from a backup": no backup has them, they were
// never written), and `show --raw` of the article fails for ever although
// the site would still give the page. What should happen: a capture whose
// record is gone is treated like a damaged record (README: "the next crawl
// fetches its page whole"), so that after the next crawl (and a `check
// --repair` if need be) the archive holds the page again and check is
// clean.
func TestOpsPowerCutLostRecordsAreFetchedAgain(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	if code, _, errOut := opsReviewCrawl(t, data, srv.URL+"/"); code != ExitOK {
		t.Fatalf("night 1: exit %d: %s", code, errOut)
	}

	// The state a power cut leaves: the run still "running", its WARC
	// file still ".open" (no CDXJ yet), the file's tail lost from the page
	// cache, the catalog as committed.
	ctx := context.Background()
	st, err := store.Open(ctx, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	var file, articleURL, articleID string
	var cut int64
	// The last article response of the run: everything from it on is lost.
	err = st.DB().QueryRowContext(ctx, `SELECT c.warc_file, c.warc_offset, c.url, a.id FROM captures c JOIN articles a ON a.capture_id = c.id
		WHERE c.kind = 'article' AND c.record_type = 'response' ORDER BY c.warc_offset DESC LIMIT 1`).Scan(&file, &cut, &articleURL, &articleID)
	if err != nil {
		t.Fatal(err)
	}
	var after int
	st.DB().QueryRowContext(ctx, "SELECT count(*) FROM captures WHERE warc_file = ? AND warc_offset >= ?", file, cut).Scan(&after)
	if _, err := st.DB().ExecContext(ctx, "UPDATE runs SET status = 'running', finished = NULL WHERE id = (SELECT max(id) FROM runs)"); err != nil {
		// finished may be NOT NULL in some schema: keep it then.
		if _, err := st.DB().ExecContext(ctx, "UPDATE runs SET status = 'running' WHERE id = (SELECT max(id) FROM runs)"); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	path := filepath.Join(data, store.WARCDir, file)
	if err := os.Rename(path, path+".open"); err != nil {
		t.Fatal(err)
	}
	os.Remove(path + ".cdxj")
	if err := os.Truncate(path+".open", cut); err != nil {
		t.Fatal(err)
	}
	t.Logf("power cut: %s cut at %d, %d captures (article %s among them) lost", file, cut, after, articleURL)

	// The nights after: crawl, repair what can be repaired, crawl again.
	if code, _, errOut := opsReviewCrawl(t, data, srv.URL+"/"); code != ExitOK {
		t.Fatalf("night 2: exit %d: %s", code, errOut)
	}
	run(t, data, "check", "--repair")
	if code, _, errOut := opsReviewCrawl(t, data, srv.URL+"/"); code != ExitOK {
		t.Fatalf("night 3: exit %d: %s", code, errOut)
	}
	if code, out, errOut := run(t, data, "show", "--raw", articleID); code != ExitOK || !strings.Contains(out, "<html") && !strings.Contains(out, "<!DOCTYPE") && !strings.Contains(out, "<!doctype") {
		t.Errorf("two nights after the power cut, `show --raw` of %s exits %d (%s): the page the site still serves was never archived again", articleURL, code, strings.TrimSpace(errOut))
	}
	if code, out, errOut := run(t, data, "check"); code != ExitOK {
		t.Errorf("two nights and a check --repair after the power cut, check exits %d:\n%s%s", code, out, errOut)
	}
}

// TestOpsJSONLogsErrorLineIsJSON: the operator follows the contrib files:
// the systemd unit and the crontab line both run `crawl --json
// --log-format json`, the cron line appending stderr to crawl.log, which a
// log shipper reads as JSON lines. The night the site is down (exit 4) the
// one line that says why is printed as plain text, "tulieu: site
// unreachable: …" (cli/root.go Execute prints every error with
// fmt.Fprintln whatever --log-format says), and the shipper drops or
// chokes on exactly the line that matters. With --log-format json every
// line on standard error should be a JSON record.
func TestOpsJSONLogsErrorLineIsJSON(t *testing.T) {
	down := httptest.NewServer(http.NotFoundHandler())
	site := down.URL + "/"
	down.Close()
	code, _, errOut := run(t, t.TempDir(), "--log-format", "json", "crawl", "--site", site, "--delay", "0", "--retries", "0", "--json")
	if code != ExitUnreachable {
		t.Fatalf("crawl of a site that is down: exit %d, want %d: %s", code, ExitUnreachable, errOut)
	}
	sc := bufio.NewScanner(strings.NewReader(errOut))
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Errorf("with --log-format json, a line of standard error is not JSON: %q", line)
		}
	}
}

// opsReviewGate wraps the fixture site: while closed, its article pages wait
// until it opens (a crawl in the middle of the night).
type opsReviewGate struct {
	site    http.Handler
	mu      sync.Mutex
	closed  chan struct{}
	waiting chan struct{}
	once    sync.Once
}

func (g *opsReviewGate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	c := g.closed
	g.mu.Unlock()
	if c != nil && strings.HasSuffix(r.URL.Path, ".html") {
		g.once.Do(func() { close(g.waiting) })
		select {
		case <-c:
		case <-r.Context().Done():
			return
		}
	}
	g.site.ServeHTTP(w, r)
}

// opsReviewMetric reads one metric's value from a /metrics page.
func opsReviewMetric(t *testing.T, page, name string) float64 {
	t.Helper()
	for _, line := range strings.Split(page, "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				t.Fatalf("%s: %q", name, line)
			}
			return f
		}
	}
	t.Fatalf("no metric %s in /metrics", name)
	return 0
}

// TestOpsMetricsLastCrawlWhileACrawlRuns: the operator's Prometheus
// alerts on `time() - tulieu_last_crawl_finished_timestamp_seconds > 30h`
// (the nightly crawl did not finish) and on `tulieu_last_crawl_completed
// == 0`. Every night, for as long as the crawl runs (hours on the real
// site at 1 request/s), /metrics says the last crawl finished at 0 (the
// epoch) and did not complete: both alerts fire every night although the
// previous crawl completed at its time. The gauges read the newest row of
// `runs` (cli/serve.go LastCrawl: st.Runs(ctx, 1)), which is the running
// one. Their help says "When the last crawl run finished (0 if none has)":
// while a crawl runs, the last one that finished should be reported.
func TestOpsMetricsLastCrawlWhileACrawlRuns(t *testing.T) {
	g := &opsReviewGate{site: fixturesite.New(fixturesite.Options{Conditional: true})}
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	data := t.TempDir()
	if code, _, errOut := opsReviewCrawl(t, data, srv.URL+"/"); code != ExitOK {
		t.Fatalf("night 1: exit %d: %s", code, errOut)
	}
	base := "http://" + startServe(t, data, ServeOptions{})
	_, m := getBody(t, base+"/metrics")
	before := opsReviewMetric(t, m, "tulieu_last_crawl_finished_timestamp_seconds")
	if before == 0 || opsReviewMetric(t, m, "tulieu_last_crawl_completed") != 1 {
		t.Fatalf("after night 1, /metrics: finished %v, completed %v", before, opsReviewMetric(t, m, "tulieu_last_crawl_completed"))
	}

	// Night 2 starts, and is in the middle of its work.
	g.mu.Lock()
	g.closed, g.waiting = make(chan struct{}), make(chan struct{})
	g.mu.Unlock()
	done := make(chan int, 1)
	go func() {
		code, _, _ := opsReviewCrawl(t, data, srv.URL+"/")
		done <- code
	}()
	select {
	case <-g.waiting:
	case <-time.After(30 * time.Second):
		t.Fatal("the second crawl never reached an article")
	}
	_, m = getBody(t, base+"/metrics")
	during := opsReviewMetric(t, m, "tulieu_last_crawl_finished_timestamp_seconds")
	completed := opsReviewMetric(t, m, "tulieu_last_crawl_completed")
	g.mu.Lock()
	close(g.closed)
	g.closed = nil
	g.mu.Unlock()
	if code := <-done; code != ExitOK {
		t.Errorf("night 2: exit %d", code)
	}
	if during != before {
		t.Errorf("while the nightly crawl runs, tulieu_last_crawl_finished_timestamp_seconds is %v; the last crawl finished at %v", during, before)
	}
	if completed != 1 {
		t.Errorf("while the nightly crawl runs, tulieu_last_crawl_completed is %v; the last crawl that ended completed", completed)
	}
}

// TestOpsBehindReverseProxyLinksNameThePublicAddress: the serve unit in
// contrib/ binds loopback and says "put a reverse proxy in front". The
// operator does: nginx at https://tulieu.example.org/ with proxy_pass
// http://127.0.0.1:8080 and the usual X-Forwarded-Host/-Proto headers (the
// public Host itself is refused with 421 by the loopback guard, so nginx's
// default Host, the upstream's, is the only one that works). Every
// absolute link the server makes is then built from the Host it received
// (web/article.go absoluteURL: "http://" + r.Host): the Atom feed that
// colleagues subscribe to links every entry to http://127.0.0.1:8080/…,
// and the article page's citation permalink, the thing people paste into
// a report, names 127.0.0.1 too. Behind the proxy they should name the
// address the reader used (X-Forwarded-Host, X-Forwarded-Proto).
func TestOpsBehindReverseProxyLinksNameThePublicAddress(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	if code, _, errOut := opsReviewCrawl(t, data, srv.URL+"/"); code != ExitOK {
		t.Fatalf("crawl: exit %d: %s", code, errOut)
	}
	r := search(t, data, "thanh hoa")
	if len(r.Hits) == 0 {
		t.Fatal("no article to look at")
	}
	addr := startServe(t, data, ServeOptions{})
	target, _ := url.Parse("http://" + addr)
	proxy := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(target) // Host: the upstream's, as nginx's proxy_pass sends by default
		pr.SetXForwarded()
		pr.Out.Header.Set("X-Forwarded-Proto", "https") // TLS ends at nginx
	}}
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)
	get := func(p string) (int, string) {
		req, _ := http.NewRequest("GET", front.URL+p, nil)
		req.Host = "tulieu.example.org"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, feed := get("/feed.atom")
	if code != 200 {
		t.Fatalf("/feed.atom through the proxy: %d %s", code, feed)
	}
	if strings.Contains(feed, addr) || !strings.Contains(feed, "https://tulieu.example.org/article/") {
		i := strings.Index(feed, "<entry>")
		t.Errorf("the feed read through https://tulieu.example.org/ links its entries to the loopback address: %.400s", feed[max(0, i):])
	}
	code, page := get("/article/" + r.Hits[0].ID)
	if code != 200 {
		t.Fatalf("article page through the proxy: %d", code)
	}
	if i := strings.Index(page, "http://"+addr); i >= 0 {
		t.Errorf("the article page read through the proxy cites the loopback server: %q", page[i:min(len(page), i+120)])
	}
}

// opsReviewAsUser runs the tulieu binary bin as uid/gid with args and returns
// its exit code and standard error.
func opsReviewAsUser(t *testing.T, bin string, uid, gid uint32, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uid, Gid: gid}}
	cmd.Env = []string{"HOME=/", "PATH=/usr/bin:/bin"}
	var errOut strings.Builder
	cmd.Stderr = &errOut
	cmd.Stdout = io.Discard
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), errOut.String()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, errOut.String()
}

// TestOpsIndexRebuiltByRootIsNotDamaged: the data directory belongs to
// the system user `tulieu` (README: useradd, the units run as it). After
// an upgrade the operator runs `sudo tulieu --data /var/lib/tulieu
// reindex` (or any first command after an upgrade that changed the index
// schema, `stats`, `search`, `check --repair`: each rebuilds the index as
// whoever runs it). The rebuilt index belongs to root. From then on every
// command of the service user, the serve unit's start included, says "the
// search index is damaged or was built by another version of tulieu;
// rebuilding it", tries to delete it, and exits 1 with "remove damaged
// index: … permission denied": the serve unit restarts in a loop, the
// nightly crawl's index update fails every night, and the message sends
// the operator looking for damage that is not there. The index is whole;
// it belongs to another user (index.Open takes "permission denied" for
// "metadata missing"). The message should say so (as the catalog's does:
// "run tulieu as the data directory's owner"), and never call it damaged
// nor try to delete it.
func TestOpsIndexRebuiltByRootIsNotDamaged(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to act as two users")
	}
	bin := buildBinary(t)
	const uid, gid = 65534, 65534 // nobody: the service user
	base, err := os.MkdirTemp("", "zzops-owner-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	os.Chmod(base, 0o755)
	b, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	svcBin := filepath.Join(base, "tulieu")
	if err := os.WriteFile(svcBin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(base, "data")
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chown(data, uid, gid)
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	if code, errOut := opsReviewAsUser(t, svcBin, uid, gid, "--data", data, "crawl", "--site", srv.URL+"/", "--delay", "0", "--json"); code != ExitOK {
		t.Fatalf("the service user's crawl: exit %d: %s", code, errOut)
	}
	if code, errOut := opsReviewAsUser(t, svcBin, uid, gid, "--data", data, "search", "thanh hoa"); code != ExitOK {
		t.Fatalf("the service user's search before: exit %d: %s", code, errOut)
	}
	// The administrator, as root.
	if code, _, errOut := run(t, data, "reindex"); code != ExitOK {
		t.Fatalf("root's reindex: exit %d: %s", code, errOut)
	}
	code, errOut := opsReviewAsUser(t, svcBin, uid, gid, "--data", data, "search", "thanh hoa")
	if code != ExitOK && (strings.Contains(errOut, "damaged") || !strings.Contains(errOut, "owner")) {
		t.Errorf("the service user's search after root's reindex: exit %d, and the index, whole but root's, is called damaged (or the owner is not named):\n%s", code, errOut)
	}
}

// TestOpsStoppedNightlyCrawlIsNotAFailedUnit: the operator stops the
// nightly crawl to upgrade the binary (`systemctl stop tulieu-crawl`), or
// the machine is rebooted at 02:30. The unit's own comment says what
// happens: "Stopped (a shutdown): it finishes what it fetched and exits
// 130; the next run continues it" — a normal event. But for a
// Type=oneshot service systemd counts only 0 and the SuccessExitStatus=
// list as success (not even SIGTERM), and the unit lists 3 alone: the
// unit is left "failed" and `systemctl --failed` (which the README tells
// the operator to watch for exits 4 and 5) shows a crawl that was merely
// stopped. SuccessExitStatus should list the exit code of a crawl stopped
// by SIGTERM.
func TestOpsStoppedNightlyCrawlIsNotAFailedUnit(t *testing.T) {
	g := &opsReviewGate{site: fixturesite.New(fixturesite.Options{Conditional: true}), closed: make(chan struct{}), waiting: make(chan struct{})}
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(g.closed) })
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-g.waiting; cancel() }() // SIGTERM, as main turns it into a cancelled context
	var out, errOut strings.Builder
	f := &Factory{IO: IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, Getenv: func(string) string { return "" }}
	code := Execute(ctx, f, []string{"--data", t.TempDir(), "--log-level", "warn", "crawl", "--site", srv.URL + "/", "--delay", "0", "--json"})
	if code != ExitInterrupted {
		t.Fatalf("a crawl stopped by SIGTERM exits %d: %s", code, errOut.String())
	}
	unit, err := os.ReadFile("../contrib/systemd/tulieu-crawl.service")
	if err != nil {
		t.Fatal(err)
	}
	var success []string
	for _, line := range strings.Split(string(unit), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "SuccessExitStatus="); ok {
			success = append(success, strings.Fields(v)...)
		}
	}
	for _, s := range success {
		if s == strconv.Itoa(code) {
			return
		}
	}
	t.Errorf("tulieu-crawl.service: SuccessExitStatus=%s; a crawl stopped by systemctl stop or a shutdown exits %d and leaves the unit failed", strings.Join(success, " "), code)
}

// TestOpsFrontierOfCompletedRunsIsNotKeptForEver: the operator watches
// the disk of a server meant to run for years. Every night the crawl
// writes one `frontier` row per URL it queued (URL, run, depth, with the
// URL again in the primary key), and nothing ever deletes them: a
// completed run's queue is never read again (store.Resumable only ever
// continues the latest run, and only an interrupted, running or failed
// one), yet it stays in the catalog, a night's worth of URLs every night
// (on the real site thousands of rows a night, as much again as the
// captures that are the archive itself), and in every backup. The README
// calls the table "what an interrupted run continues from": the queue of
// a run that completed should go once a later run has completed.
func TestOpsFrontierOfCompletedRunsIsNotKeptForEver(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	for night := 1; night <= 3; night++ {
		if code, _, errOut := opsReviewCrawl(t, data, srv.URL+"/"); code != ExitOK {
			t.Fatalf("night %d: exit %d: %s", night, code, errOut)
		}
	}
	ctx := context.Background()
	st, err := store.Open(ctx, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var stale, last int
	if err := st.DB().QueryRowContext(ctx, `SELECT count(*) FROM frontier WHERE run_id IN
		(SELECT id FROM runs WHERE status = 'completed' AND id < (SELECT max(id) FROM runs))`).Scan(&stale); err != nil {
		t.Fatal(err)
	}
	st.DB().QueryRowContext(ctx, "SELECT count(*) FROM frontier WHERE run_id = (SELECT max(id) FROM runs)").Scan(&last)
	if stale > 0 {
		t.Errorf("after 3 completed nights the catalog still holds %d frontier rows of the 2 earlier completed runs (the last run's: %d): the table grows by a night's URLs every night, for ever", stale, last)
	}
}
