package api

import (
	"testing"

	"tulieu/store"
)

// Versions that differ only in a picture replaced by another, or in a
// caption, named no changed field (the page listed them with "—"): the
// number of images alone was compared.
func TestChangedFieldsNameImagesAndCaptions(t *testing.T) {
	v := func(ims ...store.Image) store.Version {
		var x store.Version
		x.Images = ims
		return x
	}
	a := v(store.Image{Src: "http://x.vn/anh/hoi-nghi.jpg", Caption: "Quang cảnh hội nghị"})
	for _, c := range []struct {
		b    store.Version
		want string
	}{
		{v(store.Image{Src: "http://x.vn/anh/dai-hoi.jpg", Caption: "Quang cảnh hội nghị"}), "images"},
		{v(store.Image{Src: "http://x.vn/anh/hoi-nghi.jpg", Caption: "Đồng chí Bí thư phát biểu"}), "captions"},
		{v(store.Image{Src: "http://x.vn/anh/hoi-nghi.jpg", Caption: "Quang cảnh hội nghị"}), ""},
	} {
		got := ""
		for _, f := range ChangedFields(a, c.b) {
			got += f.Field
		}
		if got != c.want {
			t.Errorf("%+v → %+v: changed %q, want %q", a.Images, c.b.Images, got, c.want)
		}
	}
}
