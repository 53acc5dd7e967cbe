// Package plan turns a selection (--keep, --drop) and the dependency graph
// into a decision for every commit (keep, pull, drop, present), the ordered picks and the reasons.
package plan
