#!/usr/bin/env bash
# Builds a Debian 12 (bookworm) base image without any container registry:
# `debootstrap --variant=minbase` into a folder, slimmed, then `podman import`.
# The image is cached in podman's storage under a tag keyed by the hash of its
# inputs (this script, suite, mirror), so a second run costs nothing.
#
#   runner-images/build-base.sh            # prints the image reference on stdout
#
# Environment: SF_BASE_SUITE (bookworm), SF_BASE_MIRROR (http://deb.debian.org/debian),
# SF_BASE_SECURITY_MIRROR (http://deb.debian.org/debian-security), SF_BASE_REPO
# (localhost/sf-agent/debian-base). Needs root, podman, debootstrap.
set -euo pipefail

suite="${SF_BASE_SUITE:-bookworm}"
mirror="${SF_BASE_MIRROR:-http://deb.debian.org/debian}"
security_mirror="${SF_BASE_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
repo="${SF_BASE_REPO:-localhost/sf-agent/debian-base}"
lock="${SF_IMAGES_LOCK:-/var/tmp/sf-agent-images.lock}"

log() { echo "build-base: $*" >&2; }

key=$( { cat "$0"; echo "$suite $mirror $security_mirror"; } | sha256sum | cut -c1-16)
image="$repo:$suite-$key"

# One builder at a time on this machine (CI runs of several worktrees share podman's storage).
exec 9>"$lock"
flock -w 900 9 || { log "timed out waiting for $lock"; exit 1; }

if podman image exists "$image"; then
  log "cached: $image"
  echo "$image"
  exit 0
fi

rootfs=$(mktemp -d /var/tmp/sf-agent-base.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
log "debootstrap --variant=minbase $suite from $mirror (about 2 minutes)"
start=$SECONDS
debootstrap --variant=minbase --components=main "$suite" "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || {
  tail -n 30 "$rootfs.log" >&2; rm -f "$rootfs.log"; exit 1; }
rm -f "$rootfs.log"

# What debian:bookworm-slim does: apt sources with updates and security, no
# documentation, manuals or translations installed by later packages, apt
# caches cleaned after every install, no recommends.
rm -f "$rootfs/etc/apt/sources.list"
cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security_mirror
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/excludes" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
DPKG
cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
APT
cat >"$rootfs/etc/apt/apt.conf.d/docker-no-recommends" <<'APT'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
APT
echo 'Acquire::Languages "none";' >"$rootfs/etc/apt/apt.conf.d/docker-no-languages"
find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* \
       "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
       "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/* "$rootfs"/tmp/* "$rootfs"/root/.bash_history
: >"$rootfs/etc/machine-id"
rm -f "$rootfs/etc/hostname" "$rootfs/etc/resolv.conf"

log "importing as $image"
tar --numeric-owner --xattrs -C "$rootfs" -c . | podman import --quiet \
  --change 'CMD ["/bin/bash"]' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "LABEL org.opencontainers.image.title=debian-$suite-minbase" \
  --change "LABEL org.opencontainers.image.description=debootstrap --variant=minbase $suite from $mirror" \
  - "$image" >/dev/null

# Older bases of this repository are no longer needed (ignore those still in use).
for old in $(podman images --noheading --format '{{.Repository}}:{{.Tag}}' --filter "reference=$repo" | grep -vx "$image" || true); do
  podman rmi "$old" >/dev/null 2>&1 || true
done
log "built $image in $((SECONDS - start)) s ($(podman image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}'))"
echo "$image"
