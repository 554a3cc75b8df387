package extract

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"
)

var (
	widgetRe       = mustRe(`^(loading$|dang tai$|chia se|share|thich va chia se|ket ban voi( \S+){1,5} tren (facebook|zalo|fanpage)|\d+ (luot )?binh chon|ban in|in bai|in trang|gui email|gui bai|gui cho ban be|luot xem|da xem|so lan xem|luot doc|tweet|like|email|print|quay lai|tro ve|tro lai|len dau trang|ve dau trang|facebook|zalo|twitter|co chu|phong chu|luu bai|in bai viet|a a a|((tong )?so (luot|lan) (xem|doc|truy cap)|luot truy cap|xem) \d+( (ban in|in|in bai viet|gui email|email|chia se))*$|(bai viet )?da duoc (xem|doc) \d+)(\b|$)`)
	relatedRe      = mustPattern(`^(cac |nhung )?(bai viet|tin|tin tuc|tin bai|bai)( da dang)? ?(gan day|lien quan|khac|cung chuyen muc|cung chu de|cung danh muc|cung the loai|moi hon|cu hon|da dua|moi|doc nhieu|xem nhieu|noi bat)$|^(cac |nhung )?(bai viet|tin|tin bai|bai) da (dang|dua)$|^(xem them|doc them|co the ban quan tam|ban co the quan tam|theo dong su kien)$|^(you (may|might) (also )?(like|be interested( in)?)|related (posts|articles|news|stories)|read (more|next))$`)
	sourceRe       = mustRe(`(?i)^\(?\s*(?:nguồn|theo)(?:\s*:\s*|\s+)(.+?)\s*\)?\.?$`)
	parenSrcRe     = mustRe(`^\(\s*([\p{L}\p{N}.\- ]+\.(?:vn|com|net|org|gov\.vn|org\.vn)[^)]*)\s*\)\.?$`)
	authorLabelRe  = mustRe(`(?i)^((tác giả|người viết|người đăng|được viết bởi|viết bởi|đăng bởi|bởi|written by|posted by|by)\s*:?\s+|bài viết\s*:\s*)`)
	creditLabelRe  = mustRe(`(?i)^(bài và ảnh|bài, ảnh|bài - ảnh|tin và ảnh|tin, ảnh|tin - ảnh|bài|tin|ảnh|video|bài viết)\s*:\s*`)
	orgStartRe     = mustPattern(`^(ban|đảng|hội|sở|phòng|trung tâm|văn phòng|ủy ban|uỷ ban|báo|cổng|công ty|tỉnh|bộ|chi bộ|đoàn|thành phố|huyện|xã|phường|trường|nguồn|theo|ubnd|hđnd|mttq|liên đoàn|cục|chi cục|viện|bệnh viện|tổng|thường trực|kính|trân|xin|chúc)([ ,.:;/()\-–—!?"'“”]|$)`)
	honorificRe    = mustRe(`(?i)^(đồng chí|đ/c|nhà báo|nhà văn|nhà thơ|thạc sĩ|thạc sỹ|tiến sĩ|tiến sỹ|cử nhân|bác sĩ|bác sỹ|kỹ sư|luật sư|đại tá|thượng tá|trung tá|thiếu tá|đại úy|thượng úy|trung úy|nghệ sĩ|ông|bà|pgs\.?\s*,?\s*ts|gs\.?\s*,?\s*ts|ths|th\.s|ts|pgs|gs|cn|ks|bs|ncs|ls|nsnd|nsưt|ccb|ctv|pv|btv|phóng viên|cộng tác viên)\.?(\s+|$)`)
	shortBylineRe  = mustRe(`(?i)^\(?(bbt|pv|p\.v|ctv|btv|ban biên tập|phóng viên|nhóm pv|nhóm phóng viên)\)?(\s*\(?(tổng hợp|th)\)?)?\.?$`)
	leadingPunct   = mustRe(`^[\s\-–—*•]+`)
	parenUnitRe    = mustRe(`(?i)^\(\s*(ban|đảng|văn phòng|trung tâm|sở|phòng|hội|ủy ban|uỷ ban|chi bộ|đoàn|trường|báo|cơ quan|công đoàn|liên đoàn|ubnd|mttq|huyện|thành phố|xã|phường|tỉnh)(?:[^\p{L}\p{N}()][^()]*)?\)\.?$`)
	bylineSourceRe = mustRe(`(?i)^(.+?)\s*\(\s*(?:theo|nguồn)\s*:?\s*([^()]+?)\s*\)\.?$`)
	agencyRe       = mustRe(`^[\p{Lu}\d/+]{3,10}$`) // TTXVN, VOV, TTXVN/VNA; not ST, TH (sưu tầm, tổng hợp)
)

// orgStartRe's and parenUnitRe's first word ends where a space, a
// punctuation mark or the text follows, not at \b: regexp's \b knows
// ASCII letters only, so "Sở", "Bộ", "Xã" never ended there
// (TestOfficeNamesAreNotPeople, TestTwoLineBylineParenUnitNonASCII).

func foldKey(s string) string {
	if k, ok := foldKeyFast(s); ok {
		return k
	}
	return strings.Join(Tokens(fold(s)), " ")
}

