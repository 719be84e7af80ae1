#!/usr/bin/env bash
# make demo: turn examples/scripts into a local git repository and run one real
# job through `sf-agent run` against it, as the non-root user `runner`.
set -euo pipefail
cd "$(dirname "$0")/.."
agent="${SF_AGENT_BINARY:-.build/debug/sf-agent}"
# The run user must be able to reach the cache and work folders, wherever
# this clone lives (a clone under /root is not traversable by `runner`).
demo="${SF_DEMO_DIR:-/var/tmp/sf-agent-demo}"

rm -rf "$demo/scripts" "$demo/work"
mkdir -p "$demo"
chmod 0755 "$demo"
cp -r examples/scripts "$demo/scripts"
git -C "$demo/scripts" init -q -b main
git -C "$demo/scripts" add -A
git -C "$demo/scripts" -c user.name=demo -c user.email=demo@example.invalid commit -q -m "Example scripts"
commit=$(git -C "$demo/scripts" rev-parse HEAD)

job="demo-$(date +%Y%m%d-%H%M%S)"
echo "== sf-agent run: job $job, script repro-deploy-example at $commit"
status=0
JOB_ID="$job" SCRIPT_ID=repro-deploy-example \
PARAMETERS='{"host": "server.example.com", "user": "testuser", "dry_run": true}' \
  "$agent" run \
    --set repo.url="$demo/scripts" --set repo.ref="$commit" \
    --set cache.dir="$demo/cache" --set work.dir="$demo/work" --set output.dir="$demo/output" \
    --set policy.allowed_scripts='repro-*,hello,deploy/*' --set run.user=runner || status=$?

echo
echo "== $demo/output/$job/result.json"
cat "$demo/output/$job/result.json"
echo
echo "== artifacts ($demo/output/$job/artifacts.tar.gz)"
tar -tzvf "$demo/output/$job/artifacts.tar.gz"
exit "$status"
