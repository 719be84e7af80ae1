#!/usr/bin/env python3
"""Runs the documentation's container commands exactly as written.

    python3 runner-images/test/doc_test.py --image IMAGE [--check-jsonschema PATH]

Every fenced shell block of the documents below that runs docker, podman,
docker-compose or podman-compose carries a marker on the line before its
fence, and a block without one fails the test (so a new command cannot
escape it):

    <!-- doc-test: run [placeholders: TOKEN...] -->
        run with `bash -eo pipefail`, each TOKEN replaced by what the test
        made for it (PLACEHOLDERS below), nothing else changed; it must exit
        0, every result.json it leaves must say succeeded, and a non-root
        host user must read every file of those jobs' folders
    <!-- doc-test: file PATH [placeholders: TOKEN...] -->
        not a command: the contents of PATH (a placeholder itself) that the
        later blocks of the document use, such as agent.conf
    <!-- doc-test: skip REASON -->
        not run; reported as SKIP with the reason

Each document runs in a folder of its own that stands for the repository
(deploy/compose.yaml copied, runner-images/ linked), with the runner image
tagged as the docs name it (setup-factory/runner:<version> and :latest) in
the test's own Docker engine (DOCKER_HOST). docker-compose
(1.29, Debian 12) runs the compose blocks; deploy/compose.yaml is also
checked against the Compose Specification's schema (check-jsonschema's
vendored copy) and its limits read back from a real container.

Needs root, Docker (DOCKER_HOST), podman (SF_DOC_TEST_PODMAN_IMAGE: the same
image in its storage), docker-compose, docker-registry
(Debian's, for the push block: a registry on 127.0.0.1 stands for
registry.example.com) and setpriv.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
DOCUMENTS = ["README.md", "docs/operations.md", "runner-images/README.md"]
HOST_UID = 20001  # a host user, not root, who reads the results (as container_test.py)
REGISTRY = "127.0.0.1:5000"  # main() picks a free port (Docker trusts 127.0.0.0/8 over plain HTTP)

ENGINE_COMMAND = re.compile(r"(?:^|[\s;&|(])(docker|podman|docker-compose|podman-compose)(?:\s|$)")
MARKER = re.compile(r"<!--\s*doc-test:\s*(run|file|skip)\b\s*(.*?)\s*-->")

results = {"PASS": 0, "FAIL": 0, "SKIP": 0}


def report(outcome, name, detail=""):
    results[outcome] += 1
    print(f"{outcome} docs {name}" + (f": {detail}" if detail else ""), flush=True)


def check(name, condition, detail=""):
    report("PASS" if condition else "FAIL", name, "" if condition else detail)
    return condition


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=kwargs.pop("timeout", 300), **kwargs)


# ------------------------------------------------------------ the blocks ----

class Block:
    def __init__(self, document, line, language, text, marker):
        self.document, self.line, self.language, self.text, self.marker = document, line, language, text, marker

    @property
    def where(self):
        return f"{self.document}:{self.line}"

    def runs_an_engine(self):
        if self.language not in ("sh", "bash", "shell", "console", ""):
            return False
        logical = re.sub(r"\\\n", " ", self.text)
        return any(ENGINE_COMMAND.search(line.split("#", 1)[0]) for line in logical.splitlines())


def blocks(document):
    """The fenced blocks of a Markdown document, with the marker before each."""
    lines = open(os.path.join(REPO_ROOT, document)).read().splitlines()
    found, index = [], 0
    while index < len(lines):
        fence = re.match(r"^(\s*)```(\w*)\s*$", lines[index])
        if not fence:
            index += 1
            continue
        start, body = index, []
        index += 1
        while index < len(lines) and lines[index].strip() != "```":
            body.append(lines[index][len(fence.group(1)):])
            index += 1
        previous = next((lines[i] for i in range(start - 1, -1, -1) if lines[i].strip()), "")
        marker = MARKER.search(previous)
        found.append(Block(document, start + 1, fence.group(2), "\n".join(body) + "\n", marker))
        index += 1
    return found


def placeholder_tokens(argument):
    match = re.search(r"placeholders:\s*(.*)$", argument)
    return match.group(1).split() if match else []


def substitute(text, tokens, values):
    """Replaces each token, longest first, where it stands alone (not inside a
    longer word: 1000 is not replaced inside 10001)."""
    for token in sorted(tokens, key=len, reverse=True):
        # A path not after ':' either: in `-v HOST:CONTAINER` only the host's side is a placeholder.
        before = r"(?<![\w.:])" if token.startswith("/") else r"(?<![\w.])"
        pattern = before + re.escape(token) + r"(?![\w])"
        text = re.sub(pattern, lambda _: values[token], text)
    return text


# ------------------------------------------------------------- the world ----

class World:
    """What a document's blocks run against: the placeholders' values."""

    def __init__(self, root, document, version, commit, scripts):
        self.folder = os.path.join(root, re.sub(r"\W", "-", document))
        os.makedirs(os.path.join(self.folder, "deploy", "secrets"))
        os.symlink(os.path.join(REPO_ROOT, "runner-images"), os.path.join(self.folder, "runner-images"))
        shutil.copy(os.path.join(REPO_ROOT, "deploy", "compose.yaml"), os.path.join(self.folder, "deploy"))
        # What deploy/compose.yaml expects beside it (its header comment).
        shutil.copytree(scripts, os.path.join(self.folder, "deploy", "scripts"), symlinks=True)
        with open(os.path.join(self.folder, "deploy", "agent.conf"), "w") as handle:
            handle.write(f"repo.url = /scripts\nrepo.ref = {commit}\npolicy.allowed_scripts = repro-*\n"
                         "secrets.dir = /run/secrets\n")
        with open(os.path.join(self.folder, "deploy", "secrets", "deploy_token"), "w") as handle:
            handle.write("doc-test-token\n")
        srv = os.path.join(self.folder, "srv")
        os.makedirs(os.path.join(self.folder, "etc"))
        self.values = {
            "/srv/scripts": scripts,
            "/srv/sf-output": os.path.join(srv, "sf-output"),
            "/srv/sf-output-10001": os.path.join(srv, "sf-output-10001"),
            "/etc/sf-agent/agent.conf": os.path.join(self.folder, "etc", "agent.conf"),
            "4b1c…": commit,
            "1000:1000": f"{HOST_UID}:{HOST_UID}",
            "1.2.3": version,
            "registry.example.com": REGISTRY,
            "path/to/sf-agent": os.environ.get("SF_DOC_TEST_BINARY", "/nonexistent/sf-agent"),
        }

    def results(self):
        found = set()
        for base, _, names in os.walk(self.folder, followlinks=False):
            if "result.json" in names:
                found.add(os.path.join(base, "result.json"))
        return found


def host_user_reads(folder):
    files = sorted(os.path.join(base, name) for base, _, names in os.walk(folder) for name in names)
    done = subprocess.run(["setpriv", f"--reuid={HOST_UID}", f"--regid={HOST_UID}", "--clear-groups",
                           "cat", "--", *files], capture_output=True, timeout=60)
    return done.returncode == 0 and bool(files), f"{len(files)} files; {done.stderr.decode()[-300:]}"


def run_block(block, world):
    tokens = placeholder_tokens(block.marker.group(2))
    unknown = [token for token in tokens if token not in world.values]
    if not check(f"{block.where}: its placeholders are known", not unknown, f"unknown: {unknown}"):
        return
    text = substitute(block.text, tokens, world.values)
    kind = block.marker.group(1)
    if kind == "file":
        path = block.marker.group(2).split()[0]
        target = world.values.get(path)
        if check(f"{block.where}: the file it shows is a placeholder ({path})", target is not None):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w") as handle:
                handle.write(text)
            os.chmod(target, 0o644)
        return
    before = world.results()
    script = os.path.join(world.folder, f".block-{block.line}.sh")
    with open(script, "w") as handle:
        handle.write(text)
    started = time.monotonic()
    done = run(["bash", "-eo", "pipefail", script], cwd=world.folder, timeout=900)
    first = text.strip().splitlines()[0][:60]
    print(f"INFO {block.where} ({first}…) took {time.monotonic() - started:.1f} s", flush=True)
    if not check(f"{block.where}: runs as written (exit 0)", done.returncode == 0,
                 f"exit {done.returncode}; stdout: {done.stdout[-400:]}; stderr: {done.stderr[-800:]}"):
        return
    for path in sorted(world.results() - before):
        with open(path) as handle:
            result = json.load(handle)
        job = os.path.relpath(os.path.dirname(path), world.folder)
        check(f"{block.where}: job {job} succeeded", result.get("status") == "succeeded",
              f"{result.get('status')}: {result.get('error')}")
        check(f"{block.where}: a non-root host user reads every file of {job}", *host_user_reads(os.path.dirname(path)))
    if "docker push" in block.text:
        check_pushed(block, world.values["1.2.3"])


def check_pushed(block, version):
    """The push block's loop put the version, major.minor, major and latest in the registry."""
    with urllib.request.urlopen(f"http://{REGISTRY}/v2/setup-factory/runner/tags/list", timeout=30) as response:
        tags = set(json.load(response).get("tags") or [])
    expected = {version, version.rsplit(".", 1)[0], version.split(".")[0], "latest"}
    check(f"{block.where}: the registry holds {sorted(expected)}", expected <= tags, str(sorted(tags)))