// foldKeyFast is foldKey for text that fold takes rune by rune (ASCII,
// the Latin letters of foldedLatin, combining marks U+0300–U+036F): fold
// makes it ASCII, whose NFC is itself and whose tokens are its runs of
// letters and digits, lowercased; they are joined by one space as they are
// found. ok is false for any other rune (fold goes through foldSlow), and
// foldKey takes the long way (TestFoldKeyMatchesSlow).
func foldKeyFast(s string) (string, bool) {
	var b []byte
	var buf [128]byte
	b = buf[:0]
	inToken := false
	for _, r := range s {
		var c byte
		switch {
		case r < utf8.RuneSelf:
			c = byte(r)
		case r < rune(len(foldedLatin)) && foldedLatin[r] != 0:
			c = byte(foldedLatin[r])
		case r >= 0x0300 && r <= 0x036F:
			continue // fold drops a combining mark: the token goes on
		default:
			return "", false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if !asciiToken[c] {
			inToken = false
			continue
		}
		if !inToken && len(b) > 0 {
			b = append(b, ' ')
		}
		inToken = true
		b = append(b, c)
	}
	if len(b) == len(s) && string(b) == s {
		return s, true // already a key: no copy
	}
	return string(b), true
}

// mayFoldTo says whether s is short enough for foldKey(s) to be key: a
// letter takes at most 3 bytes more before folding, and a text of more
// than three quarters punctuation and space is no match anyway. Folding
// every paragraph of a page to compare it with the breadcrumb was 7 % of
// a crawl's CPU.
func mayFoldTo(s, key string) bool { return len(s) <= 4*len(key)+64 }

func isWidget(s string) bool {
	if wordCount(s) > 12 {
		return false
	}
	return widgetRe.MatchString(foldKey(s))
}

func isRelatedHeading(s string) bool {
	if wordCount(s) > 8 {
		return false
	}
	return relatedRe.MatchString(foldKey(s))
}

// crumbLinked says whether the breadcrumb links item (a section), rather
// than printing it as the current page.
func (x *extraction) crumbLinked(item string) bool {
	if x.crumbNode == nil {
		return false
	}
	for _, a := range findAll(x.crumbNode, isTag(atom.A)) {
		if sameText(cleanCrumb(textOf(a)), item) {
			return true
		}
	}
	return false
}

func isTextBlock(b *block) bool { return b.kind == bPara || b.kind == bHeading }

var (
	commentHeadRe = mustPattern(`^(y kien ban doc|y kien cua ban|gui y kien( cua ban)?|binh luan|viet binh luan|gui binh luan|cac binh luan|y kien)$`)
	formLineRe    = mustPattern(`^(ho va ten|ho ten|ten|email|dia chi email|so dien thoai|dien thoai|noi dung|y kien|ma xac nhan|ma bao ve|gui|gui y kien|gui binh luan|nhap lai|xoa|huy|dong y)$`)
)

// commentMetaRe matches the line under a reader's comment: the name, a
// dash, how long ago, and its likes ("Nam - 7 ngày trước Thích | 724").
var commentMetaRe = mustRe(`(?i)^\S[^|]{0,40}?\s[-–]\s+\d+\s+(giây|phút|giờ|ngày|tuần|tháng|năm)\s+trước(\s+(thích|trả lời|like|reply)\b.*)?$`)

// commentLikeRe matches what only a reader's comment's line holds beside
// its time: its likes or a reply link.
var commentLikeRe = mustRe(`(?i)trước\s+(thích|trả lời|like|reply)\b`)

func isCommentMeta(s string) bool {
	return len(s) <= 120 && strings.Contains(s, "trước") && commentMetaRe.MatchString(s)
}

// inCommentMeta says whether n, or the line it is part of, is a reader's
// comment's line ("<label class=Author>Nam</label> - 7 ngày trước").
func inCommentMeta(n *html.Node) bool {
	for p, k := n, 0; p != nil && k < 3; p, k = p.Parent, k+1 {
		if p.Type == html.ElementNode {
			if t := cleanText(textOf(p)); len(t) <= 400 && isCommentMeta(t) && commentLikeRe.MatchString(t) {
				return true
			}
		}
	}
	return false
}

// dropComments drops readers' comments kept in the article's container
// (VnExpress, 2012: each comment's text, then "Nam - 7 ngày trước Thích |
// 724"; the list's heading elsewhere): the element that holds two or more
// such lines and none of the article's first paragraphs.
func (x *extraction) dropComments(bl []block) {
	var metas []*html.Node
	first := -1 // the text's first paragraph
	for i := range bl {
		if bl[i].drop || !isTextBlock(&bl[i]) {
			continue
		}
		if first < 0 && bl[i].kind == bPara && wordCount(bl[i].text) >= 20 {
			first = i
		}
		if isCommentMeta(bl[i].text) {
			metas = append(metas, bl[i].node)
		}
	}
	if len(metas) < 2 || first < 0 {
		return
	}
	box := commonAncestor(metas[0], metas[len(metas)-1])
	if box == nil || x.a.contains(box, bl[first].node) || x.titleNode != nil && x.a.contains(box, x.titleNode) {
		return
	}
	// The comments' box: about a paragraph a comment, not the text
	// around two captions that say "50 năm trước".
	paras := 0
	for i := range bl {
		if !bl[i].drop && bl[i].kind == bPara && x.a.contains(box, bl[i].node) && !isCommentMeta(bl[i].text) {
			paras++
		}
	}
	if paras > 3*len(metas) {
		return
	}
	for i := range bl {
		if x.a.contains(box, bl[i].node) {
			bl[i].drop = true
		}
	}
	x.commentBox = box
}

// commonAncestor is the nearest element that holds both a and b.
func commonAncestor(a, b *html.Node) *html.Node {
	seen := map[*html.Node]bool{}
	for n := a; n != nil; n = n.Parent {
		seen[n] = true
	}
	for n := b; n != nil; n = n.Parent {
		if seen[n] && n.Type == html.ElementNode {
			return n
		}
	}
	return nil
}

// commentsCountRe matches the heading of readers' comments with their
// count ("Ý kiến bạn đọc (33)", "Bình luận ( 5 )"), folded: the readers'
// opinions an article collects are not counted so.
var commentsCountRe = mustPattern(`^(y kien ban doc|y kien|binh luan|cac binh luan|phan hoi|thao luan) \d+$`)

// isProse says whether b is a paragraph of the text's prose: twenty words
// or more, not mostly links.
func isProse(b *block) bool {
	return b.kind == bPara && b.linkLen*4 < b.textLen && wordCount(b.text) >= 20
}

// proseBefore counts the paragraphs of prose before block i: the
// comments' count under the title ("Bình luận (0)", a link to the form)
// opens no comments.
func proseBefore(bl []block, i int) int {
	n := 0
	for j := 0; j < i; j++ {
		if !bl[j].drop && isProse(&bl[j]) {
			n++
		}
	}
	return n
}

func isCommentsCount(s string) bool {
	return len(s) <= 60 && strings.ContainsFunc(s, unicode.IsDigit) && commentsCountRe.MatchString(foldKey(s))
}

// dropCommentForm drops a readers' comment form at the end of the text:
// its heading ("Ý kiến bạn đọc", "Bình luận") followed by nothing but the
// form's labels and buttons ("Họ và tên:", "Nội dung:", "Gửi ý kiến").
// The same heading followed by text (the readers' opinions an article
// collects, a commentary) is the article's.
func dropCommentForm(bl []block) {
	for i := range bl {
		if bl[i].drop || !isTextBlock(&bl[i]) || len(bl[i].text) > 60 || !commentHeadRe.MatchString(foldKey(bl[i].text)) {
			continue
		}
		labels := 0
		form := true
		for j := i + 1; j < len(bl) && form; j++ {
			switch {
			case bl[j].drop || bl[j].kind == bImage:
			case isTextBlock(&bl[j]) && len(bl[j].text) <= 40 && formLineRe.MatchString(foldKey(bl[j].text)):
				labels++
			default:
				form = false
			}
		}
		if form && labels > 0 {
			for j := i; j < len(bl); j++ {
				bl[j].drop = true
			}
			return
		}
	}
}

// tagsLabelRe matches the label of a page's tags, alone on its line.
var tagsLabelRe = mustRe(`(?i)^\s*(tags|tag|từ khóa|từ khoá|thẻ|keywords)\s*:?\s*$`)

// copyrightRe matches a site's copyright line.
var copyrightRe = mustRe(`(?i)^\s*(bản quyền\b|copyright\b|©|\(c\)\s*\d{4})`)

// filterBlocks removes chrome that sits inside the content container.
func (x *extraction) filterBlocks() {
	bl := x.blocks
	// The title and anything before it (category label, breadcrumb).
	for i := 0; i < len(bl) && i < 8; i++ {
		if isTextBlock(&bl[i]) && x.title != "" && sameText(bl[i].text, x.title) {
			for j := 0; j <= i; j++ {
				if bl[j].kind != bImage && wordCount(bl[j].text) < 40 {
					bl[j].drop = true
				}
			}
			break
		}
	}
	x.headByline(bl)
	// Lines that are not text of the article: a number alone (a view or
	// comment counter), the site's own name (a byline box filled with it).
	// A date alone ("05/11/2024", "(05/11/2024 08:30)") is the article's
	// date when it is the only one; several are text (a timeline's dates).
	// dateOnly[i]: block i is a text block holding a date alone, read once
	// (the cheap tests first: ParseDate is not, and most blocks have
	// letters).
	dateOnly := make([]bool, len(bl))
	dates := 0
	for i := range bl {
		t := bl[i].text
		if !isTextBlock(&bl[i]) || len(t) > 40 || strings.ContainsFunc(t, unicode.IsLetter) || wordCount(t) > 4 {
			continue
		}
		if _, _, ok := ParseDate(t); ok {
			dateOnly[i] = true
			if !bl[i].drop {
				dates++
			}
		}
	}
	for i := range bl {
		if bl[i].drop || !isTextBlock(&bl[i]) {
			continue
		}
		switch {
		case dateOnly[i] && dates > 1:
		case dateOnly[i]:
			x.headDates = append(x.headDates, bl[i].text)
			bl[i].drop = true
		case !strings.ContainsFunc(bl[i].text, unicode.IsLetter):
			bl[i].drop = true
		case wordCount(bl[i].text) <= 8 && x.isSiteName(bl[i].text):
			bl[i].drop = true
		case tagsLabelRe.MatchString(bl[i].text):
			// "Tags:", "Từ khóa:" alone: the label of the tags' links.
			bl[i].drop = true
		case wordCount(bl[i].text) <= 15 && len(bl[i].links) > 0 && inTagBox(bl[i].node):
			// The tags themselves, in their box ("Xem thêm: Giáng sinh").
			bl[i].drop = true
		case wordCount(bl[i].text) <= 25 && copyrightRe.MatchString(bl[i].text):
			// "Bản quyền © 2008 Sở Giáo dục…": the site's footer, in
			// the cell of a table layout that holds the text.
			bl[i].drop = true
		}
	}
	crumbKey := ""
	if x.crumbNode != nil {
		crumbKey = foldKey(textOf(x.crumbNode))
	}
	// Cut at a "related articles" heading; when the heading opens a box
	// inside the text and the article goes on after it, drop the box only.
	for i := range bl {
		if bl[i].drop || !isTextBlock(&bl[i]) || !isRelatedHeading(bl[i].text) && !(isCommentsCount(bl[i].text) && proseBefore(bl, i) >= 2) || i == 0 {
			continue
		}
		if box := x.innerBox(bl[i].node); box != nil {
			more := false
			for j := i + 1; j < len(bl); j++ {
				if !x.a.contains(box, bl[j].node) && isProse(&bl[j]) {
					more = true
					break
				}
			}
			if more {
				for j := i; j < len(bl); j++ {
					if x.a.contains(box, bl[j].node) {
						bl[j].drop = true
					}
				}
				continue
			}
		}
		for j := i; j < len(bl); j++ {
			bl[j].drop = true
		}
		break
	}
	dropCommentForm(bl)
	x.dropComments(bl)
	// A related article's card that is no link around it: its headline
	// linking to another page of the site, and its summary unlinked
	// beside it in a box of their own with its picture (VietnamNet's
	// div.inner-article: a picture, h4 > a, p.summary, under the byline).
	// One such box: several of them are a list the article gives (its
	// members, each with a picture, a linked name and an account).
	cardAt, cardBox, cards := -1, (*html.Node)(nil), 0
	for i := 1; i < len(bl); i++ {
		b := &bl[i]
		if b.kind != bHeading || len(b.links) == 0 || b.linkLen*2 < b.textLen || !x.card(&block{kind: bHeading, cardHref: b.links[0]}) {
			continue
		}
		box := x.innerBox(b.node)
		if box == nil || x.a.st(box).textLen > b.textLen+600 || findFirst(box, atom.Img) == nil {
			continue
		}
		cardAt, cardBox = i, box
		cards++
	}
	if cards == 1 {
		for j := cardAt + 1; j < len(bl) && x.a.contains(cardBox, bl[j].node); j++ {
			if bl[j].kind == bPara && wordCount(bl[j].text) <= 60 && len(bl[j].links) == 0 {
				bl[j].drop = true
			}
		}
	}
	// The content's prose ends at its last paragraph of twenty words or
	// more that is not mostly links; the headlines after it are counted
	// apart (trailingExempt).
	lastP := -1
	x.proseParas = 0
	for i := range bl {
		if !bl[i].drop && isProse(&bl[i]) {
			lastP = i
			x.proseParas++
		}
	}
	x.lastProse = nil
	if lastP >= 0 {
		x.lastProse = bl[lastP].node
	}
	x.headlines, x.trailingHeadlines = 0, 0
	for i := range bl {
		if bl[i].drop {
			continue
		}
		if bl[i].kind == bList || bl[i].kind == bPara || bl[i].kind == bHeading {
			// Links to attached documents are not headlines: a short
			// "Văn bản" article that lists its files is an article.
			if docs := len(bl[i].attachments); docs > 0 && docs >= len(bl[i].links) {
				continue
			}
			if bl[i].linkLen > 0 && bl[i].textLen > 0 && float64(bl[i].linkLen)/float64(bl[i].textLen) > 0.5 && wordCount(bl[i].text) >= 4 {
				n := max(1, len(bl[i].links)-len(bl[i].attachments))
				if lastP >= 0 && i > lastP {
					x.trailingHeadlines += n
				} else {
					x.headlines += n
				}
			}
		}
	}
	n := len(bl)
	for i := range bl {
		b := &bl[i]
		if b.drop || b.kind == bImage {
			continue
		}
		t := b.text
		switch {
		case crumbKey != "" && mayFoldTo(t, crumbKey) && foldKey(t) == crumbKey, crumbStartRe.MatchString(t) && wordCount(t) < 40:
			b.drop = true
		case isWidget(t) && b.kind != bList && b.kind != bTable:
			b.drop = true
		case i > 0 && bl[i-1].drop && sameBranch(bl[i-1].node, b.node) && strings.HasPrefix(foldKey(bl[i-1].text), "ket ban voi ") && isWidget(bl[i-1].text) &&
			wordCount(t) <= 8 && startsLower(t):
			// The rest of a "follow us" widget's line, cut by a <br> or
			// a script: "Kết bạn với Tin tức 24h trên Facebook" / "để
			// nhận tin nóng hổi". (Only that widget's: after a line
			// taken for another, "Email: …", the text may go on.)
			b.drop = true
		case b.kind != bTable && b.textLen > 0 && float64(b.linkLen)/float64(b.textLen) > 0.6 && len(b.attachments) == 0 && (b.kind == bList || wordCount(t) <= 25):
			b.drop = true // related links, tag lists
		case b.cardHref != "" && x.card(b):
			b.drop = true // a related article's card, its summary as long as it is
		case isTextBlock(b) && (isDateLine(t) || isDateToolsLine(t)) && (i < 6 || i >= n-6) && !(dates > 1 && dateOnly[i]):
			b.drop = true
			x.headDates = append(x.headDates, t)
		case isTextBlock(b) && i < 6 && wordCount(t) <= 15 && metaLine(b.node):
			if _, _, ok := ParseDate(t); ok {
				b.drop = true
				x.headDates = append(x.headDates, t)
			} else if x.headMetaBox(bl, i) {
				// Joomla's dl.article-info ("Chi tiết", "Danh mục: …"),
				// a portal's "news-info" row: labels about the article,
				// not its text.
				b.drop = true
			}
		}
	}
	// Tail: source lines, bylines.
	last := func() int {
		for i := len(bl) - 1; i >= 0; i-- {
			if !bl[i].drop && bl[i].kind != bImage {
				return i
			}
		}
		return -1
	}
	for k := 0; k < 3; k++ {
		i := last()
		if i < 0 || !isTextBlock(&bl[i]) {
			break
		}
		t := bl[i].text
		if photoCreditRe.MatchString(t) && wordCount(t) <= 12 {
			// "Ảnh: Cao Trung Hiếu" under the byline of a photo story:
			// the photographer is credited, not the author, and the line
			// is not text of the article.
			bl[i].drop = true
			continue
		}
		if n := strings.Trim(t, "() ."); x.source == "" && agencyRe.MatchString(n) && isPublication(n) {
			// A news agency alone under the text ("TTXVN", "(VOV)"): the
			// source of the article.
			x.source = n
			bl[i].drop = true
			continue
		}
		if j := prevText(bl, i); j >= 0 && x.source == "" && originLine(&bl[i]) && sourceRe.MatchString(bl[j].text) && wordCount(bl[j].text) <= 10 {
			// "Theo Minh Nguyễn/Vcamp.vn" / "Forbes", set apart under
			// the text: the publication the article was first printed
			// in, on a line of its own under the credit.
			x.source = strings.TrimSpace(t)
			bl[i].drop = true
			continue
		}
		if m := bylineSourceRe.FindStringSubmatch(t); m != nil && x.bylineText == "" && sourceLike(m[2]) && isBylineText(m[1]) {
			// "Minh Hằng (Theo dangcongsan.vn)": the writer, and where
			// the article was taken from.
			x.bylineText, x.source = strings.TrimSpace(m[1]), strings.TrimSpace(m[2])
			bl[i].drop = true
			break
		}
		if m := theoParenRe.FindStringSubmatch(t); m != nil && x.bylineText == "" && wordCount(t) <= 12 && sourceLike(m[2]) && !domainRe.MatchString(m[2]) &&
			isPersonName(strings.TrimSpace(m[1])) && !isPublication(strings.TrimSpace(m[1])) && !x.isSiteName(strings.TrimSpace(m[1])) {
			// "Theo Thanh Hà (Báo X/Reuters)": the writer of the article
			// taken, and where it was taken from.
			x.bylineText, x.source = strings.TrimSpace(m[1]), strings.TrimSpace(m[2])
			bl[i].drop = true
			break
		}
		if m := sourceRe.FindStringSubmatch(t); m != nil && wordCount(t) <= 10 && sourceLike(m[1]) {
			name := strings.TrimSpace(m[1])
			bl[i].drop = true
			if person, from, ok := strings.Cut(name, "/"); ok && x.bylineText == "" && x.theoPerson(t, strings.TrimSpace(person)) && hasFamilyName(person) && sourceLike(from) {
				// "Theo Minh Nguyễn/Vcamp.vn": the writer, and where the
				// article was taken from.
				x.bylineText, x.source = strings.TrimSpace(person), strings.TrimSpace(from)
				break
			}
			if x.bylineText == "" && x.theoPerson(t, name) {
				// "Theo Hồ Hương": the writer of an article taken from
				// elsewhere, not a publication.
				x.bylineText = name
				break
			}
			x.source = name
			continue
		}
		if m := parenSrcRe.FindStringSubmatch(t); m != nil {
			x.source = strings.TrimSpace(m[1])
			bl[i].drop = true
			continue
		}
		if placeDateRe.MatchString(t) {
			// The place and date of a document: its date, no author;
			// the signature may stand above it.
			x.headDates = append(x.headDates, t)
			bl[i].drop = true
			continue
		} else if name, date, ok := splitBylineDate(t); ok {
			x.bylineText = name
			x.headDates = append(x.headDates, date)
			bl[i].drop = true
		} else if x.opinionsBox(bl, i) {
			// "Cô Lê Ngọc Diệp - Trưởng phòng …" under a quotation, in a
			// box of readers' or officials' opinions: who said it, text
			// of the article, not its byline.
		} else if isBylineText(t) {
			x.bylineText = t
			bl[i].drop = true
			// "Theo Báo Thanh Hóa" / "Minh Anh": the source over the
			// name of who posted it.
			if j := prevText(bl, i); j >= 0 && x.source == "" && wordCount(bl[j].text) <= 10 {
				if m := sourceRe.FindStringSubmatch(bl[j].text); m != nil && sourceLike(m[1]) && !x.theoPerson(bl[j].text, strings.TrimSpace(m[1])) {
					x.source = strings.TrimSpace(m[1])
					bl[j].drop = true
				}
			}
			// "Trần Quốc Khánh," / "Ban Tuyên giáo Tỉnh ủy"
		} else if j := prevText(bl, i); j >= 0 && strings.HasSuffix(bl[j].text, ",") && isPersonName(namePart(strings.TrimSuffix(bl[j].text, ","))) &&
			wordCount(bl[j].text) <= 8 && wordCount(t) <= 12 && !strings.HasSuffix(t, ".") {
			x.bylineText = bl[j].text + " " + t
			bl[i].drop, bl[j].drop = true, true
			// "Nguyễn Thị Mai" / "(Văn phòng Đảng ủy Khối)"
		} else if j := prevText(bl, i); j >= 0 && parenUnitRe.MatchString(t) && wordCount(t) <= 12 && isPersonName(bareName(bl[j].text)) && wordCount(bl[j].text) <= 8 {
			x.bylineText = bl[j].text + " " + t
			bl[i].drop, bl[j].drop = true, true
		} else if orgSignature(&bl[i]) {
			x.bylineText = t
			bl[i].drop = true
		}
		break
	}
	// Image captions.
	for i := range bl {
		if bl[i].kind != bImage || bl[i].drop {
			continue
		}
		j := i + 1
		if j >= len(bl) || bl[j].drop || !isTextBlock(&bl[j]) {
			continue
		}
		c := &bl[j]
		wc := wordCount(c.text)
		if wc > 45 && !c.caption {
			continue // a paragraph after the picture; a <figcaption> says it is the caption, however long
		}
		italic := c.textLen > 0 && c.italic*2 >= c.textLen
		noEnd := !strings.HasSuffix(c.text, ".") || wc <= 25
		if strings.HasSuffix(c.text, ":") && !c.caption {
			continue // introduces what follows
		}
		if c.caption || bl[i].fromFig || italic || c.center || (noEnd && wc <= 30 && !c.right) {
			c.caption = true
			bl[i].img.Caption = stripCredit(c.text)
		}
	}
	x.blocks = bl
}

// sameBranch says whether a and b are one element or one holds the other.
func sameBranch(a, b *html.Node) bool {
	for p := b; p != nil; p = p.Parent {
		if p == a {
			return true
		}
	}
	for p := a; p != nil; p = p.Parent {
		if p == b {
			return true
		}
	}
	return false
}

// familyNames are the commonest Vietnamese family names (nine in ten
// people carry one of them).
var familyNames = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields("nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đào đinh lâm mai trịnh đoàn lương cao tạ hà tô chu vương thái quách lưu triệu kiều hứa văn tăng lại la từ khúc tống mạc hồng nông thân quan lục") {
		m[n] = true
	}
	return m
}()

