// Package vcs reads a commit range from a git repository (commits, file
// changes, hunks) and writes the objects and refs that apply needs, all with go-git.
package vcs
