//go:build race

package index

// raceDetector says the tests run under the race detector (script/test's
// second part), where code runs 5–10 times slower; see skipAtScaleUnderRace.
const raceDetector = true