// hasFamilyName says whether a name holds a common family name: "Minh
// Nguyễn" is a writer, "Tri Thức Trẻ" before "/Soha" a newspaper, though
// both read as names.
func hasFamilyName(s string) bool {
	for _, w := range strings.Fields(s) {
		if familyNames[strings.ToLower(norm.NFC.String(w))] {
			return true
		}
	}
	return false
}

func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

// originLine: a last line that can only name a publication, set apart as
// credits are: one to three words, capitalised, no sentence's end, no
// person's name, right aligned or in italics ("Forbes", "Báo Nhân Dân").
func originLine(b *block) bool {
	t := strings.TrimSpace(b.text)
	if t == "" || wordCount(t) > 3 || strings.ContainsAny(t[len(t)-1:], ".!?:;,") || !isUpperStart(t) {
		return false
	}
	for _, w := range strings.Fields(t) {
		// Initials are a writer's: "T.Hương", "N.LAN" (which reads as
		// an acronym too).
		if strings.Contains(w, ".") && slices.ContainsFunc(strings.Split(w, "."), func(part string) bool { return utf8.RuneCountInString(part) == 1 }) {
			return false
		}
	}
	if !isPublication(t) {
		// A name in Vietnamese is the writer's or the office's under the
		// credit ("Minh Anh", "BBT", "THÀNH", "Ban Tuyên giáo"); a
		// publication not known as one must read as no Vietnamese at all
		// ("Forbes", "Reuters").
		for _, w := range strings.Fields(t) {
			if shortBylineRe.MatchString(w) {
				return false
			}
			for _, part := range strings.FieldsFunc(w, func(r rune) bool { return r == '.' || r == ',' }) {
				if vietSyllable(part) {
					return false
				}
			}
		}
		if isPersonName(t) || isBylineText(t) {
			return false
		}
	}
	return b.right || b.textLen > 0 && b.italic*2 >= b.textLen
}

// orgSignature: a last line that signs the article with the name of an
// office ("Văn phòng Đảng ủy Khối", "Ban Tuyên giáo"), set apart as
// bylines are: right-aligned and bold or italic, short, no final stop.
func orgSignature(b *block) bool {
	t := b.text
	wc := wordCount(t)
	if wc < 2 || wc > 10 || !b.right || b.textLen == 0 || (b.bold*2 < b.textLen && b.italic*2 < b.textLen) {
		return false
	}
	if strings.ContainsAny(t[len(t)-1:], ".:;!?…") || !isUpperStart(t) {
		return false
	}
	if _, _, ok := ParseDate(t); ok {
		return false
	}
	return orgStartRe.MatchString(strings.ToLower(t)) && !strings.HasPrefix(strings.ToLower(t), "nguồn") && !strings.HasPrefix(strings.ToLower(t), "theo")
}

// innerBox is the element that holds heading n and its list inside the
// content: the first ancestor of n, below a content root, with more text
// than n.
func (x *extraction) innerBox(n *html.Node) *html.Node {
	var top *html.Node // the highest ancestor of n inside the content
	for p := n.Parent; p != nil && p.Type == html.ElementNode; p = p.Parent {
		for _, c := range x.content {
			if p == c || x.a.contains(p, c) {
				// A box that holds its heading alone (a "TIN MỚI" list the
				// page fills by script) is still a box: the content's
				// child that holds the heading.
				if top != nil && top != n {
					return top
				}
				return nil
			}
		}
		if x.a.st(p).textLen > x.a.st(n).textLen {
			return p
		}
		top = p
	}
	return nil
}

// headByline takes a byline printed as the first line of the body
// ("Bài và ảnh: Quốc Hương", a bold or right-aligned name, "Lê Hà -
// 28/02/2020") when a paragraph of text follows it.
func (x *extraction) headByline(bl []block) {
	first := -1
	for i := range bl {
		if bl[i].drop || bl[i].kind == bImage {
			continue
		}
		first = i
		break
	}
	if first < 0 || !isTextBlock(&bl[first]) || bl[first].kind == bHeading {
		return
	}
	b := &bl[first]
	next := -1
	for j := first + 1; j < len(bl); j++ {
		if !bl[j].drop && bl[j].kind != bImage {
			next = j
			break
		}
	}
	if next < 0 || wordCount(bl[next].text) < 15 {
		return
	}
	t := b.text
	if placeDateRe.MatchString(t) {
		x.headDates = append(x.headDates, t) // a document's place and date
		b.drop = true
		return
	}
	if name, date, ok := splitBylineDate(t); ok {
		x.topByline = name
		x.headDates = append(x.headDates, date)
		b.drop = true
		return
	}
	if !isBylineText(t) {
		return
	}
	marked := authorLabelRe.MatchString(t) || creditLabelRe.MatchString(t) || shortBylineRe.MatchString(t)
	emph := b.textLen > 0 && (b.bold*2 >= b.textLen || b.italic*2 >= b.textLen) || b.right
	if marked || emph || metaLine(b.node) {
		x.topByline = t
		b.drop = true
	}
}

var (
	// Go's \b is ASCII: "Thứ Tư," would not end a word; the next
	// non-letter (or the end) is taken instead.
	weekdayRe   = mustRe(`(?i)(thứ[\s\x{00A0}]+(hai|ba|tư|năm|sáu|bảy|[2-7])|chủ[\s\x{00A0}]+nhật|\bcn)([^\p{L}]|$)`)
	dateWordsRe = mustRe(`(?i)(^|\s)(ngày|lúc|đăng|cập nhật|gmt\s*[+-]\s*\d+)(\s|$|:)`)
)

