// Package fixturetest tests the fixture repositories of testdata/repos (the
// story and the generator), which `go test ./...` would otherwise skip.
package fixturetest
