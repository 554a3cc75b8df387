package cli

import (
	"context"
	"errors"
	"fmt"

	"tulieu/crawler"
	"tulieu/index"
	"tulieu/store"
)

// Exit codes, documented in the README and in `tulieu --help`.
const (
	ExitOK          = 0   // done (a crawl that completed, even with some page errors)
	ExitError       = 1   // could not do it: unreachable site, unreadable catalog, I/O error
	ExitUsage       = 2   // bad flags, arguments or query syntax
	ExitLocked      = 3   // another crawl holds the data directory, another serve serves it, or another process has the search index
	ExitUnreachable = 4   // a crawl reached none of its start URLs
	ExitErrorRate   = 5   // a crawl completed, but more requests failed than --max-error-rate allows
	ExitInterrupted = 130 // stopped by Ctrl-C or SIGTERM; what was archived stays
)

// usageError marks an error caused by how tulieu was called.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// ExitCode maps an error to the process exit code.
func ExitCode(err error) int {
	var ue *usageError
	var qe *index.QueryError
	var re *index.RequestError // a bound of the request (length, limit, offset)
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ue), errors.As(err, &qe), errors.As(err, &re):
		return ExitUsage
	case errors.Is(err, store.ErrLocked), errors.Is(err, errAlreadyServed), errors.Is(err, index.ErrInUse):
		return ExitLocked
	case errors.Is(err, context.Canceled), errors.Is(err, errInterrupted):
		return ExitInterrupted
	case errors.Is(err, crawler.ErrUnreachable):
		return ExitUnreachable
	case errors.Is(err, errErrorRate):
		return ExitErrorRate
	}
	return ExitError
}

var errInterrupted = errors.New("interrupted")

// errIndexBusy is the answer of a command that needs the search index
// while another process has it open (a crawl updating it, a reindex): try
// again later (exit 3, as for a data directory another crawl holds).
var errIndexBusy error = indexBusy("the search index is in use by another tulieu process (a crawl updating it, or a reindex); try again when it has finished")

// indexBusy is an error that says the search index is held elsewhere, in
// its own words; it is index.ErrInUse for ExitCode.
type indexBusy string

func (e indexBusy) Error() string        { return string(e) }
func (e indexBusy) Is(target error) bool { return target == index.ErrInUse }

// errErrorRate marks a crawl that completed with too many failed requests:
// everything fetched is archived, but a nightly job should look.
var errErrorRate = errors.New("too many failed requests")
