#!/usr/bin/env python3
"""Writes the benchmark trees: DIR/text (one directory of ~1 GiB of log-like
text in 16 files) and DIR/small (20 000 files of 200-2000 bytes in 100
folders). Deterministic (seeded), so runs compare."""
import os, random, sys

root = sys.argv[1]
total = int(sys.argv[2]) if len(sys.argv) > 2 else 1 << 30
rng = random.Random(42)
words = [''.join(rng.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(rng.randint(2, 10))) for _ in range(5000)]

text = os.path.join(root, 'text')
os.makedirs(text, exist_ok=True)
per_file = total // 16
for index in range(16):
    with open(os.path.join(text, f'log-{index:02d}.txt'), 'w') as out:
        written = 0
        line_no = 0
        block = []
        while written < per_file:
            line_no += 1
            line = f'2026-11-29T12:{line_no % 60:02d}:{(line_no * 7) % 60:02d}.{line_no % 1000:03d}Z INFO worker-{line_no % 16} ' \
                + ' '.join(rng.choice(words) for _ in range(rng.randint(4, 14))) + f' id={rng.getrandbits(32):08x}\n'
            block.append(line)
            written += len(line)
            if len(block) >= 4096:
                out.write(''.join(block))
                block = []
        out.write(''.join(block))

small = os.path.join(root, 'small')
for folder in range(100):
    path = os.path.join(small, f'd{folder:03d}')
    os.makedirs(path, exist_ok=True)
    for index in range(200):
        size = rng.randint(200, 2000)
        with open(os.path.join(path, f'f{index:03d}.txt'), 'w') as out:
            out.write(''.join(rng.choice(words) + ' ' for _ in range(size // 6))[:size])