// splitBylineDate splits a line holding a byline and a date ("Lê Hà -
// 28/02/2020", "MINH HIẾU - 20:15, 05/01/2025") into the byline and the
// line for ParseDate. ok is false unless both parts are there.
func splitBylineDate(t string) (byline, date string, ok bool) {
	if wordCount(t) > 20 || placeDateRe.MatchString(t) {
		// (The place and date of a document, "Thanh Hóa, ngày 07 tháng
		// 3 năm 2022", name no author.)
		return "", "", false
	}
	if _, _, found := ParseDate(t); !found {
		return "", "", false
	}
	rest := cleanText(t)
	for _, re := range []*filteredRe{isoDateRe, viDateRe, dmyRe, gmtRe, timeRe, weekdayRe} {
		rest = re.ReplaceAllString(rest, " ")
	}
	for k := 0; k < 3; k++ {
		rest = dateWordsRe.ReplaceAllString(rest, " ")
	}
	rest = strings.Trim(cleanText(rest), " -–—|,·:()")
	rest = strings.TrimSpace(rest)
	if rest == "" || wordCount(rest) > 12 || !isBylineText(rest) {
		return "", "", false
	}
	return rest, t, true
}

// placeDateRe is a document's place and date line: a place, a comma,
// then the date in words.
var placeDateRe = mustRe(`(?i)^\s*[\p{L}][\p{L}\p{M} .\-]{0,40},\s*ngày\s+\d{1,2}(\s+tháng\s+\d{1,2}|\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}\s*\.?\s*$)`)

var metaLineRe = mustPattern(`meta|info|date|time|ngay|publish|posted|author|byline`)

// headMetaBox: block i is a label line (labelLine) in a box marked as
// metadata (metaLine) all of whose lines are labels, so the box is a head
// of labels (category, views, "details") above the text rather than a
// wrapper of the text, or of its sapo, that happens to be called
// "news-info" or "article-info".
func (x *extraction) headMetaBox(bl []block, i int) bool {
	box := metaBoxOf(bl[i].node)
	if box == nil || !labelLine(bl[i].text) {
		return false
	}
	// Every line of the box is such a label: a box that holds a line of
	// text (a sapo in div.article-info, the last line of a notice that
	// div.news-info wraps whole) is the text's.
	for j := range bl {
		if j != i && x.a.contains(box, bl[j].node) && (bl[j].kind != bPara && bl[j].kind != bHeading || !labelLine(bl[j].text)) {
			return false
		}
	}
	return true
}

// labelLine: a line that reads as a label about an article, not as its
// text: a few words ("Chi tiết", "Lượt xem 1287"), or a short label and
// its value ("Danh mục: Hoạt động Hội", "Ngày đăng: 21 Tháng 9 2023").
func labelLine(t string) bool {
	n := wordCount(t)
	if n <= 4 {
		return true
	}
	label, _, ok := strings.Cut(t, ":")
	return ok && n <= 10 && wordCount(label) <= 3
}

// metaBoxOf is the element, or the close ancestor, marked as article
// metadata; nil when there is none.
func metaBoxOf(n *html.Node) *html.Node {
	for k := 0; n != nil && k < 3; k, n = k+1, n.Parent {
		if n.Type == html.ElementNode && metaLineRe.MatchString(classID(n)) {
			return n
		}
	}
	return nil
}

// metaLine: the element or a close ancestor is marked as article metadata.
func metaLine(n *html.Node) bool { return metaBoxOf(n) != nil }

// opinionsBox: bl[i] is the last of two or more short lines that each
// follow a quotation, in one box of the text (a table or a blockquote set
// within it): a box of opinions ("Một số ý kiến khác…": a quotation, then
// who said it, again and again), whose last speaker is no byline. One
// quotation and its speaker is not enough to tell: an article may end on
// a quotation above its writer's name.
func (x *extraction) opinionsBox(bl []block, i int) bool {
	box := boxOf(bl[i].node)
	if box == nil {
		return false
	}
	speaker := func(k int) bool {
		j := prevText(bl, k)
		return j >= 0 && x.a.contains(box, bl[j].node) && isTextBlock(&bl[k]) && wordCount(bl[k].text) <= 25 &&
			!isQuotation(bl[k].text) && isQuotation(bl[j].text)
	}
	if !speaker(i) {
		return false
	}
	for k := i - 1; k >= 0 && x.a.contains(box, bl[k].node); k-- {
		if !bl[k].drop && speaker(k) {
			return true
		}
	}
	return false
}

// boxOf is the table or blockquote n stands in, within the text: nil for
// none.
func boxOf(n *html.Node) *html.Node {
	for p := n.Parent; p != nil; p = p.Parent {
		switch p.DataAtom {
		case atom.Table, atom.Blockquote:
			return p
		case atom.Article, atom.Main, atom.Body:
			return nil
		}
	}
	return nil
}

// isQuotation: a paragraph that is a quotation, in quotation marks from
// its first rune to its last ("“Nếu quá gò theo dàn ý …”.").
func isQuotation(t string) bool {
	t = strings.TrimRight(strings.TrimSpace(t), ". ")
	open, _ := utf8.DecodeRuneInString(t)
	end, _ := utf8.DecodeLastRuneInString(t)
	return len(t) > 2 && strings.ContainsRune("“\"«‘", open) && strings.ContainsRune("”\"»’", end)
}

func prevText(bl []block, i int) int {
	for j := i - 1; j >= 0; j-- {
		if bl[j].drop {
			continue
		}
		if isTextBlock(&bl[j]) {
			return j
		}
		return -1
	}
	return -1
}

func sourceLike(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || wordCount(s) > 8 {
		return false
	}
	if strings.Contains(s, ",") {
		return false
	}
	return isUpperStart(s) || domainRe.MatchString(s)
}

var domainRe = mustRe(`\p{L}\.\p{L}`)

// photoCreditRe is a line that credits pictures, video or graphics alone
// ("Ảnh: X", "Video: X", "Đồ họa: X"): never the author ("Bài và ảnh: X"
// is, and does not match).
var photoCreditRe = mustRe(`(?i)^[(\[]?\s*(ảnh|ảnh minh họa|ảnh minh hoạ|video|clip|đồ họa|đồ hoạ|infographic|photo|thiết kế|trình bày)\s*:`)

var creditRe = mustRe(`(?i)\s*[(\[]?\s*(ảnh|nguồn ảnh|photo)\s*:\s*[^)\]]*[)\]]?\s*$`)

func stripCredit(s string) string {
	if t := strings.TrimSpace(creditRe.ReplaceAllString(s, "")); t != "" {
		return t
	}
	return s
}

// namePart is the byline minus labels, honorifics and the unit after
// " - ", "(" or ",".
func namePart(s string) string {
	s = unlabelled(s)
	for _, sep := range []string{" - ", " – ", " — ", "(", ",", ";", " | "} {
		if i := strings.Index(s, sep); i > 0 {
			s = s[:i]
		}
	}
	return bareName(s)
}

// unlabelled is a byline without its leading punctuation and its "Tác
// giả:" or "Bài và ảnh:" label.
func unlabelled(s string) string {
	s = strings.TrimSpace(leadingPunct.ReplaceAllString(s, ""))
	s = authorLabelRe.ReplaceAllString(s, "")
	return creditLabelRe.ReplaceAllString(s, "")
}

// bareName is a name without its honorifics ("ThS", "Đồng chí", "PGS.TS",
// up to four of them) and surrounding dots and colons.
func bareName(s string) string {
	for k := 0; k < 4; k++ {
		t := honorificRe.ReplaceAllString(s, "")
		if t == s {
			break
		}
		s = t
	}
	return strings.Trim(strings.TrimSpace(s), ".:")
}

// isPersonName: 2–5 capitalized words of letters.
func isPersonName(s string) bool {
	w := strings.Fields(s)
	if len(w) < 2 || len(w) > 5 {
		return false
	}
	if orgStartRe.MatchString(strings.ToLower(s)) {
		return false
	}
	for _, x := range w {
		if !isUpperStart(x) {
			return false
		}
		for _, r := range x {
			if !unicode.IsLetter(r) && !unicode.IsMark(r) && r != '.' {
				return false
			}
		}
	}
	return true
}

// isBylineText decides whether a short last paragraph is a byline.
func isBylineText(t string) bool {
	t = strings.TrimSpace(t)
	wc := wordCount(t)
	if wc == 0 || wc > 15 {
		return false
	}
	if shortBylineRe.MatchString(t) {
		return true
	}
	if _, _, ok := ParseDate(t); ok {
		return false // a date line, or a byline+date line (splitBylineDate)
	}
	if strings.HasSuffix(t, "./.") || strings.HasSuffix(t, ":") || strings.HasSuffix(t, "?") || strings.HasSuffix(t, "!") || strings.HasSuffix(t, "…") || strings.HasSuffix(t, "...") {
		return false
	}
	if authorLabelRe.MatchString(t) || creditLabelRe.MatchString(t) {
		rest := creditLabelRe.ReplaceAllString(authorLabelRe.ReplaceAllString(t, ""), "")
		return wordCount(rest) >= 1 && wordCount(rest) <= 12
	}
	if strings.HasSuffix(t, ".") {
		return false
	}
	if strings.Contains(t, " và ") && !honorificRe.MatchString(t) && personList(t) != nil {
		// "Lê Hoa và Minh Đức"; not "Đồng chí X và đồng chí Y", the
		// caption of a photo of two leaders.
		return true
	}
	np := namePart(t)
	if !isPersonName(np) {
		return false
	}
	// Without a separator, the whole line must be the name.
	if wordCount(np) < wc-2 && !strings.ContainsAny(t, "(,-–—") {
		return false
	}
	return true
}

// authorName derives the person's name from a byline, or "": several
// people ("Minh Hằng - Thu Trang", "A, B và C") are joined with ", ".
func authorName(byline string) string {
	if byline == "" || shortBylineRe.MatchString(byline) {
		return ""
	}
	if names := personList(byline); len(names) > 1 {
		return strings.Join(names, ", ")
	}
	np := namePart(byline)
	if isPersonName(np) {
		return np
	}
	if w := strings.Fields(np); len(w) >= 1 && len(w) <= 5 && isUpperStart(np) && !orgStartRe.MatchString(strings.ToLower(np)) {
		return np
	}
	return ""
}

// personList splits a byline that names several people and nothing else
// ("Minh Hằng - Thu Trang", "NHẬT XUÂN, NGHI VŨ", "Lê An và Trần Bình"),
// each part a person's name once labels and honorifics are removed; nil
// when any part is something else (a unit, a title: "ThS Đào Thị Thủy -
// UV Ban Chấp hành").
func personList(byline string) []string {
	b := unlabelled(byline)
	if i := strings.LastIndex(b, " ("); i > 0 && strings.HasSuffix(b, ")") {
		b = b[:i] // "Văn Phong - Tuấn Anh (Ban Tuyên giáo)": their unit
	}
	parts := personSepRe.Split(b, -1)
	if len(parts) < 2 {
		return nil
	}
	var out []string
	for _, p := range parts {
		np := bareName(strings.TrimSpace(p))
		if !isPersonName(np) {
			return nil
		}
		out = append(out, np)
	}
	return out
}

var personSepRe = mustRe(`\s*(?:,|;|\s-\s|\s–\s|\s—\s|\svà\s)\s*`)

// photoCreditTailRe is a photo or video credit after the writer in one
// byline ("Tin: Lê Hoa; Ảnh: Minh Đức", "Lê Hoa (Ảnh: Minh Đức)").
var photoCreditTailRe = mustRe(`(?i)\s*(?:[;,|]|\s[-–—]|\()\s*(?:ảnh|video|đồ họa|đồ hoạ|clip)\s*:.*$`)

// cleanByline strips a "Tác giả:" style label, and a photographer's
// credit after the writer: the photographer is never the author.
func cleanByline(s string) string {
	s = cleanText(s)
	s = strings.TrimSpace(leadingPunct.ReplaceAllString(s, ""))
	s = strings.TrimSpace(authorLabelRe.ReplaceAllString(s, ""))
	if t := strings.TrimSpace(creditLabelRe.ReplaceAllString(s, "")); t != "" {
		s = t
	}
	// After the label: "Tin, ảnh: X" credits X with both.
	if t := photoCreditTailRe.ReplaceAllString(s, ""); t != "" {
		s = t
	}
	return s
}

