package extract

import (
	"os"
	"path/filepath"
	"testing"
)

func FuzzExtract(f *testing.F) {
	files, _ := filepath.Glob("testdata/pages/*.html")
	for i, p := range files {
		if i%3 != 0 {
			continue // a few real pages are enough seeds
		}
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, "text/html")
		}
	}
	f.Add([]byte("<html><body><p>Trang chủ / Tin tức / Tiêu đề</p><h1>Tiêu đề</h1><p>Ngày 28/02/2020</p><p>Nội dung, nội dung, nội dung.</p><p>Lê Hà</p>"), "text/html; charset=windows-1258")
	f.Add([]byte("<table><tr><td><table><tr><td><img src=x data-src='//a/b.jpg'><a href='a.pdf'>x</a>"), "")
	f.Add([]byte("\xff\xfe<\x00p\x00>\x00"), "text/html; charset=utf-16")
	f.Add([]byte(`<script type="application/ld+json">{"@graph":[{"@type":"BreadcrumbList","itemListElement":[{}]}]}</script>`), "")
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		doc, err := Extract("http://danguykhoithanhhoa.org.vn/tin-tuc/a-1.html", body, ct, Options{Profiles: DefaultProfiles()})
		if err == nil && doc == nil {
			t.Fatal("nil document without error")
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"Ngày 28/02/2020", "08:00 | 07/03/2020", "Thứ Bảy, 23/11/2024, 17:25 (GMT+7)",
		"ngày 15 tháng 10 năm 2025", "2025-10-22T19:25:52+07:00", "16/10/2020 02:48:00 AM", "99/99/9999 99:99", "12h00 (GMT-99)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, hasTime, ok := ParseDate(s)
		if !ok && (hasTime || !tm.IsZero()) {
			t.Fatalf("not ok but returned %v %v", tm, hasTime)
		}
		if ok && (tm.Year() < 1899 || tm.Year() > 2101) {
			t.Fatalf("year out of range: %v", tm)
		}
	})
}

func BenchmarkExtract(b *testing.B) {
	files, _ := filepath.Glob("testdata/pages/*.html")
	var bodies [][]byte
	total := 0
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			bodies = append(bodies, data)
			total += len(data)
		}
	}
	if len(bodies) == 0 {
		b.Skip("no pages")
	}
	b.SetBytes(int64(total / len(bodies)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Extract("http://danguykhoithanhhoa.org.vn/tin-tuc/a-1.html", bodies[i%len(bodies)], "text/html", Options{Profiles: DefaultProfiles()}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}
