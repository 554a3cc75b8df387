package index

import (
	"errors"
	"fmt"

	"github.com/blevesearch/bleve/v2/index/scorch"
	bindex "github.com/blevesearch/bleve_index_api"
)

// WithSegmentFiles calls fn with the files of the segments every shard's
// current snapshot reads, while it holds those snapshots: scorch closes a
// segment, and unmaps its file, only when no snapshot holds it any more,
// so each file stays mapped where it is until fn returns (what makes it
// safe to advise the kernel about those mappings, see
// internal/mmapadvice). A segment not yet written to disk has no file and
// is left out.
func (ix *Index) WithSegmentFiles(fn func(paths []string) error) error {
	var paths []string
	var readers []bindex.IndexReader
	defer func() {
		for _, r := range readers {
			r.Close()
		}
	}()
	for k, bi := range ix.shards {
		adv, err := bi.Advanced()
		if err != nil {
			return fmt.Errorf("index: shard %d: %w", k, err)
		}
		r, err := adv.Reader()
		if err != nil {
			return fmt.Errorf("index: shard %d: %w", k, err)
		}
		readers = append(readers, r)
		snap, ok := r.(*scorch.IndexSnapshot)
		if !ok {
			return errors.New("index: not a scorch index")
		}
		for _, ss := range snap.Segments() {
			if f, ok := ss.Segment().(interface{ Path() string }); ok && f.Path() != "" {
				paths = append(paths, f.Path())
			}
		}
	}
	return fn(paths)
}
