package index

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// The walk over every match of a query, for exports (MatchIDs).
//
// Through bleve's public API the walk was pages of a search sorted by
// date and then by "_id", continued with search_after: every page a
// search over every match, and the id of every match read from its
// stored fields. At 100 000 matches that read mapped about 420 MB of the
// index's files into the process (each document's stored fields lie
// beside its body), against a 200 MB target (issue #13, BENCHMARKS.md).
//
// This walk runs the same query's searcher once per shard, unscored, and
// takes for each match its published time from the doc values bleve sorts
// by and its id from an id column: the segment's "_id" dictionary
// uninverted (an id's postings are a single document, which zap keeps in
// the dictionary itself, so no stored field is read). The matches are
// then ordered as the search ordered them, newest first, undated last,
// ties by id: TestMatchWalkEqualsSearchAfter compares it with bleve's
// own walk on the same index.

// walkMatch is one match of the walk: 16 bytes of key and a string
// header that shares the id column's bytes.
type walkMatch struct {
	published int64 // nanoseconds since 1970, valid when dated
	dated     bool
	id        string
}

// walkMatches returns every match of q over the shards, in MatchIDs'
// order.
func (ix *Index) walkMatches(ctx context.Context, q query.Query) ([]walkMatch, error) {
	var all []walkMatch
	for k := range ix.shards {
		ms, err := ix.shardWalk(ctx, k, q)
		if err != nil {
			return nil, err
		}
		all = append(all, ms...)
	}
	slices.SortFunc(all, func(a, b walkMatch) int {
		switch {
		case a.dated != b.dated:
			if a.dated {
				return -1 // undated last
			}
			return 1
		case a.dated && a.published != b.published:
			return cmp.Compare(b.published, a.published) // newest first
		}
		return cmp.Compare(a.id, b.id)
	})
	return all, nil
}

// shardWalk collects the matches of q in shard k.
func (ix *Index) shardWalk(ctx context.Context, k int, q query.Query) ([]walkMatch, error) {
	snap, err := ix.shardSnapshot(k)
	if err != nil {
		return nil, fmt.Errorf("index: walk: %w", err)
	}
	defer snap.Close()
	segs := snap.Segments()
	offsets := make([]uint64, len(segs)+1)
	for i, s := range segs {
		offsets[i+1] = offsets[i] + s.Segment().Count()
	}
	ids := make([][]string, len(segs)) // built when a segment has a match

	s, err := q.Searcher(ctx, snap, ix.shards[k].Mapping(), search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, fmt.Errorf("index: walk: %w", err)
	}
	defer s.Close()
	dv, err := snap.DocValueReader([]string{fPublished})
	if err != nil {
		return nil, fmt.Errorf("index: walk: %w", err)
	}
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	var out []walkMatch
	seg := 0
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		dm, err := s.Next(sctx)
		if err != nil {
			return nil, fmt.Errorf("index: walk: %w", err)
		}
		if dm == nil {
			break
		}
		num := docNum(dm.IndexInternalID)
		if num >= offsets[seg+1] || num < offsets[seg] {
			seg = sort.Search(len(segs), func(i int) bool { return offsets[i+1] > num })
			if seg == len(segs) {
				return nil, fmt.Errorf("index: walk: document %d past the snapshot's %d", num, offsets[len(segs)])
			}
		}
		if ids[seg] == nil {
			if ids[seg], err = idColumn(ctx, segs[seg].Segment()); err != nil {
				return nil, err
			}
		}
		m := walkMatch{id: ids[seg][num-offsets[seg]]}
		if m.id == "" {
			return nil, fmt.Errorf("index: walk: document %d has no id", num)
		}
		err = dv.VisitDocValues(dm.IndexInternalID, func(field string, term []byte) {
			if field != fPublished {
				return
			}
			// A date is indexed at several precisions; the full one
			// (shift 0) is what a sort by date compares.
			pc := numeric.PrefixCoded(term)
			if shift, err := pc.Shift(); err == nil && shift == 0 {
				if v, err := pc.Int64(); err == nil {
					m.published, m.dated = v, true
				}
			}
		})
		if err != nil {
			return nil, fmt.Errorf("index: walk: %w", err)
		}
		out = append(out, m)
		sctx.DocumentMatchPool.Put(dm)
	}
	return out, nil
}

// idColumn uninverts a segment's "_id" field: the id of each of its
// documents by document number ("" for none).
func idColumn(ctx context.Context, seg segment.Segment) ([]string, error) {
	dict, err := seg.Dictionary("_id")
	if err != nil {
		return nil, fmt.Errorf("index: id column: %w", err)
	}
	col := make([]string, seg.Count())
	it := dict.AutomatonIterator(nil, nil, nil)
	var pl segment.PostingsList
	var pi segment.PostingsIterator
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		e, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("index: id column: %w", err)
		}
		if e == nil {
			break
		}
		id := e.Term // Next reuses its entry, not this string
		if pl, err = dict.PostingsList([]byte(id), nil, pl); err != nil {
			return nil, fmt.Errorf("index: id column: %w", err)
		}
		pi = pl.Iterator(false, false, false, pi)
		for {
			p, err := pi.Next()
			if err != nil {
				return nil, fmt.Errorf("index: id column: %w", err)
			}
			if p == nil {
				break
			}
			if d := p.Number(); d < uint64(len(col)) {
				col[d] = id
			}
		}
	}
	return col, nil
}
