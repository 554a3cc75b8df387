package extract

import (
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Asia/Ho_Chi_Minh must resolve on minimal systems
)

var ictZone = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Ho_Chi_Minh"); err == nil {
		return loc
	}
	return time.FixedZone("ICT", 7*3600)
}()

var (
	isoDateRe = mustRe(`\b(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?`)
	dmyRe     = mustRe(`\b(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*([/.\-])\s*(\d{4}|\d{2})\b`)
	viDateRe  = mustRe(`(?i)ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})`)
	// timeRe: a time of day, with its half of the day when one is
	// written ("PM", "CH"; Vietnamese "sáng", "trưa", "chiều", "tối",
	// "đêm": Zing's "11:05 tối" is 23:05). (\b is ASCII's: a word of
	// Vietnamese letters ends at a rune that is not a letter.)
	timeRe = mustRe(`(?i)\b(\d{1,2})\s*(?::|h|giờ)\s*(\d{2})(?:\s*:\s*(\d{2}))?(?:\s*(am|pm|sa|ch)\b|\s+(sáng|trưa|chiều|tối|đêm)(?:[^\p{L}]|$))?`)
	gmtRe  = mustRe(`(?i)\(?\s*(?:gmt|utc)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\s*\)?`)
)

// ParseDate finds the first date in s and returns it in Asia/Ho_Chi_Minh,
// whether a time of day was found with it, and whether a date was found.
//
// Accepted forms include ISO 8601 ("2025-10-22T19:25:52+07:00",
// "2020-02-28"), day-first numeric dates with "/", "-" or "." and optional
// spaces ("28/02/2020", "12-5-2021", "11 - 11 - 2023"), and
// "ngày 15 tháng 10 năm 2025". A time ("09:12", "16:26:08",
// "02:48:00 AM", "17h25") just before or after the date is attached, and a
// "(GMT+7)" style offset is honoured. Numeric dates are always day-first.
func ParseDate(s string) (time.Time, bool, bool) {
	if len(s) > 4096 {
		s = s[:4096]
	}
	// A date is found only by isoDateRe, viDateRe or dmyRe, and each
	// spells at least four ASCII digits (\d is [0-9] in Go's regexp):
	// text with fewer, most of a page's lines, has no date.
	if !hasDigits(s, 4) {
		return time.Time{}, false, false
	}
	// isoDateRe needs a "-" between its numbers.
	if m := findIndexIf(strings.IndexByte(s, '-') >= 0, isoDateRe, s); m != nil {
		y, mo, d := atoiSub(s, m, 1), atoiSub(s, m, 2), atoiSub(s, m, 3)
		if validDate(y, mo, d) {
			if m[8] < 0 {
				return time.Date(y, time.Month(mo), d, 0, 0, 0, 0, ictZone), false, true
			}
			h, mi, sec := atoiSub(s, m, 4), atoiSub(s, m, 5), atoiSub(s, m, 6)
			if h > 23 || mi > 59 || sec > 59 {
				return time.Date(y, time.Month(mo), d, 0, 0, 0, 0, ictZone), false, true
			}
			loc := ictZone
			if m[14] >= 0 {
				loc = parseOffset(s[m[14]:m[15]])
			}
			return time.Date(y, time.Month(mo), d, h, mi, sec, 0, loc).In(ictZone), true, true
		}
	}
	var y, mo, d int
	start, end := -1, -1
	// viDateRe needs "ngày", whose "à" folds to "À" only.
	if m := findIndexIf(strings.Contains(s, "à") || strings.Contains(s, "À"), viDateRe, s); m != nil {
		d, mo, y = atoiSub(s, m, 1), atoiSub(s, m, 2), atoiSub(s, m, 3)
		if validDate(y, mo, d) {
			start, end = m[0], m[1]
		}
	}
	// dmyRe's separators are "/", "." or "-".
	if start < 0 && strings.ContainsAny(s, "/.-") {
		// Matches may overlap: in "09:15 - 07/03/2022" the first is
		// "15 - 07/03" (a year 03), whose two separators differ; the
		// search goes on from the next position, to "07/03/2022".
		for pos, tries := 0, 0; pos < len(s) && tries < 16; tries++ {
			m := dmyRe.FindStringSubmatchIndex(s[pos:])
			if m == nil {
				break
			}
			for i := range m {
				if m[i] >= 0 {
					m[i] += pos
				}
			}
			// The next search starts past this match's first number,
			// never inside a number ("31/02/2020" is not "1/02/2020").
			pos = m[0] + 1
			for pos < len(s) && isDigit(s[pos]) {
				pos++
			}
			if s[m[3]:m[6]] != s[m[7]:m[10]] {
				// The two separators, spaces included, differ: "15 -
				// 07/03" or "30 - 07-03" is a time's minutes and part
				// of the date, not one date.
				continue
			}
			d, mo, y = atoiSub(s, m, 1), atoiSub(s, m, 3), atoiSub(s, m, 5)
			if m[11]-m[10] == 2 {
				if y < 70 {
					y += 2000
				} else {
					y += 1900
				}
			}
			if validDate(y, mo, d) {
				start, end = m[0], m[1]
				break
			}
		}
	}
	if start < 0 {
		return time.Time{}, false, false
	}
	loc := ictZone
	if g := gmtRe.FindStringSubmatch(s); g != nil {
		off, _ := strconv.Atoi(g[2])
		mins, _ := strconv.Atoi(g[3])
		sec := off*3600 + mins*60
		if g[1] == "-" {
			sec = -sec
		}
		if off <= 14 {
			loc = time.FixedZone("", sec)
		}
	}
	// A time of day within a short distance before or after the date.
	best := -1
	var bh, bm, bs int
	for _, t := range timeRe.FindAllStringSubmatchIndex(s, 8) {
		if t[0] < end && t[1] > start {
			continue // overlaps the date
		}
		dist := t[0] - end
		if t[1] <= start {
			dist = start - t[1]
		}
		if dist > 24 {
			continue
		}
		h, mi, sec := atoiSub(s, t, 1), atoiSub(s, t, 2), atoiSub(s, t, 3)
		if t[8] >= 0 {
			switch strings.ToLower(s[t[8]:t[9]]) {
			case "pm", "ch":
				if h < 12 {
					h += 12
				}
			case "am", "sa":
				if h == 12 {
					h = 0
				}
			}
		}
		if t[10] >= 0 {
			switch strings.ToLower(s[t[10]:t[11]]) {
			case "trưa": // 1 giờ trưa is 13:00; 11 and 12 are as said
				if h < 6 {
					h += 12
				}
			case "chiều", "tối":
				if h < 12 {
					h += 12
				}
			case "đêm": // 11 giờ đêm is 23:00, 2 giờ đêm 02:00
				if h >= 9 && h < 12 {
					h += 12
				} else if h == 12 {
					h = 0
				}
			}
		}
		if h > 23 || mi > 59 || sec > 59 {
			continue
		}
		if best < 0 || dist < best {
			best, bh, bm, bs = dist, h, mi, sec
		}
	}
	if best < 0 {
		return time.Date(y, time.Month(mo), d, 0, 0, 0, 0, ictZone), false, true
	}
	return time.Date(y, time.Month(mo), d, bh, bm, bs, 0, loc).In(ictZone), true, true
}

