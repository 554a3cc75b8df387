// Command searchbench measures tulieu's search index (package index, Bleve)
// on generated Vietnamese articles (internal/benchcorpus) and runs the same
// text and queries through SQLite FTS5 (tokenize = "unicode61
// remove_diacritics 2") for comparison. It writes a Markdown report.
//
//	go run ./index/cmd/searchbench -n 100000 -out report.md
//
// Measured: full build (batch Put of all articles), incremental update
// (Put of 1000 revised articles into the built index), query latency
// p50/p95/p99 for 1-, 2- and 4-syllable queries and quoted phrases, each
// unaccented and accented, index size on disk, and memory: the peak
// resident set (VmHWM from /proc/self/status, reset before each phase
// through /proc/self/clear_refs) and the peak Go heap.
//
// Articles are generated on the fly in chunks, so the corpus itself never
// sits in memory; memory figures are those of the engine (plus a chunk).
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite"

	"tulieu/index"
	"tulieu/internal/benchcorpus"
	"tulieu/internal/procmem"
)

var (
	flagN       = flag.Int("n", 100000, "number of articles")
	flagOut     = flag.String("out", "", "write the Markdown report to this file (default: stdout only)")
	flagDir     = flag.String("dir", "", "working directory for the indexes (default: a temporary directory, removed after)")
	flagQueries = flag.Int("queries", 300, "queries per kind")
	flagSeed    = flag.Uint64("seed", 1, "corpus seed")
	flagFTS     = flag.Bool("fts", true, "also measure SQLite FTS5")
	flagUpdates = flag.Int("updates", 1000, "articles revised in the incremental update")
	flagCPU     = flag.String("cpuprofile", "", "write a CPU profile of the Bleve build and queries to this file")
	flagPhase   = flag.String("profile-phase", "build", "phase the CPU profile covers: build or query")
	flagOnly    = flag.String("only", "", "measure only the query kinds whose name contains this (e.g. \"2 syllables\")")
	flagFacets  = flag.Bool("facets", false, "Bleve queries also ask for the category, author and year facets, as the web page does")
	flagReuse   = flag.Bool("reuse", false, "with -dir: query the Bleve index left there by an earlier run instead of building one (no build or update figures)")
)

const chunk = 2000 // articles generated and Put at a time

