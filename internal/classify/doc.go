// Package classify finds the tickets each commit names, reads ticket exports
// offline, and gives every commit a class with the rule and evidence that decided it.
package classify
