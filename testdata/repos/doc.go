// Package repos builds the fixture repositories of the tests and the demo by
// code, with fixed people and dates, so that every SHA is stable across runs.
package repos
