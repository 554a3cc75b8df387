package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// mergeRecorder is a segmentMerger that records the merges asked of it,
// and whose Count and merges fail on demand.
type mergeRecorder struct {
	count    uint64
	countErr error
	mergeErr error
	calls    []string
}

func (m *mergeRecorder) Count() (uint64, error) { return m.count, m.countErr }
func (m *mergeRecorder) MergeAll(_ context.Context, maxResident int64) error {
	m.calls = append(m.calls, fmt.Sprintf("MergeAll(%d)", maxResident))
	return m.mergeErr
}
func (m *mergeRecorder) Compact(context.Context) error {
	m.calls = append(m.calls, "Compact")
	return m.mergeErr
}

// TestMergeAfterCatchUp: a catch-up of a quarter of the index or more is
// a build, merged whole within the resident bound; a smaller one has its
// small segments merged; a catch-up that emptied the index (deletions
// only) asks for MergeAll, which has nothing to do; an index whose Count
// fails gets the cheap Compact, never a whole rewrite; a merge that fails
// warns, unless the catch-up was cancelled (a server shutting down).
func TestMergeAfterCatchUp(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	boom := errors.New("boom")
	all := fmt.Sprintf("MergeAll(%d)", mergeResident)
	for _, c := range []struct {
		name  string
		ctx   context.Context
		m     *mergeRecorder
		total int
		want  string
		warn  bool
	}{
		{"reindex, first crawl", context.Background(), &mergeRecorder{count: 600}, 600, all, false},
		{"a quarter", context.Background(), &mergeRecorder{count: 100}, 25, all, false},
		{"less than a quarter", context.Background(), &mergeRecorder{count: 100}, 24, "Compact", false},
		{"nightly crawl", context.Background(), &mergeRecorder{count: 50000}, 1, "Compact", false},
		{"emptied by deletions", context.Background(), &mergeRecorder{count: 0}, 3, all, false},
		{"count fails", context.Background(), &mergeRecorder{count: 10, countErr: boom}, 1000, "Compact", false},
		{"merge fails", context.Background(), &mergeRecorder{count: 10, mergeErr: boom}, 10, all, true},
		{"merge fails, cancelled", cancelled, &mergeRecorder{count: 10, mergeErr: context.Canceled}, 10, all, false},
		{"compact fails, cancelled", cancelled, &mergeRecorder{count: 100, mergeErr: context.Canceled}, 1, "Compact", false},
	} {
		var buf bytes.Buffer
		log := slog.New(slog.NewTextHandler(&buf, nil))
		mergeAfterCatchUp(c.ctx, c.m, c.total, mergeResident, log)
		if strings.Join(c.m.calls, ",") != c.want {
			t.Errorf("%s: %v, want %s", c.name, c.m.calls, c.want)
		}
		if warned := strings.Contains(buf.String(), "level=WARN"); warned != c.warn {
			t.Errorf("%s: warned %v, want %v (%s)", c.name, warned, c.warn, buf.String())
		}
	}
}
