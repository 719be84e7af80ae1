#!/usr/bin/env python3
"""Container test probe: reports what the script can see and do, as JSON, to
stdout and to $SF_ARTIFACTS_DIR/probe.json. It never fails on a denied action:
the test decides what must have been denied."""
import json
import os
import socket
import sys

checkout = os.path.dirname(os.path.realpath(__file__))
artifacts = os.environ["SF_ARTIFACTS_DIR"]


def status_field(name):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(name + ":"):
                return line.split(":", 1)[1].strip()
    return None


def attempt(action):
    try:
        action()
        return "allowed"
    except OSError as error:
        return "denied: " + (error.strerror or str(error))


def write_into_checkout():
    with open(os.path.join(checkout, "planted.txt"), "w") as planted:
        planted.write("x")


def append_to_script():
    with open(os.path.realpath(__file__), "a") as script:
        script.write("# changed\n")


def chmod_checkout():
    os.chmod(checkout, 0o755)
    os.chmod(os.path.realpath(__file__), 0o755)


def rename_script():
    os.rename(os.path.join(checkout, "hello.sh"), os.path.join(checkout, "moved.sh"))


def write_root_filesystem():
    with open("/etc/planted", "w") as planted:
        planted.write("x")


def connect(host, port):
    def action():
        with socket.create_connection((host, port), timeout=3):
            pass
    return action


def resolve():
    socket.getaddrinfo("deb.debian.org", 80)


def tmp_mount():
    with open("/proc/self/mounts") as mounts:
        for line in mounts:
            fields = line.split()
            if fields[1] == "/tmp":
                return fields[2]
    return None


def interfaces():
    with open("/proc/net/dev") as dev:
        return sorted(line.split(":")[0].strip() for line in dev.readlines()[2:])


report = {
    "uid": os.getuid(), "euid": os.geteuid(), "gid": os.getgid(), "groups": sorted(os.getgroups()),
    "cap_eff": status_field("CapEff"), "cap_prm": status_field("CapPrm"), "cap_bnd": status_field("CapBnd"),
    "no_new_privs": status_field("NoNewPrivs"), "seccomp": status_field("Seccomp"),
    "checkout": checkout, "cwd": os.getcwd(), "home": os.environ.get("HOME"),
}
# A hostile script first makes the checkout writable if it can (it can when it
# shares the checkout's owner: Landlock does not cover chmod), then writes.
report["chmod_checkout"] = attempt(chmod_checkout)
report.update({
    "write_checkout": attempt(write_into_checkout),
    "append_script": attempt(append_to_script),
    "rename_in_checkout": attempt(rename_script),
    "write_root_fs": attempt(write_root_filesystem),
    "tmp_mount": tmp_mount(),
    "connect_external": attempt(connect("1.1.1.1", 53)),
    "resolve": attempt(resolve),
    "interfaces": interfaces(),
    "argv": sys.argv[1:],
})
os.makedirs(os.path.join(artifacts, "nested"), exist_ok=True)
with open(os.path.join(artifacts, "probe.json"), "w") as out:
    json.dump(report, out, indent=2, sort_keys=True)
with open(os.path.join(artifacts, "nested", "note.txt"), "w") as note:
    note.write("artifact from %s\n" % os.environ.get("JOB_ID"))
# --hostile_modes true: a folder and a file of mode 000 that the agent must
# still archive and remove (as root, or as their owner), and a sticky folder in
# the work directory that only CAP_FOWNER lets root empty.
if "--hostile_modes" in sys.argv:
    locked = os.path.join(artifacts, "locked")
    os.makedirs(locked, exist_ok=True)
    with open(os.path.join(locked, "secret-mode.txt"), "w") as hidden:
        hidden.write("mode 000 inside a mode 000 folder\n")
    os.chmod(os.path.join(locked, "secret-mode.txt"), 0)
    os.chmod(locked, 0)
    # A sticky folder: only the owner of a file in it (or CAP_FOWNER) may remove it.
    sticky = os.path.join(os.environ["HOME"], "sticky")
    os.makedirs(sticky, exist_ok=True)
    with open(os.path.join(sticky, "kept.txt"), "w") as kept:
        kept.write("in a sticky folder\n")
    os.chmod(sticky, 0o1777)
print(json.dumps(report, sort_keys=True))
