// Package risk scores the regression risk of every commit of a range from the repository's own history,
// and of a pruned branch from its plan (untested file states, split logic, likely build breaks, retest scope).
package risk
