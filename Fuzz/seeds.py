#!/usr/bin/env python3
"""Writes the seed inputs of each harness into Fuzz/Corpus/<harness>/seed-*.

Seeds are real inputs in each harness's input layout: agent.conf.example,
the examples' parameters, and the rows of the ordinary tests' tables. Run
from the repository root; existing seeds are rewritten, other files kept.

usage: Fuzz/seeds.py [HARNESS...]
"""
import hashlib
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write(harness: str, data: bytes) -> None:
    folder = os.path.join(ROOT, "Fuzz", "Corpus", harness)
    os.makedirs(folder, exist_ok=True)
    name = "seed-" + hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def read(path: str) -> str:
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def glob_seeds() -> None:
    rows = [
        ("deploy/*", "deploy/web"), ("deploy/*", "deploy/a/b"), ("deploy/**", "deploy/a/b"), ("deploy/*/*", "deploy/a/b"),
        ("repro-*", "repro-deploy-example"), ("a?c", "abc"), ("[ab]x", "bx"), ("[!a-c]x", "dx"), ("[]a]", "]"),
        ("git://127.0.0.1/*", "git://127.0.0.1/scripts"), ("/srv/repos/*", "/srv/other/x"), ("release/*", "release/2.0"),
        ("v*", "v1.2"), ("*", "sub/dir"), ("db_*", "db_password"),
    ]
    for pattern, text in rows:
        p = pattern.encode()
        for flags in (0, 3):
            write("glob", bytes([flags, len(p)]) + p + b"repro-*\n" + text.encode())


def config_seeds() -> None:
    example = read("agent.conf.example")
    keys = re.compile(r"^# ([a-z0-9_]+\.[a-z0-9_.-]+ =.*)$")
    lines = [keys.sub(r"\1", line) for line in example.splitlines()]
    # Small files: a few settings each (the fuzzer works best on short inputs).
    settings = [line for line in lines if keys.match("# " + line) and not line.startswith("#")]
    for start in range(0, len(settings), 4):
        write("config", b"\x00" + "\n".join(["# from agent.conf.example", "repo.url = /srv/scripts"] + settings[start:start + 4]).encode() + b"\n")
    tests = [
        '# the scripts\nrepo.url = git://127.0.0.1/scripts\n\nrepo.ref=v1.2\nrun.user = "runner"\n'
        'scripts.dir = "with \\"quotes\\" and \\\\ slash"\n\trun.timeout =   90s  \r\n',
        "repo.url = /srv\ninterpreter.py = python3 # system one\n", 'repo.url = "git://h/r # odd"\n',
        "repo.url = a\nrepo.url = b\n", "repo.uri = x\n", "repo.url = /srv\nlimits.memory_bytes = 512M\nsandbox.require = network\n",
        "repo.url = /srv\r\nrun.user = runner\r\n",
    ]
    for text in tests:
        write("config", b"\x01" + text.encode())
    values = [(0, "90s"), (0, "1500ms"), (0, "2h"), (1, "8G"), (1, "16777216T"), (2, "unlimited"), (3, "512KiB"), (3, "2GiB"),
              (4, "300M"), (4, "10k"), (5, "HTTP_PROXY"), (6, "refs/heads/release/2026.11"), (6, "refs/heads/main.lock"),
              (7, " deploy/* , repro-*,,"), (8, "yes"), (8, "Off")]
    for selector, value in values:
        write("config", bytes([3, selector]) + value.encode())


def parameters_seeds() -> None:
    texts = [
        '{"host": "web 1", "port": 8080, "ratio": 1.50, "big": -1e+30, "dry_run": true, "off": false, "skip": null, "tags": ["a", 2, false, null]}',
        r'{"s": "q\"b\\s\/n\n\t\u00e9\ud83d\ude00 ü $(id) `x` ;"}', ' {\n} ', '{"a":[]}', '[1]', '"x"', '{"a": {"b": 1}}',
        '{"a": [[1]]}', '{"a": 1, "a": 2}', '{"1a": 1}', '{"": 1}', '{"-a": 1}', '{"a": 01}', '{"a": 1.}', '{"a": .5}',
        '{"a": +1}', '{"a": NaN}', '{"a": tru}', '{"a": "x"} trailing', '{"a": "x",}', '{"a": "raw\nnewline"}',
        r'{"a": "\ud800"}', r'{"a": "\x"}', r'{"a": "nul\u0000"}', '{"a" 1}', '{', '',
        '{"host":"server.example.com","user":"testuser"}', '{"offset": -5, "Offset": "-x", "tag": ["a", null, 2, true]}',
    ]
    for text in texts:
        write("parameters", text.encode())


def argv_seeds() -> None:
    # count, then per entry: name start, name length, name bytes, kind, value bytes ended by 0xff.
    write("argv", bytes([2, 7, 3, 1, 2, 3, 3]) + b"web 1\xff" + bytes([10, 0, 2]) + b"-5\xff")
    write("argv", bytes([1, 0, 0, 0x83, 3, 3]) + b"--x\xff" + bytes([1, 1, 4]) + b"$true\xff")


def job_identifiers_seeds() -> None:
    values = ["job-42_a.b", ".", "..", "a/b", "a b", "jöb", "x" * 129, "deploy/web-1", "/etc/passwd", "a//b", "a/../b", "./a",
              "a/", "a;rm", "$(id)", "a\nb", "refs/tags/v1", "release/2.0", "v1^{}", "main; rm -rf /"]
    for value in values:
        write("jobidentifiers", b"\x00" + value.encode() + b"\x00" + b'{"host":"a"}')
    write("jobidentifiers", b"\x00deploy\x00  \n ")
    # Odd modes: segments of the fixture (count, then indexes).
    for picks in ([0], [1, 2], [1, 4, 5], [6], [7], [8], [9], [10], [11], [12, 3], [13, 14], [15], [1]):
        for mode in (1, 3, 7, 15, 25):
            write("jobidentifiers", bytes([mode, len(picks) - 1]) + bytes(picks))


