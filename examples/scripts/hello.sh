#!/usr/bin/env bash
# Example job: greets, lists its parameters, leaves an artifact.
set -euo pipefail

echo "Hello from job ${JOB_ID} (script ${SCRIPT_ID}, commit ${SF_COMMIT})"
while [ "$#" -gt 0 ]; do
  printf 'parameter %s = %s\n' "$1" "${2-}"
  shift 2 || shift
done
mkdir -p "${SF_ARTIFACTS_DIR}/logs"
date -u +%FT%TZ > "${SF_ARTIFACTS_DIR}/logs/finished-at.txt"
