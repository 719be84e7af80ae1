#!/usr/bin/env python3
"""Checks deploy/: the Kubernetes manifests against the Kubernetes schemas
(kubernetes-validate, offline, --strict), the restricted manifest against the
Pod Security "restricted" profile, the root-and-drop one against "baseline",
and the manifests and the compose file against what the container test proves
and the agent's configuration keys.

    VENV/bin/python runner-images/test/kubernetes_test.py VENV/bin/kubernetes-validate

Needs PyYAML (kubernetes-validate brings it). Prints PASS/FAIL/SKIP lines.
"""
import glob
import json
import os
import re
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
K8S = os.path.join(REPO_ROOT, "deploy", "kubernetes")
COMPOSE = os.path.join(REPO_ROOT, "deploy", "compose.yaml")
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the checkout
from container_test import PRODUCTION_CAPS  # noqa: E402  the capabilities the container test proves enough

# Pod Security Standards (Kubernetes 1.25+).
RESTRICTED_VOLUME_TYPES = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
                           "projected", "secret"}
BASELINE_CAPABILITIES = {"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
                         "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"}
SAFE_SYSCTLS = {"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
                "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
                "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
                "net.ipv4.tcp_keepalive_probes"}

results = {"PASS": 0, "FAIL": 0, "SKIP": 0}


def report(outcome, name, detail=""):
    results[outcome] += 1
    print(f"{outcome} {name}" + (f": {detail}" if detail else ""), flush=True)


def check(name, condition, detail=""):
    report("PASS" if condition else "FAIL", name, "" if condition else detail)
    return condition


def documents(path):
    with open(path) as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc]


def containers(pod):
    return list(pod.get("initContainers", [])) + list(pod.get("containers", []))


def baseline_violations(pod):
    """The Pod Security "baseline" rules, each returning what breaks it."""
    problems = []
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        if pod.get(key):
            problems.append(f"{key} is set")
    for volume in pod.get("volumes", []):
        if "hostPath" in volume:
            problems.append(f"volume {volume['name']} is a hostPath")
    pod_context = pod.get("securityContext", {})
    for sysctl in pod_context.get("sysctls", []):
        if sysctl["name"] not in SAFE_SYSCTLS:
            problems.append(f"unsafe sysctl {sysctl['name']}")
    contexts = [("pod", pod_context)] + [(c["name"], c.get("securityContext", {})) for c in containers(pod)]
    for name, context in contexts:
        if (context.get("seccompProfile") or {}).get("type") == "Unconfined":
            problems.append(f"{name}: seccomp Unconfined")
        if (context.get("appArmorProfile") or {}).get("type") == "Unconfined":
            problems.append(f"{name}: AppArmor Unconfined")
        selinux = context.get("seLinuxOptions") or {}
        if selinux.get("type") not in (None, "", "container_t", "container_init_t", "container_kvm_t",
                                       "container_engine_t") or selinux.get("user") or selinux.get("role"):
            problems.append(f"{name}: SELinux options {selinux}")
    for container in containers(pod):
        context = container.get("securityContext", {})
        if context.get("privileged"):
            problems.append(f"{container['name']}: privileged")
        if context.get("procMount") not in (None, "Default"):
            problems.append(f"{container['name']}: procMount {context['procMount']}")
        for port in container.get("ports", []):
            if port.get("hostPort"):
                problems.append(f"{container['name']}: hostPort")
        added = set((context.get("capabilities") or {}).get("add", []))
        if added - BASELINE_CAPABILITIES:
            problems.append(f"{container['name']}: capabilities {sorted(added - BASELINE_CAPABILITIES)} beyond baseline")
    return problems


def restricted_violations(pod):
    """The Pod Security "restricted" rules on top of baseline."""
    problems = baseline_violations(pod)
    pod_context = pod.get("securityContext", {})
    for volume in pod.get("volumes", []):
        kinds = set(volume) - {"name"}
        if not kinds <= RESTRICTED_VOLUME_TYPES:
            problems.append(f"volume {volume['name']} of type {sorted(kinds)}")
    for container in containers(pod):
        name = container["name"]
        context = container.get("securityContext", {})
        if context.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{name}: allowPrivilegeEscalation is not false")
        capabilities = context.get("capabilities") or {}
        if "ALL" not in capabilities.get("drop", []):
            problems.append(f"{name}: capabilities do not drop ALL")
        if set(capabilities.get("add", [])) - {"NET_BIND_SERVICE"}:
            problems.append(f"{name}: adds capabilities {capabilities['add']}")
        non_root = context.get("runAsNonRoot", pod_context.get("runAsNonRoot"))
        if non_root is not True:
            problems.append(f"{name}: runAsNonRoot is not true")
        if context.get("runAsUser", pod_context.get("runAsUser")) == 0:
            problems.append(f"{name}: runAsUser is 0")
        seccomp = (context.get("seccompProfile") or pod_context.get("seccompProfile") or {}).get("type")
        if seccomp not in ("RuntimeDefault", "Localhost"):
            problems.append(f"{name}: seccompProfile is {seccomp}")
    if pod_context.get("runAsUser") == 0:
        problems.append("pod: runAsUser is 0")
    return problems