func main() {
	flag.Parse()
	log.SetFlags(log.Ltime)
	dir := *flagDir
	if dir == "" {
		d, err := os.MkdirTemp("", "searchbench-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(d)
		dir = d
	}
	gen := benchcorpus.New(*flagSeed)
	rep := &report{n: *flagN, vocab: gen.Vocabulary(), start: time.Now()}
	rep.queries = makeQueries(gen, *flagQueries)
	rep.corpus = corpusStats(gen, min(*flagN, 2000))

	b := benchBleve(gen, filepath.Join(dir, "bleve"), rep.queries)
	rep.engines = append(rep.engines, b)
	if *flagFTS {
		f := benchFTS(gen, filepath.Join(dir, "fts.db"), rep.queries)
		rep.engines = append(rep.engines, f)
	}
	out := rep.markdown()
	fmt.Print(out)
	if *flagOut != "" {
		if err := os.WriteFile(*flagOut, []byte(out), 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

// queryKind is one row of the latency table.
type queryKind struct {
	name string
	kind benchcorpus.QueryKind
	qs   []string
}

func makeQueries(gen *benchcorpus.Generator, n int) []*queryKind {
	var out []*queryKind
	for _, k := range []struct {
		name string
		kind benchcorpus.QueryKind
	}{
		{"1 syllable, unaccented", benchcorpus.QueryKind{Syllables: 1}},
		{"1 syllable, accented", benchcorpus.QueryKind{Syllables: 1, Accented: true}},
		{"2 syllables, unaccented", benchcorpus.QueryKind{Syllables: 2}},
		{"2 syllables, accented", benchcorpus.QueryKind{Syllables: 2, Accented: true}},
		{"4 syllables, unaccented", benchcorpus.QueryKind{Syllables: 4}},
		{"4 syllables, accented", benchcorpus.QueryKind{Syllables: 4, Accented: true}},
		{"phrase of 2, unaccented", benchcorpus.QueryKind{Syllables: 2, Phrase: true}},
		{"phrase of 3, accented", benchcorpus.QueryKind{Syllables: 3, Phrase: true, Accented: true}},
	} {
		if !strings.Contains(k.name, *flagOnly) {
			continue
		}
		out = append(out, &queryKind{name: k.name, kind: k.kind, qs: gen.Queries(n, k.kind, 1)})
	}
	return out
}

type corpus struct {
	avgTitle, avgBody float64
	avgBytes          float64
}

func corpusStats(gen *benchcorpus.Generator, n int) corpus {
	var c corpus
	for i := range n {
		a := gen.Article(i)
		c.avgTitle += float64(len(strings.Fields(a.Title)))
		c.avgBody += float64(len(strings.Fields(a.Body)))
		c.avgBytes += float64(len(a.Title) + len(a.Body) + len(a.Author) + len(strings.Join(a.Captions, " ")))
	}
	c.avgTitle /= float64(n)
	c.avgBody /= float64(n)
	c.avgBytes /= float64(n)
	return c
}

// generate produces articles [from, to) in parallel, in order.
func generate(gen *benchcorpus.Generator, from, to int, rev int) []benchcorpus.Article {
	out := make([]benchcorpus.Article, to-from)
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := from + w; i < to; i += workers {
				if rev > 0 {
					out[i-from] = gen.Revision(i, rev)
				} else {
					out[i-from] = gen.Article(i)
				}
			}
		}()
	}
	wg.Wait()
	return out
}

// feedCorpus generates the -n articles a chunk at a time and hands each
// chunk (and the number of its first article) to add, logging progress
// since start. It returns the time spent generating, which build times
// leave out.
func feedCorpus(gen *benchcorpus.Generator, engine string, start time.Time, add func(from int, arts []benchcorpus.Article)) time.Duration {
	log.Printf("%s: indexing %d articles", engine, *flagN)
	var genTime time.Duration
	for from := 0; from < *flagN; from += chunk {
		to := min(from+chunk, *flagN)
		g0 := time.Now()
		arts := generate(gen, from, to, 0)
		genTime += time.Since(g0)
		add(from, arts)
		if to%(chunk*10) == 0 {
			log.Printf("%s: %d articles, %s", engine, to, time.Since(start).Round(time.Second))
		}
	}
	return genTime
}

func toDoc(a benchcorpus.Article) index.Document {
	return index.Document{ID: a.ID, URL: a.URL, Title: a.Title, Body: a.Body, Author: a.Author,
		Breadcrumb: a.Breadcrumb, Category: a.Category, Published: a.Published, Captions: a.Captions, Status: "live"}
}

// engineResult holds one engine's figures.
type engineResult struct {
	name               string
	build, genTime     time.Duration
	update             time.Duration
	updates            int
	size               int64
	buildRSS, queryRSS int64 // VmHWM, bytes
	buildHeap, qHeap   uint64
	lat                map[string][]time.Duration
	hits               map[string]float64 // mean total hits
	errs               map[string]int
	notes              []string
}

// memory tracking ----------------------------------------------------------

func resetPeakRSS() { procmem.ResetPeak() }

func peakRSS() int64 { return procmem.PeakRSS() }

// heapPeak samples the live Go heap until stopped and returns its maximum.
type heapPeak struct {
	max  atomic.Uint64
	stop chan struct{}
	done chan struct{}
}

func startHeapPeak() *heapPeak {
	h := &heapPeak{stop: make(chan struct{}), done: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(h.done)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > h.max.Load() {
				h.max.Store(v)
			}
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

func (h *heapPeak) Stop() uint64 {
	close(h.stop)
	<-h.done
	return h.max.Load()
}

func dirSize(path string) int64 {
	var n int64
	filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// Bleve ---------------------------------------------------------------------

func benchBleve(gen *benchcorpus.Generator, dir string, kinds []*queryKind) *engineResult {
	ctx := context.Background()
	res := &engineResult{name: "Bleve (tulieu index)", lat: map[string][]time.Duration{}, hits: map[string]float64{}, errs: map[string]int{}}
	runtime.GC()
	resetPeakRSS()
	hp := startHeapPeak()
	if *flagReuse {
		return queryBleve(ctx, dir, kinds, res, hp)
	}
	ix, err := index.Open(dir, nil)
	if err != nil {
		log.Fatal(err)
	}
	stopProf := profile("build")
	start := time.Now()
	genTime := feedCorpus(gen, "bleve", start, func(_ int, arts []benchcorpus.Article) {
		docs := make([]index.Document, len(arts))
		for i, a := range arts {
			docs[i] = toDoc(a)
		}
		if err := ix.Put(ctx, docs...); err != nil {
			log.Fatal(err)
		}
	})
	if err := ix.Close(); err != nil { // persist everything: part of the build
		log.Fatal(err)
	}
	res.build = time.Since(start) - genTime
	res.genTime = genTime
	stopProf()
	res.buildHeap = hp.Stop()
	res.buildRSS = peakRSS()
	res.size = dirSize(dir)
	log.Printf("bleve: built in %s (+%s generating), %s on disk", res.build.Round(time.Millisecond), genTime.Round(time.Millisecond), mb(res.size))

	runtime.GC()
	resetPeakRSS()
	hp = startHeapPeak()
	ix, err = index.Open(dir, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer ix.Close()
	// Incremental update: revised versions of articles spread over the corpus.
	nUp := min(*flagUpdates, *flagN)
	var up []index.Document
	for k := range nUp {
		i := int(uint64(k) * 7919 % uint64(*flagN))
		up = append(up, toDoc(gen.Revision(i, 1)))
	}
	start = time.Now()
	if err := ix.Put(ctx, up...); err != nil {
		log.Fatal(err)
	}
	res.update, res.updates = time.Since(start), nUp
	log.Printf("bleve: %d updates in %s", nUp, res.update.Round(time.Millisecond))
	if err := ix.Close(); err != nil {
		log.Fatal(err)
	}
	return queryBleve(ctx, dir, kinds, res, hp)
}

// queryBleve runs the queries on the index in dir.
func queryBleve(ctx context.Context, dir string, kinds []*queryKind, res *engineResult, hp *heapPeak) *engineResult {
	ix, err := index.Open(dir, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer ix.Close()
	stopProf := profile("query")
	runQueries(kinds, res, func(q string) (int, error) {
		r, err := ix.Search(ctx, index.Request{Query: q, Limit: 10, Facets: *flagFacets})
		if err != nil {
			return 0, err
		}
		return int(r.Total), nil
	})
	stopProf()
	res.qHeap = hp.Stop()
	res.queryRSS = peakRSS()
	facets := "no facets (as `tulieu search` without --facets; the web page asks for them, -facets)"
	if *flagFacets {
		facets = "with the category, author and year facets (-facets, as the web page asks)"
	}
	res.notes = append(res.notes,
		"Bleve queries are full `index.Search` calls: parsing, per word the folded and exact terms of text, title and author, adjacent-word clauses, top 10 by BM25 over both shards, stored fields, highlighted snippet; "+facets+". Plain-word queries run on the flat searcher with pruning (index/doc.go).")
	return res
}

func profile(phase string) func() {
	if *flagCPU == "" || *flagPhase != phase {
		return func() {}
	}
	f, err := os.Create(*flagCPU)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

func runQueries(kinds []*queryKind, res *engineResult, run func(string) (int, error)) {
	// Warm up: a few queries of each kind, not measured.
	for _, k := range kinds {
		for _, q := range k.qs[:min(10, len(k.qs))] {
			run(q)
		}
	}
	for _, k := range kinds {
		var lat []time.Duration
		total := 0
		for _, q := range k.qs {
			t := time.Now()
			n, err := run(q)
			lat = append(lat, time.Since(t))
			if err != nil {
				res.errs[k.name]++
				continue
			}
			total += n
		}
		slices.Sort(lat)
		res.lat[k.name] = lat
		res.hits[k.name] = float64(total) / float64(len(k.qs))
		log.Printf("%s: %-24s p50 %s p99 %s", res.name, k.name, pct(lat, 50), pct(lat, 99))
	}
}

func pct(lat []time.Duration, p float64) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	i := int(float64(len(lat))*p/100+0.5) - 1
	return lat[max(0, min(i, len(lat)-1))]
}

// SQLite FTS5 -----------------------------------------------------------------

func benchFTS(gen *benchcorpus.Generator, path string, kinds []*queryKind) *engineResult {
	res := &engineResult{name: "SQLite FTS5 (unicode61 remove_diacritics 2)", lat: map[string][]time.Duration{}, hits: map[string]float64{}, errs: map[string]int{}}
	runtime.GC()
	resetPeakRSS()
	hp := startHeapPeak()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, s := range []string{
		`PRAGMA journal_mode=WAL`,
		`PRAGMA synchronous=NORMAL`,
		`CREATE VIRTUAL TABLE docs USING fts5(title, body, author, category, captions, tokenize = "unicode61 remove_diacritics 2")`,
	} {
		if _, err := db.Exec(s); err != nil {
			log.Fatalf("%s: %v", s, err)
		}
	}
	start := time.Now()
	genTime := feedCorpus(gen, "fts5", start, func(from int, arts []benchcorpus.Article) {
		tx, err := db.Begin()
		if err != nil {
			log.Fatal(err)
		}
		st, err := tx.Prepare(`INSERT INTO docs(rowid, title, body, author, category, captions) VALUES (?, ?, ?, ?, ?, ?)`)
		if err != nil {
			log.Fatal(err)
		}
		for i, a := range arts {
			if _, err := st.Exec(from+i+1, a.Title, a.Body, a.Author, a.Category, strings.Join(a.Captions, "\n")); err != nil {
				log.Fatal(err)
			}
		}
		st.Close()
		if err := tx.Commit(); err != nil {
			log.Fatal(err)
		}
	})
	if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		log.Fatal(err)
	}
	res.build = time.Since(start) - genTime
	res.genTime = genTime
	res.buildHeap = hp.Stop()
	res.buildRSS = peakRSS()
	res.size = dirSize(path) + dirSize(path+"-wal")
	log.Printf("fts5: built in %s, %s on disk", res.build.Round(time.Millisecond), mb(res.size))

	runtime.GC()
	resetPeakRSS()
	hp = startHeapPeak()
	nUp := min(*flagUpdates, *flagN)
	start = time.Now()
	tx, _ := db.Begin()
	for k := range nUp {
		i := int(uint64(k) * 7919 % uint64(*flagN))
		a := gen.Revision(i, 1)
		if _, err := tx.Exec(`DELETE FROM docs WHERE rowid = ?`, i+1); err != nil {
			log.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO docs(rowid, title, body, author, category, captions) VALUES (?, ?, ?, ?, ?, ?)`,
			i+1, a.Title, a.Body, a.Author, a.Category, strings.Join(a.Captions, "\n")); err != nil {
			log.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		log.Fatal(err)
	}
	res.update, res.updates = time.Since(start), nUp

	top, err := db.Prepare(`SELECT rowid, title, snippet(docs, 1, '<mark>', '</mark>', '…', 24) FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 3.0, 1.0, 1.0, 0.7, 0.5) LIMIT 10`)
	if err != nil {
		log.Fatal(err)
	}
	count, err := db.Prepare(`SELECT count(*) FROM docs WHERE docs MATCH ?`)
	if err != nil {
		log.Fatal(err)
	}
	runQueries(kinds, res, func(q string) (int, error) {
		m := ftsQuery(q)
		rows, err := top.Query(m)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			var id int
			var title, snip string
			if err := rows.Scan(&id, &title, &snip); err != nil {
				rows.Close()
				return 0, err
			}
		}
		rows.Close()
		var n int
		if err := count.QueryRow(m).Scan(&n); err != nil {
			return 0, err
		}
		return n, nil
	})
	res.qHeap = hp.Stop()
	res.queryRSS = peakRSS()
	res.notes = append(res.notes,
		"FTS5 queries: top 10 by bm25 (title weighted 3) with a snippet of the body, plus a `count(*)` for the total; no facets, no accent-aware ranking, no adjacency bonus. FTS5 does not fold đ, so an unaccented query finds no word spelled with đ (\"dang\" ≠ \"đảng\"); compare the mean hit counts.")
	return res
}

// ftsQuery turns one of our queries (plain words or one "phrase") into an
// FTS5 MATCH expression: each word a quoted string (AND), or one phrase.
func ftsQuery(q string) string {
	if strings.HasPrefix(q, `"`) {
		return `"` + strings.ReplaceAll(strings.Trim(q, `"`), `"`, ``) + `"`
	}
	var parts []string
	for _, w := range strings.Fields(q) {
		parts = append(parts, `"`+strings.ReplaceAll(w, `"`, ``)+`"`)
	}
	return strings.Join(parts, " ")
}

// report ----------------------------------------------------------------------

type report struct {
	n       int
	vocab   int
	start   time.Time
	corpus  corpus
	queries []*queryKind
	engines []*engineResult
}

func mb(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/1e6) }

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d.Microseconds())/1000) }

func (r *report) markdown() string {
	var b strings.Builder
	host, _ := os.Hostname()
	_ = host
	fmt.Fprintf(&b, "## Search benchmark: %d articles\n\n", r.n)
	fmt.Fprintf(&b, "`go run ./index/cmd/searchbench -n %d` — %s, %s/%s, GOMAXPROCS %d, %s; %s.\n\n",
		r.n, runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), cpuModel(), r.start.Format("2006-01-02"))
	fmt.Fprintf(&b, "Corpus (internal/benchcorpus, seed %d): titles %.1f syllables, bodies %.0f syllables, %.1f KB of text per article on average; %d distinct syllables plus numbers and codes. %d queries per kind.\n\n",
		*flagSeed, r.corpus.avgTitle, r.corpus.avgBody, r.corpus.avgBytes/1000, r.vocab, *flagQueries)
	b.WriteString("| | ")
	for _, e := range r.engines {
		b.WriteString(e.name + " | ")
	}
	b.WriteString("\n|---|")
	for range r.engines {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	row := func(label string, f func(e *engineResult) string) {
		b.WriteString("| " + label + " | ")
		for _, e := range r.engines {
			b.WriteString(f(e) + " | ")
		}
		b.WriteString("\n")
	}
	row("full build", func(e *engineResult) string {
		return fmt.Sprintf("%.1f s (%.0f articles/s)", e.build.Seconds(), float64(r.n)/e.build.Seconds())
	})
	row(fmt.Sprintf("incremental update (%d revised)", *flagUpdates), func(e *engineResult) string {
		return fmt.Sprintf("%.2f s (%.0f articles/s)", e.update.Seconds(), float64(e.updates)/e.update.Seconds())
	})
	row("size on disk", func(e *engineResult) string { return mb(e.size) })
	row("peak RSS, build", func(e *engineResult) string { return mb(e.buildRSS) })
	row("peak Go heap, build", func(e *engineResult) string { return mb(int64(e.buildHeap)) })
	row("peak RSS, update + queries", func(e *engineResult) string { return mb(e.queryRSS) })
	for _, k := range r.queries {
		row(k.name+": p50 / p95 / p99 ms (mean hits)", func(e *engineResult) string {
			lat := e.lat[k.name]
			s := fmt.Sprintf("%s / %s / %s (%.0f)", ms(pct(lat, 50)), ms(pct(lat, 95)), ms(pct(lat, 99)), e.hits[k.name])
			if n := e.errs[k.name]; n > 0 {
				s += fmt.Sprintf(", %d errors", n)
			}
			return s
		})
	}
	b.WriteString("\n")
	for _, e := range r.engines {
		for _, n := range e.notes {
			b.WriteString("- " + n + "\n")
		}
	}
	b.WriteString("- Build time excludes generating the articles; it includes closing (persisting) the index. Peak RSS is VmHWM, reset before each phase; the FTS5 figures are measured after Bleve's in the same process (the Go heap it leaves behind is garbage).\n")
	b.WriteString("\nExample queries: ")
	for _, k := range r.queries {
		if len(k.qs) > 0 {
			fmt.Fprintf(&b, "`%s` (%s); ", k.qs[0], k.name)
		}
	}
	b.WriteString("\n")
	return b.String()
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "model name") {
			if i := strings.Index(line, ":"); i >= 0 {
				return strings.TrimSpace(line[i+1:])
			}
		}
	}
	return "unknown CPU"
}
