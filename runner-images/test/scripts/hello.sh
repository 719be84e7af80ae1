#!/usr/bin/env bash
# Smallest job: says hello and leaves one artifact.
set -euo pipefail
echo "hello from $(id -u) in ${JOB_ID}"
echo "hello" > "$SF_ARTIFACTS_DIR/hello.txt"
