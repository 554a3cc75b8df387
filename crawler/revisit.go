package crawler

import (
	"fmt"
	"hash/fnv"
	"time"

	"tulieu/store"
)

// Revisit schedules (Options.Revisit).
const (
	// RevisitAll asks every known article again on every run: a change or
	// a deletion is seen the next night. The default.
	RevisitAll = "all"
	// RevisitAdaptive asks again, on each run, the known articles that are
	// due: new and recently changed ones every night, stable ones less
	// often the longer they have stayed the same, at most
	// Options.RevisitCycle apart. Listings are always fetched (they are
	// how new articles are found).
	RevisitAdaptive = "adaptive"
)

// DefaultRevisitCycle is the longest an article goes unasked under
// RevisitAdaptive.
const DefaultRevisitCycle = 7 * 24 * time.Hour

// everyNight is the interval below which an article is asked on every
// run: runs a night apart, whatever time of the night each starts.
const everyNight = 2 * 24 * time.Hour

// revisitSchedule decides which known articles a run asks again, from
// each article's change history. It learns in the way of adaptive revisit
// policies of web archives (Heritrix's wait evaluators): the longer a
// page has stayed the same, the longer it is left; a page that changed
// is asked again soon.
type revisitSchedule struct {
	now   time.Time
	cycle time.Duration
}

func newRevisitSchedule(mode string, cycle time.Duration, now time.Time) (*revisitSchedule, error) {
	switch mode {
	case "", RevisitAll:
		return nil, nil
	case RevisitAdaptive:
		if cycle < everyNight {
			return nil, fmt.Errorf("revisit cycle %v is shorter than %v: with so short a cycle every article is due every night; use --revisit all", cycle, everyNight)
		}
		return &revisitSchedule{now: now, cycle: cycle}, nil
	}
	return nil, fmt.Errorf("revisit schedule %q: want %q or %q", mode, RevisitAll, RevisitAdaptive)
}

// interval is how long h may go unasked: a quarter of the time it has
// stayed the same (an article unchanged for four weeks waits a week), and
// no more than half the mean time between its changes when it changed
// before; at most the cycle. The mean counts the time it has stayed the
// same since its last change, as a stretch still running: measured up to
// the last change only, an article corrected the day after it appeared
// had a mean of a day for ever, and was asked every night for months
// after it last changed.
func (s *revisitSchedule) interval(h store.RevisitHistory) time.Duration {
	stable := s.now.Sub(h.LastChanged)
	iv := stable / 4
	if h.Versions > 1 {
		if mean := s.now.Sub(h.FirstSeen) / time.Duration(h.Versions-1); mean/2 < iv {
			iv = mean / 2
		}
	}
	return min(max(iv, 0), s.cycle)
}

// due reports whether h is to be asked again in this run. An article
// with an interval of k nights (k ≥ 2) has one night in k of its own,
// fixed by its URL: after the first crawl, which saw every article on the
// same night, the nights share the work instead of all of it coming due
// together. It is due when one of its nights has come since it was last
// asked: tonight, or a night with no run or with a run that stopped
// before asking it (taken at the next run). Any k nights in a row hold
// one of its nights, so it never goes more than k nights unasked, however
// its interval grew meanwhile.
func (s *revisitSchedule) due(h store.RevisitHistory) bool {
	if h.Damaged {
		return true // its archived copy cannot be read: fetched whole at once
	}
	iv := s.interval(h)
	if iv < everyNight {
		return true
	}
	k := int64(iv / (24 * time.Hour))
	tonight := nightOf(s.now)
	// Its latest night up to tonight: tonight - ((tonight + hash) mod k).
	latest := tonight - int64((uint64(tonight)+urlHash(h.URL))%uint64(k))
	return latest > nightOf(h.LastSeen)
}

// nightOf numbers the nights, each from noon to noon in Vietnam (UTC+7):
// a nightly job that starts at 23:00 one night and 01:00 the next runs on
// two nights, one apart.
func nightOf(t time.Time) int64 {
	return (t.Unix() - 5*3600) / (24 * 3600)
}

// urlHash is a number of the URL's, the same on every run.
func urlHash(u string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(u))
	return h.Sum64()
}

// notDue lists the URLs of the catalog's live articles that the schedule
// leaves for a later run (nil when every one is due), and how many
// articles they are. An article at one of the start URLs is always due:
// a start URL is fetched every run, for the links to new articles it
// holds, even where it reads as an article (a portal's home page at an
// address of its own).
func (s *revisitSchedule) notDue(histories []store.RevisitHistory, startURLs []string) (map[string]bool, int) {
	if s == nil {
		return nil, 0
	}
	start := make(map[string]bool, len(startURLs))
	for _, u := range startURLs {
		start[u] = true
	}
	// A URL is left out only when no article asked at it is due: two
	// articles can share one (a page whose canonical URL changed before
	// tulieu followed moves was recorded as a new article, the old one
	// left live; or one moved to an address of another folder).
	due := make([]bool, len(histories))
	asked := map[string]bool{}
	for i, h := range histories {
		if due[i] = start[h.URL] || start[h.ArticleURL] || s.due(h); due[i] {
			asked[h.URL], asked[h.ArticleURL] = true, true
		}
	}
	out := map[string]bool{}
	n := 0
	for i, h := range histories {
		if due[i] || asked[h.URL] {
			continue
		}
		// By the URL a crawl asks it at, and by its own, which a
		// listing may link.
		out[h.URL] = true
		if !asked[h.ArticleURL] {
			out[h.ArticleURL] = true
		}
		n++
	}
	return out, n
}
