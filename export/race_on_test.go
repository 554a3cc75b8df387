//go:build race

package export_test

// raceDetector says the tests run under the race detector, which makes the
// large export test take minutes; script/test's first part runs it without.
const raceDetector = true
