package extract

import (
	"runtime"
	"strings"
	"testing"
)

// pathological20MB builds a 20 MB page of the worst shapes at once: deep
// nesting, a tag with a million attributes and a huge single text node.
func pathological20MB() []byte {
	var b strings.Builder
	b.Grow(21 << 20)
	b.WriteString("<html><head><title>x</title></head><body>")
	b.WriteString(strings.Repeat("<div><span>", 200000)) // 2.2 MB of nesting
	b.WriteString("<p")
	for i := 0; b.Len() < 9<<20; i++ {
		b.WriteString(" a=x")
	}
	b.WriteString(">")
	for b.Len() < 20<<20 {
		b.WriteString("Nội dung dài không có thẻ nào, ")
	}
	b.WriteString("</p></body></html>")
	return []byte(b.String())
}

// TestBoundedMemory: a 20 MB pathological page is handled within bounded
// memory (bytes allocated by one Extract call, and the heap it leaves).
func TestBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates a 20 MB page")
	}
	for name, page := range map[string][]byte{
		"mixed":      pathological20MB(),
		"deep":       []byte(strings.Repeat("<div>", 4<<20)),
		"attributes": []byte("<p" + strings.Repeat(" a=x", 5<<20) + ">x</p>"),
		"text":       []byte("<p>" + strings.Repeat("chữ ", 5<<20) + "</p>"),
		"nodes":      []byte(strings.Repeat("<b>x</b>", 3<<20)),
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		doc, err := Extract("http://x.vn/a-1.html", page, "text/html; charset=utf-8", Options{Profiles: DefaultProfiles()})
		runtime.ReadMemStats(&after)
		if err == nil && doc == nil {
			t.Fatalf("%s: nil document", name)
		}
		alloc := after.TotalAlloc - before.TotalAlloc
		t.Logf("%s: %d MB input, %d MB allocated, %d allocs", name, len(page)>>20, alloc>>20, after.Mallocs-before.Mallocs)
		if alloc > maxExtractAlloc {
			t.Errorf("%s: one Extract allocated %d MB, bound %d MB", name, alloc>>20, maxExtractAlloc>>20)
		}
		runtime.KeepAlive(page)
	}
}
