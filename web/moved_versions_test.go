package web

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tulieu/store"
)

// TestArticlePageSaysWhereAMovedVersionWas: the versions table of an
// article that moved (its title edited, its slug with it) says at which
// address the version that moved was fetched.
func TestArticlePageSaysWhereAMovedVersionWas(t *testing.T) {
	ctx := context.Background()
	ix, st := openEmptyParts(t)
	const old = "http://danguykhoithanhhoa.org.vn/tin-tuc/hoi-nghi-so-ket-661.html"
	const moved = "http://danguykhoithanhhoa.org.vn/tin-tuc/hoi-nghi-so-ket-6-thang-dau-nam-661.html"
	night1 := time.Date(2026, 6, 12, 19, 0, 0, 0, time.UTC)
	night2 := night1.Add(24 * time.Hour)
	content := func(title string) store.Content {
		return store.Content{Kind: store.KindArticle, Title: title, Published: "2026-06-12",
			Body: "Đảng ủy Khối các cơ quan tỉnh Thanh Hóa tổ chức hội nghị sơ kết công tác xây dựng Đảng."}
	}
	c1, err := st.AddCapture(ctx, &store.Capture{URL: old, FetchedAt: night1, Status: 200, Kind: store.KindArticle, RecordType: "response"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.RecordArticle(ctx, old, content("Hội nghị sơ kết"), c1, night1); err != nil {
		t.Fatal(err)
	}
	if m, err := st.MoveArticle(ctx, old, moved, false, night2, night2); err != nil || m.ID == "" {
		t.Fatalf("MoveArticle: %+v, %v", m, err)
	}
	c2, err := st.AddCapture(ctx, &store.Capture{URL: moved, FetchedAt: night2, Status: 200, Kind: store.KindArticle, RecordType: "response"})
	if err != nil {
		t.Fatal(err)
	}
	_, id, err := st.RecordArticle(ctx, moved, content("Hội nghị sơ kết 6 tháng đầu năm"), c2, night2)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(ix, st, Options{}))
	defer srv.Close()
	code, body := get(t, srv.URL+"/article/"+id)
	if code != 200 || !strings.Contains(body, `<small class="moved">ở địa chỉ mới: `+moved+`</small>`) {
		t.Errorf("article page: %d; want the moved version's address in its versions table:\n%s", code, body)
	}
	if strings.Count(body, `class="moved"`) != 1 {
		t.Errorf("the address said %d times, want once (the version that moved)", strings.Count(body, `class="moved"`))
	}
}
