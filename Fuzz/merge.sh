#!/usr/bin/env bash
# Rebuilds each committed corpus (Fuzz/Corpus/<name>) small: its seeds and
# findings, plus the fewest inputs (libFuzzer -set_cover_merge=1) from the
# corpus and from what runs discovered ($FUZZ_SCRATCH/corpus/<name>) that
# reach every edge and comparison they reach (-use_counters=0: hit counts do
# not count, which keeps each corpus to a few hundred files).
#
# usage: Fuzz/merge.sh [HARNESS...]
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${FUZZ_SCRATCH:-.build-fuzz}"
export SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:malloc_context_size=2}"
source Fuzz/harnesses.sh
harness_names "$@"
for name in "${HARNESSES[@]}"; do
  lower="$(echo "$name" | tr '[:upper:]' '[:lower:]')"
  corpus="Fuzz/Corpus/$lower" merged="$scratch/merge/$lower"
  options=()
  [ -f "Fuzz/Harnesses/$name/options" ] && read -r -a options < "Fuzz/Harnesses/$name/options"
  rm -rf "$merged" && mkdir -p "$merged" "$scratch/corpus/$lower" "$scratch/logs"
  find "$corpus" -maxdepth 1 \( -name 'seed-*' -o -name 'finding-*' \) -exec cp {} "$merged/" \;
  before=$(ls "$corpus" | wc -l)
  "$scratch/harnesses/$lower" "${options[@]}" -use_counters=0 -set_cover_merge=1 "$merged" "$corpus" "$scratch/corpus/$lower" \
    >"$scratch/logs/$lower.merge.log" 2>&1
  rm -f "$corpus"/* && cp "$merged"/* "$corpus/"
  echo "fuzz: $lower corpus $before -> $(ls "$corpus" | wc -l) files"
done
