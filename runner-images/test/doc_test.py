#!/usr/bin/env python3
"""Runs the documentation's container commands exactly as written.

    python3 runner-images/test/doc_test.py --image IMAGE [--check-jsonschema PATH]

Every fenced block (``` or ~~~, any language) of the documents below that
names docker, podman, docker-compose or podman-compose as a command carries a
marker on the line before its fence, and a block without one fails the test
(so a new command cannot escape it):

    <!-- doc-test: run [jobs: N] [placeholders: TOKEN...] -->
        run with `bash -eo pipefail`, each TOKEN replaced by what the test
        made for it (World.values), nothing else changed; it must exit 0 and
        leave exactly N new or rewritten result.json files (default 0), each
        saying succeeded, with every file of those jobs readable by a
        non-root host user
    <!-- doc-test: file PATH [placeholders: TOKEN...] -->
        not a command: the contents of PATH (a placeholder itself) that the
        later blocks of the document use, such as agent.conf
    <!-- doc-test: skip REASON -->
        not run; reported as SKIP with the reason; ALLOWED_SKIPS lists them

Each document runs in a folder of its own that stands for the repository
(deploy/compose.yaml copied, runner-images/ linked), against the test's
Docker engine (DOCKER_HOST) with none of the documented image names in it:
each document brings its image into Docker itself, as a user would. podman
has the image as `make image` leaves it (localhost/setup-factory/runner:
<version> and :latest, restored afterwards). deploy/compose.yaml is also run
with docker-compose 1.29 (its limits read back from the container) and
checked against the Compose Specification's schema (check-jsonschema's copy).

Needs root, Docker (DOCKER_HOST), podman (SF_DOC_TEST_PODMAN_IMAGE: the same
image in its storage), docker-compose, docker-registry (Debian's, for the
push block: a registry on 127.0.0.1 stands for registry.example.com) and
setpriv.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
DOCUMENTS = ["README.md", "docs/operations.md", "runner-images/README.md"]
# The blocks that may not run here, by document, with the reason in their marker.
ALLOWED_SKIPS = {"runner-images/README.md": 1}  # the full Dockerfile.runner build needs a registry
HOST_UID = 20001  # a host user, not root, who reads the results (as container_test.py)
REGISTRY = "127.0.0.1:5000"  # main() picks a free port (Docker trusts 127.0.0.0/8 over plain HTTP)
IMAGE_NAME = "setup-factory/runner"

ENGINE_COMMAND = re.compile(r"(?:^|[\s;&|(/])(docker|podman|docker-compose|podman-compose)(?:\s|$)")
MARKER = re.compile(r"<!--\s*doc-test:\s*(run|file|skip)\b\s*(.*?)\s*-->")
FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)[^`]*$")

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

    @property
    def kind(self):
        return self.marker.group(1) if self.marker else None

    @property
    def argument(self):
        return self.marker.group(2) if self.marker else ""

    def runs_an_engine(self):
        logical = re.sub(r"\\\n", " ", self.text)
        return any(ENGINE_COMMAND.search(line.split("#", 1)[0]) for line in logical.splitlines())

    def expected_jobs(self):
        match = re.search(r"\bjobs:\s*(\d+)", self.argument)
        return int(match.group(1)) if match else 0

    def placeholders(self):
        match = re.search(r"placeholders:\s*(.*)$", self.argument)
        return match.group(1).split() if match else []


def blocks(document):
    """The fenced blocks of a Markdown document (CommonMark fences: three or
    more backticks or tildes, closed by a fence of the same character at
    least as long), with the marker on the line before each."""
    lines = open(os.path.join(REPO_ROOT, document)).read().splitlines()
    found, index = [], 0
    while index < len(lines):
        fence = FENCE.match(lines[index])
        if not fence:
            index += 1
            continue
        indent, opening, language = len(fence.group(1)), fence.group(2), fence.group(3)
        closing = re.compile(r"^ {0,3}" + re.escape(opening[0]) + "{" + str(len(opening)) + r",}\s*$")
        start, body = index, []
        index += 1
        while index < len(lines) and not closing.match(lines[index]):
            line = lines[index]
            body.append(line[min(indent, len(line) - len(line.lstrip(" "))):])
            index += 1
        previous = next((lines[i] for i in range(start - 1, -1, -1) if lines[i].strip()), "")
        found.append(Block(document, start + 1, language, "\n".join(body) + "\n", MARKER.search(previous)))
        index += 1
    return found


def substitute(text, tokens, values):
    """Replaces each token, longest first, where it stands alone (not inside a
    longer word or number: 1000 is not replaced inside 10001, nor 1.2.3 in
    1.2.3.4)."""
    for token in sorted(tokens, key=len, reverse=True):
        # A path not after ':' either: in `-v HOST:CONTAINER` only the host's side is a placeholder.
        before = r"(?<![\w.:])" if token.startswith("/") else r"(?<![\w.])"
        pattern = before + re.escape(token) + r"(?![\w]|\.\w)"
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
        # The data deploy/compose.yaml expects beside it (its header comment);
        # agent.conf comes from the docs.
        shutil.copytree(scripts, os.path.join(self.folder, "deploy", "scripts"), symlinks=True)
        with open(os.path.join(self.folder, "deploy", "secrets", "deploy_token"), "w") as handle:
            handle.write("doc-test-token\n")
        srv = os.path.join(self.folder, "srv")
        os.makedirs(os.path.join(self.folder, "etc"))
        self.values = {
            "/srv/scripts": scripts,
            "/srv/sf-output": os.path.join(srv, "sf-output"),
            "/srv/sf-output-10001": os.path.join(srv, "sf-output-10001"),
            "/etc/sf-agent/agent.conf": os.path.join(self.folder, "etc", "agent.conf"),
            "deploy/agent.conf": os.path.join(self.folder, "deploy", "agent.conf"),
            "4b1c…": commit,
            "1000:1000": f"{HOST_UID}:{HOST_UID}",
            "1.2.3": version,
            "registry.example.com": REGISTRY,
        }

    def results(self):
        """Every result.json under the folder, with what tells a rewrite."""
        found = {}
        for base, _, names in os.walk(self.folder, followlinks=False):
            if "result.json" in names:
                path = os.path.join(base, "result.json")
                info = os.stat(path)
                found[path] = (info.st_ino, info.st_mtime_ns)
        return found


def host_user_reads(folder):
    files = sorted(os.path.join(base, name) for base, _, names in os.walk(folder) for name in names)
    done = subprocess.run(["setpriv", f"--reuid={HOST_UID}", f"--regid={HOST_UID}", "--clear-groups",
                           "cat", "--", *files], capture_output=True, timeout=60)
    return done.returncode == 0 and bool(files), f"{len(files)} files; {done.stderr.decode()[-300:]}"


def run_block(block, world):
    tokens = block.placeholders()
    if block.kind == "file":
        tokens = tokens + [block.argument.split()[0]]
    unknown = [token for token in tokens if token not in world.values]
    if not check(f"{block.where}: its placeholders are known", not unknown, f"unknown: {unknown}"):
        return
    text = substitute(block.text, block.placeholders(), world.values)
    if block.kind == "file":
        if check(f"{block.where}: a file block runs nothing", not block.runs_an_engine()):
            target = world.values[block.argument.split()[0]]
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
    after = world.results()
    written = sorted(path for path, stamp in after.items() if before.get(path) != stamp)
    check(f"{block.where}: {block.expected_jobs()} job(s) ran", len(written) == block.expected_jobs(), str(written))
    for path in written:
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
    with urllib.request.urlopen(f"http://{REGISTRY}/v2/{IMAGE_NAME}/tags/list", timeout=30) as response:
        tags = set(json.load(response).get("tags") or [])
    expected = {version, version.rsplit(".", 1)[0], version.split(".")[0], "latest"}
    check(f"{block.where}: the registry holds {sorted(expected)}", expected <= tags, str(sorted(tags)))


def run_document(document, world):
    skips = 0
    for block in blocks(document):
        if block.kind is None:
            if block.runs_an_engine():
                report("FAIL", f"{block.where}: a block that runs a container engine is marked "
                       "(doc-test: run, file or skip)", block.text.strip().splitlines()[0])
        elif block.kind == "skip":
            skips += 1
            if check(f"{block.where}: a skip gives its reason", bool(block.argument)):
                report("SKIP", f"{block.where}", block.argument)
        else:
            run_block(block, world)
    allowed = ALLOWED_SKIPS.get(document, 0)
    check(f"{document}: at most {allowed} block(s) skipped", skips <= allowed, f"{skips} skipped")


# ----------------------------------------------------------- compose ----

def test_compose(world, validator):
    """deploy/compose.yaml in the world where the docs' compose blocks ran
    (their agent.conf, the image they loaded)."""
    compose = os.path.join(REPO_ROOT, "deploy", "compose.yaml")
    if validator:
        done = run([validator, "--builtin-schema", "vendor.compose-spec", compose])
        check("compose: deploy/compose.yaml is valid for the Compose Specification (Compose v2)",
              done.returncode == 0, done.stdout + done.stderr)
    else:
        report("SKIP", "compose: the Compose Specification's schema", "no check-jsonschema given")
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
        check("compose: a job runs with the default image, the one the docs loaded (no registry here)",
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


# ------------------------------------------------------------- images ----

def image_id(engine, name):
    done = run([engine, "image", "inspect", "--format", "{{.Id}}", name])
    return done.stdout.strip() if done.returncode == 0 else None


def drop_documented_names():
    """Docker with none of the documented names: each document must load its image."""
    listing = run(["docker", "images", "--format", "{{.Repository}}:{{.Tag}}"]).stdout.split()
    for name in listing:
        if name.split(":")[0] in (IMAGE_NAME, f"localhost/{IMAGE_NAME}", f"localhost/{IMAGE_NAME}-python"):
            run(["docker", "rmi", name])


def podman_names_built_by_blocks():
    """The names the documents' `podman build -t` commands give (as podman stores them)."""
    names = set()
    for document in DOCUMENTS:
        for block in blocks(document):
            logical = re.sub(r"\\\n", " ", block.text)
            for line in logical.splitlines():
                if re.search(r"(?:^|\s)podman\s+build\b", line):
                    names.update(podman_name(name) for name in re.findall(r"(?:-t|--tag)\s+(\S+)", line))
    return names


