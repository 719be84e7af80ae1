#!/usr/bin/env bash
# Builds the libFuzzer harnesses of Fuzz/Harnesses into $FUZZ_SCRATCH/harnesses.
#
# 1. SwiftPM builds the agent's library modules once, instrumented: release,
#    -sanitize=fuzzer,address (coverage counters and comparison tracing for
#    libFuzzer, AddressSanitizer checks on every load and store, Swift and
#    the C shims alike) and -enable-testing (so a harness may @testable import
#    a module's internal parsers), into their own scratch path. Only library
#    targets are built (--target Pipeline and what it depends on), so nothing
#    is linked there and libFuzzer's main never meets an executable's.
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

swift build -c release --scratch-path "$scratch" --target Pipeline \
  -Xswiftc "-sanitize=$sanitizers" -Xswiftc -enable-testing
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)"
mkdir -p "$out"

if [ "$#" -gt 0 ]; then harnesses=("$@"); else
  harnesses=()
  for dir in Fuzz/Harnesses/*/; do harnesses+=("$(basename "$dir")"); done
fi

for name in "${harnesses[@]}"; do
  dir="Fuzz/Harnesses/$name"
  [ -d "$dir" ] || { echo "fuzz: no harness $dir" >&2; exit 64; }
  # The package modules the harness imports (import X / @testable import X).
  # Sources another harness shares with this one (Fuzz/Harnesses/<Name>/sources, one path a line).
  sources=("$dir"/*.swift)
  [ -f "$dir/sources" ] && while read -r extra; do sources+=("$extra"); done < "$dir/sources"
  mapfile -t modules < <(sed -n -E 's/^(@testable )?import ([A-Za-z_]+).*/\2/p' "${sources[@]}" | sort -u |
    while read -r module; do [ -e "$bin/Modules/$module.swiftmodule" ] && echo "$module"; done)
  mapfile -t inputs < <(python3 Fuzz/link-inputs.py "$bin" "${modules[@]}")
  binary="$out/$(echo "$name" | tr '[:upper:]' '[:lower:]')"
  echo "fuzz: building $binary (${modules[*]})"
  swiftc -O -g -use-ld=lld -sanitize="$sanitizers" -parse-as-library -swift-version 6 -warnings-as-errors \
    -module-name "Fuzz$name" -I "$bin/Modules" \
    Fuzz/Support/*.swift "${sources[@]}" "${inputs[@]}" -lstdc++ -o "$binary"
done