var authorClassRe = mustPattern(`author|tacgia|tac-gia|tac_gia|byline|writer|nguoiviet|butdanh`)

func (x *extraction) findAuthor() {
	d := x.doc
	if x.profile != nil && x.profile.Author != "" {
		if s := x.gq.Find(x.profile.Author).First(); s.Length() > 0 {
			if t := cleanByline(textOf(s.Nodes[0])); t != "" {
				d.Author = t
			}
		}
	}
	// A byline element marked as such, near the title or in the content.
	if d.Author == "" {
		near := x.nearUnits(4, 10)
		for i, u := range near {
			if x.authorish(u.node) && bareAuthorLabelRe.MatchString(u.text) && i+1 < len(near) {
				// "Tác giả:" in an element of its own, the name in the
				// next (a Drupal field's label and item): the name.
				label := u.text
				u = near[i+1]
				if !x.authorish(u.node) {
					continue
				}
				x.dropText(label)
			}
			// (A reader's comment's line, "Nam - 7 ngày trước Thích |
			// 724", marks the commenter's name as the author's.)
			if x.authorish(u.node) && wordCount(u.text) <= 16 && !isDateLine(u.text) && !inCommentMeta(u.node) {
				text := u.text
				if name, _, ok := splitBylineDate(text); ok {
					text = name // "Đình Khôi Thứ Năm, 26/02/2026 - 16:45": the date goes to findDate
				} else if wordCount(text) > 12 {
					continue
				} else if _, _, dated := ParseDate(text); dated {
					// A date with no name before it: "Published on
					// 03-08-2011 01:00 AM Số lần xem: 169" is the
					// article's meta line, in the byline's box.
					continue
				}
				t := cleanByline(text)
				if startsWithDigit(t) {
					continue // "0 Comments", a counter in the byline's box
				}
				if x.acceptByline(t) {
					d.Author = t
					x.dropText(u.text)
					break
				}
				if cmsAccounts[strings.ToLower(namePart(t))] {
					// "Viết bởi Super User": the system's line, not the
					// article's text, and no author.
					x.dropText(u.text)
				}
			}
		}
	}
	if d.Author == "" && x.metaByline != "" && x.acceptByline(cleanByline(x.metaByline)) {
		d.Author = cleanByline(x.metaByline)
	}
	// A labelled byline under the title, outside the content and with no
	// class to say so ("Tin, ảnh: Nguyễn Văn An" in bold).
	if d.Author == "" && x.bylineText == "" && x.titleNode != nil {
		first := true
		var metaName unit
		for _, u := range x.nearUnits(0, 4) {
			if x.a.st(u.node).order <= x.a.st(x.titleNode).end {
				continue
			}
			// The line right under the title, marked as the article's
			// meta and holding a name alone (afamily's p.post-meta "Hạ
			// Trắng" between the title and the lead), unless a labelled
			// byline follows: the meta line may name the section ("Thời
			// Sự") instead.
			if first && wordCount(u.text) <= 5 && strings.Contains(classID(u.node), "meta") && isPersonName(u.text) && x.acceptByline(u.text) &&
				!x.menuLabels()[foldKey(u.text)] && !slices.ContainsFunc(x.rawCrumbs, func(c string) bool { return sameText(c, u.text) }) {
				metaName = u
			}
			first = false
			if x.inContent(u.node) {
				continue
			}
			// (A photo's or a video's credit is no byline: "Ảnh: Lê Hợi".)
			if (authorLabelRe.MatchString(u.text) || creditLabelRe.MatchString(u.text)) && !photoCreditRe.MatchString(u.text) && isBylineText(u.text) {
				if t := cleanByline(u.text); x.acceptByline(t) {
					d.Author = t
					break
				}
			}
		}
		if d.Author == "" && metaName.node != nil {
			d.Author = metaName.text
			x.dropText(metaName.text)
		}
	}
	if d.Author == "" && x.topByline != "" && x.acceptByline(cleanByline(x.topByline)) {
		d.Author = cleanByline(x.topByline)
	}
	if x.bylineText == "" && len(x.content) > 0 {
		// malformed pages sometimes push the byline out of the container
		for _, u := range x.unitsAfterContent(3) {
			if isRelatedHeading(u.text) || wordCount(u.text) > 15 {
				break
			}
			if x.relatedNamedBox(u.node) {
				// The heading of a box of other articles, whatever it
				// says ("Góc Nhìn Khác" reads as a name).
				break
			}
			if tagUnit(u.node) {
				// The article's tags ("Hà Nội", "Kinh tế") read as a
				// name, and the first was taken for the author.
				break
			}
			if isBylineText(u.text) {
				x.bylineText = u.text
				break
			}
			// "Lê Quang<br>Ảnh: Vũ Hải": the writer's line, without the
			// photographer's credit under it.
			if lines := brLines(u.node); len(lines) > 1 {
				var kept []string
				for _, l := range lines {
					if !photoCreditRe.MatchString(strings.TrimSpace(l)) {
						kept = append(kept, strings.TrimSpace(l))
					}
				}
				if len(kept) == 1 && len(kept) < len(lines) && isBylineText(kept[0]) {
					x.bylineText = kept[0]
					break
				}
			}
		}
	}
	if d.Author == "" && x.bylineText != "" && x.acceptByline(cleanByline(x.bylineText)) {
		d.Author = cleanByline(x.bylineText)
	}
	if d.Author == "" {
		// After the bylines the page prints: itemprop="author" may
		// name the office that posted the article.
		d.Author = x.microdataAuthor()
	}
	if d.Author == "" {
		if m := cleanText(x.pm.meta["author"]); x.acceptByline(m) && (isPersonName(namePart(m)) || shortBylineRe.MatchString(m)) {
			d.Author = m
		} else if x.acceptByline(x.pm.ldAuthor) {
			d.Author = x.pm.ldAuthor
		}
	}
	if d.Author == "" {
		d.Author = x.authorLink()
	}
	if x.source == "" {
		x.source = x.markedSource()
	}
	if m := sourceRe.FindStringSubmatch(d.Author); m != nil && theoRe.MatchString(d.Author) {
		// A byline "Theo X": X wrote it, or X is where it was taken from.
		name := strings.TrimSpace(m[1])
		if x.theoPerson(d.Author, name) {
			d.Author = name
		} else if sourceLike(name) {
			if x.source == "" {
				x.source = name
			}
			d.Author = ""
		}
	}
	if m := moreAuthorsRe.FindStringSubmatch(d.Author); m != nil {
		if names := x.moreAuthors(strings.TrimSpace(m[1]), m[2]); names != nil {
			d.Author = strings.Join(names, ", ")
		}
	}
	d.AuthorName = authorName(d.Author)
	if d.AuthorName != "" && (x.isSiteName(d.AuthorName) || isPublication(d.AuthorName)) {
		// The publisher's name ("Dân Trí") is never the author.
		d.Author, d.AuthorName = "", ""
	}
	d.Source = x.source
}

// tagBoxRe matches the class or id of a page's tags or topics.
// (Whole class words: WordPress names every tagged post "tag-<slug>".)
var tagBoxRe = mustRe(`(?i)(^|\s)(tags?|tag-?list|tag-?box|tagbox\w*|keywords?|tu-?khoa|chu-?de|topics?|the-article-tags|article-tags|post-tags|entry-tags|tags-\w+)(\s|$)`)

// tagUnit says whether n is in a page's list of tags or topics: an
// element named so, or a link to a tag's or topic's page.
func tagUnit(n *html.Node) bool {
	if inTagBox(n) {
		return true
	}
	for _, a := range findAll(n, isTag(atom.A)) {
		href := strings.ToLower(attr(a, "href"))
		for _, part := range []string{"/tag/", "/tags/", "/topic/", "/chu-de/", "/tu-khoa/", "/keyword/"} {
			if strings.Contains(href, part) {
				return true
			}
		}
	}
	return false
}

// inTagBox says whether n is in an element named as a page's tags or
// topics: its own box, a few levels up at most (not a wrapper of the page
// named after its topic).
func inTagBox(n *html.Node) bool {
	for p, k := n, 0; p != nil && k < 4; p, k = p.Parent, k+1 {
		if p.Type == html.ElementNode && tagBoxRe.MatchString(classID(p)) {
			return true
		}
	}
	return false
}

// microdataAuthor is the text of an element marked itemprop="author"
// near the title, as a line of its own or inside the date line ("<span
// itemprop=author>Theo Ngoisao</span> | Thứ Tư, 26/12/2012"): its name
// when it marks one (itemprop="name"); "" if none.
func (x *extraction) microdataAuthor() string {
	for _, n := range findAll(x.a.body, func(n *html.Node) bool { return strings.EqualFold(attr(n, "itemprop"), "author") }) {
		if x.titleNode != nil && !x.inContent(n) && abs(x.a.st(n).order-x.a.st(x.titleNode).order) > 300 {
			continue
		}
		if name := findFirstFunc(n, func(c *html.Node) bool { return strings.EqualFold(attr(c, "itemprop"), "name") }); name != nil {
			n = name
		}
		t := cleanText(textOf(n))
		if t == "" || wordCount(t) > 8 || isDateLine(t) {
			continue
		}
		if t = cleanByline(t); x.acceptByline(t) {
			return t
		}
	}
	return ""
}

// theoParenRe matches "Theo X (Y)": the writer X, from Y.
var theoParenRe = mustRe(`(?i)^theo\s+([^()]+?)\s*\(([^()]+)\)\.?$`)

var theoRe = mustRe(`(?i)^\(?\s*theo\s`)

// acceptByline: a byline candidate that is not the publisher's name ("Dân
// Trí", the site's own name); the next candidate is tried instead. "Theo
// X" is taken, to be read as an author or a source.
func (x *extraction) acceptByline(t string) bool {
	if strings.TrimSpace(t) == "" {
		return false
	}
	if theoRe.MatchString(t) || shortBylineRe.MatchString(strings.TrimSpace(t)) {
		return true // "Theo X" is read later; "PV", "BBT" are the newsroom's bylines
	}
	np := namePart(t)
	return !x.isSiteName(t) && !x.isSiteName(np) && !isPublication(np) && !cmsAccounts[strings.ToLower(np)] && !bylineLabels[foldKey(t)]
}

// bylineLabels are the words that introduce a byline, folded: alone, the
// name is elsewhere (vBulletin's "by" before the poster's link).
var bylineLabels = map[string]bool{"by": true, "boi": true, "dang boi": true, "viet boi": true, "posted by": true, "written by": true}

// bareAuthorLabelRe matches an author's label alone, its name elsewhere.
var bareAuthorLabelRe = mustRe(`(?i)^(tác giả|người viết|bút danh|author)\s*:?\s*$`)

// cmsAccounts are the names of the accounts content systems are installed
// with, which they print as the author of whatever is posted under them
// (Joomla's "Super User", WordPress's "admin"): a login, not a person.
var cmsAccounts = map[string]bool{
	"admin": true, "administrator": true, "super user": true, "superuser": true, "root": true, "host": true,
	"webmaster": true, "quản trị": true, "quản trị viên": true, "quản trị hệ thống": true, "quantri": true,
	"quantrivien": true, "admin admin": true, "editor": true, "user": true,
}

