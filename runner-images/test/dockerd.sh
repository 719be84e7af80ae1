#!/usr/bin/env bash
# A Docker engine of the container test's own: its data root, exec root,
# socket and pid file in one folder, no iptables, no IP forwarding and no
# bridge (nothing of the host's network is changed; the jobs run with
# `--network none` anyway), and containerd namespaces of its own (dockerd
# uses a system containerd when /run/containerd/containerd.sock exists).
# No registry is reachable: images are loaded. `stop` also removes the
# folders of earlier runs whose engine is gone (a run killed before its
# own stop).
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
    namespace="sf-ct-$(basename "$dir" | tr -c 'A-Za-z0-9\n' '-')"
    dockerd --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/docker.pid" \
      --host "unix://$socket" --iptables=false --ip-forward=false --bridge=none \
      --containerd-namespace "$namespace" --containerd-plugins-namespace "$namespace-plugins" \
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
    stop_engine() {
      local folder="$1" pid
      for file in "$folder/docker.pid" "$folder/exec/containerd/containerd.pid"; do
        [ -f "$file" ] || continue
        pid="$(cat "$file")"
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
      done
      # Whatever the engine left mounted under the folder (overlays, netns files).
      { findmnt -rn -o TARGET | grep -F "$folder/" || true; } | sort -r |
        while read -r target; do umount -l "$target" || true; done
      rm -rf "$folder"
    }
    stop_engine "$dir"
    # Earlier runs' folders (same parent and prefix, over an hour old: not a
    # concurrent run's that is still starting) whose engine is gone.
    prefix="$(basename "${dir%.*}")"
    find "$(dirname "$dir")" -maxdepth 1 -type d -name "$prefix.*" -mmin +60 2>/dev/null |
      while read -r old; do
        pid="$(cat "$old/docker.pid" 2>/dev/null || true)"
        if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then stop_engine "$old"; fi
      done
    ;;
  *) echo "dockerd.sh: unknown command $command (start or stop)" >&2; exit 64 ;;
esac