def _each_container(pod, change):
    for container in containers(pod):
        change(container.setdefault("securityContext", {}))


def _no_pod_key(key):
    return lambda pod: pod["securityContext"].pop(key, None)


RESTRICTED_FIELDS = [
    ("runAsNonRoot: true", lambda pod: (_no_pod_key("runAsNonRoot")(pod),
                                        _each_container(pod, lambda c: c.pop("runAsNonRoot", None)))),
    ("allowPrivilegeEscalation: false", lambda pod: _each_container(pod, lambda c: c.pop("allowPrivilegeEscalation"))),
    ("capabilities drop ALL", lambda pod: _each_container(pod, lambda c: c.pop("capabilities"))),
    ("seccompProfile RuntimeDefault", lambda pod: (_no_pod_key("seccompProfile")(pod),
                                                    _each_container(pod, lambda c: c.pop("seccompProfile", None)))),
    ("no hostPath volume", lambda pod: pod["volumes"].append({"name": "host", "hostPath": {"path": "/"}})),
    ("a non-zero runAsUser", lambda pod: pod["securityContext"].update(runAsUser=0)),
]


def job_parts(path):
    docs = documents(path)
    jobs = [doc for doc in docs if doc["kind"] == "Job"]
    namespaces = {doc["metadata"]["name"]: doc for doc in docs + documents(os.path.join(K8S, "namespace.yaml"))
                  if doc["kind"] == "Namespace"}
    return jobs[0], namespaces


def agent_conf_keys(text):
    keys = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keys.append(line.split("=", 1)[0].strip())
    return keys


def known_keys():
    with open(os.path.join(REPO_ROOT, "agent.conf.example")) as handle:
        return set(re.findall(r"^#\s*([a-z_]+\.[a-z_0-9.]+)\s*=", handle.read(), re.M))


def common_job_checks(label, job, kill_grace_seconds):
    pod = job["spec"]["template"]["spec"]
    by_name = {c["name"]: c for c in containers(pod)}
    fetch = by_name.get("fetch")
    check(f"{label}: an init container runs `sf-agent fetch` (fetch, verify, check out, stop) into the cache volume",
          fetch is not None and fetch.get("command") == ["sf-agent", "fetch"]
          and any(m["mountPath"] == "/var/cache/sf-agent" for m in fetch.get("volumeMounts", [])), str(fetch))
    main = by_name.get("job", {})
    fetch_env = (fetch or {}).get("env") or []
    check(f"{label}: the init container gets the job's own SCRIPT_ID (and nothing the job does not have)",
          fetch is not None and any(e["name"] == "SCRIPT_ID" for e in fetch_env)
          and all(e in main.get("env", []) for e in fetch_env), str(fetch_env))
    mounts = {m["mountPath"]: m for m in main.get("volumeMounts", [])}
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    check(f"{label}: the job container shares the cache volume with the init container",
          mounts.get("/var/cache/sf-agent", {}).get("name") ==
          next((m["name"] for m in (fetch or {}).get("volumeMounts", []) if m["mountPath"] == "/var/cache/sf-agent"), None))
    output = volumes.get(mounts.get("/output", {}).get("name"), {})
    check(f"{label}: /output is a persistent volume claim", "persistentVolumeClaim" in output, str(output))
    secret_mount = next((m for m in mounts.values() if "secret" in volumes.get(m["name"], {})), None)
    check(f"{label}: secrets come as a read-only secret volume", secret_mount is not None and secret_mount.get("readOnly"),
          str(secret_mount))
    check(f"{label}: no secret in the environment",
          not any("valueFrom" in e and "secretKeyRef" in e["valueFrom"] for c in containers(pod) for e in c.get("env", [])))
    env = {e["name"]: e.get("value") for e in main.get("env", [])}
    check(f"{label}: JOB_ID, SCRIPT_ID and a JSON object PARAMETERS",
          env.get("JOB_ID") and env.get("SCRIPT_ID") and isinstance(json.loads(env.get("PARAMETERS", "null")), dict), str(env))
    check(f"{label}: every container has a read-only root file system",
          all(c.get("securityContext", {}).get("readOnlyRootFilesystem") is True for c in containers(pod)))
    check(f"{label}: every container has CPU and memory limits",
          all({"cpu", "memory"} <= set(c.get("resources", {}).get("limits", {})) for c in containers(pod)))
    check(f"{label}: /tmp is a writable emptyDir", "emptyDir" in volumes.get(mounts.get("/tmp", {}).get("name"), {}))
    check(f"{label}: no service account token, never restarted, never retried blindly",
          pod.get("automountServiceAccountToken") is False and pod.get("restartPolicy") == "Never"
          and job["spec"].get("backoffLimit") == 0)
    grace = pod.get("terminationGracePeriodSeconds", 30)
    check(f"{label}: terminationGracePeriodSeconds ({grace}) > run.kill_grace ({kill_grace_seconds} s) + 5 s for archiving",
          grace > kill_grace_seconds + 5)


