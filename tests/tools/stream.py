#!/usr/bin/env python3
"""Deterministic byte streams with their sha256, for tests/81-load.bats.

  stream.py gen SEED BYTES SUMFILE   writes BYTES pseudo-random bytes (a
                                     function of SEED) on stdout, then
                                     "SHA256 BYTES" in SUMFILE
  stream.py sum SUMFILE              reads stdin to EOF, writes "SHA256 BYTES"
                                     in SUMFILE
Chunks are a 1 MiB random block rotated by a different amount each time, so
a lost, repeated or reordered chunk changes the sum; hashlib (OpenSSL) keeps
both ends at well over 1 GB/s.
"""
import hashlib
import os
import random
import sys

CHUNK = 1 << 20


def gen(seed, total, sumfile):
    block = random.Random(seed).randbytes(CHUNK)
    h, left, i, out = hashlib.sha256(), total, 0, sys.stdout.buffer
    while left > 0:
        k = (i * 7919 + 13) % CHUNK
        chunk = block[k:] + block[:k]
        if left < CHUNK:
            chunk = chunk[:left]
        h.update(chunk)
        out.write(chunk)
        left -= len(chunk)
        i += 1
    out.flush()
    with open(sumfile, "w") as f:
        f.write(f"{h.hexdigest()} {total}\n")


def checksum(sumfile):
    h, n, fd = hashlib.sha256(), 0, sys.stdin.fileno()
    while True:
        b = os.read(fd, CHUNK)
        if not b:
            break
        h.update(b)
        n += len(b)
    with open(sumfile, "w") as f:
        f.write(f"{h.hexdigest()} {n}\n")


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    else:
        checksum(sys.argv[2])
