// Package deps builds the dependency graph of a commit range: which commit
// needs which, by line ownership, files, renames, reverts and symbols, each edge with its evidence.
package deps
