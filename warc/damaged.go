package warc

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"

	kflate "github.com/klauspost/compress/flate"
	kgzip "github.com/klauspost/compress/gzip"
)

// ErrDamaged is wrapped by the errors of reading a record whose gzip
// member does not read whole: a bad sector, a flipped byte. That is a
// fault of the file, which `tulieu check` reports and a backup restores,
// as against a file that is missing, a catalog that points nowhere, or a
// body the server sent badly compressed (its own content encoding).
var ErrDamaged = errors.New("the record is damaged (its gzip member does not read whole)")

// Damaged reports whether err, from reading a record (ReadResponse,
// OpenBody, or a member read through and passed to MemberDamage), says
// that the record's bytes are damaged.
func Damaged(err error) bool { return errors.Is(err, ErrDamaged) }

// ErrUndecodable is wrapped by the errors of reading an archived body that
// cannot be decoded as the server sent it: a content encoding this reader
// does not know, or a chunked framing or compressed stream that is broken
// in the record as it was received. The record itself reads whole; it is
// not the archive's damage.
var ErrUndecodable = errors.New("the archived body cannot be decoded as the server sent it")

// Undecodable reports whether err says that an archived body cannot be
// decoded as the server sent it (ErrUndecodable).
func Undecodable(err error) bool { return errors.Is(err, ErrUndecodable) }

// MemberDamage marks err, from reading a gzip member to its end, as the
// member's damage (ErrDamaged) when it is one: a checksum or length that
// does not hold, a compressed stream that does not decode, a member that
// ends early. Any other error (the disk's, say) is returned as it is.
func MemberDamage(err error) error {
	var corrupt flate.CorruptInputError
	var kcorrupt kflate.CorruptInputError
	if errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) ||
		errors.Is(err, kgzip.ErrChecksum) || errors.Is(err, kgzip.ErrHeader) ||
		errors.As(err, &corrupt) || errors.As(err, &kcorrupt) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: %w", ErrDamaged, err)
	}
	return err
}

// memberError reads the gzip member at offset in the file at path through
// (its compressed stream, checksum and length) and returns its damage, or
// nil when it reads whole or cannot be read at all.
func memberError(path string, offset int64) error {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	zr, err := kgzip.NewReader(bufio.NewReader(io.NewSectionReader(f, offset, 1<<62)))
	if err == nil {
		zr.Multistream(false)
		_, err = io.Copy(io.Discard, zr)
	}
	if err = MemberDamage(err); Damaged(err) {
		return err
	}
	return nil
}

// readError is err, from reading the record at offset in the file at
// path, said to be the record's damage when its gzip member does not read
// whole. A damaged member decompresses to whatever it decompresses to
// before its checksum is reached, so the WARC parser may fail first, on
// garbage, with an error that says nothing of damage ("not a http block",
// a digest algorithm it does not know): the member, read through, tells.
func readError(path string, offset int64, err error) error {
	if err == nil || err == io.EOF || Damaged(err) { // (a Read's end, not a wrapped EOF)
		return err
	}
	if merr := memberError(path, offset); merr != nil {
		return fmt.Errorf("%w (reading it: %v)", merr, err)
	}
	return err
}