func parseOffset(z string) *time.Location {
	if z == "Z" || z == "z" {
		return time.UTC
	}
	sign := 1
	if z[0] == '-' {
		sign = -1
	}
	z = strings.ReplaceAll(z[1:], ":", "")
	if len(z) < 4 {
		return ictZone
	}
	h, _ := strconv.Atoi(z[:2])
	m, _ := strconv.Atoi(z[2:4])
	if h > 14 || m > 59 {
		return ictZone
	}
	return time.FixedZone("", sign*(h*3600+m*60))
}

func atoiSub(s string, m []int, i int) int {
	if 2*i+1 >= len(m) || m[2*i] < 0 {
		return 0
	}
	n, err := strconv.Atoi(s[m[2*i]:m[2*i+1]])
	if err != nil {
		return -1
	}
	return n
}

func validDate(y, mo, d int) bool {
	if y < 1900 || y > 2100 || mo < 1 || mo > 12 || d < 1 {
		return false
	}
	return d <= time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// formatDate renders a publication date as Document.Published does.
func formatDate(t time.Time, hasTime bool) string {
	t = t.In(ictZone)
	if !hasTime {
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02T15:04:05-07:00")
}

var dateLineWords = map[string]bool{
	"thu": true, "hai": true, "ba": true, "tu": true, "nam": true, "sau": true, "bay": true,
	"chu": true, "nhat": true, "ngay": true, "cap": true, "dang": true, "luc": true, "gmt": true,
	"7": true, "da": true, "xem": true, "luot": true, "ban": true, "in": true, "gio": true,
	"thoi": true, "gian": true, "posted": true, "on": true, "date": true, "updated": true,
	"sua": true, "doi": true, "lan": true, "cuoi": true, "vao": true, "tao": true,
	"am": true, "pm": true, "sa": true, "ch": true, "hom": true, "nay": true, "tin": true,
	"binh": true, "luan": true, "chia": true, "se": true, "thang": true,
}

// isDateLine reports whether s is a short line that is essentially a date
// ("Ngày 28/02/2020", "08:00 | 07/03/2020", "Cập nhật: 12-5-2021 | Lượt
// xem: 345"), as opposed to a sentence that mentions a date.
func isDateLine(s string) bool {
	if wordCount(s) > 18 {
		return false
	}
	if parts := strings.Split(s, "|"); len(parts) > 1 && len(parts) <= 4 {
		// The section's name before the date, set apart by a bar:
		// "Sống trẻ Giáo dục | Cập nhật thứ sáu, ngày 30/11/12 04:00
		// chiều" (Zing, 2012). The date last and with its time: a
		// schedule's "Thứ Hai, 11/11/2024 | Họp Ban Thường vụ" is text.
		last := parts[len(parts)-1]
		if _, hasTime, ok := ParseDate(last); ok && hasTime && isDateLine(last) {
			for _, p := range parts[:len(parts)-1] {
				if wordCount(p) > 5 {
					return false
				}
			}
			return true
		}
	}
	if _, _, ok := ParseDate(s); !ok {
		return false
	}
	rest := 0
	for _, t := range Tokens(fold(s)) {
		if _, err := strconv.Atoi(t); err == nil {
			continue
		}
		if !dateLineWords[t] {
			rest++
		}
	}
	return rest <= 1
}

// toolWords are the words of an article's tools printed beside its date
// ("In bài viết", "Gửi email", "A- A+", "Chia sẻ"), folded.
var toolWords = map[string]bool{"a": true, "in": true, "ban": true, "bai": true, "viet": true, "gui": true, "email": true,
	"chia": true, "se": true, "print": true, "luu": true, "co": true, "chu": true, "phong": true, "tang": true, "giam": true}

// isDateToolsLine says whether s is a date line with the article's tools
// on it: "05/11/2024 | In bài viết | Gửi email", "Thứ Ba, 05/11/2024 A-
// A+ In". (A date line alone is isDateLine.)
func isDateToolsLine(s string) bool {
	if wordCount(s) > 24 {
		return false
	}
	date := false
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '|' || r == '·' || r == '•' }) {
		words := strings.Fields(part)
		k := len(words) // the words before the tools at its end
		for k > 0 && toolWords[foldKey(words[k-1])] {
			k--
		}
		switch {
		case k == 0: // tools only
		case !date && isDateLine(strings.Join(words[:k], " ")):
			date = true
		default:
			return false
		}
	}
	return date
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// findIndexIf is re.FindStringSubmatchIndex(s) when may holds, nil
// otherwise: may is a test that every match of re passes.
func findIndexIf(may bool, re *filteredRe, s string) []int {
	if !may {
		return nil
	}
	return re.FindStringSubmatchIndex(s)
}

// hasDigits says whether s holds at least n ASCII digits.
func hasDigits(s string, n int) bool {
	for i := 0; i < len(s) && n > 0; i++ {
		if isDigit(s[i]) {
			n--
		}
	}
	return n <= 0
}
