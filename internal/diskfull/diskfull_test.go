package diskfull

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"testing"
)

type codedError int

func (e codedError) Error() string { return fmt.Sprintf("sqlite code %d", int(e)) }
func (e codedError) Code() int     { return int(e) }

func TestIs(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("no space left on device"), false}, // text is not enough: only real errors count
		{syscall.ENOSPC, true},
		{&fs.PathError{Op: "write", Path: "x.warc.gz.open", Err: syscall.ENOSPC}, true},
		{fmt.Errorf("archive http://a/: %w", &fs.PathError{Op: "write", Path: "x", Err: syscall.EDQUOT}), true},
		{syscall.EIO, false},
		{codedError(13), true},
		{fmt.Errorf("save: %w", codedError(13|(1<<8))), true}, // an extended code of SQLITE_FULL
		{codedError(5), false},                                // SQLITE_BUSY
		{codedError(10), false},
		{codedError(4874), true}, // SQLITE_IOERR_SHMSIZE: the WAL index could not grow                               // SQLITE_IOERR
	} {
		if got := Is(tc.err); got != tc.want {
			t.Errorf("Is(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
