#!/usr/bin/env bash
# Runs built fuzz harnesses (Fuzz/build.sh) on their committed corpus.
#
# usage: Fuzz/run.sh [--seconds N] [--runs N] [--jobs N] [HARNESS...]   (default: every harness)
#   --seconds N  stop each harness after N seconds (default $FUZZ_SECONDS, else 60)
#   --runs N     stop each harness after N executions as well
#   --jobs N     harnesses run at once (default 1)
#
# Each harness starts from Fuzz/Corpus/<name> (read, never written) and
# keeps what it discovers in $FUZZ_SCRATCH/corpus/<name>. A crash or a
# violated property stops that harness, leaves the input in
# $FUZZ_SCRATCH/findings/<name>/ and makes this script exit 1. Per-harness
# libFuzzer options (such as -max_len) are in Fuzz/Harnesses/<Name>/options.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch="${FUZZ_SCRATCH:-.build-fuzz}"
seconds="${FUZZ_SECONDS:-60}"
runs=""
jobs=1
names=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    -*) echo "fuzz: unknown option $1" >&2; exit 64 ;;
    *) names+=("$1"); shift ;;
  esac
done
source Fuzz/harnesses.sh
harness_names "${names[@]}"
names=("${HARNESSES[@]}")

# A violated property traps: no Swift backtrace (slow), libFuzzer reports it.
export SWIFT_BACKTRACE=enable=no
# Short allocation stacks: unwinding on every malloc was a tenth of the time.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1:malloc_context_size=2}"

run_one() {
  local name="$1" lower
  lower="$(echo "$name" | tr '[:upper:]' '[:lower:]')"
  local binary="$scratch/harnesses/$lower" work="$scratch/corpus/$lower" findings="$scratch/findings/$lower/"
  local log="$scratch/logs/$lower.log" options=()
  [ -x "$binary" ] || { echo "fuzz: $binary is not built (Fuzz/build.sh)" >&2; return 1; }
  mkdir -p "$work" "$findings" "$scratch/logs"
  [ -f "Fuzz/Harnesses/$name/options" ] && read -r -a options < "Fuzz/Harnesses/$name/options"
  local limits=(-max_total_time="$seconds")
  [ -n "$runs" ] && limits+=(-runs="$runs")
  local started=$SECONDS status=0
  "$binary" "${options[@]}" "${limits[@]}" -print_final_stats=1 -artifact_prefix="$findings" \
    "$work" "Fuzz/Corpus/$lower" >"$log" 2>&1 || status=$?
  local executions speed
  executions="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
  speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")"
  if [ "$status" -ne 0 ]; then
    echo "fuzz: $lower FAILED after $((SECONDS - started)) s (exit $status); input in $findings, log $log"
    grep -E "PROPERTY VIOLATED|expected:|found:|ERROR: (AddressSanitizer|libFuzzer)|Fatal error" "$log" | head -8 | sed 's/^/  /'
    return 1
  fi
  echo "fuzz: $lower ok: ${executions:-?} executions in $((SECONDS - started)) s (${speed:-?}/s), corpus $(ls "$work" | wc -l) + $(ls "Fuzz/Corpus/$lower" 2>/dev/null | wc -l) seeds"
}

failed=0
pids=()
for name in "${names[@]}"; do
  run_one "$name" &
  pids+=($!)
  if [ "${#pids[@]}" -ge "$jobs" ]; then
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
exit "$failed"
