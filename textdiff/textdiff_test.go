package textdiff

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"tulieu/internal/benchcorpus"
)

// NFD spellings, written out so the tests do not depend on a normalizer:
// "hòa" = h o U+0300 a, "bình" = b i U+0300 n h, "hợp" = h ơ U+0323 p.
const (
	nfdHoa  = "ho\u0300a"
	nfdBinh = "bi\u0300nh"
	nfdHop  = "h\u01a1\u0323p"
)

func eq(s string) Op  { return Op{Equal, s} }
func ins(s string) Op { return Op{Insert, s} }
func del(s string) Op { return Op{Delete, s} }

func TestWords(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b string
		want []Op
	}{
		{"both empty", "", "", nil},
		{"identical", "Thanh Hóa", "Thanh Hóa", []Op{eq("Thanh Hóa")}},
		{"old empty", "", "Thanh Hóa", []Op{ins("Thanh Hóa")}},
		{"new empty", "Thanh Hóa", "", []Op{del("Thanh Hóa")}},
		{"insert at start", "Hà Nội", "Thủ đô Hà Nội", []Op{ins("Thủ đô "), eq("Hà Nội")}},
		{"insert at end", "Hà Nội", "Hà Nội mùa thu", []Op{eq("Hà Nội"), ins(" mùa thu")}},
		{"delete in middle", "hội nghị tổng kết năm", "hội nghị năm",
			[]Op{eq("hội nghị "), del("tổng kết "), eq("năm")}},
		{"one word changed", "Tỉnh ủy tổ chức hội nghị quán triệt.", "Tỉnh ủy tổ chức hội thảo quán triệt.",
			[]Op{eq("Tỉnh ủy tổ chức hội "), del("nghị"), ins("thảo"), eq(" quán triệt.")}},
		{"full stop added", "tỉnh Thanh Hóa", "tỉnh Thanh Hóa.", []Op{eq("tỉnh Thanh Hóa"), ins(".")}},
		{"comma and word moved", "Đảng, Nhà nước và nhân dân", "Đảng và Nhà nước, nhân dân",
			// Punctuation is its own token: "Đảng" and "nước" stay equal.
			[]Op{eq("Đảng"), del(","), ins(" và"), eq(" Nhà nước"), del(" và"), ins(","), eq(" nhân dân")}},
		{"paragraph added",
			"Đoạn một.\n\nĐoạn ba.",
			"Đoạn một.\n\nĐoạn hai.\n\nĐoạn ba.",
			[]Op{eq("Đoạn một.\n\n"), ins("Đoạn hai.\n\n"), eq("Đoạn ba.")}},
		{"paragraph deleted",
			"Đoạn một.\n\nĐoạn hai.\n\nĐoạn ba.",
			"Đoạn một.\n\nĐoạn ba.",
			[]Op{eq("Đoạn một.\n\n"), del("Đoạn hai.\n\n"), eq("Đoạn ba.")}},
		{"paragraphs merged", "Câu một.\n\nCâu hai.", "Câu một. Câu hai.",
			[]Op{eq("Câu một."), del("\n\n"), ins(" "), eq("Câu hai.")}},
		{"NFD word changed", nfdHoa + " " + nfdBinh, nfdHoa + " " + nfdHop,
			[]Op{eq(nfdHoa + " "), del(nfdBinh), ins(nfdHop)}},
		{"NFC against NFD differ", "hòa bình", nfdHoa + " bình",
			[]Op{del("hòa"), ins(nfdHoa), eq(" bình")}},
		{"mark after punctuation stays attached", "a .\u0301b c", "a .\u0301b d",
			[]Op{eq("a .\u0301b "), del("c"), ins("d")}},
		{"NBSP is space", "Thanh\u00a0Hóa", "Thanh\u00a0Hoá",
			[]Op{eq("Thanh\u00a0"), del("Hóa"), ins("Hoá")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Words(tc.a, tc.b)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Words(%q, %q)\n got %q\nwant %q", tc.a, tc.b, got, tc.want)
			}
			checkOps(t, tc.a, tc.b, got)
		})
	}
}

