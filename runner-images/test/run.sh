#!/usr/bin/env bash
# `make container-test`, run by .ci/run after `make test`: builds the runner
# image on this machine and runs real jobs in real containers, then validates
# the Kubernetes manifests offline. Prints the time of each phase.
#
#   1. podman, runc, debootstrap, Docker installed if missing (install-deps.sh)
#   2. the agent: $SF_AGENT_BINARY (a static-stdlib release binary), else a
#      static-stdlib release build in a scratch folder kept between runs
#      ($SF_RELEASE_SCRATCH), so a later run recompiles only what changed
#   3. the Debian 12 base: debootstrap, cached in podman's storage by the hash
#      of its inputs                                      (build-base.sh)
#   4. the image, tagged by the binary's hash              (build.sh)
#   5. the container cases, with podman                    (container_test.py)
#   6. a Docker engine of the test's own (dockerd.sh), the images loaded into
#      it, the same cases with Docker
#   7. every docker/podman/compose command of the docs, as written, and
#      deploy/compose.yaml with docker-compose 1.29          (doc_test.py)
#   8. the Kubernetes manifests and the compose file       (kubernetes_test.py)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
images="$(dirname "$here")"
repo_root="$(dirname "$images")"
cd "$repo_root"

phase_start=$SECONDS
total_start=$SECONDS
# A stop (CI's timeout, ^C) runs the EXIT trap too: no engine is left behind.
trap 'exit 143' TERM INT
phase() { echo "container-test: $1 ($((SECONDS - phase_start)) s)" >&2; phase_start=$SECONDS; }

bash "$images/install-deps.sh"
phase "dependencies"

binary="${SF_AGENT_BINARY:-}"
if [ -z "$binary" ]; then
  export PATH="/opt/swift/usr/bin:$PATH"
  # One scratch folder per checkout path (SwiftPM's build plan holds absolute
  # paths: two checkouts sharing one would rebuild each other's work).
  scratch="${SF_RELEASE_SCRATCH:-/var/tmp/sf-agent-release-build-$(printf %s "$repo_root" | sha256sum | cut -c1-8)}"
  mkdir -p "$scratch"
  # One release build at a time in the shared scratch folder.
  exec 8>"$scratch.lock"
  flock -w 1800 8
  release_build() { swift build -c release --static-swift-stdlib --product sf-agent --scratch-path "$scratch" >"$scratch.log" 2>&1; }
  if ! release_build; then
    # A scratch folder left broken (killed build, moved folder) must not fail
    # every later run: start it afresh once.
    echo "container-test: release build failed; retrying in a clean $scratch" >&2
    tail -n 5 "$scratch.log" >&2
    rm -rf "$scratch"
    release_build || { tail -n 40 "$scratch.log" >&2; exit 1; }
  fi
  tail -n 1 "$scratch.log" >&2
  binary="$(swift build -c release --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)/sf-agent"
  release_copy="$scratch/sf-agent.$$"
  cp "$binary" "$release_copy"
  binary="$release_copy"
  flock -u 8
  # Scratch folders of other checkout paths unused for a week (about 180 MB each).
  find "$(dirname "$scratch")" -maxdepth 1 -name 'sf-agent-release-build-*.log' -mtime +7 2>/dev/null |
    while read -r log; do rm -rf "${log%.log}" "$log" "${log%.log}.lock"; done
  trap 'rm -f "$release_copy"' EXIT
  phase "release build of sf-agent (static Swift stdlib)"
fi

base="$("$images/build-base.sh")"
phase "base image $base"

digest="$(sha256sum "$binary" | cut -c1-12)"
image="localhost/setup-factory/runner:test-$digest"
"$images/build.sh" --binary "$binary" --base "$base" --tag "$image" >/dev/null
phase "runner image $image"