def podman_name(name):
    """How podman stores a name: one without a registry goes under localhost/."""
    first = name.split("/")[0]
    has_registry = "/" in name and ("." in first or ":" in first or first == "localhost")
    return name if has_registry else f"localhost/{name}"


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


def main():
    global REGISTRY
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
    # A stop (CI's timeout) still runs the cleanup below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    REGISTRY = f"127.0.0.1:{free_port()}"
    started = time.monotonic()
    root = tempfile.mkdtemp(prefix="sf-doc-", dir="/var/tmp")
    os.chmod(root, 0o755)
    registry = None
    version = run(["docker", "run", "--rm", "--network", "none", "--entrypoint", "sf-agent", image, "version"]
                  ).stdout.split()[-1]
    # podman as `make image` leaves it; these names and the ones the blocks
    # build are put back as they were afterwards.
    podman_image = os.environ.get("SF_DOC_TEST_PODMAN_IMAGE", image)
    made = [f"localhost/{IMAGE_NAME}:{version}", f"localhost/{IMAGE_NAME}:latest"]
    guarded = {name: image_id("podman", name) for name in set(made) | podman_names_built_by_blocks()}
    try:
        for name in made:
            run(["podman", "tag", podman_image, name])
        scripts, commit = make_scripts(root)
        registry = start_registry(root)
        worlds = {}
        for document in DOCUMENTS:
            drop_documented_names()
            worlds[document] = World(root, document, version, commit, scripts)
            run_document(document, worlds[document])
        test_compose(worlds["docs/operations.md"], validator)
    finally:
        if registry:
            registry.kill()
        for name, previous in guarded.items():
            if previous:
                run(["podman", "tag", previous, name])
            elif image_id("podman", name):
                run(["podman", "untag", name, name])
        run(["docker", "volume", "prune", "--force"])
        shutil.rmtree(root, ignore_errors=True)
    print(f"doc test: {results['PASS']} passed, {results['FAIL']} failed, {results['SKIP']} skipped "
          f"in {time.monotonic() - started:.0f} s", flush=True)
    return 1 if results["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
