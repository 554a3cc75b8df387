package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Benchmark sizes: TULIEU_BENCH_DOCS documents (default 500) of about
// TULIEU_BENCH_WORDS body syllables (default 300).
func benchSize(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

var benchSyllables = strings.Fields(`đảng bộ chi sinh hoạt hội nghị ban chấp hành tỉnh thanh hóa
	công tác xây dựng phát triển kinh tế xã hội nhân dân cán đảng viên nghị quyết
	học tập làm theo tư tưởng đạo đức phong cách hồ chí minh kiểm tra giám sát
	dân vận mặt trận tổ quốc đoàn thanh niên phụ nữ cựu chiến binh nông thôn mới
	huyện xã thị trấn thành phố quốc phòng an ninh trật tự văn hóa giáo dục y tế
	hòa bình khỏe thủy lợi người thuở khuya quý giá gìn giữ năm tháng ngày lần thứ
	được của và các những cho với trong về để có là một hai ba bốn năm sáu bảy`)

func genDocs(n, words int, seed uint64) []Document {
	r := rand.New(rand.NewPCG(seed, 1))
	cats := []string{"Tin tức", "Xây dựng Đảng", "Văn bản", "Dân vận", "Kiểm tra"}
	authors := []string{"Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Đức", "Phạm Minh Tuấn", ""}
	text := func(k int) string {
		var b strings.Builder
		for i := 0; i < k; i++ {
			if i > 0 {
				if r.IntN(12) == 0 {
					b.WriteString(". ")
				} else {
					b.WriteByte(' ')
				}
			}
			b.WriteString(benchSyllables[r.IntN(len(benchSyllables))])
		}
		return b.String()
	}
	docs := make([]Document, n)
	for i := range docs {
		docs[i] = Document{
			ID:         fmt.Sprintf("d%06d", i),
			URL:        fmt.Sprintf("https://example.vn/tin/%d.html", i),
			Title:      text(6 + r.IntN(8)),
			Body:       text(words/2 + r.IntN(words)),
			Author:     authors[r.IntN(len(authors))],
			Category:   cats[r.IntN(len(cats))],
			Breadcrumb: []string{"Trang chủ", cats[r.IntN(len(cats))]},
			Published:  fmt.Sprintf("%d-%02d-%02d", 2010+r.IntN(15), 1+r.IntN(12), 1+r.IntN(28)),
			Captions:   []string{text(8)},
		}
	}
	return docs
}

func BenchmarkIndex(b *testing.B) {
	n := benchSize("TULIEU_BENCH_DOCS", 500)
	docs := genDocs(n, benchSize("TULIEU_BENCH_WORDS", 300), 1)
	var bytes int64
	for _, d := range docs {
		bytes += int64(len(d.Title) + len(d.Body))
	}
	b.SetBytes(bytes)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		dir := filepath.Join(b.TempDir(), "idx")
		ix, err := Open(dir, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := ix.Put(context.Background(), docs...); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		ix.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

func BenchmarkSearch(b *testing.B) {
	n := benchSize("TULIEU_BENCH_DOCS", 500)
	docs := genDocs(n, benchSize("TULIEU_BENCH_WORDS", 300), 1)
	ix, err := Open(filepath.Join(b.TempDir(), "idx"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Put(context.Background(), docs...); err != nil {
		b.Fatal(err)
	}
	for _, q := range []struct{ name, q string }{
		{"word", "khuya"},
		{"words", "sinh hoat chi bo"},
		{"phrase", `"hội nghị ban chấp hành"`},
		{"fields", `tieude:đảng OR tacgia:"nguyen van" -nam:2015`},
		{"all", ""},
	} {
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ix.Search(context.Background(), Request{Query: q.q, Limit: 10}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
