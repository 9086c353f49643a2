#!/usr/bin/env python3
"""Turns a gdb `set remotelogfile` log into a session_fuzzer input: the fuzzer's header
(options, chunk sizes, stop seed; see session_fuzzer.cpp) then every byte gdb wrote.

usage: log_to_seed.py LOG OUT [--options N] [--chunks A,B,...] [--stop-seed N]
       log_to_seed.py LOG... OUTDIR --per-packet   (one seed per kind of packet)
"""
import argparse
import pathlib
import re

ESCAPES = {"\\": b"\\", "b": b"\b", "f": b"\f", "n": b"\n", "r": b"\r", "t": b"\t", "v": b"\v"}


def unescape(text):
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c != "\\":
            out += c.encode("latin-1")
            i += 1
        elif text[i + 1] == "x":
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
        else:
            out += ESCAPES[text[i + 1]]
            i += 2
    return bytes(out)


def written(log):
    """The bytes gdb wrote (the `w ` lines of the log)."""
    data = bytearray()
    for line in log.read_text(encoding="latin-1").splitlines():
        if line.startswith("w "):
            data += unescape(line[2:])
    return bytes(data)


def packet_kind(packet):
    """`vFile:pread`, `qXfer:auxv`, `vCont;c`, `m`, `Z0`...: what one seed stands for."""
    body = packet[1:-3].decode("latin-1")
    if body.startswith(("qXfer:", "vFile:", "vCont;")):
        return body[:6] + re.split(r"[:,;]", body[6:])[0]
    if body[:1] in "mMXgGpPZzHT":
        return body[:2] if body[:1] in "ZzH" else body[:1]
    return re.split(r"[:,;]", body)[0]


def header(options, chunks, stop_seed):
    return bytes([options, len(chunks)] + chunks + [stop_seed])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("log", type=pathlib.Path, nargs="+")
    p.add_argument("out", type=pathlib.Path)
    p.add_argument("--options", type=lambda s: int(s, 0), default=0)
    p.add_argument("--chunks", default="")
    p.add_argument("--stop-seed", type=lambda s: int(s, 0), default=0)
    p.add_argument("--per-packet", action="store_true")
    a = p.parse_args()
    data = b"".join(written(log) for log in a.log)
    if a.per_packet:
        a.out.mkdir(parents=True, exist_ok=True)
        seen = set()
        for packet in re.findall(rb"\$[^$#]*#..", data):
            kind = packet_kind(packet)
            if kind in seen:
                continue
            seen.add(kind)
            name = re.sub(r"[^A-Za-z0-9]+", "_", kind).strip("_") or kind.encode().hex()
            (a.out / f"packet-{name}").write_bytes(header(a.options, [], 0) + packet)
        return
    chunks = [int(c) for c in a.chunks.split(",") if c][:7]
    a.out.write_bytes(header(a.options, chunks, a.stop_seed) + data)


if __name__ == "__main__":
    main()
