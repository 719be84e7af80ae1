#!/usr/bin/env bash
# The git source against the git CLI, in one run, on the same repository
# served the same way: over smart HTTP (git http-backend behind lighttpd, on
# 127.0.0.1) and over git:// (git daemon). Not a test: prints a table.
#
#   swift build -c release --static-swift-stdlib --product sf-agent   # as the image ships it
#   bench/git.sh [SF_AGENT_BINARY] [DATA_DIR] [RUNS]
#
# PROTOCOLS (default "http git") picks the transports measured.
#
# Measured (median of RUNS, default 5; wall time and peak RSS of the whole
# process tree from GNU time):
#   cold clone   sf-agent fetch into an empty cache   vs  git clone --mirror
#   new commit   sf-agent fetch of main, one commit on vs  git fetch (mirror)
#   no-op        sf-agent fetch of main, nothing new   vs  git fetch (mirror)
#   warm pinned  sf-agent fetch of a cached pinned commit vs git fetch + git checkout
#   checkout     sf-agent writing the checkout of a cached commit vs git archive | tar -x
# `sf-agent fetch` always ends with a checkout of what it fetched, so the
# clone and new-commit rows include writing the tree (the checkout row says
# how much that is); the reference rows add `git archive | tar -x` to match.
#
# DATA_DIR (default /dev/shm/sf-gitbench, tmpfs) holds the generated
# repository (bench/make-git-repo.py: 6000 commits, ~3300 files, ~24 MiB
# pack; made once, reused) and scratch space. The checkout row is also
# measured on disk (DISK_DIR, default /var/tmp/sf-gitbench-disk).
# Needs git, python3, GNU time and lighttpd (installed with apt-get if missing).
set -euo pipefail
agent=$(realpath "${1:-.build/release/sf-agent}")
data=${2:-/dev/shm/sf-gitbench}
runs=${3:-5}
disk=${DISK_DIR:-/var/tmp/sf-gitbench-disk}
here=$(cd "$(dirname "$0")" && pwd)

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null LC_ALL=C HOME=/nonexistent
command -v lighttpd >/dev/null || { apt-get update -qq && apt-get install -y -qq lighttpd >/dev/null; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

mkdir -p "$data"
[ -d "$data/origin.git" ] || python3 "$here/make-git-repo.py" "$data/origin.git"
work=$(mktemp -d "$data/run.XXXXXX")
mkdir -p "$disk"
disk_work=$(mktemp -d "$disk/run.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work" "$disk_work"
}
trap cleanup EXIT

# The served repository: a copy, so the benchmark may move its main.
serve=$work/serve
mkdir -p "$serve"
git clone -q --bare "$data/origin.git" "$serve/scripts.git"
git -C "$serve/scripts.git" config http.receivepack false
tip=$(git -C "$serve/scripts.git" rev-parse main)
before=$(git -C "$serve/scripts.git" rev-parse main~1)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "nothing listens on $1" >&2; exit 1; }

http_port=$(free_port)
cat > "$work/lighttpd.conf" <<EOF
server.modules = ("mod_alias", "mod_cgi", "mod_setenv")
server.document-root = "$work"
server.bind = "127.0.0.1"
server.port = $http_port
server.errorlog = "$work/lighttpd.err"
server.stream-response-body = 2
server.stream-request-body = 2
alias.url = ("/git" => "/usr/lib/git-core/git-http-backend")
\$HTTP["url"] =~ "^/git" {
  cgi.assign = ("" => "")
  setenv.add-environment = ("GIT_PROJECT_ROOT" => "$serve", "GIT_HTTP_EXPORT_ALL" => "1",
                            "GIT_CONFIG_NOSYSTEM" => "1", "GIT_CONFIG_GLOBAL" => "/dev/null")
}
EOF
lighttpd -D -f "$work/lighttpd.conf" & pids+=($!)
daemon_port=$(free_port)
git daemon --export-all --reuseaddr --base-path="$serve" --listen=127.0.0.1 --port="$daemon_port" "$serve" 2>/dev/null & pids+=($!)
wait_port "$http_port"; wait_port "$daemon_port"
declare -A url=([http]="http://127.0.0.1:$http_port/git/scripts.git" [git]="git://127.0.0.1:$daemon_port/scripts.git")

