#!/usr/bin/env bash
# Archiving speed and peak memory: `sf-agent archive` (pax tar, zstd, the
# SHA-256 of every file and of the archive) against `tar -cf - . | zstd`
# at the same level and threads, on the same trees. Not a test: prints a
# table and, last, the ROW lines bench/all.sh reads.
#
#   bench/archive.sh [SF_AGENT_BINARY] [DATA_DIR] [THREADS]
#
# Each round runs the agent and the reference one after the other (the
# order swapped every round), so load on a shared machine falls on both
# alike; the figures are medians over the rounds, the ratio is reference
# time / agent time (above 1: the agent is faster). Rows: zstd -3 with
# THREADS (default: the machine's CPUs) and with 1 thread, on both trees.
# Peak RSS is GNU time's: the largest process waited for (the agent or its
# reader child; tar or zstd).
#
# ROUNDS (default 5) sets the rounds; GZIP=1 adds gzip -6 rows. DATA_DIR
# should be on tmpfs (default /dev/shm/sf-bench) so the disk is not what is
# measured; bench/make-data.py fills it (~1.2 GiB) if it is empty. Needs
# python3, GNU tar, zstd, gzip and GNU time (/usr/bin/time).
#
# Last lines, for bench/all.sh (the zstd rows at THREADS):
#   ROW archive-<text|small>|<agent s>|<tar|zstd s>|<agent peak RSS KiB>|<reference peak RSS KiB>
set -euo pipefail
agent=${1:-.build/release/sf-agent}
data=${2:-/dev/shm/sf-bench}
threads=${3:-$(nproc)}
rounds=${ROUNDS:-5}
level_zstd=3
level_gzip=6
out=$(mktemp -d "${data%/*}/sf-bench-out.XXXXXX")
trap 'rm -rf "$out"' EXIT

[ -d "$data/text" ] && [ -d "$data/small" ] || python3 "$(dirname "$0")/make-data.py" "$data"

# once NAME COMMAND...: one timed run; appends "NAME seconds KiB" to $out/times.
once() {
  local name=$1; shift
  rm -rf "$out/x"; mkdir -p "$out/x"
  /usr/bin/time -f "$name %e %M" -a -o "$out/times" "$@" >/dev/null 2>"$out/err" || { cat "$out/err" >&2; exit 1; }
}

# median NAME FIELD: the median of field 2 (seconds) or 3 (KiB) of NAME's runs.
median() {
  awk -v n="$1" -v f="$2" '$1 == n { print $f }' "$out/times" | sort -n |
    awk -v f="$2" '{ a[NR] = $1 } END { m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf (f == 3 ? "%d\n" : "%.2f\n"), m }'
}

# pair KEY LABEL AGENT_COMMAND -- REFERENCE_COMMAND: ROUNDS rounds of both,
# alternating; prints the table row and records "KEY|agent s|ref s|agent KiB|ref KiB".
pair() {
  local key=$1 label=$2; shift 2
  local a=() b=()
  while [ "$1" != -- ]; do a+=("$1"); shift; done
  shift; b=("$@")
  for round in $(seq "$rounds"); do
    if [ $((round % 2)) = 1 ]; then once "$key/a" "${a[@]}"; once "$key/b" "${b[@]}"
    else once "$key/b" "${b[@]}"; once "$key/a" "${a[@]}"; fi
  done
  local agent_s ref_s agent_kib ref_kib
  agent_s=$(median "$key/a" 2); ref_s=$(median "$key/b" 2)
  agent_kib=$(median "$key/a" 3); ref_kib=$(median "$key/b" 3)
  printf '| %s | %s s | %s s | **%s** | %s MiB | %s MiB |\n' "$label" "$agent_s" "$ref_s" \
    "$(awk -v a="$agent_s" -v b="$ref_s" 'BEGIN { printf "%.2f", (a > 0 ? b / a : 0) }')" \
    "$((agent_kib / 1024))" "$((ref_kib / 1024))"
  echo "$key|$agent_s|$ref_s|$agent_kib|$ref_kib" >> "$out/rows"
}

printf 'sf-agent archive against tar | zstd: %s rounds, %s UTC, load average %s, %s CPUs\n\n' \
  "$rounds" "$(date -u +%Y-%m-%dT%H:%M)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(nproc)"
printf '| tree, compression, threads | sf-agent archive | reference | reference / agent | peak RSS agent | peak RSS reference |\n'
printf '| --- | --- | --- | --- | --- | --- |\n'
thread_counts=("$threads"); [ "$threads" = 1 ] || thread_counts+=(1)
for tree in text small; do
  for t in "${thread_counts[@]}"; do
    pair "$tree-zstd-T$t" "$tree, zstd -$level_zstd -T$t" \
      "$agent" archive "$data/$tree" "$out/x" --compression zstd --level $level_zstd --threads "$t" -- \
      sh -c "tar -cf - -C '$data/$tree' . | zstd -q -$level_zstd -T$t > '$out/x/a.tar.zst'"
  done
  if [ "${GZIP:-0}" = 1 ]; then
    pair "$tree-gzip" "$tree, gzip -$level_gzip" \
      "$agent" archive "$data/$tree" "$out/x" --compression gzip --level $level_gzip -- \
      tar -czf "$out/x/a.tar.gz" -C "$data/$tree" .
  fi
done
printf '\nload average after: %s, %s UTC\n' "$(cut -d' ' -f1-3 /proc/loadavg)" "$(date -u +%H:%M)"
for tree in text small; do
  IFS='|' read -r _ agent_s ref_s agent_kib ref_kib < <(grep "^$tree-zstd-T$threads|" "$out/rows")
  echo "ROW archive-$tree|$agent_s|$ref_s|$agent_kib|$ref_kib"
done
