// Package apply replays a plan's picks onto a commit in memory, as
// `git cherry-pick -x` (merge-ort) would, and writes the branch atomically.
package apply
