// Package mmapadvice tells the kernel how this process reads the files it
// has mapped into memory. Bleve maps the search index's segment files and
// reads them at random (a query's postings, its hits' stored text); with
// the default advice the kernel reads ahead around every page touched, so
// a server's resident set grew to nearly the index's size on disk within a
// minute of searches (BENCHMARKS.md). Advising random access makes it read
// only the pages used.
package mmapadvice