: > "$work/agent.conf"
# agent CACHE [--set key=value...]: sf-agent fetch of the served repository.
agent() {
  local cache=$1; shift
  SF_CONFIG=$work/agent.conf "$agent" fetch --set "cache.dir=$cache" "$@"
}

# measure NAME PREPARE COMMAND [COUNT]: runs PREPARE (untimed) then COMMAND,
# COUNT (default RUNS) times; prints the median wall time (the shell's
# microsecond clock around GNU time, which gives the peak RSS) and records it as NAME.
declare -A seconds rss
measure() {
  local name=$1 prepare=$2 command=$3 count=${4:-$runs} times=() sizes=()
  for _ in $(seq "$count"); do
    eval "$prepare"
    local start=$EPOCHREALTIME
    /usr/bin/time -f '%M' -o "$work/time" bash -c "$command" >/dev/null 2>"$work/err" \
      || { echo "failed: $command" >&2; cat "$work/err" >&2; exit 1; }
    local end=$EPOCHREALTIME
    times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", b - a }')")
    sizes+=("$(tail -1 "$work/time")")
  done
  local middle=$(((count + 1) / 2))
  seconds[$name]=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "${middle}p")
  rss[$name]=$(printf '%s\n' "${sizes[@]}" | sort -n | sed -n "${middle}p")
  printf '%-58s %8s s %6s MiB\n' "$name" "${seconds[$name]}" "$((rss[$name] / 1024))"
}
short=$((runs * 3))  # quick operations: more runs for a steadier median
ratio() { python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print(f'{a / b:.2f}x' if b > 0 else 'n/a')" "${seconds[$1]}" "${seconds[$2]}"; }

echo "== repository: $(git -C "$serve/scripts.git" rev-list --count main) commits," \
  "$(git -C "$serve/scripts.git" ls-tree -r main | wc -l) files," \
  "$(du -sm "$serve/scripts.git/objects/pack" | cut -f1) MiB pack; $runs runs each; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== $(git --version), $("$agent" version), libgit2 $(dpkg-query -W -f '${Version}' libgit2-1.5 2>/dev/null || echo '?')"

for proto in ${PROTOCOLS:-http git}; do
  u=${url[$proto]}
  echo "== $proto: $u"
  # Cold clone: an empty cache / an empty mirror.
  measure "$proto cold: sf-agent fetch (clone + checkout)" "rm -rf '$work/c'" \
    "SF_CONFIG='$work/agent.conf' '$agent' fetch --set cache.dir='$work/c' --set repo.url='$u' --set repo.ref=main"
  measure "$proto cold: git clone --mirror" "rm -rf '$work/m'" "git clone -q --mirror '$u' '$work/m'"
  measure "$proto cold: git clone --mirror + git archive | tar -x" "rm -rf '$work/m' '$work/t'; mkdir '$work/t'" \
    "git clone -q --mirror '$u' '$work/m' && git -C '$work/m' archive main | tar -x -C '$work/t'"

  # One new commit: caches made while main was one commit behind, restored before each run.
  git -C "$serve/scripts.git" update-ref refs/heads/main "$before"
  rm -rf "$work/c0" "$work/m0"
  agent "$work/c0" --set repo.url="$u" --set repo.ref=main >/dev/null 2>&1
  git clone -q --mirror "$u" "$work/m0"
  git -C "$serve/scripts.git" update-ref refs/heads/main "$tip"
  measure "$proto new commit: sf-agent fetch (fetch + checkout)" "rm -rf '$work/c'; cp -a '$work/c0' '$work/c'" \
    "SF_CONFIG='$work/agent.conf' '$agent' fetch --set cache.dir='$work/c' --set repo.url='$u' --set repo.ref=main"
  measure "$proto new commit: git fetch" "rm -rf '$work/m'; cp -a '$work/m0' '$work/m'" "git -C '$work/m' fetch -q origin"
  measure "$proto new commit: git fetch + git archive | tar -x" "rm -rf '$work/m' '$work/t'; cp -a '$work/m0' '$work/m'; mkdir '$work/t'" \
    "git -C '$work/m' fetch -q origin && git -C '$work/m' archive main | tar -x -C '$work/t'"

  # No-op: everything current.
  measure "$proto no-op: sf-agent fetch of main" ":" \
    "SF_CONFIG='$work/agent.conf' '$agent' fetch --set cache.dir='$work/c' --set repo.url='$u' --set repo.ref=main" "$short"
  measure "$proto no-op: git fetch" ":" "git -C '$work/m' fetch -q origin" "$short"

  # Warm pinned start: the pinned commit's checkout is in the cache / the work tree is at it.
  rm -rf "$work/w"; git clone -q "$u" "$work/w"; git -C "$work/w" checkout -q --detach "$tip"
  measure "$proto warm pinned: sf-agent fetch of a cached commit" ":" \
    "SF_CONFIG='$work/agent.conf' '$agent' fetch --set cache.dir='$work/c' --set repo.url='$u' --set repo.ref=$tip" "$short"
  measure "$proto warm pinned: git fetch + git checkout" ":" \
    "git -C '$work/w' fetch -q origin && git -C '$work/w' checkout -q --detach $tip" "$short"
done

last_url=$u

# Checkout only: the commit is in the cache, its checkout is not; no network.
for place in tmpfs disk; do
  base=$work/checkout-$place; [ "$place" = disk ] && base=$disk_work
  mkdir -p "$base"
  rm -rf "$base/c"; cp -a "$work/c" "$base/c"
  rm -rf "$base/m"; cp -a "$work/m" "$base/m"
  measure "checkout ($place): sf-agent fetch of a cached commit, no checkout" \
    "chmod -R u+w '$base/c/checkouts' 2>/dev/null; rm -rf '$base/c/checkouts'" \
    "SF_CONFIG='$work/agent.conf' '$agent' fetch --set cache.dir='$base/c' --set repo.url='$last_url' --set repo.ref=$tip"
  measure "checkout ($place): git archive | tar -x" "rm -rf '$base/t'; mkdir '$base/t'" \
    "git -C '$base/m' archive $tip | tar -x -C '$base/t'"
  measure "checkout ($place): git archive | tar -x; sync" "rm -rf '$base/t'; mkdir '$base/t'" \
    "git -C '$base/m' archive $tip | tar -x -C '$base/t' && sync -f '$base/t'"
done

echo "== ratios (sf-agent / git; below 1 is faster)"
for proto in ${PROTOCOLS:-http git}; do
  echo "$proto cold clone: $(ratio "$proto cold: sf-agent fetch (clone + checkout)" "$proto cold: git clone --mirror") of git clone --mirror," \
    "$(ratio "$proto cold: sf-agent fetch (clone + checkout)" "$proto cold: git clone --mirror + git archive | tar -x") of clone + archive | tar"
  echo "$proto new commit: $(ratio "$proto new commit: sf-agent fetch (fetch + checkout)" "$proto new commit: git fetch") of git fetch," \
    "$(ratio "$proto new commit: sf-agent fetch (fetch + checkout)" "$proto new commit: git fetch + git archive | tar -x") of fetch + archive | tar"
  echo "$proto no-op: $(ratio "$proto no-op: sf-agent fetch of main" "$proto no-op: git fetch") of git fetch"
  echo "$proto warm pinned: $(ratio "$proto warm pinned: sf-agent fetch of a cached commit" "$proto warm pinned: git fetch + git checkout") of git fetch + checkout"
done
for place in tmpfs disk; do
  echo "checkout ($place): $(ratio "checkout ($place): sf-agent fetch of a cached commit, no checkout" "checkout ($place): git archive | tar -x") of git archive | tar -x," \
    "$(ratio "checkout ($place): sf-agent fetch of a cached commit, no checkout" "checkout ($place): git archive | tar -x; sync") with sync"
done
