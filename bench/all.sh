#!/usr/bin/env bash
# The comparisons of issue #16 in one run, printed as one ratio table, then
# the capture and archiving benches' own tables. Not a test.
#
#   swift build -c release --static-swift-stdlib --product sf-agent
#   bench/all.sh [SF_AGENT_BINARY] [ROUNDS]        (as root; ROUNDS default 5)
#
# Rows (A and B alternate within each round, so load falls on both alike;
# medians; peak RSS is GNU time's, of the largest process waited for):
#   start          sf-agent version                  vs  /bin/true
#   warm job       a pinned no-op job, cache warm     vs  bash noop.sh
#   cold (git://)  sf-agent fetch into an empty cache vs  git clone --mirror
#   cold (http://) the same through git http-backend behind lighttpd
# The cold rows use bench/make-git-repo.py's repository with 300 topic
# branches and 150 tags besides main (made once under DATA_DIR, default
# /dev/shm/sf-gitbench); the job asks for main. CAPTURE_MIB (default 256) and
# SKIP_SLOW=1 (no capture, archive and big-clone tables) size the rest.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
agent=$(realpath "${1:-.build/release/sf-agent}")
rounds=${2:-5}
data=${DATA_DIR:-/dev/shm/sf-gitbench}
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null LC_ALL=C
[ -x /usr/bin/time ] && command -v lighttpd >/dev/null || { apt-get update -qq && apt-get install -y -qq time lighttpd >/dev/null; }

mkdir -p "$data"
[ -d "$data/topics.git" ] || python3 "$here/make-git-repo.py" "$data/topics.git" 3000 6000 300 >/dev/null
work=$(mktemp -d "$data/all.XXXXXX")
# The warm job's folders: not under /dev/shm, which each job gets privately.
state=$(mktemp -d /var/tmp/sf-bench-all.XXXXXX); chmod 755 "$state"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work" "$state"' EXIT

# One command, timed: prints "seconds KiB".
timed() { /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; cat "$work/time"; }
# Wall time of N runs of a command, per run, in ms (start-up rows: too short for GNU time's 10 ms).
per_run_ms() {
  local n=$1; shift
  python3 - "$n" "$@" <<'EOF'
import subprocess, sys, time
n, command = int(sys.argv[1]), sys.argv[2:]
start = time.perf_counter()
for _ in range(n):
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
print(f"{(time.perf_counter() - start) * 1000 / n:.2f}")
EOF
}
median() { python3 -c 'import statistics, sys; print(statistics.median(float(x) for x in sys.stdin.read().split()))'; }
declare -A samples
add() { samples[$1]+="$2 "; }

# The warm job: a local repository, its commit pinned and checked out once.
repo="$state/noop-repo"
git init -q -b main "$repo"
printf '#!/bin/sh\nexit 0\n' > "$repo/noop.sh"
git -C "$repo" add -A && git -C "$repo" -c user.name=b -c user.email=b@b commit -qm noop
commit=$(git -C "$repo" rev-parse HEAD)
cat > "$work/warm.conf" <<EOF
repo.url = $repo
repo.ref = $commit
cache.dir = $state/warm-cache
work.dir = $state/warm-work
output.dir = $state/warm-out
policy.allowed_scripts = noop
EOF
cat > "$work/warm-job.sh" <<EOF
#!/bin/bash
JOB_ID=j\$RANDOM\$RANDOM\$\$ SCRIPT_ID=noop exec "$agent" run --config "$work/warm.conf"
EOF
chmod +x "$work/warm-job.sh"
"$work/warm-job.sh" >/dev/null 2>"$work/warm.err" || { cat "$work/warm.err" >&2; exit 1; }

# The cold rows' servers: git daemon, and git http-backend as CGI of lighttpd.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return; sleep 0.1; done; echo "nothing listens on $1" >&2; exit 1; }
port=$(free_port)
git daemon --export-all --reuseaddr --base-path="$data" --listen=127.0.0.1 --port="$port" "$data" 2>/dev/null & pids+=($!)
http_port=$(free_port)
mkdir -p "$work/www"
cat > "$work/lighttpd.conf" <<EOF
server.modules = ("mod_alias", "mod_setenv", "mod_cgi")
server.document-root = "$work/www"
server.bind = "127.0.0.1"
server.port = $http_port
server.errorlog = "$work/lighttpd.log"
alias.url = ("/git/" => "/usr/lib/git-core/git-http-backend/")
cgi.assign = ("" => "")
setenv.add-environment = ("GIT_PROJECT_ROOT" => "$data", "GIT_HTTP_EXPORT_ALL" => "1")
EOF
lighttpd -D -f "$work/lighttpd.conf" & pids+=($!)
wait_port "$port"; wait_port "$http_port"
for scheme in git http; do
  case $scheme in git) url="git://127.0.0.1:$port/topics.git" ;; http) url="http://127.0.0.1:$http_port/git/topics.git" ;; esac
  cat > "$work/cold-$scheme.conf" <<EOF
