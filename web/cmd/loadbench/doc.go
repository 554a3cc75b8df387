// Command loadbench measures `tulieu serve` under concurrent load: a real
// server process, over a real data directory of generated articles, asked by
// concurrent HTTP clients on loopback. It prints a Markdown table of
// requests per second, latency percentiles and errors per endpoint, and the
// server's peak resident memory.
//
//	go run ./web/cmd/loadbench                       # 50 000 articles, 20 clients, 20 s per endpoint
//	go run ./web/cmd/loadbench -n 5000 -duration 5s  # a quick check
//
// What it does, in order:
//
//  1. The data directory (-data, default in the temporary directory, named
//     after -n and -seed) is generated once and reused by later runs: the
//     -n articles of internal/benchcorpus are saved into a SQLite catalog
//     through store.SaveArticle (with no capture, as an import would), and
//     the index is built from the catalog by `tulieu reindex`, in its own
//     process, so that the server measured afterwards starts from a built
//     index and its peak memory is that of serving, not of indexing.
//  2. The tulieu binary is built (go build) unless -bin names one, and
//     `tulieu serve --data DIR --addr 127.0.0.1:PORT` is started; loadbench
//     waits until it answers.
//  3. For each endpoint, /search (the page, which always asks for the
//     category, author and year facets) and /api/search (JSON, no facets
//     unless -api-facets), -clients clients send requests back to back for
//     -duration, after a warm-up that is not counted (-warmup, 15 s: the
//     server drops its index from the page cache when it starts, and
//     reads it back from disk during the first seconds). Queries are
//     1–3 syllables drawn from the corpus' own text, half with accents and
//     half without, as benchcorpus.Queries makes them. Every response body
//     is read to the end; the latency is from sending to the last byte.
//     Answers other than 200 are errors, and 503 (the server's answer when
//     its queue of searches is full) is counted apart from the others.
//  4. The server's peak resident set (VmHWM in /proc/PID/status) is read
//     after start and at the end, and the server is stopped with SIGINT.
//
// Everything is bounded: the number of articles, clients and the duration
// (flags, with upper limits), each request (-timeout), the server's start
// (3 minutes) and its stop (10 s, then it is killed). Only loopback is
// used. Linux only, for /proc.
//
// The load generator runs on the same machine as the server and takes CPU
// from it; on a two-core machine the figures are a lower bound of what the
// server alone would do.
package main
