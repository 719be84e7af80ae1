#!/usr/bin/env bash
# Adds to each committed corpus (Fuzz/Corpus/<name>) the inputs a run
# discovered ($FUZZ_SCRATCH/corpus/<name>) that reach coverage the corpus
# does not (libFuzzer -merge=1); seeds and findings already there stay.
#
# usage: Fuzz/merge.sh [HARNESS...]
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${FUZZ_SCRATCH:-.build-fuzz}"
export SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
source Fuzz/harnesses.sh
harness_names "$@"
names=("${HARNESSES[@]}")
for name in "${names[@]}"; do
  lower="$(echo "$name" | tr '[:upper:]' '[:lower:]')"
  [ -d "$scratch/corpus/$lower" ] || continue
  options=()
  [ -f "Fuzz/Harnesses/$name/options" ] && read -r -a options < "Fuzz/Harnesses/$name/options"
  before=$(ls "Fuzz/Corpus/$lower" | wc -l)
  "$scratch/harnesses/$lower" "${options[@]}" -merge=1 "Fuzz/Corpus/$lower" "$scratch/corpus/$lower" >"$scratch/logs/$lower.merge.log" 2>&1
  echo "fuzz: $lower corpus $before -> $(ls "Fuzz/Corpus/$lower" | wc -l) files"
done