# ----------------------------------------------------------- compose ----

def test_compose(root, commit, scripts, validator):
    compose = os.path.join(REPO_ROOT, "deploy", "compose.yaml")
    if validator:
        done = run([validator, "--builtin-schema", "vendor.compose-spec", compose])
        check("compose: deploy/compose.yaml is valid for the Compose Specification (Compose v2)",
              done.returncode == 0, done.stdout + done.stderr)
    else:
        report("SKIP", "compose: the Compose Specification's schema", "no check-jsonschema given")
    world = World(root, "compose", "", commit, scripts)
    done = run(["docker-compose", "-f", "deploy/compose.yaml", "config", "-q"], cwd=world.folder)
    check("compose: docker-compose 1.29 accepts deploy/compose.yaml", done.returncode == 0, done.stderr)
    name = f"sf-doc-compose-{os.getpid()}"
    env = dict(os.environ, JOB_ID="compose-1", SCRIPT_ID="repro-deploy-example",
               PARAMETERS='{"host":"server.example.com","user":"testuser"}', SF_OUTPUT_OWNER=f"{HOST_UID}:{HOST_UID}")
    env.pop("RUNNER_IMAGE", None)
    done = run(["docker-compose", "-f", "deploy/compose.yaml", "run", "--name", name, "runner"], cwd=world.folder, env=env)
    try:
        output = os.path.join(world.folder, "deploy", "output", "compose-1")
        result = json.load(open(os.path.join(output, "result.json"))) if os.path.exists(output) else {}
        check("compose: a job runs with the default image, which is not pulled (no registry here)",
              done.returncode == 0 and result.get("status") == "succeeded", done.stderr[-800:])
        check("compose: SF_OUTPUT_OWNER gives the host user the results", host_user_reads(output)[0]
              and os.stat(os.path.join(output, "result.json")).st_uid == HOST_UID)
        inspect = run(["docker", "inspect", name])
        info = json.loads(inspect.stdout)[0] if inspect.returncode == 0 else {}
        host = info.get("HostConfig", {})
        want = {"Memory": 2 << 30, "NanoCpus": 2_000_000_000, "PidsLimit": 512, "ReadonlyRootfs": True,
                "NetworkMode": "none", "CapDrop": ["ALL"]}
        got = {key: host.get(key) for key in want}
        check("compose: the container has the file's memory, CPU and process limits, read-only root, no network",
              got == want, f"{got} vs {want}")
        check("compose: the container's stop timeout is stop_grace_period (30 s)",
              info.get("Config", {}).get("StopTimeout") == 30, str(info.get("Config", {}).get("StopTimeout")))
    finally:
        run(["docker", "rm", "--force", "--volumes", name])
        run(["docker-compose", "-f", "deploy/compose.yaml", "down", "--volumes"], cwd=world.folder)


