#!/usr/bin/env bash
# Times reading a commit range with triage's reader (internal/vcs ReadRange:
# commits, changes with rename detection, numstat and -U0 hunks) against
# `git log -p -U0 --no-renames` on the same range, and prints the best wall
# times side by side with their ratio.
#
# usage: scripts/bench-vs-git.sh [REPO [RANGE]] [-n RUNS]
#   REPO   a repository (default: the generated benchmark history of 5,000
#          commits, repos.GenerateCached, built once and cached under $TMPDIR)
#   RANGE  BASE..HEAD (default: base..main for the generated history; for
#          another REPO, the range is required)
#   -n     runs of each side, the best is kept (default 5)
set -euo pipefail

runs=5
args=()
while [ $# -gt 0 ]; do
	case "$1" in
	-n) runs="$2"; shift 2 ;;
	-h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) args+=("$1"); shift ;;
	esac
done
repo="${args[0]:-}"
range="${args[1]:-}"
if [ -n "$repo" ] && [ -z "$range" ]; then
	echo "bench-vs-git: give the range to read in $repo, e.g. $0 $repo v1.4.0..main" >&2
	exit 2
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "building the benchmark binary..." >&2
(cd "$root" && go test -c -o "$work/vcs.test" ./internal/vcs)

if [ -z "$repo" ]; then
	echo "preparing the generated history (cached after the first run)..." >&2
	out="$(TRIAGE_BENCH_PRINT=1 "$work/vcs.test" -test.run '^TestPrintBenchRepo$')"
	repo="$(echo "$out" | sed -n 's/^BENCH_REPO=//p')"
	range="$(echo "$out" | sed -n 's/^BENCH_RANGE=//p')"
	[ -d "$repo" ] || { echo "bench-vs-git: could not generate the benchmark repository:" >&2; echo "$out" >&2; exit 1; }
fi
repo="$(cd "$repo" && pwd)"

# git runs with no user or system configuration, as in the tests.
export HOME="$work" GIT_CONFIG_NOSYSTEM=1 XDG_CONFIG_HOME="$work"

now() { date +%s%N; }
# ms CMD...: wall milliseconds of one run of CMD
ms() { local t0 t1; t0=$(now); "$@" >/dev/null; t1=$(now); echo $(( (t1 - t0) / 1000000 )); }
reader() {
	TRIAGE_BENCH_REPO="$repo" TRIAGE_BENCH_RANGE="$range" TRIAGE_BENCH_WORKERS="$1" \
		"$work/vcs.test" -test.run '^$' -test.bench '^BenchmarkReadRange$' -test.benchtime 1x
}
best_git="" best_go="" best_go1=""
for i in $(seq "$runs"); do
	g=$(ms git -C "$repo" log -p -U0 --no-renames "$range")
	o=$(ms reader 0)
	o1=$(ms reader 1)
	if [ -z "$best_git" ] || [ "$g" -lt "$best_git" ]; then best_git=$g; fi
	if [ -z "$best_go" ] || [ "$o" -lt "$best_go" ]; then best_go=$o; fi
	if [ -z "$best_go1" ] || [ "$o1" -lt "$best_go1" ]; then best_go1=$o1; fi
done

commits=$(git -C "$repo" rev-list --count "$range")
echo "repository: $repo"
echo "range:      $range ($commits commits), best of $runs runs, $(nproc) CPUs, $(git --version)"
printf '%-52s %7s ms\n' "git log -p -U0 --no-renames" "$best_git"
printf '%-52s %7s ms   ratio %s\n' "triage ReadRange, one worker per CPU" "$best_go" \
	"$(awk -v a="$best_go" -v b="$best_git" 'BEGIN { printf "%.2f", a / b }')"
printf '%-52s %7s ms   ratio %s\n' "triage ReadRange, one worker" "$best_go1" \
	"$(awk -v a="$best_go1" -v b="$best_git" 'BEGIN { printf "%.2f", a / b }')"
