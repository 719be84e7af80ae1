#!/usr/bin/env bash
# Output capture throughput: a job whose script writes SIZE bytes through
# sf-agent (stdout.log plus combined.log, console to /dev/null), once with a
# secret configured (the masker runs) and once without, against the same work
# done by the shell, `cat FILE | tee stdout.log > combined.log`, on the same
# tmpfs (and `cat FILE > file` for context). Run as root (the agent switches
# to run.user).
#
#   bench/capture.sh [SF_AGENT_BINARY] [SIZE_MIB] [WORK_DIR]
#
# Each round runs the commands one after the other (tee, the agent with a
# secret, the agent without, cat): load falls on all alike; the figures are
# medians over ROUNDS (default 3). An agent's time is its capture: from the
# script's start (it prints the time on stderr first) to the last write of
# its logs (their latest mtime), so it includes the output still queued when
# the script exits. The whole `sf-agent run` less that of the same job
# running `true` is shown too: it adds the logs' digests for result.json
# (read back after the run). The last line is for bench/all.sh:
#   ROW capture|<agent s, secret>|<agent s, none>|<tee s>|<agent peak RSS KiB>
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
rounds=${ROUNDS:-3}
case "$(realpath -m "$work")/" in /dev/shm/*) echo "capture.sh: WORK_DIR may not be under /dev/shm (each job has its own)" >&2; exit 64 ;; esac
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
mkdir -p "$work"
mounted=""
if ! mountpoint -q "$work" && [ -z "${3:-}" ]; then
  mount -t tmpfs -o "size=$((6 * size_mib + 512))m" sf-capture "$work" && mounted=1
fi
trap '[ -n "$mounted" ] && umount "$work"' EXIT
rm -rf "${work:?}"/*; mkdir -p "$work/repo" "$work/secrets" "$work/no-secrets"; chmod 755 "$work"
python3 "$(dirname "$0")/make-data.py" "$work/data" $((size_mib << 20)) >/dev/null
cat "$work"/data/text/*.txt > "$work/input.txt"; rm -rf "$work/data"; chmod 644 "$work/input.txt"
printf 'bench-secret-value-0001\n' > "$work/secrets/token"
git -C "$work/repo" init -q -b main
printf 'date +%%s.%%N >&2\ncat %q\n' "$work/input.txt" > "$work/repo/flood.sh"
printf 'true\n' > "$work/repo/noop.sh"
git -C "$work/repo" add -A && git -C "$work/repo" -c user.name=b -c user.email=b@b commit -qm bench
bytes=$(stat -c %s "$work/input.txt")

warm_up() {
  [ "$warm" = 1 ] || return 0
  head -c $((4 * bytes)) /dev/zero > "$work/warm"; rm -f "$work/warm"
}
now() { date +%s.%N; }
# shell COMMAND: wall seconds of `bash -c COMMAND` writing into $work/sh.
shell() {
  rm -rf "$work/sh" "$work/out" "$work/work"; mkdir "$work/sh"; sync; warm_up
  local start end
  start=$(now); bash -c "$1"; end=$(now)
  echo "$end - $start" | bc
  rm -rf "$work/sh"
}
# agent_run SCRIPT SECRETS_DIR: seconds of the capture (flood) and of the whole
# `sf-agent run`, then its peak RSS in KiB.
agent_run() {
  rm -rf "$work/out" "$work/work"; sync; warm_up
  local start end
  start=$(now)
  JOB_ID=bench SCRIPT_ID=$1 /usr/bin/time -f '%M' -o "$work/time" "$agent" run \
    --set repo.url="$work/repo" --set cache.dir="$work/cache" --set work.dir="$work/work" --set output.dir="$work/out" \
    --set 'policy.allowed_scripts=*' --set secrets.dir="$2" \
    --set sandbox.read_paths="/usr,/bin,/sbin,/lib,/lib64,/etc,$work/input.txt" >/dev/null 2>"$work/err" \
    || { cat "$work/err" >&2; exit 1; }
  end=$(now)
  local logs="$work/out/bench" capture=0
  if [ "$1" = flood ]; then
    capture=$(echo "$(stat -c %.9Y "$logs/stdout.log" "$logs/stderr.log" "$logs/combined.log" | sort -n | tail -1) - $(head -1 "$logs/stderr.log")" | bc)
  fi
  echo "$capture $(echo "$end - $start" | bc) $(cat "$work/time")"
}
# The same job with `true` for a script: what the agent spends besides the output.
agent_run noop "$work/secrets" >/dev/null
if [ "$(stat -c %s "$work/out/bench/stdout.log")" != 0 ]; then echo "capture.sh: the no-op job wrote output" >&2; exit 1; fi

tee_s=(); cat_s=(); with_s=(); without_s=(); with_run=(); without_run=(); rss=()
for _ in $(seq "$rounds"); do
  tee_s+=("$(shell "cat '$work/input.txt' | tee '$work/sh/stdout.log' > '$work/sh/combined.log'")")
  read -r _ noop _ < <(agent_run noop "$work/secrets")
  read -r seconds run kib < <(agent_run flood "$work/secrets")
  cmp -s "$work/input.txt" "$work/out/bench/stdout.log" || { echo "capture.sh: stdout.log differs from the input" >&2; exit 1; }
  with_s+=("$seconds"); with_run+=("$(echo "$run - $noop" | bc)"); rss+=("$kib")
  read -r _ noop _ < <(agent_run noop "$work/no-secrets")
  read -r seconds run kib < <(agent_run flood "$work/no-secrets")
  without_s+=("$seconds"); without_run+=("$(echo "$run - $noop" | bc)"); rss+=("$kib")
  cat_s+=("$(shell "cat '$work/input.txt' > '$work/sh/stdout.log'")")
done
median() { python3 -c 'import statistics, sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }
mib=$((bytes / 1048576))
tee_m=$(median "${tee_s[@]}"); cat_m=$(median "${cat_s[@]}")
with_m=$(median "${with_s[@]}"); without_m=$(median "${without_s[@]}"); rss_m=$(median "${rss[@]}")
printf 'input %s MiB of text; %s rounds; warm-up %s; %s; load average %s\n' "$mib" "$rounds" "$warm" \
  "$(date -u +%Y-%m-%dT%H:%MZ)" "$(cut -d' ' -f1-3 /proc/loadavg)"
line() { printf '%-48s %7.2f s %6.0f MiB/s  %s\n' "$1" "$2" "$(echo "$mib / $2" | bc -l)" "$3"; }
line "cat FILE | tee stdout.log > combined.log" "$tee_m" "(the reference)"
line "cat FILE > file" "$cat_m" "(context)"
ratio() { printf 'ratio %.2f (goal 0.80)' "$(echo "$tee_m / $1" | bc -l)"; }
line "sf-agent capture, one secret (masker on)" "$with_m" "$(ratio "$with_m")"
line "sf-agent capture, no secret" "$without_m" "$(ratio "$without_m")"
line "whole sf-agent run less a no-op's, one secret" "$(median "${with_run[@]}")" "(with the logs' digests)"
line "whole sf-agent run less a no-op's, no secret" "$(median "${without_run[@]}")" "(with the logs' digests)"
printf 'agent peak RSS %s MiB (median of both)\n' "$(python3 -c "print(round(float('$rss_m') / 1024))")"
rm -rf "${work:?}"/*
printf 'ROW capture|%.3f|%.3f|%.3f|%.0f\n' "$with_m" "$without_m" "$tee_m" "$rss_m"
