// Package diskfull recognizes the errors that mean "the disk is full":
// the operating system's (ENOSPC, EDQUOT) and SQLite's (SQLITE_FULL),
// however deeply they are wrapped. A crawl stops on the first one instead
// of failing page after page, and says so in one line.
package diskfull

import (
	"errors"
	"syscall"
)

// SQLite's result codes for a write that found no room: SQLITE_FULL (the
// unix VFS maps ENOSPC to it), and SQLITE_IOERR_SHMSIZE, given when the
// WAL's shared-memory file cannot grow (opening a catalog on a full disk).
const (
	sqliteFull         = 13
	sqliteIOErrShmSize = 10 | 19<<8
)

// Is reports whether err says that a write found no room on its disk.
func Is(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return true
	}
	// modernc.org/sqlite's *Error; matched by behaviour so that this
	// package needs no driver.
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		code := coded.Code()
		return code&0xff == sqliteFull || code == sqliteIOErrShmSize
	}
	return false
}