// authorLink is the author named by a link to the site's author page
// ("/tac-gia/tri-tuc-3617.htm") near the title, as modern CMSs print the
// byline with no class that says so; "" if none.
func (x *extraction) authorLink() string {
	for _, u := range x.nearUnits(2, 8) {
		for _, a := range findAll(u.node, isTag(atom.A)) {
			href := strings.ToLower(attr(a, "href"))
			if !strings.Contains(href, "/tac-gia/") && !strings.Contains(href, "/author/") && !strings.Contains(href, "/tacgia/") {
				continue
			}
			if t := cleanText(textOf(a)); isPersonName(t) && x.acceptByline(t) {
				return t
			}
		}
	}
	return ""
}

var sourceClassRe = mustRe(`(^|[\s_-])(source|nguon|nguồn)([\s_-]|$)`)

// unitsAfterContent are the first n text units after the chosen content
// (a byline or a source line a page prints below its text), none without
// content.
func (x *extraction) unitsAfterContent(n int) []unit {
	if len(x.content) == 0 {
		return nil
	}
	end := x.a.st(x.content[len(x.content)-1]).end
	var out []unit
	for _, u := range x.units {
		if len(out) == n {
			break
		}
		if x.a.st(u.node).order > end {
			out = append(out, u)
		}
	}
	return out
}

// markedSource is the publication credited by an element marked as the
// source (class "source", itemprop or data-field "source") just after the
// article, "" if none.
func (x *extraction) markedSource() string {
	for _, u := range x.unitsAfterContent(6) {
		n := u.node
		marked := false
		// The line's own element, or its parent when it has no class of
		// its own (a box "content_source" holds the author's line too).
		for k := 0; n != nil && k < 2; k, n = k+1, n.Parent {
			if n.Type == html.ElementNode && (sourceClassRe.MatchString(classID(n)) || strings.EqualFold(attr(n, "data-field"), "source") || strings.EqualFold(attr(n, "itemprop"), "sourceOrganization")) {
				marked = true
				break
			}
			if classID(n) != "" {
				break
			}
		}
		if !marked || wordCount(u.text) > 8 {
			continue
		}
		t := strings.TrimSpace(u.text)
		if m := sourceRe.FindStringSubmatch(t); m != nil {
			t = strings.TrimSpace(m[1])
		}
		if sourceLike(t) {
			return t
		}
	}
	return ""
}

// theoPerson says whether "Theo X" (line) names the person who wrote the
// article rather than the publication it comes from: X reads as a
// person's name and as no publication (publicationRe, the site's own
// name). "Nguồn: X" is always a source.
func (x *extraction) theoPerson(line, name string) bool {
	return theoRe.MatchString(line) && isPersonName(name) && !isPublication(name) && !x.isSiteName(name)
}

// publicationRe recognizes the names of publications: what they start
// with (báo, tạp chí, đài, cổng thông tin, thông tấn xã…), acronyms
// (TTXVN, VOV), domains, and the national titles whose names read like a
// person's (Thanh Niên, Tuổi Trẻ, Dân Trí, Lao Động…).
var publicationRe = mustRe(`(?i)^(báo|tạp chí|tap chi|đài|cổng thông tin|cổng ttđt|trang tin|thông tấn|tttxvn|ttxvn|kênh|tuần báo|nhật báo|bản tin|tạp san)\b|\.(vn|com|net|org)\b|^(thanh niên|tuổi trẻ|dân trí|lao động|người lao động|nhân dân|tiền phong|hà nội mới|sài gòn giải phóng|quân đội nhân dân|công an nhân dân|đại đoàn kết|đại biểu nhân dân|pháp luật|pháp luật tp\.? ?hcm|vietnamplus|vnexpress|vietnamnet|zing|znews|kinh tế (&|và) đô thị|an ninh thủ đô|giáo dục (&|và) thời đại|nông thôn ngày nay|dân việt|đời sống (&|và) pháp luật|sức khỏe (&|và) đời sống|văn hóa|thể thao (&|và) văn hóa|người đưa tin|infonet|soha|kenh14|cafef|cafebiz|vneconomy|vietstock|nhịp sống thị trường|đầu tư|thời báo tài chính|tài chính|doanh nhân|chính phủ|xây dựng đảng|tuyên giáo|quân khu \d|biên phòng|phụ nữ|phụ nữ việt nam|gia đình (&|và) xã hội|vov|vtv|vtc|hanoitv|htv)$`)

func isPublication(name string) bool {
	n := strings.TrimSpace(name)
	if publicationRe.MatchString(n) {
		return true
	}
	// An acronym: TTXVN, VOV, TTO. Not a newsroom byline (PV, BBT, CTV),
	// and not a one-word name printed in capitals (THÀNH, HƯƠNG): those
	// are Vietnamese syllables, acronyms are not.
	if r := []rune(n); len(r) >= 2 && len(r) <= 6 && strings.ToUpper(n) == n && !strings.Contains(n, " ") &&
		!shortBylineRe.MatchString(n) && !vietSyllable(n) {
		return true
	}
	return false
}

// moreAuthorsRe is a byline widget that names one author and counts the
// others ("NHẬT XUÂN và 1 tác giả khác").
var moreAuthorsRe = mustRe(`(?i)^(.+?)\s+(?:và|cùng|\+)\s*(\d+)\s*(?:tác giả|người|phóng viên|cộng sự|nhóm tác giả)?\s*khác\.?$`)

// moreAuthors finds the whole list a "và N tác giả khác" widget stands
// for, in the page's own author list: its JSON-LD authors, else the links
// of its author boxes. The list must hold first and N others; nil when
// the page does not say who they are.
func (x *extraction) moreAuthors(first, count string) []string {
	n, err := strconv.Atoi(count)
	if err != nil || n < 1 || n > 20 {
		return nil
	}
	fits := func(names []string) bool {
		if len(names) != n+1 {
			return false
		}
		for _, name := range names {
			if foldKey(name) == foldKey(first) {
				return true
			}
		}
		return false
	}
	if fits(x.pm.ldAuthors) {
		return x.pm.ldAuthors
	}
	var links []string
	seen := map[string]bool{}
	for _, a := range findAll(x.a.body, isTag(atom.A)) {
		href := strings.ToLower(attr(a, "href"))
		if !(strings.Contains(href, "tac-gia") || strings.Contains(href, "/author") || strings.EqualFold(attr(a, "rel"), "author") || x.authorish(a)) {
			continue
		}
		t := cleanText(textOf(a))
		if t == "" || !isPersonName(t) || seen[foldKey(t)] {
			continue
		}
		seen[foldKey(t)] = true
		links = append(links, t)
	}
	if fits(links) {
		return links
	}
	return nil
}

func (x *extraction) authorish(n *html.Node) bool {
	for k := 0; n != nil && k < 3; k, n = k+1, n.Parent {
		if n.Type == html.ElementNode && (x.a.match(authorClassRe, classID(n)) || strings.EqualFold(attr(n, "itemprop"), "author") || strings.EqualFold(attr(n, "rel"), "author") ||
			n.DataAtom == atom.Address && hasAncestor(n, isTag(atom.Article))) {
			return true
		}
	}
	return false
}

func (x *extraction) dropText(t string) {
	for i := range x.blocks {
		if !x.blocks[i].drop && x.blocks[i].text == t {
			x.blocks[i].drop = true
		}
	}
}

// nearUnits are the text units from `before` units before the title to
// `after` units after it, plus the content's units.
func (x *extraction) nearUnits(before, after int) []unit {
	ti := -1
	if x.titleNode != nil {
		tEnd := x.a.st(x.titleNode).end
		tStart := x.a.st(x.titleNode).order
		for i, u := range x.units {
			if o := x.a.st(u.node).order; o >= tStart {
				ti = i
				if o > tEnd {
					ti = i - 1
				}
				break
			}
		}
	}
	var out []unit
	seen := map[*html.Node]bool{}
	if ti >= 0 {
		for i := max(0, ti-before); i < len(x.units) && i <= ti+after; i++ {
			out = append(out, x.units[i])
			seen[x.units[i].node] = true
		}
	}
	for _, u := range x.units {
		if !seen[u.node] && x.inContent(u.node) {
			out = append(out, u)
		}
	}
	if x.commentBox != nil {
		// Readers' comments: a commenter's name is no byline.
		out = slices.DeleteFunc(out, func(u unit) bool { return x.a.contains(x.commentBox, u.node) })
	}
	return out
}

var dateMetaKeys = []string{"article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
	"publish-date", "publish_date", "published_time", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.created",
	"sailthru.date", "citation_publication_date", "date"}

var dateClassRe = mustPattern(`date|time|ngay|publish|posted|created|thoigian|thoi-gian`)

func (x *extraction) findDate() {
	x.findDay()
	x.addPrintedTime()
}

// addPrintedTime gives a date found without its time of day (metadata
// that states the day only: Dân trí's itemprop="datePublished"
// content="2012-12-25") the time a date line near the title prints for
// the same day ("Thứ Ba, 25/12/2012 - 10:03").
func (x *extraction) addPrintedTime() {
	day, err := time.ParseInLocation(time.DateOnly, x.doc.Published, ictZone)
	if err != nil {
		return // none, or one with its time
	}
	for _, u := range x.nearUnits(3, 8) {
		// (Not the text's own lines: "Thời gian: 14 giờ 00, ngày
		// 05/11/2024" is a meeting's time.)
		if len(u.text) > 200 || x.inContent(u.node) || !isDateLine(u.text) {
			continue
		}
		if p, hasTime, ok := ParseDate(u.text); ok && hasTime && p.Year() == day.Year() && p.YearDay() == day.YearDay() {
			x.doc.Published = formatDate(p, true)
			return
		}
	}
}

// findDay is findDate's search: the first place that states a date.
func (x *extraction) findDay() {
	set := func(s string) bool {
		if t, hasTime, ok := ParseDate(s); ok {
			x.doc.Published = formatDate(t, hasTime)
			return true
		}
		return false
	}
	if x.profile != nil && x.profile.Date != "" {
		if s := x.gq.Find(x.profile.Date).First(); s.Length() > 0 {
			n := s.Nodes[0]
			for _, v := range []string{attr(n, "datetime"), attr(n, "content"), cleanText(textOf(n))} {
				if v != "" && set(v) {
					return
				}
			}
		}
	}
	for _, k := range dateMetaKeys {
		if v := x.pm.meta[k]; v != "" && set(x.printedZone(v)) {
			return
		}
	}
	if x.pm.ldDate != "" && set(x.printedZone(x.pm.ldDate)) {
		return
	}
	// itemprop=datePublished and <time datetime> near the title or in the content
	for _, n := range findAll(x.a.body, func(n *html.Node) bool {
		return strings.EqualFold(attr(n, "itemprop"), "datePublished") || n.DataAtom == atom.Time && hasAttr(n, "datetime")
	}) {
		if x.titleNode != nil && !x.inContent(n) && abs(x.a.st(n).order-x.a.st(x.titleNode).order) > 300 {
			continue
		}
		for _, v := range []string{attr(n, "datetime"), attr(n, "content"), cleanText(textOf(n))} {
			if v != "" && set(v) {
				return
			}
		}
	}
	if d := x.tableIssued(); d != "" && set(d) {
		return
	}
	// A date line just after the title, then in the content's head/tail,
	// then just before the title.
	near := x.nearUnits(0, 8)
	for _, u := range near {
		if x.titleNode != nil && x.a.st(u.node).order <= x.a.st(x.titleNode).end {
			continue
		}
		if x.inContent(u.node) && !x.isDroppedDate(u.text) {
			continue
		}
		if !x.inContent(u.node) {
			// "Ngày đăng: 05/11/2024 | Tác giả: Lê Hoa | Lượt xem: 321"
			if date, author, ok := labelledMetaLine(u.text); ok && (date == "" || set(date)) {
				if author != "" {
					x.metaByline = author
				}
				if date != "" {
					return
				}
			}
		}
		if isDateLine(u.text) || isDateToolsLine(u.text) || dateClassRe.MatchString(classID(u.node)) && wordCount(u.text) <= 20 {
			if set(u.text) {
				return
			}
		}
		if !x.inContent(u.node) {
			if name, date, ok := splitBylineDate(u.text); ok && set(date) {
				x.metaByline = name
				return
			}
		}
	}
	for _, t := range x.headDates {
		if set(t) {
			return
		}
	}
	for _, u := range x.nearUnits(3, 0) {
		if x.titleNode != nil && x.a.st(u.node).order >= x.a.st(x.titleNode).order {
			break
		}
		// (Before the title, the content's own lines are the article's
		// head: VnExpress's 2012 layout prints the date above the <h1>
		// inside the article's container.)
		// (In a menu's bar, a line marked as the date is still the
		// article's: afamily prints "05/03/2014 | 00:01" in a
		// span.post-time beside the breadcrumb, in div.listmenu.)
		if x.inContent(u.node) && x.titleNode == nil || !x.menuBarDate(u) && hasAncestor(u.node, func(p *html.Node) bool {
			return p.DataAtom == atom.Header || p.DataAtom == atom.Nav || chromeClassRe.MatchString(classID(p))
		}) {
			continue
		}
		if isDateLine(u.text) && set(u.text) {
			return
		}
	}
}

