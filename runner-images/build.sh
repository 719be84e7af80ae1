#!/usr/bin/env bash
# Builds the runner image from an sf-agent binary built on the host: no Swift
# image, no registry. The Dockerfile is Dockerfile.runner, target
# runner-prebuilt; the build context is a temporary folder holding only the
# (stripped) binary.
#
#   runner-images/build.sh [--binary PATH] [--base IMAGE] [--tag REF]... [--pwsh]
#
#   --binary PATH  the agent (default: $SF_AGENT_BINARY, else a fresh
#                  `swift build -c release --static-swift-stdlib --product sf-agent`)
#   --base IMAGE   BASE_IMAGE (default: $SF_BASE_IMAGE, else build-base.sh's cached
#                  debootstrap image)
#   --tag REF      repeatable (default: setup-factory/runner:<version> and :latest)
#   --pwsh         INSTALL_PWSH=true (needs packages.microsoft.com)
#
# Prints the first tag on stdout; progress goes to stderr. Needs root and podman.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo_root="$(cd "$here/.." && pwd)"
# shellcheck source=runner-images/podman-flags.sh
source "$here/podman-flags.sh"

binary="${SF_AGENT_BINARY:-}"
base="${SF_BASE_IMAGE:-}"
tags=()
pwsh=false
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="$2"; shift 2 ;;
    --base) base="$2"; shift 2 ;;
    --tag) tags+=("$2"); shift 2 ;;
    --pwsh) pwsh=true; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument $1" >&2; exit 64 ;;
  esac
done

log() { echo "build.sh: $*" >&2; }

if [ -z "$binary" ]; then
  export PATH="/opt/swift/usr/bin:$PATH"
  log "swift build -c release --static-swift-stdlib --product sf-agent"
  (cd "$repo_root" && swift build -c release --static-swift-stdlib --product sf-agent >&2)
  binary="$(cd "$repo_root" && swift build -c release --static-swift-stdlib --show-bin-path)/sf-agent"
fi
[ -x "$binary" ] || { log "no executable agent at $binary"; exit 66; }
[ -n "$base" ] || base="$("$here/build-base.sh")"

version="$("$binary" version | awk '{print $2}')"
revision="$(git -C "$repo_root" rev-parse HEAD 2>/dev/null || echo unknown)"
if [ "$revision" != unknown ] && [ -n "$(git -C "$repo_root" status --porcelain -- Sources Package.swift 2>/dev/null)" ]; then
  revision="$revision-dirty"
fi
source_url="${SF_IMAGE_SOURCE:-$(git -C "$repo_root" remote get-url origin 2>/dev/null || echo unknown)}"
[ "${#tags[@]}" -gt 0 ] || tags=("setup-factory/runner:$version" "setup-factory/runner:latest")

context="$(mktemp -d /var/tmp/sf-agent-context.XXXXXX)"
trap 'rm -rf "$context"' EXIT
cp "$binary" "$context/sf-agent"
strip --strip-unneeded "$context/sf-agent" 2>/dev/null || true
chmod 0755 "$context/sf-agent"

tag_flags=()
for tag in "${tags[@]}"; do tag_flags+=(--tag "$tag"); done
created="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# Serialised with build-base.sh: concurrent CI runs share podman's storage.
exec 9>"${SF_IMAGES_LOCK:-/var/tmp/sf-agent-images.lock}"
flock -w 900 9 || { log "timed out waiting for the image lock"; exit 1; }
log "building ${tags[0]} on $base (agent $version, $(du -h "$context/sf-agent" | cut -f1) stripped)"
"${PODMAN[@]}" build "${ULIMITS[@]}" --pull=never --layers --quiet \
  -f "$here/Dockerfile.runner" --target runner-prebuilt \
  --build-arg BASE_IMAGE="$base" \
  --build-arg INSTALL_PWSH="$pwsh" \
  --build-arg VERSION="$version" \
  --build-arg REVISION="$revision" \
  --build-arg SOURCE="$source_url" \
  --build-arg CREATED="$created" \
  "${tag_flags[@]}" "$context" >/dev/null
log "built ${tags[0]}: $("${PODMAN[@]}" image inspect --format '{{.Size}}' "${tags[0]}" | awk '{printf "%.1f MB", $1/1e6}')"
echo "${tags[0]}"
