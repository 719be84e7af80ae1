#!/usr/bin/env bash
# Output capture throughput: a job whose script writes SIZE bytes through
# sf-agent (stdout.log plus combined.log, console to /dev/null), once with a
# secret configured (the masker runs) and once without, against
# `cat FILE > file`. Run as root (the agent switches to run.user).
#
#   bench/capture.sh [SF_AGENT_BINARY] [SIZE_MIB] [WORK_DIR]
#
# WARM=1 writes and deletes 4 x SIZE on WORK_DIR's file system before each
# timed command, so that every command writes into pages the VM has touched
# before: on a VM a tmpfs write into fresh memory pays the hypervisor's
# first-touch faults, which move `cat`'s figure by 3-6x from run to run.
set -euo pipefail
agent=$(realpath "${1:-.build/release/sf-agent}")
size_mib=${2:-1024}
# A tmpfs of its own (mounted here unless WORK_DIR is one): not under /dev/shm,
# which every job gets privately (the script would not see its input there).
work=${3:-/var/tmp/sf-capture}
warm=${WARM:-0}
case "$(realpath -m "$work")/" in /dev/shm/*) echo "capture.sh: WORK_DIR may not be under /dev/shm (each job has its own)" >&2; exit 64 ;; esac
mkdir -p "$work"
mounted=""
if ! mountpoint -q "$work" && [ -z "${3:-}" ]; then
  mount -t tmpfs -o "size=$((3 * size_mib + 512))m" sf-capture "$work" && mounted=1
fi
trap '[ -n "$mounted" ] && umount "$work"' EXIT
rm -rf "${work:?}"/*; mkdir -p "$work/repo" "$work/secrets" "$work/no-secrets"; chmod 755 "$work"
python3 "$(dirname "$0")/make-data.py" "$work/data" $((size_mib << 20)) >/dev/null
cat "$work"/data/text/*.txt > "$work/input.txt"; rm -rf "$work/data"; chmod 644 "$work/input.txt"
printf 'bench-secret-value-0001\n' > "$work/secrets/token"
git -C "$work/repo" init -q -b main
printf 'cat %q\n' "$work/input.txt" > "$work/repo/flood.sh"
git -C "$work/repo" add -A && git -C "$work/repo" -c user.name=b -c user.email=b@b commit -qm bench
bytes=$(stat -c %s "$work/input.txt")

warm_up() {
  [ "$warm" = 1 ] || return 0
  head -c $((4 * bytes)) /dev/zero > "$work/warm"; rm -f "$work/warm"
}
median() { sort -n | sed -n 2p; }
# agent_run SECRETS_DIR: seconds of durations_ms.run, then peak RSS in KiB.
agent_run() {
  rm -rf "$work/out" "$work/work"; sync; warm_up
  JOB_ID=bench SCRIPT_ID=flood /usr/bin/time -f '%e %M' -o "$work/time" "$agent" run \
    --set repo.url="$work/repo" --set cache.dir="$work/cache" --set work.dir="$work/work" --set output.dir="$work/out" \
    --set 'policy.allowed_scripts=*' --set secrets.dir="$1" \
    --set sandbox.read_paths="/usr,/bin,/sbin,/lib,/lib64,/etc,$work/input.txt" >/dev/null 2>"$work/err" \
    || { cat "$work/err"; exit 1; }
  run_ms=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['durations_ms']['run'])" "$work/out/bench/result.json")
  echo "$(echo "scale=3; $run_ms / 1000" | bc) $(cut -d' ' -f2 "$work/time")"
}

cat_times=(); with_times=(); with_rss=(); without_times=(); without_rss=()
for round in 1 2 3; do
  rm -rf "$work/out" "$work/cat.out"; sync; warm_up
  start=$(date +%s.%N); cat "$work/input.txt" > "$work/cat.out"; end=$(date +%s.%N)
  cat_times+=("$(echo "$end - $start" | bc)")
  rm -f "$work/cat.out"
  read -r seconds kib < <(agent_run "$work/secrets"); with_times+=("$seconds"); with_rss+=("$kib")
  read -r seconds kib < <(agent_run "$work/no-secrets"); without_times+=("$seconds"); without_rss+=("$kib")
done
mib=$((bytes / 1048576))
cat_s=$(printf '%s\n' "${cat_times[@]}" | median)
printf 'input %s MiB of text; warm-up %s; load average %s\n' "$mib" "$warm" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-44s %8.2f s %6.0f MiB/s\n' "cat FILE > file" "$cat_s" "$(echo "$mib / $cat_s" | bc -l)"
report() {
  local name=$1 seconds kib
  seconds=$(printf '%s\n' "${@:2:3}" | median); kib=$(printf '%s\n' "${@:5:3}" | median)
  printf '%-44s %8.2f s %6.0f MiB/s  ratio %.2f  peak RSS %s MiB\n' "$name" "$seconds" \
    "$(echo "$mib / $seconds" | bc -l)" "$(echo "$cat_s / $seconds" | bc -l)" "$((kib / 1024))"
}
report "sf-agent run, one secret (masker on)" "${with_times[@]}" "${with_rss[@]}"
report "sf-agent run, no secret" "${without_times[@]}" "${without_rss[@]}"
rm -rf "${work:?}"/*
