package api

import (
	"path"
	"strconv"
	"strings"

	"tulieu/store"
	"tulieu/textdiff"
)

// Diff is how an article changed between two versions, as `tulieu diff
// --json` and GET /api/articles/{id}/diff give it.
type Diff struct {
	ID       string        `json:"id"`
	From     int           `json:"from"` // version numbers
	To       int           `json:"to"`
	FromSeen string        `json:"from_seen"`
	ToSeen   string        `json:"to_seen"`
	Fields   []FieldChange `json:"fields"`   // the fields besides the body that changed
	Inserted int           `json:"inserted"` // words of the body
	Deleted  int           `json:"deleted"`
	// Ops is the word-level diff of the body: pieces of text in both
	// versions ("equal"), only the new one ("insert") or only the old one
	// ("delete"), in order.
	Ops []DiffOp `json:"ops"`
}

// FieldChange is one field that differs between two versions.
type FieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// DiffOp is one piece of a word-level diff.
type DiffOp struct {
	Kind string `json:"kind"` // equal, insert, delete
	Text string `json:"text"`
}

// NewDiff compares version a with version b of article id.
func NewDiff(id string, a, b store.Version) Diff {
	d := Diff{ID: id, From: a.Version, To: b.Version, FromSeen: RFC3339(a.SeenAt), ToSeen: RFC3339(b.SeenAt),
		Fields: ChangedFields(a, b), Ops: []DiffOp{}}
	ops := textdiff.Words(a.Body, b.Body)
	d.Inserted, d.Deleted = textdiff.Stats(ops)
	for _, op := range ops {
		d.Ops = append(d.Ops, DiffOp{Kind: strings.ToLower(op.Kind.String()), Text: op.Text})
	}
	return d
}

// ChangedFields lists the fields other than the body that differ from
// version a to b, in the order a Diff gives them.
func ChangedFields(a, b store.Version) []FieldChange {
	out := []FieldChange{}
	add := func(field, old, new string) {
		if old != new {
			out = append(out, FieldChange{Field: field, Old: old, New: new})
		}
	}
	add("title", a.Title, b.Title)
	add("author", a.Author, b.Author)
	add("source", a.Source, b.Source)
	add("published", a.Published, b.Published)
	add("category", a.Category, b.Category)
	add("breadcrumb", strings.Join(a.Breadcrumb, " / "), strings.Join(b.Breadcrumb, " / "))
	// Images by their file names (one replaced by another is a change
	// as much as one added), their captions apart.
	add("images", imageNames(a.Images), imageNames(b.Images))
	add("captions", captions(a.Images), captions(b.Images))
	add("attachments", attachmentNames(a.Attachments), attachmentNames(b.Attachments))
	return out
}

func imageNames(ims []store.Image) string {
	var names []string
	for _, im := range ims {
		names = append(names, path.Base(im.Src))
	}
	return strings.Join(names, ", ")
}

func captions(ims []store.Image) string {
	var cs []string
	for _, im := range ims {
		if c := strings.TrimSpace(im.Caption); c != "" {
			cs = append(cs, c)
		}
	}
	return strings.Join(cs, " | ")
}

func attachmentNames(as []store.Attachment) string {
	var names []string
	for _, a := range as {
		names = append(names, path.Base(a.URL))
	}
	return strings.Join(names, ", ")
}

// TextOps turns the diff's ops back into textdiff's, for rendering.
func (d Diff) TextOps() []textdiff.Op {
	out := make([]textdiff.Op, 0, len(d.Ops))
	for _, op := range d.Ops {
		k := textdiff.Equal
		switch op.Kind {
		case "insert":
			k = textdiff.Insert
		case "delete":
			k = textdiff.Delete
		}
		out = append(out, textdiff.Op{Kind: k, Text: op.Text})
	}
	return out
}

// PickVersions finds versions a and b among an article's versions; 0
// means the default: the one before the last, and the last.
func PickVersions(versions []store.Version, a, b int) (store.Version, store.Version, error) {
	if len(versions) == 0 {
		return store.Version{}, store.Version{}, &ParamError{"the article has no version", "bài viết chưa có phiên bản nào"}
	}
	last := versions[len(versions)-1].Version
	if b == 0 {
		b = last
	}
	if a == 0 {
		a = max(1, b-1)
	}
	find := func(n int) (store.Version, error) {
		for _, v := range versions {
			if v.Version == n {
				return v, nil
			}
		}
		return store.Version{}, &ParamError{"the article has versions 1 to " + strconv.Itoa(last) + ", not " + strconv.Itoa(n),
			"bài viết có các phiên bản từ 1 đến " + strconv.Itoa(last) + ", không có phiên bản " + strconv.Itoa(n)}
	}
	va, err := find(a)
	if err != nil {
		return va, va, err
	}
	vb, err := find(b)
	return va, vb, err
}
