package crawler

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// spillAt is how many bytes of a response a spool keeps in memory before
// it moves them to a temporary file: most pages stay in memory, a 200 MB
// attachment costs a file, not 200 MB of heap (let alone the five copies
// a tap, a read, a decode, a clone and colly's own made before:
// TestLargeAttachmentBoundedMemory, 275 MiB of heap for 48 MiB then, 7
// now). 1 MiB: a spool's buffer grows by doubling, so a larger threshold
// costs twice itself in allocations before it spills.
const spillAt = 1 << 20

// spoolPattern names a spool's temporary file (os.CreateTemp).
const spoolPattern = "tulieu-response-*"

// spool holds bytes in memory up to spillAt, then in a temporary file in
// dir ("" is the system's temporary directory). It is written once, then
// read; it is not safe for concurrent writers (the tap that fills it
// holds a lock).
type spool struct {
	dir  string
	mem  bytes.Buffer
	file *os.File
	n    int64
	err  error // the first write error to the file, kept for Reader
}

func (s *spool) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if s.file == nil && int64(s.mem.Len())+int64(len(p)) > spillAt {
		f, err := os.CreateTemp(s.dir, spoolPattern)
		if err != nil {
			s.err = err
			return 0, err
		}
		if _, err := f.Write(s.mem.Bytes()); err != nil {
			f.Close()
			os.Remove(f.Name())
			s.err = err
			return 0, err
		}
		s.file = f
		s.mem = bytes.Buffer{}
	}
	var n int
	var err error
	if s.file != nil {
		n, err = s.file.Write(p)
	} else {
		n, err = s.mem.Write(p)
	}
	s.n += int64(n)
	if err != nil {
		s.err = err
	}
	return n, err
}

// Len is the number of bytes written.
func (s *spool) Len() int64 { return s.n }

// Spilled says whether the bytes are in a file.
func (s *spool) Spilled() bool { return s.file != nil }

// Reader reads the bytes from the start; each call starts again.
func (s *spool) Reader() io.Reader {
	if s.err != nil {
		return errReader{s.err}
	}
	if s.file != nil {
		return io.NewSectionReader(s.file, 0, s.n)
	}
	return bytes.NewReader(s.mem.Bytes())
}

// Bytes returns all the bytes, read back from the file if need be.
func (s *spool) Bytes() ([]byte, error) {
	if s.file == nil && s.err == nil {
		return s.mem.Bytes(), nil
	}
	return io.ReadAll(s.Reader())
}

// Head returns up to n bytes from the start. In memory they are the
// spool's own (not to be modified), not a copy: a page's whole response
// was copied here for its head (1 % of a crawl's allocations).
func (s *spool) Head(n int64) []byte {
	if s.file == nil && s.err == nil {
		b := s.mem.Bytes()
		k := int(min(int64(len(b)), n))
		return b[:k:k]
	}
	b, _ := io.ReadAll(io.LimitReader(s.Reader(), n))
	return b
}

// Truncate keeps the first n bytes.
func (s *spool) Truncate(n int64) error {
	if n >= s.n {
		return nil
	}
	if s.file != nil {
		if err := s.file.Truncate(n); err != nil {
			return err
		}
		if _, err := s.file.Seek(n, io.SeekStart); err != nil {
			return err
		}
	} else {
		s.mem.Truncate(int(n))
	}
	s.n = n
	return nil
}

// Path is the temporary file's name, "" while in memory.
func (s *spool) Path() string {
	if s.file == nil {
		return ""
	}
	return s.file.Name()
}

// Close drops the bytes and removes the temporary file.
func (s *spool) Close() error {
	s.mem = bytes.Buffer{}
	if s.file == nil {
		return nil
	}
	name := s.file.Name()
	s.file.Close()
	s.file = nil
	return os.Remove(name)
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// PrepareSpoolDir makes dir ready to be a crawl's Options.SpoolDir: it
// creates it and removes whatever a crawl killed outright (kill -9, a
// power cut) left in it (spooled responses, attachments written out for
// the programs that read them, OCR's rendered pages), which nothing else
// would ever remove. The directory must be the crawl's own, and only the
// holder of the data directory's crawl lock may call it: a running
// crawl's files look the same. It returns how many entries it removed.
func PrepareSpoolDir(dir string) (removed int, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return 0, fmt.Errorf("spool directory: %w", err)
	}
	left, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("spool directory: %w", err)
	}
	for _, e := range left {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return removed, fmt.Errorf("remove what an interrupted crawl left: %w", err)
		}
		removed++
	}
	return removed, nil
}