def main():
    validator = sys.argv[1] if len(sys.argv) > 1 else "kubernetes-validate"
    manifests = sorted(glob.glob(os.path.join(K8S, "*.yaml")))
    done = subprocess.run([validator, "--strict", "--quiet"] + manifests, capture_output=True, text=True)
    version = subprocess.run([validator, "--version"], capture_output=True, text=True).stdout.strip()
    check(f"kubernetes: {len(manifests)} manifests validate against the Kubernetes schemas "
          f"(kubernetes-validate {version} --strict)", done.returncode == 0, done.stdout + done.stderr)

    config = next(doc for doc in documents(os.path.join(K8S, "configmap.yaml")) if doc["kind"] == "ConfigMap")
    conf_text = config["data"]["agent.conf"]
    keys = agent_conf_keys(conf_text)
    known = known_keys()
    unknown = [key for key in keys if key not in known]
    check("kubernetes: every configmap key is a configuration key (agent.conf.example)", not unknown, str(unknown))
    grace_match = re.search(r"^run\.kill_grace\s*=\s*(\d+)s", conf_text, re.M)
    kill_grace = int(grace_match.group(1)) if grace_match else 5  # the agent's default

    job, namespaces = job_parts(os.path.join(K8S, "job-restricted.yaml"))
    problems = restricted_violations(job["spec"]["template"]["spec"])
    check("kubernetes: job-restricted.yaml meets the Pod Security restricted profile", not problems, "; ".join(problems))
    # Each field that makes it restricted: without it, the checker must object.
    import copy
    for field, mutate in RESTRICTED_FIELDS:
        broken = copy.deepcopy(job["spec"]["template"]["spec"])
        mutate(broken)
        check(f"kubernetes: restricted needs {field} (the checker objects without it)", bool(restricted_violations(broken)))
    namespace = namespaces.get(job["metadata"]["namespace"], {})
    check("kubernetes: its namespace enforces restricted",
          namespace.get("metadata", {}).get("labels", {}).get("pod-security.kubernetes.io/enforce") == "restricted")
    pod = job["spec"]["template"]["spec"]
    check("kubernetes: restricted pod runs as 10001:10001 with fsGroup 10001",
          pod["securityContext"].get("runAsUser") == 10001 and pod["securityContext"].get("runAsGroup") == 10001
          and pod["securityContext"].get("fsGroup") == 10001)
    common_job_checks("kubernetes restricted", job, kill_grace)

    job, namespaces = job_parts(os.path.join(K8S, "job-root-drop.yaml"))
    pod = job["spec"]["template"]["spec"]
    problems = baseline_violations(pod)
    check("kubernetes: job-root-drop.yaml meets the Pod Security baseline profile", not problems, "; ".join(problems))
    check("kubernetes: job-root-drop.yaml is (rightly) not restricted", bool(restricted_violations(pod)))
    namespace = namespaces.get(job["metadata"]["namespace"], {})
    check("kubernetes: its namespace enforces baseline",
          namespace.get("metadata", {}).get("labels", {}).get("pod-security.kubernetes.io/enforce") == "baseline")
    main_container = next(c for c in pod["containers"] if c["name"] == "job")
    capabilities = main_container["securityContext"]["capabilities"]
    check("kubernetes: root-and-drop adds exactly the capabilities the container test proves enough",
          capabilities.get("drop") == ["ALL"] and sorted(capabilities.get("add", [])) == sorted(PRODUCTION_CAPS),
          f"{capabilities} vs {PRODUCTION_CAPS}")
    common_job_checks("kubernetes root-and-drop", job, kill_grace)

    compose = documents(COMPOSE)[0]
    service = compose["services"]["runner"]
    check("compose: read-only, no-new-privileges, the production capabilities",
          service.get("read_only") is True and "no-new-privileges:true" in service.get("security_opt", [])
          and service.get("cap_drop") == ["ALL"] and sorted(service.get("cap_add", [])) == sorted(PRODUCTION_CAPS),
          str(service))
    limits = service.get("deploy", {}).get("resources", {}).get("limits", {})
    check("compose: CPU, memory and process limits (pids_limit: docker-compose 1.29 refuses deploy's pids)",
          {"cpus", "memory"} <= set(limits) and "pids" not in limits and service.get("pids_limit") == 512, str(service))
    check("compose: no top-level name (docker-compose 1.29 refuses it)", "name" not in compose, str(sorted(compose)))
    check("compose: /tmp is a tmpfs", any(t.startswith("/tmp") for t in service.get("tmpfs", [])))
    stop_grace = re.fullmatch(r"(\d+)s", str(service.get("stop_grace_period", "")))
    check(f"compose: stop_grace_period ({service.get('stop_grace_period')}) > run.kill_grace ({kill_grace} s) + 5 s for archiving",
          stop_grace is not None and int(stop_grace.group(1)) > kill_grace + 5, str(service.get("stop_grace_period")))

    print(f"kubernetes test: {results['PASS']} passed, {results['FAIL']} failed, {results['SKIP']} skipped", flush=True)
    return 1 if results["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
