#!/usr/bin/env bash
# A long job for `podman stop`: leaves an artifact, starts a daemon that leaves
# the process group (setsid), keeps making orphans that exit (zombies unless
# the agent reaps them as PID 1), and records the SIGTERM it gets.
set -u
echo "started" > "$SF_ARTIFACTS_DIR/started.txt"
trap 'echo "SIGTERM at $(date +%s)" > "$SF_ARTIFACTS_DIR/term.txt"; exit 143' TERM
setsid sleep 1000 </dev/null >/dev/null 2>&1 &
echo "ready"
for _ in $(seq 1 600); do
  ( sleep 0.05 & )          # the subshell exits; its sleep is orphaned, then exits
  sleep 0.2 &
  wait $!
done
