#!/usr/bin/env python3
"""For the specialised images: the tools a script expects, found on the
agent's run.path and importable by the python3 that runs it."""
import importlib
import json
import os
import shutil
import subprocess
import sys

wanted = [name for name in sys.argv[1:] if not name.startswith("--")]
report = {}
for name in wanted:
    if name.startswith("cmd:"):
        program = name[4:]
        path = shutil.which(program)
        version = None
        if path:
            done = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=120)
            version = (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else None
        report[name] = version
    else:
        try:
            module = importlib.import_module(name)
            report[name] = getattr(module, "__version__", "present")
        except ImportError as error:
            report[name] = None
with open(os.path.join(os.environ["SF_ARTIFACTS_DIR"], "tools.json"), "w") as out:
    json.dump(report, out, indent=2, sort_keys=True)
print(json.dumps(report, sort_keys=True))
sys.exit(0 if all(report.values()) else 1)
