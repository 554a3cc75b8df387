//go:build !knowndefects

package extract

// knownDefects says whether the tests of known defects run (-tags
// knowndefects): see cmsKnownDefects.
const knownDefects = false
