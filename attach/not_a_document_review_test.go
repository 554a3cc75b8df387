package attach

import (
	"context"
	"errors"
	"testing"

	"tulieu/internal/testdocs"
)

// TestDocxThatIsNotADocx: a file named .docx that is a whole zip but
// holds no Word document (a broken upload, a zip of other files renamed)
// was ErrUnsupported, which the crawler takes for "an image or an archive:
// nothing to read" and recorded nothing; a .docx cut short, by contrast,
// is ErrDamaged and its record says so. The name promises a document, the
// bytes are not one: that is damage to report, not a type to pass over.
func TestDocxThatIsNotADocx(t *testing.T) {
	garbage := testdocs.Zip([2]string{"readme.txt", "not a Word document"}, [2]string{"data.bin", "\x00\x01\x02garbage"})
	for _, name := range []string{"http://x/uploads/quyet-dinh-45.docx", "http://x/uploads/bang.xlsx", "http://x/uploads/bao-cao.odt"} {
		_, err := Text(context.Background(), name, garbage)
		if err == nil || errors.Is(err, ErrUnsupported) {
			t.Errorf("%s (a zip of other files): err = %v, want an error saying the document is damaged", name, err)
		}
	}
}
