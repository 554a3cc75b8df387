package extract

import "testing"

// A UTF-8 page cut at the body size limit inside a letter ("ộ" is three
// bytes) read as windows-1258 mojibake throughout ("Há»™i nghá»‹");
// it is UTF-8 without the letter's first bytes.
func TestDecodeCutInsideALetter(t *testing.T) {
	page := []byte(`<html><head><meta charset="utf-8"></head><body><p>Hội nghị Ban Chấp hành Đảng bộ Khối</p><p>Hộ`)
	for cut := 1; cut <= 2; cut++ {
		for _, ct := range []string{"text/html; charset=utf-8", "text/html", ""} {
			s, cs, err := Decode(page[:len(page)-cut], ct)
			if err != nil || cs != "utf-8" || s != string(page[:len(page)-3]) {
				t.Errorf("cut %d bytes into the last letter, %q: %q as %s (%v)", 3-cut, ct, s, cs, err)
			}
		}
	}
	// A windows-1258 page whose last byte is a lead byte stays
	// windows-1258.
	if _, cs, _ := Decode([]byte("Thanh H\xf3a \xd0"), "text/html; charset=windows-1258"); cs != "windows-1258" {
		t.Errorf("a windows-1258 page read as %s", cs)
	}
}
