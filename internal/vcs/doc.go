// Package vcs reads a commit range as git shows it (rev-list --topo-order, diff -M, numstat, -U0 hunks), fast,
// without the git binary: go-git for refs, loose objects and indexes, packs mapped and decoded here.
package vcs