// menuBarDate says whether u, in the page's chrome before the title, is
// the article's date all the same: marked as a date, with its time of
// day, in a menu's bar rather than the page's header (where a portal
// prints today's date).
func (x *extraction) menuBarDate(u unit) bool {
	if !dateClassRe.MatchString(classID(u.node)) {
		return false
	}
	if _, hasTime, ok := ParseDate(u.text); !ok || !hasTime {
		return false
	}
	return !hasAncestor(u.node, func(p *html.Node) bool {
		ci := classID(p)
		return p.DataAtom == atom.Header || p.DataAtom == atom.Nav || strings.Contains(ci, "header") || strings.Contains(ci, "top")
	})
}

// card says whether b, wrapped in a link, is a related article's card
// (znews-1: <a href="/other-post"><h2>…</h2><p>summary</p></a> after the
// text): the link leads to another page of the site, not to a picture (a
// lightbox around a photo and its caption), an attached document (a
// paragraph naming the plan it links), the page itself (a lead that links
// to its article) or elsewhere on the web.
func (x *extraction) card(b *block) bool {
	u, err := url.Parse(b.cardHref)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || isAttachment(b.cardHref) || imageExtRe.MatchString(u.Path) {
		return false
	}
	if x.pageURL != nil && (!strings.EqualFold(strings.TrimPrefix(u.Hostname(), "www."), strings.TrimPrefix(x.pageURL.Hostname(), "www.")) ||
		sameAddress(b.cardHref, x.pageURL.String())) || x.pm.canonical != "" && sameAddress(b.cardHref, x.pm.canonical) {
		return false
	}
	return b.kind == bPara || b.kind == bHeading
}

// imageExtRe matches the path of a picture.
var imageExtRe = mustRe(`(?i)\.(jpe?g|png|gif|webp|bmp|tiff?|svg|avif)$`)

// printedZone corrects the offset of a metadata date (RFC 3339) that the
// page contradicts: VnExpress and Zing News stated "+08:00" in 2018 for
// times their pages print as "12:40 (GMT+7)". When a date line near the
// title says GMT+7 and prints the same day, hour and minute as the
// metadata's own clock reading under another offset, the clock reading is
// Vietnam time, and the offset was the mistake (the moment the metadata
// states would be printed an hour off). Anything else is left as it is.
func (x *extraction) printedZone(v string) string {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(v))
	if err != nil {
		return v
	}
	if _, off := t.Zone(); off == 7*3600 {
		return v
	}
	for _, u := range x.nearUnits(3, 8) {
		if len(u.text) > 200 || !gmtPlus7Re.MatchString(u.text) {
			continue
		}
		p, hasTime, ok := ParseDate(u.text)
		if !ok || !hasTime {
			continue
		}
		if p.Year() == t.Year() && p.Month() == t.Month() && p.Day() == t.Day() && p.Hour() == t.Hour() && p.Minute() == t.Minute() {
			return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), ictZone).Format(time.RFC3339)
		}
	}
	return v
}

// gmtPlus7Re finds a printed "GMT+7" (or UTC+07:00) in a date line.
var gmtPlus7Re = mustRe(`(?i)\b(?:gmt|utc)\s*\+\s*0?7(?::?00)?\b`)

// metaLabelRe finds the labels of an article's metadata line.
var metaLabelRe = mustRe(`(?i)(ngày xuất bản|ngày đăng|ngày cập nhật|cập nhật lúc|cập nhật|đăng lúc|đăng ngày|thời gian|tác giả|người viết|viết bởi|người đăng|đăng bởi|posted by|lượt xem|lượt đọc|số lượt xem)\s*:`)

// labelledMetaLine reads a metadata line made of labelled fields
// ("Ngày xuất bản: 05/11/2024 - Tác giả: Lê Hoa", "Đăng bởi: Quản trị
// viên | 05/11/2024", "Ngày 05/11/2024 - Người đăng: admin"): the date and
// the author's name. The account that posted the article ("Người đăng",
// "Đăng bởi") is its author only when it is a person's name; counters are
// passed over. ok is false for a line with no label, or a field that is
// none of these.
func labelledMetaLine(t string) (date, author string, ok bool) {
	if wordCount(t) > 30 {
		return "", "", false
	}
	if !metaLabelRe.MatchString(t) {
		return "", "", false
	}
	value := func(s string) string { return strings.Trim(strings.TrimSpace(s), " -–—|·,;") }
	field := func(label, v string) bool {
		v = value(v)
		if v == "" {
			return true
		}
		switch l := foldKey(label); {
		case l == "":
			if !isDateLine(v) || date != "" {
				return false
			}
			date = v
		case strings.HasPrefix(l, "luot") || strings.HasPrefix(l, "so luot"):
		case l == "tac gia" || l == "nguoi viet" || l == "viet boi":
			author = v
		case l == "nguoi dang" || l == "dang boi" || l == "posted by":
			if isPersonName(bareName(v)) {
				author = v
			}
		default:
			if _, _, found := ParseDate(v); !found || date != "" {
				return false
			}
			date = v
		}
		return true
	}
	for _, seg := range strings.FieldsFunc(t, func(r rune) bool { return r == '|' }) {
		locs := metaLabelRe.FindAllStringSubmatchIndex(seg, -1)
		start := len(seg)
		if len(locs) > 0 {
			start = locs[0][0]
		}
		if !field("", seg[:start]) {
			return "", "", false
		}
		for k, loc := range locs {
			end := len(seg)
			if k+1 < len(locs) {
				end = locs[k+1][0]
			}
			if !field(seg[loc[2]:loc[3]], seg[loc[1]:end]) {
				return "", "", false
			}
		}
	}
	return date, author, date != "" || author != ""
}

