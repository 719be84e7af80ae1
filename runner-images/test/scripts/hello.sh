#!/usr/bin/env bash
# Smallest job: says hello, leaves one artifact; `--sleep N` keeps it running N seconds.
set -euo pipefail
seconds=0
while [ $# -gt 0 ]; do
  case "$1" in
    --sleep) seconds="$2"; shift 2 ;;
    *) shift ;;
  esac
done
echo "hello from $(id -u) in ${JOB_ID}"
echo "hello" > "$SF_ARTIFACTS_DIR/hello.txt"
sleep "$seconds"
