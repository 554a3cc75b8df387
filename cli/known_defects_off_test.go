//go:build !knowndefects

package cli

// knownDefects says whether the tests of known defects run (-tags
// knowndefects): each is skipped otherwise, saying why.
const knownDefects = false
