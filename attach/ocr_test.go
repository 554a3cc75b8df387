package attach

import (
	"context"
	"errors"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tulieu/internal/testdocs"
)

// scanSample is the text of the scanned sample: a decision as a
// provincial party committee prints it.
var scanSample = []string{
	"ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH THANH HÓA",
	"Quyết định về việc kiện toàn Ban Chỉ đạo công tác chuyển đổi số của Đảng bộ Khối năm 2026.",
	"Điều 1. Kiện toàn Ban Chỉ đạo gồm các đồng chí có tên sau đây, chịu trách nhiệm trước Ban Thường vụ.",
	"Điều 2. Ban Chỉ đạo có nhiệm vụ giúp Ban Thường vụ lãnh đạo, chỉ đạo, kiểm tra việc thực hiện nghị quyết.",
	"Điều 3. Văn phòng Đảng ủy Khối, các ban xây dựng Đảng và các đồng chí có tên tại Điều 1 thi hành quyết định này.",
}

// scannedPDF renders the sample as a page (headless chromium), then
// degrades it as a cheap scanner would (150 dpi, speckles) and wraps the
// image in a PDF with no text layer.
func scannedPDF(t *testing.T, speckles int) []byte {
	t.Helper()
	bin := ""
	for _, name := range []string{os.Getenv("TULIEU_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); name != "" && err == nil {
			bin = p
			break
		}
	}
	need := []string{"pdftoppm", "tesseract"}
	for _, p := range need {
		if _, err := exec.LookPath(p); err != nil {
			bin = ""
		}
	}
	if bin == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no chromium, pdftoppm or tesseract on a CI machine: .ci/run installs them")
		}
		t.Skip("the OCR test needs chromium, poppler-utils and tesseract-ocr-vie")
	}
	dir := t.TempDir()
	var page strings.Builder
	page.WriteString(`<html><body style="background:#fff;margin:60px;font-family:'DejaVu Serif',serif;font-size:30px;line-height:1.5;color:#111">`)
	for _, p := range scanSample {
		page.WriteString("<p>" + p + "</p>")
	}
	page.WriteString("</body></html>")
	html := filepath.Join(dir, "page.html")
	os.WriteFile(html, []byte(page.String()), 0o644)
	shot := filepath.Join(dir, "page.png")
	out, err := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1240,1000",
		"--screenshot="+shot, "file://"+html).CombinedOutput()
	if err != nil {
		t.Fatalf("chromium: %v %s", err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// Down to two thirds (a 150 dpi scan of a page set for 200 dpi), in
	// gray, with speckles on speckles ‰ of the pixels.
	b := src.Bounds()
	w, h := b.Dx()*2/3, b.Dy()*2/3
	gray := image.NewGray(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(7, 7))
	for y := range h {
		for x := range w {
			r, g, bl, _ := src.At(b.Min.X+x*3/2, b.Min.Y+y*3/2).RGBA()
			v := uint8((r*299 + g*587 + bl*114) / 1000 >> 8)
			if rng.IntN(1000) < speckles {
				v = uint8(rng.IntN(256))
			}
			gray.Pix[y*gray.Stride+x] = v
		}
	}
	return testdocs.ImagePDF(gray)
}

// TestOCRScannedPDF: a scanned PDF gives no text without OCR, and with
// it the text of the page, at a character accuracy logged for
// BENCHMARKS.md for a clean 150 dpi scan and noisier ones (speckles on
// 0.5 %, 1 %, 3 % of the pixels): at least 95 % clean, 85 % at 0.5 %.
func TestOCRScannedPDF(t *testing.T) {
	want := strings.Join(strings.Fields(strings.Join(scanSample, " ")), " ")
	for _, c := range []struct {
		speckles int
		floor    float64
	}{{0, 0.95}, {5, 0.85}, {10, 0}, {30, 0}} {
		pdf := scannedPDF(t, c.speckles)
		// Without OCR, the reading says why there is no text, and how
		// to get it.
		if plain, err := Text(context.Background(), "quyet-dinh-scan.pdf", pdf); !errors.Is(err, ErrNoTextLayer) {
			t.Fatalf("the scan read without OCR: %q, %v; want ErrNoTextLayer", plain.Text, err)
		}
		r, err := Options{OCR: true}.Text(context.Background(), "quyet-dinh-scan.pdf", pdf)
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(strings.Fields(r.Text), " ")
		acc := 1 - float64(levenshtein([]rune(want), []rune(got)))/float64(len([]rune(want)))
		t.Logf("OCR (%s), 150 dpi, speckles on %.1f %% of the pixels: character accuracy %.1f %% (%d characters)",
			r.Reader, float64(c.speckles)/10, 100*acc, len([]rune(want)))
		if r.Reader != "tesseract" || acc < c.floor {
			t.Errorf("speckles %.1f %%: OCR read %q at %.1f %%, want at least %.0f %%:\n%s", float64(c.speckles)/10, r.Reader, 100*acc, 100*c.floor, r.Text)
		}
	}
}

// levenshtein is the edit distance between a and b.
func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