func (x *extraction) isDroppedDate(t string) bool {
	for _, d := range x.headDates {
		if d == t {
			return true
		}
	}
	return false
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// ---------------------------------------------------------------------
// Assembly and kind

var articleURLRe = mustRe(`(?i)(-\d+\.(html?|aspx|php)$)|(/\d{4}/\d{1,2}/)|(\d{5,}[^/]*$)|(/[a-z0-9]+(-[a-z0-9]+){4,}\.(html?|aspx|php)$)|(/(tin-tuc|news|bai-viet|chi-tiet|detail)/.+\.(html?|aspx)$)|([?&](id|newsid|articleid|nid)=\d+)`)

// articleURL: the page URL is shaped like an article's.
func (x *extraction) articleURL() bool {
	u := x.pageURL.Path
	if x.pageURL.RawQuery != "" {
		u += "?" + x.pageURL.RawQuery
	}
	return articleURLRe.MatchString(u)
}

func (x *extraction) assemble() {
	d := x.doc
	d.Title = x.title
	var texts, htmls []string
	seenImg := map[string]bool{}
	seenAtt := map[string]bool{}
	words := 0
	for i := 0; i < len(x.blocks); i++ {
		b := &x.blocks[i]
		if b.drop {
			continue
		}
		switch b.kind {
		case bImage:
			if !seenImg[b.img.Src] {
				seenImg[b.img.Src] = true
				d.Images = append(d.Images, *b.img)
			}
			if j := i + 1; j < len(x.blocks) && x.blocks[j].caption && !x.blocks[j].drop && isTextBlock(&x.blocks[j]) {
				htmls = append(htmls, "<figure>"+b.html+"<figcaption>"+stripP(x.blocks[j].html)+"</figcaption></figure>")
				texts = append(texts, x.blocks[j].text)
				words += wordCount(x.blocks[j].text)
				i++
				continue
			}
			htmls = append(htmls, "<figure>"+b.html+"</figure>")
			continue
		case bList, bTable:
			texts = append(texts, b.items...)
		default:
			texts = append(texts, b.text)
		}
		if b.caption && b.kind == bPara {
			htmls = append(htmls, "<figure><figcaption>"+stripP(b.html)+"</figcaption></figure>")
		} else {
			htmls = append(htmls, b.html)
		}
		// Words with a letter: a calendar's grid of day numbers ("1 |
		// 2 | 3 …") is no text, and no static page; a table of figures
		// under a header of words is, numbers and all.
		if lw := letterWords(b.text); b.kind == bTable && lw > 0 {
			words += wordCount(b.text)
		} else {
			words += lw
		}
		for _, at := range b.attachments {
			if !seenAtt[at.URL] {
				seenAtt[at.URL] = true
				d.Attachments = append(d.Attachments, at)
			}
		}
	}
	x.moreAttachments(seenAtt)
	d.Body = strings.Join(texts, "\n\n")
	d.BodyHTML = strings.Join(htmls, "\n")

	// Breadcrumb minus a trailing title.
	crumbs := append([]string(nil), x.rawCrumbs...)
	if n := len(crumbs); n > 0 && d.Title != "" {
		last := crumbs[n-1]
		cut := strings.HasSuffix(last, "...") || strings.HasSuffix(last, "…")
		// The title cut short, with an ellipsis or without ("Kế hoạch số
		// 125-KH/ĐUK" for "Kế hoạch số 125-KH/ĐUK về tổ chức…"): a
		// section's name is not the start of the title, words and all.
		prefix := strings.HasPrefix(foldKey(d.Title)+" ", foldKey(strings.TrimRight(last, ".… "))+" ")
		// (A section the trail links to is a section, whatever the
		// title starts with: "Chuyển đổi số" above "Chuyển đổi số
		// trong công tác…".)
		if sameText(last, d.Title) || prefix && (cut || wordCount(last) >= 3 && n > 1 && !x.crumbLinked(last)) {
			crumbs = crumbs[:n-1]
		}
	}
	if len(crumbs) == 0 && len(x.rawCrumbs) == 0 {
		if sec := x.statedSection(d.Title); sec != "" {
			crumbs = []string{sec}
		}
	}
	if len(crumbs) > 0 {
		d.Breadcrumb = crumbs
		d.Category = crumbs[len(crumbs)-1]
	}

	// Kind.
	ogArticle := strings.EqualFold(x.pm.meta["og:type"], "article")
	for _, t := range x.pm.ldTypes {
		if strings.HasSuffix(t, "Article") || t == "BlogPosting" {
			ogArticle = true
		}
	}
	pageLinks := x.headlineLinks()
	exempt := x.trailingExempt()
	headlines := x.headlines
	if !exempt {
		headlines += x.trailingHeadlines
	}
	teasers, listed := x.linkedHeadings(exempt)
	if listed > 0 && teasers == listed && d.Published != "" && (len(d.Images) >= 2 || x.proseParas >= 2) &&
		!(len(x.rawCrumbs) > 0 && sameText(x.rawCrumbs[len(x.rawCrumbs)-1], d.Title)) && // the title is no section's
		!slices.ContainsFunc(x.content, x.relatedNamedBox) {
		// A dated page, pictures or prose of its own, whose only
		// linked headings are the items of a box of other articles
		// under it ("othernews", "tin-khac"): a photo story at an
		// address without a number. A category's page names itself
		// as its breadcrumb's last section, its newest article is a
		// linked heading outside such a box, or a picture and a lead
		// (one paragraph), and when the box is all it lists, the box
		// is what was taken for its content.
		teasers = 0
	}
	switch {
	case len(x.content) > 0 && headlines >= 5 && !ogArticle, x.titleNode == nil && pageLinks >= 8 && !ogArticle:
		d.Kind = KindListing
	case !ogArticle && (teasers >= 2 || teasers >= 1 && x.paginated()):
		// The last page of a category can hold a single teaser: a
		// heading that links to an article, with its lead under it.
		d.Kind = KindListing
	case d.Title != "" && words >= 30 && (d.Published != "" || d.Author != "" || ogArticle || x.articleURL()),
		// A short news item (a notice of a few lines) is an article all
		// the same when it is dated and its address is an article's.
		d.Title != "" && words >= 8 && d.Published != "" && (ogArticle || x.articleURL()),
		// A document or a photo report posted as an article: its text
		// is a line ("Xem toàn văn tại đây") and the content is the
		// attached file or the pictures.
		d.Title != "" && d.Published != "" && (len(d.Attachments) > 0 || len(d.Images) > 0) && (ogArticle || x.articleURL()):
		d.Kind = KindArticle
	case words < 50 && pageLinks >= 10:
		d.Kind = KindListing
	case d.Title != "" && words >= 15,
		// A page that is a document to download ("Quy chế làm việc"
		// and its PDF).
		d.Title != "" && len(d.Attachments) > 0 && pageLinks < 10:
		d.Kind = KindPage
	default:
		d.Kind = KindOther
	}
	if d.Kind == KindListing {
		d.Body, d.BodyHTML, d.Author, d.AuthorName, d.Source = "", "", "", "", ""
		d.Images, d.Attachments = nil, nil
		// A category page is named by the last breadcrumb item.
		d.Breadcrumb, d.Category = nil, "" // (not the metadata's section of an article)
		if n := len(x.rawCrumbs); n > 0 && x.crumbsAbove && d.Title != "" {
			// The sections printed above its heading: the listing
			// keeps its heading's name, under them.
			if len(crumbs) > 0 {
				d.Breadcrumb, d.Category = crumbs, crumbs[len(crumbs)-1]
			}
		} else if n > 0 {
			d.Title = x.rawCrumbs[n-1]
			if n > 1 {
				d.Breadcrumb = append([]string(nil), x.rawCrumbs[:n-1]...)
				d.Category = d.Breadcrumb[n-2]
			}
		}
	}
}

// moreAttachments adds document links printed with the article but
// outside its text, such as a "Tệp đính kèm" block under it: links to
// document files after the title (or the content start) and before the
// "related articles" block, outside page chrome.
func (x *extraction) moreAttachments(seen map[string]bool) {
	if len(x.content) == 0 {
		return
	}
	start := x.a.st(x.content[0]).order
	if x.titleNode != nil {
		start = min(start, x.a.st(x.titleNode).order)
	}
	end := x.a.st(x.content[len(x.content)-1]).end
	stop := -1
	for _, u := range x.units {
		if o := x.a.st(u.node).order; o > end && isRelatedHeading(u.text) {
			stop = o
			break
		}
	}
	for _, a := range findAll(x.a.body, isTag(atom.A)) {
		o := x.a.st(a).order
		if o < start || (stop >= 0 && o > stop) || (stop < 0 && o > end+300) {
			continue
		}
		href := resolve(x.pm.base, attr(a, "href"))
		if href == "" || seen[href] || !isAttachment(href) {
			continue
		}
		if hasAncestor(a, func(p *html.Node) bool {
			return p.DataAtom == atom.Header || p.DataAtom == atom.Nav || p.DataAtom == atom.Footer || p.DataAtom == atom.Aside
		}) {
			continue
		}
		t := cleanText(textOf(a))
		if t == "" {
			t = pathBase(href)
		}
		seen[href] = true
		x.doc.Attachments = append(x.doc.Attachments, Attachment{URL: href, Text: t})
	}
}

// linkedHeadings counts the headings in the content block whose text is a
// link to another page: the teasers of a listing. An article's own text
// almost never has them (related-article lists are not part of it).
// listed counts those of them that are items of a list in a box named as
// other articles' (otherArticlesList).
func (x *extraction) linkedHeadings(exemptTrailing bool) (n, listed int) {
	roots := x.content
	if len(roots) == 0 {
		roots = []*html.Node{x.a.body}
	}
	self := x.pageURL.String()
	for _, root := range roots {
		for _, h := range findAll(root, func(n *html.Node) bool {
			switch n.DataAtom {
			case atom.H2, atom.H3, atom.H4, atom.H5:
				return true
			}
			return false
		}) {
			if exemptTrailing && x.lastProse != nil && precedes(x.lastProse, h) || x.relatedBox(h) {
				continue
			}
			for _, a := range findAll(h, isTag(atom.A)) {
				if href := resolve(x.pm.base, attr(a, "href")); href != "" && href != self && wordCount(cleanText(textOf(a))) >= 3 {
					n++
					if x.otherArticlesList(h) {
						listed++
					}
					break
				}
			}
		}
	}
	return n, listed
}

// otherArticlesList says whether the heading h is an item of a list in a
// box named as other articles' (relatedBoxRe: "tin-khac", "othernews"):
// the heading in its item, in the list, in the box is deeper than
// relatedBox looks.
func (x *extraction) otherArticlesList(h *html.Node) bool {
	for p, k := h.Parent, 0; p != nil && k < 4; p, k = p.Parent, k+1 {
		if p.DataAtom == atom.Li {
			return x.inBoxNamed(p.Parent, relatedBoxRe)
		}
	}
	return false
}

// relatedBox says whether the heading h is a related article's, as its
// class or its box's says (iOne's h4.RelatedLeadSubject under the lead):
// no teaser of a listing.
func (x *extraction) relatedBox(h *html.Node) bool { return x.inBoxNamed(h, inlineWidgetRe) }

// relatedNamedBox says whether n is in a box named as other articles'
// (related-posts, tin-lien-quan, xem-them): narrower than relatedBox, whose
// "widget" every element of a page builder's layout carries (Elementor's
// "elementor-widget-text-editor" holds a party site's signature under the
// text).
func (x *extraction) relatedNamedBox(n *html.Node) bool { return x.inBoxNamed(n, relatedBoxRe) }

// inBoxNamed says whether n, or one of its two nearest ancestors, has a
// class or id that re matches.
func (x *extraction) inBoxNamed(n *html.Node, re *pattern) bool {
	for p, k := n, 0; p != nil && k < 3; p, k = p.Parent, k+1 {
		if p.Type == html.ElementNode && x.a.match(re, classID(p)) {
			return true
		}
	}
	return false
}

var relatedBoxRe = mustPattern(`related|relate-|lienquan|lien-quan|tinkhac|tin-khac|othernews|other-news|other_news|morenews|more-news|more_news|readmore|read-more|docthem|doc-them|xemthem|xem-them|newsrelate|relatednews`)

// trailingExempt says whether the headlines after the content's prose
// (trailingHeadlines, and linked headings after it) leave the page an
// article: what a page adds under an article (related or recent news,
// share links, the comments and their pager), which older layouts keep
// inside the article's own container, made whole articles listings. They
// do when the page's address carries an article's number or day, the
// text has two paragraphs of prose or more, and they are no more than such
// a box holds; a category's introduction or its newest article's summary
// followed by its list is still a listing (its address is the section's).
func (x *extraction) trailingExempt() bool {
	if x.lastProse == nil || x.trailingHeadlines > 15 || x.proseParas < 2 {
		return false
	}
	return numberedURLRe.MatchString(x.pageURL.Path)
}

// numberedURLRe matches an article's address that carries its number or
// its day: "-661.html", "/a284000.html", "/5123-slug.html",
// "/20121219/slug.aspx", "/2012/12/slug/". A section's address
// ("/tin-tuc/xay-dung-dang.html", "/2012/12/") does not.
var numberedURLRe = mustRe(`\d{3,}[^/]*/?$|/\d{8}/[^/]+/?$|/\d{4}/\d{1,2}/(\d{1,2}/)?[^/\d][^/]*/?$`)

// precedes says whether a comes before b in the document, neither holding
// the other.
func precedes(a, b *html.Node) bool {
	var ca, cb []*html.Node
	for n := a; n != nil; n = n.Parent {
		ca = append(ca, n)
	}
	for n := b; n != nil; n = n.Parent {
		cb = append(cb, n)
	}
	i, j := len(ca)-1, len(cb)-1
	for i >= 0 && j >= 0 && ca[i] == cb[j] {
		i, j = i-1, j-1
	}
	if i < 0 || j < 0 {
		return false
	}
	for s := ca[i].NextSibling; s != nil; s = s.NextSibling {
		if s == cb[j] {
			return true
		}
	}
	return false
}

var pageParamRe = mustRe(`(?i)(^|&)(page|p|trang|pg|paged|start|offset)=\d+`)
var pagerClassRe = mustRe(`(?i)phantrang|phan-trang|pagination|paging|pager|page-nav|pagenav`)

// paginated says whether the page is one of a numbered series: a page
// parameter in its URL, or a pager block.
func (x *extraction) paginated() bool {
	if pageParamRe.MatchString(x.pageURL.RawQuery) {
		return true
	}
	return len(findAll(x.a.body, func(n *html.Node) bool { return pagerClassRe.MatchString(classID(n)) })) > 0
}

// headlineLinks counts links whose text looks like an article headline.
func (x *extraction) headlineLinks() int {
	n := 0
	for _, a := range findAll(x.a.body, isTag(atom.A)) {
		t := cleanText(textOf(a))
		if wc := wordCount(t); wc >= 5 && wc <= 40 {
			n++
		}
	}
	return n
}

func looksVietnamese(s string) bool {
	vi := 0
	total := 0
	for _, r := range s {
		if r < utf8.RuneSelf {
			if unicode.IsLetter(r) {
				total++
			}
			continue
		}
		total++
		switch r {
		case 'đ', 'Đ', 'ơ', 'Ơ', 'ư', 'Ư', 'ă', 'Ă', 'ạ', 'ả', 'ấ', 'ầ', 'ẩ', 'ậ', 'ắ', 'ằ', 'ẳ', 'ặ', 'ẹ', 'ẻ', 'ẽ', 'ế', 'ề', 'ể', 'ễ', 'ệ', 'ỉ', 'ị', 'ọ', 'ỏ', 'ố', 'ồ', 'ổ', 'ỗ', 'ộ', 'ớ', 'ờ', 'ở', 'ỡ', 'ợ', 'ụ', 'ủ', 'ứ', 'ừ', 'ử', 'ữ', 'ự', 'ỳ', 'ỵ', 'ỷ', 'ỹ':
			vi++
		}
	}
	return total > 20 && vi*30 >= total
}