// checkOps verifies the invariants Words promises: both texts rebuilt
// byte for byte, no empty op, no two adjacent ops of one kind, Delete
// before Insert.
func checkOps(t *testing.T, a, b string, ops []Op) {
	t.Helper()
	var ra, rb strings.Builder
	for i, op := range ops {
		if op.Text == "" {
			t.Fatalf("op %d is empty: %q", i, ops)
		}
		if i > 0 && ops[i-1].Kind == op.Kind {
			t.Fatalf("ops %d and %d both %v", i-1, i, op.Kind)
		}
		if i > 0 && ops[i-1].Kind == Insert && op.Kind == Delete {
			t.Fatalf("op %d: Delete after Insert", i)
		}
		switch op.Kind {
		case Equal:
			ra.WriteString(op.Text)
			rb.WriteString(op.Text)
		case Delete:
			ra.WriteString(op.Text)
		case Insert:
			rb.WriteString(op.Text)
		default:
			t.Fatalf("op %d has kind %v", i, op.Kind)
		}
	}
	if ra.String() != a {
		t.Fatalf("Equal+Delete do not rebuild a:\n got %q\nwant %q", ra.String(), a)
	}
	if rb.String() != b {
		t.Fatalf("Equal+Insert do not rebuild b:\n got %q\nwant %q", rb.String(), b)
	}
}

func changes(ops []Op) (dels, inss int) {
	for _, op := range ops {
		switch op.Kind {
		case Delete:
			dels++
		case Insert:
			inss++
		}
	}
	return dels, inss
}

// A rewritten phrase shares spaces and a function word with the old one;
// the shortest edit script interleaves them, the cleanup must not.
func TestCleanupChangedPhrase(t *testing.T) {
	a := "Sáng 15/3, đồng chí Bí thư phát biểu khai mạc hội nghị của tỉnh và chỉ đạo các huyện."
	b := "Sáng 15/3, đồng chí Bí thư trình bày báo cáo tổng kết của tỉnh và chỉ đạo các huyện."
	ops := Words(a, b)
	checkOps(t, a, b, ops)
	if d, i := changes(ops); d != 1 || i != 1 {
		t.Errorf("got %d deletions and %d insertions, want 1 and 1: %q", d, i, ops)
	}
	want := "Sáng 15/3, đồng chí Bí thư [-phát biểu khai mạc hội nghị-]{+trình bày báo cáo tổng kết+} của tỉnh và chỉ đạo các huyện."
	if got := Unified(ops); got != want {
		t.Errorf("Unified\n got %q\nwant %q", got, want)
	}

	// The raw script really was confetti: the test proves the cleanup,
	// not a lucky alignment.
	a = "ông phát biểu tại hội nghị"
	b = "bà trình bày ở hội thảo"
	d := &differ{a: tokenize(a), b: tokenize(b), cost: maxCost}
	d.diff()
	raw := 0
	for _, r := range d.regions() {
		if !r.eq {
			raw++
		}
	}
	ops = Words(a, b)
	checkOps(t, a, b, ops)
	if dl, in := changes(ops); raw < 2 || dl != 1 || in != 1 {
		t.Errorf("raw script has %d changes, cleaned %d/%d: %q", raw, dl, in, ops)
	}
}

// Two separate additions are not a rewrite: the word between them must
// not be shown deleted and re-inserted.
func TestSeparateInsertionsKept(t *testing.T) {
	a := "Hội nghị tỉnh ủy khóa mới"
	b := "Hội nghị lần thứ ba tỉnh ủy Thanh Hóa khóa mới"
	ops := Words(a, b)
	checkOps(t, a, b, ops)
	want := []Op{eq("Hội nghị "), ins("lần thứ ba "), eq("tỉnh ủy "), ins("Thanh Hóa "), eq("khóa mới")}
	if !reflect.DeepEqual(ops, want) {
		t.Errorf("got %q\nwant %q", ops, want)
	}
}

