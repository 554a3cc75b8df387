//go:build race

package export_test

// raceDetector says the tests run under the race detector, which makes the
// large export test take minutes; the README's test command runs it
// without, in its first go test.
const raceDetector = true
