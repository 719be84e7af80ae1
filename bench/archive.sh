#!/usr/bin/env bash
# Archiving throughput and peak memory: sf-agent's archiver (libarchive,
# streamed) against GNU tar piped to zstd / gzip at the same level and
# threads, on the same trees, in one run. Not a test: prints a table.
#
#   bench/archive.sh [SF_AGENT_BINARY] [DATA_DIR] [THREADS]
#
# DATA_DIR should be on tmpfs (default /dev/shm/sf-bench) so the disk is
# not what is measured; it needs ~1.2 GiB. Needs python3, GNU tar, zstd,
# gzip and GNU time (/usr/bin/time).
set -euo pipefail
agent=${1:-.build/release/sf-agent}
data=${2:-/dev/shm/sf-bench}
threads=${3:-$(nproc)}
level_zstd=3
level_gzip=6
out=$(mktemp -d "${data%/*}/sf-bench-out.XXXXXX")
trap 'rm -rf "$out"' EXIT

[ -d "$data/text" ] || python3 "$(dirname "$0")/make-data.py" "$data"

# run NAME COMMAND...: wall seconds and peak RSS (KiB) of COMMAND, median of 3.
run() {
  local name=$1; shift
  local times=() rss=()
  for _ in 1 2 3; do
    rm -rf "$out/x"; mkdir -p "$out/x"; sync
    /usr/bin/time -f '%e %M' -o "$out/time" "$@" >/dev/null 2>"$out/err" || { cat "$out/err" >&2; exit 1; }
    read -r seconds kib < "$out/time"
    times+=("$seconds"); rss+=("$kib")
  done
  local median_time median_rss
  median_time=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
  median_rss=$(printf '%s\n' "${rss[@]}" | sort -n | sed -n 2p)
  printf '%-44s %8s s %8s MiB\n' "$name" "$median_time" "$((median_rss / 1024))"
  echo "$name|$median_time|$median_rss" >> "$out/results"
}

for tree in text small; do
  bytes=$(du -sb "$data/$tree" | cut -f1)
  files=$(find "$data/$tree" -type f | wc -l)
  echo "== $tree: $((bytes / 1048576)) MiB in $files files; zstd -$level_zstd with $threads threads, gzip -$level_gzip"
  run "sf-agent archive zstd -$level_zstd -T$threads" "$agent" archive "$data/$tree" "$out/x" --compression zstd --level $level_zstd --threads "$threads"
  run "tar -cf - | zstd -$level_zstd -T$threads" sh -c "tar -cf - -C '$data/$tree' . | zstd -q -$level_zstd -T$threads > '$out/x/a.tar.zst'"
  run "tar -I 'zstd -$level_zstd -T$threads' (--zstd)" tar -I "zstd -q -$level_zstd -T$threads" -cf "$out/x/a.tar.zst" -C "$data/$tree" .
  run "sf-agent archive zstd -$level_zstd -T1" "$agent" archive "$data/$tree" "$out/x" --compression zstd --level $level_zstd --threads 1
  run "tar -cf - | zstd -$level_zstd -T1" sh -c "tar -cf - -C '$data/$tree' . | zstd -q -$level_zstd -T1 > '$out/x/a.tar.zst'"
  run "sf-agent archive gzip -$level_gzip" "$agent" archive "$data/$tree" "$out/x" --compression gzip --level $level_gzip
  run "tar -czf (gzip -$level_gzip)" tar -czf "$out/x/a.tar.gz" -C "$data/$tree" .
done