# ------------------------------------------------------------- main ----

def make_scripts(root):
    """The scripts repository the docs' examples run: examples/scripts."""
    scripts = os.path.join(root, "scripts")
    shutil.copytree(os.path.join(REPO_ROOT, "examples", "scripts"), scripts)
    git = ["git", "-C", scripts, "-c", "user.name=doc-test", "-c", "user.email=doc-test@example.invalid"]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "doc test scripts"]):
        subprocess.run(git + args, check=True)
    return scripts, run(git + ["rev-parse", "HEAD"]).stdout.strip()


def free_port():
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_registry(root):
    config = os.path.join(root, "registry.yml")
    with open(config, "w") as handle:
        handle.write(f"version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {root}/registry\n"
                     f"http:\n  addr: {REGISTRY}\nlog:\n  level: warn\n")
    process = subprocess.Popen(["docker-registry", "serve", config], stdout=subprocess.DEVNULL,
                               stderr=open(os.path.join(root, "registry.log"), "w"))
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://{REGISTRY}/v2/", timeout=1)
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"docker-registry did not start; see {root}/registry.log")


def podman_names():
    listing = run(["podman", "images", "--format", "{{.Repository}}:{{.Tag}}"]).stdout.split()
    return {name for name in listing if not name.startswith("<none>")}


