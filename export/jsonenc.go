package export

import (
	"strconv"
	"unicode/utf8"

	"tulieu/api"
	"tulieu/store"
)

// appendRecordJSON appends r's JSON, byte for byte what encoding/json
// writes for it with SetEscapeHTML(false) (keys, order, omitempty, null
// for nil slices), without reflection and with a faster string escaper.
// The escaping of long bodies was a fifth of a jsonl export's CPU time
// (BENCHMARKS.md). TestRecordJSONMatchesEncodingJSON fills every field of
// a Record by reflection and compares the two, so a field added to
// api.Article or Record without being added here fails it.
func appendRecordJSON(b []byte, r *Record) []byte {
	a := &r.Article
	b = append(b, `{"id":`...)
	b = appendJSONString(b, a.ID)
	b = append(b, `,"url":`...)
	b = appendJSONString(b, a.URL)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, a.Kind)
	b = append(b, `,"title":`...)
	b = appendJSONString(b, a.Title)
	b = append(b, `,"author":`...)
	b = appendJSONString(b, a.Author)
	b = append(b, `,"author_name":`...)
	b = appendJSONString(b, a.AuthorName)
	b = append(b, `,"authors":`...)
	b = appendJSONStrings(b, a.Authors)
	b = append(b, `,"source":`...)
	b = appendJSONString(b, a.Source)
	b = append(b, `,"breadcrumb":`...)
	b = appendJSONStrings(b, a.Breadcrumb)
	b = append(b, `,"category":`...)
	b = appendJSONString(b, a.Category)
	b = append(b, `,"published":`...)
	b = appendJSONString(b, a.Published)
	b = append(b, `,"body":`...)
	b = appendJSONString(b, a.Body)
	b = append(b, `,"images":`...)
	b = appendImagesJSON(b, a.Images)
	b = append(b, `,"attachments":`...)
	b = appendJSONStrings(b, a.Attachments)
	b = append(b, `,"first_seen":`...)
	b = appendJSONString(b, a.FirstSeen)
	b = append(b, `,"last_seen":`...)
	b = appendJSONString(b, a.LastSeen)
	b = append(b, `,"status":`...)
	b = appendJSONString(b, a.Status)
	b = append(b, `,"versions":`...)
	b = strconv.AppendInt(b, int64(a.Versions), 10)
	b = append(b, `,"sha256":`...)
	b = appendJSONString(b, a.SHA256)
	if len(a.History) > 0 {
		b = append(b, `,"history":`...)
		b = appendVersionsJSON(b, a.History)
	}
	b = append(b, `,"files":`...)
	if a.Files == nil {
		b = append(b, "null"...)
	} else {
		b = appendFilesJSON(b, a.Files)
	}
	b = append(b, `,"captured_at":`...)
	b = appendJSONString(b, a.CapturedAt)
	b = append(b, `,"warc_record_id":`...)
	b = appendJSONString(b, a.WARCRecordID)
	if r.Version != 0 {
		b = append(b, `,"version":`...)
		b = strconv.AppendInt(b, int64(r.Version), 10)
	}
	if r.FetchedFrom != "" {
		b = append(b, `,"fetched_from":`...)
		b = appendJSONString(b, r.FetchedFrom)
	}
	return append(b, '}')
}

// appendJSONArray appends items as a JSON array, each by appendItem; a nil
// slice is null, as encoding/json writes it.
func appendJSONArray[T any](b []byte, items []T, appendItem func([]byte, T) []byte) []byte {
	if items == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, item := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendItem(b, item)
	}
	return append(b, ']')
}

func appendJSONStrings(b []byte, ss []string) []byte {
	// Not through appendJSONArray: a call through a func value per string
	// was 5 % of the encoder's time (BenchmarkJSONLRecord).
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

func appendImagesJSON(b []byte, imgs []store.Image) []byte {
	return appendJSONArray(b, imgs, func(b []byte, img store.Image) []byte {
		b = append(b, `{"src":`...)
		b = appendJSONString(b, img.Src)
		b = append(b, `,"caption":`...)
		b = appendJSONString(b, img.Caption)
		return append(b, '}')
	})
}

func appendVersionsJSON(b []byte, vs []api.Version) []byte {
	return appendJSONArray(b, vs, func(b []byte, v api.Version) []byte {
		b = append(b, `{"version":`...)
		b = strconv.AppendInt(b, int64(v.Version), 10)
		b = append(b, `,"seen_at":`...)
		b = appendJSONString(b, v.SeenAt)
		b = append(b, `,"title":`...)
		b = appendJSONString(b, v.Title)
		b = append(b, `,"sha256":`...)
		b = appendJSONString(b, v.SHA256)
		b = append(b, `,"body":`...)
		b = appendJSONString(b, v.Body)
		b = append(b, `,"capture_id":`...)
		b = strconv.AppendInt(b, v.CaptureID, 10)
		b = append(b, `,"fetched_from":`...)
		b = appendJSONString(b, v.FetchedFrom)
		return append(b, '}')
	})
}

func appendFilesJSON(b []byte, fs []api.File) []byte {
	return appendJSONArray(b, fs, func(b []byte, f api.File) []byte {
		b = append(b, `{"url":`...)
		b = appendJSONString(b, f.URL)
		b = append(b, `,"name":`...)
		b = appendJSONString(b, f.Name)
		b = append(b, `,"reader":`...)
		b = appendJSONString(b, f.Reader)
		b = append(b, `,"text":`...)
		b = appendJSONString(b, f.Text)
		if f.Error != "" {
			b = append(b, `,"error":`...)
			b = appendJSONString(b, f.Error)
		}
		return append(b, '}')
	})
}

// jsonPlain marks the ASCII bytes a JSON string holds as they are.
var jsonPlain = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string, as encoding/json writes it
// without HTML escaping: \b \f \n \r \t and \uXXXX for the other control
// characters, \u2028 and \u2029 escaped, an invalid byte as \ufffd. It
// checks the UTF-8 of Vietnamese letters (two or three bytes) inline
// instead of decoding each one, and hands anything unusual (four-byte
// sequences, invalid bytes) to appendJSONStringSlow from there.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	i := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonPlain[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			b = appendEscapedASCII(b, c)
			i++
			start = i
			continue
		}
		switch {
		case c >= 0xC2 && c <= 0xDF && i+1 < len(s) && s[i+1]&0xC0 == 0x80:
			i += 2
			continue
		case c >= 0xE1 && c <= 0xEC && c != 0xE2 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
			// U+1000–U+CFFF but U+2000–U+2FFF: no surrogates, no overlong forms.
			i += 3
			continue
		case c == 0xE2 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
			// U+2000–U+2FFF: punctuation, among it U+2028 and U+2029.
			if s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9) {
				b = append(b, s[start:i]...)
				b = append(b, '\\', 'u', '2', '0', '2', hexDigits[s[i+2]&0xF])
				i += 3
				start = i
				continue
			}
			i += 3
			continue
		}
		// The rest, valid or not, rune by rune.
		b = append(b, s[start:i]...)
		return appendJSONStringSlow(b, s[i:], true)
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendJSONStringSlow goes on with appendJSONString's work rune by rune,
// its opening quote already written when open.
func appendJSONStringSlow(b []byte, s string, open bool) []byte {
	if !open {
		b = append(b, '"')
	}
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if !jsonPlain[c] {
				b = append(b, s[start:i]...)
				b = appendEscapedASCII(b, c)
				start = i + 1
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func appendEscapedASCII(b []byte, c byte) []byte {
	switch c {
	case '\\', '"':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}
