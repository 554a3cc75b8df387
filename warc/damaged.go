package warc

import (
	"compress/flate"
	"compress/gzip"
	"errors"
	"io"

	kflate "github.com/klauspost/compress/flate"
	kgzip "github.com/klauspost/compress/gzip"
)

// Damaged reports whether err, from reading a record (ReadResponse,
// OpenBody), says that the record's bytes are damaged: its gzip member's
// checksum or compressed stream does not hold, or it ends early. That is
// a fault of the file (a bad sector, a flipped byte), which `tulieu
// check` reports and a backup restores, as against a file that is
// missing or a catalog that points nowhere.
func Damaged(err error) bool {
	var corrupt flate.CorruptInputError
	var kcorrupt kflate.CorruptInputError
	return errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) ||
		errors.Is(err, kgzip.ErrChecksum) || errors.Is(err, kgzip.ErrHeader) ||
		errors.As(err, &corrupt) || errors.As(err, &kcorrupt) || errors.Is(err, io.ErrUnexpectedEOF)
}
