package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"tulieu/internal/fixturesite"
)

// TestSearchWhileServing: while `tulieu serve` holds the index, search and
// export ask it, and a crawl beside it lands in its index within seconds.
func TestSearchWhileServing(t *testing.T) {
	site, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		var out, errOut bytes.Buffer
		f := &Factory{IO: IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, DataDir: data, LogLevel: "warn", LogFormat: "text"}
		done <- runServe(ctx, f, &ServeOptions{Addr: "127.0.0.1:0", Ready: func(a string) { ready <- a }, CatchUpEvery: 100 * time.Millisecond})
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("serve: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not start")
	}

	// The CLI asks the server; results are the same shape.
	r := search(t, data, "thanh hoa")
	if r.Total < 5 || r.Hits[0].ID == "" {
		t.Fatalf("search through the server: %+v", r)
	}
	code, _, errOut := run(t, data, "search", `"chưa đóng`)
	if code != ExitUsage || !strings.Contains(errOut, "quote") {
		t.Errorf("a bad query through the server: exit %d, %q", code, errOut)
	}
	if recs := exportJSONL(t, data, "--query", "Hồ Chí Minh"); len(recs) == 0 {
		t.Error("export --query through the server found nothing")
	}
	code, _, errOut = run(t, data, "reindex")
	if code != ExitError || !strings.Contains(errOut, "stop it, then reindex") {
		t.Errorf("reindex while serving must refuse: %d %q", code, errOut)
	}
	// The page as archived, sandboxed.
	resp, err := http.Get("http://" + addr + "/article/" + r.Hits[0].ID + "/archived")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(raw), "Thống kê truy cập") || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("archived page: %d %q %.200s", resp.StatusCode, resp.Header.Get("Content-Security-Policy"), raw)
	}
	code, out, _ := run(t, data, "stats", "--json")
	if code != 0 || !strings.Contains(out, "in use by a running tulieu serve") {
		t.Errorf("stats while serving: %d %s", code, out)
	}

	// A crawl beside the server: the new article is searchable soon after.
	site.Add(fixturesite.Article{Path: "/tin-tuc/tin-tuc-chung/hoi-thao-ve-kinh-te-tuan-hoan-3001.html", Title: "Hội thảo về kinh tế tuần hoàn",
		DateLine: "Ngày 21/11/2026", Expected: fixturesite.Expected{BodyParagraphs: []string{
			"Đảng ủy Khối tổ chức hội thảo về kinh tế tuần hoàn với sự tham gia của nhiều chuyên gia và đại diện các cơ quan, đơn vị trong tỉnh.",
			"Các ý kiến tập trung vào giải pháp giảm chất thải, tái sử dụng tài nguyên và phát triển bền vững trong thời gian tới."}}})
	s := crawl(t, data, srv.URL+"/")
	if s.New != 1 {
		t.Fatalf("crawl beside the server: %+v", s)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/api/search?q=kinh+te+tuan+hoan")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var res struct{ Total int }
		json.Unmarshal(b, &res)
		if res.Total == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server's index did not take in the new article: %s", b)
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve stopped with %v", err)
	}
}
