package export

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"tulieu/api"
	"tulieu/internal/benchcorpus"
	"tulieu/store"
)

// encodingJSON is what the fast encoder must equal: encoding/json without
// HTML escaping, as the jsonl export wrote before it.
func encodingJSON(t testing.TB, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// trickyStrings are the texts whose escaping differs most between
// encoders: control characters, quotes, HTML, the JavaScript line
// separators, invalid UTF-8, decomposed marks, DEL.
var trickyStrings = []string{
	"",
	"Thanh Hóa",
	"Thanh Ho\u0301a", // a combining mark
	`"quoted" and \back\slash`,
	"<script>alert('x')</script> & more",
	"tab\tnew\nline\rreturn\bback\fform\x00nul\x01\x1f\x7f",
	"line\u2028separator\u2029paragraph",
	"\xe2\x80", // a cut U+2028
	"bad \xff byte \xc3( and \xe2\x80\xa8 after",
	"\xed\xa0\x80 surrogate",
	"emoji 🇻🇳 and 中文",
	strings.Repeat("Đảng bộ Khối các cơ quan tỉnh. ", 50),
}

func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range trickyStrings {
		got := appendJSONString(nil, s)
		if want := encodingJSON(t, s); !bytes.Equal(got, want) {
			t.Errorf("%q:\n got %s\nwant %s", s, got, want)
		}
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range trickyStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := appendJSONString(nil, s), encodingJSON(t, s); !bytes.Equal(got, want) {
			t.Fatalf("%q:\n got %s\nwant %s", s, got, want)
		}
	})
}

// fill sets every exported field of v (a pointer) by reflection: strings
// to s, numbers to n, slices to two filled elements. A field added to
// Record or to what it holds is therefore filled too, and the fast
// encoder must write it.
func fill(v reflect.Value, s string, n int64) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		fill(v.Elem(), s, n)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), s, n+int64(i))
			}
		}
	case reflect.String:
		v.SetString(s)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(n)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		sl := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(sl.Index(i).Addr(), s, n+int64(i))
		}
		v.Set(sl)
	}
}

func TestRecordJSONMatchesEncodingJSON(t *testing.T) {
	var records []*Record
	for _, s := range trickyStrings {
		r := &Record{}
		fill(reflect.ValueOf(r), s, 7)
		records = append(records, r)
	}
	// Nil and empty slices, zero numbers, empty strings: null, [], and
	// the omitempty keys left out.
	records = append(records, &Record{})
	empty := &Record{}
	empty.Authors, empty.Breadcrumb, empty.Attachments = []string{}, []string{}, []string{}
	empty.Images = []store.Image{}
	empty.History, empty.Files = []api.Version{}, []api.File{}
	records = append(records, empty)
	g := benchcorpus.New(3)
	for i := range 5 {
		a := g.Article(i)
		r := &Record{}
		r.ID, r.Title, r.Body, r.Author, r.Category, r.Published = a.ID, a.Title, a.Body, a.Author, a.Category, a.Published
		records = append(records, r)
	}
	for i, r := range records {
		got := appendRecordJSON(nil, r)
		if want := encodingJSON(t, r); !bytes.Equal(got, want) {
			t.Errorf("record %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

func BenchmarkJSONLRecord(b *testing.B) {
	recs := benchRecords(200)
	var size int64
	for _, r := range recs {
		size += int64(len(r.Body))
	}
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(size)
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		for b.Loop() {
			buf.Reset()
			for _, r := range recs {
				enc.Encode(r)
			}
		}
	})
	b.Run("appendRecordJSON", func(b *testing.B) {
		b.SetBytes(size)
		var buf []byte
		for b.Loop() {
			for _, r := range recs {
				buf = append(appendRecordJSON(buf[:0], r), '\n')
			}
		}
	})
}

func benchRecords(n int) []*Record {
	var recs []*Record
	g := benchcorpus.New(1)
	for i := range n {
		a := g.Article(i)
		r := &Record{}
		r.ID, r.URL, r.Title, r.Body, r.Author, r.Category, r.Published = a.ID, a.URL, a.Title, a.Body, a.Author, a.Category, a.Published
		r.Breadcrumb = []string{"Trang chủ", a.Category}
		r.Status, r.Kind, r.CapturedAt = "live", "article", "2026-12-06T01:02:03Z"
		recs = append(recs, r)
	}
	return recs
}