# The Python runner (Dockerfile.python with ansible-core, which the
# playbook case needs and which leaves out the collections): its tools layer
# is built on the base image, cached in podman's storage by the hash of its
# inputs like the base, then the agent goes on top as for the runner image.
tools_key="$( (podman image inspect --format '{{.Id}}' "$base"; cat "$images/Dockerfile.python") | sha256sum | cut -c1-12)"
python_tools="localhost/sf-agent/python-tools:$tools_key"
if ! podman image exists "$python_tools"; then
  (
    flock -w 900 9
    # shellcheck source=runner-images/podman-flags.sh
    source "$images/podman-flags.sh"
    "${PODMAN[@]}" build "${ULIMITS[@]}" --pull=never --layers --quiet -f "$images/Dockerfile.python" \
      --build-arg RUNNER_IMAGE="$base" --build-arg ANSIBLE_DEBIAN_PACKAGE=ansible-core \
      --tag "$python_tools" "$images" >/dev/null
  ) 9>"${SF_IMAGES_LOCK:-/var/tmp/sf-agent-images.lock}"
fi
python_image="localhost/setup-factory/runner-python:test-$digest"
"$images/build.sh" --binary "$binary" --base "$python_tools" --tag "$python_image" >/dev/null
phase "Python runner image $python_image"

status=0
SF_CT_PYTHON_IMAGE="$python_image" python3 "$here/container_test.py" --engine podman "$image" || status=1
phase "container cases (podman)"

# Docker: an engine of its own under a temporary folder, stopped at the end;
# no registry is reachable, so it gets the images built here.
docker_dir="$(mktemp -d /var/tmp/sf-ct-docker.XXXXXX)"
stop_docker() { "$here/dockerd.sh" stop "$docker_dir" || true; }
trap 'stop_docker; rm -f ${release_copy:+"$release_copy"}' EXIT
DOCKER_HOST="$("$here/dockerd.sh" start "$docker_dir")"
export DOCKER_HOST
# Debian's client with Debian's engine (a newer client elsewhere on PATH, such
# as /usr/local/bin/docker, would be tested instead): first on PATH for the
# container cases and the docs' commands.
mkdir -p "$docker_dir/bin"
ln -s /usr/bin/docker "$docker_dir/bin/docker"
export PATH="$docker_dir/bin:$PATH"
podman save --multi-image-archive "$image" "$python_image" | docker load >/dev/null
phase "Docker engine $(docker version --format '{{.Server.Version}}, client {{.Client.Version}}'), images loaded"
SF_CT_PYTHON_IMAGE="$python_image" python3 "$here/container_test.py" --engine docker "$image" || status=1
phase "container cases (Docker)"

# The validators (PyPI) in a virtualenv kept between runs; they check offline
# against the schemas they ship: kubernetes-validate for the manifests,
# check-jsonschema's copy of the Compose Specification for compose.yaml.
validator_version=1.37.0
check_jsonschema_version=0.39.0
venv="/var/tmp/sf-agent-k8s-venv-$validator_version"
(
  flock -w 600 7
  if [ ! -x "$venv/bin/kubernetes-validate" ] || [ ! -x "$venv/bin/check-jsonschema" ]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==$validator_version" \
      "check-jsonschema==$check_jsonschema_version"
  fi
) 7>"$venv.lock"

SF_DOC_TEST_PODMAN_IMAGE="$image" python3 "$here/doc_test.py" --image "$image" \
  --check-jsonschema "$venv/bin/check-jsonschema" || status=1
phase "the docs' commands and compose (Docker, docker-compose)"
stop_docker
trap 'rm -f ${release_copy:+"$release_copy"}' EXIT

"$venv/bin/python" "$here/kubernetes_test.py" "$venv/bin/kubernetes-validate" || status=1
phase "Kubernetes manifests"

# Test images of other binaries, built over an hour ago, are no longer needed
# (a concurrent run's fresh image is spared; one still in use cannot be removed).
# Nor are Python tools layers of an older base or Dockerfile.python.
for old in $(podman images --noheading --format '{{.Repository}}:{{.Tag}}' --filter reference='localhost/setup-factory/runner:test-*' \
               --filter reference='localhost/setup-factory/runner-python:test-*' \
               --filter reference='localhost/sf-agent/python-tools:*' \
               --filter until=1h | grep -vx -e "$image" -e "$python_image" -e "$python_tools" || true); do
  podman rmi "$old" >/dev/null 2>&1 || true
done

echo "container-test: done in $((SECONDS - total_start)) s, image $image" \
     "($(podman image inspect --format '{{.Size}}' "$image" | awk '{printf "%.1f MB", $1/1e6}'))" >&2
exit "$status"
