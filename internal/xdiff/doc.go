// Package xdiff is a Go port of git's xdiff line diff and three-way merge,
// so that hunks, numstat and merge results match the git binary exactly.
package xdiff
