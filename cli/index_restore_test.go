package cli

import (
	"os"
	"path/filepath"
	"testing"

	"tulieu/internal/fixturesite"
	"tulieu/store"
)

// TestIndexAheadOfARestoredCatalog: the catalog is restored from an
// older backup (its change sequence goes back) while the search index is
// left as it was. Every command that opens the index "first applies
// whatever the catalog has changed since": an article crawled after the
// restore must be searchable.
func TestIndexAheadOfARestoredCatalog(t *testing.T) {
	site, srv := fixturesite.Start(t, fixturesite.Options{Conditional: true})
	data := t.TempDir()
	crawl(t, data, srv.URL+"/")
	bk := filepath.Join(t.TempDir(), "bk")
	if code, _, errOut := run(t, data, "backup", bk); code != 0 {
		t.Fatalf("backup: %d %s", code, errOut)
	}
	// Days of ordinary crawling after the backup: articles edited, then
	// edited back, so the live catalog's sequence moves well ahead.
	var orig []fixturesite.Article
	for _, a := range site.Articles() {
		if !a.Static && len(orig) < 8 {
			orig = append(orig, a)
		}
	}
	for _, a := range orig {
		site.Edit(a.Path, []string{"Đoạn văn tạm thời được biên tập lại trong ngày hôm ấy để thử nghiệm."})
	}
	crawl(t, data, srv.URL+"/")
	for _, a := range orig {
		site.Add(a)
	}
	crawl(t, data, srv.URL+"/")

	// The catalog is lost and restored from the backup; the WARC files and
	// the index stay.
	for _, suf := range []string{"", "-wal", "-shm"} {
		os.Remove(filepath.Join(data, store.CatalogFile+suf))
	}
	cat, err := os.ReadFile(filepath.Join(bk, store.CatalogFile))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(data, store.CatalogFile), cat, 0o644)

	site.Add(fixturesite.Article{Path: "/tin-tuc/tin-tuc-chung/hoi-nghi-ve-phong-chong-thien-tai-4001.html", Title: "Hội nghị về phòng chống thiên tai",
		DateLine: "Ngày 22/11/2026",
		Expected: fixturesite.Expected{BodyParagraphs: []string{
			"Đảng ủy Khối tổ chức hội nghị chuyên đề về phòng chống thiên tai và ứng phó biến đổi khí hậu ở vùng ven biển.",
			"Các đại biểu thống nhất giải pháp di dời dân cư khỏi vùng sạt lở, xây dựng đê kè kiên cố."}}})
	s := crawl(t, data, srv.URL+"/")
	if s.New != 1 {
		t.Fatalf("crawl after the restore: %+v", s)
	}
	if r := search(t, data, "sạt lở"); r.Total != 1 {
		t.Errorf("the article crawled after the restore is not found by search: %d hits", r.Total)
	}
	if code, out, _ := run(t, data, "check"); code != 0 {
		t.Errorf("check after the restore and a crawl: %d\n%s", code, out)
	}
}