repo.url = $url
repo.ref = main
cache.dir = $work/cold-cache
work.dir = $work/cold-work
output.dir = $work/cold-out
policy.allowed_scripts = x
EOF
done

for round in $(seq "$rounds"); do
  add version "$(per_run_ms 20 "$agent" version)"
  add true "$(per_run_ms 20 /bin/true)"
  add warm "$(per_run_ms 10 "$work/warm-job.sh")"
  add noop "$(per_run_ms 10 bash "$repo/noop.sh")"
  for scheme in git http; do
    url=$(sed -n 's/^repo.url = //p' "$work/cold-$scheme.conf")
    rm -rf "$work/cold-cache"
    read -r seconds kib < <(timed "$agent" fetch --config "$work/cold-$scheme.conf"); add "cold_$scheme" "$seconds"; add "cold_${scheme}_rss" "$kib"
    rm -rf "$work/mirror.git"
    read -r seconds kib < <(timed git clone -q --mirror "$url" "$work/mirror.git"); add "mirror_$scheme" "$seconds"; add "mirror_${scheme}_rss" "$kib"
  done
  rm -rf "$state"/warm-out/* "$state"/warm-work/*
done

m() { echo "${samples[$1]}" | median; }
# The slower benches print tables of their own, each ending with ROW lines
# (bench/capture.sh, bench/archive.sh) for the summary below.
if [ "${SKIP_SLOW:-0}" != 1 ]; then
  "$here/capture.sh" "$agent" "${CAPTURE_MIB:-256}" > "$work/capture.out"
  "$here/archive.sh" "$agent" > "$work/archive.out"
  "$here/big-clone.sh" "$agent" 512 > "$work/big-clone.out"
fi
touch "$work/capture.out" "$work/archive.out" "$work/big-clone.out"

printf '\nsf-agent %s, %s rounds, load average %s, %s\n\n' "$("$agent" version | awk '{print $2}')" "$rounds" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" "$(date -u +%Y-%m-%dT%H:%MZ)"
printf '| row | sf-agent | reference | ratio or difference |\n| --- | --- | --- | --- |\n'
grep -h '^ROW ' "$work/capture.out" "$work/archive.out" > "$work/rows" || true
python3 - "$work/rows" "$(m version)" "$(m true)" "$(m warm)" "$(m noop)" \
  "$(m cold_git)" "$(m mirror_git)" "$(m cold_git_rss)" "$(m mirror_git_rss)" \
  "$(m cold_http)" "$(m mirror_http)" "$(m cold_http_rss)" "$(m mirror_http_rss)" <<'EOF'
import sys
rows = dict(line[4:].strip().split('|', 1) for line in open(sys.argv[1]) if line.startswith('ROW '))
version, true, warm, noop, *cold = map(float, sys.argv[2:])
print(f"| start: `sf-agent version` | {version:.1f} ms | `/bin/true` {true:.1f} ms | +{version - true:.1f} ms |")
print(f"| warm pinned no-op job (whole `sf-agent run`) | {warm:.1f} ms | `bash noop.sh` {noop:.1f} ms | +{warm - noop:.1f} ms of agent time |")
for scheme, (seconds, mirror, rss, mirror_rss) in zip(("git://", "http://"), (cold[0:4], cold[4:8])):
    print(f"| cold job's fetch + checkout of main, {scheme} | {seconds:.2f} s | `git clone --mirror` {mirror:.2f} s | {seconds / mirror:.2f}x |")
    print(f"| its peak RSS, {scheme} | {rss / 1024:.0f} MiB | {mirror_rss / 1024:.0f} MiB | {rss / mirror_rss:.1f}x |")
if 'capture' in rows:
    secret, plain, tee, rss = map(float, rows['capture'].split('|'))
    for name, seconds in (("one secret", secret), ("no secret", plain)):
        print(f"| capture, {name} | {seconds:.2f} s | `cat \\| tee stdout.log > combined.log` {tee:.2f} s | {tee / seconds:.2f}x of its speed |")
    print(f"| capture peak RSS | {rss / 1024:.0f} MiB | | |")
for tree in ("text", "small"):
    if f'archive-{tree}' in rows:
        agent, reference, agent_kib, reference_kib = map(float, rows[f'archive-{tree}'].split('|'))
        print(f"| archive zstd -3, {tree} tree (SHA-256s included) | {agent:.2f} s, {agent_kib / 1024:.0f} MiB | `tar \\| zstd` {reference:.2f} s, {reference_kib / 1024:.0f} MiB | {reference / agent:.2f}x of its speed |")
EOF
for bench in capture archive big-clone; do
  [ -s "$work/$bench.out" ] || continue
  printf '\n## bench/%s.sh\n\n' "$bench"
  grep -v '^ROW ' "$work/$bench.out"
done
