#!/usr/bin/env bash
# Installs what building and testing the runner images need on Debian 12, as
# root: podman with runc (not crun: see podman-flags.sh), debootstrap for the
# base image, python3-venv for the Kubernetes validator, Docker (docker.io,
# whose dockerd the test starts itself), docker-compose 1.29 and
# docker-registry for the documentation's commands. Idempotent.
set -euo pipefail
packages=(podman runc debootstrap python3 python3-venv python3-jsonschema git ca-certificates
          docker.io docker-compose docker-registry util-linux)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "runner-images/install-deps: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
