#!/usr/bin/env bash
# Ignores SIGTERM: `podman stop` at its default timeout must still end in an
# archived, reported job (the agent SIGKILLs it after run.kill_grace).
set -u
trap '' TERM
echo "before the stop" > "$SF_ARTIFACTS_DIR/before.txt"
echo "ready"
while :; do sleep 0.2; done
