#!/usr/bin/env bash
# A cold fetch + checkout of a repository whose pack is about 250 MB, inside a
# 512 MiB memory limit (a memory cgroup of its own, v2 or v1), against
# `git clone --mirror` under the same limit. Not a test: prints whether each
# finished, its time, the largest process's peak RSS (GNU time) and the
# cgroup's peak usage (which counts the page cache of what it wrote, so it
# reaches the limit whenever the files written outgrow it: that is reclaimed,
# not a failure).
#
#   bench/big-clone.sh [SF_AGENT_BINARY] [LIMIT_MIB]        (as root)
#
# The repository: bench/make-git-repo.py's history (3000 files, 6000 commits)
# plus one commit of 220 files of 1 MiB of random bytes (made once under
# DATA_DIR, default /var/tmp/sf-bigbench). The cache and the checkout are on
# disk (/var/tmp): on a tmpfs every page would be charged and unreclaimable.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
agent=$(realpath "${1:-.build/release/sf-agent}")
limit_mib=${2:-512}
data=${DATA_DIR:-/var/tmp/sf-bigbench}
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null LC_ALL=C

mkdir -p "$data"
if [ ! -d "$data/big.git" ]; then
  python3 "$here/make-git-repo.py" "$data/big.tmp.git" >/dev/null
  python3 - "$data/big.tmp.git" <<'PY'
import os, random, subprocess, sys
root = sys.argv[1]
rng = random.Random(11)
importer = subprocess.Popen(['git', '-C', root, 'fast-import', '--quiet'], stdin=subprocess.PIPE)
out = importer.stdin
out.write(b'commit refs/heads/main\ncommitter Bench <bench@example.invalid> 1800000000 +0000\ndata 6\nblobs\nfrom refs/heads/main^0\n')
for index in range(220):
    data = rng.randbytes(1 << 20)
    out.write(b'M 100644 inline assets/blob%03d.bin\ndata %d\n' % (index, len(data)) + data + b'\n')
out.write(b'\n')
out.close()
sys.exit(importer.wait())
PY
  git -C "$data/big.tmp.git" repack -adq
  mv "$data/big.tmp.git" "$data/big.git"
fi
pack_mib=$(( $(du -sb "$data/big.git/objects/pack" | cut -f1) >> 20 ))

work=$(mktemp -d /var/tmp/sf-bigclone.XXXXXX)
pids=()
group=""
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  [ -n "$group" ] && rmdir "$group" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
git daemon --export-all --reuseaddr --base-path="$data" --listen=127.0.0.1 --port="$port" "$data" 2>/dev/null & pids+=($!)
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

# A memory cgroup of our own: usage and peak read back after each command.
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  group=/sys/fs/cgroup/sf-bigclone-$$
  mkdir "$group"; echo "${limit_mib}M" > "$group/memory.max"; echo 0 > "$group/memory.swap.max" 2>/dev/null || true
  peak_file=memory.peak; reset() { :; }
else
  group=/sys/fs/cgroup/memory/sf-bigclone-$$
  mkdir "$group"; echo "${limit_mib}M" > "$group/memory.limit_in_bytes"
  [ -f "$group/memory.memsw.limit_in_bytes" ] && echo "${limit_mib}M" > "$group/memory.memsw.limit_in_bytes"
  peak_file=memory.max_usage_in_bytes; reset() { echo 0 > "$group/memory.max_usage_in_bytes"; }
fi
# limited NAME COMMAND...: runs COMMAND inside the cgroup; prints a table row.
limited() {
  local name=$1; shift
  sync; echo 3 > /proc/sys/vm/drop_caches; reset
  local start end status=0
  start=$(date +%s.%N)
  sh -c 'echo $$ > "$0/cgroup.procs"; exec "$@"' "$group" /usr/bin/time -f %M -o "$work/rss" "$@" >"$work/out" 2>&1 || status=$?
  end=$(date +%s.%N)
  local peak=$(( $(cat "$group/$peak_file") >> 20 )) rss=$(( $(tail -1 "$work/rss" 2>/dev/null || echo 0) >> 10 ))
  local verdict="finished"; [ "$status" = 0 ] || verdict="FAILED (exit $status: $(tail -c 300 "$work/out" | tr '\n' ' '))"
  printf '| %s | %s | %.2f s | %s MiB | %s MiB |\n' "$name" "$verdict" "$(echo "$end - $start" | bc)" "$rss" "$peak"
}

printf 'pack %s MiB, limit %s MiB, %s, load average %s\n\n' "$pack_mib" "$limit_mib" "$(date -u +%Y-%m-%dT%H:%MZ)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '| command | outcome | time | peak RSS | cgroup peak |\n| --- | --- | --- | --- | --- |\n'
limited "sf-agent fetch (fetch + checkout of main)" "$agent" fetch --set "repo.url=git://127.0.0.1:$port/big.git" --set repo.ref=main \
  --set "cache.dir=$work/cache" --set "work.dir=$work/work" --set "output.dir=$work/out-dir" --set policy.allowed_scripts=x
limited "git clone --mirror" git clone -q --mirror "git://127.0.0.1:$port/big.git" "$work/mirror.git"
limited "git clone (with checkout)" git clone -q "git://127.0.0.1:$port/big.git" "$work/clone"
