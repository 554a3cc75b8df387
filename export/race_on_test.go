//go:build race

package export_test

// raceDetector says the tests run under the race detector, which makes the
// large export test take minutes; .ci/run runs that one without it.
const raceDetector = true
