#!/usr/bin/env bash
# A Docker engine of the container test's own: its data root, exec root,
# socket and pid file in one folder, no iptables, no IP forwarding and no
# bridge (nothing of the host's network is changed; the jobs run with
# `--network none` anyway). No registry is reachable: images are loaded.
#
#   runner-images/test/dockerd.sh start DIR   # prints the DOCKER_HOST to use
#   runner-images/test/dockerd.sh stop DIR    # stops it and removes DIR
set -euo pipefail
command="${1:-}"
dir="${2:-}"
[ -n "$command" ] && [ -n "$dir" ] || { sed -n '2,9p' "$0" >&2; exit 64; }
socket="$dir/docker.sock"

case "$command" in
  start)
    mkdir -p "$dir"
    dockerd --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/docker.pid" \
      --host "unix://$socket" --iptables=false --ip-forward=false --bridge=none \
      >"$dir/dockerd.log" 2>&1 &
    for _ in $(seq 1 300); do
      if DOCKER_HOST="unix://$socket" docker version >/dev/null 2>&1; then
        echo "unix://$socket"
        exit 0
      fi
      kill -0 $! 2>/dev/null || break
      sleep 0.1
    done
    echo "dockerd.sh: dockerd did not start; the end of $dir/dockerd.log:" >&2
    tail -n 20 "$dir/dockerd.log" >&2
    exit 1
    ;;
  stop)
    if [ -f "$dir/docker.pid" ]; then
      pid="$(cat "$dir/docker.pid")"
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    # Whatever the engine left mounted under DIR (overlays, its netns files).
    findmnt -rn -o TARGET | grep -F "$dir/" | sort -r | while read -r target; do umount -l "$target" || true; done
    rm -rf "$dir"
    ;;
  *) echo "dockerd.sh: unknown command $command (start or stop)" >&2; exit 64 ;;
esac