func TestStats(t *testing.T) {
	ops := []Op{eq("Ông A "), del("phát biểu"), ins("trình bày, — “báo cáo”"), eq(" tại hội nghị.")}
	if i, d := Stats(ops); i != 4 || d != 2 {
		t.Errorf("Stats = %d inserted, %d deleted, want 4 and 2", i, d)
	}
	// " mạc " is folded into the change: it counts on both sides.
	ops = Words("Ông A phát biểu khai mạc.", "Ông A phát biểu bế mạc hội nghị — và chỉ đạo.")
	if i, d := Stats(ops); i != 7 || d != 2 {
		t.Errorf("Stats = %d inserted, %d deleted, want 7 and 2; ops %q", i, d, ops)
	}
	if i, d := Stats(Words("Thanh Hóa", "Thanh Hóa.")); i != 0 || d != 0 {
		t.Errorf("punctuation-only change counts %d/%d words", i, d)
	}
	if i, d := Stats(Words(nfdHoa+" bình", "")); i != 0 || d != 2 {
		t.Errorf("NFD deletion counts %d/%d", i, d)
	}
}

func TestParagraphs(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b string
		want [][]Op
	}{
		{"added", "Một.\n\nBa.", "Một.\n\nHai.\n\nBa.",
			[][]Op{{eq("Một.")}, {ins("Hai.\n\n")}, {eq("Ba.")}}},
		{"edited", "Một.\n\nHai ba.\n\nBốn.", "Một.\n\nHai năm.\n\nBốn.",
			[][]Op{{eq("Một.")}, {eq("Hai "), del("ba"), ins("năm"), eq(".")}, {eq("Bốn.")}}},
		{"merged", "Một.\n\nHai.", "Một. Hai.",
			[][]Op{{eq("Một."), del("\n\n")}, {ins(" "), eq("Hai.")}}},
		{"leading break", "\n\nMột.", "\n\nMột!",
			[][]Op{{eq("Một"), del("."), ins("!")}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ops := Words(tc.a, tc.b)
			if got := Paragraphs(ops); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ops %q\nParagraphs\n got %q\nwant %q", ops, got, tc.want)
			}
		})
	}
	// A change whose deletion and insertion both span paragraphs: the
	// old paragraphs come out first, then the new ones, not interleaved.
	got := Paragraphs([]Op{eq("Mở đầu.\n\n"), del("X.\n\nY."), ins("P.\n\nQ.\n\nR."), eq("\n\nKết.")})
	want := [][]Op{{eq("Mở đầu.")}, {del("X.\n\n")}, {del("Y.")}, {ins("P.\n\n")}, {ins("Q.\n\n")}, {ins("R.")}, {eq("Kết.")}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Paragraphs\n got %q\nwant %q", got, want)
	}
	if Paragraphs(nil) != nil {
		t.Error("Paragraphs(nil) is not nil")
	}
}

