package cli

import (
	"fmt"
	"testing"
	"time"
)

// TestBudgetNightHomePageLinksFirst: TestBudgetNightAsksTheStartURL's
// night, with the home page answering slowly (a busy server). The night's
// other connection meanwhile fetched the known articles, their menu's
// listing and the listing's new articles, queued behind it, so the budget
// was spent before the article the home page announced (CI met it under
// load: "new 3", the fresh article not archived). The frontier now hands
// out the shallowest pages first: the home page's new article before the
// pages a listing deeper down leads to.
func TestBudgetNightHomePageLinksFirst(t *testing.T) {
	s := budgetWeekSite(t, 10)
	data := t.TempDir()
	budgetNight(t, data, s.url("/"), 6)

	fresh := movedSection + "hoi-nghi-so-ket-sau-thang-dau-nam-2026-801.html"
	s.article(fresh, "Hội nghị sơ kết công tác xây dựng Đảng sáu tháng đầu năm", "", "Ngày 12/06/2026", moved661Body)
	s.set("/", nightPage{body: fmt.Sprintf(movedTop, "Trang chủ", "") +
		`<a href="` + fresh + `">Hội nghị sơ kết sáu tháng đầu năm</a> <a href="/tin-tuc/tin-tuc-chung/">Tin tức chung</a>` + movedFoot})
	s.mu.Lock()
	s.onHit = func(path string) {
		if path == "/" {
			time.Sleep(700 * time.Millisecond)
		}
	}
	s.mu.Unlock()
	n2 := budgetNight(t, data, s.url("/"), 9)
	t.Logf("night 2: %s fetched %d new %d", n2.Status, n2.Fetched, n2.New)
	if code, out, errOut := run(t, data, "show", s.url(fresh)); code != 0 {
		t.Errorf("the article the home page linked on night 2 was not archived that night: show exited %d: %s%s", code, out, errOut)
	}
}