def main():
    args = sys.argv[1:]
    image = validator = None
    while args:
        if args[0] == "--image" and len(args) > 1:
            image, args = args[1], args[2:]
        elif args[0] == "--check-jsonschema" and len(args) > 1:
            validator, args = args[1], args[2:]
        else:
            print(__doc__, file=sys.stderr)
            return 64
    if not image or not os.environ.get("DOCKER_HOST"):
        print("doc_test.py: needs --image IMAGE and DOCKER_HOST (run.sh sets both)", file=sys.stderr)
        return 64
    global REGISTRY
    REGISTRY = f"127.0.0.1:{free_port()}"
    started = time.monotonic()
    root = tempfile.mkdtemp(prefix="sf-doc-", dir="/var/tmp")
    os.chmod(root, 0o755)
    registry = None
    podman_before = podman_names()
    try:
        version = run(["docker", "run", "--rm", "--network", "none", "--entrypoint", "sf-agent", image, "version"]
                      ).stdout.split()[-1]
        for tag in (version, "latest"):
            run(["docker", "tag", image, f"setup-factory/runner:{tag}"])
        # podman's own name for the version, made only if it has none (and removed
        # afterwards with what the blocks build): blocks move the image from
        # podman to Docker and build the Python runner on it.
        podman_tag = f"localhost/setup-factory/runner:{version}"
        if run(["podman", "image", "exists", podman_tag]).returncode != 0:
            run(["podman", "tag", os.environ.get("SF_DOC_TEST_PODMAN_IMAGE", image), podman_tag])
        scripts, commit = make_scripts(root)
        registry = start_registry(root)
        for document in DOCUMENTS:
            world = World(root, document, version, commit, scripts)
            for block in blocks(document):
                if block.marker is None:
                    if block.runs_an_engine():
                        report("FAIL", f"{block.where}: a block that runs a container engine is marked "
                               "(doc-test: run, file or skip)", block.text.strip().splitlines()[0])
                elif block.marker.group(1) == "skip":
                    report("SKIP", f"{block.where}", block.marker.group(2))
                else:
                    run_block(block, world)
        test_compose(root, commit, scripts, validator)
    finally:
        if registry:
            registry.kill()
        # What the blocks built or tagged in podman's storage (the Python runner).
        for name in sorted(podman_names() - podman_before):
            run(["podman", "rmi", name])
        run(["docker", "volume", "prune", "--force"])
        shutil.rmtree(root, ignore_errors=True)
    print(f"doc test: {results['PASS']} passed, {results['FAIL']} failed, {results['SKIP']} skipped "
          f"in {time.monotonic() - started:.0f} s", flush=True)
    return 1 if results["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
