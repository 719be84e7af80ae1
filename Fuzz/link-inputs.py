#!/usr/bin/env python3
"""Prints what swiftc needs to build a harness against the modules SwiftPM built.

Reads SwiftPM's build description (<bin>/description.json) of the instrumented
build and prints, one per line, the -Xcc/-I flags that make the C modules
(libgit2, libarchive, CAgentSupport, BoringSSL shims) importable and the
package name (so that `package` declarations are visible), then the
object files of MODULE... and of every target they depend on.

usage: link-inputs.py BIN_DIR MODULE...
"""
import json
import os
import sys


def main() -> None:
    bin_dir, modules = sys.argv[1], sys.argv[2:]
    description = json.load(open(os.path.join(bin_dir, "description.json")))
    commands = {c["moduleName"]: c for c in description["swiftCommands"].values() if c.get("isLibrary") is not False}
    dependencies = description["targetDependencyMap"]

    closure, pending = [], list(modules)
    while pending:
        name = pending.pop()
        if name in closure:
            continue
        closure.append(name)
        pending.extend(dependencies.get(name, []))

    flags = []
    for name in modules:
        arguments = commands[name]["otherArguments"]
        # The package's modules share `package` declarations with whatever is
        # compiled with the same package name (SwiftPM's, from the checkout's folder).
        if "-package-name" in arguments:
            pair = ["-package-name", arguments[arguments.index("-package-name") + 1]]
            if pair not in flags:
                flags.append(pair)
        index = 0
        while index < len(arguments):
            argument = arguments[index]
            if argument == "-Xcc" and index + 1 < len(arguments):
                pair = [argument, arguments[index + 1]]
                index += 2
                # -Xcc -I -Xcc DIR comes as two pairs.
                if pair[1] == "-I" and index + 1 < len(arguments):
                    pair += arguments[index:index + 2]
                    index += 2
                if pair[1].startswith(("-fmodule-map-file=", "-I")) and " ".join(pair) not in {" ".join(f) for f in flags}:
                    flags.append(pair)
                continue
            if argument.startswith("-I") and [argument] not in flags:
                flags.append([argument])
            index += 1

    objects = []
    for name in closure:
        command = commands.get(name)
        if command is not None and command.get("objects"):
            objects += command["objects"]
            continue
        # A C target: every object under its build folder.
        for root, _, files in os.walk(os.path.join(bin_dir, f"{name}.build")):
            objects += [os.path.join(root, f) for f in sorted(files) if f.endswith(".o")]

    for flag in flags:
        print("\n".join(flag))
    print("\n".join(objects))


if __name__ == "__main__":
    main()
