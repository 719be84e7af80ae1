#!/usr/bin/env python3
"""Writes the git benchmark's repository: a bare repository at DIR with
real-looking history, by `git fast-import` (deterministic, seeded, so runs
compare). Default: 3000 files (text, 1-12 KiB) in 120 folders, 6000 commits
that each edit, add or remove a few files, one branch `main`, a tag every
500 commits, then `git gc` so the server sends one packed repository.

TOPICS (default 0) adds that many branches `topic/NNN`, each forked from a
commit of main with three commits of two new files each, and an annotated
tag `topic-NNN` on every second one: a server with hundreds of refs whose
objects a job on `main` does not need.

    bench/make-git-repo.py DIR [FILES] [COMMITS] [TOPICS]
"""
import os, random, subprocess, sys

root = sys.argv[1]
file_count = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
commit_count = int(sys.argv[3]) if len(sys.argv) > 3 else 6000
topic_count = int(sys.argv[4]) if len(sys.argv) > 4 else 0
rng = random.Random(7)
words = [''.join(rng.choice('abcdefghijklmnopqrstuvwxyz_') for _ in range(rng.randint(2, 12))) for _ in range(8000)]


def line():
    indent = ' ' * (4 * rng.randint(0, 3))
    return indent + ' '.join(rng.choice(words) for _ in range(rng.randint(3, 12))) + '\n'


def new_file():
    return [line() for _ in range(rng.randint(15, 220))]


folders = [f'pkg{index // 12:02d}/mod{index % 12:02d}' for index in range(120)]
files = {}
for index in range(file_count):
    files[f'{rng.choice(folders)}/file{index:05d}.{rng.choice(["py", "sh", "ps1", "txt", "json"])}'] = new_file()

env = dict(os.environ, GIT_CONFIG_NOSYSTEM='1', GIT_CONFIG_GLOBAL='/dev/null', LC_ALL='C')
subprocess.run(['git', 'init', '-q', '--bare', '-b', 'main', root], check=True, env=env)
importer = subprocess.Popen(['git', '-C', root, 'fast-import', '--quiet'], stdin=subprocess.PIPE, env=env)
out = importer.stdin


def blob_command(path, lines):
    data = ''.join(lines).encode()
    return b'M 100644 inline ' + path.encode() + b'\ndata %d\n' % len(data) + data + b'\n'


def commit(number, changes, message, ref='refs/heads/main', parent=None):
    stamp = 1700000000 + number * 600
    msg = message.encode()
    out.write(b'commit ' + ref.encode() + b'\n')
    out.write(b'mark :%d\n' % number)
    out.write(b'author Bench <bench@example.invalid> %d +0000\n' % stamp)
    out.write(b'committer Bench <bench@example.invalid> %d +0000\n' % stamp)
    out.write(b'data %d\n' % len(msg) + msg + b'\n')
    if parent is not None:
        out.write(b'from :%d\n' % parent)
    for change in changes:
        out.write(change)
    out.write(b'\n')
    if number % 500 == 0 and ref == 'refs/heads/main':
        out.write(b'tag v%d\nfrom refs/heads/main\ntagger Bench <bench@example.invalid> %d +0000\ndata 4\nrel\n\n' % (number // 500, stamp))


commit(1, [blob_command(path, lines) for path, lines in sorted(files.items())], 'initial import')
for number in range(2, commit_count + 1):
    changes = []
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        if roll < 0.04:
            path = f'{rng.choice(folders)}/file{len(files) + number:05d}.{rng.choice(["py", "sh", "txt"])}'
            files[path] = new_file()
        elif roll < 0.06 and len(files) > 100:
            path = rng.choice(sorted(files))
            del files[path]
            changes.append(b'D ' + path.encode() + b'\n')
            continue
        else:
            path = rng.choice(list(files))
            lines = files[path]
            for _ in range(rng.randint(1, 6)):
                position = rng.randrange(len(lines) + 1)
                if rng.random() < 0.5 and lines:
                    lines[min(position, len(lines) - 1)] = line()
                else:
                    lines.insert(position, line())
        changes.append(blob_command(path, files[path]))
    commit(number, changes, f'change {number}: ' + ' '.join(rng.choice(words) for _ in range(5)))
mark = commit_count
for topic in range(1, topic_count + 1):
    ref = f'refs/heads/topic/{topic:03d}'
    parent = rng.randint(1, commit_count)
    for step in range(3):
        mark += 1
        changes = [blob_command(f'topics/{topic:03d}/part{step}-{index}.txt', new_file()) for index in range(2)]
        commit(mark, changes, f'topic {topic} step {step}', ref=ref, parent=parent)
        parent = mark
    if topic % 2 == 0:
        out.write(b'tag topic-%03d\nfrom :%d\ntagger Bench <bench@example.invalid> %d +0000\ndata 6\ntopic\n\n'
                  % (topic, mark, 1700000000 + mark * 600))
out.close()
if importer.wait() != 0:
    sys.exit('git fast-import failed')
subprocess.run(['git', '-C', root, 'gc', '-q', '--aggressive', '--prune=now'], check=True, env=env)
