package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"tulieu/internal/fixturesite"
	"tulieu/internal/smalldisk"
)

// A crawl that fills the disk stops with one clear line and exit 1; what
// it recorded is whole (check is clean), and once space is freed the next
// run continues and ends with every article, each once. The disk fills at
// several points, so that the write that finds it full is sometimes a WARC
// record and sometimes a catalog transaction.
func TestCrawlOnAFullDisk(t *testing.T) {
	site, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	want := len(site.Articles())
	stopped := 0
	for _, room := range []int64{24 << 10, 96 << 10, 200 << 10, 400 << 10, 700 << 10} {
		t.Run(fmt.Sprintf("room %d KiB", room>>10), func(t *testing.T) {
			disk := smalldisk.New(t, 64<<20)
			data := disk.Dir + "/data"
			// Last night's crawl, cut short: the archive exists.
			if code, _, errOut := run(t, data, "crawl", "--site", srv.URL+"/", "--delay", "0", "--max-pages", "5"); code != 0 {
				t.Fatalf("first crawl: %d %s", code, errOut)
			}
			free := disk.Fill(room)
			code, out, errOut := run(t, data, "crawl", "--site", srv.URL+"/", "--delay", "0", "--parallel", "4", "--json")
			switch code {
			case ExitOK:
				// The room was enough (the fill leaves a little slack):
				// nothing to see at this point.
			case ExitError:
				stopped++
				lines := strings.Split(strings.TrimSpace(errOut), "\n")
				if len(lines) != 1 || !strings.Contains(errOut, "no space left on the disk") || !strings.Contains(errOut, "again") {
					t.Errorf("a full disk should be said in one clear line, got:\n%s", errOut)
				}
				if out != "" && !strings.Contains(out, `"status":"interrupted"`) {
					t.Errorf("the JSON summary, when there is one, should say interrupted: %q", out)
				}
				// What was recorded is whole. Only derived data may lag
				// (a CDXJ index with no room to be written, the search
				// index not yet updated): the next run brings them up.
				free()
				_, out, errOut := run(t, data, "check", "--json")
				var report struct {
					Problems []struct{ Kind, Where, Detail string }
				}
				if err := json.Unmarshal([]byte(out), &report); err != nil {
					t.Fatalf("check --json: %v %s %s", err, out, errOut)
				}
				for _, p := range report.Problems {
					if p.Kind != "cdxj" && p.Kind != "index" {
						t.Errorf("after the disk filled: %s %s: %s", p.Kind, p.Where, p.Detail)
					}
				}
			default:
				free()
				t.Fatalf("crawl on a full disk exited %d: %s", code, errOut)
			}
			if code == ExitOK {
				free()
			}
			sum := crawl(t, data, srv.URL+"/")
			if sum.Errors != 0 {
				t.Errorf("the run after space was freed had %d errors", sum.Errors)
			}
			got := exportJSONL(t, data, "--include-pages")
			if len(got) != want {
				t.Errorf("%d articles and pages after space was freed, want %d", len(got), want)
			}
			for u, e := range got {
				if e.Versions != 1 {
					t.Errorf("%s has %d versions, want 1: a page was recorded twice", u, e.Versions)
				}
			}
			if code, out, errOut := run(t, data, "check"); code != 0 || !strings.Contains(out, "all is well") {
				t.Errorf("check after the next run: exit %d\n%s%s", code, out, errOut)
			}
		})
	}
	if stopped < 3 {
		t.Errorf("only %d of 5 crawls found the disk full: the room left is too large", stopped)
	}
}
