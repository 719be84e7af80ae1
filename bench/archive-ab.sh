#!/usr/bin/env bash
# Two sf-agent binaries (before and after a change) and `tar | zstd`, one after
# the other in each round, so that load on a shared VM falls on all three alike.
# Prints the median time and peak RSS of each. Not a test.
#
#   bench/archive-ab.sh OLD_BINARY NEW_BINARY [TREE_DIR] [THREADS] [ROUNDS]
set -euo pipefail
old=$1; new=$2
tree=${3:-/dev/shm/sf-bench/small}
threads=${4:-2}
rounds=${5:-7}
out=$(mktemp -d "${tree%/*}/sf-ab.XXXXXX")
trap 'rm -rf "$out"' EXIT
for _ in $(seq "$rounds"); do
  for who in old new tar; do
    rm -rf "$out/x"; mkdir -p "$out/x"
    case $who in
      old|new)
        binary=$old; [ "$who" = new ] && binary=$new
        /usr/bin/time -f "$who %e %M" -a -o "$out/times" "$binary" archive "$tree" "$out/x" \
          --compression zstd --level 3 --threads "$threads" >/dev/null ;;
      tar)
        /usr/bin/time -f "tar %e %M" -a -o "$out/times" \
          sh -c "tar -cf - -C '$tree' . | zstd -q -3 -T$threads > '$out/x/a.tar.zst'" ;;
    esac
  done
done
echo "$tree, zstd -3 -T$threads, $rounds rounds, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for who in old new tar; do
  seconds=$(awk -v w="$who" '$1 == w { print $2 }' "$out/times" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  kib=$(awk -v w="$who" '$1 == w { print $3 }' "$out/times" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  printf '%-4s %6s s %5s MiB\n' "$who" "$seconds" "$((kib / 1024))"
done
