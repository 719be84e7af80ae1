#!/usr/bin/env bash
# Builds the libFuzzer harnesses of Fuzz/Harnesses into $FUZZ_SCRATCH/harnesses.
#
# 1. SwiftPM builds the library modules the harnesses import once,
#    instrumented: release, -sanitize=fuzzer,address (coverage counters and
#    comparison tracing for libFuzzer, AddressSanitizer checks on the Swift
#    code's loads and stores; libc calls such as fnmatch and realpath are
#    checked at ASan's interceptors) and -enable-testing (so a harness may
#    @testable import a module's internal parsers), into their own scratch
#    path. Only library targets are built (--target), so nothing is linked
#    there and libFuzzer's main never meets an executable's.
# 2. Each harness (Fuzz/Support/*.swift + Fuzz/Harnesses/<Name>/*.swift) is
#    compiled with swiftc against those modules and linked with their objects
#    and libFuzzer's runtime; link-inputs.py reads SwiftPM's build description
#    for the module map flags and the objects of the imported modules' closure.
#
# usage: Fuzz/build.sh [HARNESS...]    (default: every harness)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

scratch="${FUZZ_SCRATCH:-.build-fuzz}"
sanitizers="${FUZZ_SANITIZERS:-fuzzer,address}"
out="$scratch/harnesses"

source Fuzz/harnesses.sh
harness_names "$@"
harnesses=("${HARNESSES[@]}")
# libFuzzer's runtime comes with the Swift toolchain (no package provides it).
runtime="$(dirname "$(command -v swiftc)")/../lib/swift/clang/lib/linux/libclang_rt.fuzzer-$(uname -m).a"
[ -e "$runtime" ] || { echo "fuzz: this Swift toolchain has no libFuzzer runtime ($runtime)" >&2; exit 69; }

# The package modules a harness imports (import X / @testable import X),
# its own sources and those it shares (Fuzz/Harnesses/<Name>/sources).
harness_sources() {
  local dir="Fuzz/Harnesses/$1"
  ls "$dir"/*.swift
  [ -f "$dir/sources" ] && cat "$dir/sources"
  return 0
}
imported_modules() {
  sed -n -E 's/^(@testable )?import ([A-Za-z_]+).*/\2/p' $(harness_sources "$1") | sort -u |
    while read -r module; do [ -d "Sources/$module" ] && echo "$module"; done
}

# Only the library targets the harnesses import (and what they depend on).
flags=(-c release --scratch-path "$scratch" -Xswiftc "-sanitize=$sanitizers" -Xswiftc -enable-testing)
for module in $(for name in "${harnesses[@]}"; do imported_modules "$name"; done | sort -u); do
  swift build "${flags[@]}" --target "$module"
done
# The package's C targets: a Swift module's build compiles only the headers of
# a C target it reaches through another (CLazyLibrary through CArchive).
for target in $(cd Sources && ls -d C*/); do
  target=${target%/}
  [ -n "$(find "Sources/$target" -name '*.c' -print -quit)" ] && swift build "${flags[@]}" --target "$target"
done
bin="$(swift build "${flags[@]}" --show-bin-path)"
mkdir -p "$out"

for name in "${harnesses[@]}"; do
  mapfile -t sources < <(harness_sources "$name")
  mapfile -t modules < <(imported_modules "$name")
  mapfile -t inputs < <(python3 Fuzz/link-inputs.py "$bin" "${modules[@]}")
  objects=() module_flags=()
  for input in "${inputs[@]}"; do
    case "$input" in *.o) objects+=("$input") ;; *) module_flags+=("$input") ;; esac
  done
  binary="$out/$(echo "$name" | tr '[:upper:]' '[:lower:]')"
  echo "fuzz: building $binary (${modules[*]})"
  # The harness and its references are compiled without coverage (AddressSanitizer
  # only): libFuzzer is guided by the agent's code, and tracing every comparison
  # of a naive reference would cost more than the code under test.
  swiftc -O -g -wmo -c -sanitize=address -parse-as-library -swift-version 6 -warnings-as-errors \
    -module-name "Fuzz$name" -I "$bin/Modules" "${module_flags[@]}" \
    Fuzz/Support/*.swift "${sources[@]}" -o "$binary.o"
  swiftc -use-ld=lld -sanitize="$sanitizers" "$binary.o" "${objects[@]}" -lstdc++ -o "$binary"
done
