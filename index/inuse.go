package index

import "errors"

// ErrInUse is returned by Open when another process holds the index (only
// one process can: a running `tulieu serve`, for instance). It is never
// ErrCorrupt, so a caller does not rebuild an index that is merely busy.
var ErrInUse = errors.New("index: in use by another process")
