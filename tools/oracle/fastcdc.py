#!/usr/bin/env python3
"""Reference FastCDC (normalized chunking) as specified in docs/chunking.md.

Written from the specification, not from the C# code, so that a test can compare the two:

    fastcdc.py MIN AVG MAX FILE  ->  one line per chunk: "OFFSET LENGTH SHA256"

Spec summary (docs/chunking.md, "Boundary rule"):
  gear[i]  = i-th output (i = 0..255) of SplitMix64 seeded with 0x564D544344433031 ("VMTCDC01")
  bits     = log2(AVG);  mask_s = top (bits + 2) bits set;  mask_l = top (bits - 2) bits set
  a chunk starting at p, with r = remaining bytes:
    r <= MIN              -> the chunk is the rest
    n = min(r, MAX); normal = min(AVG, n); h = 0
    for i in MIN .. n-1:  h = (h << 1) + gear[byte p+i]  (mod 2^64)
                          cut after byte i if h & (mask_s if i < normal else mask_l) == 0
    no cut                -> the chunk is n bytes
"""
import hashlib
import sys

M64 = (1 << 64) - 1


def gear_table(seed=0x564D544344433031):
    table = []
    state = seed
    for _ in range(256):
        state = (state + 0x9E3779B97F4A7C15) & M64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        table.append(z ^ (z >> 31))
    return table


GEAR = gear_table()


def top_bits(count):
    return (M64 << (64 - count)) & M64


def chunks(data, mn, avg, mx):
    bits = avg.bit_length() - 1
    assert 1 << bits == avg, "AVG must be a power of two"
    mask_s, mask_l = top_bits(bits + 2), top_bits(bits - 2)
    pos, total = 0, len(data)
    while pos < total:
        remaining = total - pos
        if remaining <= mn:
            yield pos, remaining
            break
        n = min(remaining, mx)
        normal = min(avg, n)
        h = 0
        length = n
        for i in range(mn, n):
            h = ((h << 1) + GEAR[data[pos + i]]) & M64
            if h & (mask_s if i < normal else mask_l) == 0:
                length = i + 1
                break
        yield pos, length
        pos += length


def main():
    mn, avg, mx = (int(a) for a in sys.argv[1:4])
    with open(sys.argv[4], "rb") as f:
        data = f.read()
    out = sys.stdout
    for offset, length in chunks(data, mn, avg, mx):
        digest = hashlib.sha256(data[offset:offset + length]).hexdigest()
        out.write(f"{offset} {length} {digest}\n")


if __name__ == "__main__":
    main()
