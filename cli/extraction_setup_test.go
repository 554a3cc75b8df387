package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tulieu/extract"
	"tulieu/internal/fixturesite"
	"tulieu/store"
)

// An upgrade of tulieu that reads pages better, or new --profiles, is not
// a change of the site: the crawl after it reads the archive's articles
// again first (as `tulieu reextract` does), so that it records no new
// version of every page the new extraction reads differently. Before, the
// first night after an upgrade gave such pages a second version whose
// "change" was the extractor's (a home page an older tulieu recorded as a
// static page got one, and stayed a static page).
func TestCrawlReadsArchiveAgainAfterExtractionChanged(t *testing.T) {
	_, srv := fixturesite.Start(t, fixturesite.Options{})
	data := t.TempDir()
	seed := srv.URL + "/"
	first := crawl(t, data, seed)
	if first.New == 0 {
		t.Fatalf("first crawl: %+v", first)
	}
	setup := func() string {
		t.Helper()
		st, err := store.Open(context.Background(), data, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		s, err := st.ExtractionSetup(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if got, want := setup(), extract.Setup(extract.DefaultProfiles()); got != want {
		t.Fatalf("after the first crawl the catalog names extraction %q, want %q", got, want)
	}
	if code, out, _ := run(t, data, "stats", "--json"); code != 0 || !strings.Contains(out, `"extraction": "`+extract.Setup(extract.DefaultProfiles())+`"`) {
		t.Errorf("stats --json does not name the extraction: %s", out)
	}
	// The README: "`stats` shows it as `extraction`", the plain text too.
	if code, out, _ := run(t, data, "stats"); code != 0 || !strings.Contains(out, "extraction "+extract.Setup(extract.DefaultProfiles())) {
		t.Errorf("stats does not name the extraction:\n%s", out)
	}

	// What an older tulieu, which read this article's title wrong, left.
	article := srv.URL + "/hoat-dong-cac-to-chuc-csd/nang-cao-chat-luong-sinh-hoat-dang-thong-qua-kiem-diem-danh-gia-xep-loai-to-chuc-dang-dang-vien-702.html"
	st, err := store.Open(context.Background(), data, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"UPDATE articles SET title = 'Đảng ủy Khối các cơ quan tỉnh Thanh Hóa', content_hash = 'old' WHERE url = ?",
		"UPDATE versions SET title = 'Đảng ủy Khối các cơ quan tỉnh Thanh Hóa' WHERE article_id = (SELECT id FROM articles WHERE url = ?)",
	} {
		if _, err := st.DB().Exec(q, article); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.DB().Exec("UPDATE settings SET value = 'extract-0+profiles-000000000000' WHERE key = 'extraction'"); err != nil {
		t.Fatal(err)
	}
	st.Close()

	night := crawl(t, data, seed)
	if night.Changed != 0 || night.PagesChanged != 0 || night.New != 0 {
		t.Errorf("the night after the upgrade: changed %d, pages_changed %d, new %d; want nothing changed (the site did not change)",
			night.Changed, night.PagesChanged, night.New)
	}
	a := exportJSONL(t, data)[article]
	if !strings.HasPrefix(a.Title, "Nâng cao chất lượng sinh hoạt Đảng") || a.Versions != 1 {
		t.Errorf("after the upgrade's first night: title %q, %d versions; want the title read again, one version", a.Title, a.Versions)
	}
	if got, want := setup(), extract.Setup(extract.DefaultProfiles()); got != want {
		t.Errorf("after the night the catalog names extraction %q, want %q", got, want)
	}

	// New profiles read the same pages differently: the same.
	profiles := filepath.Join(t.TempDir(), "profiles.json")
	host := strings.TrimPrefix(srv.URL, "http://")
	if err := os.WriteFile(profiles, []byte(`{"host": "`+strings.Split(host, ":")[0]+`", "remove": ["p:last-child"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, data, "crawl", "--site", seed, "--delay", "0", "--parallel", "4", "--json", "--profiles", profiles)
	if code != 0 {
		t.Fatalf("crawl --profiles: %d %s %s", code, out, errOut)
	}
	if strings.Contains(out, `"changed":0,`) == false || strings.Contains(out, `"pages_changed":0,`) == false {
		t.Errorf("the night with new profiles recorded changes of the site: %s", out)
	}
	for url, e := range exportJSONL(t, data) {
		if e.Versions != 1 {
			t.Errorf("%s has %d versions after new profiles; the site did not change", url, e.Versions)
		}
	}
}
