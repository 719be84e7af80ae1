#!/usr/bin/env bash
# Output capture throughput: a job whose script writes SIZE bytes through
# sf-agent (masking on, both logs plus combined.log, console to /dev/null)
# against `cat FILE > file`. Run as root (the agent switches to run.user).
#
#   bench/capture.sh [SF_AGENT_BINARY] [SIZE_MIB] [WORK_DIR]
set -euo pipefail
agent=$(realpath "${1:-.build/release/sf-agent}")
size_mib=${2:-1024}
work=${3:-/dev/shm/sf-capture}
rm -rf "$work"; mkdir -p "$work/repo" "$work/secrets"; chmod 755 "$work"
python3 "$(dirname "$0")/make-data.py" "$work/data" $((size_mib << 20)) >/dev/null
cat "$work"/data/text/*.txt > "$work/input.txt"; rm -rf "$work/data"; chmod 644 "$work/input.txt"
printf 'bench-secret-value-0001\n' > "$work/secrets/token"
git -C "$work/repo" init -q -b main
printf 'cat %q\n' "$work/input.txt" > "$work/repo/flood.sh"
git -C "$work/repo" add -A && git -C "$work/repo" -c user.name=b -c user.email=b@b commit -qm bench
bytes=$(stat -c %s "$work/input.txt")

median() { sort -n | sed -n 2p; }
cat_times=(); agent_times=(); agent_rss=()
for round in 1 2 3; do
  rm -f "$work/cat.out"; sync
  start=$(date +%s.%N); cat "$work/input.txt" > "$work/cat.out"; end=$(date +%s.%N)
  cat_times+=("$(echo "$end - $start" | bc)")
  rm -rf "$work/out" "$work/cat.out"; sync
  JOB_ID=bench SCRIPT_ID=flood /usr/bin/time -f '%e %M' -o "$work/time" "$agent" run \
    --set repo.url="$work/repo" --set cache.dir="$work/cache" --set work.dir="$work/work" --set output.dir="$work/out" \
    --set 'policy.allowed_scripts=*' --set secrets.dir="$work/secrets" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
  run_ms=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['durations_ms']['run'])" "$work/out/bench/result.json")
  agent_times+=("$(echo "scale=3; $run_ms / 1000" | bc)")
  agent_rss+=("$(cut -d' ' -f2 "$work/time")")
done
cat_s=$(printf '%s\n' "${cat_times[@]}" | median)
agent_s=$(printf '%s\n' "${agent_times[@]}" | median)
rss=$(printf '%s\n' "${agent_rss[@]}" | median)
mib=$((bytes / 1048576))
printf 'input %s MiB of text\n' "$mib"
printf '%-48s %8.2f s %8.0f MiB/s\n' "cat FILE > file" "$cat_s" "$(echo "$mib / $cat_s" | bc -l)"
printf '%-48s %8.2f s %8.0f MiB/s  peak RSS %s MiB\n' "sf-agent run (script: cat FILE), masking on" "$agent_s" "$(echo "$mib / $agent_s" | bc -l)" "$((rss / 1024))"
printf 'ratio sf-agent / cat: %.2f\n' "$(echo "$cat_s / $agent_s" | bc -l)"
rm -rf "$work"
