//go:build race

package index

// raceDetector says the tests run under the race detector (the README's
// test command's second go test), where code runs 5–10 times slower; see
// skipAtScaleUnderRace.
const raceDetector = true
