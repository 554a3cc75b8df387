package crawler

import "testing"

// TestSameArticleAddress: which addresses can be another of an article's.
func TestSameArticleAddress(t *testing.T) {
	const site = "http://danguykhoithanhhoa.org.vn"
	for _, c := range []struct {
		from, to string
		want     bool
	}{
		{site + "/tin-tuc/tin-tuc-chung/hoi-nghi-so-ket-661.html", site + "/tin-tuc/tin-tuc-chung/hoi-nghi-so-ket-6-thang-dau-nam-661.html", true},
		{site + "/tin-tuc/tin-tuc-chung/hoi-nghi-661.html", "https://www.danguykhoithanhhoa.org.vn/tin-tuc/tin-tuc-chung/hoi-nghi-661.html", true},
		{site + "/tin-tuc/tin-tuc-chung/hoi-nghi-661.html", site + "/tin-tuc/tu-lieu/hoi-nghi-661.html", true}, // moved to another category, the same id
		{site + "/lich-cong-tac/tuan-23-100.html", site + "/lich-cong-tac/tuan-25-102.html", false},
		{site + "/tin-tuc/tin-tuc-chung/hoi-nghi-661.html", site + "/tin-tuc/tin-tuc-chung/", false},
		{site + "/tin-tuc/tin-tuc-chung/hoi-nghi-661.html", site + "/tin-tuc/tin-tuc-chung/hoi-nghi.html", false},
		{site + "/2020/03/hoi-nghi-so-ket/", site + "/2020/03/hoi-nghi-so-ket-6-thang/", true},
		{site + "/2020/03/hoi-nghi-so-ket/", site + "/2020/04/hoi-nghi-so-ket/", false},
		{site + "/Default.aspx?tabid=57&ItemID=1200", site + "/Default.aspx?ItemID=1200&tabid=57", true},
		{site + "/Default.aspx?tabid=57&ItemID=1200", site + "/Default.aspx?tabid=57&ItemID=1201", false},
		{site + "/tong-quan/chuc-nang-nhiem-vu/21", site + "/tong-quan/chuc-nang-nhiem-vu/21", true},
		{site + "/tin-tuc/a-661.html", "http://thanhhoa.gov.vn/tin-tuc/a-661.html", false},
	} {
		if got := sameArticleAddress(c.from, c.to); got != c.want {
			t.Errorf("sameArticleAddress(%s, %s) = %v, want %v", c.from, c.to, got, c.want)
		}
	}
}

// TestAboveOf: a canonical link naming the home page or a folder above
// the page is a misconfigured CMS's, not the page's own address.
func TestAboveOf(t *testing.T) {
	const site = "http://danguykhoithanhhoa.org.vn"
	page := site + "/tin-tuc/tin-tuc-chung/hoi-nghi-661.html"
	for _, c := range []struct {
		canonical, page string
		want            bool
	}{
		{site + "/", page, true},
		{"https://www.danguykhoithanhhoa.org.vn/", page, true},
		{site + "/tin-tuc/tin-tuc-chung/", page, true},
		{site + "/tin-tuc/tin-tuc-chung", page, true},
		{site + "/tin-tuc/", page, true},
		{site + "/tin-tuc/tin-tuc-chung/hoi-nghi-661.html", page + "/amp", false},
		{site + "/tin-tuc/tin-tuc-chung/hoi-nghi-661.html", page, false},
		{site + "/", site + "/", false},
		{site + "/tin-tuc/tu-lieu/", page, false},
		{site + "/tin-tuc/tin-tuc-chung/?page=2", page, false},
	} {
		if got := aboveOf(c.canonical, c.page); got != c.want {
			t.Errorf("aboveOf(%s, %s) = %v, want %v", c.canonical, c.page, got, c.want)
		}
	}
}
