#!/usr/bin/env python3
"""Example job: the seed's `repro-deploy-example`, run with --host and --user.

Parameters arrive as argv (`--host server.example.com --user testuser`) and as
JSON in $SF_PARAMETERS_FILE. Anything written to $SF_ARTIFACTS_DIR is archived.
"""
import argparse
import json
import os
import pathlib

parser = argparse.ArgumentParser()
parser.add_argument("--host", required=True)
parser.add_argument("--user", required=True)
parser.add_argument("--dry_run", default="false")
args = parser.parse_args()

print(f"Deploying to {args.host} as {args.user} (dry run: {args.dry_run})")
print(f"Running as uid {os.getuid()} in {os.getcwd()}")

artifacts = pathlib.Path(os.environ["SF_ARTIFACTS_DIR"])
report = {
    "job_id": os.environ["JOB_ID"],
    "commit": os.environ["SF_COMMIT"],
    "host": args.host,
    "user": args.user,
    "parameters": json.loads(pathlib.Path(os.environ["SF_PARAMETERS_FILE"]).read_text()),
}
(artifacts / "deploy-report.json").write_text(json.dumps(report, indent=2) + "\n")
print("Wrote deploy-report.json")