func TestUnified(t *testing.T) {
	for _, tc := range []struct{ a, b, want string }{
		{"Hà Nội", "Hà Nội mùa thu", "Hà Nội {+mùa thu+}"},
		{"Hà Nội", "Thủ đô Hà Nội", "{+Thủ đô+} Hà Nội"},
		{"hội nghị tổng kết năm", "hội nghị năm", "hội nghị [-tổng kết-] năm"},
		{"tỉnh Thanh Hóa", "tỉnh Thanh Hóa.", "tỉnh Thanh Hóa{+.+}"},
		{"Câu một.\n\nCâu hai.", "Câu một. Câu hai.", "Câu một.[-\n\n-]{+ +}Câu hai."},
		{"Một.\n\nBa.", "Một.\n\nHai.\n\nBa.", "Một.\n\n{+Hai.+}\n\nBa."},
	} {
		if got := Unified(Words(tc.a, tc.b)); got != tc.want {
			t.Errorf("Unified(Words(%q, %q))\n got %q\nwant %q", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestMyersShortest checks the core search against the textbook O(N·M)
// dynamic program on small random sequences: the script must be valid
// and exactly as short as the longest common subsequence allows.
func TestMyersShortest(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var m myers
	for iter := 0; iter < 3000; iter++ {
		a := randSeq(r, r.IntN(30), 1+r.IntN(4))
		b := randSeq(r, r.IntN(30), 1+r.IntN(4))
		if r.IntN(3) == 0 { // related sequences, like two versions
			b = mutate(r, a)
		}
		script, ok := m.run(a, b, 1000)
		if !ok {
			t.Fatalf("run gave up on %v %v", a, b)
		}
		cost, ia, ib := 0, 0, 0
		for _, e := range script {
			if e.a0 != ia || e.b0 != ib {
				t.Fatalf("script not contiguous at %+v: %v", e, script)
			}
			switch e.kind {
			case Equal:
				if e.a1-e.a0 != e.b1-e.b0 || !reflect.DeepEqual(a[e.a0:e.a1], b[e.b0:e.b1]) {
					t.Fatalf("bad Equal %+v for %v %v", e, a, b)
				}
			case Delete:
				if e.b0 != e.b1 {
					t.Fatalf("bad Delete %+v", e)
				}
			case Insert:
				if e.a0 != e.a1 {
					t.Fatalf("bad Insert %+v", e)
				}
			}
			if e.kind != Equal {
				cost += e.a1 - e.a0 + e.b1 - e.b0
			}
			ia, ib = e.a1, e.b1
		}
		if ia != len(a) || ib != len(b) {
			t.Fatalf("script ends at %d,%d of %d,%d", ia, ib, len(a), len(b))
		}
		if want := len(a) + len(b) - 2*lcs(a, b); cost != want {
			t.Fatalf("cost %d, shortest is %d: %v %v %v", cost, want, a, b, script)
		}
		// The cap: an exact budget passes, one less fails.
		if cost >= 2 {
			if _, ok := m.run(a, b, cost); !ok {
				t.Fatalf("run gave up at cap %d = cost", cost)
			}
		}
	}
}

func randSeq(r *rand.Rand, n, alpha int) []int32 {
	s := make([]int32, n)
	for i := range s {
		s[i] = int32(r.IntN(alpha))
	}
	return s
}

func mutate(r *rand.Rand, a []int32) []int32 {
	var b []int32
	for _, x := range a {
		switch r.IntN(8) {
		case 0:
		case 1:
			b = append(b, int32(r.IntN(6)), x)
		case 2:
			b = append(b, int32(r.IntN(6)))
		default:
			b = append(b, x)
		}
	}
	return b
}

func lcs(a, b []int32) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(cur[j], prev[j+1])
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// TestFallback forces the paragraph fallback with a tiny cap: the diff
// must stay exact, paragraphs that did not change must stay Equal, and
// edited paragraphs must still be diffed word by word where they can be.
func TestFallback(t *testing.T) {
	a := "Đoạn một không đổi.\n\nĐoạn hai có một chữ sai.\n\nĐoạn ba không đổi.\n\nĐoạn bốn bị viết lại hoàn toàn từ đầu đến cuối."
	b := "Đoạn một không đổi.\n\nĐoạn hai có một chữ đúng.\n\nĐoạn ba không đổi.\n\nMột nội dung khác hẳn thay vào chỗ này."
	full := Words(a, b)
	checkOps(t, a, b, full)
	ops := words(a, b, 4)
	checkOps(t, a, b, ops)
	text := Unified(ops)
	if !strings.HasPrefix(text, "Đoạn một không đổi.\n\nĐoạn hai có một chữ [-sai-]{+đúng+}.\n\nĐoạn ba không đổi.\n\n") {
		t.Errorf("fallback lost the unchanged or word-diffable paragraphs:\n%s", text)
	}
	if !strings.HasSuffix(text, "[-Đoạn bốn bị viết lại hoàn toàn từ đầu đến cuối-]{+Một nội dung khác hẳn thay vào chỗ này+}.") {
		t.Errorf("rewritten paragraph not replaced whole:\n%s", text)
	}

	// With no paragraphs to fall back on, a costly diff is one deletion
	// and one insertion.
	a, b = "một hai ba bốn năm", "sáu bảy tám chín mười"
	ops = words(a, b, 2)
	checkOps(t, a, b, ops)
	if !reflect.DeepEqual(ops, []Op{del(a), ins(b)}) {
		t.Errorf("got %q", ops)
	}
}

// TestCorpusRevisions diffs generated articles against their revisions
// (new title, rewritten second half), NFD and old-style ones included.
func TestCorpusRevisions(t *testing.T) {
	g := benchcorpus.New(7)
	for i := range 60 {
		a, b := g.Article(i), g.Revision(i, 1)
		for _, cost := range []int{maxCost, 10} {
			ops := words(a.Body, b.Body, cost)
			checkOps(t, a.Body, b.Body, ops)
			for _, block := range Paragraphs(ops) {
				if len(block) == 0 {
					t.Fatal("empty block")
				}
			}
		}
		ops := Words(a.Title, b.Title)
		checkOps(t, a.Title, b.Title, ops)
	}
}

func FuzzWords(f *testing.F) {
	for _, s := range [][2]string{
		{"", ""},
		{"Thanh Hóa", "Thanh Hóa."},
		{"Đoạn một.\n\nĐoạn ba.", "Đoạn một.\n\nĐoạn hai.\n\nĐoạn ba."},
		{nfdHoa + " " + nfdBinh, nfdHoa + " " + nfdHop},
		{"a .\u0301b (\u0301c", "(\u0301 \u0301"},
		{"x\xffy z", "x\xfey z"},
		{"a b a b a b", "b a b a"},
		{"  \n\n \n", "\n\n\n\n"},
		{"Ông phát biểu tại hội nghị", "Bà trình bày tại hội thảo"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, cost := range []int{maxCost, 3} {
			ops := words(a, b, cost)
			checkOps(t, a, b, ops)
			ins, del := Stats(ops)
			if ins < 0 || del < 0 || (a == b && (ins != 0 || del != 0)) {
				t.Fatalf("Stats = %d, %d", ins, del)
			}
			for _, block := range Paragraphs(ops) {
				if len(block) == 0 {
					t.Fatal("empty block")
				}
				for _, op := range block {
					if op.Text == "" {
						t.Fatal("empty op in block")
					}
				}
			}
			if u := Unified(ops); utf8.ValidString(a) && utf8.ValidString(b) && !utf8.ValidString(u) {
				t.Fatalf("Unified broke UTF-8: %q", u)
			}
		}
	})
}

// benchTexts returns a text of about n words built from generated
// articles, and a copy with about one word in a hundred edited: replaced,
// deleted or with a word inserted before it.
func benchTexts(n int) (string, string) {
	g := benchcorpus.New(1)
	var paras []string
	words := 0
	for i := 0; words < n; i++ {
		for p := range strings.SplitSeq(g.Article(i).Body, "\n\n") {
			paras = append(paras, p)
			words += len(strings.Fields(p))
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	vocab := strings.Fields(g.Article(100000).Body)
	edited := make([]string, len(paras))
	for i, p := range paras {
		ws := strings.Split(p, " ")
		var out []string
		for _, w := range ws {
			if r.IntN(100) != 0 {
				out = append(out, w)
				continue
			}
			switch r.IntN(3) {
			case 0:
				out = append(out, vocab[r.IntN(len(vocab))])
			case 1:
			case 2:
				out = append(out, vocab[r.IntN(len(vocab))], w)
			}
		}
		edited[i] = strings.Join(out, " ")
	}
	return strings.Join(paras, "\n\n"), strings.Join(edited, "\n\n")
}

func BenchmarkWords(b *testing.B) {
	x, y := benchTexts(10000)
	b.SetBytes(int64(len(x) + len(y)))
	b.ReportAllocs()
	var ops []Op
	for b.Loop() {
		ops = Words(x, y)
	}
	// After the loop: b.Loop's first call resets reported metrics.
	ins, del := Stats(ops)
	b.ReportMetric(float64(len(strings.Fields(x))), "words")
	b.ReportMetric(float64(ins+del), "changed-words")
	b.ReportMetric(float64(len(ops)), "ops")
}

// BenchmarkWordsRewritten diffs two unrelated 10 000-word texts: the
// worst case, which the cost cap and the paragraph fallback bound.
func BenchmarkWordsRewritten(b *testing.B) {
	x, _ := benchTexts(10000)
	g := benchcorpus.New(2)
	var sb strings.Builder
	for i := 0; sb.Len() < len(x); i++ {
		if i > 0 {
			sb.WriteString("\n\n")
		}
		sb.WriteString(g.Article(i).Body)
	}
	y := sb.String()
	b.SetBytes(int64(len(x) + len(y)))
	b.ReportAllocs()
	for b.Loop() {
		Words(x, y)
	}
}