def masker_seeds() -> None:
    import base64
    import json
    import urllib.parse
    secrets = [b"hunter2-token", b"p@ss w/rd", b"s3cr3t!", b"multi\nline\r\nsecret-value", "pässwörd😀".encode(), b"abc", b"tok+en/x="]
    for secret in secrets:
        texts = [
            b"login with " + secret + b" done\n",
            base64.b64encode(b"user:" + secret) + b"\n",
            base64.urlsafe_b64encode(b"xx" + secret + b"yy") + b"\n",
            urllib.parse.quote(secret, safe="").encode() + b" " + urllib.parse.quote_plus(secret).encode(),
            json.dumps({"v": secret.decode("utf-8", "replace")}).encode() + json.dumps(secret.decode("utf-8", "replace"), ensure_ascii=False).encode(),
            secret * 3,
        ]
        for index, text in enumerate(texts):
            flags = 0 if index % 2 else 8
            plan = bytes([3, 1, 5, 2])
            write("masker", bytes([flags, len(secret)]) + secret + plan + text)
    write("masker", bytes([0xff, 6]) + b"abcdef" + bytes([2, 7, 64]) + b"abcdef")


def signatures_seeds() -> None:
    key = "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
    hosts = [
        f"git.internal ssh-ed25519 {key}\n", f"[127.0.0.1]:2222,localhost ssh-ed25519 {key}\r\n# comment\n",
        f"@revoked git.internal ssh-ed25519 {key}\n", f"@cert-authority *.internal ssh-ed25519 {key}\n|1|abc= ssh-ed25519 {key}\n",
    ]
    for text in hosts:
        for host in ("git.internal", "[127.0.0.1]:2222", "localhost"):
            write("signatures", b"\x00" + host.encode() + b"\n\x00" + text.encode())
    outputs = [
        "ci@example.com\n  second@example.com \r\n",
        'Good "git" signature for ci@example.com with ED25519 key SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG\n',
        "[GNUPG:] NEWSIG\n[GNUPG:] KEY_CONSIDERED FAC5B6EF56D2146BDC7E90C305693CE0CD44A33B 0\n"
        "[GNUPG:] GOODSIG 05693CE0CD44A33B CI Signer <ci@example.com>\n"
        "[GNUPG:] VALIDSIG FAC5B6EF56D2146BDC7E90C305693CE0CD44A33B 2026-01-01 0 4 0 22 10 00 FAC5B6EF56D2146BDC7E90C305693CE0CD44A33B\n",
        "[GNUPG:] ERRSIG 05693CE0CD44A33B 22 10 00 1 9\n[GNUPG:] NO_PUBKEY 05693CE0CD44A33B\n",
        "[GNUPG:] BADSIG 05693CE0CD44A33B CI\n",
    ]
    for text in outputs:
        write("signatures", b"\x01" + text.encode())
    head = "tree 0123456789abcdef0123456789abcdef01234567\nauthor a <a@e> 1 +0000\ncommitter a <a@e> 1 +0000\n"
    commits = [
        head + "gpgsig -----BEGIN SSH SIGNATURE-----\n U1NIU0lH\n -----END SSH SIGNATURE-----\n\nmessage\n",
        head + "gpgsig-sha256 -----BEGIN PGP SIGNATURE-----\n x\n -----END PGP SIGNATURE-----\n\nmessage\ngpgsig y\n",
        head + "\nmessage\ngpgsig -----BEGIN SSH SIGNATURE-----\n",
    ]
    for text in commits:
        write("signatures", b"\x02" + text.encode())
    tag_head = "object 0123456789abcdef0123456789abcdef01234567\ntype commit\ntag v1\ntagger t <t@e> 1 +0000\n\nrelease v1\n"
    for block in ("-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n",
                  "-----BEGIN PGP SIGNATURE-----\n\niHUEABYKAB0WIQ\n-----END PGP SIGNATURE-----\n", ""):
        write("signatures", b"\x03" + (tag_head + block).encode())


def manifest_seeds() -> None:
    names = ["report.txt", "dir/with space/ü.txt", "quote\"back\\slash", "tab\tnew\nline\x01\x1f\x7f", "😀/日本"]
    for name in names:
        write("manifest", b"\x01" + name.encode())
    write("manifest", b"\x01" + b"\xff\xfe not utf-8")
    # A secret, then path components separated by NUL bytes.
    for secret, components in [(b"s3cret", [b"logs", b"token-s3cret", b"x"]), (b"ab/cd", [b"xab", b"cdx"]), (b"", [b"a", b"b"]),
                               (b"hunter2-token", [b"dir", "ü".encode(), b"\xff"])]:
        write("manifest", bytes([0, len(secret)]) + secret + b"\x00".join(components))


HARNESSES = {"manifest": manifest_seeds, "signatures": signatures_seeds, "masker": masker_seeds, "jobidentifiers": job_identifiers_seeds, "glob": glob_seeds, "config": config_seeds, "parameters": parameters_seeds, "argv": argv_seeds}

if __name__ == "__main__":
    for name in sys.argv[1:] or HARNESSES:
        HARNESSES[name]()
